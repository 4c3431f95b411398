"""PEP 517 and PEP 660 hooks: `build-backend = "shipyard_core.backend"`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ConfigSettings = dict[str, Any] | None


def get_requires_for_build_wheel(config_settings: ConfigSettings = None) -> list[str]:
    return []


def get_requires_for_build_sdist(config_settings: ConfigSettings = None) -> list[str]:
    return []


def get_requires_for_build_editable(config_settings: ConfigSettings = None) -> list[str]:
    return []


def build_wheel(wheel_directory: str, config_settings: ConfigSettings = None,
                metadata_directory: str | None = None) -> str:
    from shipyard_core.build import build

    return build(Path.cwd(), wheel_directory, sdist=False).wheel.name


def build_sdist(sdist_directory: str, config_settings: ConfigSettings = None) -> str:
    from shipyard_core.build import build

    return build(Path.cwd(), sdist_directory, wheel=False).sdist.name


def build_editable(wheel_directory: str, config_settings: ConfigSettings = None,
                   metadata_directory: str | None = None) -> str:
    from shipyard_core.build import build_editable as build_editable_wheel

    return build_editable_wheel(Path.cwd(), wheel_directory).name


def prepare_metadata_for_build_wheel(metadata_directory: str, config_settings: ConfigSettings = None) -> str:
    from shipyard_core.project import load
    from shipyard_core.wheel import write_metadata_dir

    return write_metadata_dir(load(Path.cwd()), Path(metadata_directory))


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel

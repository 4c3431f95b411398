"""Start-up code of a frozen app; the freezer writes it into the bundle as lib/shipyard-boot.pyc.

It runs as ``__main__`` in the bundled interpreter before the app: it marks the interpreter
as frozen (``sys.frozen``), serves the child processes of ``multiprocessing`` (spawn and
forkserver start the frozen executable again), then runs the app the way ``python app.py``,
``python -m module`` or a console script would. This file is not imported by shipyard.
"""

SETTINGS: dict = {}  # replaced by the freezer: kind, entry


def _boot(settings: dict) -> None:
    import os
    import sys

    sys.frozen = True
    app_dir = os.path.join(sys.prefix, "lib", "app")
    site_packages = os.path.join(sys.prefix, "lib", "python%d.%d" % sys.version_info[:2], "site-packages")
    if site_packages not in sys.path:  # Debian's site.py looks in dist-packages instead
        import site

        site.addsitedir(site_packages)
    argv = sys.argv
    if settings["kind"] in ("script", "module"):
        sys.path.insert(0, app_dir)

    if len(argv) >= 2 and argv[1] == "--multiprocessing-fork":
        from multiprocessing.spawn import freeze_support

        freeze_support()
        sys.exit()
    if len(argv) >= 3 and argv[-2] == "-c" and argv[-1].startswith(
        ("from multiprocessing.resource_tracker import main",
         "from multiprocessing.forkserver import main")
    ) and all(arg.startswith("-") for arg in argv[1:-2]):
        del argv[1:-1]
        exec(argv[-1], {"__name__": "__main__"})
        sys.exit()

    kind, entry = settings["kind"], settings["entry"]
    if kind == "module":
        import runpy

        runpy._run_module_as_main(entry, alter_argv=False)
    elif kind == "entry":
        import importlib

        module_name, _, attrs = entry.partition(":")
        target = importlib.import_module(module_name)
        for attr in attrs.split("."):
            target = getattr(target, attr)
        sys.exit(target())
    else:
        import _frozen_importlib_external
        import _imp
        import marshal

        path = os.path.join(app_dir, entry)
        opt = f".opt-{sys.flags.optimize}" if sys.flags.optimize else ""
        stem = os.path.splitext(entry)[0]
        pyc = os.path.join(app_dir, "__pycache__", f"{stem}.{sys.implementation.cache_tag}{opt}.pyc")
        with open(pyc, "rb") as f:
            code = marshal.loads(f.read()[16:])
        _imp._fix_co_filename(code, path)
        namespace = sys.modules["__main__"].__dict__
        builtins = namespace["__builtins__"]
        namespace.clear()
        namespace.update(__name__="__main__", __doc__=None, __package__=None, __spec__=None,
                         __loader__=_frozen_importlib_external.SourceFileLoader("__main__", path),
                         __file__=path, __cached__=None, __builtins__=builtins)
        exec(code, namespace)

if __name__ == "__main__":
    _boot(SETTINGS)

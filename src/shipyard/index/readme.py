"""Render a project's description as PyPI does (readme_renderer), sanitized."""

from __future__ import annotations

import html


def render(text: str, content_type: str | None) -> str:
    """Safe HTML for a description, chosen by its Description-Content-Type."""
    from readme_renderer import clean, rst, txt

    kind = (content_type or "text/x-rst").split(";")[0].strip().lower()
    rendered: str | None = None
    if kind == "text/markdown":
        rendered = _markdown(text, clean.clean)
    elif kind == "text/x-rst":
        rendered = rst.render(text)
    if rendered is None:
        rendered = txt.render(text) or f"<pre>{html.escape(text)}</pre>"
    return rendered


def _markdown(text: str, clean) -> str | None:
    """GFM via readme_renderer when its markdown extra (cmarkgfm) is there, else markdown-it."""
    try:
        import cmarkgfm  # noqa: F401
    except ImportError:
        from markdown_it import MarkdownIt

        return clean(MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(text))
    from readme_renderer import markdown

    return markdown.render(text)

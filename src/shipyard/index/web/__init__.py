"""Server-rendered web pages of the index (Jinja2 templates, no front-end build step)."""

"""shipyard's package index: simple API, JSON API, uploads, accounts, web pages.

The app is stateless: everything lives in a metadata store (SQLAlchemy: SQLite by default,
PostgreSQL by URL) and a blob store (a directory), so several workers and several servers
can serve one index. `create_app(Settings(...))` builds the ASGI application.
"""

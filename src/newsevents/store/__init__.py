"""Storage: coded articles and events in DuckDB (embedded, the default) or PostgreSQL.

>>> from newsevents.store import open_store, query          # doctest: +SKIP
>>> with open_store("news.duckdb") as store:               # doctest: +SKIP
...     df = query.dyad(store, "JPN", "PRK", by="month")     # a pandas DataFrame

Where the database is: ``--db``/``db=`` (a file path, or a ``postgresql://`` URL), else the
environment variable ``NEWSEVENTS_DB``, else ``newsevents.duckdb`` in the current directory.
"""

from __future__ import annotations

import os
from pathlib import Path

from newsevents.store.base import Store, StoreError
from newsevents.store.schema import SCHEMA_VERSION, SchemaTooNew

DEFAULT_DB_FILE = "newsevents.duckdb"
DB_ENV = "NEWSEVENTS_DB"

__all__ = [
    "DB_ENV",
    "DEFAULT_DB_FILE",
    "SCHEMA_VERSION",
    "SchemaTooNew",
    "Store",
    "StoreError",
    "default_db",
    "is_postgres_url",
    "open_store",
]


def default_db() -> str:
    """``$NEWSEVENTS_DB`` if set, else ``./newsevents.duckdb``."""
    return os.environ.get(DB_ENV) or DEFAULT_DB_FILE


def is_postgres_url(db: str) -> bool:
    return db.startswith(("postgresql://", "postgres://", "postgresql+psycopg://"))


def open_store(db: str | os.PathLike[str] | None = None, *, create: bool = True) -> Store:
    """Open (and create or migrate) a store.

    Args:
        db: a DuckDB file path (``":memory:"`` for a throwaway one) or a ``postgresql://`` URL;
            None for :func:`default_db`.
        create: False refuses to create a DuckDB file that does not exist (query commands).

    Raises:
        StoreError: the database cannot be opened (missing, locked, unreachable...).
        SchemaTooNew: it was written by a newer newsevents.
    """
    target = os.fspath(db) if db is not None else default_db()
    if is_postgres_url(target):
        from newsevents.store.postgres_store import PostgresStore

        store: Store = PostgresStore(target.replace("postgresql+psycopg://", "postgresql://", 1))
    else:
        from newsevents.store.duckdb_store import DuckDBStore

        if not create and target != ":memory:" and not Path(target).exists():
            raise StoreError(f"{target}: no such database (run 'newsevents ingest' first, or pass --db)")
        store = DuckDBStore(target)
    try:
        store.migrate()
    except BaseException:
        store.close()
        raise
    return store

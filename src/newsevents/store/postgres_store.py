"""The server store: PostgreSQL (``--db postgresql://user@host:port/dbname``), same schema."""

from __future__ import annotations

import re
from typing import Any, Iterator, Sequence

from newsevents.store.base import Store, StoreError

_PLACEHOLDER = re.compile(r"\?")


def _to_pg(sql: str) -> str:
    """Our ``?`` placeholders as psycopg's ``%s`` (a literal % is doubled first)."""
    return _PLACEHOLDER.sub("%s", sql.replace("%", "%%"))


def _redact(url: str) -> str:
    """A connection URL without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


class PostgresStore(Store):
    """A PostgreSQL database given by URL.  JSON columns are ``JSON``, not ``JSONB``: the event JSON
    keeps its field order, so exports from both stores are byte for byte the same."""

    dialect = "postgres"
    types = {"json": "JSON", "blob": "BYTEA", "double": "DOUBLE PRECISION", "text": "TEXT", "int": "INTEGER",
             "bigint": "BIGINT", "date": "DATE", "timestamp": "TIMESTAMP", "bool": "BOOLEAN"}

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError:  # pragma: no cover - psycopg is a dependency
            raise StoreError("PostgreSQL support needs the 'psycopg' package") from None
        super().__init__(_redact(url))
        self.url = url
        try:
            self.conn = psycopg.connect(url, autocommit=True)
        except psycopg.Error as e:
            raise StoreError(f"{self.label}: cannot connect to PostgreSQL: {str(e).strip().splitlines()[0]}") from None

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        self.conn.execute(_to_pg(sql), params or None)

    def fetchall(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple]:
        cur = self.conn.execute(_to_pg(sql), params or None)
        return [tuple(_plain(v) for v in row) for row in cur.fetchall()]

    def dataframe(self, sql: str, params: Sequence[Any] | None = None):
        import pandas as pd

        cur = self.conn.execute(_to_pg(sql), params or None)
        cols = [d.name for d in cur.description]
        return _typed(pd.DataFrame([tuple(_plain(v) for v in r) for r in cur.fetchall()], columns=cols))

    def iter_rows(self, sql: str, params: Sequence[Any] | None = None, size: int = 20_000) -> Iterator[list[dict]]:
        with self.conn.transaction():
            with self.conn.cursor(name="newsevents_rows") as cur:
                cur.execute(_to_pg(sql), params or None)
                while True:
                    rows = cur.fetchmany(size)
                    if not rows:
                        break
                    cols = [d.name for d in cur.description]
                    yield [{c: _plain(v) for c, v in zip(cols, r, strict=False)} for r in rows]

    def clear_table(self, table: str) -> None:
        self.execute(f"TRUNCATE {table}")  # transactional in PostgreSQL, and far cheaper than DELETE

    def _begin(self) -> None:
        self._tx = self.conn.transaction()
        self._tx.__enter__()

    def _commit(self) -> None:
        self._tx.__exit__(None, None, None)

    def _rollback(self) -> None:
        import psycopg

        try:
            self._tx.__exit__(psycopg.Rollback, psycopg.Rollback(), None)
        except psycopg.Rollback:
            pass
        except Exception:
            pass

    def close(self) -> None:
        conn = getattr(self, "conn", None)
        if conn is not None:
            conn.close()
            self.conn = None



def _plain(v: Any) -> Any:
    """psycopg values as DuckDB gives them: Decimal -> float, JSONB -> JSON text, memoryview -> bytes."""
    from decimal import Decimal

    if isinstance(v, Decimal):
        return float(v)
    if isinstance(v, memoryview):
        return bytes(v)
    if isinstance(v, (dict, list)):
        import json

        return json.dumps(v, ensure_ascii=False)
    return v


def _typed(df):
    """Date columns as datetime64 like DuckDB's DataFrames (object columns of dates otherwise)."""
    import datetime as _dt

    import pandas as pd

    for c in df.columns:
        s = df[c].dropna()
        if len(s) and s.map(lambda x: type(x) is _dt.date).all():
            df[c] = pd.to_datetime(df[c])
    return df

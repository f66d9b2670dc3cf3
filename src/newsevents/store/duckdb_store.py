"""The embedded store: one DuckDB file (the default)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator, Sequence

from newsevents.store.base import Store, StoreError


class DuckDBStore(Store):
    """A DuckDB database file (``":memory:"`` for a throwaway one)."""

    dialect = "duckdb"
    types = {"json": "JSON", "blob": "BLOB", "double": "DOUBLE", "text": "VARCHAR", "int": "INTEGER",
             "bigint": "BIGINT", "date": "DATE", "timestamp": "TIMESTAMP", "bool": "BOOLEAN"}

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        import duckdb

        super().__init__(str(path))
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.IOException as e:
            msg = str(e)
            if "lock" in msg.lower():
                raise StoreError(f"{self.path}: the database is in use by another process ({msg.splitlines()[0]})") from None
            raise StoreError(f"{self.path}: cannot open the DuckDB database: {msg.splitlines()[0]}") from None
        except duckdb.Error as e:
            raise StoreError(f"{self.path}: cannot open the DuckDB database: {str(e).splitlines()[0]}") from None

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        self.con.execute(sql, params or [])

    def fetchall(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple]:
        return self.con.execute(sql, params or []).fetchall()

    def dataframe(self, sql: str, params: Sequence[Any] | None = None):
        return self.con.execute(sql, params or []).df()

    def iter_rows(self, sql: str, params: Sequence[Any] | None = None, size: int = 20_000) -> Iterator[list[dict]]:
        reader = self.con.sql(sql, params=params or None).to_arrow_reader(size)
        for batch in reader:
            yield batch.to_pylist()

    def _begin(self) -> None:
        self.con.execute("BEGIN TRANSACTION")

    def _commit(self) -> None:
        self.con.execute("COMMIT")

    def _rollback(self) -> None:
        try:
            self.con.execute("ROLLBACK")
        except Exception:  # the connection may already have aborted it
            pass

    def close(self) -> None:
        con = getattr(self, "con", None)
        if con is not None:
            con.close()
            self.con = None

"""What every store does, written once; DuckDB and PostgreSQL differ only in the hooks below.

SQL here uses ``?`` placeholders; the PostgreSQL store turns them into its own.  All writes go
through one connection in the calling process (coding may run in worker processes, writing never
does), and each article's rows are written in one transaction: a crash leaves whole articles or
nothing.
"""

from __future__ import annotations

import contextlib
from typing import Any, Iterable, Iterator, Sequence

import numpy as np

from newsevents.store import schema
from newsevents.store.dedup import signature_from_bytes
from newsevents.store.rows import TABLE_COLUMNS, ArticleRecord

_ROWS_PER_STATEMENT = 5000


class StoreError(RuntimeError):
    """A database that cannot be opened or used, with the reason."""


class Store:
    """A newsevents database.  Use :func:`newsevents.store.open_store` to get one."""

    dialect = "generic"
    types: dict[str, str] = {}

    def __init__(self, label: str) -> None:
        self.label = label
        self._in_tx = False

    # -- hooks each dialect provides ------------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        raise NotImplementedError

    def fetchall(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple]:
        raise NotImplementedError

    def fetchone(self, sql: str, params: Sequence[Any] | None = None) -> tuple | None:
        rows = self.fetchall(sql, params)
        return rows[0] if rows else None

    def dataframe(self, sql: str, params: Sequence[Any] | None = None):
        """A query's result as a pandas DataFrame."""
        raise NotImplementedError

    def iter_rows(self, sql: str, params: Sequence[Any] | None = None, size: int = 20_000) -> Iterator[list[dict]]:
        """A query's result as lists of at most ``size`` dicts of plain Python values."""
        raise NotImplementedError

    def _begin(self) -> None:
        raise NotImplementedError

    def _commit(self) -> None:
        raise NotImplementedError

    def _rollback(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.label}>"

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """All statements inside commit together or not at all (not nestable)."""
        if self._in_tx:
            raise StoreError("transactions do not nest")
        self._begin()
        self._in_tx = True
        try:
            yield
        except BaseException:
            self._in_tx = False
            self._rollback()
            raise
        self._in_tx = False
        self._commit()

    def migrate(self) -> int:
        return schema.migrate(self)

    def schema_version(self) -> int:
        return schema.current_version(self)

    def insert_rows(self, table: str, rows: Sequence[Sequence[Any]], on_conflict_ignore: bool = False) -> None:
        """Insert many rows with one statement: one typed array per column, unnested side by side.

        Both databases run this the same way, and it costs a fraction of a multi-row VALUES list
        (whose every value is a separate expression to bind).
        """
        if not rows:
            return
        spec = TABLE_COLUMNS[table]
        cols = ", ".join(c for c, _ in spec)
        sel = ", ".join(f"unnest(CAST(? AS {self.types[t]}[]))" for _, t in spec)
        tail = " ON CONFLICT DO NOTHING" if on_conflict_ignore else ""
        for i in range(0, len(rows), _ROWS_PER_STATEMENT):
            chunk = rows[i:i + _ROWS_PER_STATEMENT]
            self.execute(f"INSERT INTO {table} ({cols}) SELECT {sel}{tail}", [list(c) for c in zip(*chunk, strict=False)])

    def clear_table(self, table: str) -> None:
        """Remove every row of a table (inside the current transaction)."""
        self.execute(f"DELETE FROM {table}")

    def set_meta(self, key: str, value: str | None) -> None:
        self.execute("DELETE FROM meta WHERE key = ?", [key])
        self.execute("INSERT INTO meta (key, value) VALUES (?, ?)", [key, value])

    def get_meta(self, key: str) -> str | None:
        row = self.fetchone("SELECT value FROM meta WHERE key = ?", [key])
        return row[0] if row else None

    # -- articles ------------------------------------------------------------------------------
    def has_article(self, key: str) -> bool:
        return self.fetchone("SELECT 1 FROM articles WHERE key = ?", [key]) is not None

    def original_by_hash(self, norm_hash: str) -> str | None:
        """The coded article with this normalised content (or the original of a stored copy)."""
        row = self.fetchone(
            "SELECT coalesce(duplicate_of, key) FROM articles WHERE norm_hash = ? "
            "ORDER BY CASE WHEN status = 'coded' THEN 0 ELSE 1 END, key LIMIT 1",
            [norm_hash],
        )
        return row[0] if row else None

    def band_candidates(self, bands: Sequence[int]) -> set[str]:
        if not bands:
            return set()
        marks = ", ".join("?" * len(bands))
        rows = self.fetchall(f"SELECT DISTINCT article_key FROM article_bands WHERE band_key IN ({marks})", list(bands))
        return {r[0] for r in rows}

    def signatures(self, keys: Iterable[str]) -> dict[str, np.ndarray]:
        keys = list(keys)
        if not keys:
            return {}
        marks = ", ".join("?" * len(keys))
        rows = self.fetchall(f"SELECT key, minhash FROM articles WHERE key IN ({marks}) AND minhash IS NOT NULL", keys)
        return {k: signature_from_bytes(b) for k, b in rows}

    def write_articles(self, records: Sequence[ArticleRecord]) -> list[bool]:
        """Store whole articles (each with everything coded from it) in ONE transaction.

        An article's rows are never split across transactions, so a crash at any moment leaves
        each article stored whole or not at all.  Articles already stored (same key) are left
        alone.  Returns, per record, whether it was written.
        """
        if not records:
            return []
        with self.transaction():
            keys = [r.key for r in records]
            marks = ", ".join("?" * len(keys))
            have = {r[0] for r in self.fetchall(f"SELECT key FROM articles WHERE key IN ({marks})", keys)}
            todo, seen = [], set()
            for r in records:
                if r.key not in have and r.key not in seen:
                    todo.append(r)
                    seen.add(r.key)
            if todo:
                self.insert_rows("articles", [r.article for r in todo])
                # an event id twice (same coded clause) is stored once
                self.insert_rows("events", [e for r in todo for e in r.events], on_conflict_ignore=True)
                for table, attr in (("mentions", "mentions"), ("quotes", "quotes"), ("places", "places"),
                                    ("times", "times"), ("article_bands", "bands")):
                    self.insert_rows(table, [row for r in todo for row in getattr(r, attr)])
                self.set_meta("clusters_stale", "1")
        written = {id(r) for r in todo}
        return [id(r) in written for r in records]

    def write_article(self, rec: ArticleRecord) -> bool:
        """Store one article (see :meth:`write_articles`)."""
        return self.write_articles([rec])[0]

    def counts(self) -> dict[str, int]:
        """Row counts of the main tables."""
        out = {}
        for t in ("articles", "events", "mentions", "quotes", "places", "times", "clusters", "cluster_events"):
            out[t] = int(self.fetchone(f"SELECT count(*) FROM {t}")[0])
        return out

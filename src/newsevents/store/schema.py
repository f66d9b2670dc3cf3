"""The store's tables, one schema for DuckDB and PostgreSQL, with numbered migrations.

Each migration is a list of statements written once for both databases; ``{json}``, ``{blob}``
and ``{double}`` are replaced by each dialect's type names.  A ``(dialect, statement)`` pair runs
on that dialect only.  :func:`migrate` applies the ones a
database lacks, each in its own transaction, and records them in ``schema_version``.

Tables
------
articles       one row per stored article: ``key`` = hash of the normalised content hash and the
               URL (the idempotency key); ``status`` is ``coded`` (events extracted), ``copy``
               (same text under another URL) or ``near_duplicate`` (a wire copy with small edits);
               copies point to their original with ``duplicate_of``.
article_bands  MinHash LSH band keys of coded articles (near-duplicate candidates).
events         one row per coded event: the event JSON in ``json`` and its queried fields flat.
mentions       actor mentions (every resolved actor reference in an article).
quotes, places, times
               the other annotations of an article, when the pipeline gives them.
clusters       one row per real-world event: events of different articles with the same source,
               target, CAMEO root and date window; ``cluster_events`` lists their members.
meta           key/value state (e.g. whether clusters need rebuilding).
"""

from __future__ import annotations

SCHEMA_VERSION = 1

_V1 = [
    """CREATE TABLE IF NOT EXISTS meta (
        key TEXT PRIMARY KEY,
        value TEXT
    )""",
    """CREATE TABLE IF NOT EXISTS articles (
        key TEXT PRIMARY KEY,
        id TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        norm_hash TEXT NOT NULL,
        url TEXT,
        outlet TEXT,
        source TEXT,
        title TEXT,
        author TEXT,
        published DATE,
        source_path TEXT,
        language TEXT,
        status TEXT NOT NULL,
        duplicate_of TEXT,
        similarity {double},
        num_events INTEGER NOT NULL DEFAULT 0,
        num_words INTEGER,
        text TEXT NOT NULL,
        minhash {blob},
        ingested_at TIMESTAMP
    )""",
    "CREATE INDEX IF NOT EXISTS articles_norm_hash ON articles (norm_hash)",
    "CREATE INDEX IF NOT EXISTS articles_duplicate_of ON articles (duplicate_of)",
    """CREATE TABLE IF NOT EXISTS article_bands (
        band_key BIGINT NOT NULL,
        article_key TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS article_bands_key ON article_bands (band_key)",
    """CREATE TABLE IF NOT EXISTS events (
        id TEXT PRIMARY KEY,
        article_key TEXT NOT NULL,
        article_id TEXT NOT NULL,
        sentence INTEGER,
        day DATE,
        date_value TEXT,
        date_precision TEXT,
        source_code TEXT,
        source_country TEXT,
        source_role TEXT,
        source_name TEXT,
        source_text TEXT,
        target_code TEXT,
        target_country TEXT,
        target_role TEXT,
        target_name TEXT,
        target_text TEXT,
        source_actor TEXT NOT NULL,
        target_actor TEXT NOT NULL,
        predicate TEXT,
        cameo TEXT,
        cameo_label TEXT,
        root TEXT,
        plover_type TEXT,
        plover_mode TEXT,
        quad_class INTEGER,
        goldstein {double},
        modality TEXT,
        attributed_to TEXT,
        confidence {double},
        location_name TEXT,
        location_country TEXT,
        lat {double},
        lon {double},
        geonames_id BIGINT,
        evidence TEXT,
        evidence_start INTEGER,
        evidence_end INTEGER,
        json {json} NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS events_article ON events (article_key)",
    """CREATE TABLE IF NOT EXISTS mentions (
        article_key TEXT NOT NULL,
        seq INTEGER NOT NULL,
        sentence INTEGER,
        start_char INTEGER,
        end_char INTEGER,
        text TEXT,
        name TEXT,
        code TEXT,
        country TEXT,
        role TEXT,
        kind TEXT,
        via TEXT,
        PRIMARY KEY (article_key, seq)
    )""",
    """CREATE TABLE IF NOT EXISTS quotes (
        article_key TEXT NOT NULL,
        seq INTEGER NOT NULL,
        start_char INTEGER,
        end_char INTEGER,
        content TEXT,
        speaker_text TEXT,
        speaker_code TEXT,
        speaker_name TEXT,
        cue TEXT,
        direct BOOLEAN,
        json {json},
        PRIMARY KEY (article_key, seq)
    )""",
    """CREATE TABLE IF NOT EXISTS places (
        article_key TEXT NOT NULL,
        seq INTEGER NOT NULL,
        name TEXT,
        country TEXT,
        lat {double},
        lon {double},
        geonames_id BIGINT,
        text TEXT,
        start_char INTEGER,
        end_char INTEGER,
        PRIMARY KEY (article_key, seq)
    )""",
    """CREATE TABLE IF NOT EXISTS times (
        article_key TEXT NOT NULL,
        seq INTEGER NOT NULL,
        text TEXT,
        start_char INTEGER,
        end_char INTEGER,
        value TEXT,
        precision TEXT,
        type TEXT,
        PRIMARY KEY (article_key, seq)
    )""",
    # clusters are rebuilt whole: on DuckDB they carry no index (deleting indexed rows is slow
    # there, and rows are stored in dyad order so scans skip what they do not need)
    """CREATE TABLE IF NOT EXISTS clusters (
        id TEXT NOT NULL,
        source TEXT NOT NULL,
        target TEXT NOT NULL,
        root TEXT NOT NULL,
        day DATE NOT NULL,
        last_day DATE NOT NULL,
        cameo TEXT,
        cameo_label TEXT,
        plover_type TEXT,
        quad_class INTEGER,
        goldstein {double},
        source_code TEXT,
        target_code TEXT,
        source_name TEXT,
        target_name TEXT,
        num_events INTEGER NOT NULL,
        num_articles INTEGER NOT NULL,
        num_copies INTEGER NOT NULL,
        num_sources INTEGER NOT NULL,
        first_seen DATE,
        last_seen DATE,
        modalities TEXT,
        rep_event_id TEXT
    )""",
    """CREATE TABLE IF NOT EXISTS cluster_events (
        cluster_id TEXT NOT NULL,
        event_id TEXT NOT NULL
    )""",
    ("postgres", "CREATE UNIQUE INDEX IF NOT EXISTS clusters_id ON clusters (id)"),
    ("postgres", "CREATE INDEX IF NOT EXISTS clusters_dyad ON clusters (source, target, day)"),
    ("postgres", "CREATE INDEX IF NOT EXISTS cluster_events_cluster ON cluster_events (cluster_id)"),
    ("postgres", "CREATE INDEX IF NOT EXISTS cluster_events_event ON cluster_events (event_id)"),
]

# (version, description, statements)
MIGRATIONS: list[tuple[int, str, list]] = [
    (1, "articles, events, mentions, quotes, places, times, near-duplicate bands, clusters", _V1),
]

assert MIGRATIONS[-1][0] == SCHEMA_VERSION


class SchemaTooNew(RuntimeError):
    """The database was written by a newer newsevents than this one."""


def render(statement: str, types: dict[str, str]) -> str:
    return statement.format(**types)


def current_version(store) -> int:
    """The schema version a database is at (0 for a new one)."""
    store.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER PRIMARY KEY, description TEXT, applied_at TIMESTAMP)"
    )
    row = store.fetchone("SELECT max(version) FROM schema_version")
    return int(row[0]) if row and row[0] is not None else 0


def migrate(store) -> int:
    """Bring a database up to :data:`SCHEMA_VERSION`; returns the number of migrations applied."""
    have = current_version(store)
    if have > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"{store.label}: database schema version {have} is newer than this newsevents "
            f"(schema version {SCHEMA_VERSION}); upgrade newsevents to use it")
    applied = 0
    for version, description, statements in MIGRATIONS:
        if version <= have:
            continue
        with store.transaction():
            for stmt in statements:
                if isinstance(stmt, tuple):
                    dialect, stmt = stmt
                    if dialect != store.dialect:
                        continue
                store.execute(render(stmt, store.types))
            store.execute(
                "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, CURRENT_TIMESTAMP)",
                [version, description],
            )
        applied += 1
    return applied

"""Queries over a store, each returning a pandas DataFrame (the CLI and web layer print these).

- :func:`events`   coded events (one row per event mention), filtered;
- :func:`dyad`     a dyad's time series, counted from clusters (each real-world event once);
- :func:`actors`   the most active actors;
- :func:`clusters` event clusters with their evidence;
- :func:`articles` stored articles and how each was handled.

Actor filters take a country code (``JPN``) or a full actor code (``JPNGOV``); in :func:`dyad`
and :func:`clusters` actors are compared at the country level, as clusters are built.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from newsevents.model import MODALITIES
from newsevents.store.clusters import ensure_clusters
from newsevents.store.clusters import evidence as cluster_evidence

QUAD_NAMES = {1: "verbal_coop", 2: "material_coop", 3: "verbal_conflict", 4: "material_conflict"}
PERIODS = ("day", "week", "month", "year")

EVENT_FIELDS = (
    "id", "article_id", "article_key", "sentence", "day", "date_value", "date_precision",
    "source_code", "source_country", "source_role", "source_name", "source_text",
    "cameo", "cameo_label", "root", "plover_type", "plover_mode", "quad_class", "goldstein",
    "target_code", "target_country", "target_role", "target_name", "target_text",
    "predicate", "modality", "attributed_to", "confidence",
    "location_name", "location_country", "lat", "lon", "geonames_id",
    "evidence_start", "evidence_end", "evidence",
)


def _as_date(value: date | str | None, name: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{name}: {value!r} is not a date in YYYY-MM-DD form") from None


def _actor_filter(column_prefix: str, code: str | None, where: list[str], params: list[Any]) -> None:
    """Match a country code against the country (or code when it has none), else a code prefix."""
    if not code:
        return
    code = code.strip().upper()
    if len(code) == 3:
        where.append(f"{column_prefix}_actor = ?")
        params.append(code)
    else:
        where.append(f"{column_prefix}_code LIKE ?")
        params.append(code.replace("%", "").replace("_", "") + "%")


def _root(root: str | None) -> str | None:
    if root is None:
        return None
    r = str(root).strip()
    if not r.isdigit() or not 1 <= len(r) <= 2 or not 1 <= int(r) <= 20:
        raise ValueError(f"root: {root!r} is not a CAMEO root code (01 to 20)")
    return f"{int(r):02d}"


def events(store, source: str | None = None, target: str | None = None, root: str | None = None,
           since: date | str | None = None, until: date | str | None = None, modality: str | None = None,
           limit: int | None = None, with_json: bool = False) -> pd.DataFrame:
    """Coded events, newest day first, with the URL and outlet of their article and their cluster.

    Args:
        source, target: country (``JPN``) or actor code prefix (``JPNGOV``).
        root: CAMEO root code (``03`` or ``3``).
        since, until: first and last day (inclusive) of the event's day.
        modality: one of asserted, reported, alleged, negated, hypothetical, intended, historical
            (several separated by commas).
        limit: at most this many rows.
        with_json: add the event JSON (DESIGN.md's contract) as column ``json``.
    """
    where: list[str] = []
    params: list[Any] = []
    _actor_filter("e.source", source, where, params)
    _actor_filter("e.target", target, where, params)
    r = _root(root)
    if r:
        where.append("e.root = ?")
        params.append(r)
    s, u = _as_date(since, "since"), _as_date(until, "until")
    if s:
        where.append("e.day >= ?")
        params.append(s)
    if u:
        where.append("e.day <= ?")
        params.append(u)
    if modality:
        mods = [m.strip().lower() for m in modality.split(",") if m.strip()]
        bad = [m for m in mods if m not in MODALITIES]
        if bad:
            raise ValueError(f"modality: {', '.join(bad)} not one of {', '.join(MODALITIES)}")
        where.append("e.modality IN (" + ", ".join("?" * len(mods)) + ")")
        params.extend(mods)
    cols = ", ".join(f"e.{c}" for c in EVENT_FIELDS)
    extra = ", CAST(e.json AS TEXT) AS json" if with_json else ""
    sql = (f"SELECT {cols}, a.url, a.source AS outlet, a.published, ce.cluster_id{extra} "
           "FROM events e JOIN articles a ON a.key = e.article_key "
           "LEFT JOIN cluster_events ce ON ce.event_id = e.id")
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY e.day DESC NULLS LAST, e.article_key, e.evidence_start, e.id"
    if limit:
        sql += f" LIMIT {int(limit)}"
    ensure_clusters(store)
    return store.dataframe(sql, params)


def dyad(store, source: str, target: str, by: str = "day", since: date | str | None = None,
         until: date | str | None = None, both_directions: bool = False) -> pd.DataFrame:
    """A dyad's event series from clusters: each real-world event counted once.

    One row per period (``by`` = day, week (starting Monday), month or year) with events (clusters),
    a count per QuadClass (verbal_coop, material_coop, verbal_conflict, material_conflict), the
    Goldstein sum and mean over those events, and how many mentions and articles reported them.
    ``both_directions`` counts target->source too.
    """
    if by not in PERIODS:
        raise ValueError(f"by: {by!r} not one of {', '.join(PERIODS)}")
    src, tgt = source.strip().upper(), target.strip().upper()
    if both_directions:
        where = ["((source = ? AND target = ?) OR (source = ? AND target = ?))"]
        params: list[Any] = [src, tgt, tgt, src]
    else:
        where = ["source = ?", "target = ?"]
        params = [src, tgt]
    s, u = _as_date(since, "since"), _as_date(until, "until")
    if s:
        where.append("day >= ?")
        params.append(s)
    if u:
        where.append("day <= ?")
        params.append(u)
    period = "day" if by == "day" else f"CAST(date_trunc('{by}', day) AS DATE)"
    sql = f"""
        SELECT {period} AS period,
               count(*) AS events,
               sum(CASE WHEN quad_class = 1 THEN 1 ELSE 0 END) AS verbal_coop,
               sum(CASE WHEN quad_class = 2 THEN 1 ELSE 0 END) AS material_coop,
               sum(CASE WHEN quad_class = 3 THEN 1 ELSE 0 END) AS verbal_conflict,
               sum(CASE WHEN quad_class = 4 THEN 1 ELSE 0 END) AS material_conflict,
               sum(goldstein) AS goldstein_sum,
               avg(goldstein) AS goldstein_mean,
               sum(num_events) AS mentions,
               sum(num_articles) AS articles
        FROM clusters WHERE {' AND '.join(where)}
        GROUP BY 1 ORDER BY 1
    """
    ensure_clusters(store)
    df = store.dataframe(sql, params)
    for c in ("events", "verbal_coop", "material_coop", "verbal_conflict", "material_conflict", "mentions", "articles"):
        df[c] = df[c].astype("int64")
    for c in ("goldstein_sum", "goldstein_mean"):
        df[c] = df[c].astype("float64").round(3)
    df["period"] = pd.to_datetime(df["period"])
    return df


def actors(store, top: int = 20, role: str | None = None) -> pd.DataFrame:
    """The ``top`` actor codes by number of events they take part in (as source or target), with
    their most frequent name, country, the split source/target, and how often they are mentioned."""
    where, params = "", []
    if role:
        where, params = "WHERE role = ?", [role.strip().upper()]
    sql = f"""
        WITH sides AS (
            SELECT source_code AS code, source_country AS country, source_role AS role,
                   source_name AS name, 1 AS as_source, 0 AS as_target, id
            FROM events WHERE source_code IS NOT NULL
            UNION ALL
            SELECT target_code, target_country, target_role, target_name, 0, 1, id
            FROM events WHERE target_code IS NOT NULL
        ),
        names AS (
            SELECT code, name, row_number() OVER (PARTITION BY code ORDER BY count(*) DESC, name) AS rn
            FROM sides WHERE name IS NOT NULL GROUP BY code, name
        ),
        agg AS (
            SELECT code, min(country) AS country, min(role) AS role, count(DISTINCT id) AS events,
                   sum(as_source) AS as_source, sum(as_target) AS as_target
            FROM sides {where} GROUP BY code
        ),
        m AS (SELECT code, count(*) AS mentions FROM mentions GROUP BY code)
        SELECT agg.code, names.name, agg.country, agg.role, agg.events, agg.as_source, agg.as_target,
               coalesce(m.mentions, 0) AS mentions
        FROM agg LEFT JOIN names ON names.code = agg.code AND names.rn = 1
                 LEFT JOIN m ON m.code = agg.code
        ORDER BY agg.events DESC, mentions DESC, agg.code
        LIMIT {int(top)}
    """
    df = store.dataframe(sql, params)
    for c in ("events", "as_source", "as_target", "mentions"):
        df[c] = df[c].astype("int64")
    return df


def clusters(store, source: str | None = None, target: str | None = None, root: str | None = None,
             since: date | str | None = None, until: date | str | None = None, min_articles: int = 1,
             limit: int | None = None, window_days: int | None = None) -> pd.DataFrame:
    """Event clusters (see :mod:`newsevents.store.clusters`), most reported first.

    ``evidence`` is a list of dicts (event_id, url, outlet, published, sentence, start, end,
    cameo, modality, attributed_to, source_text, target_text); ``urls`` every report's URL,
    copies included.  ``window_days`` rebuilds the clusters with another date window first.
    """
    where: list[str] = ["num_articles >= ?"]
    params: list[Any] = [int(min_articles)]
    for col, code in (("source", source), ("target", target)):
        if code:
            where.append(f"{col} = ?")
            params.append(code.strip().upper())
    r = _root(root)
    if r:
        where.append("root = ?")
        params.append(r)
    s, u = _as_date(since, "since"), _as_date(until, "until")
    if s:
        where.append("day >= ?")
        params.append(s)
    if u:
        where.append("day <= ?")
        params.append(u)
    sql = ("SELECT id, source, target, root, cameo, cameo_label, plover_type, quad_class, goldstein, day, last_day, "
           "num_events, num_articles, num_copies, num_sources, first_seen, last_seen, modalities, "
           "source_code, target_code, source_name, target_name, rep_event_id FROM clusters WHERE "
           + " AND ".join(where) + " ORDER BY num_articles DESC, num_events DESC, day, id")
    if limit:
        sql += f" LIMIT {int(limit)}"
    ensure_clusters(store, window_days)
    df = store.dataframe(sql, params)
    ev, urls = cluster_evidence(store, list(df["id"]))
    df["evidence"] = [ev[c] for c in df["id"]]
    df["urls"] = [urls[c] for c in df["id"]]
    for c in ("num_events", "num_articles", "num_copies", "num_sources"):
        df[c] = df[c].astype("int64")
    return df


def articles(store, status: str | None = None, limit: int | None = None) -> pd.DataFrame:
    """Stored articles (without text): status coded/copy/near_duplicate and the original's key."""
    sql = ("SELECT key, id, url, source AS outlet, title, published, source_path, status, duplicate_of, "
           "similarity, num_events, num_words, ingested_at FROM articles")
    params: list[Any] = []
    if status:
        sql += " WHERE status = ?"
        params.append(status)
    sql += " ORDER BY ingested_at, key"
    if limit:
        sql += f" LIMIT {int(limit)}"
    return store.dataframe(sql, params)

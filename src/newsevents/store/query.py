"""Queries over a store, each returning a pandas DataFrame (the CLI, the Python API and the web
layer all read the database through these).

- :func:`events`   coded events (one row per event mention), filtered;
- :func:`dyad`     a dyad's time series, counted from clusters (each real-world event once);
- :func:`actors`   the most active actors;
- :func:`clusters` event clusters with their evidence;
- :func:`articles` stored articles and how each was handled.

Actor filters take a country code (``JPN``) or a full actor code (``JPNGOV``); in :func:`dyad`
and :func:`clusters` actors are compared at the country level, as clusters are built.
"""

from __future__ import annotations

import json
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

    :func:`search_events` has more filters and pagination; this is its plain form.
    """
    df, _ = search_events(store, source=source, target=target, root=root, modality=modality, since=since,
                          until=until, limit=limit, with_json=with_json, count=False)
    return df


def dyad(store, source: str, target: str, by: str = "day", since: date | str | None = None,
         until: date | str | None = None, both_directions: bool = False, modality: str | None = None) -> pd.DataFrame:
    """A dyad's event series from clusters: each real-world event counted once.

    One row per period (``by`` = day, week (starting Monday), month or year) with events (clusters),
    a count per QuadClass (verbal_coop, material_coop, verbal_conflict, material_conflict), the
    Goldstein sum and mean over those events, and how many mentions and articles reported them.
    ``both_directions`` counts target->source too.
    """
    mods = _modalities(modality)
    if modality and not mods:
        raise ValueError("modality: none given")
    period = _period_sql(by)
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
    if mods:
        # only the clusters with at least one event of these modalities ("asserted" leaves out what
        # was only reported, alleged, intended or recalled)
        where.append("id IN (SELECT ce.cluster_id FROM cluster_events ce JOIN events e ON e.id = ce.event_id "
                     "WHERE e.modality IN (" + ", ".join("?" * len(mods)) + "))")
        params.extend(mods)
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


QUAD_CLASSES = (1, 2, 3, 4)


def _modalities(modality: str | None) -> list[str]:
    """A comma-separated modality filter as a validated list ([] for none)."""
    if not modality:
        return []
    mods = [m.strip().lower() for m in str(modality).split(",") if m.strip()]
    bad = [m for m in mods if m not in MODALITIES]
    if bad:
        raise ValueError(f"modality: {', '.join(bad)} not one of {', '.join(MODALITIES)}")
    return mods


def _like(text: str) -> str:
    """A substring pattern for ILIKE ... ESCAPE '\\' that matches ``text`` literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _period_sql(by: str, column: str = "day") -> str:
    if by not in PERIODS:
        raise ValueError(f"by: {by!r} not one of {', '.join(PERIODS)}")
    return column if by == "day" else f"CAST(date_trunc('{by}', {column}) AS DATE)"


def _event_where(source=None, target=None, root=None, plover=None, quad_class=None, modality=None,
                 since=None, until=None, text=None, location=None, article=None, actor=None):
    where: list[str] = []
    params: list[Any] = []
    _actor_filter("e.source", source, where, params)
    _actor_filter("e.target", target, where, params)
    if actor:  # either side
        side_s: list[str] = []
        side_t: list[str] = []
        ps: list[Any] = []
        pt: list[Any] = []
        _actor_filter("e.source", actor, side_s, ps)
        _actor_filter("e.target", actor, side_t, pt)
        where.append(f"({side_s[0]} OR {side_t[0]})")
        params += ps + pt
    r = _root(root)
    if r:
        where.append("e.root = ?")
        params.append(r)
    if plover:
        where.append("e.plover_type = ?")
        params.append(str(plover).strip().upper())
    if quad_class is not None:
        q = int(quad_class)
        if q not in QUAD_CLASSES:
            raise ValueError(f"quad_class: {quad_class!r} not one of 1, 2, 3, 4")
        where.append("e.quad_class = ?")
        params.append(q)
    mods = _modalities(modality)
    if mods:
        where.append("e.modality IN (" + ", ".join("?" * len(mods)) + ")")
        params.extend(mods)
    s, u = _as_date(since, "since"), _as_date(until, "until")
    if s:
        where.append("e.day >= ?")
        params.append(s)
    if u:
        where.append("e.day <= ?")
        params.append(u)
    if text and text.strip():
        pat = _like(text.strip())
        where.append("(e.evidence ILIKE ? ESCAPE '\\' OR e.source_name ILIKE ? ESCAPE '\\' "
                     "OR e.target_name ILIKE ? ESCAPE '\\' OR e.attributed_to ILIKE ? ESCAPE '\\')")
        params += [pat, pat, pat, pat]
    if location:
        where.append("e.location_name = ?")
        params.append(location)
    if article:
        where.append("(e.article_key = ? OR e.article_id = ?)")
        params += [article, article]
    return where, params


def search_events(store, source: str | None = None, target: str | None = None, root: str | None = None,
                  plover: str | None = None, quad_class: int | None = None, modality: str | None = None,
                  since: date | str | None = None, until: date | str | None = None, text: str | None = None,
                  location: str | None = None, article: str | None = None, actor: str | None = None,
                  limit: int | None = 100, offset: int = 0, with_json: bool = False,
                  count: bool = True) -> tuple[pd.DataFrame, int]:
    """Events as :func:`newsevents.store.events` returns them (same columns, same order),
    with more filters and pagination; returns ``(page, total matching)``.

    Args:
        plover: PLOVER event type (``CONSULT``).
        quad_class: 1 to 4.
        text: case-insensitive substring of the evidence sentence, an actor name or the source
            the event is attributed to.
        location: exact location name.
        article: the article's key or id.
        actor: country or actor code on either side.
        limit, offset: the page (limit None: all).
    """
    where, params = _event_where(source, target, root, plover, quad_class, modality, since, until,
                                 text, location, article, actor)
    tail = (" WHERE " + " AND ".join(where)) if where else ""
    cols = ", ".join(f"e.{c}" for c in EVENT_FIELDS)
    extra = ", CAST(e.json AS TEXT) AS json" if with_json else ""
    sql = (f"SELECT {cols}, a.url, a.source AS outlet, a.published, ce.cluster_id{extra} "
           "FROM events e JOIN articles a ON a.key = e.article_key "
           "LEFT JOIN cluster_events ce ON ce.event_id = e.id" + tail +
           " ORDER BY e.day DESC NULLS LAST, e.article_key, e.evidence_start, e.id")
    if limit is not None:
        sql += f" LIMIT {max(0, int(limit))}"
    if offset:
        sql += f" OFFSET {max(0, int(offset))}"
    ensure_clusters(store)
    df = store.dataframe(sql, params)
    total = int(store.fetchone("SELECT count(*) FROM events e" + tail, params)[0]) if count else len(df)
    return df, total


def timeline(store, by: str = "month", since: date | str | None = None,
             until: date | str | None = None) -> pd.DataFrame:
    """Real-world events (clusters) per period and QuadClass over the whole store: columns period,
    quad_class, events, mentions, articles, goldstein_mean."""
    period = _period_sql(by)
    where, params = ["quad_class IS NOT NULL"], []
    s, u = _as_date(since, "since"), _as_date(until, "until")
    if s:
        where.append("day >= ?")
        params.append(s)
    if u:
        where.append("day <= ?")
        params.append(u)
    sql = (f"SELECT {period} AS period, quad_class, count(*) AS events, sum(num_events) AS mentions, "
           "sum(num_articles) AS articles, avg(goldstein) AS goldstein_mean FROM clusters WHERE "
           + " AND ".join(where) + " GROUP BY 1, 2 ORDER BY 1, 2")
    ensure_clusters(store)
    df = store.dataframe(sql, params)
    for c in ("quad_class", "events", "mentions", "articles"):
        df[c] = df[c].astype("int64")
    df["goldstein_mean"] = df["goldstein_mean"].astype("float64").round(3)
    df["period"] = pd.to_datetime(df["period"])
    return df


def dyads(store, top: int = 20, actor: str | None = None, since: date | str | None = None,
          until: date | str | None = None) -> pd.DataFrame:
    """The ``top`` directed dyads (source and target at the country level, as clusters are keyed)
    by real-world events, with a count per QuadClass, the mean Goldstein value, the reports behind
    them and their first and last day.  ``actor`` keeps the dyads it is a side of."""
    where, params = ["1 = 1"], []
    if actor:
        a = actor.strip().upper()
        where.append("(source = ? OR target = ?)")
        params += [a, a]
    s, u = _as_date(since, "since"), _as_date(until, "until")
    if s:
        where.append("day >= ?")
        params.append(s)
    if u:
        where.append("day <= ?")
        params.append(u)
    sql = f"""
        SELECT source, target, count(*) AS events,
               sum(CASE WHEN quad_class = 1 THEN 1 ELSE 0 END) AS verbal_coop,
               sum(CASE WHEN quad_class = 2 THEN 1 ELSE 0 END) AS material_coop,
               sum(CASE WHEN quad_class = 3 THEN 1 ELSE 0 END) AS verbal_conflict,
               sum(CASE WHEN quad_class = 4 THEN 1 ELSE 0 END) AS material_conflict,
               avg(goldstein) AS goldstein_mean, sum(num_events) AS mentions,
               sum(num_articles) AS articles, min(day) AS first_day, max(last_day) AS last_day
        FROM clusters WHERE {' AND '.join(where)}
        GROUP BY source, target
        ORDER BY events DESC, articles DESC, source, target
        LIMIT {int(top)}
    """
    ensure_clusters(store)
    df = store.dataframe(sql, params)
    for c in ("events", "verbal_coop", "material_coop", "verbal_conflict", "material_conflict", "mentions", "articles"):
        df[c] = df[c].astype("int64")
    df["goldstein_mean"] = df["goldstein_mean"].astype("float64").round(3)
    return df


ARTICLE_COLUMNS = ("key", "id", "url", "source AS outlet", "title", "author", "published", "source_path",
                   "language", "status", "duplicate_of", "similarity", "num_events", "num_words", "ingested_at")


def article(store, ref: str) -> dict[str, Any] | None:
    """One stored article by key (or id), with its normalised text and every annotation layer:
    ``{"article": {... "text"}, "events": DataFrame, "mentions", "quotes", "places", "times"}``.

    Offsets (``start_char``/``end_char``, ``evidence_start``...) index ``article["text"]``.  A copy
    or near-duplicate has no annotations of its own: ``duplicate_of`` names the coded original.
    None when no article has this key or id.
    """
    cols = ", ".join(ARTICLE_COLUMNS)
    df = store.dataframe(f"SELECT {cols}, text FROM articles WHERE key = ? OR id = ? "
                         "ORDER BY CASE WHEN key = ? THEN 0 ELSE 1 END, "
                         "CASE WHEN status = 'coded' THEN 0 ELSE 1 END, key LIMIT 1", [ref, ref, ref])
    if df.empty:
        return None
    art = df.to_dict("records")[0]
    key = art["key"]
    events, _ = search_events(store, article=key, limit=None, with_json=True)
    events = events.sort_values(["evidence_start", "id"], kind="stable").reset_index(drop=True)
    out: dict[str, Any] = {"article": art, "events": events}
    out["mentions"] = store.dataframe(
        "SELECT seq, sentence, start_char, end_char, text, name, code, country, role, kind, via "
        "FROM mentions WHERE article_key = ? ORDER BY start_char, seq", [key])
    quotes = store.dataframe(
        "SELECT seq, start_char, end_char, content, speaker_text, speaker_code, speaker_name, cue, direct, "
        "CAST(json AS TEXT) AS json FROM quotes WHERE article_key = ? ORDER BY start_char, seq", [key])
    # the cue span ("said") is only in the quote JSON
    cue_start, cue_end = [], []
    for raw in quotes["json"] if not quotes.empty else []:
        cue = (json.loads(raw) or {}).get("cue") if raw else None
        cue_start.append(cue.get("start") if cue else None)
        cue_end.append(cue.get("end") if cue else None)
    quotes = quotes.drop(columns=["json"])
    quotes["cue_start"], quotes["cue_end"] = pd.array(cue_start, dtype="Int64"), pd.array(cue_end, dtype="Int64")
    out["quotes"] = quotes
    out["places"] = store.dataframe(
        "SELECT seq, start_char, end_char, text, name, country, lat, lon, geonames_id "
        "FROM places WHERE article_key = ? ORDER BY start_char, seq", [key])
    out["times"] = store.dataframe(
        "SELECT seq, start_char, end_char, text, value, precision, type "
        "FROM times WHERE article_key = ? ORDER BY start_char, seq", [key])
    return out


def latest_articles(store, limit: int | None = 50, offset: int = 0,
                    status: str | None = None) -> tuple[pd.DataFrame, int]:
    """Stored articles (without text), newest publication first; ``(page, total)``."""
    where, params = "", []
    if status:
        where, params = " WHERE status = ?", [status]
    cols = ", ".join(c for c in ARTICLE_COLUMNS if c != "source_path")
    sql = (f"SELECT {cols} FROM articles{where} "
           "ORDER BY published DESC NULLS LAST, ingested_at DESC, key")
    if limit is not None:
        sql += f" LIMIT {max(0, int(limit))}"
    if offset:
        sql += f" OFFSET {max(0, int(offset))}"
    df = store.dataframe(sql, params)
    total = int(store.fetchone(f"SELECT count(*) FROM articles{where}", params)[0])
    return df, total


def _sides_sql(code: str, params: list[Any]) -> str:
    """Both sides of every event as rows (code, country, role, name, counterpart...), keeping those
    where ``code`` (a country or code prefix, as in :func:`newsevents.store.events`) is the side."""
    s_where: list[str] = []
    t_where: list[str] = []
    _actor_filter("e.source", code, s_where, params)
    _actor_filter("e.target", code, t_where, params)
    return f"""
        SELECT e.id, e.day, 'out' AS direction, e.source_code AS code, e.source_actor AS actor,
               e.source_name AS name, e.source_country AS country, e.source_role AS role,
               e.target_code AS other_code, e.target_actor AS other_actor, e.target_name AS other_name,
               e.quad_class, e.goldstein
        FROM events e WHERE {s_where[0]}
        UNION ALL
        SELECT e.id, e.day, 'in', e.target_code, e.target_actor, e.target_name, e.target_country,
               e.target_role, e.source_code, e.source_actor, e.source_name, e.quad_class, e.goldstein
        FROM events e WHERE {t_where[0]}
    """


def actor_names(store, code: str) -> pd.DataFrame:
    """The names events gave an actor (country or code prefix): one row per (code, name) with its
    country, role, number of events and first and last event day."""
    params: list[Any] = []
    sides = _sides_sql(code, params)
    sql = f"""
        SELECT code, name, min(country) AS country, min(role) AS role, count(DISTINCT id) AS events,
               min(day) AS first_day, max(day) AS last_day
        FROM ({sides}) s
        GROUP BY code, name
        ORDER BY events DESC, code, name
    """
    df = store.dataframe(sql, params)
    df["events"] = df["events"].astype("int64")
    return df


def actor_network(store, code: str, top: int = 30) -> pd.DataFrame:
    """Who an actor (country or code prefix) interacts with: one row per counterpart (for a country,
    the counterpart's country-level key; else its code, or that key when it has no code) with events to it (``out``), from it (``in``), a
    count per QuadClass, the mean Goldstein value and its most frequent name; most events first.
    Events of the actor with itself are left out."""
    params: list[Any] = []
    sides = _sides_sql(code, params)
    if len(code.strip()) == 3:  # a country: its partners are countries too
        partner, self_test = "other_actor", "actor = other_actor"
    else:
        partner, self_test = "coalesce(other_code, other_actor)", "coalesce(other_code, other_actor) = coalesce(code, actor)"
    sql = f"""
        WITH s AS ({sides}),
        p AS (SELECT {partner} AS partner, other_actor AS partner_country,
                     other_name, direction, quad_class, goldstein, id
              FROM s WHERE NOT ({self_test}) AND {partner} <> ''),
        names AS (
            SELECT partner, other_name AS name,
                   row_number() OVER (PARTITION BY partner ORDER BY count(*) DESC, other_name) AS rn
            FROM p WHERE other_name IS NOT NULL GROUP BY partner, other_name
        ),
        agg AS (
            SELECT partner, min(partner_country) AS partner_country, count(DISTINCT id) AS events,
                   sum(CASE WHEN direction = 'out' THEN 1 ELSE 0 END) AS out_events,
                   sum(CASE WHEN direction = 'in' THEN 1 ELSE 0 END) AS in_events,
                   sum(CASE WHEN quad_class = 1 THEN 1 ELSE 0 END) AS verbal_coop,
                   sum(CASE WHEN quad_class = 2 THEN 1 ELSE 0 END) AS material_coop,
                   sum(CASE WHEN quad_class = 3 THEN 1 ELSE 0 END) AS verbal_conflict,
                   sum(CASE WHEN quad_class = 4 THEN 1 ELSE 0 END) AS material_conflict,
                   avg(goldstein) AS goldstein_mean
            FROM p GROUP BY partner
        )
        SELECT agg.partner, names.name, agg.partner_country, agg.events, agg.out_events, agg.in_events,
               agg.verbal_coop, agg.material_coop, agg.verbal_conflict, agg.material_conflict,
               agg.goldstein_mean
        FROM agg LEFT JOIN names ON names.partner = agg.partner AND names.rn = 1
        ORDER BY agg.events DESC, agg.partner
        LIMIT {int(top)}
    """
    df = store.dataframe(sql, params)
    for col in ("events", "out_events", "in_events", "verbal_coop", "material_coop", "verbal_conflict",
                "material_conflict"):
        df[col] = df[col].astype("int64")
    df["goldstein_mean"] = df["goldstein_mean"].astype("float64").round(3)
    return df


def locations(store, since: date | str | None = None, until: date | str | None = None,
              modality: str | None = None, root: str | None = None, actor: str | None = None) -> pd.DataFrame:
    """Event locations (events with coordinates): one row per place and QuadClass with the number
    of events, the mean Goldstein value and the number of articles."""
    where, params = _event_where(root=root, modality=modality, since=since, until=until, actor=actor)
    where = ["e.lat IS NOT NULL", "e.lon IS NOT NULL", "e.quad_class IS NOT NULL"] + where
    sql = ("SELECT e.location_name AS name, e.location_country AS country, e.lat, e.lon, e.quad_class, "
           "count(*) AS events, avg(e.goldstein) AS goldstein_mean, count(DISTINCT e.article_key) AS articles, "
           "min(e.day) AS first_day, max(e.day) AS last_day "
           "FROM events e WHERE " + " AND ".join(where) +
           " GROUP BY e.location_name, e.location_country, e.lat, e.lon, e.quad_class"
           " ORDER BY events DESC, name, e.quad_class, country, e.lat, e.lon")
    df = store.dataframe(sql, params)
    for c in ("quad_class", "events", "articles"):
        df[c] = df[c].astype("int64")
    df["goldstein_mean"] = df["goldstein_mean"].astype("float64").round(3)
    return df


def stats(store) -> dict[str, Any]:
    """Row counts, articles by status, events by modality and QuadClass, the event date range and
    the schema version."""
    ensure_clusters(store)
    out: dict[str, Any] = {"counts": store.counts(), "schema_version": store.schema_version()}
    out["articles_by_status"] = {s: int(n) for s, n in store.fetchall(
        "SELECT status, count(*) FROM articles GROUP BY status ORDER BY status")}
    out["events_by_modality"] = {m: int(n) for m, n in store.fetchall(
        "SELECT modality, count(*) FROM events GROUP BY modality ORDER BY modality") if m}
    out["events_by_quad_class"] = {str(q): int(n) for q, n in store.fetchall(
        "SELECT quad_class, count(*) FROM events WHERE quad_class IS NOT NULL GROUP BY quad_class ORDER BY 1")}
    first, last = store.fetchone("SELECT min(day), max(day) FROM events")
    pub_first, pub_last = store.fetchone("SELECT min(published), max(published) FROM articles")
    out["event_days"] = {"first": first, "last": last}
    out["published"] = {"first": pub_first, "last": pub_last}
    out["actors"] = int(store.fetchone(
        "SELECT count(*) FROM (SELECT source_code AS c FROM events WHERE source_code IS NOT NULL "
        "UNION SELECT target_code FROM events WHERE target_code IS NOT NULL) x")[0])
    return out

"""Event clusters: one record per real-world event, however many articles report it.

Events of *different* articles that have the same source actor, target actor and CAMEO root and
fall in the same date window are one cluster.  Actors are compared at the country level (an
actor's country, else its code, e.g. ``IGOUNO``): one outlet's "Japan" and another's "Japanese
Prime Minister Fumio Kishida" are the same side of the same event.

Date windows, per (source, target, root): the distinct event days are split into runs where
consecutive days are at most ``window_days`` apart, and each run into spans of ``window_days``
days from its first day.  So a cluster never spans more than ``window_days`` days, and the result
depends only on the set of events (not on the order they were ingested), which keeps cluster ids
stable: ``cl-`` + a hash of (source, target, root, first day of the span).

Only events that say something happened or was said are clustered: negated and hypothetical
events are kept in ``events`` but are not counted (:data:`CLUSTER_MODALITIES`).  Events with no
date and no publication date cannot be placed in time and are left out.

A cluster keeps num_events (mentions), num_articles (coded articles), num_copies (copies and
near-duplicates of those articles, which were not coded again), num_sources (distinct outlets over
articles and copies), first_seen/last_seen (publication dates of the reports), and through
``cluster_events`` every member event, hence every evidence sentence with its offsets, URL and
outlet (:func:`evidence` reads them; :func:`newsevents.store.query.clusters` returns them with the
clusters).  The representative event (highest confidence) gives its CAMEO code, QuadClass and full
actor codes; its Goldstein value is the mean over its events.
"""

from __future__ import annotations

DEFAULT_WINDOW_DAYS = 3
CLUSTER_MODALITIES = ("asserted", "reported", "alleged", "intended", "historical")


def _modality_list() -> str:
    return ", ".join(f"'{m}'" for m in CLUSTER_MODALITIES)


def rebuild_clusters(store, window_days: int = DEFAULT_WINDOW_DAYS) -> int:
    """Recompute all clusters in one transaction; returns how many there are."""
    w = int(window_days)
    if w < 1:
        raise ValueError("window_days must be at least 1")
    assign = f"""
        INSERT INTO cluster_events (cluster_id, event_id)
        WITH ev AS (
            SELECT id, source_actor AS source, target_actor AS target, root, day FROM events
            WHERE day IS NOT NULL AND root IS NOT NULL AND modality IN ({_modality_list()})
        ),
        d AS (SELECT DISTINCT source, target, root, day FROM ev),
        g AS (
            SELECT source, target, root, day,
                   CASE WHEN lag(day) OVER w IS NULL OR day - lag(day) OVER w > {w} THEN 1 ELSE 0 END AS brk
            FROM d WINDOW w AS (PARTITION BY source, target, root ORDER BY day)
        ),
        i AS (
            SELECT source, target, root, day,
                   sum(brk) OVER (PARTITION BY source, target, root ORDER BY day ROWS UNBOUNDED PRECEDING) AS island
            FROM g
        ),
        s AS (
            SELECT source, target, root, day,
                   min(day) OVER (PARTITION BY source, target, root, island) AS island_start
            FROM i
        ),
        c AS (
            SELECT source, target, root, day,
                   island_start + CAST(FLOOR((day - island_start) * 1.0 / {w}) AS INTEGER) * {w} AS span_start
            FROM s
        )
        SELECT 'cl-' || substr(md5(c.source || '|' || c.target || '|' || c.root || '|' || CAST(c.span_start AS TEXT)), 1, 20),
               ev.id
        FROM ev JOIN c ON ev.source = c.source AND ev.target = c.target AND ev.root = c.root AND ev.day = c.day
    """
    # Aggregates with DISTINCT or ORDER BY are computed over rows made distinct first and in
    # groups of their own: mixed into one GROUP BY they are many times slower on DuckDB.  The
    # evidence itself is not copied here: it is read through cluster_events when asked for.
    build = """
        INSERT INTO clusters (id, source, target, root, day, last_day, cameo, cameo_label, plover_type,
            quad_class, goldstein, source_code, target_code, source_name, target_name, num_events,
            num_articles, num_copies, num_sources, first_seen, last_seen, modalities, rep_event_id)
        WITH m AS (
            SELECT ce.cluster_id, e.id, e.article_key, e.day, e.source_actor, e.target_actor, e.root, e.cameo,
                   e.cameo_label, e.plover_type, e.quad_class, e.goldstein, e.confidence, e.modality,
                   e.source_code, e.target_code, e.source_name, e.target_name
            FROM cluster_events ce JOIN events e ON e.id = ce.event_id
        ),
        agg AS (
            SELECT cluster_id, min(source_actor) AS source, min(target_actor) AS target, min(root) AS root,
                   min(day) AS day, max(day) AS last_day, avg(goldstein) AS goldstein, count(*) AS num_events
            FROM m GROUP BY cluster_id
        ),
        mods AS (
            SELECT cluster_id, string_agg(modality, ',' ORDER BY modality) AS modalities
            FROM (SELECT DISTINCT cluster_id, modality FROM m) d GROUP BY cluster_id
        ),
        rep AS (
            SELECT * FROM (
                SELECT cluster_id, id, cameo, cameo_label, plover_type, quad_class, source_code, target_code,
                       source_name, target_name,
                       row_number() OVER (PARTITION BY cluster_id ORDER BY confidence DESC, day, id) AS rn
                FROM m) x
            WHERE rn = 1
        ),
        r AS (  -- every report: the coded articles and their copies and near-duplicates, once each
            SELECT arts.cluster_id, a.key, a.source, a.published, a.status
            FROM (SELECT DISTINCT cluster_id, article_key FROM m) arts
            JOIN articles a ON coalesce(a.duplicate_of, a.key) = arts.article_key
        ),
        rs AS (
            SELECT cluster_id,
                   sum(CASE WHEN status = 'coded' THEN 1 ELSE 0 END) AS num_articles,
                   sum(CASE WHEN status <> 'coded' THEN 1 ELSE 0 END) AS num_copies,
                   min(published) AS first_seen, max(published) AS last_seen
            FROM r GROUP BY cluster_id
        ),
        srcs AS (
            SELECT cluster_id, count(*) AS num_sources
            FROM (SELECT DISTINCT cluster_id, coalesce(source, key) AS who FROM r) d GROUP BY cluster_id
        )
        SELECT agg.cluster_id, agg.source, agg.target, agg.root, agg.day, agg.last_day,
               rep.cameo, rep.cameo_label, rep.plover_type, rep.quad_class, agg.goldstein,
               rep.source_code, rep.target_code, rep.source_name, rep.target_name, agg.num_events,
               rs.num_articles, rs.num_copies, srcs.num_sources,
               coalesce(rs.first_seen, agg.day), coalesce(rs.last_seen, agg.last_day),
               mods.modalities, rep.id
        FROM agg JOIN rep ON rep.cluster_id = agg.cluster_id
                 JOIN rs ON rs.cluster_id = agg.cluster_id
                 JOIN srcs ON srcs.cluster_id = agg.cluster_id
                 JOIN mods ON mods.cluster_id = agg.cluster_id
        ORDER BY agg.source, agg.target, agg.day  -- stored in dyad order: DuckDB skips whole row groups
    """
    with store.transaction():
        store.clear_table("cluster_events")
        store.clear_table("clusters")
        store.execute(assign)
        store.execute(build)
        store.set_meta("clusters_stale", "0")
        store.set_meta("cluster_window_days", str(w))
    return int(store.fetchone("SELECT count(*) FROM clusters")[0])


def clusters_current(store, window_days: int | None = None) -> bool:
    """Whether the stored clusters reflect every stored event (with this window)."""
    if store.get_meta("clusters_stale") != "0":
        return False
    if window_days is not None and store.get_meta("cluster_window_days") != str(int(window_days)):
        return False
    return True


def ensure_clusters(store, window_days: int | None = None) -> bool:
    """Rebuild clusters when events changed since the last build (or the window differs).

    With ``window_days`` None, the window of the last build is kept (default for a new database).
    Returns True when a rebuild happened.
    """
    if clusters_current(store, window_days):
        return False
    if window_days is None:
        prev = store.get_meta("cluster_window_days")
        window_days = int(prev) if prev else DEFAULT_WINDOW_DAYS
    rebuild_clusters(store, window_days)
    return True


def evidence(store, cluster_ids: list[str]) -> tuple[dict[str, list[dict]], dict[str, list[str]]]:
    """Every evidence sentence of these clusters (in publication order) and every report's URL,
    copies and near-duplicates included: ({cluster id: [evidence]}, {cluster id: [urls]})."""
    ev: dict[str, list[dict]] = {c: [] for c in cluster_ids}
    urls: dict[str, list[str]] = {c: [] for c in cluster_ids}
    for i in range(0, len(cluster_ids), 500):
        chunk = cluster_ids[i:i + 500]
        marks = ", ".join("?" * len(chunk))
        rows = store.fetchall(f"""
            SELECT ce.cluster_id, e.id, e.article_key, a.url, a.source, a.published, e.day, e.evidence,
                   e.evidence_start, e.evidence_end, e.cameo, e.modality, e.attributed_to, e.source_text,
                   e.target_text
            FROM cluster_events ce JOIN events e ON e.id = ce.event_id JOIN articles a ON a.key = e.article_key
            WHERE ce.cluster_id IN ({marks})
            ORDER BY ce.cluster_id, a.published, e.article_key, e.evidence_start, e.id""", chunk)
        for (cid, eid, akey, url, outlet, published, day, sentence, start, end, cameo, modality, attributed,
             stext, ttext) in rows:
            ev[cid].append({
                "event_id": eid, "article_key": akey, "url": url, "outlet": outlet,
                "published": published.isoformat() if published else None,
                "day": day.isoformat() if day else None, "sentence": sentence, "start": start, "end": end,
                "cameo": cameo, "modality": modality, "attributed_to": attributed,
                "source_text": stext, "target_text": ttext,
            })
        rows = store.fetchall(f"""
            SELECT DISTINCT arts.cluster_id, a.url
            FROM (SELECT DISTINCT ce.cluster_id, e.article_key FROM cluster_events ce
                  JOIN events e ON e.id = ce.event_id WHERE ce.cluster_id IN ({marks})) arts
            JOIN articles a ON coalesce(a.duplicate_of, a.key) = arts.article_key
            WHERE a.url IS NOT NULL
            ORDER BY 1, 2""", chunk)
        for cid, url in rows:
            urls[cid].append(url)
    return ev, urls

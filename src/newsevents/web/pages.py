"""What each page shows, built once for its three forms: HTML, the JSON twin and the CSV table.

A builder takes the store and the request's validated arguments and returns a :class:`Page`:
``data`` is the JSON twin (``/dyads/USA/IRN.json``), ``table``/``columns`` the CSV download
(``/dyads/USA/IRN.csv``), ``html`` what only the template needs (chart specifications, text
segments).  Builders read the store only through :mod:`newsevents.store.query` and
:mod:`newsevents.web.queries`.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote, urlencode

from newsevents.model import MODALITIES
from newsevents.store import query
from newsevents.store.clusters import CLUSTER_MODALITIES
from newsevents.store.query import EVENT_FIELDS, PERIODS
from newsevents.web import charts, highlight, queries
from newsevents.web.util import (
    CODE_RE,
    EVENT_ID_RE,
    REF_RE,
    Args,
    BadRequest,
    NotFound,
    plain,
    records,
    safe_http_url,
)

PAGE_MAX = 1000  # rows per HTML/JSON page at most
CSV_MAX = 100_000  # rows per CSV download at most
EVENT_COLUMNS = list(EVENT_FIELDS) + ["url", "outlet", "published", "cluster_id"]
QUAD = charts.QUAD_LABELS


@dataclass
class Page:
    template: str
    title: str
    data: dict[str, Any]
    table: list[dict] | None = None
    columns: list[str] | None = None
    csv_name: str = "table"
    html: dict[str, Any] = field(default_factory=dict)
    nav: str = ""


@dataclass
class Redirect:
    url: str


# -- links ---------------------------------------------------------------------------------------


def link(path: str, **params: Any) -> str:
    """A same-site address: path segments quoted, empty parameters left out."""
    q = {k: v for k, v in params.items() if v not in (None, "", [])}
    return path + ("?" + urlencode(q, doseq=True) if q else "")


def actor_href(code: str | None) -> str | None:
    return f"/actors/{quote(code, safe='')}" if code and CODE_RE.match(code) else None


def dyad_href(a: str | None, b: str | None, **params: Any) -> str | None:
    if a and b and CODE_RE.match(a) and CODE_RE.match(b):
        return link(f"/dyads/{quote(a, safe='')}/{quote(b, safe='')}", **params)
    return None


def article_href(key: str | None, event_id: str | None = None) -> str | None:
    if not key or not REF_RE.match(key):
        return None
    return link(f"/articles/{quote(key, safe='')}", event=event_id) + ("#evidence" if event_id else "")


# -- knowledge base look-ups (names of countries, dated roles of people) --------------------------


@functools.lru_cache(maxsize=1)
def _countries():
    from newsevents.kb.countries import default_countries

    return default_countries()


def country_name(code: str | None) -> str | None:
    if not code or len(code) < 3:
        return None
    c = _countries().get(code[:3].upper())
    return c.name if c else None


@functools.lru_cache(maxsize=1)
def _leaders() -> tuple[dict[str, list], dict[str, list]]:
    from newsevents.kb.leaders import load_leaders, normalize_name

    by_name: dict[str, list] = defaultdict(list)
    by_code: dict[str, list] = defaultdict(list)
    for r in load_leaders():
        for form in (r.name, *r.aliases):
            by_name[normalize_name(form)].append(r)
        by_code[r.code].append(r)
    return by_name, by_code


def dated_roles(code: str, names: list[dict]) -> list[dict]:
    """Roles from the bundled leaders table: those of the people the actor's events name, and (for
    a full actor code) everyone who held that code while its events happened."""
    from newsevents.kb.leaders import normalize_name

    by_name, by_code = _leaders()
    out, seen = [], set()

    def add(role, why: str) -> None:
        k = (role.name, role.code, role.title, role.start)
        if k in seen:
            return
        seen.add(k)
        out.append({"name": role.name, "title": role.title, "code": role.code, "start": role.start.isoformat(),
                    "end": role.end.isoformat() if role.end else None, "why": why})

    for n in names:
        if n.get("name"):
            for role in by_name.get(normalize_name(n["name"]), []):
                add(role, "named in its events")
    firsts = [n["first_day"] for n in names if n.get("first_day")]
    lasts = [n["last_day"] for n in names if n.get("last_day")]
    if len(code) > 3 and firsts and lasts:
        first, last = date.fromisoformat(min(firsts)), date.fromisoformat(max(lasts))
        for role in by_code.get(code, []):
            if role.start <= last and (role.end is None or role.end > first):
                add(role, f"held {code} during its events")
    out.sort(key=lambda r: (r["name"], r["start"]))
    return out


# -- periods -------------------------------------------------------------------------------------


def period_start(d: date, by: str) -> date:
    if by == "week":
        return d - timedelta(days=d.weekday())
    if by == "month":
        return d.replace(day=1)
    if by == "year":
        return d.replace(month=1, day=1)
    return d


def period_end(start: date, by: str) -> date:
    if by == "week":
        return start + timedelta(days=6)
    if by == "month":
        nxt = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
        return nxt - timedelta(days=1)
    if by == "year":
        return start.replace(month=12, day=31)
    return start


def auto_period(first: Any, last: Any) -> str:
    """The period that gives a readable series over [first, last]."""
    if not first or not last:
        return "month"
    first, last = date.fromisoformat(str(first)[:10]), date.fromisoformat(str(last)[:10])
    days = (last - first).days
    if days > 6 * 365:
        return "year"
    if days > 120:
        return "month"
    if days > 21:
        return "week"
    return "day"


def _period_arg(args: Args, default: str = "auto") -> str:
    return args.choice("by", ("auto",) + PERIODS, default)


def _modality_arg(args: Args) -> str | None:
    m = args.str("modality", 120)
    if m in (None, "all"):
        return None
    try:
        queries._modalities(m)
    except ValueError as e:
        raise BadRequest(str(e)) from None
    return m


def _pages(total: int, limit: int, offset: int, make: Callable[..., str]) -> dict[str, Any]:
    nxt = make(offset=offset + limit) if offset + limit < total else None
    prev = make(offset=max(0, offset - limit) or None) if offset > 0 else None
    return {"total": total, "limit": limit, "offset": offset, "next": nxt, "prev": prev}


def _event_rows(df) -> list[dict]:
    rows = records(df, EVENT_COLUMNS)
    for r in rows:
        r["href"] = article_href(r.get("article_key"), r.get("id"))
        r["source_href"] = actor_href(r.get("source_code"))
        r["target_href"] = actor_href(r.get("target_code"))
        r["safe_url"] = safe_http_url(r.get("url"))
    return rows


# -- the pages -----------------------------------------------------------------------------------


def overview(store, args: Args, fmt: str) -> Page:
    st = plain(queries.stats(store))
    by = _period_arg(args)
    if by == "auto":
        by = auto_period(st["event_days"]["first"], st["event_days"]["last"])
    tl = records(queries.timeline(store, by))
    mods = ",".join(CLUSTER_MODALITIES)
    for r in tl:
        start = date.fromisoformat(r["period"])
        r["quad_label"] = QUAD.get(r["quad_class"])
        r["href"] = link("/events", since=start.isoformat(), until=period_end(start, by).isoformat(),
                         quad_class=r["quad_class"], modality=mods)
    actors = records(query.actors(store, top=10))
    for r in actors:
        r["href"] = actor_href(r["code"])
    dyads = records(queries.dyads(store, top=10))
    for r in dyads:
        r["href"] = dyad_href(r["source"], r["target"])
        r["source_name"], r["target_name"] = country_name(r["source"]), country_name(r["target"])
    arts, _ = queries.latest_articles(store, limit=10)
    latest = records(arts)
    for r in latest:
        r["href"] = article_href(r["key"])
    data = {"stats": st, "by": by, "timeline": tl, "top_actors": actors, "top_dyads": dyads,
            "latest_articles": latest}
    html = {"chart": {"id": "chart-timeline", "spec": charts.timeline(tl, by),
                      "label": f"Events per {by} by QuadClass; the same numbers are in the table below the chart"},
            "periods": PERIODS}
    return Page("overview.html", "Overview", data, table=tl,
                columns=["period", "quad_class", "quad_label", "events", "mentions", "articles", "goldstein_mean"],
                csv_name="timeline", html=html, nav="overview")


def _event_filters(args: Args) -> dict[str, Any]:
    f = {
        "source": args.code("source"), "target": args.code("target"), "actor": args.code("actor"),
        "root": args.str("root", 2), "plover": args.str("plover", 20),
        "quad_class": args.int("quad_class", None, 1, 4), "modality": _modality_arg(args),
        "since": args.date("since"), "until": args.date("until"), "text": args.str("q", 200),
        "location": args.str("location", 200), "article": args.str("article", 128),
    }
    if f["plover"]:
        from newsevents.coding.ontology import plover_types

        f["plover"] = f["plover"].upper()
        if f["plover"] not in plover_types():
            raise BadRequest(f"plover: {f['plover']!r} is not a PLOVER event type")
    return f


def events(store, args: Args, fmt: str) -> Page:
    f = _event_filters(args)
    limit = args.int("limit", 50, 1, PAGE_MAX)
    offset = args.int("offset", 0, 0, 10**9)
    if fmt == "csv":
        limit, offset = CSV_MAX, 0
    try:
        df, total = queries.search_events(store, limit=limit, offset=offset, **f)
    except ValueError as e:
        raise BadRequest(str(e)) from None
    rows = _event_rows(df)
    params = {("q" if k == "text" else k): v for k, v in f.items()}

    def make(offset=None):
        return link("/events", **params, limit=limit if limit != 50 else None, offset=offset)

    data = {"filters": params, **_pages(total, limit, offset, make), "events": rows}
    from newsevents.coding.ontology import cameo_codes, plover_types

    roots = [(c.code, c.label) for c in cameo_codes().values() if len(c.code) == 2]
    html = {"roots": roots, "plover_types": list(plover_types()), "modalities": MODALITIES, "quads": QUAD}
    return Page("events.html", "Events", data, table=rows, columns=EVENT_COLUMNS, csv_name="events",
                html=html, nav="events")


def dyads(store, args: Args, fmt: str) -> Page | Redirect:
    source, target = args.code("source"), args.code("target")
    if source and target:
        return Redirect(dyad_href(source, target, by=args.choice("by", ("auto",) + PERIODS, None),
                                  modality=args.str("modality", 120)))
    top = args.int("top", 50, 1, PAGE_MAX)
    actor = args.code("actor")
    rows = records(queries.dyads(store, top=top, actor=actor))
    for r in rows:
        r["href"] = dyad_href(r["source"], r["target"])
        r["source_name"], r["target_name"] = country_name(r["source"]), country_name(r["target"])
    keys = sorted({k for r in records(queries.dyads(store, top=PAGE_MAX)) for k in (r["source"], r["target"]) if k})
    data = {"top": top, "actor": actor, "dyads": rows}
    html = {"choices": [(k, country_name(k)) for k in keys]}
    return Page("dyads.html", "Dyads", data, table=rows,
                columns=["source", "target", "events", "verbal_coop", "material_coop", "verbal_conflict",
                         "material_conflict", "goldstein_mean", "mentions", "articles", "first_day", "last_day"],
                csv_name="dyads", html=html, nav="dyads")


def dyad(store, args: Args, fmt: str, a: str, b: str) -> Page:
    if not (CODE_RE.match(a) and CODE_RE.match(b)):
        raise NotFound("no such dyad: actor codes are letters and digits")
    a, b = a.upper(), b.upper()
    by = _period_arg(args)
    modality = _modality_arg(args)
    since, until = args.date("since"), args.date("until")
    mods = queries._modalities(modality)
    dirs = [("ab", a, b), ("ba", b, a)]
    labels = {k: f"{s} → {t}" for k, s, t in dirs}
    clusters = {k: query.clusters(store, source=s, target=t, since=since, until=until) for k, s, t in dirs}
    if by == "auto":
        days = [d for df in clusters.values() for d in list(df["day"]) + list(df["last_day"])]
        days = [plain(d) for d in days if plain(d)]
        by = auto_period(min(days), max(days)) if days else "month"
    series_rows: list[dict] = []
    quad_rows: list[dict] = []
    for k, s, t in dirs:
        df = queries.dyad(store, s, t, by=by, since=since, until=until, modality=modality)
        for r in records(df):
            anchor = f"p-{k}-{r['period']}"
            r.update(direction=labels[k], dir=k, href="#" + anchor, anchor=anchor, hint="show the events below")
            series_rows.append(r)
            for q, col in ((1, "verbal_coop"), (2, "material_coop"), (3, "verbal_conflict"), (4, "material_conflict")):
                if r[col]:
                    quad_rows.append({"period": r["period"], "direction": labels[k], "quad_class": q,
                                      "events": r[col], "href": r["href"], "hint": r["hint"]})
    groups: dict[tuple[str, str], dict] = {}
    for k, s, t in dirs:
        for c in records(clusters[k]):
            ev = [e for e in c["evidence"] if not mods or e.get("modality") in mods]
            if not ev:
                continue
            for e in ev:
                e["href"] = article_href(e.get("article_key"), e.get("event_id"))
                e["safe_url"] = safe_http_url(e.get("url"))
            c["evidence"] = ev
            c.pop("urls", None)
            p = period_start(date.fromisoformat(c["day"]), by).isoformat()
            g = groups.setdefault((k, p), {"dir": k, "direction": labels[k], "period": p,
                                           "anchor": f"p-{k}-{p}", "clusters": []})
            g["clusters"].append(c)
    group_list = sorted(groups.values(), key=lambda g: (g["period"], g["dir"]))
    table = []
    for g in group_list:
        for c in g["clusters"]:
            for e in c["evidence"]:
                table.append({"direction": g["direction"], "period": g["period"], "cluster_id": c["id"],
                              "cameo": c["cameo"], "cameo_label": c["cameo_label"], "quad_class": c["quad_class"],
                              "goldstein": c["goldstein"], "cluster_day": c["day"], "num_articles": c["num_articles"],
                              **{k2: e.get(k2) for k2 in ("event_id", "article_key", "day", "modality", "attributed_to",
                                                          "source_text", "target_text", "sentence", "outlet", "url",
                                                          "published")}})
    names = {a: country_name(a), b: country_name(b)}
    data = {"source": a, "target": b, "names": names, "by": by, "modality": modality or "all",
            "since": since, "until": until, "series": series_rows, "groups": group_list}
    dirs_list = [labels["ab"], labels["ba"]]
    html = {
        "charts": [
            {"id": "chart-goldstein", "spec": charts.dyad_goldstein(series_rows, dirs_list, by),
             "label": f"Goldstein mean per {by}, {labels['ab']} and {labels['ba']}; the numbers are in the table below"},
            {"id": "chart-quad", "spec": charts.dyad_quad(quad_rows, dirs_list, by),
             "label": f"Events per {by} by QuadClass, {labels['ab']} and {labels['ba']}"},
        ],
        "periods": PERIODS, "labels": labels,
        "swap_href": dyad_href(b, a, by=args.str("by", 10), modality=modality),
        "asserted_href": dyad_href(a, b, by=by, modality="asserted", since=since, until=until),
        "all_href": dyad_href(a, b, by=by, since=since, until=until),
    }
    title = f"{a} ⇄ {b}"
    return Page("dyad.html", title, data, table=table,
                columns=["direction", "period", "cluster_id", "cameo", "cameo_label", "quad_class", "goldstein",
                         "cluster_day", "num_articles", "event_id", "article_key", "day", "modality",
                         "attributed_to", "source_text", "target_text", "sentence", "outlet", "url", "published"],
                csv_name=f"dyad-{a}-{b}", html=html, nav="dyads")


def actors(store, args: Args, fmt: str) -> Page:
    top = args.int("top", 50, 1, PAGE_MAX)
    role = args.code("role")
    rows = records(query.actors(store, top=top, role=role))
    for r in rows:
        r["href"] = actor_href(r["code"])
        r["country_name"] = country_name(r.get("country"))
    return Page("actors.html", "Actors", {"top": top, "role": role, "actors": rows}, table=rows,
                columns=["code", "name", "country", "role", "events", "as_source", "as_target", "mentions"],
                csv_name="actors", nav="actors")


def actor(store, args: Args, fmt: str, code: str) -> Page:
    if not CODE_RE.match(code):
        raise NotFound("no such actor: actor codes are letters and digits")
    code = code.upper()
    names = records(queries.actor_names(store, code))
    if not names:
        raise NotFound(f"no events with actor {code}")
    limit = args.int("limit", 50, 1, PAGE_MAX)
    offset = args.int("offset", 0, 0, 10**9)
    if fmt == "csv":
        limit, offset = CSV_MAX, 0
    df, total = queries.search_events(store, actor=code, limit=limit, offset=offset)
    rows = _event_rows(df)
    net = records(queries.actor_network(store, code, top=30))
    for r in net:
        r["href"] = actor_href(r["partner"])
        r["dyad_href"] = dyad_href(code[:3], r["partner_country"]) if r.get("partner_country") else None
        if len(code) == 3:
            r["name"] = country_name(r["partner"]) or r.get("name")
    roles = dated_roles(code, names)

    def make(offset=None):
        return link(f"/actors/{code}", limit=limit if limit != 50 else None, offset=offset)

    data = {"code": code, "country": code[:3], "country_name": country_name(code), "names": names,
            "roles": roles, "network": net, **_pages(total, limit, offset, make), "events": rows}
    html = {"chart": {"id": "chart-network", "spec": charts.network(code, net),
                      "label": f"Network of {code}: its partners around it; the same data is in the partners table"},
            "dyads_href": link("/dyads", actor=code[:3])}
    return Page("actor.html", f"Actor {code}", data, table=rows, columns=EVENT_COLUMNS,
                csv_name=f"actor-{code}", html=html, nav="actors")


def articles(store, args: Args, fmt: str) -> Page:
    limit = args.int("limit", 50, 1, PAGE_MAX)
    offset = args.int("offset", 0, 0, 10**9)
    status = args.choice("status", ("coded", "copy", "near_duplicate"), None)
    if fmt == "csv":
        limit, offset = CSV_MAX, 0
    df, total = queries.latest_articles(store, limit=limit, offset=offset, status=status)
    rows = records(df)
    for r in rows:
        r["href"] = article_href(r["key"])
        r["safe_url"] = safe_http_url(r.get("url"))

    def make(offset=None):
        return link("/articles", status=status, limit=limit if limit != 50 else None, offset=offset)

    data = {"status": status, **_pages(total, limit, offset, make), "articles": rows}
    return Page("articles.html", "Articles", data, table=rows,
                columns=["key", "id", "url", "outlet", "title", "author", "published", "language", "status",
                         "duplicate_of", "similarity", "num_events", "num_words", "ingested_at"],
                csv_name="articles", nav="articles")


def article_data(store, ref: str) -> dict[str, Any]:
    """An article with its text and every annotation layer (the JSON twin and ``/api/articles/{id}``)."""
    if not REF_RE.match(ref):
        raise NotFound("no such article: article keys and ids are letters, digits, '-' and '_'")
    found = queries.article(store, ref)
    if found is None:
        raise NotFound(f"no article with key or id {ref!r}")
    art = plain(found["article"])
    evs = []
    for r in records(found["events"], ["json", "cluster_id"]):
        d = json.loads(r["json"])
        d["cluster_id"] = r.get("cluster_id")
        evs.append(d)
    return {"article": art, "events": evs, "mentions": records(found["mentions"]),
            "quotes": records(found["quotes"]), "places": records(found["places"]),
            "times": records(found["times"])}


def article(store, args: Args, fmt: str, ref: str) -> Page:
    data = article_data(store, ref)
    art = data["article"]
    selected = args.str("event", 64)
    if selected and not EVENT_ID_RE.match(selected):
        raise BadRequest("event: not an event id")
    spans = highlight.spans_from_layers(art["text"], data["events"], data["mentions"], data["quotes"],
                                        data["places"], data["times"])
    segs = highlight.segments(art["text"], spans, highlight=selected)
    events_view = []
    for e in data["events"]:
        src, tgt = e.get("source") or {}, e.get("target") or {}
        events_view.append({
            **e, "select_href": article_href(art["key"], e["id"]),
            "source_href": actor_href(src.get("code")), "target_href": actor_href(tgt.get("code")),
            "dyad_href": dyad_href((src.get("country") or src.get("code") or "")[:3] or None,
                                   (tgt.get("country") or tgt.get("code") or "")[:3] or None),
            "selected": e["id"] == selected, "quad_label": QUAD.get(e.get("quad_class")),
        })
    flat = []
    for e in data["events"]:
        src, tgt, loc = e.get("source") or {}, e.get("target") or {}, e.get("location") or {}
        flat.append({"id": e["id"], "sentence": e.get("sentence"), "date": e.get("date"),
                     "source_code": src.get("code"), "source_text": src.get("text"), "cameo": e.get("cameo"),
                     "cameo_label": e.get("cameo_label"), "target_code": tgt.get("code"),
                     "target_text": tgt.get("text"), "predicate": (e.get("predicate") or {}).get("text"),
                     "quad_class": e.get("quad_class"), "goldstein": e.get("goldstein"),
                     "modality": e.get("modality"), "attributed_to": e.get("attributed_to"),
                     "location_name": loc.get("name"), "confidence": e.get("confidence"),
                     "evidence_start": (e.get("evidence") or {}).get("start"),
                     "evidence_end": (e.get("evidence") or {}).get("end"),
                     "evidence": (e.get("evidence") or {}).get("text"), "cluster_id": e.get("cluster_id")})
    html = {"segments": segs, "events": events_view, "selected": selected,
            "safe_url": safe_http_url(art.get("url")), "legend": list(highlight.KINDS.values()),
            "original_href": article_href(art.get("duplicate_of"))}
    title = art.get("title") or art.get("source_path") or art["key"]
    return Page("article.html", title, data, table=flat, columns=list(flat[0]) if flat else ["id"],
                csv_name=f"article-{art['key']}-events", html=html, nav="articles")


def map_page(store, args: Args, fmt: str) -> Page:
    f = {"since": args.date("since"), "until": args.date("until"), "modality": _modality_arg(args),
         "root": args.str("root", 2), "actor": args.code("actor")}
    try:
        rows = records(queries.locations(store, **f))
    except ValueError as e:
        raise BadRequest(str(e)) from None
    for r in rows:
        r["quad_label"] = QUAD.get(r["quad_class"])
        r["href"] = link("/events", location=r["name"], quad_class=r["quad_class"], **f)
        r["hint"] = "list these events"
    data = {"filters": f, "locations": rows}
    html = {"chart": {"id": "chart-map", "spec": charts.world_map(rows),
                      "label": "World map of event locations by QuadClass; the same data is in the table below"},
            "modalities": MODALITIES}
    return Page("map.html", "Map", data, table=rows,
                columns=["name", "country", "lat", "lon", "quad_class", "quad_label", "events", "goldstein_mean",
                         "articles", "first_day", "last_day"], csv_name="locations", html=html, nav="map")


def clusters(store, args: Args, fmt: str) -> Page:
    f = {"source": args.code("source"), "target": args.code("target"), "root": args.str("root", 2),
         "since": args.date("since"), "until": args.date("until")}
    min_articles = args.int("min_articles", 1, 1, 10**6)
    limit = args.int("limit", 50, 1, PAGE_MAX)
    if fmt == "csv":
        limit = CSV_MAX
    try:
        df = query.clusters(store, min_articles=min_articles, limit=limit, **f)
    except ValueError as e:
        raise BadRequest(str(e)) from None
    rows = records(df)
    for r in rows:
        r["dyad_href"] = dyad_href(r["source"], r["target"])
        for e in r["evidence"]:
            e["href"] = article_href(e.get("article_key"), e.get("event_id"))
            e["safe_url"] = safe_http_url(e.get("url"))
    data = {"filters": {**f, "min_articles": min_articles}, "limit": limit, "clusters": rows}
    return Page("clusters.html", "Event clusters", data, table=rows,
                columns=list(df.columns), csv_name="clusters", nav="clusters")

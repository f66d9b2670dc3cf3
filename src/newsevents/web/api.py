"""The JSON API (``/api/...``), documented by OpenAPI at ``/docs``.

Each endpoint is a thin wrapper over :mod:`newsevents.store.query`, :mod:`newsevents.web.queries`
or a page builder of :mod:`newsevents.web.pages` (so ``/api/actors/JPN`` and ``/actors/JPN.json``
are the same data).  Events come as the event JSON of DESIGN.md's contract, with the article's
``url``, ``outlet``, ``published`` and the event's ``cluster_id`` added, as ``newsevents events
--format jsonl`` prints them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from newsevents.store import query
from newsevents.web import pages, queries
from newsevents.web.util import Args, BadRequest, plain, records

router = APIRouter(prefix="/api", tags=["api"])

Code = Annotated[str, Path(pattern=r"^[A-Za-z0-9]{2,20}$", description="Country (JPN) or actor code (JPNGOV).")]
DateQ = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD (inclusive).")]
CodeQ = Annotated[str | None, Query(pattern=r"^[A-Za-z0-9]{2,20}$",
                                       description="Country (JPN) or actor code prefix (JPNGOV).")]
RootQ = Annotated[str | None, Query(pattern=r"^\d{1,2}$", description="CAMEO root code, 01 to 20.")]
ModalityQ = Annotated[str | None, Query(max_length=120, description=(
    "asserted, reported, alleged, negated, hypothetical, intended, historical (comma-separated)."))]


def _access(request: Request):
    return request.app.state.access


def _run(request: Request, fn, *args, **kwargs):
    try:
        return _access(request).run(fn, *args, **kwargs)
    except BadRequest:
        raise
    except ValueError as e:  # a filter the query rejected (bad root, modality...)
        raise BadRequest(str(e)) from None


def _event_json(rows: list[dict]) -> list[dict]:
    out = []
    for r in rows:
        d = json.loads(r["json"])
        d.update({"url": r.get("url"), "outlet": r.get("outlet"), "published": r.get("published"),
                  "cluster_id": r.get("cluster_id")})
        out.append(d)
    return out


@router.get("/stats", summary="Counts, date range and schema version of the store")
def stats(request: Request) -> dict[str, Any]:
    return plain(_run(request, queries.stats))


@router.get("/events", summary="Events, filtered and paginated")
def events(
    request: Request,
    source: CodeQ = None,
    target: CodeQ = None,
    actor: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9]{2,20}$",
                                          description="Country or actor code on either side.")] = None,
    root: RootQ = None,
    plover: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2,20}$", description="PLOVER event type, e.g. CONSULT.")] = None,
    quad_class: Annotated[int | None, Query(ge=1, le=4, description="QuadClass 1-4.")] = None,
    modality: ModalityQ = None,
    since: DateQ = None,
    until: DateQ = None,
    q: Annotated[str | None, Query(max_length=200, description="Text in the evidence sentence, an actor name or the attributed source.")] = None,
    location: Annotated[str | None, Query(max_length=200, description="Exact location name.")] = None,
    article: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9_-]{1,128}$", description="Article key or id.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Coded events, newest day first: ``{"total", "limit", "offset", "next", "events": [...]}``;
    ``next`` is the address of the following page (null on the last)."""
    df, total = _run(request, queries.search_events, source=source, target=target, actor=actor, root=root,
                     plover=plover, quad_class=quad_class, modality=modality, since=since, until=until, text=q,
                     location=location, article=article, limit=limit, offset=offset, with_json=True)
    params = {k: v for k, v in request.query_params.items() if k != "offset"}
    nxt = pages.link("/api/events", **params, offset=offset + limit) if offset + limit < total else None
    return {"total": total, "limit": limit, "offset": offset, "next": nxt,
            "events": _event_json(records(df))}


@router.get("/clusters", summary="Event clusters (each real-world event once) with their evidence")
def clusters(
    request: Request,
    source: CodeQ = None,
    target: CodeQ = None,
    root: RootQ = None,
    since: DateQ = None,
    until: DateQ = None,
    min_articles: Annotated[int, Query(ge=1)] = 1,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """Clusters, most reported first; ``evidence`` lists every report's sentence with offsets."""
    df = _run(request, query.clusters, source=source, target=target, root=root, since=since, until=until,
              min_articles=min_articles, limit=limit)
    return {"limit": limit, "clusters": records(df)}


@router.get("/dyads", summary="The most active dyads")
def dyads(
    request: Request,
    top: Annotated[int, Query(ge=1, le=1000)] = 50,
    actor: CodeQ = None,
    since: DateQ = None,
    until: DateQ = None,
) -> dict[str, Any]:
    df = _run(request, queries.dyads, top=top, actor=actor, since=since, until=until)
    return {"dyads": records(df)}


@router.get("/dyads/{source}/{target}/series", summary="A dyad's event series")
def dyad_series(
    request: Request,
    source: Code,
    target: Code,
    by: Literal["day", "week", "month", "year"] = "week",
    since: DateQ = None,
    until: DateQ = None,
    both: Annotated[bool, Query(description="Count both directions together.")] = False,
    modality: ModalityQ = None,
) -> dict[str, Any]:
    """One row per period: events (clusters), a count per QuadClass, Goldstein sum and mean,
    mentions and articles, as ``newsevents dyad`` prints them.  ``modality`` keeps the clusters
    with at least one event of those modalities (``asserted``: stated as fact by the article)."""
    df = _run(request, queries.dyad, source, target, by=by, since=since, until=until, both_directions=both,
              modality=modality)
    return {"source": source.upper(), "target": target.upper(), "by": by, "both": both, "modality": modality,
            "series": records(df)}


@router.get("/actors", summary="The most active actors")
def actors(
    request: Request,
    top: Annotated[int, Query(ge=1, le=1000)] = 50,
    role: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2,5}$", description="GOV, MIL, ...")] = None,
) -> dict[str, Any]:
    df = _run(request, query.actors, top=top, role=role)
    return {"actors": records(df)}


@router.get("/actors/{code}", summary="One actor: names, dated roles, partners and events")
def actor(
    request: Request,
    code: Code,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """The same data as the actor page's JSON twin (``/actors/{code}.json``)."""
    page = _run(request, pages.actor, Args({"limit": str(limit), "offset": str(offset)}), "json", code)
    return page.data


@router.get("/articles", summary="Stored articles, newest first")
def articles(
    request: Request,
    status: Literal["coded", "copy", "near_duplicate"] | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    df, total = _run(request, queries.latest_articles, limit=limit, offset=offset, status=status)
    return {"total": total, "limit": limit, "offset": offset, "articles": records(df)}


@router.get("/articles/{ref}", summary="One article: normalised text and every annotation layer")
def article(
    request: Request,
    ref: Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{1,128}$", description="Article key (or id).")],
) -> dict[str, Any]:
    """``article`` (with ``text``), ``events`` (event JSON), ``mentions``, ``quotes``, ``places``,
    ``times``; every ``start``/``end``/``*_char`` offset indexes ``article.text``."""
    return _run(request, pages.article_data, ref)


@router.get("/locations", summary="Event locations with counts per QuadClass (the map's data)")
def locations(
    request: Request,
    since: DateQ = None,
    until: DateQ = None,
    modality: ModalityQ = None,
    root: RootQ = None,
    actor: CodeQ = None,
) -> dict[str, Any]:
    df = _run(request, queries.locations, since=since, until=until, modality=modality, root=root, actor=actor)
    return {"locations": records(df)}


ARTICLE_SCHEMA = {
    "type": "object",
    "required": ["text"],
    "properties": {
        "text": {"type": "string", "description": "The article text (plain text)."},
        "title": {"type": "string"}, "url": {"type": "string"}, "outlet": {"type": "string"},
        "author": {"type": "string"}, "published": {"type": "string", "format": "date"},
    },
}


bearer = HTTPBearer(auto_error=False, description="The token the server was started with (--token).")


def _check_token(request: Request, credentials: HTTPAuthorizationCredentials | None) -> None:
    token = request.app.state.token
    if token is None:
        raise HTTPException(403, "this server is read-only: start it with --token (or NEWSEVENTS_TOKEN) "
                                 "to accept articles")
    given = credentials.credentials if credentials and credentials.scheme.lower() == "bearer" else ""
    # compared as digests in constant time: neither the token nor its length leaks through timing
    ok = hmac.compare_digest(hashlib.sha256(given.encode()).digest(), hashlib.sha256(token.encode()).digest())
    if not given or not ok:
        raise HTTPException(401, "a valid token is needed: send 'Authorization: Bearer <token>'",
                            headers={"WWW-Authenticate": "Bearer"})


@router.post(
    "/articles",
    summary="Ingest one article or a batch (only with the server's token)",
    status_code=201,
    responses={200: {"description": "Nothing new stored"}, 201: {"description": "At least one article stored"},
               400: {"description": "Bad input"}, 401: {"description": "Missing or wrong token"},
               403: {"description": "Read-only server"}, 413: {"description": "Too large"},
               415: {"description": "Not JSON"}},
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {
        "oneOf": [ARTICLE_SCHEMA, {"type": "array", "items": ARTICLE_SCHEMA},
                  {"type": "object", "required": ["articles"],
                   "properties": {"articles": {"type": "array", "items": ARTICLE_SCHEMA}}}]}}}}},
)
async def post_articles(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)] = None,
) -> JSONResponse:
    """Code and store articles (``{"text": ..., "title", "url", "outlet", "author", "published"}``, a
    list of them, or ``{"articles": [...]}``; at most 50, each text at most 200,000 characters, the
    body at most 2 MB).  Returns counts and, per article, its status (new, duplicate, copy,
    near_duplicate, skipped, failed), key and address."""
    from newsevents.web.ingest import InputError, ingest_records, parse_records

    _check_token(request, credentials)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/json":
        raise HTTPException(415, "send the articles as JSON (Content-Type: application/json)")
    limit = request.app.state.max_body_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise HTTPException(413, f"request body over {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPException(413, f"request body over {limit} bytes")
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise HTTPException(400, f"the body is not valid JSON: {e}") from None
    try:
        items = parse_records(payload)
    except InputError as e:
        raise HTTPException(413 if e.too_large else 400, str(e)) from None
    result = await run_in_threadpool(ingest_records, request.app.state.access, items, request.app.state.pipeline)
    status = 201 if result.get("new") or result.get("copies") or result.get("near_duplicate") else 200
    return JSONResponse(plain(result), status_code=status)

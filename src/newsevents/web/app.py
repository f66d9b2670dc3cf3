"""The web app: a JSON API and server-rendered pages over one store.

>>> from newsevents.web.app import create_app          # doctest: +SKIP
>>> app = create_app("news.duckdb")                     # doctest: +SKIP

Every page has JSON and CSV twins at the same path with ``.json``/``.csv`` appended
(``/dyads/USA/IRN``, ``/dyads/USA/IRN.json``, ``/dyads/USA/IRN.csv``; the overview's are
``/index.json`` and ``/index.csv``), built from the same data (:mod:`newsevents.web.pages`).
The API lives under ``/api`` (:mod:`newsevents.web.api`), documented at ``/docs``.

Read-only unless started with a token: then ``POST /api/articles`` ingests articles sent with
``Authorization: Bearer <token>``.  Responses carry a strict Content-Security-Policy (scripts from
this server only), so even a mistake in escaping could not run a script from an article.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.staticfiles import StaticFiles

from newsevents.web import pages
from newsevents.web.util import Args, BadRequest, NotFound, split_format, to_csv

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
TEMPLATE_DIR = WEB_DIR / "templates"

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       "form-action 'self'")
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]", "::1"]


class StoreAccess:
    """One open store shared by the request threads, one request at a time (a DuckDB or psycopg
    connection is not for concurrent use)."""

    def __init__(self, db: str | None, create: bool):
        from newsevents.store import open_store

        self.store = open_store(db, create=create)
        self.label = self.store.label
        self.lock = threading.RLock()

    def run(self, fn: Callable, *args, **kwargs):
        with self.lock:
            return fn(self.store, *args, **kwargs)

    def close(self) -> None:
        with self.lock:
            self.store.close()


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every response (plain ASGI: streams pass untouched)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for k, v in SECURITY_HEADERS.items():
                    if k not in headers:
                        headers[k] = v
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _templates():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
                             autoescape=jinja2.select_autoescape(("html",), default_for_string=True,
                                                                 default=True),
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.ChainableUndefined)
    env.globals.update(quad_labels=pages.QUAD, quad_short=pages.charts.QUAD_SHORT)

    def num(v: Any, digits: int = 2) -> str:
        if v is None:
            return ""
        if isinstance(v, float):
            return f"{v:+.{digits}f}" if digits else f"{v:.0f}"
        return str(v)

    env.filters["num"] = num
    return env


def _json_response(data: Any, status: int = 200, headers: dict | None = None) -> Response:
    body = json.dumps(data, ensure_ascii=False, default=str, allow_nan=False)
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def _wants_data(path: str) -> bool:
    return path.startswith("/api/") or path.endswith((".json", ".csv")) or path in ("/openapi.json",)


def _twin_urls(request: Request) -> tuple[str, str]:
    path = request.url.path
    base = "/index" if path == "/" else path
    qs = request.url.query
    return (f"{base}.json" + (f"?{qs}" if qs else ""), f"{base}.csv" + (f"?{qs}" if qs else ""))


_CSV_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def create_app(db: str | None, token: str | None = None, cors: Sequence[str] | None = None, *,
               allowed_hosts: Sequence[str] | None = None, max_body_bytes: int | None = None,
               pipeline=None) -> FastAPI:
    """The app over the store ``db`` (a DuckDB file or a ``postgresql://`` URL).

    Args:
        token: enables ``POST /api/articles`` for requests that send it as a Bearer token; None
            (the default) keeps the server read-only.
        cors: origins allowed to call the API from a browser (``["https://example.org"]``); none
            by default (no CORS headers at all).
        allowed_hosts: Host header values to answer (``newsevents serve`` passes the loopback
            names when it listens on loopback, against DNS rebinding); None accepts any.
        max_body_bytes: the largest ``POST`` body (default 2 MB).
        pipeline: the :class:`~newsevents.pipeline.Pipeline` that codes posted articles (default:
            :func:`newsevents.pipeline.default_pipeline`, loaded at the first post).

    Raises:
        newsevents.store.StoreError: the database cannot be opened (or, read-only, does not exist).
    """
    from newsevents.web import api
    from newsevents.web.ingest import MAX_BODY_BYTES

    access = StoreAccess(db, create=bool(token))
    env = _templates()

    @asynccontextmanager
    async def lifespan(_app):
        yield
        access.close()

    app = FastAPI(
        title="newsevents",
        summary="Political event data with evidence: events, clusters, dyads, actors, articles.",
        description=("JSON API over a newsevents store. Every HTML page of this server also has a JSON "
                     "twin (the same path plus `.json`) and a CSV download (`.csv`). Read-only unless "
                     "the server was started with a token."),
        version=_version(),
        docs_url=None, redoc_url=None, openapi_url="/openapi.json", lifespan=lifespan,
    )
    app.state.access = access
    app.state.token = token or None
    app.state.max_body_bytes = int(max_body_bytes or MAX_BODY_BYTES)
    app.state.templates = env
    app.state.pipeline = pipeline

    if allowed_hosts:
        from starlette.middleware.trustedhost import TrustedHostMiddleware

        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    if cors:
        from starlette.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(cors), allow_credentials=False,
                           allow_methods=["GET", "POST"] if token else ["GET"],
                           allow_headers=["Authorization", "Content-Type"] if token else [])
    app.add_middleware(SecurityHeaders)

    def render_error(request: Request, status: int, message: str, headers: dict | None = None) -> Response:
        if _wants_data(request.url.path):
            return _json_response({"detail": message}, status, headers)
        html = env.get_template("error.html").render(title=f"{status}", status=status, message=message, nav="")
        return HTMLResponse(html, status_code=status, headers=headers)

    @app.exception_handler(BadRequest)
    async def bad_request(request: Request, exc: BadRequest):
        return render_error(request, 400, str(exc))

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound):
        return render_error(request, 404, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = "nothing at this address"
        return render_error(request, exc.status_code, message, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception):
        from newsevents.store import StoreError

        if isinstance(exc, StoreError):
            return render_error(request, 503, f"the database cannot be used: {exc}")
        import logging

        logging.getLogger("newsevents.web").exception("error serving %s", request.url.path)
        return render_error(request, 500, "internal error (see the server log)")

    def respond(request: Request, page, fmt: str) -> Response:
        if isinstance(page, pages.Redirect):
            return RedirectResponse(page.url, status_code=303)
        if fmt == "json":
            return _json_response(page.data)
        if fmt == "csv":
            name = _CSV_NAME.sub("-", page.csv_name)[:80] or "table"
            return Response(to_csv(page.table or [], page.columns or []), media_type="text/csv; charset=utf-8",
                            headers={"content-disposition": f'attachment; filename="{name}.csv"'})
        json_url, csv_url = _twin_urls(request)
        html = env.get_template(page.template).render(
            title=page.title, nav=page.nav, data=page.data, h=page.html, json_url=json_url,
            csv_url=csv_url if page.columns else None, path=request.url.path, store_label=access.label,
            read_only=app.state.token is None)
        return HTMLResponse(html)

    def add_page(path: str, builder: Callable, *, suffixed_param: str | None = None) -> None:
        """Register ``path`` (and its ``.json``/``.csv`` twins) for ``builder``."""

        def endpoint(request: Request) -> Response:
            params = dict(request.path_params)
            fmt = "html"
            if suffixed_param:
                params[suffixed_param], fmt = split_format(params[suffixed_param])
            elif request.url.path != path:
                fmt = request.url.path.rsplit(".", 1)[1]
            args = Args(request.query_params)
            page = access.run(builder, args, fmt, **params)
            return respond(request, page, fmt)

        endpoint.__name__ = f"page_{builder.__name__}"
        if suffixed_param:
            app.add_api_route(path, endpoint, methods=["GET"], include_in_schema=False)
        else:
            twin_base = "/index" if path == "/" else path
            for p in (path, twin_base + ".json", twin_base + ".csv"):
                app.add_api_route(p, endpoint, methods=["GET"], include_in_schema=False)

    add_page("/", pages.overview)
    add_page("/events", pages.events)
    add_page("/dyads", pages.dyads)
    add_page("/dyads/{a}/{b}", pages.dyad, suffixed_param="b")
    add_page("/actors", pages.actors)
    add_page("/actors/{code}", pages.actor, suffixed_param="code")
    add_page("/articles", pages.articles)
    add_page("/articles/{ref}", pages.article, suffixed_param="ref")
    add_page("/map", pages.map_page)
    add_page("/clusters", pages.clusters)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(env.get_template("docs.html").render(title="API", nav="api"))

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response((STATIC_DIR / "favicon.svg").read_bytes(), media_type="image/svg+xml")

    app.include_router(api.router)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    return app


def _version() -> str:
    try:
        from newsevents import __version__

        return __version__
    except ImportError:  # pragma: no cover
        return "0"


def app_from_env() -> FastAPI:
    """An app configured by environment variables (``uvicorn --factory newsevents.web.app:app_from_env``):
    NEWSEVENTS_DB, NEWSEVENTS_TOKEN, NEWSEVENTS_CORS (comma-separated origins)."""
    cors = [o.strip() for o in os.environ.get("NEWSEVENTS_CORS", "").split(",") if o.strip()]
    return create_app(os.environ.get("NEWSEVENTS_DB"), os.environ.get("NEWSEVENTS_TOKEN") or None, cors or None)

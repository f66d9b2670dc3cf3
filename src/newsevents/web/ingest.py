"""``POST /api/articles``: code and store articles sent to the server (only with its token).

The same steps as ``newsevents ingest``, through the same Python API: records become articles as
the JSON reader makes them (:func:`newsevents.ingest.readers.article_from_record`), non-English
ones are skipped (:func:`newsevents.ingest.lang.is_english`), coding is
:func:`newsevents.ingest_run.code_articles` and storing :func:`newsevents.ingest_run.store_annotations`
(de-duplication, one transaction per batch, clusters rebuilt).
"""

from __future__ import annotations

import threading
from typing import Any

MAX_BODY_BYTES = 2 * 1024 * 1024  # one request
MAX_ARTICLES = 50  # articles per request
MAX_TEXT_CHARS = 200_000  # characters per article text

_pipeline_lock = threading.Lock()


class InputError(ValueError):
    """A request body that cannot be ingested (a 400, or 413 when ``too_large``)."""

    def __init__(self, message: str, too_large: bool = False):
        super().__init__(message)
        self.too_large = too_large


def parse_records(body: Any, max_articles: int = MAX_ARTICLES, max_text: int = MAX_TEXT_CHARS) -> list[dict]:
    """The article records of a request body: one object with ``text``, a list of them, or
    ``{"articles": [...]}``."""
    if isinstance(body, dict) and "articles" in body:
        body = body["articles"]
    items = body if isinstance(body, list) else [body]
    if not items:
        raise InputError("no articles: send an object with 'text', a list of them, or {'articles': [...]}")
    if len(items) > max_articles:
        raise InputError(f"{len(items)} articles in one request; at most {max_articles}", too_large=True)
    for i, it in enumerate(items):
        if not isinstance(it, dict):
            raise InputError(f"article {i}: expected a JSON object, got {type(it).__name__}")
        text = it.get("text")
        if not isinstance(text, str) or not text.strip():
            raise InputError(f"article {i}: 'text' must be a non-empty string")
        if len(text) > max_text:
            raise InputError(f"article {i}: text of {len(text)} characters; at most {max_text}", too_large=True)
        for k in ("title", "url", "outlet", "author", "published"):
            if it.get(k) is not None and not isinstance(it[k], str):
                raise InputError(f"article {i}: '{k}' must be a string")
        if it.get("published"):
            from datetime import date

            try:
                date.fromisoformat(it["published"][:10])
            except ValueError:
                raise InputError(f"article {i}: published {it['published']!r} is not a YYYY-MM-DD date") from None
    return items


def _lookup(store, article) -> tuple | None:
    return store.fetchone(
        "SELECT key, status, duplicate_of, num_events FROM articles WHERE id = ? AND url IS NOT DISTINCT FROM ? "
        "ORDER BY key LIMIT 1", [article.id, article.url])


def ingest_records(access, items: list[dict], pipeline=None) -> dict[str, Any]:
    """Code and store validated records with ``pipeline`` (default: the process's default
    pipeline); returns a summary and one result per record."""
    from newsevents.ingest import ReadError
    from newsevents.ingest.lang import is_english, language_skip_reason
    from newsevents.ingest.readers import article_from_record
    from newsevents.ingest_run import code_articles, store_annotations
    from newsevents.pipeline import default_pipeline

    results: list[dict[str, Any]] = [{"index": i} for i in range(len(items))]
    todo = []
    for i, it in enumerate(items):
        try:
            art = article_from_record(it, f"POST /api/articles [{i}]")
        except ReadError as e:
            results[i].update(status="failed", reason=e.reason)
            continue
        ok, lang, conf = is_english(art.text)
        if not ok:
            results[i].update(status="skipped", reason=language_skip_reason(lang, conf))
            continue
        todo.append((i, art))
    coded = []
    if todo:
        with _pipeline_lock:  # one spaCy pipeline per process, used by one thread at a time
            out = code_articles(pipeline or default_pipeline(), [a for _, a in todo])
        for (i, art), res in zip(todo, out, strict=True):
            if isinstance(res, str):
                results[i].update(status="failed", reason=res)
            else:
                coded.append((i, art, res))
    summary: dict[str, Any] = {}
    if coded:
        with access.lock:
            store = access.store
            before = {i: _lookup(store, art) for i, art, _ in coded}
            s = store_annotations(store, [ann for _, _, ann in coded])
            for i, art, _ in coded:
                row = _lookup(store, art)
                if row is None:
                    results[i].update(status="failed", reason="not stored")
                    continue
                key, status, dup_of, n_events = row
                results[i].update(status="duplicate" if before[i] else ("new" if status == "coded" else status),
                                  key=key, events=int(n_events or 0), duplicate_of=dup_of,
                                  href=f"/articles/{key}", api=f"/api/articles/{key}")
            summary = {"new": s.new, "duplicate": s.duplicate, "copies": s.copies,
                       "near_duplicate": s.near_duplicate, "events": s.events, "clusters": s.clusters}
    counts = {"received": len(items),
              "skipped": sum(1 for r in results if r.get("status") == "skipped"),
              "failed": sum(1 for r in results if r.get("status") == "failed")}
    return {"new": 0, "duplicate": 0, "copies": 0, "near_duplicate": 0, "events": 0, **summary, **counts,
            "articles": results}

"""Plug HTML, feeds, WARC and URLs into :func:`newsevents.ingest.read_paths`.

:func:`register` adds readers to the dispatch in :mod:`newsevents.ingest.readers`:

- ``.html .htm .xhtml``: one article per page (trafilatura);
- ``.rss .atom .xml``: a feed, items with full content read directly, the
  pages of the others fetched (a ``.xml`` file holding an XHTML page is read
  as a page);
- ``.warc`` (and so ``.warc.gz``): the HTML responses of a web archive;
- ``http://`` and ``https://`` arguments: fetched, then read as a feed or a
  page according to what comes back (needs ``readers.register_url_reader``).

Linked pages and URLs are fetched with one shared, polite
:class:`~newsevents.ingest.http.Fetcher` (robots.txt, per-host spacing,
retries), created on first use; :func:`register` can be given another.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from newsevents.ingest import readers
from newsevents.ingest.feeds import articles_from_feed, looks_like_feed, parse_feed, read_feed_file
from newsevents.ingest.html import article_from_html, read_html_file
from newsevents.ingest.readers import ReadError
from newsevents.ingest.warc import read_warc_file
from newsevents.model import Article

if TYPE_CHECKING:  # httpx is imported when the first page is fetched, not before
    from newsevents.ingest.http import Fetcher

__all__ = ["HTML_EXTENSIONS", "FEED_EXTENSIONS", "WARC_EXTENSIONS", "default_fetcher", "is_url", "read_url",
           "register", "set_default_fetcher"]

HTML_EXTENSIONS = (".html", ".htm", ".xhtml")
FEED_EXTENSIONS = (".rss", ".atom", ".xml")
WARC_EXTENSIONS = (".warc",)  # ".warc.gz" arrives as ".warc" with the gzip flag

OnError = Callable[[ReadError], None]

_fetcher: Fetcher | None = None
_fetch_linked = True
_lock = threading.Lock()


def is_url(name: str) -> bool:
    return name[:8].lower().startswith(("http://", "https://"))


def default_fetcher() -> Fetcher:
    """The shared fetcher for linked pages and URL arguments (created on first use)."""
    global _fetcher
    from newsevents.ingest.http import Fetcher

    with _lock:
        if _fetcher is None:
            _fetcher = Fetcher()
        return _fetcher


def set_default_fetcher(fetcher: Fetcher | None) -> None:
    """Use ``fetcher`` from now on (None: a new default one on next use)."""
    global _fetcher
    with _lock:
        _fetcher = fetcher


def read_url(
    url: str,
    published: date | None = None,
    on_error: OnError | None = None,
    *,
    fetcher: Fetcher | None = None,
) -> Iterator[Article]:
    """Articles behind a URL: a feed's items or one page.

    Raises:
        ReadError: the URL cannot be fetched, or what it returns is neither
            a feed nor an HTML page (an item's failure goes to ``on_error``).
    """
    f = fetcher or default_fetcher()
    resp = f.fetch(url)
    if looks_like_feed(resp.content, resp.content_type):
        feed = parse_feed(resp.content, url, content_type=resp.content_type, base_url=resp.url)
        if not feed.items:
            raise feed.no_items_error()
        return articles_from_feed(feed, fetcher=f, published=published, on_error=on_error,
                                  fetch_linked=_fetch_linked)
    media = resp.media_type
    if media and media not in ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml"):
        raise ReadError(url, f"content type {media} is neither an HTML page nor a feed")
    head = readers._binary_reason(resp.content[:8192])  # noqa: SLF001 - one definition of "binary"
    if head:
        raise ReadError(url, head)
    return iter([article_from_html(resp.content, url, url=resp.url, content_type=resp.content_type,
                                   published=published)])


def _feed_reader(path: Path, label: str, published: date | None, on_error: OnError | None):
    return read_feed_file(path, label, published, on_error, fetcher=default_fetcher() if _fetch_linked else None,
                          fetch_linked=_fetch_linked)


def _register(ext: str, fn, *, binary: bool = False) -> None:
    # readers.register_reader may learn a flag to skip its text sniff for binary formats.
    params = inspect.signature(readers.register_reader).parameters
    if binary and "binary" in params:
        readers.register_reader(ext, fn, binary=True)
    else:
        readers.register_reader(ext, fn)


def register(*, fetcher: Fetcher | None = None, fetch_linked: bool = True, xml_feeds: bool = True) -> None:
    """Add the HTML, feed, WARC and URL readers to ``read_paths``/``read_file``.

    Args:
        fetcher: the fetcher for linked pages and URLs (default: a shared
            polite :class:`Fetcher`, created on first use).
        fetch_linked: fetch the pages of feed items without full content;
            False reports such items instead (offline use).
        xml_feeds: read ``.xml`` files as feeds too (a directory walk then
            reports every ``.xml`` file that is not a feed).
    """
    global _fetch_linked
    if fetcher is not None:
        set_default_fetcher(fetcher)
    _fetch_linked = fetch_linked
    for ext in HTML_EXTENSIONS:
        _register(ext, read_html_file)
    for ext in FEED_EXTENSIONS:
        if ext != ".xml" or xml_feeds:
            _register(ext, _feed_reader)
    for ext in WARC_EXTENSIONS:
        _register(ext, read_warc_file, binary=True)
    if hasattr(readers, "register_url_reader"):
        readers.register_url_reader(read_url)

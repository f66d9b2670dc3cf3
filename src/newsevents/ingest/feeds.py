"""Articles from RSS and Atom feeds, read from a file or fetched from a URL.

An item that carries the full article (``content:encoded`` in RSS,
``<content>`` in Atom, long enough to be an article rather than a teaser)
becomes an Article directly.  An item with only a summary has the page it
links to fetched politely (:class:`~newsevents.ingest.http.Fetcher`) and read
with trafilatura; the feed's title, date and author win over the page's.

Problems are :class:`~newsevents.ingest.ReadError`: for the whole feed
(``feed.xml: not an RSS or Atom feed``) they are raised, for one item
(``feed.xml#3``, or the linked URL) they go to ``on_error`` and the other
items are read.
"""

from __future__ import annotations

import calendar
import xml.sax
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import Any

from newsevents.ingest.html import article_from_html, html_fragment_text
from newsevents.ingest.normalize import clean_inline
from newsevents.ingest.readers import ReadError, article_from_record
from newsevents.model import Article

__all__ = [
    "Feed",
    "FeedItem",
    "MAX_FEED_BYTES",
    "MIN_FULL_CONTENT_CHARS",
    "articles_from_feed",
    "looks_like_feed",
    "parse_feed",
    "read_feed",
    "read_feed_file",
]

MAX_FEED_BYTES = 20 * 1024 * 1024
# Content shorter than this is a teaser: the linked page is fetched instead.
MIN_FULL_CONTENT_CHARS = 600
_FEED_MEDIA_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json")

OnError = Callable[[ReadError], None]


@dataclass
class FeedItem:
    """One item of a feed, as much as the feed says about it."""

    index: int  # 1-based position in the feed
    title: str | None = None
    link: str | None = None
    guid: str | None = None
    published: date | None = None
    author: str | None = None
    content: str | None = None  # HTML of the full content, when the feed carries it
    summary: str | None = None

    @property
    def key(self) -> str | None:
        """What identifies the item across polls: its link, else its guid."""
        return self.link or (f"guid:{self.guid}" if self.guid else None)

    @cached_property
    def content_text(self) -> str:
        """The full content as plain text ("" when the feed carries none)."""
        return html_fragment_text(self.content) if self.content else ""

    @property
    def has_full_content(self) -> bool:
        return len(self.content_text) >= MIN_FULL_CONTENT_CHARS


@dataclass
class Feed:
    """A parsed feed: its title (the outlet, usually), link and items."""

    label: str
    title: str | None = None
    link: str | None = None
    version: str = ""
    items: list[FeedItem] = field(default_factory=list)
    problem: str | None = None  # malformed XML from which items were still recovered
    xml_error: str | None = None  # the XML parser's message for it

    def no_items_error(self) -> ReadError:
        if self.xml_error:
            return ReadError(self.label, f"malformed feed XML ({self.xml_error}); no items could be recovered")
        return ReadError(self.label, "feed has no items")


def looks_like_feed(data: bytes, content_type: str | None = None) -> bool:
    """Whether a response body or file is an RSS/Atom feed (by media type or first tags)."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media in _FEED_MEDIA_TYPES:
        return True
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml"):
        head = head[head.find(b"?>") + 2 :].lstrip()
        while head.startswith(b"<!--") or head.startswith(b"<?"):
            end = head.find(b"-->") + 3 if head.startswith(b"<!--") else head.find(b"?>") + 2
            if end < 3:
                break
            head = head[end:].lstrip()
    return head.startswith((b"<rss", b"<feed", b"<rdf:rdf", b"<rdf"))


def _struct_date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc).date()
    except (TypeError, ValueError, OverflowError):
        return None


def _entry_content(entry: Any) -> str | None:
    parts = entry.get("content") or []
    best = None
    for part in parts:
        value = part.get("value") if isinstance(part, dict) else None
        if value and (best is None or len(value) > len(best)):
            best = value
    return best


def parse_feed(data: bytes | str, label: str, *, content_type: str | None = None, base_url: str | None = None) -> Feed:
    """Parse an RSS or Atom document.

    Raises:
        ReadError: empty, oversized, or not a feed (malformed beyond recovery,
            or some other XML/HTML document).
    """
    import feedparser

    if isinstance(data, str):  # never a str: feedparser would take one for a URL or a path to open
        data = data.encode("utf-8")
    if not data.strip():
        raise ReadError(label, "empty feed")
    if len(data) > MAX_FEED_BYTES:
        raise ReadError(label, f"feed over {MAX_FEED_BYTES // (1024 * 1024)} MB")
    headers = {"content-type": content_type} if content_type else {}
    if base_url:
        headers["content-location"] = base_url
    parsed = feedparser.parse(data, response_headers=headers, sanitize_html=True, resolve_relative_uris=True)
    version = parsed.get("version") or ""
    exc = parsed.get("bozo_exception") if parsed.get("bozo") else None
    xml_error = exc if isinstance(exc, xml.sax.SAXException) else None
    entries = parsed.get("entries") or []
    if not version:
        if xml_error is not None:
            raise ReadError(label, f"not an RSS or Atom feed: malformed XML ({_sax_message(xml_error)})")
        raise ReadError(label, "not an RSS or Atom feed (no <rss>, <feed> or RDF channel element)")
    meta = parsed.get("feed") or {}
    feed = Feed(
        label=label,
        title=clean_inline(meta.get("title")) or None if meta.get("title") else None,
        link=meta.get("link"),
        version=version,
    )
    if xml_error is not None:
        feed.xml_error = _sax_message(xml_error)
        feed.problem = f"malformed feed XML ({feed.xml_error}); {len(entries)} items recovered"
    for i, entry in enumerate(entries, 1):
        author = entry.get("author")
        if not author and entry.get("authors"):
            names = [a.get("name") for a in entry["authors"] if isinstance(a, dict) and a.get("name")]
            author = ", ".join(names) or None
        feed.items.append(
            FeedItem(
                index=i,
                title=clean_inline(entry.get("title")) or None if entry.get("title") else None,
                link=(entry.get("link") or "").strip() or None,
                guid=(entry.get("id") or "").strip() or None,
                published=_struct_date(entry.get("published_parsed") or entry.get("updated_parsed")),
                author=author,
                content=_entry_content(entry),
                summary=entry.get("summary"),
            )
        )
    return feed


def _sax_message(exc: Exception) -> str:
    msg = exc.getMessage() if hasattr(exc, "getMessage") else str(exc)
    line = getattr(exc, "getLineNumber", lambda: None)()
    return f"{msg} at line {line}" if line else msg


def _item_label(feed: Feed, item: FeedItem) -> str:
    return f"{feed.label}#{item.index}"


def article_from_item(feed: Feed, item: FeedItem, published: date | None = None) -> Article:
    """The article an item carries in full (raises :class:`ReadError` when it has no text)."""
    text = item.content_text
    if not text.strip():
        raise ReadError(_item_label(feed, item), "item has no content")
    record = {
        "text": text,
        "title": item.title,
        "url": item.link,
        "outlet": feed.title,
        "author": item.author,
        "published": item.published,
    }
    return article_from_record(record, _item_label(feed, item), published)


def article_from_linked_page(feed: Feed, item: FeedItem, fetcher: Any, published: date | None = None) -> Article:
    """Fetch the page an item links to and read it (raises :class:`ReadError`/``FetchError``)."""
    if not item.link:
        raise ReadError(_item_label(feed, item), "item has neither full content nor a link")
    resp = fetcher.fetch(item.link)
    media = resp.media_type
    if media and not (media.startswith("text/html") or media in ("application/xhtml+xml", "text/plain", "")):
        raise ReadError(item.link, f"linked page is {media}, not HTML")
    article = article_from_html(
        resp.content,
        item.link,
        url=resp.url,
        content_type=resp.content_type,
        published=published,
        title=item.title,
        author=item.author,
        date_override=item.published,
    )
    return _with_feed_outlet(article, feed)


def _with_feed_outlet(article: Article, feed: Feed) -> Article:
    # The page's own site name wins; the feed's title fills the gap.
    if not article.outlet and feed.title:
        article.outlet = feed.title
    return article


def articles_from_feed(
    feed: Feed,
    *,
    fetcher: Any = None,
    published: date | None = None,
    on_error: OnError | None = None,
    fetch_linked: bool = True,
    skip: Callable[[FeedItem], bool] | None = None,
) -> Iterator[Article]:
    """The articles of a parsed feed, item by item.

    Args:
        fetcher: a :class:`~newsevents.ingest.http.Fetcher` for linked pages.
        published: date for articles that give none.
        on_error: receives a :class:`ReadError` per failed item (raised when None).
        fetch_linked: fetch the page of items without full content; when
            False such items are reported and skipped.
        skip: items for which this returns True are passed over (seen before).
    """
    seen: set[str] = set()
    if feed.problem:
        _report(ReadError(feed.label, feed.problem), on_error)
    for item in feed.items:
        key = item.key
        if key and key in seen:
            continue
        if key:
            seen.add(key)
        if skip is not None and skip(item):
            continue
        try:
            if item.has_full_content:
                yield article_from_item(feed, item, published)
            elif not fetch_linked or fetcher is None:
                raise ReadError(_item_label(feed, item), "item has only a summary and linked pages are not fetched")
            else:
                yield article_from_linked_page(feed, item, fetcher, published)
        except ReadError as e:
            _report(e, on_error)


def _report(err: ReadError, on_error: OnError | None) -> None:
    if on_error is None:
        raise err
    on_error(err)


def read_feed(
    source: str | Path,
    *,
    fetcher: Any = None,
    published: date | None = None,
    on_error: OnError | None = None,
    fetch_linked: bool = True,
) -> Iterator[Article]:
    """Articles of a feed given as a file path or an http(s) URL.

    Raises:
        ReadError: the feed itself cannot be read (items' errors go to ``on_error``).
    """
    name = str(source)
    if name.startswith(("http://", "https://")):
        if fetcher is None:
            raise ReadError(name, "a Fetcher is needed to read a feed URL")
        resp = fetcher.fetch(name)
        feed = parse_feed(resp.content, name, content_type=resp.content_type, base_url=resp.url)
    else:
        path = Path(source)
        try:
            data = path.read_bytes()
        except OSError as e:
            raise ReadError(name, f"cannot read: {e.strerror or e}") from None
        feed = parse_feed(data, name)
    return articles_from_feed(feed, fetcher=fetcher, published=published, on_error=on_error,
                              fetch_linked=fetch_linked)


def read_feed_file(
    path: Path,
    label: str,
    published: date | None,
    on_error: OnError | None,
    *,
    fetcher: Any = None,
    fetch_linked: bool = True,
) -> Iterator[Article]:
    """Reader for ``.rss``/``.atom``/``.xml`` files (see :func:`newsevents.ingest.sources.register`)."""
    if path.stat().st_size > MAX_FEED_BYTES:
        raise ReadError(label, f"feed over {MAX_FEED_BYTES // (1024 * 1024)} MB")
    if path.suffix.lower() == ".gz":
        import gzip

        with gzip.open(path, "rb") as f:
            data = f.read(MAX_FEED_BYTES + 1)
    else:
        data = path.read_bytes()
    if not looks_like_feed(data):
        # an .xml file may still be an XHTML page saved to disk
        head = data[:2048].lower()
        if b"<html" in head:
            return iter([article_from_html(data, label, published=published)])
    feed = parse_feed(data, label)
    if not feed.items:
        raise feed.no_items_error()
    return articles_from_feed(feed, fetcher=fetcher, published=published, on_error=on_error,
                              fetch_linked=fetch_linked)


"""Poll news feeds and fetch their new articles, politely, once or on a schedule.

::

    crawler = Crawler(load_feed_list("feeds.txt"), state="crawl.sqlite")
    for article in crawler.run(every=15 * 60):     # one pass when every is None
        store(article)                              # whatever the caller does
    print(crawler.stats.summary())

The crawler is an iterator of :class:`~newsevents.model.Article`, so any
consumer of articles (``newsevents ingest``'s store, a JSON-lines writer)
takes it as it takes :func:`~newsevents.ingest.read_paths`.  :func:`crawl`
wraps the same loop for callers that prefer a callback.

What it remembers, in a small SQLite file (``state``):

- the ETag/Last-Modified of each feed, so an unchanged feed costs a 304; they
  are stored only after every item of that feed has been handed over, so a
  crash in between means the feed is read again, not that items are lost;
- each item it has handed over (by link, else guid), so a page is fetched
  once; an item is marked done only when the consumer asks for the next
  article, i.e. after it has dealt with this one.  Items that failed for a
  reason that may pass (timeout, 5xx) are tried again on later passes, up to
  ``max_attempts``; those robots.txt forbids or that have no text are not.

Politeness (robots.txt, per-host spacing, retries with backoff, timeouts,
size limits, the user agent) is the :class:`~newsevents.ingest.http.Fetcher`'s.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from newsevents.ingest.feeds import (
    Feed,
    FeedItem,
    article_from_item,
    article_from_linked_page,
    parse_feed,
)
from newsevents.ingest.http import Fetcher, FetchError, RobotsDisallowed, ValidatorCache
from newsevents.ingest.readers import ReadError
from newsevents.model import Article

__all__ = [
    "CrawlState",
    "CrawlStats",
    "Crawler",
    "FeedSpec",
    "crawl",
    "default_state_path",
    "load_feed_list",
    "parse_interval",
]

OnError = Callable[[ReadError], None]

_INTERVAL_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h|hr|d)?", re.I)
_UNIT_SECONDS = {None: 1.0, "ms": 0.001, "s": 1.0, "sec": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0, "hr": 3600.0,
                 "d": 86400.0}


def parse_interval(value: str | float | int) -> float:
    """Seconds in ``"15m"``, ``"90s"``, ``"1h30m"``, ``"2d"`` or a plain number of seconds.

    Raises:
        ValueError: for anything else, or a zero or negative interval.
    """
    if isinstance(value, (int, float)):
        seconds = float(value)
    else:
        s = value.strip().lower().replace(" ", "")
        pos = 0
        seconds = 0.0
        if not s:
            raise ValueError("empty interval")
        for m in _INTERVAL_RE.finditer(s):
            if m.start() != pos:
                break
            seconds += float(m.group(1)) * _UNIT_SECONDS[m.group(2)]
            pos = m.end()
        if pos != len(s):
            raise ValueError(f"not an interval: {value!r} (use e.g. 90s, 15m, 1h, 1h30m, 2d)")
    if seconds <= 0:
        raise ValueError(f"interval must be positive: {value!r}")
    return seconds


# --------------------------------------------------------------------------
# the feed list


@dataclass(frozen=True)
class FeedSpec:
    """A feed to poll: its URL and, optionally, a name to show."""

    url: str
    name: str | None = None


def load_feed_list(path: str | os.PathLike[str]) -> list[FeedSpec]:
    """Feeds from a file: one URL per line (``#`` comments, an optional name after
    the URL), or an OPML file as feed readers export them.

    Raises:
        ReadError: the file cannot be read, has no feeds, or lists something
            other than http(s) URLs (every bad line is named).
    """
    label = os.fspath(path)
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise ReadError(label, f"cannot read: {e.strerror or e}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ReadError(label, f"not UTF-8 text: undecodable byte 0x{data[e.start]:02x} at offset {e.start}") from None
    if text.lstrip().startswith("<"):
        feeds = _opml_feeds(text, label)
    else:
        feeds = []
        bad = []
        for lineno, line in enumerate(text.splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            url, _, name = line.partition(" ")
            if not url.lower().startswith(("http://", "https://")):
                bad.append(f"line {lineno}: {url!r} is not an http(s) URL")
                continue
            name = name.split(" #", 1)[0].strip()
            feeds.append(FeedSpec(url, None if not name or name.startswith("#") else name))
        if bad:
            raise ReadError(label, "; ".join(bad[:5]) + (f" (and {len(bad) - 5} more)" if len(bad) > 5 else ""))
    if not feeds:
        raise ReadError(label, "no feed URLs in the file")
    unique: dict[str, FeedSpec] = {}
    for f in feeds:
        unique.setdefault(f.url, f)
    return list(unique.values())


def _opml_feeds(text: str, label: str) -> list[FeedSpec]:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        raise ReadError(label, f"malformed OPML: {e}") from None
    feeds = []
    for outline in root.iter("outline"):
        url = outline.get("xmlUrl") or outline.get("xmlurl")
        if url and url.lower().startswith(("http://", "https://")):
            feeds.append(FeedSpec(url.strip(), outline.get("title") or outline.get("text")))
    return feeds


def default_state_path() -> Path:
    """Where the crawl state lives when not given: the user's cache directory."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "newsevents" / "crawl-state.sqlite"


# --------------------------------------------------------------------------
# state


class CrawlState:
    """What the crawler has done: items handed over or given up, feed validators.

    One SQLite file (``":memory:"`` or None for a throw-away state).
    """

    def __init__(self, path: str | os.PathLike[str] | None = None):
        target = ":memory:" if path is None else os.fspath(path)
        if target != ":memory:":
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        self.path = target
        self._db = sqlite3.connect(target, check_same_thread=False, timeout=30)
        self._lock = threading.Lock()
        with self._lock, self._db:
            if target != ":memory:":
                self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS crawl_items ("
                " key TEXT PRIMARY KEY, feed TEXT, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
                " article_id TEXT, reason TEXT, first_seen REAL, last_seen REAL)"
            )
        self.validators = ValidatorCache(connection=self._db)

    def status(self, key: str) -> tuple[str, int] | None:
        with self._lock:
            row = self._db.execute("SELECT status, attempts FROM crawl_items WHERE key = ?", (key,)).fetchone()
        return (row[0], row[1]) if row else None

    def is_finished(self, key: str) -> bool:
        """Done, or given up: nothing more to fetch for this item."""
        st = self.status(key)
        return st is not None and st[0] != "retry"

    def _put(self, key: str, feed: str, status: str, *, article_id: str | None = None, reason: str | None = None,
             count_attempt: bool = False) -> int:
        now = time.time()
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO crawl_items (key, feed, status, attempts, article_id, reason, first_seen, last_seen)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(key) DO UPDATE SET status = excluded.status,"
                " attempts = crawl_items.attempts + excluded.attempts,"
                " article_id = COALESCE(excluded.article_id, crawl_items.article_id),"
                " reason = excluded.reason, last_seen = excluded.last_seen",
                (key, feed, status, 1 if count_attempt else 0, article_id, reason, now, now),
            )
            row = self._db.execute("SELECT attempts FROM crawl_items WHERE key = ?", (key,)).fetchone()
        return int(row[0])

    def mark_done(self, key: str, feed: str, article_id: str | None) -> None:
        self._put(key, feed, "done", article_id=article_id)

    def mark_failed(self, key: str, feed: str, reason: str, *, transient: bool, max_attempts: int) -> str:
        """Record a failure; returns the new status (``retry`` or ``failed``)."""
        attempts = self._put(key, feed, "retry" if transient else "failed", reason=reason, count_attempt=True)
        if transient and attempts >= max_attempts:
            self._put(key, feed, "failed", reason=reason)
            return "failed"
        return "retry" if transient else "failed"

    def mark_disallowed(self, key: str, feed: str, reason: str) -> None:
        self._put(key, feed, "disallowed", reason=reason)

    def counts(self) -> dict[str, int]:
        with self._lock:
            rows = self._db.execute("SELECT status, COUNT(*) FROM crawl_items GROUP BY status").fetchall()
        return {s: n for s, n in rows}

    def close(self) -> None:
        self._db.close()


# --------------------------------------------------------------------------
# statistics


@dataclass
class CrawlStats:
    """Counts over a crawler's life (all passes)."""

    passes: int = 0
    feeds_polled: int = 0
    feeds_unchanged: int = 0  # 304 Not Modified
    feeds_failed: int = 0
    items_seen: int = 0
    items_new: int = 0
    pages_fetched: int = 0
    articles: int = 0
    skipped: Counter = field(default_factory=Counter)  # reason -> count (robots.txt, ...)
    errors: list[ReadError] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def summary(self) -> str:
        parts = [
            f"{self.passes} pass{'es' if self.passes != 1 else ''}",
            f"{self.feeds_polled} feeds polled ({self.feeds_unchanged} unchanged, {self.feeds_failed} failed)",
            f"{self.items_new} new items of {self.items_seen}",
            f"{self.pages_fetched} pages fetched",
            f"{self.articles} articles",
        ]
        if self.skipped:
            parts.append("skipped: " + ", ".join(f"{n} {why}" for why, n in self.skipped.most_common()))
        if self.errors:
            parts.append(f"{len(self.errors)} errors")
        parts.append(f"{self.elapsed:.1f} s")
        return "; ".join(parts)


# --------------------------------------------------------------------------
# the crawler


class Crawler:
    """Polls feeds and yields the articles of items it has not handed over before.

    Args:
        feeds: feed URLs or :class:`FeedSpec`.
        fetcher: the polite fetcher (default: a new :class:`Fetcher` using the
            state's validator cache).
        state: a :class:`CrawlState`, a path to its SQLite file, or None (in
            memory: every run starts afresh).
        on_error: receives every :class:`ReadError` (feeds and items that
            failed); they are also kept in ``stats.errors``.
        published: date for articles whose feed and page give none.
        max_items: at most this many new items per feed and pass.
        max_attempts: passes on which an item failing transiently is tried.
        auto_ack: an article counts as dealt with when the consumer asks for
            the next one; with False the consumer calls :meth:`ack` once it
            has stored it (a store that writes in batches), and an article
            never acknowledged is handed over again on a later run.
    """

    def __init__(
        self,
        feeds: Iterable[str | FeedSpec],
        *,
        fetcher: Fetcher | None = None,
        state: CrawlState | str | os.PathLike[str] | None = None,
        on_error: OnError | None = None,
        published: date | None = None,
        max_items: int | None = None,
        max_attempts: int = 3,
        auto_ack: bool = True,
    ) -> None:
        self.feeds = [f if isinstance(f, FeedSpec) else FeedSpec(str(f)) for f in feeds]
        self.state = state if isinstance(state, CrawlState) else CrawlState(state)
        self._owns_state = not isinstance(state, CrawlState)
        self.fetcher = fetcher or Fetcher(cache=self.state.validators)
        self._owns_fetcher = fetcher is None
        self.on_error = on_error
        self.published = published
        self.max_items = max_items
        self.max_attempts = max_attempts
        self.auto_ack = auto_ack
        self._pending: dict[str, tuple[str, str]] = {}  # article id -> (item key, feed URL), not yet acked
        self.stats = CrawlStats()

    def _error(self, err: ReadError) -> None:
        self.stats.errors.append(err)
        if self.on_error is not None:
            self.on_error(err)

    def poll(self) -> Iterator[Article]:
        """One pass over every feed."""
        self.stats.passes += 1
        for spec in self.feeds:
            yield from self._poll_feed(spec)

    def _poll_feed(self, spec: FeedSpec) -> Iterator[Article]:
        self.stats.feeds_polled += 1
        try:
            resp = self.fetcher.fetch(spec.url, conditional=True, remember=False)
        except FetchError as e:
            self.stats.feeds_failed += 1
            self._error(e)
            return
        if resp.not_modified:
            self.stats.feeds_unchanged += 1
            return
        try:
            feed = parse_feed(resp.content, spec.url, content_type=resp.content_type, base_url=resp.url)
        except ReadError as e:
            self.stats.feeds_failed += 1
            self._error(e)
            return
        if spec.name and not feed.title:
            feed.title = spec.name
        if feed.problem:
            self._error(ReadError(spec.url, feed.problem))
        new = 0
        settled = True  # every item done or given up: the feed's validators may be kept
        keys: set[str] = set()
        for item in feed.items:
            self.stats.items_seen += 1
            key = item.key
            if key is None:
                self.stats.skipped["items without link or guid"] += 1
                continue
            if key in keys or self.state.is_finished(key):
                continue
            keys.add(key)
            if self.max_items is not None and new >= self.max_items:
                settled = False  # the rest waits for the next pass, which must not get a 304
                break
            new += 1
            self.stats.items_new += 1
            article = self._article(feed, item, key)
            if article is None:
                if not self.state.is_finished(key):
                    settled = False  # to be retried: keep asking for the full feed
                continue
            self.stats.articles += 1
            if self.auto_ack:
                yield article
                # the consumer has come back for the next one: this one is dealt with
                self.state.mark_done(key, spec.url, article.id)
            else:
                self._pending[article.id] = (key, spec.url)
                yield article
        if settled and not self.auto_ack:
            # until every item is acknowledged the full feed must be asked for again
            settled = all(self.state.is_finished(k) for k in keys)
        if settled:
            # an unchanged feed may now be answered with a 304
            self.fetcher.remember(resp)

    def _article(self, feed: Feed, item: FeedItem, key: str) -> Article | None:
        try:
            if item.has_full_content:
                return article_from_item(feed, item, self.published)
            self.stats.pages_fetched += 1
            return article_from_linked_page(feed, item, self.fetcher, self.published)
        except RobotsDisallowed as e:
            self.stats.pages_fetched -= 1
            if e.transient:  # robots.txt could not be read: ask again on a later pass
                self.stats.skipped["robots.txt unreadable"] += 1
                self.state.mark_failed(key, feed.label, e.reason, transient=True, max_attempts=self.max_attempts)
            else:
                self.stats.skipped["disallowed by robots.txt"] += 1
                self.state.mark_disallowed(key, feed.label, e.reason)
            self._error(e)
        except FetchError as e:
            self.state.mark_failed(key, feed.label, e.reason, transient=e.transient, max_attempts=self.max_attempts)
            self._error(e)
        except ReadError as e:
            self.state.mark_failed(key, feed.label, e.reason, transient=False, max_attempts=self.max_attempts)
            self._error(e)
        return None

    def passes(
        self,
        every: float | str | None = None,
        *,
        passes: int | None = None,
        stop: threading.Event | None = None,
    ) -> Iterator[Iterator[Article]]:
        """One article iterator per pass, waiting ``every`` between the starts of passes.

        For consumers that do something per pass (a store that updates its
        event clusters after each pass).  Consume each pass before asking for
        the next; the arguments are those of :meth:`run`.
        """
        interval = parse_interval(every) if every is not None else None
        stop = stop or threading.Event()
        done = 0
        while not stop.is_set():
            started = time.monotonic()
            yield self.poll()
            done += 1
            if interval is None or (passes is not None and done >= passes):
                break
            remaining = interval - (time.monotonic() - started)
            if remaining > 0 and stop.wait(remaining):
                break

    def run(
        self,
        every: float | str | None = None,
        *,
        passes: int | None = None,
        stop: threading.Event | None = None,
    ) -> Iterator[Article]:
        """Articles of one pass, or of a pass every ``every`` (seconds or ``"15m"``).

        Args:
            every: time from the start of one pass to the start of the next;
                None for a single pass.
            passes: stop after this many passes (None: until ``stop`` is set).
            stop: set it (from a signal handler or another thread) to end the
                wait between passes and stop.
        """
        for articles in self.passes(every, passes=passes, stop=stop):
            yield from articles

    def ack(self, article: Article) -> None:
        """Mark an article handed over as dealt with (stored); see ``auto_ack``."""
        pending = self._pending.pop(article.id, None)
        if pending is not None:
            self.state.mark_done(pending[0], pending[1], article.id)

    def close(self) -> None:
        if self._owns_fetcher:
            self.fetcher.close()
        if self._owns_state:
            self.state.close()

    def __enter__(self) -> Crawler:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def crawl(
    feeds: Iterable[str | FeedSpec],
    on_article: Callable[[Article], None],
    *,
    every: float | str | None = None,
    passes: int | None = None,
    stop: threading.Event | None = None,
    **options,
) -> CrawlStats:
    """Run a :class:`Crawler` and call ``on_article`` for each new article.

    ``options`` are :class:`Crawler`'s (``fetcher``, ``state``, ``on_error``,
    ``published``, ``max_items``, ``max_attempts``).  An exception raised by
    ``on_article`` stops the crawl; the article it was given is not marked done.
    """
    with Crawler(feeds, **options) as crawler:
        for article in crawler.run(every, passes=passes, stop=stop):
            on_article(article)
        return crawler.stats

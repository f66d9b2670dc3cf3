"""A polite HTTP fetcher for feeds and article pages.

What "polite" means here, each a setting of :class:`Fetcher`:

- robots.txt is read once per site (and re-read after ``robots_ttl``) and
  obeyed, including its ``Crawl-delay``; a robots.txt that cannot be fetched
  because the server fails (5xx, timeout) disallows the site for a while, as
  RFC 9309 asks; one that does not exist (4xx) allows everything;
- requests to one host are spaced by at least ``min_interval`` seconds, across
  threads too;
- a page fetched before is asked for with ``If-None-Match`` /
  ``If-Modified-Since`` (``conditional=True``), the validators kept in a small
  SQLite file (:class:`ValidatorCache`), so an unchanged feed costs a 304;
- failures that may pass (timeouts, connection errors, 429 and 5xx) are
  retried with exponential backoff, honouring ``Retry-After``;
- connect/read timeouts and a total deadline per attempt; responses larger
  than ``max_bytes`` are cut off and refused;
- a user agent that says who we are: ``newsevents/<version> (+<contact>)``.

Every failure is a :class:`FetchError` (a :class:`~newsevents.ingest.ReadError`)
naming the URL and the reason, e.g. ``http://host/x: timed out after 0.5 s
waiting for the response (3 attempts)``.
"""

from __future__ import annotations

import email.utils
import functools
import os
import random
import sqlite3
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import certifi
import httpx

from newsevents import __version__
from newsevents.ingest.readers import ReadError

__all__ = [
    "DEFAULT_ACCEPT",
    "MAX_FETCH_BYTES",
    "PROJECT_URL",
    "FetchError",
    "Fetcher",
    "Response",
    "RobotsDisallowed",
    "ValidatorCache",
    "default_user_agent",
]

PROJECT_URL = "https://github.com/newsevents/newsevents"
MAX_FETCH_BYTES = 10 * 1024 * 1024
DEFAULT_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5"
)
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309: at least 500 KiB must be parsed


def default_user_agent(contact: str | None = None) -> str:
    """``newsevents/<version> (+<contact>)``; contact from ``NEWSEVENTS_CONTACT`` when not given."""
    contact = contact or os.environ.get("NEWSEVENTS_CONTACT") or PROJECT_URL
    return f"newsevents/{__version__} (+{contact})"


class FetchError(ReadError):
    """A URL that could not be fetched; ``status`` is the last HTTP status, if any."""

    def __init__(self, url: str, reason: str, *, status: int | None = None, transient: bool = False) -> None:
        super().__init__(url, reason)
        self.url = url
        self.status = status
        self.transient = transient  # worth trying again later (timeouts, 5xx)


class RobotsDisallowed(FetchError):
    """robots.txt forbids the URL to our user agent, or cannot be read yet (then ``transient``)."""


@dataclass
class Response:
    """A fetched resource.  ``not_modified`` is True for a 304 (``content`` is then empty)."""

    url: str  # final URL, after redirects
    requested_url: str
    status: int
    headers: dict[str, str]  # names in lower case
    content: bytes
    not_modified: bool = False
    attempts: int = 1

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def media_type(self) -> str:
        return self.content_type.split(";", 1)[0].strip().lower()

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


# --------------------------------------------------------------------------
# conditional GET validators


class ValidatorCache:
    """ETag and Last-Modified of fetched URLs, in a SQLite file (or in memory).

    Only validators are kept, not bodies: a 304 tells the caller "nothing new
    since you last processed this", which is what a feed poller needs.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, connection: sqlite3.Connection | None = None):
        if connection is None:
            target = ":memory:" if path is None else os.fspath(path)
            if target != ":memory:":
                Path(target).parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(target, check_same_thread=False, timeout=30)
            self._owned = True
        else:
            self._owned = False
        self._db = connection
        self._lock = threading.Lock()
        with self._lock, self._db:
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS http_validators ("
                " url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, stored_at REAL)"
            )

    def get(self, url: str) -> tuple[str | None, str | None] | None:
        with self._lock:
            row = self._db.execute(
                "SELECT etag, last_modified FROM http_validators WHERE url = ?", (url,)
            ).fetchone()
        return (row[0], row[1]) if row else None

    def store(self, url: str, etag: str | None, last_modified: str | None) -> None:
        if not etag and not last_modified:
            self.forget(url)
            return
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO http_validators (url, etag, last_modified, stored_at) VALUES (?, ?, ?, ?)",
                (url, etag, last_modified, time.time()),
            )

    def forget(self, url: str) -> None:
        with self._lock, self._db:
            self._db.execute("DELETE FROM http_validators WHERE url = ?", (url,))

    def close(self) -> None:
        if self._owned:
            self._db.close()


# --------------------------------------------------------------------------
# per-host spacing


class _HostThrottle:
    """One request at a time per host, ``interval`` seconds from the end of one to the start of the next.

    Measuring from the end of the previous response (not from its start)
    keeps the spacing even when a slow response or a thread switch delays a
    request; holding the host's lock for the whole request keeps threads
    from opening parallel connections to one site.
    """

    def __init__(self, interval: float, sleep: Callable[[float], None]):
        self.interval = interval
        self._sleep = sleep
        self._last_end: dict[str, float] = {}
        self._host_interval: dict[str, float] = {}
        self._host_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def set_interval(self, host: str, seconds: float) -> None:
        with self._lock:
            self._host_interval[host] = max(self.interval, seconds)

    @contextmanager
    def turn(self, host: str, at_least: float = 0.0) -> Iterator[None]:
        """Wait for this host's turn (``at_least`` adds a backoff delay), then hold it."""
        with self._lock:
            host_lock = self._host_locks.setdefault(host, threading.Lock())
        with host_lock:
            with self._lock:
                interval = self._host_interval.get(host, self.interval)
                last = self._last_end.get(host)
            start = time.monotonic() + at_least
            if last is not None:
                start = max(start, last + interval)
            delay = start - time.monotonic()
            if delay > 0:
                self._sleep(delay)
            try:
                yield
            finally:
                with self._lock:
                    self._last_end[host] = time.monotonic()


# --------------------------------------------------------------------------
# robots.txt


@dataclass
class _Robots:
    parser: RobotFileParser | None  # None: everything allowed
    disallow_all: bool
    expires: float
    reason: str = ""


def _origin(url: str) -> str:
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}"


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()


def _describe(exc: Exception) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return "timed out connecting"
    if isinstance(exc, httpx.ReadTimeout):
        return "timed out waiting for the response"
    if isinstance(exc, httpx.WriteTimeout):
        return "timed out sending the request"
    if isinstance(exc, httpx.PoolTimeout):
        return "timed out waiting for a connection"
    if isinstance(exc, httpx.ConnectError):
        return f"cannot connect: {exc}" if str(exc) else "cannot connect"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"broken HTTP response: {exc}"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


class _Deadline(Exception):
    pass


class _TooBig(Exception):
    pass


@dataclass
class _Stats:
    requests: int = 0
    not_modified: int = 0
    retries: int = 0
    robots_blocked: int = 0
    per_host: dict[str, int] = field(default_factory=dict)


class Fetcher:
    """Fetches URLs politely; share one per run so its per-host spacing holds.

    Args:
        user_agent: the User-Agent header (default :func:`default_user_agent`).
        timeout: seconds allowed to connect and between bytes of the response.
        total_timeout: seconds allowed for one attempt from request to last byte.
        max_bytes: larger responses (after decompression) are refused.
        min_interval: seconds from the end of one request to a host to the start of the next.
        max_crawl_delay: a robots.txt ``Crawl-delay`` above this is capped.
        retries: further attempts after a transient failure.
        backoff: first retry delay in seconds, doubled each retry (with jitter).
        max_backoff: cap on one retry delay, ``Retry-After`` included.
        cache: a :class:`ValidatorCache`, a path to one, or None (in memory).
        obey_robots: read and obey robots.txt (only turn off for your own sites).
        robots_ttl: seconds a site's robots.txt is trusted before re-reading.
        client: an ``httpx.Client`` to use instead of a new one.
        sleep: the sleep function (tests pass a recording one).
    """

    def __init__(
        self,
        *,
        user_agent: str | None = None,
        timeout: float = 15.0,
        total_timeout: float = 60.0,
        max_bytes: int = MAX_FETCH_BYTES,
        min_interval: float = 1.0,
        max_crawl_delay: float = 30.0,
        retries: int = 3,
        backoff: float = 1.0,
        max_backoff: float = 60.0,
        cache: ValidatorCache | str | os.PathLike[str] | None = None,
        obey_robots: bool = True,
        robots_ttl: float = 3600.0,
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.user_agent = user_agent or default_user_agent()
        self.timeout = timeout
        self.total_timeout = total_timeout
        self.max_bytes = max_bytes
        self.max_crawl_delay = max_crawl_delay
        self.retries = max(0, retries)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.obey_robots = obey_robots
        self.robots_ttl = robots_ttl
        self._sleep = sleep
        self._throttle = _HostThrottle(min_interval, sleep)
        if cache is None or isinstance(cache, (str, os.PathLike)):
            self.cache = ValidatorCache(cache)
            self._owns_cache = True
        else:
            self.cache = cache
            self._owns_cache = False
        self._client = client or httpx.Client(
            verify=_ssl_context(),
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,  # followed by hand: each hop is checked against robots.txt
            headers={"User-Agent": self.user_agent, "Accept": DEFAULT_ACCEPT},
        )
        self._owns_client = client is None
        self._robots: dict[str, _Robots] = {}
        self._robots_lock = threading.Lock()
        self.stats = _Stats()

    # -- public ------------------------------------------------------------

    def fetch(
        self,
        url: str,
        *,
        conditional: bool = False,
        remember: bool = True,
        accept: str | None = None,
    ) -> Response:
        """GET ``url`` and return the :class:`Response` (following redirects).

        Args:
            conditional: send the validators stored for ``url``; an unchanged
                resource comes back as ``not_modified`` with no content.
            remember: store this response's validators at once; pass False to
                store them later with :meth:`remember` (after the content has
                been processed, so a crash in between does not lose it).
            accept: an ``Accept`` header instead of the default.

        Raises:
            RobotsDisallowed: robots.txt forbids the URL.
            FetchError: any other failure, after the retries.
        """
        _check_url(url)
        headers: dict[str, str] = {}
        if accept:
            headers["Accept"] = accept
        if conditional:
            validators = self.cache.get(url)
            if validators:
                etag, last_modified = validators
                if etag:
                    headers["If-None-Match"] = etag
                if last_modified:
                    headers["If-Modified-Since"] = last_modified
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            self._check_robots(current, requested=url)
            resp = self._get_with_retries(current, headers)
            if resp.status in REDIRECT_STATUSES:
                location = resp.headers.get("location")
                if not location:
                    raise FetchError(url, f"HTTP {resp.status} redirect without a Location header", status=resp.status)
                current = urljoin(current, location)
                _check_url(current, label=url)
                headers.pop("If-None-Match", None)  # validators belong to the first URL
                headers.pop("If-Modified-Since", None)
                continue
            resp.requested_url = url
            if resp.status == 304:
                resp.not_modified = True
                self.stats.not_modified += 1
                return resp
            if resp.status >= 400:
                raise FetchError(
                    url,
                    f"HTTP {resp.status} {_reason_phrase(resp.status)}"
                    + (f" (after {resp.attempts} attempts)" if resp.attempts > 1 else ""),
                    status=resp.status,
                    transient=resp.status in RETRY_STATUSES,
                )
            if remember:
                self.remember(resp)
            return resp
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")

    def remember(self, response: Response) -> None:
        """Store the validators of a 200 response for later conditional GETs."""
        if response.status == 200 and not response.not_modified:
            self.cache.store(response.requested_url, response.etag, response.last_modified)

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets us fetch ``url`` (fetching robots.txt if needed)."""
        try:
            self._check_robots(url, requested=url)
        except RobotsDisallowed:
            return False
        return True

    def close(self) -> None:
        if self._owns_client:
            self._client.close()
        if self._owns_cache:
            self.cache.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- robots.txt --------------------------------------------------------

    def _check_robots(self, url: str, requested: str) -> None:
        if not self.obey_robots:
            return
        origin = _origin(url)
        with self._robots_lock:
            rules = self._robots.get(origin)
        if rules is None or rules.expires < time.monotonic():
            rules = self._load_robots(origin)
            with self._robots_lock:
                self._robots[origin] = rules
        if rules.disallow_all:
            self.stats.robots_blocked += 1
            raise RobotsDisallowed(requested, f"not fetched: {rules.reason}", transient=True)
        if rules.parser is not None and not rules.parser.can_fetch(self.user_agent, url):
            self.stats.robots_blocked += 1
            where = "" if url == requested else f" (redirected to {url})"
            raise RobotsDisallowed(requested, f"not fetched: disallowed by {origin}/robots.txt{where}")

    def _load_robots(self, origin: str) -> _Robots:
        robots_url = origin + "/robots.txt"
        now = time.monotonic()
        retry_soon = now + min(self.robots_ttl, 600.0)
        current = robots_url
        try:
            for _hop in range(MAX_REDIRECTS + 1):
                resp = self._get_with_retries(current, {"Accept": "text/plain"}, max_bytes=ROBOTS_MAX_BYTES,
                                              truncate=True)
                if resp.status in REDIRECT_STATUSES and resp.headers.get("location"):
                    current = urljoin(current, resp.headers["location"])
                    continue
                break
            else:
                return _Robots(None, False, now + self.robots_ttl)  # RFC 9309: too many redirects = unavailable
        except FetchError as e:
            return _Robots(None, True, retry_soon, f"{robots_url} could not be read ({e.reason})")
        if resp.status >= 500 or resp.status == 429:
            return _Robots(None, True, retry_soon, f"{robots_url} could not be read (HTTP {resp.status})")
        if resp.status >= 400:
            return _Robots(None, False, now + self.robots_ttl)  # no robots.txt: no restrictions
        parser = RobotFileParser(robots_url)
        lines = resp.content.decode("utf-8", errors="replace").splitlines()
        parser.parse(lines)
        rate = parser.request_rate(self.user_agent)
        wanted = _crawl_delay(lines, self.user_agent) or 0.0
        if rate and rate.requests:
            wanted = max(wanted, rate.seconds / rate.requests)
        if wanted:
            self._throttle.set_interval(_host(origin), min(wanted, self.max_crawl_delay))
        return _Robots(parser, False, now + self.robots_ttl)

    # -- the requests themselves ------------------------------------------

    def _get_with_retries(
        self, url: str, headers: dict[str, str], *, max_bytes: int | None = None, truncate: bool = False
    ) -> Response:
        host = _host(url)
        attempt = 0
        delay = 0.0
        while True:
            attempt += 1
            self.stats.requests += 1
            self.stats.per_host[host] = self.stats.per_host.get(host, 0) + 1
            try:
                with self._throttle.turn(host, at_least=delay):
                    resp = self._get_once(url, headers, max_bytes or self.max_bytes, truncate)
            except _TooBig as e:
                raise FetchError(url, str(e)) from None
            except (httpx.TimeoutException, _Deadline) as e:
                what = (
                    f"timed out after {self.total_timeout:g} s in all"
                    if isinstance(e, _Deadline)
                    else f"{_describe(e)} ({self.timeout:g} s)"
                )
                if attempt > self.retries:
                    raise FetchError(url, what + _attempts(attempt), transient=True) from None
                delay = self._backoff_delay(attempt, None)
            except httpx.HTTPError as e:
                if attempt > self.retries:
                    raise FetchError(url, _describe(e) + _attempts(attempt), transient=True) from None
                delay = self._backoff_delay(attempt, None)
            else:
                resp.attempts = attempt
                if resp.status not in RETRY_STATUSES or attempt > self.retries:
                    return resp
                delay = self._backoff_delay(attempt, resp.headers.get("retry-after"))
            self.stats.retries += 1

    def _backoff_delay(self, attempt: int, retry_after: str | None) -> float:
        base = self.backoff * (2 ** (attempt - 1))
        delay = base * (0.8 + 0.4 * random.random())  # jitter: retries of many clients do not align
        server = _parse_retry_after(retry_after)
        if server is not None:
            delay = max(delay, server)
        return min(delay, self.max_backoff)

    def _get_once(self, url: str, headers: dict[str, str], max_bytes: int, truncate: bool) -> Response:
        start = time.monotonic()
        with self._client.stream("GET", url, headers=headers) as r:
            hdrs = {k.lower(): v for k, v in r.headers.items()}
            declared = hdrs.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes and not truncate:
                raise _TooBig(f"response of {int(declared):,} bytes is over the {_mb(max_bytes)} limit")
            chunks: list[bytes] = []
            size = 0
            if r.status_code not in REDIRECT_STATUSES and r.status_code != 304:
                for chunk in r.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        if truncate:
                            chunks.append(chunk[: max_bytes - (size - len(chunk))])
                            break
                        raise _TooBig(f"response over the {_mb(max_bytes)} limit")
                    chunks.append(chunk)
                    if time.monotonic() - start > self.total_timeout:
                        raise _Deadline()
            return Response(
                url=str(r.url),
                requested_url=url,
                status=r.status_code,
                headers=hdrs,
                content=b"".join(chunks),
            )


# --------------------------------------------------------------------------
# small helpers


@functools.lru_cache(maxsize=1)
def _ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle takes a noticeable fraction of a second: once per process.
    return ssl.create_default_context(cafile=certifi.where())


def _check_url(url: str, label: str | None = None) -> None:
    try:
        p = urlsplit(url)
    except ValueError as e:
        raise FetchError(label or url, f"not a valid URL: {e}") from None
    if p.scheme not in ("http", "https"):
        raise FetchError(label or url, f"unsupported URL scheme {p.scheme!r} (http and https only)")
    if not p.netloc:
        raise FetchError(label or url, "URL without a host")


def _attempts(n: int) -> str:
    return f" ({n} attempts)" if n > 1 else ""


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def _parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _crawl_delay(lines: list[str], user_agent: str) -> float | None:
    """The Crawl-delay for our agent (its own group first, else ``*``), in seconds.

    urllib.robotparser reads whole seconds only; sites write "0.5" too.
    """
    token = user_agent.split("/", 1)[0].lower()
    delays: dict[str, float] = {}  # "own" or "*"
    agents: list[str] = []
    in_rules = False
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        key, _, value = line.partition(":")
        key, value = key.strip().lower(), value.strip()
        if key == "user-agent":
            if in_rules:
                agents, in_rules = [], False
            agents.append(value.lower())
            continue
        in_rules = True
        if key != "crawl-delay":
            continue
        try:
            seconds = float(value)
        except ValueError:
            continue
        for agent in agents:
            if agent == "*":
                delays.setdefault("*", seconds)
            elif agent and agent in token:
                delays.setdefault("own", seconds)
    found = delays.get("own", delays.get("*"))
    return found if found and found > 0 else None


def _reason_phrase(status: int) -> str:
    try:
        from http import HTTPStatus

        return HTTPStatus(status).phrase
    except ValueError:
        return ""

"""The polite fetcher and the feed crawler against a real HTTP server on 127.0.0.1.

The server runs in a thread of the test process, on a free port, and logs
every request it receives (path, headers, time), so politeness is checked
where it matters: on the server side.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsevents.ingest import ReadError
from newsevents.ingest.crawl import (
    Crawler,
    CrawlState,
    FeedSpec,
    crawl,
    load_feed_list,
    parse_interval,
)
from newsevents.ingest.http import (
    Fetcher,
    FetchError,
    RobotsDisallowed,
    ValidatorCache,
    default_user_agent,
)

# --------------------------------------------------------------------------
# the local site


def story_html(title: str, n: int, lang: str = "en") -> str:
    if lang == "de":
        paras = [
            f"Die Regierung hat am Dienstag neue Gespräche über die Grenze angekündigt, teilte das Ministerium "
            f"in einer Erklärung mit, die nach dem Treffen {n} veröffentlicht wurde.",
            "Die Opposition kritisierte die Pläne und forderte eine Debatte im Parlament, bevor weitere "
            "Schritte unternommen werden, wie ihre Sprecherin am Abend sagte.",
        ]
    else:
        paras = [
            f"Officials from the two governments met on Tuesday to discuss the border agreement, the foreign "
            f"ministry said in a statement issued after meeting number {n}.",
            "The opposition criticised the plans and called for a debate in parliament before any further "
            "steps are taken, its spokesperson said in the evening.",
            f"Analysts said that the talks were the first at this level in three years and followed weeks "
            f"of quiet contacts between the diplomats of both countries (item {n}).",
        ]
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (f"<html><head><meta charset='utf-8'><title>{title}</title>"
            f"<meta property='og:site_name' content='Local News'></head><body><nav>Home</nav>"
            f"<article><h1>{title}</h1>{body}</article><footer>Copyright</footer></body></html>")


def rss(items: list[dict], title: str = "Local News World") -> str:
    out = []
    for it in items:
        content = f"<content:encoded><![CDATA[{it['content']}]]></content:encoded>" if it.get("content") else ""
        out.append(
            f"<item><title>{it['title']}</title><link>{it['link']}</link><guid>{it['link']}</guid>"
            f"<pubDate>Thu, 15 Feb 2024 08:00:00 GMT</pubDate><description>A short summary.</description>"
            f"{content}</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>{title}</title><link>http://example.invalid/</link>{''.join(out)}</channel></rss>"
    )


FULL_CONTENT = "".join(
    f"<p>Paragraph {i}: the president of the republic told parliament on Monday that the government would "
    f"table the budget next week and that ministers had agreed on its main points.</p>"
    for i in range(6)
)


class LocalSite:
    """A small news site: robots.txt, feeds, pages and misbehaving endpoints."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.hits: dict[str, int] = {}
        self.routes: dict[str, object] = {}
        self.robots = "User-agent: *\nDisallow: /private/\n"
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls between header and body

            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:  # noqa: N802
                path = self.path.split("?", 1)[0]
                site.requests.append({"path": path, "t": time.monotonic(), "headers": dict(self.headers)})
                site.hits[path] = site.hits.get(path, 0) + 1
                route = site.routes.get(path)
                if path == "/robots.txt" and route is None:
                    route = (200, {"Content-Type": "text/plain"}, site.robots)
                if route is None:
                    route = (404, {"Content-Type": "text/plain"}, "not found")
                if callable(route):
                    route = route(self, site.hits[path])
                if route is None:
                    return
                status, headers, body = route
                data = body.encode("utf-8") if isinstance(body, str) else body
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def page(self, path: str, title: str, n: int = 0, lang: str = "en") -> None:
        self.routes[path] = (200, {"Content-Type": "text/html; charset=utf-8"}, story_html(title, n, lang))

    def feed(self, path: str, body: str, *, etag: bool = True) -> None:
        """A feed answering conditional GETs with 304 when the client's validators match."""
        tag = '"' + hashlib.sha1(body.encode()).hexdigest()[:12] + '"'
        modified = formatdate(1707984000, usegmt=True)

        def handler(req, n):
            if etag and req.headers.get("If-None-Match") == tag:
                return (304, {"ETag": tag}, b"")
            if not etag and req.headers.get("If-Modified-Since") == modified:
                return (304, {}, b"")
            headers = {"Content-Type": "application/rss+xml; charset=utf-8", "Last-Modified": modified}
            if etag:
                headers["ETag"] = tag
            return (200, headers, body)

        self.routes[path] = handler

    def times(self, path: str) -> list[float]:
        return [r["t"] for r in self.requests if r["path"] == path]

    def paths(self) -> list[str]:
        return [r["path"] for r in self.requests]

    def close(self) -> None:
        if self.thread.is_alive():
            self.server.shutdown()
            self.server.server_close()


@pytest.fixture
def site():
    s = LocalSite()
    yield s
    s.close()


def fast_fetcher(**kw) -> Fetcher:
    options = dict(min_interval=0.0, backoff=0.02, max_backoff=0.2, retries=2, timeout=2.0)
    options.update(kw)
    return Fetcher(**options)


def slow_handler(seconds: float):
    def handler(req, n):
        time.sleep(seconds)
        return (200, {"Content-Type": "text/html"}, "<html><body><p>late</p></body></html>")

    return handler


# --------------------------------------------------------------------------
# the fetcher


def test_user_agent_names_the_project(site):
    site.page("/a.html", "A")
    with fast_fetcher() as f:
        resp = f.fetch(site.url("/a.html"))
    assert resp.status == 200 and b"Officials" in resp.content
    ua = site.requests[-1]["headers"]["User-Agent"]
    assert ua.startswith("newsevents/") and "(+" in ua and ua == default_user_agent()
    assert default_user_agent("mailto:desk@example.org").endswith("(+mailto:desk@example.org)")


def test_robots_txt_is_obeyed_and_read_once(site):
    site.page("/private/secret.html", "Secret")
    site.page("/a.html", "A")
    site.page("/b.html", "B")
    with fast_fetcher() as f:
        f.fetch(site.url("/a.html"))
        with pytest.raises(RobotsDisallowed) as exc:
            f.fetch(site.url("/private/secret.html"))
        f.fetch(site.url("/b.html"))
        assert not f.allowed(site.url("/private/other.html"))
        assert f.allowed(site.url("/c.html"))
    assert "/private/secret.html" not in site.paths()  # never asked for
    assert site.hits["/robots.txt"] == 1
    assert exc.value.path == site.url("/private/secret.html")
    assert "disallowed by" in exc.value.reason and "robots.txt" in exc.value.reason


def test_redirect_into_a_disallowed_path_is_not_followed(site):
    site.page("/private/target.html", "Target")
    site.routes["/moved"] = (301, {"Location": "/private/target.html"}, "")
    with fast_fetcher() as f, pytest.raises(RobotsDisallowed, match="redirected to"):
        f.fetch(site.url("/moved"))
    assert "/private/target.html" not in site.paths()


def test_redirects_are_followed(site):
    site.page("/new.html", "New")
    site.routes["/old.html"] = (302, {"Location": "/new.html"}, "")
    with fast_fetcher() as f:
        resp = f.fetch(site.url("/old.html"))
    assert resp.url == site.url("/new.html") and resp.requested_url == site.url("/old.html")


def test_robots_txt_failing_with_5xx_disallows_the_site(site):
    site.routes["/robots.txt"] = (503, {}, "busy")
    site.page("/a.html", "A")
    unreadable = r"robots.txt could not be read \(HTTP 503\)"
    with fast_fetcher(retries=0) as f, pytest.raises(RobotsDisallowed, match=unreadable):
        f.fetch(site.url("/a.html"))
    assert "/a.html" not in site.paths()


def test_missing_robots_txt_allows_everything(site):
    site.routes["/robots.txt"] = (404, {}, "no")
    site.page("/private/x.html", "X")
    with fast_fetcher() as f:
        assert f.fetch(site.url("/private/x.html")).status == 200


def test_crawl_delay_from_robots_txt_spaces_requests(site):
    site.robots = "User-agent: newsevents\nCrawl-delay: 0.3\nDisallow:\n"
    for p in ("/1", "/2", "/3"):
        site.page(p, p)
    with fast_fetcher() as f:
        for p in ("/1", "/2", "/3"):
            f.fetch(site.url(p))
    t = [r["t"] for r in site.requests if r["path"] != "/robots.txt"]
    assert all(b - a >= 0.27 for a, b in zip(t, t[1:]))


def test_rate_limit_spaces_requests_to_one_host(site):
    for i in range(4):
        site.page(f"/p{i}.html", f"P{i}")
    with fast_fetcher(min_interval=0.15) as f:
        for i in range(4):
            f.fetch(site.url(f"/p{i}.html"))
    t = [r["t"] for r in site.requests]  # robots.txt first: it counts as a request to the host
    gaps = [b - a for a, b in zip(t, t[1:])]
    assert len(gaps) == 4 and min(gaps) >= 0.13


def test_rate_limit_holds_across_threads(site):
    for i in range(4):
        site.page(f"/t{i}.html", f"T{i}")
    with fast_fetcher(min_interval=0.12) as f:
        f.fetch(site.url("/t0.html"))
        threads = [threading.Thread(target=f.fetch, args=(site.url(f"/t{i}.html"),)) for i in range(1, 4)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
    t = sorted(r["t"] for r in site.requests)
    assert min(b - a for a, b in zip(t, t[1:])) >= 0.10


def test_conditional_get_avoids_refetching(tmp_path, site):
    site.feed("/feed.xml", rss([{"title": "One", "link": site.url("/1.html")}]))
    cache = tmp_path / "validators.sqlite"
    with fast_fetcher(cache=cache) as f:
        first = f.fetch(site.url("/feed.xml"), conditional=True)
        assert first.status == 200 and first.etag and not first.not_modified
        second = f.fetch(site.url("/feed.xml"), conditional=True)
    assert second.not_modified and second.content == b""
    feed_requests = [r for r in site.requests if r["path"] == "/feed.xml"]
    assert "If-None-Match" not in feed_requests[0]["headers"]
    assert feed_requests[1]["headers"]["If-None-Match"] == first.etag
    assert feed_requests[1]["headers"]["If-Modified-Since"] == first.last_modified
    # the validators live in the SQLite file: a new fetcher (a new run) still gets a 304
    with fast_fetcher(cache=cache) as f:
        assert f.fetch(site.url("/feed.xml"), conditional=True).not_modified
    # an unconditional fetch always gets the body
    with fast_fetcher(cache=cache) as f:
        assert f.fetch(site.url("/feed.xml")).status == 200


def test_last_modified_alone_is_enough(site):
    site.feed("/lm.xml", rss([{"title": "One", "link": site.url("/1.html")}]), etag=False)
    with fast_fetcher() as f:
        f.fetch(site.url("/lm.xml"), conditional=True)
        assert f.fetch(site.url("/lm.xml"), conditional=True).not_modified


def test_transient_errors_are_retried_with_growing_backoff(site):
    def flaky(req, n):
        if n <= 2:
            return (500, {}, "oops")
        return (200, {"Content-Type": "text/html"}, story_html("Finally", 1))

    site.routes["/flaky.html"] = flaky
    with fast_fetcher(backoff=0.1, max_backoff=1.0, retries=3) as f:
        resp = f.fetch(site.url("/flaky.html"))
        assert f.stats.retries == 2
    assert resp.status == 200 and resp.attempts == 3
    t = site.times("/flaky.html")
    assert len(t) == 3
    first_wait, second_wait = t[1] - t[0], t[2] - t[1]
    assert first_wait >= 0.075  # 0.1 s with +-20% jitter
    assert second_wait >= 0.15 and second_wait > first_wait  # doubled


def test_retry_after_is_honoured(site):
    def busy(req, n):
        return (503, {"Retry-After": "1"}, "busy") if n == 1 else (200, {"Content-Type": "text/html"}, "ok")

    site.routes["/busy"] = busy
    with fast_fetcher(backoff=0.01, max_backoff=5) as f:
        f.fetch(site.url("/busy"))
    t = site.times("/busy")
    assert t[1] - t[0] >= 0.95


def test_persistent_error_names_url_status_and_attempts(site):
    site.routes["/broken.html"] = (500, {}, "broken")
    with fast_fetcher(retries=2) as f, pytest.raises(FetchError) as exc:
        f.fetch(site.url("/broken.html"))
    e = exc.value
    assert isinstance(e, ReadError)
    assert e.path == site.url("/broken.html") and e.status == 500 and e.transient
    assert str(e) == f"{site.url('/broken.html')}: HTTP 500 Internal Server Error (after 3 attempts)"
    assert site.hits["/broken.html"] == 3


def test_client_errors_are_not_retried(site):
    with fast_fetcher(retries=3) as f, pytest.raises(FetchError, match="HTTP 404 Not Found$"):
        f.fetch(site.url("/nowhere.html"))
    assert site.hits["/nowhere.html"] == 1


def test_timeout_is_a_clear_error_naming_the_url(site):
    site.routes["/slow.html"] = slow_handler(1.5)
    started = time.monotonic()
    with fast_fetcher(timeout=0.3, retries=1) as f, pytest.raises(FetchError) as exc:
        f.fetch(site.url("/slow.html"))
    assert time.monotonic() - started < 1.4
    assert exc.value.path == site.url("/slow.html")
    assert exc.value.reason == "timed out waiting for the response (0.3 s) (2 attempts)"
    assert site.hits["/slow.html"] == 2


def test_connection_refused(site):
    port = site.port
    site.close()
    with fast_fetcher(retries=0, obey_robots=False) as f, pytest.raises(FetchError, match="cannot connect"):
        f.fetch(f"http://127.0.0.1:{port}/a.html")


def test_size_limit(site):
    site.routes["/big.html"] = (200, {"Content-Type": "text/html"}, b"<p>" + b"x" * 300_000 + b"</p>")

    def chunked(req, n):  # no Content-Length: the limit is enforced while reading
        req.send_response(200)
        req.send_header("Content-Type", "text/html")
        req.send_header("Transfer-Encoding", "chunked")
        req.end_headers()
        for _ in range(40):
            chunk = b"y" * 10_000
            req.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        req.wfile.write(b"0\r\n\r\n")
        return None

    site.routes["/stream.html"] = chunked
    with fast_fetcher(max_bytes=100_000) as f:
        with pytest.raises(FetchError, match=r"response of 300,\d+ bytes is over the 100,000 bytes limit"):
            f.fetch(site.url("/big.html"))
        with pytest.raises(FetchError, match="response over the 100,000 bytes limit"):
            f.fetch(site.url("/stream.html"))


def test_only_http_urls():
    with fast_fetcher() as f:
        with pytest.raises(FetchError, match="unsupported URL scheme 'file'"):
            f.fetch("file:///etc/passwd")
        with pytest.raises(FetchError, match="URL without a host"):
            f.fetch("http:///x")


def test_validator_cache_roundtrip(tmp_path):
    c = ValidatorCache(tmp_path / "v.sqlite")
    c.store("http://x/feed", '"abc"', None)
    assert c.get("http://x/feed") == ('"abc"', None)
    c.store("http://x/feed", None, None)  # nothing to validate with: forgotten
    assert c.get("http://x/feed") is None
    c.close()


# --------------------------------------------------------------------------
# the crawler


def news_site(site: LocalSite) -> None:
    """A feed with two summary items, one full-content item, one disallowed and one broken page."""
    site.page("/news/1.html", "Talks resume", 1)
    site.page("/news/2.html", "Budget tabled", 2)
    site.page("/private/3.html", "Hidden", 3)
    site.routes["/news/broken.html"] = (500, {}, "down")
    site.feed("/feed.xml", rss([
        {"title": "Talks resume", "link": site.url("/news/1.html")},
        {"title": "Budget tabled", "link": site.url("/news/2.html")},
        {"title": "President speaks", "link": site.url("/news/full"), "content": FULL_CONTENT},
        {"title": "Hidden", "link": site.url("/private/3.html")},
    ]))
    site.feed("/mixed.xml", rss([
        {"title": "Broken", "link": site.url("/news/broken.html")},
        {"title": "Talks resume", "link": site.url("/news/1.html")},
    ]))


def test_one_pass_yields_new_articles_and_reports_the_rest(site):
    news_site(site)
    errors: list[ReadError] = []
    with Crawler([site.url("/feed.xml"), site.url("/mixed.xml")], fetcher=fast_fetcher(retries=1),
                 on_error=errors.append) as crawler:
        articles = list(crawler.run())
        stats = crawler.stats
    by_url = {a.url: a for a in articles}
    assert set(by_url) == {site.url("/news/1.html"), site.url("/news/2.html"), site.url("/news/full")}
    talks = by_url[site.url("/news/1.html")]
    assert talks.title == "Talks resume" and talks.outlet == "Local News"
    assert str(talks.published) == "2024-02-15"  # the feed's date
    assert talks.text.startswith("Officials from the two governments met on Tuesday")
    full = by_url[site.url("/news/full")]
    assert full.outlet == "Local News World" and full.text.startswith("Paragraph 0: the president")
    # the same link in two feeds is fetched once
    assert site.hits["/news/1.html"] == 1
    assert "/private/3.html" not in site.paths()
    assert "/news/full" not in site.paths()  # its content came with the feed
    reasons = {e.path: e.reason for e in errors}
    assert "disallowed by" in reasons[site.url("/private/3.html")]
    assert reasons[site.url("/news/broken.html")] == "HTTP 500 Internal Server Error (after 2 attempts)"
    assert stats.articles == 3 and stats.feeds_polled == 2 and stats.skipped["disallowed by robots.txt"] == 1
    assert "3 articles" in stats.summary()


def test_second_pass_gets_304_and_fetches_nothing(site):
    news_site(site)
    with Crawler([site.url("/feed.xml")], fetcher=fast_fetcher()) as crawler:
        first = list(crawler.poll())
        before = len(site.requests)
        second = list(crawler.poll())
        stats = crawler.stats
    assert len(first) == 3 and second == []
    new_requests = site.requests[before:]
    assert [r["path"] for r in new_requests] == ["/feed.xml"]
    assert "If-None-Match" in new_requests[0]["headers"]
    assert stats.feeds_unchanged == 1


def test_failed_items_are_retried_then_given_up(site):
    news_site(site)
    with Crawler([site.url("/mixed.xml")], fetcher=fast_fetcher(retries=0), max_attempts=2) as crawler:
        assert [a.url for a in crawler.poll()] == [site.url("/news/1.html")]
        assert list(crawler.poll()) == []  # the broken page is tried again: the feed is not a 304
        assert list(crawler.poll()) == []  # given up after 2 attempts: now the feed may be a 304
        assert crawler.state.status(site.url("/news/broken.html")) == ("failed", 2)
    assert site.hits["/news/broken.html"] == 2
    assert site.hits["/news/1.html"] == 1
    feed_requests = [r for r in site.requests if r["path"] == "/mixed.xml"]
    assert "If-None-Match" not in feed_requests[1]["headers"]
    assert "If-None-Match" in feed_requests[2]["headers"]


def test_state_file_carries_over_to_a_new_run(tmp_path, site):
    news_site(site)
    path = tmp_path / "crawl.sqlite"
    for expected in (3, 0):
        state = CrawlState(path)  # a new run: new state object, new fetcher, same file
        with Crawler([site.url("/feed.xml")], fetcher=fast_fetcher(cache=state.validators), state=state) as c:
            assert len(list(c.run())) == expected
        state.close()
    assert site.hits["/news/1.html"] == 1
    assert "If-None-Match" in [r for r in site.requests if r["path"] == "/feed.xml"][-1]["headers"]


def test_an_article_is_done_only_when_the_consumer_comes_back(tmp_path, site):
    news_site(site)
    state = tmp_path / "crawl.sqlite"
    c1 = Crawler([site.url("/feed.xml")], fetcher=fast_fetcher(), state=state)
    gen = c1.run()
    first = next(gen)
    gen.close()  # the consumer dies while storing the first article
    c1.close()
    c2 = Crawler([site.url("/feed.xml")], fetcher=fast_fetcher(), state=CrawlState(state))
    again = list(c2.run())
    c2.close()
    assert first.url in [a.url for a in again]  # not lost
    assert len(again) == 3


def test_run_repeats_every_interval(site):
    news_site(site)
    started = time.monotonic()
    with Crawler([site.url("/feed.xml")], fetcher=fast_fetcher()) as crawler:
        articles = list(crawler.run(every="0.3s", passes=3))
        assert crawler.stats.passes == 3
    assert time.monotonic() - started >= 0.6
    assert len(articles) == 3
    assert len(site.times("/feed.xml")) == 3


def test_stop_event_ends_the_wait(site):
    news_site(site)
    stop = threading.Event()
    threading.Timer(0.3, stop.set).start()
    started = time.monotonic()
    with Crawler([site.url("/feed.xml")], fetcher=fast_fetcher()) as crawler:
        list(crawler.run(every="1h", stop=stop))
    assert time.monotonic() - started < 5


def test_bad_feeds_do_not_stop_the_crawl(site):
    news_site(site)
    site.routes["/slow.xml"] = slow_handler(1.5)
    site.routes["/error.xml"] = (500, {}, "no")
    site.page("/page.xml", "Not a feed")
    site.page("/news/extra.html", "Extra", 7)
    site.routes["/truncated.xml"] = (200, {"Content-Type": "application/rss+xml"},
                                     rss([{"title": "T", "link": site.url("/news/extra.html")}])[:-40])
    errors: list[ReadError] = []
    feeds = ["/slow.xml", "/error.xml", "/missing.xml", "/page.xml", "/truncated.xml", "/feed.xml"]
    stats = crawl([site.url(p) for p in feeds], lambda a: None, on_error=errors.append,
                  fetcher=fast_fetcher(timeout=0.3, retries=0))
    reasons = {e.path: e.reason for e in errors}
    assert reasons[site.url("/slow.xml")].startswith("timed out")
    assert reasons[site.url("/error.xml")] == "HTTP 500 Internal Server Error"
    assert reasons[site.url("/missing.xml")] == "HTTP 404 Not Found"
    assert reasons[site.url("/page.xml")].startswith("not an RSS or Atom feed")
    assert reasons[site.url("/truncated.xml")].startswith("malformed feed XML")
    assert stats.feeds_failed == 4
    assert stats.articles == 4  # the truncated feed's item, and the good feed's three


def test_crawl_callback_sees_every_article(site):
    news_site(site)
    seen = []
    stats = crawl([FeedSpec(site.url("/feed.xml"), "World")], seen.append, fetcher=fast_fetcher())
    assert len(seen) == 3 and stats.articles == 3


def test_max_items_leaves_the_rest_for_the_next_pass(site):
    news_site(site)
    with Crawler([site.url("/feed.xml")], fetcher=fast_fetcher(), max_items=1) as crawler:
        assert len(list(crawler.poll())) == 1
        assert len(list(crawler.poll())) == 1  # not a 304: items are still waiting
        assert len(list(crawler.poll())) == 1


# --------------------------------------------------------------------------
# feed lists and intervals


def test_parse_interval():
    assert parse_interval("15m") == 900
    assert parse_interval("90s") == 90
    assert parse_interval("1h30m") == 5400
    assert parse_interval("2d") == 172800
    assert parse_interval("45") == 45
    assert parse_interval(0.5) == 0.5
    for bad in ("", "15 minutes please", "0m", "-5", "m15"):
        with pytest.raises(ValueError):
            parse_interval(bad)


def test_feed_list_text_and_opml(tmp_path):
    txt = tmp_path / "feeds.txt"
    txt.write_text("# world news\nhttps://a.example/feed.xml  World desk\n\nhttp://b.example/rss # comment\n"
                   "https://a.example/feed.xml\n")
    assert load_feed_list(txt) == [FeedSpec("https://a.example/feed.xml", "World desk"),
                                   FeedSpec("http://b.example/rss", None)]
    opml = tmp_path / "feeds.opml"
    opml.write_text('<?xml version="1.0"?><opml version="2.0"><body><outline text="News">'
                    '<outline type="rss" text="A" xmlUrl="https://a.example/feed.xml"/></outline></body></opml>')
    assert load_feed_list(opml) == [FeedSpec("https://a.example/feed.xml", "A")]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "no feed URLs"),
        (b"# nothing\n", "no feed URLs"),
        (b"ftp://x/feed\nnot a url\n", "line 1: 'ftp://x/feed' is not an http(s) URL; line 2"),
        (b"\xff\xfe\x00bad", "not UTF-8"),
        (b"<opml><body><outline", "malformed OPML"),
    ],
)
def test_bad_feed_lists(tmp_path, content, reason):
    f = tmp_path / "feeds.txt"
    f.write_bytes(content)
    with pytest.raises(ReadError, match=re.escape(reason)):
        load_feed_list(f)


# --------------------------------------------------------------------------
# the command


@pytest.fixture
def crawl_app():
    import typer

    from newsevents.ingest.crawl_cli import crawl_command

    app = typer.Typer()
    app.command("crawl")(crawl_command)
    app.command("other")(lambda: None)  # two commands, so "crawl" is a subcommand as in the real CLI
    return app


def test_crawl_command_writes_json_lines_and_skips_other_languages(tmp_path, site, crawl_app):
    from typer.testing import CliRunner

    news_site(site)
    site.page("/de/1.html", "Gespräche", 9, lang="de")
    site.feed("/de.xml", rss([{"title": "Gespräche", "link": site.url("/de/1.html")}]))
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{site.url('/feed.xml')}\n{site.url('/de.xml')} German desk\n")
    out = tmp_path / "out"
    args = ["crawl", "--feeds", str(feeds), "--out", str(out), "--delay", "0", "--retries", "0"]
    result = CliRunner().invoke(crawl_app, args)
    assert result.exit_code == 0, result.output
    (jsonl,) = sorted(out.glob("articles-*.jsonl"))
    records = [json.loads(line) for line in jsonl.read_text().splitlines()]
    assert sorted(r["url"] for r in records) == sorted(site.url(p) for p in ("/news/1.html", "/news/2.html",
                                                                              "/news/full"))
    assert all(r["language"] == "en" and r["text"] for r in records)
    assert "not English (detected de" in result.output
    assert "disallowed by" in result.output
    assert (out / ".newsevents-crawl.sqlite").exists()
    # a second run finds nothing new: the state file is in --out
    again = CliRunner().invoke(crawl_app, args)
    assert again.exit_code == 0
    assert len(jsonl.read_text().splitlines()) == 3
    assert "2 unchanged" in again.output


def test_crawl_command_every_with_passes_and_stdout(tmp_path, site, crawl_app):
    from typer.testing import CliRunner

    news_site(site)
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(site.url("/feed.xml") + "\n")
    result = CliRunner().invoke(crawl_app, ["crawl", "--feeds", str(feeds), "--every", "0.2s", "--passes", "2",
                                            "--delay", "0", "--state", str(tmp_path / "s.sqlite")])
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.stdout.splitlines() if ln.startswith("{")]
    assert len(lines) == 3
    assert "2 passes" in result.output


def test_crawl_command_bad_arguments(tmp_path, site, crawl_app):
    from typer.testing import CliRunner

    feeds = tmp_path / "feeds.txt"
    feeds.write_text("not a url\n")
    r = CliRunner().invoke(crawl_app, ["crawl", "--feeds", str(feeds)])
    assert r.exit_code == 2 and "not an http(s) URL" in r.output
    feeds.write_text(site.url("/feed.xml") + "\n")
    r = CliRunner().invoke(crawl_app, ["crawl", "--feeds", str(feeds), "--every", "soon"])
    assert r.exit_code == 2 and "not an interval" in r.output
    r = CliRunner().invoke(crawl_app, ["crawl", "--feeds", str(feeds), "--out", str(tmp_path), "--db", "x.db"])
    assert r.exit_code == 2


def test_crawl_command_fails_when_no_feed_can_be_read(tmp_path, site, crawl_app):
    from typer.testing import CliRunner

    feeds = tmp_path / "feeds.txt"
    feeds.write_text(site.url("/missing.xml") + "\n")
    r = CliRunner().invoke(crawl_app, ["crawl", "--feeds", str(feeds), "--delay", "0",
                                       "--state", str(tmp_path / "s.sqlite")])
    assert r.exit_code == 1 and "HTTP 404 Not Found" in r.output


def test_crawl_command_db_hands_each_pass_to_the_store(tmp_path, site, crawl_app, monkeypatch):
    """--db wiring: one ingest run per pass, one article per transaction, the pipeline built once.

    The store, the pipeline and the ingest function are stand-ins here (they
    have their own tests); what is checked is what the crawl gives them.
    """
    from typer.testing import CliRunner

    import newsevents.store
    from newsevents import ingest_run
    from newsevents.ingest import crawl_cli

    news_site(site)
    calls: list[dict] = []
    built: list[object] = []

    class FakeStore:
        label = "fake"

        def close(self):
            calls.append({"closed": True})

    def fake_ingest(paths, db=None, *, store=None, articles=None, pipeline=None, batch_size=16, published=None,
                    progress=True, **kw):
        got = [a.url for a in articles]
        calls.append({"articles": got, "batch_size": batch_size, "pipeline": pipeline, "store": store})
        return ingest_run.IngestSummary(db="fake", read=len(got), new=len(got))

    monkeypatch.setattr(ingest_run, "ingest", fake_ingest)
    monkeypatch.setattr(ingest_run, "render_summary", lambda summary, console=None: None)
    monkeypatch.setattr(newsevents.store, "open_store", lambda db: FakeStore())
    monkeypatch.setattr(crawl_cli, "_make_pipeline", lambda: built.append(1) or "pipeline")
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(site.url("/feed.xml") + "\n")
    db = tmp_path / "news.duckdb"
    r = CliRunner().invoke(crawl_app, ["crawl", "--feeds", str(feeds), "--db", str(db), "--every", "0.1s",
                                       "--passes", "2", "--delay", "0"])
    assert r.exit_code == 0, r.output
    runs = [c for c in calls if "articles" in c]
    assert len(runs) == 2 and len(runs[0]["articles"]) == 3 and runs[1]["articles"] == []
    assert all(c["batch_size"] == 1 and c["pipeline"] == "pipeline" for c in runs)
    assert built == [1] and calls[-1] == {"closed": True}
    assert (tmp_path / "news.duckdb.crawl-state.sqlite").exists()


def test_manual_acknowledgement(site):
    news_site(site)
    with Crawler([site.url("/feed.xml")], fetcher=fast_fetcher(), auto_ack=False) as crawler:
        batch = list(crawler.poll())  # a store that writes in batches: nothing is acknowledged yet
        assert len(batch) == 3
        assert len(list(crawler.poll())) == 3  # not stored, so handed over again (and not a 304)
        for a in batch:
            crawler.ack(a)
        assert list(crawler.poll()) == []
        assert crawler.stats.feeds_unchanged == 0
        assert list(crawler.poll()) == [] and crawler.stats.feeds_unchanged == 1


def test_unreadable_robots_txt_is_retried_later_not_given_up(site):
    """robots.txt failing with 5xx blocks a site for now; its items are tried again on a later pass."""
    robots_down = {"localhost": True}

    def robots(req, n):  # the pages' host ("localhost") fails, the feed's host (127.0.0.1) is fine
        if req.headers["Host"].startswith("localhost") and robots_down["localhost"]:
            return (503, {}, "busy")
        return (200, {"Content-Type": "text/plain"}, "User-agent: *\nDisallow:\n")

    site.routes["/robots.txt"] = robots
    site.page("/news/1.html", "Talks resume", 1)
    page_url = f"http://localhost:{site.port}/news/1.html"
    site.feed("/feed.xml", rss([{"title": "Talks resume", "link": page_url}]))
    fetcher = fast_fetcher(retries=0)
    fetcher.robots_ttl = 0.0  # read robots.txt again on every request
    errors: list[ReadError] = []
    with Crawler([site.url("/feed.xml")], fetcher=fetcher, on_error=errors.append) as crawler:
        assert list(crawler.poll()) == []
        assert "could not be read (HTTP 503)" in errors[0].reason
        assert crawler.state.status(page_url) == ("retry", 1)
        robots_down["localhost"] = False  # the site recovers
        assert [a.url for a in crawler.poll()] == [page_url]
        assert crawler.stats.skipped["robots.txt unreadable"] == 1

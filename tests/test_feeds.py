"""RSS and Atom feeds: files written here, and feeds and pages served from 127.0.0.1."""

from __future__ import annotations

import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsevents.ingest import ReadError, read_file, read_paths, readers, sources
from newsevents.ingest.feeds import looks_like_feed, parse_feed, read_feed
from newsevents.ingest.http import Fetcher

sources.register(fetch_linked=False)  # files only, unless a test gives a fetcher

PARAS = [
    "The foreign ministers of Japan and South Korea met in Busan on Saturday and agreed to resume regular "
    "security talks that were suspended four years ago, the Japanese foreign ministry said.",
    "The ministers also discussed North Korea's missile launches and agreed to share information on them "
    "in real time, according to a joint statement released after the meeting.",
    "Opposition lawmakers in Seoul criticised the agreement, saying that the government had not obtained "
    "an apology for wartime forced labour before making concessions to Tokyo.",
    "The next meeting is planned for the autumn in Tokyo, where the two sides hope to sign a memorandum "
    "on the exchange of military information, officials said on condition of anonymity.",
]
FULL = "".join(f"<p>{p}</p>" for p in PARAS)


def rss_item(title, link, content=None, summary="A short summary.", date_="Sat, 17 Feb 2024 09:00:00 GMT",
             author=None):
    parts = [f"<title>{title}</title>", f"<link>{link}</link>", f"<guid>{link}</guid>",
             f"<pubDate>{date_}</pubDate>", f"<description>{summary}</description>"]
    if author:
        parts.append(f"<dc:creator>{author}</dc:creator>")
    if content:
        parts.append(f"<content:encoded><![CDATA[{content}]]></content:encoded>")
    return "<item>" + "".join(parts) + "</item>"


def rss(items, title="Asia Desk"):
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<channel><title>{title}</title><link>https://news.example.com/</link>{''.join(items)}</channel></rss>")


def atom(entries, title="Atom Desk"):
    body = []
    for e in entries:
        body.append(
            f"<entry><title>{e['title']}</title><link href=\"{e['link']}\"/><id>{e['link']}</id>"
            f"<updated>2024-02-18T10:00:00Z</updated><published>2024-02-18T06:00:00Z</published>"
            f"<author><name>{e.get('author', 'Kim Min-ji')}</name></author><summary>Summary.</summary>"
            + (f"<content type=\"html\"><![CDATA[{e['content']}]]></content>" if e.get("content") else "")
            + "</entry>"
        )
    return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{title}</title><id>urn:desk</id><updated>2024-02-18T10:00:00Z</updated>{''.join(body)}</feed>")


def page(title, paras=PARAS):
    return (f"<html><head><meta charset='utf-8'><title>{title}</title>"
            "<meta property='og:site_name' content='Example Daily'><meta name='author' content='Page Author'>"
            f"</head><body><nav>Home</nav><article><h1>{title}</h1>{''.join(f'<p>{p}</p>' for p in paras)}"
            "</article></body></html>")


def collect(paths):
    errors: list[ReadError] = []
    return list(read_paths(paths, on_error=errors.append)), errors


# --------------------------------------------------------------------------
# feed files


def test_rss_file_with_full_content(tmp_path):
    f = tmp_path / "asia.rss"
    f.write_text(rss([rss_item("Japan and South Korea resume talks", "https://news.example.com/a", FULL,
                               author="Lee Jae-won"),
                      rss_item("Second story", "https://news.example.com/b", FULL.replace("Busan", "Seoul"))]))
    articles = list(read_file(f))
    assert len(articles) == 2
    a = articles[0]
    assert a.title == "Japan and South Korea resume talks"
    assert a.url == "https://news.example.com/a"
    assert a.author == "Lee Jae-won"
    assert a.outlet == "Asia Desk"
    assert a.published == date(2024, 2, 17)
    assert a.text.split("\n\n") == PARAS
    assert a.source_path == f"{f}#1"


def test_atom_file_with_full_content(tmp_path):
    f = tmp_path / "desk.atom"
    f.write_text(atom([{"title": "Ministers meet", "link": "https://news.example.com/c", "content": FULL}]))
    (a,) = list(read_file(f))
    assert (a.title, a.author, a.outlet, a.published) == ("Ministers meet", "Kim Min-ji", "Atom Desk",
                                                          date(2024, 2, 18))
    assert a.text.startswith("The foreign ministers of Japan and South Korea met in Busan")


def test_xml_extension_is_a_feed_too(tmp_path):
    f = tmp_path / "feed.xml"
    f.write_text(rss([rss_item("T", "https://news.example.com/x", FULL)]))
    assert len(list(read_file(f))) == 1


def test_xhtml_page_saved_as_xml_is_read_as_a_page(tmp_path):
    f = tmp_path / "saved.xml"
    f.write_text('<?xml version="1.0" encoding="utf-8"?>\n' + page("Saved page").replace("<html>",
                 '<html xmlns="http://www.w3.org/1999/xhtml">'))
    (a,) = list(read_file(f))
    assert a.title == "Saved page"


def test_summary_only_items_without_fetching_are_reported(tmp_path):
    f = tmp_path / "teasers.rss"
    f.write_text(rss([rss_item("Teaser", "https://news.example.com/t"),
                      rss_item("Full", "https://news.example.com/f", FULL)]))
    articles, errors = collect([f])
    assert [a.title for a in articles] == ["Full"]
    (e,) = errors
    assert e.path == f"{f}#1" and "only a summary" in e.reason


def test_short_content_is_a_teaser():
    feed = parse_feed(rss([rss_item("T", "https://x.example/t", "<p>Just one line.</p>")]).encode(), "f")
    assert not feed.items[0].has_full_content


def test_duplicate_items_are_read_once(tmp_path):
    f = tmp_path / "dup.rss"
    item = rss_item("Same", "https://news.example.com/same", FULL)
    f.write_text(rss([item, item]))
    assert len(list(read_file(f))) == 1


def test_malformed_feed_keeps_what_it_can_and_says_so(tmp_path):
    f = tmp_path / "cut.rss"
    text = rss([rss_item("First", "https://news.example.com/1", FULL),
                rss_item("Second", "https://news.example.com/2", FULL.replace("Busan", "Osaka"))])
    f.write_text(text[: text.rfind("</item>")])  # cut inside the second item
    articles, errors = collect([f])
    assert [a.title for a in articles][:1] == ["First"]
    (e,) = errors
    assert e.path == str(f) and e.reason.startswith("malformed feed XML (") and "items recovered" in e.reason


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.rss", b"", "empty file"),
        ("binary.rss", b"\x00\x01\x02\x03\x04" * 50, "binary content"),
        ("notxml.rss", b"this is plain text, not a feed at all\n" * 3, "not an RSS or Atom feed"),
        ("garbled.xml", b"<?xml version='1.0'?><rss><channel><<<>>>&&&", "malformed feed XML (not well-formed"),
        ("sitemap.xml", b"<?xml version='1.0'?><urlset><url><loc>https://x/</loc></url></urlset>",
         "not an RSS or Atom feed"),
        ("latin1.rss", "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Caf\xe9"
         "</title></channel></rss>".encode("latin-1"), "feed has no items"),
        ("noitems.atom", b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>x</title></feed>",
         "feed has no items"),
    ],
)
def test_bad_feed_files_are_reported_and_the_batch_goes_on(tmp_path, name, content, reason):
    bad = tmp_path / name
    bad.write_bytes(content)
    good = tmp_path / "good.rss"
    good.write_text(rss([rss_item("Good", "https://news.example.com/g", FULL)]))
    articles, errors = collect([bad, good])
    assert [a.title for a in articles] == ["Good"]
    (e,) = errors
    assert e.path == str(bad) and reason in e.reason


def test_huge_feed_is_refused(tmp_path):
    f = tmp_path / "huge.rss"
    with open(f, "w") as fh:
        fh.write('<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>')
        item = rss_item("x", "https://x.example/1", FULL)
        for _ in range(21 * 1024 * 1024 // len(item) + 1):
            fh.write(item)
        fh.write("</channel></rss>")
    _, errors = collect([f])
    assert errors[0].reason == "feed over 20 MB"


def test_looks_like_feed():
    assert looks_like_feed(b'<?xml version="1.0"?>\n<!-- hi -->\n<rss version="2.0">')
    assert looks_like_feed(b"<feed xmlns='http://www.w3.org/2005/Atom'>")
    assert looks_like_feed(b"<html>", "application/atom+xml; charset=utf-8")
    assert not looks_like_feed(b"<!DOCTYPE html><html><body>")


# --------------------------------------------------------------------------
# feeds and pages over HTTP


class Site:
    """Feeds and pages on 127.0.0.1; ``routes`` maps a path to (status, content type, body) or a delay."""

    def __init__(self):
        self.routes: dict[str, tuple] = {"/robots.txt": (200, "text/plain", "User-agent: *\nDisallow: /private/\n")}
        self.hits: dict[str, int] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *a):
                pass

            def do_GET(self):  # noqa: N802
                site.hits[self.path] = site.hits.get(self.path, 0) + 1
                status, ctype, body = site.routes.get(self.path, (404, "text/plain", "not found"))
                if status == "slow":
                    time.sleep(ctype)
                    status, ctype, body = 200, "text/html", body
                data = body.encode() if isinstance(body, str) else body
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()

    def url(self, path):
        return self.base + path


@pytest.fixture
def site():
    s = Site()
    yield s
    s.server.shutdown()
    s.server.server_close()


@pytest.fixture
def fetcher():
    f = Fetcher(min_interval=0.0, retries=1, backoff=0.01, timeout=0.4)
    yield f
    f.close()


def test_linked_pages_are_fetched(tmp_path, site, fetcher):
    site.routes["/a.html"] = (200, "text/html; charset=utf-8", page("Page A"))
    site.routes["/b.html"] = (200, "text/html; charset=utf-8", page("Page B", PARAS[::-1]))
    f = tmp_path / "teasers.rss"
    f.write_text(rss([rss_item("Feed title A", site.url("/a.html"), date_="Mon, 19 Feb 2024 01:00:00 GMT"),
                      rss_item("Feed title B", site.url("/b.html"))]))
    errors: list[ReadError] = []
    articles = list(read_feed(f, fetcher=fetcher, on_error=errors.append))
    assert errors == []
    a, b = articles
    assert a.title == "Feed title A"  # the feed's title wins over the page's
    assert a.published == date(2024, 2, 19)  # so does its date
    assert a.author == "Page Author" and a.outlet == "Example Daily"  # the page fills the rest
    assert a.url == site.url("/a.html") and a.source_path == site.url("/a.html")
    assert a.text.split("\n\n") == PARAS
    assert b.text.split("\n\n") == PARAS[::-1]


def test_linked_page_failures_are_reported_per_item(tmp_path, site, fetcher):
    site.routes["/ok.html"] = (200, "text/html", page("OK"))
    site.routes["/err.html"] = (500, "text/plain", "boom")
    site.routes["/slow.html"] = ("slow", 1.2, page("Slow"))
    site.routes["/img.html"] = (200, "image/png", b"\x89PNG\r\n" + bytes(100))
    site.routes["/nav.html"] = (200, "text/html", "<html><body><nav>Home</nav></body></html>")
    f = tmp_path / "mixed.rss"
    f.write_text(rss([rss_item(p, site.url(p)) for p in
                      ("/err.html", "/slow.html", "/private/x.html", "/img.html", "/nav.html", "/gone.html",
                       "/ok.html")]))
    errors: list[ReadError] = []
    articles = list(read_feed(f, fetcher=fetcher, on_error=errors.append))
    assert [a.url for a in articles] == [site.url("/ok.html")]
    reasons = {e.path: e.reason for e in errors}
    assert reasons[site.url("/err.html")] == "HTTP 500 Internal Server Error (after 2 attempts)"
    assert reasons[site.url("/slow.html")].startswith("timed out waiting for the response")
    assert "robots.txt" in reasons[site.url("/private/x.html")]
    assert reasons[site.url("/img.html")] == "linked page is image/png, not HTML"
    assert reasons[site.url("/nav.html")].startswith("no article text")
    assert reasons[site.url("/gone.html")] == "HTTP 404 Not Found"
    assert "/private/x.html" not in site.hits


def test_feed_url(site, fetcher):
    site.routes["/feed"] = (200, "application/rss+xml", rss([rss_item("T", site.url("/x"), FULL)]))
    assert [a.url for a in read_feed(site.url("/feed"), fetcher=fetcher)] == [site.url("/x")]


@pytest.mark.parametrize(
    ("path", "route", "reason"),
    [
        ("/down.xml", (503, "text/plain", "down"), "HTTP 503 Service Unavailable (after 2 attempts)"),
        ("/slow.xml", ("slow", 1.2, "<rss/>"), "timed out waiting for the response (0.4 s) (2 attempts)"),
        ("/html.xml", (200, "text/html", page("Not a feed")), "not an RSS or Atom feed"),
    ],
)
def test_feed_urls_that_fail(site, fetcher, path, route, reason):
    site.routes[path] = route
    with pytest.raises(ReadError) as exc:
        read_feed(site.url(path), fetcher=fetcher)
    assert exc.value.path == site.url(path) and reason in exc.value.reason


def test_read_url_tells_feeds_from_pages(site, fetcher):
    site.routes["/feed"] = (200, "application/xml", rss([rss_item("T", site.url("/x"), FULL)]))
    site.routes["/story"] = (200, "text/html", page("A story"))
    site.routes["/logo"] = (200, "image/png", b"\x89PNG")
    site.routes["/bin"] = (200, "", b"\x00\x01\x02" * 50)
    assert [a.title for a in sources.read_url(site.url("/feed"), fetcher=fetcher)] == ["T"]
    assert [a.title for a in sources.read_url(site.url("/story"), fetcher=fetcher)] == ["A story"]
    with pytest.raises(ReadError, match="content type image/png is neither an HTML page nor a feed"):
        sources.read_url(site.url("/logo"), fetcher=fetcher)
    with pytest.raises(ReadError, match="binary content"):
        sources.read_url(site.url("/bin"), fetcher=fetcher)


@pytest.mark.skipif(not hasattr(readers, "register_url_reader"),
                    reason="readers.read_paths does not dispatch URLs yet (register_url_reader)")
def test_urls_in_read_paths(tmp_path, site, fetcher):
    site.routes["/story"] = (200, "text/html", page("A story"))
    good = tmp_path / "good.rss"
    good.write_text(rss([rss_item("Good", "https://news.example.com/g", FULL)]))
    sources.register(fetcher=fetcher, fetch_linked=False)
    try:
        articles, errors = collect([site.url("/story"), site.url("/missing"), good])
    finally:
        sources.register(fetch_linked=False)
        sources.set_default_fetcher(None)
    assert [a.title for a in articles] == ["A story", "Good"]
    assert [(e.path, e.reason) for e in errors] == [(site.url("/missing"), "HTTP 404 Not Found")]

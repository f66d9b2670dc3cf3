"""WARC and WARC.gz files written with warcio's own writer, whole and truncated."""

from __future__ import annotations

import inspect
import io
import re
from datetime import date
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsevents.ingest import ReadError, read_file, read_paths, readers, sources
from newsevents.ingest.warc import iter_warc_articles

sources.register(fetch_linked=False)
SNIFF_FLAG = "binary" in inspect.signature(readers.register_reader).parameters

TOPICS = [
    ("Japan", "North Korea", "a summit in Pyongyang"),
    ("France", "Germany", "a common defence budget"),
    ("Brazil", "Argentina", "a new trade agreement"),
    ("Kenya", "Ethiopia", "the disputed border crossing"),
    ("India", "Pakistan", "the release of fishermen"),
    ("Canada", "Mexico", "migration along the corridor"),
    ("Chile", "Peru", "water rights in the north"),
    ("Egypt", "Sudan", "the dam on the Blue Nile"),
]


def story(i: int) -> str:
    a, b, what = TOPICS[i % len(TOPICS)]
    paras = [
        f"Officials from {a} and {b} met on Tuesday to discuss {what}, the foreign ministry of {a} said in a "
        f"statement issued after the talks in story number {i}.",
        f"The delegation from {b} was led by its deputy foreign minister, who told reporters that the "
        f"two sides had agreed to meet again next month to continue the negotiations on {what}.",
        f"Analysts said the meeting between {a} and {b} was the first at this level in three years and "
        f"followed weeks of quiet contacts between their diplomats in third countries.",
        f"A spokesperson for the government of {b} declined to say whether the talks on {what} had made "
        f"progress, but said that both delegations considered them useful ({i * 7919 % 1000} words).",
        f"Opposition leaders in {a} criticised the meeting, saying that the government had given away too "
        f"much in exchange for a promise of further talks, and called for a debate in parliament {i}.",
    ]
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (
        f"<html><head><meta charset='utf-8'><title>{a} and {b} hold talks</title>"
        f"<meta property='og:site_name' content='Wire Service'>"
        f"<meta property='article:published_time' content='2024-03-0{1 + i % 9}T10:00:00Z'></head>"
        f"<body><nav><a href='/'>Home</a></nav><article><h1>{a} and {b} hold talks</h1>{body}</article>"
        f"<footer>Copyright Wire Service</footer></body></html>"
    )


def write_warc(path: Path, records: list[tuple], gzip: bool) -> bytes:
    """records: (kind, uri, payload bytes, status line, content type)."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "newsevents tests"}))
        for kind, uri, payload, status, ctype in records:
            if kind == "response":
                http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
                rec = writer.create_warc_record(uri, "response", payload=io.BytesIO(payload), http_headers=http)
            elif kind == "request":
                http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example.com")], is_http_request=True)
                rec = writer.create_warc_record(uri, "request", payload=io.BytesIO(b""), http_headers=http)
            else:  # resource
                rec = writer.create_warc_record(uri, "resource", payload=io.BytesIO(payload),
                                                warc_content_type=ctype)
            writer.write_record(rec)
    return path.read_bytes()


def crawl_records(n: int = 6) -> list[tuple]:
    recs: list[tuple] = []
    for i in range(n):
        uri = f"https://news.example.com/world/story-{i}"
        recs.append(("request", uri, b"", "", ""))
        recs.append(("response", uri, story(i).encode(), "200 OK", "text/html; charset=utf-8"))
    return recs


def collect(paths):
    errors: list[ReadError] = []
    return list(read_paths(paths, on_error=errors.append)), errors


@pytest.mark.parametrize("gz", [True, False])
def test_html_responses_become_articles(tmp_path, gz):
    f = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    write_warc(f, crawl_records(4), gzip=gz)
    articles = list(read_file(f))
    assert [a.url for a in articles] == [f"https://news.example.com/world/story-{i}" for i in range(4)]
    first = articles[0]
    assert first.title == "Japan and North Korea hold talks"
    assert first.outlet == "Wire Service"
    assert first.published == date(2024, 3, 1)
    assert first.text.startswith("Officials from Japan and North Korea met on Tuesday")
    assert "Copyright" not in first.text and "Home" not in first.text
    # warcinfo is record 1, then request/response pairs: the responses are 3, 5, 7, 9
    assert [a.source_path for a in articles] == [f"{f}#{n}" for n in (3, 5, 7, 9)]


def test_other_records_are_passed_over(tmp_path):
    f = tmp_path / "mixed.warc.gz"
    recs = [
        ("response", "https://news.example.com/logo.png", b"\x89PNG\r\n" + bytes(300), "200 OK", "image/png"),
        ("response", "https://news.example.com/old", b"", "301 Moved Permanently", "text/html"),
        ("response", "https://news.example.com/gone", b"<html>gone</html>", "404 Not Found", "text/html"),
        ("response", "https://news.example.com/robots.txt", b"User-agent: *\n", "200 OK", "text/plain"),
        ("response", "https://news.example.com/a", story(1).encode(), "200 OK", "text/html"),
        ("resource", "https://news.example.com/b", story(2).encode(), "", "text/html; charset=utf-8"),
    ]
    write_warc(f, recs, gzip=True)
    articles = list(iter_warc_articles(f, str(f)))  # raises on any error
    assert [a.url for a in articles] == ["https://news.example.com/a", "https://news.example.com/b"]


@pytest.mark.skipif(not SNIFF_FLAG, reason="readers.register_reader has no binary flag yet: its text sniff "
                    "rejects a WARC whose first 8 KB hold a binary record")
def test_binary_record_at_the_start_through_read_paths(tmp_path):
    f = tmp_path / "image-first.warc"
    recs = [
        ("response", "https://news.example.com/logo.png", b"\x89PNG\r\n" + bytes(3000), "200 OK", "image/png"),
        ("response", "https://news.example.com/a", story(1).encode(), "200 OK", "text/html"),
    ]
    write_warc(f, recs, gzip=False)
    articles, errors = collect([f])
    assert [a.url for a in articles] == ["https://news.example.com/a"] and errors == [], errors


def test_unreadable_page_is_reported_with_record_and_url(tmp_path):
    f = tmp_path / "bad-record.warc.gz"
    recs = [
        ("response", "https://news.example.com/empty", b"<html><body><nav>Home</nav></body></html>", "200 OK",
         "text/html"),
        ("response", "https://news.example.com/ok", story(3).encode(), "200 OK", "text/html"),
    ]
    write_warc(f, recs, gzip=True)
    articles, errors = collect([f])
    assert [a.url for a in articles] == ["https://news.example.com/ok"]
    (e,) = errors
    assert e.path == f"{f}#2"
    assert e.reason.startswith("https://news.example.com/empty: no article text")


def test_charset_from_the_http_header(tmp_path):
    f = tmp_path / "latin.warc"
    html = story(0).replace("<meta charset='utf-8'>", "").replace("Tuesday", "Tuesday – in São Paulo –")
    recs = [("response", "https://news.example.com/sp", html.encode("cp1252"), "200 OK",
             "text/html; charset=windows-1252")]
    write_warc(f, recs, gzip=False)
    (article,) = list(read_file(f))
    assert "São Paulo" in article.text


def test_truncated_gzip_reports_and_keeps_complete_records(tmp_path):
    whole = tmp_path / "whole.warc.gz"
    data = write_warc(whole, crawl_records(8), gzip=True)
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: int(len(data) * 0.6)])
    good = tmp_path / "after.warc.gz"
    write_warc(good, crawl_records(2), gzip=True)

    articles, errors = collect([cut, good])
    from_cut = [a for a in articles if a.source_path.startswith(str(cut))]
    from_good = [a for a in articles if a.source_path.startswith(str(good))]
    assert 2 <= len(from_cut) < 8  # every complete record before the cut
    assert len(from_good) == 2  # the batch went on
    (e,) = errors
    assert e.path == str(cut)
    assert e.reason.startswith("truncated gzip: the file ends inside record ")
    assert f"{len(from_cut)} articles read" in e.reason


def test_gzip_cut_in_its_last_trailer(tmp_path):
    data = write_warc(tmp_path / "w.warc.gz", crawl_records(6), gzip=True)
    f = tmp_path / "trailer.warc.gz"
    f.write_bytes(data[:-4])  # the last member loses part of its CRC/size trailer
    articles, errors = collect([f])
    assert len(articles) == 6
    assert len(errors) == 1 and errors[0].reason.startswith("truncated gzip")


def test_truncated_uncompressed_warc(tmp_path):
    data = write_warc(tmp_path / "w.warc", crawl_records(6), gzip=False)
    f = tmp_path / "cut.warc"
    f.write_bytes(data[: int(len(data) * 0.55)])
    articles, errors = collect([f])
    assert 1 <= len(articles) < 6
    (e,) = errors
    assert e.path == str(f) and e.reason.startswith("truncated WARC: the file ends inside record ")
    assert f"{len(articles)} articles read" in e.reason


def test_truncated_inside_a_payload_names_the_url(tmp_path):
    data = write_warc(tmp_path / "w.warc", crawl_records(3), gzip=False)
    last = data.rfind(b"<article>")  # inside the last response's HTML
    f = tmp_path / "cut.warc"
    f.write_bytes(data[:last])
    articles, errors = collect([f])
    assert len(articles) == 2
    assert "(https://news.example.com/world/story-2)" in errors[0].reason


def test_gzip_named_plain_and_plain_named_gzip(tmp_path):
    data = write_warc(tmp_path / "a.warc.gz", crawl_records(2), gzip=True)
    f = tmp_path / "misnamed.warc"
    f.write_bytes(data)
    assert len(list(iter_warc_articles(f, str(f)))) == 2


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.warc", b"", "empty file"),
        ("text.warc", b"this is not a web archive\n" * 20, "not a WARC file"),
        ("html.warc.gz", None, "not a WARC file"),
        ("binary.warc", b"\x00\x01\x02\x03" * 100, "binary content|not a WARC file"),
    ],
)
def test_bad_files_are_reported_and_the_batch_goes_on(tmp_path, name, content, reason):
    import gzip as gzip_module

    bad = tmp_path / name
    if content is None:
        bad.write_bytes(gzip_module.compress(b"<html><body><p>hello</p></body></html>"))
    else:
        bad.write_bytes(content)
    good = tmp_path / "good.warc.gz"
    write_warc(good, crawl_records(1), gzip=True)
    articles, errors = collect([bad, good])
    assert [a.url for a in articles] == ["https://news.example.com/world/story-0"]
    (e,) = errors
    assert e.path == str(bad) and re.search(reason, e.reason)


def test_corrupt_gzip_data(tmp_path):
    data = bytearray(write_warc(tmp_path / "w.warc.gz", crawl_records(8), gzip=True))
    mid = len(data) * 3 // 4
    data[mid : mid + 40] = b"\xff" * 40
    f = tmp_path / "corrupt.warc.gz"
    f.write_bytes(bytes(data))
    articles, errors = collect([f])
    assert len(articles) < 6
    assert len(errors) == 1 and errors[0].path == str(f)
    assert "corrupt" in errors[0].reason or "truncated" in errors[0].reason


def test_error_raised_without_on_error(tmp_path):
    data = write_warc(tmp_path / "w.warc.gz", crawl_records(8), gzip=True)
    f = tmp_path / "cut.warc.gz"
    f.write_bytes(data[: len(data) * 3 // 4])
    with pytest.raises(ReadError, match="truncated gzip"):
        list(read_file(f))

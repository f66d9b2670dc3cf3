"""Readers: real files of every supported format written to a temporary folder."""

from __future__ import annotations

import gzip
import io
import json
import pickle
import re
import sys
from datetime import date

import pytest

from newsevents.ingest import ReadError, parse_header, read_file, read_paths
from newsevents.ingest import readers as readers_module
from newsevents.model import Article, content_hash

SEED = "seed/kishida-north-korea-summit-2024-02-15.txt"
WEEKDAY_DATELINE = re.compile(
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \w+ \d{1,2}, \d{4}"
)


def collect(paths, **kw):
    errors: list[ReadError] = []
    articles = list(read_paths(paths, on_error=errors.append, **kw))
    return articles, errors


# --------------------------------------------------------------------------
# the seed article


def test_seed_article(shared):
    (article,) = list(read_file(shared / SEED))
    assert article.title == "Japanese prime minister pushing for summit with North Korean leader"
    assert article.author == "Ben McGrath"
    assert article.published == date(2024, 2, 15)
    assert article.text.startswith("Amid growing international turmoil")
    assert "So far, Washington has avoided" in article.text
    assert "his public comments and actions during" in article.text
    assert "The next general election is scheduled for October 2025." in article.text
    assert "\\$" not in article.text
    assert "$US14.9 billion" in article.text
    assert "The Financial Times (FT)" in article.text
    assert "*" not in article.text
    assert article.text.endswith(
        "around the world emanating from the political crisis surrounding the US elections."
    )
    assert "WSWS" not in article.text and "wsws.org" not in article.text
    assert "\n\n\n" not in article.text
    assert article.source_path == str(shared / SEED)
    assert article.id == content_hash(article.text)[:16]


def test_seed_date_in_file_wins_over_argument(shared):
    (article,) = list(read_file(shared / SEED, published=date(2030, 1, 1)))
    assert article.published == date(2024, 2, 15)


# --------------------------------------------------------------------------
# text and markdown


def test_txt_with_header(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(
        "\n\nTokyo seeks talks with Pyongyang\n\nBy Jane Doe\n3 March 2024\n\n"
        "Tokyo is seeking talks with Pyongyang, officials said\n\non Friday.\n",
        encoding="utf-8",
    )
    (a,) = list(read_file(p))
    assert (a.title, a.author, a.published) == ("Tokyo seeks talks with Pyongyang", "Jane Doe", date(2024, 3, 3))
    assert a.text == "Tokyo is seeking talks with Pyongyang, officials said on Friday."
    assert a.source_path == str(p)


def test_txt_without_header_is_all_body(tmp_path):
    p = tmp_path / "b.text"
    body = "Tokyo is seeking talks with Pyongyang, officials said on Friday.\n\nMore follows."
    p.write_text(body, encoding="utf-8")
    (a,) = list(read_file(p, published=date(2024, 1, 2)))
    assert a.title is None and a.author is None
    assert a.published == date(2024, 1, 2)  # the argument fills the gap
    assert a.text == body


def test_txt_key_lines(tmp_path):
    p = tmp_path / "c.txt"
    p.write_text("Title: Summit talk\nAuthor: By Ben McGrath\nDate: February 15, 2024\n\nBody text.", encoding="utf-8")
    (a,) = list(read_file(p))
    assert (a.title, a.author, a.published, a.text) == ("Summit talk", "Ben McGrath", date(2024, 2, 15), "Body text.")


def test_md_with_front_matter(tmp_path):
    p = tmp_path / "d.md"
    p.write_text(
        "---\ntitle: \"Kishida's *summit* bid\"\nauthors:\n  - Jane Doe\n  - John Roe\n"
        "date: 2024-02-15T09:30:00+09:00\nurl: https://example.org/kishida\nsource: Example News\n---\n\n"
        "# Kishida's *summit* bid\n\nThe *Financial Times* reported [talks](https://ft.com/x) in Beijing.\n",
        encoding="utf-8",
    )
    (a,) = list(read_file(p))
    assert a.title == "Kishida's summit bid"
    assert a.author == "Jane Doe, John Roe"
    assert a.published == date(2024, 2, 15)
    assert a.url == "https://example.org/kishida"
    assert a.outlet == "Example News"
    assert a.text == "The Financial Times reported talks in Beijing."


def test_markdown_heading_title(tmp_path):
    p = tmp_path / "e.markdown"
    p.write_text("# North Korea fires missile\n\nPyongyang fired a missile on Monday.\n", encoding="utf-8")
    (a,) = list(read_file(p))
    assert a.title == "North Korea fires missile"
    assert a.text == "Pyongyang fired a missile on Monday."


def test_parse_header_shapes():
    fields, body = parse_header("\n\nA title line\n\nBen McGrath\n15 February 2024\n\nBody.")
    assert fields == {"title": "A title line", "author": "Ben McGrath", "published": date(2024, 2, 15)}
    assert body.strip() == "Body."
    text = "The minister said on Friday that talks would continue.\n\nMore."
    assert parse_header(text) == ({}, text)


# --------------------------------------------------------------------------
# JSON lines and JSON


def test_jsonl_bad_line_reported_and_rest_read(tmp_path):
    p = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"text": "First article text.", "title": "One", "date": "2024-02-15", "url": "https://a.org/1"}),
        '{"text": "broken',
        "",
        json.dumps({"content": "Second article text.", "published_at": "2024-02-16T10:00:00Z", "source": "Reuters"}),
        json.dumps({"title": "no text here"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"body": "Third article.", "link": "https://en.wikinews.org/wiki/X", "byline": ["A B", "C D"]}),
    ]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles, errors = collect([p], published=date(2024, 3, 1))
    assert [a.text for a in articles] == ["First article text.", "Second article text.", "Third article."]
    assert [a.source_path for a in articles] == [f"{p}:1", f"{p}:4", f"{p}:7"]
    assert articles[0].published == date(2024, 2, 15)  # the record's date wins
    assert articles[1].published == date(2024, 2, 16) and articles[1].outlet == "Reuters"
    assert articles[2].published == date(2024, 3, 1)  # the argument fills the gap
    assert articles[2].outlet == "Wikinews" and articles[2].author == "A B, C D"
    assert [e.path for e in errors] == [f"{p}:2", f"{p}:5", f"{p}:6"]
    assert "invalid JSON" in errors[0].reason
    assert str(errors[0]) == f"{p}:2: {errors[0].reason}"
    assert "no text" in errors[1].reason


def test_jsonl_error_raised_without_on_error(tmp_path):
    p = tmp_path / "bad.ndjson"
    p.write_text(json.dumps({"text": "Fine."}) + "\nnot json\n", encoding="utf-8")
    it = read_file(p)
    assert next(it).text == "Fine."
    with pytest.raises(ReadError) as info:
        next(it)
    assert info.value.path == f"{p}:2"


def test_jsonl_gz(tmp_path):
    p = tmp_path / "batch.jsonl.gz"
    with gzip.open(p, "wt", encoding="utf-8") as f:
        f.write(json.dumps({"text": "Compressed article."}) + "\n")
    assert [a.text for a in read_file(p)] == ["Compressed article."]


def test_json_object_list_and_wrapper(tmp_path):
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"text": "Single.", "source": {"id": "x", "name": "AP"}}), encoding="utf-8")
    many = tmp_path / "many.json"
    many.write_text(json.dumps([{"text": "A."}, {"text": ""}, {"text": "C."}]), encoding="utf-8")
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(json.dumps({"status": "ok", "articles": [{"content": "W."}]}), encoding="utf-8")
    articles, errors = collect([one, many, wrapped])
    assert [a.text for a in articles] == ["Single.", "A.", "C.", "W."]
    assert articles[0].outlet == "AP" and articles[0].source_path == str(one)
    assert articles[2].source_path == f"{many}#3"
    assert [(e.path, e.reason) for e in errors] == [(f"{many}#2", "empty text")]


def test_invalid_json_document(tmp_path):
    p = tmp_path / "x.json"
    p.write_text("{not json", encoding="utf-8")
    with pytest.raises(ReadError, match="invalid JSON"):
        list(read_file(p))


# --------------------------------------------------------------------------
# CSV and TSV


def test_csv_multiline_quoted_fields(tmp_path):
    p = tmp_path / "news.csv"
    p.write_text(
        "url,date,title,text\n"
        '"https://en.wikinews.org//wiki/A",2019-01-04,"A, with comma","Friday, January 4, 2019\u00a0 \n\n\n'
        'An apartment building collapsed.\n\n\nOfficials said ""gas"" leaked."\n'
        '"https://en.wikinews.org//wiki/B",,B,"Saturday, January 5, 2019\n\n\nSecond story."\n'
        '"https://example.org/c",2019-01-06,C,""\n'
        '"https://example.org/d",2019-01-07,D,"Plain text, no dateline."\n',
        encoding="utf-8",
    )
    articles, errors = collect([p], published=date(2000, 1, 1))
    assert [a.title for a in articles] == ["A, with comma", "B", "D"]
    a, b, d = articles
    assert a.text == "An apartment building collapsed.\n\nOfficials said \"gas\" leaked."
    assert a.published == date(2019, 1, 4) and a.outlet == "Wikinews"
    assert b.published == date(2019, 1, 5)  # from the dateline: no date column value
    assert b.text == "Second story."
    assert d.outlet is None and d.published == date(2019, 1, 7)
    assert a.source_path == f"{p}:2" and b.source_path == f"{p}:9" and d.source_path == f"{p}:14"
    assert [(e.path, e.reason) for e in errors] == [(f"{p}:13", "row has no text")]


def test_tsv(tmp_path):
    p = tmp_path / "news.tsv"
    p.write_text("Title\tContent\tPublished\nOne\tFirst text.\t2024-02-15\n", encoding="utf-8")
    (a,) = list(read_file(p))
    assert (a.title, a.text, a.published) == ("One", "First text.", date(2024, 2, 15))


def test_csv_without_text_column(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ReadError, match="no text column"):
        list(read_file(p))


def test_large_csv_field(tmp_path):
    p = tmp_path / "big.csv"
    body = ("word " * 60_000).strip() + "."  # 300 KB: over the csv module's default limit
    p.write_text(f'title,text\nBig,"{body}"\n', encoding="utf-8")
    (a,) = list(read_file(p))
    assert len(a.text) == len(body)


def test_wikinews_csv(corpora):
    path = corpora / "wikinews-articles" / "wikinews_2019.csv"
    articles, errors = collect([path])
    assert errors == []
    assert len(articles) == 171
    for a in articles:
        assert a.published is not None
        assert a.outlet == "Wikinews"
        assert a.title and a.url
        assert not WEEKDAY_DATELINE.match(a.text), a.text[:60]
        assert a.text == a.text.strip() and "\n\n\n" not in a.text
    assert len({a.id for a in articles}) == 171
    first = articles[0]
    assert first.published == date(2019, 1, 4)
    assert first.text.startswith("An apartment building collapsed on Monday in Magnitogorsk")


# --------------------------------------------------------------------------
# problems


def test_empty_file(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    with pytest.raises(ReadError, match="empty file"):
        read_file(p)
    blank = tmp_path / "blank.md"
    blank.write_text("\n \n\t\n", encoding="utf-8")
    articles, errors = collect([p, blank])
    assert articles == []
    assert [e.path for e in errors] == [str(p), str(blank)]


def test_only_boilerplate_is_empty_text(tmp_path):
    p = tmp_path / "boiler.txt"
    p.write_text("Share this:\n\nFacebook\nTwitter\n", encoding="utf-8")
    with pytest.raises(ReadError, match="empty text"):
        list(read_file(p))


def test_binary_file(tmp_path):
    png = tmp_path / "image.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    nul = tmp_path / "nul.jsonl"
    nul.write_bytes(b"abc\x00\x00\x00def" * 10)
    articles, errors = collect([png, nul])
    assert articles == []
    assert all("binary" in e.reason for e in errors) and len(errors) == 2


def test_undecodable_bytes(tmp_path):
    p = tmp_path / "latin1.txt"
    p.write_bytes("Caf\u00e9 talks in Tokyo.".encode("latin-1"))
    with pytest.raises(ReadError) as info:
        read_file(p)
    assert info.value.path == str(p)
    assert "UTF-8" in info.value.reason and "0xe9" in info.value.reason


def test_undecodable_jsonl_line(tmp_path):
    p = tmp_path / "mixed.jsonl"
    p.write_bytes(b'{"text": "Good."}\n{"text": "Caf\xe9"}\n{"text": "Also good."}\n')
    articles, errors = collect([p])
    assert [a.text for a in articles] == ["Good.", "Also good."]
    assert errors[0].path == f"{p}:2" and "UTF-8" in errors[0].reason


def test_utf8_bom_and_utf16(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbfBody with BOM.")
    q = tmp_path / "u16.txt"
    q.write_bytes("Body in UTF-16.".encode("utf-16"))
    assert [a.text for a in read_paths([p, q])] == ["Body with BOM.", "Body in UTF-16."]


def test_missing_file(tmp_path):
    missing = tmp_path / "nope.txt"
    with pytest.raises(ReadError, match="no such file"):
        read_file(missing)
    articles, errors = collect([missing])
    assert articles == [] and errors[0].path == str(missing)
    with pytest.raises(ReadError):
        list(read_paths([missing]))


def test_text_over_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(readers_module, "MAX_TEXT_BYTES", 1000)
    big = tmp_path / "big.txt"
    big.write_text("word " * 300, encoding="utf-8")
    rec = tmp_path / "big.jsonl"
    rec.write_text(json.dumps({"text": "word " * 300}) + "\n" + json.dumps({"text": "Small."}) + "\n")
    articles, errors = collect([big, rec])
    assert [a.text for a in articles] == ["Small."]
    assert [e.path for e in errors] == [str(big), f"{rec}:1"]
    assert all("over" in e.reason for e in errors)


def test_unsupported_file(tmp_path):
    p = tmp_path / "doc.pdf"
    p.write_bytes(b"%PDF-1.4")
    with pytest.raises(ReadError, match="unsupported file type"):
        read_file(p)


def test_read_error_pickles():
    e = ReadError("a/b.jsonl:3", "invalid JSON")
    e2 = pickle.loads(pickle.dumps(e))
    assert (e2.path, e2.reason, str(e2)) == ("a/b.jsonl:3", "invalid JSON", "a/b.jsonl:3: invalid JSON")


# --------------------------------------------------------------------------
# directories, globs, stdin


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "corpus"
    (root / "b" / "deep").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "a.txt").write_text("Article A.", encoding="utf-8")
    (root / "b" / "c.md").write_text("Article C.", encoding="utf-8")
    (root / "b" / "deep" / "d.jsonl").write_text(json.dumps({"text": "Article D."}) + "\n", encoding="utf-8")
    (root / "b" / "notes.pdf").write_bytes(b"%PDF-1.4")  # unsupported: skipped silently
    (root / ".secret.txt").write_text("Hidden.", encoding="utf-8")
    (root / ".hidden" / "e.txt").write_text("Hidden too.", encoding="utf-8")
    (root / "z.txt").write_text("Article Z.", encoding="utf-8")
    return root


def test_directory_recursion(tree):
    articles, errors = collect([tree])
    assert errors == []
    assert [a.text for a in articles] == ["Article A.", "Article C.", "Article D.", "Article Z."]
    assert articles[2].source_path == str(tree / "b" / "deep" / "d.jsonl") + ":1"


def test_directory_not_recursive(tree):
    articles, _ = collect([tree], recursive=False)
    assert [a.text for a in articles] == ["Article A.", "Article Z."]


def test_explicit_unsupported_file_is_an_error(tree):
    articles, errors = collect([tree / "b" / "notes.pdf", tree / "a.txt"])
    assert [a.text for a in articles] == ["Article A."]
    assert "unsupported" in errors[0].reason


def test_glob_pattern_and_file_named_twice(tree):
    articles, errors = collect([str(tree / "**" / "*.md"), str(tree / "*.txt"), tree / "a.txt"])
    assert errors == []
    assert [a.text for a in articles] == ["Article C.", "Article A.", "Article Z."]
    _, errors = collect([str(tree / "*.nothing")])
    assert "match" in errors[0].reason


def test_published_argument_as_string(tree):
    (a,) = list(read_paths([tree / "a.txt"], published="2024-02-15"))
    assert a.published == date(2024, 2, 15)


def test_stdin_text(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("Summit hopes\n\nBen McGrath\n15 February 2024\n\nBody here."))
    (a,) = list(read_paths(["-"]))
    assert (a.title, a.author, a.published, a.text) == ("Summit hopes", "Ben McGrath", date(2024, 2, 15), "Body here.")
    assert a.source_path == "<stdin>"


def test_stdin_json_lines(monkeypatch):
    data = json.dumps({"text": "One."}) + "\n{bad\n" + json.dumps({"text": "Two."}) + "\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(data))
    articles, errors = collect(["-"])
    assert [a.text for a in articles] == ["One.", "Two."]
    assert [e.path for e in errors] == ["<stdin>:2"]


def test_stdin_empty(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("  \n"))
    _, errors = collect(["-"])
    assert errors[0].path == "<stdin>" and "empty" in errors[0].reason


def test_articles_are_articles(tree):
    assert all(isinstance(a, Article) and a.id for a in read_paths([tree]))

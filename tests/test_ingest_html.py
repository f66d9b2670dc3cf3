"""HTML pages, language detection and the reader registration, on real files written here."""

from __future__ import annotations

from datetime import date

import pytest

from newsevents.ingest import ReadError, read_file, read_paths, sources
from newsevents.ingest.html import (
    MAX_HTML_BYTES,
    article_from_html,
    decode_html,
    html_fragment_text,
)
from newsevents.ingest.lang import detect_language, is_english, language_skip_reason

sources.register(fetch_linked=False)

PARAGRAPHS = [
    "Japanese Prime Minister Fumio Kishida said on Thursday that he was seeking a summit with "
    "North Korean leader Kim Jong Un, according to officials familiar with the preparations.",
    "The two governments have held secret contacts in Mongolia this year, the Financial Times "
    "reported, citing three people briefed on the discussions in Ulaanbaatar.",
    "Pyongyang has not commented on the report. North Korea fired several cruise missiles into "
    "the sea off its west coast on Wednesday, South Korea's military said.",
    "Relations between Tokyo and Pyongyang have been frozen for years over the abductions of "
    "Japanese citizens by North Korean agents in the 1970s and 1980s.",
]


def page(
    title: str = "Kishida seeks summit with Kim",
    paragraphs: list[str] = PARAGRAPHS,
    head: str = "",
    charset: str | None = "utf-8",
) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head>{meta}<title>{title} | Example News</title>
<meta property="og:site_name" content="Example News">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-02-15T08:30:00+09:00">
{head}</head>
<body>
<header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/asia">Asia</a></nav></header>
<main><article><h1>{title}</h1>
{body}</article></main>
<aside><h3>Most read</h3><ul><li><a href="/x">Something else</a></li></ul></aside>
<footer><p>Copyright 2024 Example News. All rights reserved.</p></footer>
</body></html>"""


def collect(paths, **kw):
    errors: list[ReadError] = []
    articles = list(read_paths(paths, on_error=errors.append, **kw))
    return articles, errors


# --------------------------------------------------------------------------
# pages


def test_html_file_text_and_metadata(tmp_path):
    f = tmp_path / "kishida.html"
    f.write_text(page(), encoding="utf-8")
    (article,) = list(read_file(f))
    assert article.title == "Kishida seeks summit with Kim"
    assert article.author == "Jane Doe"
    assert article.outlet == "Example News"
    assert article.published == date(2024, 2, 15)
    assert article.source_path == str(f)
    # body only: the headline, navigation, sidebar and footer are not text
    assert article.text.startswith("Japanese Prime Minister Fumio Kishida said on Thursday")
    assert "Most read" not in article.text and "Copyright" not in article.text and "Home" not in article.text
    # one paragraph per <p>, separated by a blank line, as normalize_text leaves text
    assert article.text.split("\n\n") == PARAGRAPHS


def test_htm_extension_and_canonical_url(tmp_path):
    f = tmp_path / "story.htm"
    f.write_text(page(head='<link rel="canonical" href="https://news.example.com/asia/kishida-kim">'))
    (article,) = list(read_file(f))
    assert article.url == "https://news.example.com/asia/kishida-kim"


def test_canonical_pointing_at_home_page_is_ignored():
    html = page(head='<link rel="canonical" href="https://news.example.com/">')
    article = article_from_html(html, "x", url="https://news.example.com/asia/story-1")
    assert article.url == "https://news.example.com/asia/story-1"


def test_values_from_a_feed_win_over_the_page():
    article = article_from_html(
        page(), "x", title="Feed title", author="Feed Author", date_override=date(2024, 2, 16)
    )
    assert (article.title, article.author, article.published) == ("Feed title", "Feed Author", date(2024, 2, 16))


def test_published_argument_fills_a_missing_date():
    html = page().replace('<meta property="article:published_time" content="2024-02-15T08:30:00+09:00">', "")
    assert article_from_html(html, "x").published is None
    assert article_from_html(html, "x", published=date(2024, 3, 1)).published == date(2024, 3, 1)


def test_legacy_charset_from_meta_and_http_header():
    html = page(paragraphs=[p.replace("Kim Jong Un", "Kim Jong Un’s") for p in PARAGRAPHS], charset="windows-1252")
    data = html.encode("cp1252")
    assert "Kim Jong Un’s" in article_from_html(data, "x").text
    # the Content-Type charset wins over a missing meta declaration
    data2 = html.replace('<meta charset="windows-1252">', "").encode("cp1252")
    assert "Kim Jong Un’s" in article_from_html(data2, "x", content_type="text/html; charset=windows-1252").text


def test_utf8_without_declaration():
    html = page(paragraphs=[PARAGRAPHS[0] + " Ulaanbaatar’s mayor — Sükhbaatar — agreed."] + PARAGRAPHS[1:],
                charset=None)
    assert "Sükhbaatar" in article_from_html(html.encode("utf-8"), "x").text


def test_undecodable_page_is_a_clear_error(tmp_path):
    # declared UTF-8, but full of bytes that cannot be UTF-8
    data = page().encode("utf-8").replace(b"Mongolia", b"Mong\xff\xfe\xfa\xfb\xfc\xfd" * 20)
    f = tmp_path / "bad.html"
    f.write_bytes(data)
    articles, errors = collect([f])
    assert articles == []
    (e,) = errors
    assert e.path == str(f) and "undecodable" in e.reason and "utf-8" in e.reason


def test_decode_html_prefers_bom():
    assert decode_html(b"\xef\xbb\xbf<p>caf\xc3\xa9</p>", "x", "text/html; charset=iso-8859-1") == "<p>café</p>"


def test_malformed_html_still_gives_its_text(tmp_path):
    broken = (
        "<html><head><title>Broken page</title><body><div><p>" + PARAGRAPHS[0]
        + "<p>" + PARAGRAPHS[1] + "</b></i><div><p>" + PARAGRAPHS[2] + "<table><tr><td></div>"
    )
    f = tmp_path / "broken.html"
    f.write_text(broken)
    (article,) = list(read_file(f))
    assert "Kishida" in article.text and "cruise missiles" in article.text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.html", b"", "empty file"),
        ("blank.html", b"  \n\n  ", "empty file"),
        ("image.html", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary content (PNG)"),
        ("nul.html", b"<html>\x00\x00\x00\x01\x02" * 100, "binary content"),
        ("nothing.html", b"<html><head><title>t</title></head><body><nav><a href='/'>Home</a></nav></body></html>",
         "no article text"),
    ],
)
def test_bad_pages_are_reported_and_the_batch_goes_on(tmp_path, name, content, reason):
    bad = tmp_path / name
    bad.write_bytes(content)
    good = tmp_path / "good.html"
    good.write_text(page())
    articles, errors = collect([bad, good])
    assert [a.source_path for a in articles] == [str(good)]
    (e,) = errors
    assert e.path == str(bad)
    assert reason in e.reason


def test_huge_page_is_refused_quickly(tmp_path):
    big = tmp_path / "huge.html"
    para = "<p>" + "Officials met again today in the capital. " * 50 + "</p>\n"
    big.write_text("<html><body><article>" + para * (6 * 1024 * 1024 // len(para) + 10) + "</article></body></html>")
    articles, errors = collect([big, tmp_path / "missing.html"])
    assert articles == []
    assert [e.reason for e in errors][0] == "text over 5 MB"
    assert errors[1].reason == "no such file or directory"


def test_page_over_the_markup_limit(tmp_path):
    f = tmp_path / "enormous.html"
    with open(f, "wb") as fh:
        fh.write(b"<html><body>")
        fh.truncate(MAX_HTML_BYTES + 10)
    _, errors = collect([f])
    assert "HTML over 20 MB" in errors[0].reason or "binary" in errors[0].reason


def test_directory_walk_picks_up_html(tmp_path):
    (tmp_path / "a.html").write_text(page())
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.htm").write_text(page(title="Second story"))
    (tmp_path / "skip.png").write_bytes(b"\x89PNG")
    articles, errors = collect([tmp_path])
    assert sorted(a.title for a in articles) == ["Kishida seeks summit with Kim", "Second story"]
    assert errors == []


def test_registered_extensions():
    from newsevents.ingest import supported_extensions

    for ext in (".html", ".htm", ".xhtml", ".rss", ".atom", ".xml", ".warc"):
        assert ext in supported_extensions()


def test_fragment_text_keeps_paragraphs_and_drops_scripts():
    frag = "<p>First <b>bold</b> line.</p><script>var x = 1;</script><p>Second<br>line.</p><ul><li>item</li></ul>"
    assert html_fragment_text(frag) == "First bold line.\n\nSecond\n\nline.\n\nitem"
    assert html_fragment_text("plain words") == "plain words"
    assert html_fragment_text("") == ""


# --------------------------------------------------------------------------
# language


def test_english_is_recognised():
    ok, lang, confidence = is_english("\n\n".join(PARAGRAPHS))
    assert ok and lang == "en" and confidence >= 0.8


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Der japanische Ministerpräsident Fumio Kishida strebt nach Angaben von Regierungsbeamten ein "
         "Gipfeltreffen mit dem nordkoreanischen Machthaber Kim Jong Un an. Die beiden Regierungen sollen "
         "in diesem Jahr geheime Gespräche in der Mongolei geführt haben.", "de"),
        ("Le Premier ministre japonais Fumio Kishida cherche à organiser un sommet avec le dirigeant "
         "nord-coréen Kim Jong Un, selon des responsables proches des préparatifs. Les deux gouvernements "
         "ont eu des contacts secrets en Mongolie cette année.", "fr"),
        ("Премьер-министр Японии Фумио Кисида добивается встречи на высшем уровне с лидером Северной "
         "Кореи Ким Чен Ыном, сообщили чиновники, знакомые с подготовкой переговоров.", "ru"),
    ],
)
def test_other_languages_are_not_english(text, lang):
    ok, detected, confidence = is_english(text)
    assert not ok and detected == lang and confidence >= 0.8
    assert language_skip_reason(detected, confidence) == f"not English (detected {lang}, confidence {confidence:.2f})"


def test_chinese_without_spaces_is_detected():
    ok, lang, _ = is_english("日本首相岸田文雄正在寻求与朝鲜领导人金正恩举行峰会，"
                             "据熟悉筹备工作的官员透露。两国政府今年在蒙古进行了秘密接触。")
    assert not ok and lang.startswith("zh")


def test_too_short_to_tell_is_let_through():
    assert is_english("Kishida Kim Jong Un Pyongyang Tokyo") == (True, None, 0.0)
    assert detect_language("") == (None, 0.0)
    assert detect_language("12345 67890 !!!") == (None, 0.0)


def test_detection_is_deterministic():
    text = "Le gouvernement a annoncé mardi une nouvelle série de mesures pour la région frontalière du nord."
    assert len({detect_language(text) for _ in range(5)}) == 1

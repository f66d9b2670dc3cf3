"""Articles from HTML pages: main text and metadata by trafilatura.

``trafilatura`` finds the article body among navigation, comments and
footers, and reads the title, author, publication date and site name from
the page's metadata (meta tags, JSON-LD, the URL).  The body is then put
through :func:`~newsevents.ingest.normalize.normalize_text` like every other
source (:func:`~newsevents.ingest.article_from_record` does it), so offsets mean the same thing whatever the input was.

Used by the ``.html``/``.htm`` file reader, by feeds for the pages their items
link to, by WARC records and by URLs.  Every failure is a
:class:`~newsevents.ingest.ReadError` naming the page and the reason.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from newsevents.ingest.normalize import clean_inline
from newsevents.ingest.readers import MAX_TEXT_BYTES, ReadError, article_from_record
from newsevents.model import Article

__all__ = [
    "MAX_HTML_BYTES",
    "PageText",
    "article_from_html",
    "decode_html",
    "extract_page",
    "html_fragment_text",
    "read_html_file",
]

# Raw markup is many times its text; a page over this is not an article page.
MAX_HTML_BYTES = 4 * MAX_TEXT_BYTES
# Less extracted text than this is a navigation link or a caption, not an article.
MIN_TEXT_CHARS = 40
# Share of undecodable bytes tolerated in a page that declares its charset:
# a stray byte in a footer should not lose an article, a wrong charset should.
_MAX_BAD_BYTE_SHARE = 0.005
_HEAD_BYTES = 4096
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL_RE = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_SCRIPT_RE = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.I | re.S)
_TAG_RE = re.compile(r"<[^>]*>")
_CHARSET_PARAM_RE = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
# Publication dates from the page's metadata and URL only: a date anywhere in
# the text (htmldate's "extensive search") is too often not the publication date.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
_BLOCK_TAGS = (
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
    "pre", "table", "tr", "section", "article", "header", "footer", "figure", "figcaption", "hr", "dd", "dt",
)  # fmt: skip


@dataclass
class PageText:
    """What trafilatura found in a page, before it becomes an Article."""

    text: str  # paragraphs separated by a blank line, not yet normalised
    title: str | None = None
    author: str | None = None
    date: str | None = None  # YYYY-MM-DD
    sitename: str | None = None
    url: str | None = None  # canonical URL when the page gives one


# --------------------------------------------------------------------------
# bytes to text


def _charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = _CHARSET_PARAM_RE.search(content_type)
    return m.group(1) if m else None


def _known_codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def decode_html(data: bytes, label: str, content_type: str | None = None) -> str:
    """The text of an HTML (or XML) document in bytes.

    The character set comes from a byte-order mark, the ``Content-Type``
    charset, a ``<meta charset>`` or XML declaration, in that order; without
    any, UTF-8 is tried and then a statistical guess.  A declared charset that
    does not fit (more than 0.5% undecodable bytes) and a document that fits
    no charset are :class:`ReadError`.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    head = data[:_HEAD_BYTES]
    declared = _charset_from_content_type(content_type)
    if not declared:
        m = _META_CHARSET_RE.search(head) or _XML_DECL_RE.search(head)
        declared = m.group(1).decode("ascii", "replace") if m else None
    codec = _known_codec(declared)
    if codec == "ascii":
        codec = "cp1252"  # pages labelled ASCII are nearly always cp1252 or UTF-8 in fact
    if codec == "latin-1" or codec == "iso8859-1":
        codec = "cp1252"  # what browsers do: the WHATWG encoding standard maps them so
    candidates = [codec] if codec else []
    if "utf-8" not in candidates:
        candidates.append("utf-8")
    for enc in candidates:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    if codec:
        text = data.decode(codec, errors="replace")
        bad = text.count("\ufffd")
        if bad <= max(1, len(data) * _MAX_BAD_BYTE_SHARE):
            return text
        raise ReadError(label, f"undecodable text: {bad} bytes are not valid {declared} (the declared charset)")
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 256 * 1024]).best()
    if best is None or best.encoding is None:
        raise ReadError(label, "undecodable text: not UTF-8 and no declared or detectable character set")
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        raise ReadError(label, f"undecodable text: not UTF-8, nor {best.encoding} as guessed") from None


# --------------------------------------------------------------------------
# extraction


def _paragraphs(text: str) -> str:
    """trafilatura puts one newline between blocks; we separate paragraphs by a blank line."""
    lines = [ln.strip() for ln in text.splitlines()]
    return "\n\n".join(ln for ln in lines if ln)


def _same_words(a: str, b: str) -> bool:
    norm = lambda s: re.sub(r"\W+", " ", s).strip().lower()  # noqa: E731
    return norm(a) == norm(b)


def _drop_title_line(text: str, title: str | None) -> str:
    """The headline repeated as the first paragraph belongs in ``title``, not in the body."""
    if not title:
        return text
    first, sep, rest = text.partition("\n\n")
    if sep and _same_words(first, title):
        return rest
    return text


def _plausible_canonical(canonical: str | None, fetched: str | None) -> str | None:
    """A canonical URL, unless it points at a site's home page (a common CMS mistake)."""
    if not canonical:
        return None
    try:
        c = urlsplit(canonical)
    except ValueError:
        return None
    if c.scheme not in ("http", "https") or not c.netloc:
        return None
    if fetched and c.path in ("", "/"):
        f = urlsplit(fetched)
        if f.path not in ("", "/"):
            return None
    return canonical


def _quiet_library_loggers() -> None:
    # trafilatura logs a warning for every page it cannot use; here each such
    # page is a ReadError already, so the warnings would only say it twice.
    # A level set by the application is left alone.
    for name in ("trafilatura", "htmldate", "courlan"):
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.ERROR)


def extract_page(html: str, label: str, url: str | None = None) -> PageText:
    """Main text and metadata of an HTML page (raises :class:`ReadError` when there is no text)."""
    import trafilatura

    _quiet_library_loggers()

    if not html.strip():
        raise ReadError(label, "empty HTML page")
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception as e:  # noqa: BLE001 - a parser failure on one page must not stop a batch
        raise ReadError(label, f"malformed HTML: {type(e).__name__}: {e}") from None
    if doc is None or not (getattr(doc, "text", None) or "").strip():
        raise ReadError(label, "no article text found in the HTML page")
    text = _paragraphs(doc.text)
    if len(text) < MIN_TEXT_CHARS:
        raise ReadError(label, f"no article text found in the HTML page (only {len(text)} characters)")
    title = clean_inline(doc.title) if doc.title else None
    return PageText(
        text=_drop_title_line(text, title),
        title=title or None,
        author=doc.author or None,
        date=doc.date or None,
        sitename=clean_inline(doc.sitename) if doc.sitename else None,
        url=_plausible_canonical(doc.url, url),
    )


def article_from_html(
    html: str | bytes,
    label: str,
    *,
    url: str | None = None,
    content_type: str | None = None,
    published: date | None = None,
    title: str | None = None,
    author: str | None = None,
    outlet: str | None = None,
    date_override: date | str | None = None,
) -> Article:
    """One article from an HTML page.

    Args:
        html: the page, as text or as bytes (decoded by :func:`decode_html`).
        label: names the input in errors and becomes ``Article.source_path``.
        url: where the page came from (helps metadata; becomes ``Article.url``
            unless the page names a plausible canonical URL).
        content_type: the HTTP ``Content-Type``, for its charset.
        published: the date to use when the page gives none.
        title, author, outlet, date_override: values known from elsewhere (a
            feed item) that win over what the page says.

    Raises:
        ReadError: empty, oversized, undecodable page, or no text in it.
    """
    if isinstance(html, bytes):
        if len(html) > MAX_HTML_BYTES:
            raise ReadError(label, f"HTML over {MAX_HTML_BYTES // (1024 * 1024)} MB")
        if not html.strip():
            raise ReadError(label, "empty HTML page")
        html = decode_html(html, label, content_type)
    elif len(html) > MAX_HTML_BYTES:
        raise ReadError(label, f"HTML over {MAX_HTML_BYTES // (1024 * 1024)} MB")
    if len(html) > MAX_TEXT_BYTES and _visible_chars(html) > MAX_TEXT_BYTES:
        # checked before extraction, which would take seconds on such a page
        raise ReadError(label, f"text over {MAX_TEXT_BYTES // (1024 * 1024)} MB")
    page = extract_page(html, label, url)
    record = {
        "text": page.text,
        "title": title or page.title,
        "url": page.url or url,
        "outlet": outlet or page.sitename,
        "author": author or page.author,
        "published": date_override or page.date,
    }
    return article_from_record(record, label, published)


def _visible_chars(html: str) -> int:
    """Characters of a page outside tags, scripts and styles (an upper bound of its text)."""
    return len(_TAG_RE.sub("", _SCRIPT_RE.sub("", html)))


def html_fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed item's content), blocks as paragraphs.

    Feed content is a fragment, not a page: there is no boilerplate to find,
    so it is flattened directly rather than given to trafilatura.
    """
    import lxml.html
    from lxml import etree

    if not fragment.strip():
        return ""
    if "<" not in fragment:
        return fragment
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]*>", " ", fragment)
    for bad in root.xpath(".//script|.//style|.//noscript|.//iframe|.//form"):
        bad.drop_tree()
    for el in root.iter(*_BLOCK_TAGS):
        el.tail = "\n\n" + (el.tail or "")
        if el.tag not in ("br", "hr"):
            el.text = "\n\n" + (el.text or "")
    text = root.text_content()
    return re.sub(r"\n\s*\n\s*", "\n\n", text).strip()


# --------------------------------------------------------------------------
# the file reader


def read_html_file(path: Path, label: str, published: date | None, on_error=None) -> list[Article]:
    """Reader for ``.html``/``.htm`` files: one article per file."""
    size = path.stat().st_size
    if size > MAX_HTML_BYTES:
        raise ReadError(label, f"HTML over {MAX_HTML_BYTES // (1024 * 1024)} MB")
    if path.suffix.lower() == ".gz":
        import gzip

        with gzip.open(path, "rb") as f:
            data = f.read(MAX_HTML_BYTES + 1)
    else:
        data = path.read_bytes()
    return [article_from_html(data, label, published=published)]


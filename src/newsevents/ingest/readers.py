"""Read articles from files, directories, glob patterns and stdin.

One file gives one or more :class:`~newsevents.model.Article`:

- ``.txt .text .md .markdown``: one article; title, byline and date are taken
  from the top of the text (:mod:`newsevents.ingest.header`);
- ``.jsonl .ndjson``: one article per line;
- ``.json``: an object, a list of objects, or an object holding such a list
  (``articles``, ``items``, ...);
- ``.csv .tsv``: one article per row, columns named like the JSON fields
  (``url, date, title, text``).

Any of these may be gzip-compressed (``.jsonl.gz``).  Every problem is a
:class:`ReadError` naming the file (and line or record) and the reason; the
``on_error`` callback of :func:`read_paths` receives them and reading goes on.
"""

from __future__ import annotations

import csv
import glob
import gzip
import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from newsevents.ingest.header import field_for_key, parse_date, parse_header, split_dateline
from newsevents.ingest.normalize import clean_inline, normalize_text
from newsevents.model import Article

__all__ = [
    "ReadError",
    "read_file",
    "read_paths",
    "read_text",
    "article_from_record",
    "register_reader",
    "register_url_reader",
    "supported_extensions",
    "MAX_TEXT_BYTES",
]

MAX_TEXT_BYTES = 5 * 1024 * 1024  # one article's text; larger is not an article
STDIN_LABEL = "<stdin>"
_SNIFF_BYTES = 8192
# Where a .json file keeps its list of articles when the top is an object.
_JSON_LIST_KEYS = ("articles", "items", "data", "records", "documents", "docs", "results", "entries")
# Outlets known from the host of an article's URL.
_OUTLET_BY_HOST = {"wikinews.org": "Wikinews"}
_BINARY_MAGIC = {
    b"%PDF": "PDF",
    b"PK\x03\x04": "ZIP/Office",
    b"\x89PNG": "PNG",
    b"GIF8": "GIF",
    b"\xff\xd8\xff": "JPEG",
    b"\x1f\x8b": "gzip",
    b"BZh": "bzip2",
    b"\xfd7zXZ": "xz",
    b"\x7fELF": "executable",
    b"SQLite format 3": "SQLite",
    b"PAR1": "Parquet",
}


class ReadError(Exception):
    """A file, record or input that could not be read as an article.

    ``path`` names the file, with ``:LINE`` (JSON lines, CSV) or ``#N`` (JSON
    lists) for a record; ``reason`` says what is wrong.
    """

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = os.fspath(path) if not isinstance(path, str) else path
        self.reason = str(reason)
        super().__init__(self.path, self.reason)

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


OnError = Callable[[ReadError], None]
Reader = Callable[[Path, str, "date | None", "OnError | None"], Iterable[Article]]


def _report(err: ReadError, on_error: OnError | None) -> None:
    if on_error is None:
        raise err
    on_error(err)


# --------------------------------------------------------------------------
# bytes and text


def _split_ext(path: Path) -> tuple[str, bool]:
    """(".jsonl", True) for "x.jsonl.gz"; ("", False) for a name without one."""
    suffixes = [s.lower() for s in path.suffixes]
    gz = bool(suffixes) and suffixes[-1] == ".gz"
    if gz:
        suffixes = suffixes[:-1]
    return (suffixes[-1] if suffixes else ""), gz


def _open_binary(path: Path) -> IO[bytes]:
    if _split_ext(path)[1]:
        return gzip.open(path, "rb")
    return open(path, "rb")


def _binary_reason(head: bytes) -> str | None:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 text with a BOM
    for magic, kind in _BINARY_MAGIC.items():
        if head.startswith(magic):
            return f"binary content ({kind}), not text"
    if b"\x00" in head:
        return "binary content (NUL bytes), not text"
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if head and controls / len(head) > 0.05:
        return "binary content (control bytes), not text"
    return None


def _decode(data: bytes, label: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise ReadError(label, f"cannot decode UTF-16 text ({e.reason})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        bad = data[e.start]
        raise ReadError(label, f"not UTF-8 text: undecodable byte 0x{bad:02x} at offset {e.start}") from None


def _too_big(text: str) -> bool:
    n = len(text)
    return n > MAX_TEXT_BYTES or (n > MAX_TEXT_BYTES // 4 and len(text.encode("utf-8")) > MAX_TEXT_BYTES)


def _coerce_date(value: date | datetime | str | None) -> date | None:
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value  # type: ignore[return-value]
    d = parse_date(value)
    if d is None:
        raise ValueError(f"not a date: {value!r}")
    return d


# --------------------------------------------------------------------------
# building articles


def _outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return None
    for suffix, outlet in _OUTLET_BY_HOST.items():
        if host == suffix or host.endswith("." + suffix):
            return outlet
    return None


def _clean_author(value: str | None) -> str | None:
    a = clean_inline(value)
    if a and a[:3].lower() == "by " and len(a) > 3:
        a = a[3:].strip()
    return a or None


def _build(
    body: str,
    label: str,
    *,
    title: Any = None,
    url: Any = None,
    outlet: Any = None,
    author: Any = None,
    published: date | None = None,
    default_published: date | None = None,
) -> Article:
    if _too_big(body):
        raise ReadError(label, f"text over {MAX_TEXT_BYTES // (1024 * 1024)} MB")
    text = normalize_text(body)
    dateline, rest = split_dateline(text)
    if dateline is not None:
        text = rest
        published = published or dateline
    if not text:
        raise ReadError(label, "empty text")
    url_s = str(url).strip() if url else None
    return Article(
        text=text,
        title=clean_inline(title) if title else None,
        url=url_s or None,
        outlet=clean_inline(outlet) if outlet else _outlet_from_url(url_s),
        author=_clean_author(author) if author else None,
        published=published or default_published,
        source_path=label,
    )


def read_text(text: str, label: str = STDIN_LABEL, published: date | None = None) -> Article:
    """One article from a plain-text or markdown string (header recognised)."""
    if not text.strip():
        raise ReadError(label, "empty text")
    if _too_big(text):
        raise ReadError(label, f"text over {MAX_TEXT_BYTES // (1024 * 1024)} MB")
    fields, body = parse_header(text)
    return _build(
        body,
        label,
        title=fields.get("title"),
        url=fields.get("url"),
        outlet=fields.get("outlet"),
        author=fields.get("author"),
        published=fields.get("published"),
        default_published=published,
    )


def _field_value(value: Any) -> Any:
    """Flatten the shapes feeds use: {"name": ...}, lists of names."""
    if isinstance(value, dict):
        for k in ("name", "title", "value", "text"):
            if value.get(k):
                return value[k]
        return None
    if isinstance(value, (list, tuple)):
        parts = [_field_value(v) for v in value]
        parts = [str(p) for p in parts if p]
        return ", ".join(parts) or None
    return value


def article_from_record(record: dict[str, Any], label: str, published: date | None = None) -> Article:
    """One article from a JSON object or CSV row (keys matched by FIELD_ALIASES).

    The record's own date wins over ``published``, which fills the gap when it
    has none.  Raises :class:`ReadError` when there is no usable text.
    """
    fields: dict[str, Any] = {}
    for key, value in record.items():
        if key is None:
            continue
        name = field_for_key(str(key))
        if name is None or (name in fields and fields[name] not in (None, "")):
            continue
        fields[name] = value
    text = fields.get("text")
    if text is None:
        raise ReadError(label, "no text (expected a text, content or body field)")
    if isinstance(text, list) and all(isinstance(p, str) for p in text):
        text = "\n\n".join(text)
    if not isinstance(text, str):
        raise ReadError(label, f"text is not a string but {type(text).__name__}")
    if not text.strip():
        raise ReadError(label, "empty text")
    return _build(
        text,
        label,
        title=_field_value(fields.get("title")),
        url=_field_value(fields.get("url")),
        outlet=_field_value(fields.get("outlet")),
        author=_field_value(fields.get("author")),
        published=parse_date(_field_value(fields.get("published"))),
        default_published=published,
    )


# --------------------------------------------------------------------------
# one reader per format


def _read_text_file(path: Path, label: str, published: date | None, on_error: OnError | None) -> list[Article]:
    if not _split_ext(path)[1] and path.stat().st_size > MAX_TEXT_BYTES:
        raise ReadError(label, f"text over {MAX_TEXT_BYTES // (1024 * 1024)} MB")
    with _open_binary(path) as f:
        data = f.read(MAX_TEXT_BYTES + 1)
    if len(data) > MAX_TEXT_BYTES:
        raise ReadError(label, f"text over {MAX_TEXT_BYTES // (1024 * 1024)} MB")
    return [read_text(_decode(data, label), label, published)]


def _json_lines(
    lines: Iterable[bytes | str], label: str, published: date | None, on_error: OnError | None
) -> Iterator[Article]:
    for lineno, raw in enumerate(lines, 1):
        where = f"{label}:{lineno}"
        if isinstance(raw, bytes):
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                _report(ReadError(where, f"not UTF-8 text: undecodable byte 0x{raw[e.start]:02x}"), on_error)
                continue
        else:
            line = raw
            if not line.strip():
                continue
        if len(line) > 4 * MAX_TEXT_BYTES:
            _report(ReadError(where, f"text over {MAX_TEXT_BYTES // (1024 * 1024)} MB"), on_error)
            continue
        try:
            obj = json.loads(line)
        except ValueError as e:
            msg = getattr(e, "msg", str(e))
            col = getattr(e, "colno", None)
            _report(ReadError(where, f"invalid JSON: {msg}" + (f" (column {col})" if col else "")), on_error)
            continue
        if not isinstance(obj, dict):
            _report(ReadError(where, f"not a JSON object but {type(obj).__name__}"), on_error)
            continue
        try:
            yield article_from_record(obj, where, published)
        except ReadError as e:
            _report(e, on_error)


def _read_jsonl_file(path: Path, label: str, published: date | None, on_error: OnError | None) -> Iterator[Article]:
    with _open_binary(path) as f:
        yield from _json_lines(f, label, published, on_error)


def _json_records(obj: Any, label: str) -> list[tuple[str, Any]]:
    """(label, record) pairs of a parsed .json document."""
    if isinstance(obj, dict):
        if any(field_for_key(str(k)) == "text" for k in obj):
            return [(label, obj)]
        for key in _JSON_LIST_KEYS:
            if isinstance(obj.get(key), list):
                obj = obj[key]
                break
        else:
            raise ReadError(label, "JSON object without text (expected a text, content or body field)")
    if isinstance(obj, list):
        if not obj:
            raise ReadError(label, "empty JSON list")
        return [(f"{label}#{i}", rec) for i, rec in enumerate(obj, 1)]
    raise ReadError(label, f"JSON document is a {type(obj).__name__}, not an object or a list")


def _json_document(
    text: str, label: str, published: date | None, on_error: OnError | None
) -> Iterator[Article]:
    try:
        obj = json.loads(text)
    except ValueError as e:
        line = getattr(e, "lineno", None)
        msg = getattr(e, "msg", str(e))
        raise ReadError(label, f"invalid JSON: {msg}" + (f" (line {line})" if line else "")) from None
    records = _json_records(obj, label)
    return _json_record_iter(records, published, on_error)


def _json_record_iter(
    records: list[tuple[str, Any]], published: date | None, on_error: OnError | None
) -> Iterator[Article]:
    for where, rec in records:
        if not isinstance(rec, dict):
            _report(ReadError(where, f"not a JSON object but {type(rec).__name__}"), on_error)
            continue
        try:
            yield article_from_record(rec, where, published)
        except ReadError as e:
            _report(e, on_error)


def _read_json_file(path: Path, label: str, published: date | None, on_error: OnError | None) -> Iterator[Article]:
    with _open_binary(path) as f:
        data = f.read()
    return _json_document(_decode(data, label), label, published, on_error)


def _raise_csv_field_limit() -> None:
    # Article texts are long: the csv module's default limit is 128 KB.
    # Allow well past MAX_TEXT_BYTES so oversize texts get our own message.
    want = 8 * MAX_TEXT_BYTES
    if csv.field_size_limit() < want:
        csv.field_size_limit(want)


def _csv_rows(
    f: IO[str], label: str, delimiter: str | None, published: date | None, on_error: OnError | None
) -> Iterator[Article]:
    _raise_csv_field_limit()
    try:
        header_line = f.readline()
    except UnicodeDecodeError as e:
        raise ReadError(f"{label}:1", f"not UTF-8 text ({e.reason})") from None
    if not header_line.strip():
        raise ReadError(label, "empty file or no header line")
    if delimiter is None:
        delimiter = ","
        if "," not in header_line:
            for cand in ("\t", ";", "|"):
                if cand in header_line:
                    delimiter = cand
                    break
    header = next(csv.reader([header_line], delimiter=delimiter))
    names = [h.strip().lstrip("\ufeff") for h in header]
    if not any(field_for_key(h) == "text" for h in names):
        raise ReadError(label, f"no text column (columns: {', '.join(names)}; expected text, content or body)")
    reader = csv.reader(f, delimiter=delimiter)
    next_line = 2
    while True:
        start = next_line
        try:
            row = next(reader)
        except StopIteration:
            break
        except UnicodeDecodeError as e:
            raise ReadError(f"{label}:{start}", f"not UTF-8 text ({e.reason}); rest of file skipped") from None
        except csv.Error as e:
            next_line = reader.line_num + 2
            _report(ReadError(f"{label}:{start}", f"bad CSV row: {e}"), on_error)
            continue
        next_line = reader.line_num + 2
        if not any(cell.strip() for cell in row):
            continue
        where = f"{label}:{start}"
        record = dict(zip(names, row))
        if not any(field_for_key(k) == "text" and (v or "").strip() for k, v in record.items()):
            _report(ReadError(where, "row has no text"), on_error)
            continue
        try:
            yield article_from_record(record, where, published)
        except ReadError as e:
            _report(e, on_error)


def _read_csv_file(path: Path, label: str, published: date | None, on_error: OnError | None) -> Iterator[Article]:
    delimiter = "\t" if _split_ext(path)[0] == ".tsv" else None
    with _open_binary(path) as raw:
        with io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as f:
            yield from _csv_rows(f, label, delimiter, published, on_error)


_READERS: dict[str, Reader] = {
    ".txt": _read_text_file,
    ".text": _read_text_file,
    ".md": _read_text_file,
    ".markdown": _read_text_file,
    ".jsonl": _read_jsonl_file,
    ".ndjson": _read_jsonl_file,
    ".json": _read_json_file,
    ".csv": _read_csv_file,
    ".tsv": _read_csv_file,
}


_BINARY_FORMATS: set[str] = set()
UrlReader = Callable[[str, "date | None", "OnError | None"], Iterable[Article]]
_URL_READER: "UrlReader | None" = None


def register_reader(extension: str, reader: Reader, *, binary: bool = False) -> None:
    """Add a reader for files ending in ``extension`` (e.g. ``".html"``).

    ``reader(path, label, published, on_error)`` returns the articles of one
    file; it raises :class:`ReadError` for the file and passes record errors
    to ``on_error`` (raising them when it is None). ``binary``: the format is
    not text (WARC), so the binary-content check is skipped.
    """
    ext = extension.lower()
    ext = ext if ext.startswith(".") else "." + ext
    _READERS[ext] = reader
    if binary:
        _BINARY_FORMATS.add(ext)
    else:
        _BINARY_FORMATS.discard(ext)


def register_url_reader(reader: "UrlReader | None") -> None:
    """The reader for http(s):// names given to read_paths."""
    global _URL_READER
    _URL_READER = reader


def supported_extensions() -> list[str]:
    return sorted(_READERS)


# --------------------------------------------------------------------------
# public entry points


def read_file(
    path: str | os.PathLike[str],
    published: date | None = None,
    *,
    on_error: OnError | None = None,
) -> Iterator[Article]:
    """Articles of one file.

    Args:
        path: a .txt/.md/.markdown/.text, .jsonl/.ndjson, .json or .csv/.tsv
            file (optionally .gz); a file without extension is read as text.
        published: publication date for articles whose file gives none.
        on_error: receives a :class:`ReadError` for each bad record (a JSON
            line, a CSV row) and reading goes on; when None the error is raised.

    Raises:
        ReadError: at once for a missing, unreadable, unsupported, binary or
            empty file.
    """
    label = os.fspath(path)
    p = Path(path)
    default = _coerce_date(published)
    ext, _gz = _split_ext(p)
    if not p.exists():
        raise ReadError(label, "no such file or directory")
    if p.is_dir():
        raise ReadError(label, "is a directory (read_paths reads directories)")
    reader = _READERS.get(ext) if ext else _read_text_file
    if reader is None:
        raise ReadError(label, f"unsupported file type {ext!r} (supported: {' '.join(supported_extensions())})")
    try:
        size = p.stat().st_size
        with _open_binary(p) as f:
            head = f.read(_SNIFF_BYTES)
    except EOFError:
        raise ReadError(label, "truncated gzip: the file ends before the end-of-stream marker") from None
    except OSError as e:
        raise ReadError(label, f"cannot read: {getattr(e, 'strerror', None) or e}") from None
    if size == 0 or not head.strip() and len(head) < _SNIFF_BYTES:
        raise ReadError(label, "empty file")
    reason = None if ext in _BINARY_FORMATS else _binary_reason(head)
    if reason:
        raise ReadError(label, reason)
    try:
        result = reader(p, label, default, on_error)
    except OSError as e:
        raise ReadError(label, f"cannot read: {e.strerror or e}") from None
    return iter(result)


def _read_stdin(published: date | None, on_error: OnError | None) -> Iterator[Article]:
    stream = sys.stdin
    if stream is None:
        raise ReadError(STDIN_LABEL, "no standard input")
    data = stream.read()
    if isinstance(data, bytes):
        data = _decode(data, STDIN_LABEL)
    if not data.strip():
        raise ReadError(STDIN_LABEL, "empty input")
    head = data.lstrip()
    if head[:1] in ("{", "["):
        first = head.split("\n", 1)[0]
        try:
            obj = json.loads(first)
        except ValueError:
            obj = None
        if isinstance(obj, dict):  # JSON lines
            yield from _json_lines(data.split("\n"), STDIN_LABEL, published, on_error)
            return
        try:
            json.loads(data)
        except ValueError:
            pass
        else:
            yield from _json_document(data, STDIN_LABEL, published, on_error)
            return
    yield read_text(data, STDIN_LABEL, published)


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _walk(root: Path, recursive: bool) -> list[Path]:
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not _is_hidden(d)) if recursive else []
        for name in filenames:
            if _is_hidden(name):
                continue
            p = Path(dirpath, name)
            ext, _ = _split_ext(p)
            if ext in _READERS:
                found.append(p)
    found.sort(key=lambda p: p.relative_to(root).parts)
    return found


def _expand(item: str, recursive: bool) -> list[Path]:
    """Files named by one argument: a file, a directory or a glob pattern."""
    p = Path(item)
    if p.is_dir():
        files = _walk(p, recursive)
        if not files:
            raise ReadError(item, "no readable files in directory")
        return files
    if p.exists():
        return [p]
    if any(ch in item for ch in "*?["):
        files = []
        for match in sorted(glob.glob(item, recursive=True)):
            m = Path(match)
            if m.is_dir():
                files.extend(_walk(m, recursive))
            elif _split_ext(m)[0] in _READERS and not _is_hidden(m.name):
                files.append(m)
        if not files:
            raise ReadError(item, "no readable files match this pattern")
        return files
    raise ReadError(item, "no such file or directory")


def read_paths(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    published: date | None = None,
    on_error: OnError | None = None,
    recursive: bool = True,
) -> Iterator[Article]:
    """Articles of files, directories, glob patterns and ``"-"`` (stdin).

    Directories are walked in sorted order (recursively unless ``recursive``
    is False), skipping hidden files and files of unsupported types; a file
    named explicitly must be of a supported type.  Standard input is read as
    JSON lines or a JSON document when it parses so, else as one text article.

    Args:
        paths: what to read; a single path is accepted too.
        published: publication date for articles whose source gives none.
        on_error: called with a :class:`ReadError` for every missing file,
            unreadable file and bad record; reading goes on with the next one.
            When None the first error is raised.
        recursive: descend into subdirectories.

    Yields:
        Articles in the order of ``paths``; a file named twice is read once.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    default = _coerce_date(published)
    seen: set[Path] = set()
    for item in paths:
        name = os.fspath(item)
        if name == "-":
            try:
                yield from _read_stdin(default, on_error)
            except ReadError as e:
                _report(e, on_error)
            continue
        if _URL_READER is not None and name[:8].lower().startswith(("http://", "https://")):
            try:
                yield from _URL_READER(name, default, on_error)
            except ReadError as e:
                _report(e, on_error)
            continue
        try:
            files = _expand(name, recursive)
        except ReadError as e:
            _report(e, on_error)
            continue
        for f in files:
            try:
                key = f.resolve()
            except OSError:
                key = f.absolute()
            if key in seen:
                continue
            seen.add(key)
            try:
                yield from read_file(f, default, on_error=on_error)
            except ReadError as e:
                _report(e, on_error)

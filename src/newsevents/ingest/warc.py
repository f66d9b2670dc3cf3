"""Articles from WARC files (``.warc``, ``.warc.gz``), as news crawls ship them.

Common Crawl's CC-NEWS and most web archives are WARC files: a sequence of
records, each a captured request, response or metadata.  Every ``response``
(and ``resource``) record holding an HTML page with HTTP status 200 becomes an
article through trafilatura (:mod:`newsevents.ingest.html`); requests,
redirects, images, robots.txt and the like are passed over silently.

Records are read one at a time, so memory stays flat on multi-gigabyte files.
A record whose page cannot be read is reported to ``on_error`` as
``file.warc.gz#12`` with its URL and reason, and the next record is read.  A
file that ends early (a truncated download: the gzip stream stops mid-member,
or a record is shorter than its Content-Length) is reported once, naming the
record it ends in, after every complete record before it has been read.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import IO

from newsevents.ingest.html import MAX_HTML_BYTES, article_from_html
from newsevents.ingest.readers import ReadError
from newsevents.model import Article

__all__ = ["HTML_MEDIA_TYPES", "iter_warc_articles", "read_warc_file"]

HTML_MEDIA_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_CHUNK = 64 * 1024

OnError = Callable[[ReadError], None]


class _Corrupt(Exception):
    """The compressed stream holds bytes that are not valid gzip/deflate data."""


class _GuardedGzip(io.RawIOBase):
    """Multi-member gzip decompression that notices a file ending inside a member.

    Python's gzip raises EOFError for a truncated member (dropping what it had
    decompressed of the last read), and warcio takes EOFError for a normal
    end of file: the rest of the archive would vanish without a word.  Here
    every byte there is gets delivered, and ``truncated`` tells afterwards
    whether the file stopped inside a member.
    """

    _RAW_CHUNK = 16 * 1024  # compressed bytes per read: bounds a "gzip bomb" chunk to ~16 MB

    def __init__(self, raw: IO[bytes]):
        self._raw = raw
        self._dec = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._pending = b""
        self._between_members = True  # at the start, or just after a member's end
        self._done = False
        self.truncated = False  # the file ended inside a gzip member

    def readable(self) -> bool:
        return True

    def _fill(self) -> None:
        while not self._pending and not self._done:
            chunk = self._raw.read(self._RAW_CHUNK)
            if not chunk:
                # An early end is reported as end of file here, so that warcio
                # parses every complete record still buffered; the reader
                # then asks ``truncated`` and reports it.
                self.truncated = not self._between_members
                self._done = True
                return
            out = []
            try:
                while chunk:
                    if self._between_members and not chunk.strip(b"\x00"):
                        break  # zero padding after the last member
                    self._between_members = False
                    out.append(self._dec.decompress(chunk))
                    if not self._dec.eof:
                        break
                    chunk = self._dec.unused_data
                    self._dec = zlib.decompressobj(16 + zlib.MAX_WBITS)
                    self._between_members = True
            except zlib.error as e:
                raise _Corrupt(str(e)) from None
            self._pending = b"".join(out)

    def readinto(self, buffer) -> int:  # type: ignore[override]
        self._fill()
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


def _open_warc(path: Path, label: str) -> tuple[IO[bytes], _GuardedGzip | None]:
    raw = open(path, "rb")
    magic = raw.read(2)
    raw.seek(0)
    guard = None
    if magic == b"\x1f\x8b":  # gzip, whatever the file is named
        guard = _GuardedGzip(raw)
        stream: IO[bytes] = io.BufferedReader(guard, buffer_size=_CHUNK)
    else:
        stream = io.BufferedReader(raw, buffer_size=_CHUNK)  # type: ignore[arg-type]
    try:
        head = stream.peek(8)[:8]
    except _Corrupt as e:
        stream.close()
        raise ReadError(label, f"corrupt gzip data: {e}") from None
    if not head.strip():
        stream.close()
        if guard is not None and guard.truncated:
            raise ReadError(label, "truncated gzip: the file ends before the first WARC record")
        raise ReadError(label, "empty WARC file")
    if not head.startswith(b"WARC/"):
        stream.close()
        raise ReadError(label, "not a WARC file (it does not start with a WARC/1.x record header)")
    return stream, guard


def _media_type(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower()


def _drain(record) -> bool:
    """Read what is left of a record; False when the file ended before its Content-Length."""
    raw = record.raw_stream
    while raw.read(_CHUNK):
        pass
    return getattr(raw, "limit", 0) <= 0


def _at_end(stream: IO[bytes]) -> bool:
    try:
        return not stream.peek(1)  # type: ignore[attr-defined]
    except (OSError, ValueError, _Corrupt):
        return False


def _html_payload(record) -> tuple[str, str | None] | None:
    """(URI, Content-Type) of a record holding an HTML page with status 200, else None."""
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    if record.rec_type == "response":
        http = record.http_headers
        if http is None or http.get_statuscode() != "200":
            return None
        content_type = http.get_header("Content-Type")
    elif record.rec_type == "resource":
        content_type = record.rec_headers.get_header("Content-Type")
    else:
        return None
    if _media_type(content_type) not in HTML_MEDIA_TYPES:
        return None
    return uri, content_type


def iter_warc_articles(
    path: Path,
    label: str,
    published: date | None = None,
    on_error: OnError | None = None,
) -> Iterator[Article]:
    """Articles of the HTML responses in a WARC file (see the module docstring)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    def report(err: ReadError) -> None:
        if on_error is None:
            raise err
        on_error(err)

    stream, guard = _open_warc(path, label)
    n = 0  # records taken from the file
    articles = 0

    def ended_early(record_no: int, uri: str = "") -> ReadError:
        kind = "gzip" if guard is not None else "WARC"
        where = f" ({uri})" if uri else ""
        return ReadError(label, f"truncated {kind}: the file ends inside record {record_no}{where}; "
                                f"{record_no - 1} complete records before it, {articles} articles read")

    try:
        records = ArchiveIterator(stream)
        while True:
            try:
                record = next(records)
            except StopIteration:
                break
            except (ArchiveLoadFailed, _Corrupt):
                raise
            except Exception as e:  # noqa: BLE001 - warcio fails in many ways on a broken header
                if guard is not None and guard.truncated or _at_end(stream):
                    report(ended_early(n + 1))
                else:
                    report(ReadError(label, f"corrupt WARC at record {n + 1}: {type(e).__name__}: {e}"))
                return
            n += 1
            where = f"{label}#{n}"
            html = _html_payload(record)
            payload = record.content_stream().read(MAX_HTML_BYTES + 1) if html else b""
            if not _drain(record):
                report(ended_early(n, record.rec_headers.get_header("WARC-Target-URI") or ""))
                return
            if html is None:
                continue
            uri, content_type = html
            if len(payload) > MAX_HTML_BYTES:
                report(ReadError(where, f"{uri}: HTML over {MAX_HTML_BYTES // (1024 * 1024)} MB"))
                continue
            try:
                article = article_from_html(
                    payload, where, url=uri or None, content_type=content_type, published=published
                )
            except ReadError as e:
                report(ReadError(where, f"{uri}: {e.reason}" if uri else e.reason))
                continue
            articles += 1
            yield article
        if guard is not None and guard.truncated:
            report(ended_early(n + 1))
    except _Corrupt as e:
        report(ReadError(label, f"corrupt gzip data in record {n + 1} ({e}); {articles} articles read before it"))
    except ArchiveLoadFailed as e:
        report(ReadError(label, f"corrupt WARC at record {n + 1}: {str(e).strip()}"))
    finally:
        stream.close()


def read_warc_file(path: Path, label: str, published: date | None, on_error: OnError | None) -> Iterator[Article]:
    """Reader for ``.warc`` and ``.warc.gz`` files (registered by :mod:`newsevents.ingest.sources`).

    Problems with the file as a whole (not a WARC, empty, unreadable) are
    raised at once; the rest goes to ``on_error`` while reading.
    """
    _open_warc(path, label)[0].close()  # fail early and clearly for a file that is no WARC
    return iter_warc_articles(path, label, published, on_error)

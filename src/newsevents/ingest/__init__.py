"""Reading articles and normalising their text.

The first stage of the pipeline: files, directories, glob patterns and stdin
in, :class:`~newsevents.model.Article` objects with clean text out.

>>> from newsevents.ingest import read_paths
>>> for article in read_paths(["articles/"], on_error=print):  # doctest: +SKIP
...     print(article.title, article.published)
"""

from newsevents.ingest.header import parse_date, parse_header, split_dateline
from newsevents.ingest.normalize import clean_inline, normalize_text
from newsevents.ingest.readers import (
    MAX_TEXT_BYTES,
    ReadError,
    article_from_record,
    read_file,
    read_paths,
    read_text,
    register_reader,
    register_url_reader,
    supported_extensions,
)

__all__ = [
    "MAX_TEXT_BYTES",
    "ReadError",
    "article_from_record",
    "clean_inline",
    "normalize_text",
    "parse_date",
    "parse_header",
    "read_file",
    "read_paths",
    "read_text",
    "register_reader",
    "register_url_reader",
    "split_dateline",
    "supported_extensions",
]

# HTML pages, RSS/Atom feeds, WARC files and http(s) URLs for read_paths (heavy libraries load on
# first use)
from newsevents.ingest import sources as _sources  # noqa: E402

_sources.register()

"""``newsevents crawl``: the command over :class:`newsevents.ingest.crawl.Crawler`.

Where articles go:

- ``--out DIR``: appended as JSON lines to ``DIR/articles-YYYY-MM-DD.jsonl``
  (UTC day of the crawl), one line flushed per article; ``newsevents ingest
  DIR`` reads them later;
- ``--db PATH_OR_URL``: each pass is coded and stored by the store's ingest
  (:func:`newsevents.ingest_run.ingest`), which skips non-English articles,
  de-duplicates and updates event clusters, and prints its summary;
- neither: JSON lines on standard output.

Articles detected as not English are skipped with their reason in the first
and last case (``--all-languages`` keeps them).  Errors are printed and the
crawl goes on; the summary at the end counts them.
"""

from __future__ import annotations

import hashlib
import json
import signal
import sys
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timezone
from pathlib import Path
from typing import IO, Optional

import typer
from rich.console import Console

err = Console(stderr=True)

__all__ = ["crawl_command"]


class _DayFiles:
    """JSON-lines files named by the UTC day, opened for appending."""

    def __init__(self, directory: Path):
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self._day: str | None = None
        self._fh: IO[str] | None = None

    def write(self, record: dict) -> None:
        day = datetime.now(timezone.utc).date().isoformat()
        if day != self._day:
            self.close()
            self._fh = open(self.directory / f"articles-{day}.jsonl", "a", encoding="utf-8")
            self._day = day
        assert self._fh is not None
        self._fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._fh.flush()  # a killed crawl loses at most the line being written

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def _english_only(articles: Iterable, skipped: Counter, keep_all: bool) -> Iterator[tuple[object, str | None]]:
    from newsevents.ingest.lang import is_english, language_skip_reason

    for article in articles:
        ok, lang, confidence = is_english(article.text)
        if not ok and not keep_all:
            reason = language_skip_reason(lang, confidence)
            skipped[f"not English ({lang})"] += 1
            err.print(f"[yellow]skipped[/yellow] {article.url or article.source_path}: {reason}")
            continue
        yield article, lang


def _parse_published(value: Optional[str]) -> Optional[date]:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


def _default_state(out: Optional[Path], db: Optional[str], fallback: Path) -> Path:
    """Crawl state beside what the articles go into, so two destinations do not share one."""
    if out is not None:
        return out / ".newsevents-crawl.sqlite"
    if db is not None:
        if "://" not in db:
            p = Path(db)
            return p.with_name(p.name + ".crawl-state.sqlite")
        digest = hashlib.sha1(db.encode("utf-8")).hexdigest()[:12]
        return fallback.with_name(f"crawl-state-{digest}.sqlite")
    return fallback


def _make_pipeline():
    from newsevents.pipeline import Pipeline

    return Pipeline()


def _store_passes(crawler, every, passes, stop, db: str, published: Optional[date]) -> None:
    """Code and store each pass's articles with the store's ingest (one run per pass).

    One article per transaction (``batch_size=1``): the crawler counts an
    article as dealt with when the next one is asked for, so it must be
    stored by then.  The pipeline is built once and kept across passes.
    """
    import inspect

    from newsevents import ingest_run

    if "articles" not in inspect.signature(ingest_run.ingest).parameters:
        err.print("[red]error:[/red] --db needs newsevents.ingest_run.ingest(articles=...), "
                  "which this installation does not have; use --out DIR and ingest that folder")
        raise typer.Exit(2)
    from newsevents.store import open_store

    store = open_store(db)
    pipeline = None
    try:
        for articles in crawler.passes(every, passes=passes, stop=stop):
            if pipeline is None:
                pipeline = _make_pipeline()
            summary = ingest_run.ingest([], store=store, articles=articles, pipeline=pipeline, batch_size=1,
                                        published=published, progress=False)
            ingest_run.render_summary(summary, console=err)
    finally:
        store.close()


def crawl_command(
    feeds: Path = typer.Option(..., "--feeds", exists=True, dir_okay=False, readable=True,
                               help="File of feed URLs, one per line (optional name after the URL), or OPML."),
    every: Optional[str] = typer.Option(None, "--every", help="Poll again at this interval (90s, 15m, 1h); "
                                        "without it, one pass."),
    passes: Optional[int] = typer.Option(None, "--passes", min=1, help="Stop after this many passes."),
    out: Optional[Path] = typer.Option(None, "--out", file_okay=False,
                                       help="Write articles as JSON lines into this folder."),
    db: Optional[str] = typer.Option(None, "--db", help="Code and store articles in this database."),
    state: Optional[Path] = typer.Option(None, "--state", dir_okay=False,
                                         help="Crawl state file (items seen, ETags); default: in --out, "
                                         "beside a --db file, else in the user's cache folder."),
    delay: float = typer.Option(1.0, "--delay", min=0.0, help="Seconds between requests to the same host."),
    timeout: float = typer.Option(15.0, "--timeout", min=0.1, help="Seconds to connect and between bytes."),
    retries: int = typer.Option(3, "--retries", min=0, help="Further attempts after a timeout or a 5xx."),
    max_items: Optional[int] = typer.Option(None, "--max-items", min=1, help="New items per feed and pass."),
    contact: Optional[str] = typer.Option(None, "--contact", help="URL or e-mail for the user agent, so site "
                                          "owners can reach you (or set NEWSEVENTS_CONTACT)."),
    all_languages: bool = typer.Option(False, "--all-languages", help="Keep articles not in English."),
    published: Optional[str] = typer.Option(None, "--published",
                                            help="Publication date YYYY-MM-DD for articles that give none."),
) -> None:
    """Poll news feeds and fetch their new articles politely (robots.txt, rate limit, ETags, retries)."""
    from newsevents.ingest import ReadError
    from newsevents.ingest.crawl import (
        Crawler,
        CrawlState,
        default_state_path,
        load_feed_list,
        parse_interval,
    )
    from newsevents.ingest.http import Fetcher, RobotsDisallowed, default_user_agent

    if out is not None and db is not None:
        raise typer.BadParameter("give --out or --db, not both")
    if every is not None:
        try:
            parse_interval(every)
        except ValueError as e:
            raise typer.BadParameter(str(e), param_hint="--every") from None
    default_date = _parse_published(published)
    try:
        feed_list = load_feed_list(feeds)
    except ReadError as e:
        err.print(f"[red]error:[/red] {e}")
        raise typer.Exit(2) from None

    state_path = state or _default_state(out, db, default_state_path())
    crawl_state = CrawlState(state_path)
    fetcher = Fetcher(user_agent=default_user_agent(contact), timeout=timeout, retries=retries,
                      min_interval=delay, cache=crawl_state.validators)

    def on_error(e: ReadError) -> None:
        kind = "[yellow]skipped[/yellow]" if isinstance(e, RobotsDisallowed) else "[red]failed[/red]"
        err.print(f"{kind} {e}")

    stop = threading.Event()
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    crawler = Crawler(feed_list, fetcher=fetcher, state=crawl_state, on_error=on_error, published=default_date,
                      max_items=max_items)
    language_skips: Counter = Counter()
    interrupted = False
    try:
        if db is not None:
            _store_passes(crawler, every, passes, stop, db, default_date)
        else:
            articles = crawler.run(every, passes=passes, stop=stop)
            sink = _DayFiles(out) if out is not None else None
            try:
                for article, lang in _english_only(articles, language_skips, all_languages):
                    record = article.to_dict()
                    record["language"] = lang
                    if sink is not None:
                        sink.write(record)
                    else:
                        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
                        sys.stdout.flush()
            finally:
                if sink is not None:
                    sink.close()
    except KeyboardInterrupt:
        interrupted = True
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        fetcher.close()
        crawl_state.close()
    stats = crawler.stats
    stats.skipped.update(language_skips)
    err.print(("interrupted: " if interrupted else "") + stats.summary())
    if interrupted:
        raise typer.Exit(130)
    if stats.feeds_polled and stats.feeds_failed == stats.feeds_polled:
        raise typer.Exit(1)  # not one feed could be read

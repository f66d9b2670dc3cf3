"""``newsevents bench``: throughput of the full pipeline against bare spaCy on the same texts.

DESIGN's budget is a ratio: the full newsevents pipeline (read, normalise, NLP with our entity
ruler and actor component, coding, JSON serialisation) must keep at least 85% of the words/s
of the bare spaCy pipeline it is built on (the same model, only the model's own components
that the full pipeline runs, the same ``nlp.pipe`` batch size), and a worker's memory must stay
flat while it streams.

How a run is measured
- Each side runs in its own worker process (``multiprocessing`` spawn), so peak RSS
  (``ru_maxrss``) and CPU seconds belong to one side only. Models are loaded and warmed up on a
  few articles before any clock starts.
- With one worker per side (the default) bare and full take turns batch by batch
  (``--interleave``): each waits, off the clock, while the other runs a batch, so both see the
  same moments of whatever else this 2-core machine is doing. ``--no-interleave`` runs one
  whole pass after the other. ``--repeat R`` does this R times in the same two worker
  processes, alternating which side goes first; rates are medians over the repetitions.
- Throughput is words/s on the wall clock (the budget's ratio) and words per CPU second (the
  same ratio measured on ``time.process_time``, steadier when other work shares the machine).
- Bare: the articles are read and normalised before timing; the clock covers the model over
  their texts, batched as the full pipeline batches them (``pipe_bounded``: groups of
  ``batch_size`` articles, long texts in paragraph chunks, bounded characters per model call). Full: the clock covers ``read_paths`` (which normalises), ``annotate_many`` and
  ``json.dumps(event.to_dict())`` for every event.
- Words are whitespace tokens of the normalised text, the same count on both sides.
- Per-article latency: ``nlp.pipe`` works in batches, so the time spent waiting for a batch
  (the first article of a batch waits for all of it) is shared among the batch's articles in
  proportion to their words; reading, coding and serialising are timed per article directly.
  The latencies of a run add up to its wall time.
- ``--workers N`` (N > 1): the full side runs the real scale-out path (:mod:`newsevents.scale`):
  a Dask LocalCluster of N single-threaded worker processes, each holding one warmed-up
  pipeline; this process reads and normalises the articles, streams them to the workers in
  partitions, receives the annotations in input order and serialises them, as ``ingest
  --workers N`` does. CPU seconds are this process's plus the workers' (``psutil``), RSS is
  sampled from the workers. The bare side partitions the articles by words into N JSON-lines
  files and runs N spaCy processes at once (``ProcessPoolExecutor``, spawn): N cores of bare
  spaCy, the limit the scale-out is measured against. Throughput is aggregate words over the
  span from the first worker's start to the last one's end.
- Memory: during each full run the worker samples its resident set every ``--rss-every``
  articles (``/proc/self/statm``); first, middle, last and max of the first repetition are shown.
- ``--profile`` (implied by ``--markdown``) adds, in one more fresh process, the CPU seconds of
  each spaCy component and of each of our stages on the same batches, and a cProfile of the
  full pipeline grouped by package and module.

Scale-out across machines: see docs/scaling.md (``ingest --scheduler``); the bench measures
one machine's cores.
"""

from __future__ import annotations

import cProfile
import io
import itertools
import json
import math
import multiprocessing as mp
import os
import platform
import pstats
import queue as queue_mod
import shlex
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import typer

from newsevents import DEFAULT_BATCH_SIZE
from rich.console import Console
from rich.markup import escape
from rich.table import Table

DEMO = "demo"
GOAL_RATIO = 0.85
RSS_BUDGET_MB = 600.0
WARMUP_ARTICLES = 4
BARRIER_TIMEOUT_S = 900.0
PROGRESS_EVERY_S = 0.2

# --------------------------------------------------------------------------------------------
# corpora


@dataclass
class Corpus:
    """What to benchmark: the paths handed to ``read_paths`` and a name for reports."""

    spec: str  # as the user gave it ("demo" for the bundled articles)
    paths: list[str]
    name: str
    tmpdir: Optional[str] = None  # extracted archive, removed by :meth:`cleanup`

    def cleanup(self) -> None:
        if self.tmpdir:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None


def _safe_member_path(name: str) -> Optional[Path]:
    parts = [p for p in Path(name).parts if p not in ("", ".", "..", "/") and not p.endswith(":")]
    return Path(*parts) if parts else None


def extract_zip_texts(archive: str | os.PathLike[str], dest: str | os.PathLike[str]) -> int:
    """Extract the ``.txt`` members of a zip archive below ``dest``; returns how many.

    Text that is not UTF-8 (the BBC corpus has some Latin-1 files) is decoded as cp1252 and
    written as UTF-8, since our readers take UTF-8 only.
    """
    n = 0
    with zipfile.ZipFile(archive) as zf:
        for info in zf.infolist():
            if info.is_dir() or not info.filename.lower().endswith(".txt"):
                continue
            rel = _safe_member_path(info.filename)
            if rel is None or any(p.startswith(".") for p in rel.parts):
                continue
            data = zf.read(info)
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("cp1252", errors="replace")
            out = Path(dest) / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
            n += 1
    return n


def resolve_corpus(spec: Optional[str]) -> Corpus:
    """``None``/``"demo"``: the bundled demo articles; a ``.zip``: its .txt members extracted to a
    temporary folder; anything else: a file or folder that ``read_paths`` reads."""
    from newsevents.paths import data_path

    if spec is None or spec == DEMO:
        return Corpus(
            DEMO, [str(data_path("demo", "wikinews-demo.jsonl"))], "demo (bundled Wikinews)"
        )
    p = Path(spec)
    if not p.exists():
        raise FileNotFoundError(f"corpus {spec!r} does not exist")
    if p.is_file() and p.suffix.lower() == ".zip":
        tmp = tempfile.mkdtemp(prefix="newsevents-bench-")
        n = extract_zip_texts(p, tmp)
        if n == 0:
            shutil.rmtree(tmp, ignore_errors=True)
            raise ValueError(f"{spec}: the archive holds no .txt files")
        return Corpus(spec, [tmp], p.name, tmpdir=tmp)
    return Corpus(spec, [str(p)], p.name or str(p))


def _read_articles(
    paths: list[str], published: Optional[date], limit: int, errors: list
) -> Iterator:
    from newsevents.ingest import read_paths

    it = read_paths(paths, published=published, on_error=errors.append)
    return itertools.islice(it, limit) if limit else it


def partition_by_words(word_counts: list[int], parts: int) -> list[list[int]]:
    """Indices split into ``parts`` groups of near-equal words (longest first to the lightest
    group), each group in its original order."""
    groups: list[list[int]] = [[] for _ in range(parts)]
    load = [0] * parts
    for i in sorted(range(len(word_counts)), key=lambda i: (-word_counts[i], i)):
        g = min(range(parts), key=lambda k: (load[k], k))
        groups[g].append(i)
        load[g] += word_counts[i]
    return [sorted(g) for g in groups]


# --------------------------------------------------------------------------------------------
# small measurement helpers


def current_rss_mb() -> float:
    """Resident set size of this process now, in MB (Linux /proc; peak RSS elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, ValueError, IndexError):
        return peak_rss_mb()


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak * 1024 / 1e6


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation; NaN for no values."""
    if not values:
        return float("nan")
    s = sorted(values)
    k = (len(s) - 1) * q / 100.0
    lo, hi = math.floor(k), math.ceil(k)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def spread_batches(raw: list[float], words: list[int], batch_size: int) -> list[float]:
    """Share each batch's time among its articles in proportion to their words.

    ``raw[i]`` is the time measured while waiting for article ``i``; with ``nlp.pipe`` nearly all
    of a batch's time lands on its first article. Sums are kept: the result adds up to ``raw``.
    """
    out: list[float] = []
    for s in range(0, len(raw), max(1, batch_size)):
        r, w = raw[s : s + batch_size], words[s : s + batch_size]
        total, wsum = sum(r), sum(w)
        out.extend(total * x / wsum if wsum else total / len(r) for x in w)
    return out


def _median(values: list[float]) -> float:
    vals = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    return statistics.median(vals) if vals else float("nan")


# --------------------------------------------------------------------------------------------
# worker processes (module-level functions: spawn imports this module in each worker)

_WORKER: dict[str, Any] = {}


def _init_worker(progress: Any, barrier: Any, turns: Any = None) -> None:
    _WORKER.clear()
    _WORKER.update(progress=progress, barrier=barrier, turns=turns, texts={})


def _send(*msg: Any) -> None:
    q = _WORKER.get("progress")
    if q is not None:
        q.put(msg)


def _prepare(spec: dict) -> dict:
    """Load the model of one side in this worker and warm it up; wait for the other workers so
    that every process of the pool holds one loaded model."""
    kind = spec["kind"]
    t0, c0 = time.perf_counter(), time.process_time()
    if kind == "full":
        from newsevents.pipeline import Pipeline

        kwargs: dict[str, Any] = {"batch_size": spec["batch_size"]}
        if spec.get("model"):
            kwargs["model"] = spec["model"]
        pipe = Pipeline(**kwargs)
        nlp = pipe.nlp
        errors: list = []
        warm = list(_read_articles(spec["paths"], spec["published"], WARMUP_ARTICLES, errors))
        for ann in pipe.annotate_many(warm):
            for e in ann.events:
                json.dumps(e.to_dict(), ensure_ascii=False)
        _WORKER["pipeline"] = pipe
    else:
        import spacy

        from newsevents.nlp.pipeline import DEFAULT_MODEL

        model = spec.get("model") or DEFAULT_MODEL
        wanted = list(spec["components"])
        # Load the model as the full pipeline does (disabled components such as senter stay in
        # memory on both sides) and run only the components the full pipeline runs.
        nlp = spacy.load(model)
        missing = [n for n in wanted if n not in nlp.component_names]
        if missing:
            raise RuntimeError(f"model {model} has no component(s) {missing}")
        for n in nlp.component_names:
            if n in wanted and n in nlp.disabled:
                nlp.enable_pipe(n)
            elif n not in wanted and n not in nlp.disabled:
                nlp.disable_pipe(n)
        errors = []
        warm = [
            a.text
            for a in _read_articles(spec["paths"], spec["published"], WARMUP_ARTICLES, errors)
        ]
        from newsevents.nlp.pipeline import pipe_bounded

        for _ in pipe_bounded(nlp, (nlp.make_doc(t) for t in warm), spec["batch_size"]):
            pass
        _WORKER["nlp"] = nlp
    _WORKER["kind"] = kind
    info = {
        "kind": kind,
        "pid": os.getpid(),
        "pipe_names": list(nlp.pipe_names),
        "model": "{}_{}-{}".format(
            nlp.meta.get("lang", ""), nlp.meta.get("name", ""), nlp.meta.get("version", "")
        ),
        "load_s": time.perf_counter() - t0,
        "load_cpu_s": time.process_time() - c0,
        "rss_after_load_mb": current_rss_mb(),
    }
    _send("ready", kind)
    _WORKER["barrier"].wait(BARRIER_TIMEOUT_S)
    return info


class _Progress:
    """Report progress to the parent at most every PROGRESS_EVERY_S seconds."""

    def __init__(self, kind: str, rep: int):
        self.kind, self.rep, self.done, self.sent, self.last = kind, rep, 0, 0, time.perf_counter()

    def step(self) -> None:
        self.done += 1
        now = time.perf_counter()
        if now - self.last >= PROGRESS_EVERY_S:
            _send("advance", self.kind, self.rep, self.done - self.sent)
            self.sent, self.last = self.done, now

    def close(self) -> None:
        if self.done > self.sent:
            _send("advance", self.kind, self.rep, self.done - self.sent)
            self.sent = self.done


class _Turns:
    """Batch-by-batch alternation of the bare and the full worker (``--interleave``).

    Each side runs one batch, then hands the turn to the other and waits for it back, so both
    see the same moments of whatever else the machine is doing. The time spent waiting for the
    turn is outside every clock. Without interleaving every call is a no-op.
    """

    def __init__(self, spec: dict, kind: str):
        turns = _WORKER.get("turns")
        self.active = bool(spec.get("interleave")) and turns is not None
        if self.active:
            bare_sem, full_sem = turns
            self.mine, self.other = (bare_sem, full_sem) if kind == "bare" else (full_sem, bare_sem)
            self.second = spec["first"] != kind
            self.batches = spec["batches"]

    def wait(self) -> None:
        if self.active and not self.mine.acquire(timeout=BARRIER_TIMEOUT_S):
            raise RuntimeError("the other benchmark worker did not hand back its turn")

    def done(self, batch: int) -> None:
        # the side that moves second ends the run: after its last batch nobody is waiting
        if self.active and not (self.second and batch == self.batches - 1):
            self.other.release()


class _Clock:
    """Wall and CPU time summed over the segments in which this side had its turn."""

    def __init__(self) -> None:
        self.wall = self.cpu = 0.0
        self.start_ts = self.end_ts = None
        self._t = self._c = 0.0

    def start(self) -> None:
        if self.start_ts is None:
            self.start_ts = time.time()
        self._t, self._c = time.perf_counter(), time.process_time()

    def stop(self) -> None:
        self.wall += time.perf_counter() - self._t
        self.cpu += time.process_time() - self._c
        self.end_ts = time.time()


def _run(spec: dict) -> dict:
    """One timed pass of this worker's side over its articles."""
    _WORKER["barrier"].wait(BARRIER_TIMEOUT_S)  # all workers of the pool start together
    if _WORKER["kind"] == "full":
        return _run_full(spec)
    return _run_bare(spec)


def _run_bare(spec: dict) -> dict:
    from newsevents.nlp.pipeline import pipe_bounded

    nlp = _WORKER["nlp"]
    key = (tuple(spec["paths"]), spec["limit"], spec["published"])
    if key not in _WORKER["texts"]:
        errors: list = []
        texts = [
            a.text for a in _read_articles(spec["paths"], spec["published"], spec["limit"], errors)
        ]
        _WORKER["texts"][key] = (texts, [len(t.split()) for t in texts], len(errors))
    texts, words, n_errors = _WORKER["texts"][key]
    prog = _Progress("bare", spec["rep"])
    every, B, n = max(1, spec["rss_every"]), spec["batch_size"], len(texts)
    turns, clock = _Turns(spec, "bare"), _Clock()
    raw: list[float] = []
    rss = [current_rss_mb()]
    turns.wait()
    clock.start()
    prev = time.perf_counter()
    # the same memory-bounded batching as the full pipeline (long texts in paragraph chunks)
    for i, _doc in enumerate(pipe_bounded(nlp, (nlp.make_doc(t) for t in texts), B), 1):
        now = time.perf_counter()
        raw.append(now - prev)
        if i % every == 0:
            rss.append(current_rss_mb())
        prog.step()
        if i % B == 0 or i == n:  # a batch is done: nlp.pipe computes the next one on the next pull
            clock.stop()
            turns.done((i - 1) // B)
            if i < n:
                turns.wait()
                clock.start()
        prev = time.perf_counter()
    prog.close()
    rss.append(current_rss_mb())
    return {
        "kind": "bare",
        "pid": os.getpid(),
        "articles": len(texts),
        "words": sum(words),
        "read_errors": n_errors,
        "wall_s": clock.wall,
        "cpu_s": clock.cpu,
        "start_ts": clock.start_ts,
        "end_ts": clock.end_ts,
        "latencies_s": spread_batches(raw, words, B),
        "stages_s": {"nlp": sum(raw)},
        "rss_samples_mb": rss,
        "peak_rss_mb": peak_rss_mb(),
    }


def _run_full(spec: dict) -> dict:
    pipe = _WORKER["pipeline"]
    errors: list = []
    read_s: list[float] = []
    read_total = [0.0]
    code_s: list[float] = []

    def timed_articles() -> Iterator:
        it = iter(_read_articles(spec["paths"], spec["published"], spec["limit"], errors))
        while True:
            t = time.perf_counter()
            try:
                a = next(it)
            except StopIteration:
                return
            dt = time.perf_counter() - t
            read_s.append(dt)
            read_total[0] += dt
            yield a

    # Time coding per article by wrapping the instance's step from Doc to Annotation (the
    # pipeline itself is unchanged; without that method coding counts as NLP time).
    original = getattr(pipe, "_annotation", None)
    if original is not None:

        def timed_annotation(article, doc):
            t = time.perf_counter()
            try:
                return original(article, doc)
            finally:
                code_s.append(time.perf_counter() - t)

        pipe._annotation = timed_annotation
    prog = _Progress("full", spec["rep"])
    every, B, n_expected = max(1, spec["rss_every"]), spec["batch_size"], spec["articles"]
    turns, clock = _Turns(spec, "full"), _Clock()
    rss = [current_rss_mb()]
    waits: list[float] = []
    read_before: list[float] = []
    ser_s: list[float] = []
    words: list[int] = []
    n_events = n_bytes = 0
    try:
        turns.wait()
        clock.start()
        prev = time.perf_counter()
        for i, ann in enumerate(pipe.annotate_many(timed_articles()), 1):
            now = time.perf_counter()
            waits.append(now - prev)
            read_before.append(read_total[0])
            for e in ann.events:
                n_bytes += len(json.dumps(e.to_dict(), ensure_ascii=False))
            n_events += len(ann.events)
            ser_s.append(time.perf_counter() - now)
            words.append(len(ann.article.text.split()))
            if i % every == 0:
                rss.append(current_rss_mb())
            prog.step()
            if i % B == 0 or i == n_expected:
                clock.stop()
                turns.done((i - 1) // B)
                if i < n_expected:
                    turns.wait()
                    clock.start()
            prev = time.perf_counter()
        if clock.end_ts is None or len(waits) != n_expected:  # fewer articles than expected
            clock.stop()
    finally:
        if original is not None:
            del pipe._annotation  # back to the class's method
    prog.close()
    rss.append(current_rss_mb())
    n = len(waits)
    if len(code_s) != n:  # no per-article coding time available
        code_s = [0.0] * n
    # time inside annotate_many's next() that was neither reading nor coding: spaCy (with our
    # ruler and actor component) on the batch, plus the generator's own bookkeeping
    read_in_wait = (
        [read_before[0]] + [read_before[i] - read_before[i - 1] for i in range(1, n)] if n else []
    )
    nlp_raw = [max(0.0, waits[i] - code_s[i] - read_in_wait[i]) for i in range(n)]
    nlp_each = spread_batches(nlp_raw, words, B)
    read_each = read_s[:n] + [0.0] * (n - len(read_s[:n]))
    latencies = [read_each[i] + nlp_each[i] + code_s[i] + ser_s[i] for i in range(n)]
    return {
        "kind": "full",
        "pid": os.getpid(),
        "articles": n,
        "words": sum(words),
        "events": n_events,
        "json_bytes": n_bytes,
        "read_errors": len(errors),
        "wall_s": clock.wall,
        "cpu_s": clock.cpu,
        "start_ts": clock.start_ts,
        "end_ts": clock.end_ts,
        "latencies_s": latencies,
        "stages_s": {
            "read+normalise": sum(read_s),
            "nlp": sum(nlp_raw),
            "coding+mentions": sum(code_s),
            "serialise": sum(ser_s),
        },
        "rss_samples_mb": rss,
        "peak_rss_mb": peak_rss_mb(),
    }


def _proc_peak_rss_mb(pid: int) -> Optional[float]:
    """Peak resident set size of another process (Linux ``VmHWM``), in MB."""
    try:
        for ln in Path(f"/proc/{pid}/status").read_text().splitlines():
            if ln.startswith("VmHWM:"):
                return int(ln.split()[1]) * 1024 / 1e6
    except (OSError, ValueError, IndexError):
        pass
    return None


def _run_full_dask(coder: Any, pids: list[int], spec: dict, advance: Callable[[], None]) -> dict:
    """One timed pass of the full side through the scale-out path (``--workers`` N > 1).

    Reading, normalising and serialising happen in this process, coding on the Dask workers of
    ``coder`` (a :class:`newsevents.scale.DaskCoder`), results in input order, as ``ingest``
    does. Per-article latency is the wait for each article's annotation in this process (shared
    within a partition by words) plus its serialisation: the latencies add up to the wall time.
    """
    import psutil

    procs = [psutil.Process(pid) for pid in pids]

    def worker_cpu() -> float:
        return sum(t.user + t.system for t in (p.cpu_times() for p in procs))

    def worker_rss() -> list[float]:
        return [p.memory_info().rss / 1e6 for p in procs]

    errors: list = []
    read_s: list[float] = []

    def timed_articles() -> Iterator:
        it = iter(_read_articles(spec["paths"], spec["published"], spec["limit"], errors))
        while True:
            t = time.perf_counter()
            try:
                a = next(it)
            except StopIteration:
                return
            read_s.append(time.perf_counter() - t)
            yield a

    every, P = max(1, spec["rss_every"]), spec["partition_size"]
    samples = [[r] for r in worker_rss()]
    waits: list[float] = []
    ser_s: list[float] = []
    words: list[int] = []
    n_events = n_bytes = 0
    start_ts = time.time()
    cpu0, c0 = worker_cpu(), time.process_time()
    t0 = prev = time.perf_counter()
    for i, ann in enumerate(coder.code(timed_articles(), partition_size=P), 1):
        now = time.perf_counter()
        waits.append(now - prev)
        for e in ann.events:
            n_bytes += len(json.dumps(e.to_dict(), ensure_ascii=False))
        n_events += len(ann.events)
        ser_s.append(time.perf_counter() - now)
        words.append(len(ann.article.text.split()))
        if i % every == 0:
            for s, r in zip(samples, worker_rss()):
                s.append(r)
        advance()
        prev = time.perf_counter()
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0 + worker_cpu() - cpu0
    end_ts = time.time()
    for s, r in zip(samples, worker_rss()):
        s.append(r)
    peaks = [_proc_peak_rss_mb(pid) for pid in pids]
    peak = max([x for x in peaks if x is not None] or [max(max(s) for s in samples)])
    n = len(waits)
    wait_each = spread_batches(waits, words, P)
    return {
        "kind": "full",
        "pid": os.getpid(),
        "worker_pids": pids,
        "articles": n,
        "words": sum(words),
        "events": n_events,
        "json_bytes": n_bytes,
        "read_errors": len(errors),
        "wall_s": wall,
        "cpu_s": cpu,
        "start_ts": start_ts,
        "end_ts": end_ts,
        "latencies_s": [wait_each[i] + ser_s[i] for i in range(n)],
        "stages_s": {
            "read+normalise (caller)": sum(read_s),
            "coding on the workers (caller waiting)": max(0.0, sum(waits) - sum(read_s)),
            "serialise (caller)": sum(ser_s),
        },
        "rss_samples_mb": samples[0],
        "rss_samples_by_worker_mb": samples,
        "peak_rss_mb": peak,
    }


def dask_partition_size(n_articles: int, workers: int, batch_size: int) -> int:
    """Articles per Dask partition in the bench: ingest's default batch, smaller on a small
    corpus so that every worker gets several partitions, never below the ``nlp.pipe`` batch."""
    from newsevents.scale import DEFAULT_PARTITION_SIZE

    return max(batch_size, min(DEFAULT_PARTITION_SIZE, math.ceil(n_articles / (4 * workers))))


# --------------------------------------------------------------------------------------------
# profile of the full pipeline (one more fresh process)

_SPACY_PACKAGES = (
    "spacy",
    "thinc",
    "numpy",
    "blis",
    "srsly",
    "cymem",
    "preshed",
    "murmurhash",
    "catalogue",
)


def _group_of(filename: str) -> str:
    """Package or module a profiled function belongs to."""
    f = filename.replace("\\", "/")
    if "/newsevents/" in f or f.startswith("newsevents/"):
        rel = f.split("/newsevents/", 1)[-1] if "/newsevents/" in f else f[len("newsevents/") :]
        mod = "newsevents." + rel.rsplit(".", 1)[0].replace("/", ".")
        mod = mod.removesuffix(".__init__")
        return "bench harness" if mod == "newsevents.bench" else mod
    for pkg in _SPACY_PACKAGES:
        if f"/{pkg}/" in f or f.startswith(pkg + "/"):
            return pkg
    if "site-packages" in f:
        return f.split("site-packages/", 1)[1].split("/", 1)[0]
    if f == "~" or f.startswith("<"):
        return "builtins"
    return "python stdlib"


def group_profile(stats: pstats.Stats) -> tuple[dict[str, float], list[dict]]:
    """Self time by group (builtins charged to their callers' groups) and our own functions.

    Cython code of spaCy and thinc is mostly invisible to cProfile: its time shows up as the self
    time of the Python frame that called it, which still lies in the spacy group.
    """
    raw = stats.stats  # type: ignore[attr-defined]
    groups: dict[str, float] = {}
    ours: list[dict] = []
    for func, (_cc, nc, tt, ct, callers) in raw.items():
        filename, line, name = func
        g = _group_of(filename)
        if g == "builtins" and callers:
            edge_total = sum(v[2] for v in callers.values()) or 0.0
            for caller, v in callers.items():
                share = tt * (v[2] / edge_total) if edge_total else tt / len(callers)
                cg = _group_of(caller[0])
                groups[cg] = groups.get(cg, 0.0) + share
        else:
            groups[g] = groups.get(g, 0.0) + tt
        if g.startswith("newsevents."):
            ours.append(
                {"function": f"{g}:{name}", "line": line, "calls": nc, "self_s": tt, "cum_s": ct}
            )
    ours.sort(key=lambda r: -r["self_s"])
    return groups, ours


def _profile_task(spec: dict) -> dict:
    """Per-component CPU split and a cProfile of the full pipeline, on the same articles."""
    from newsevents.nlp.actors import to_mentions
    from newsevents.nlp.quotes import to_quotes
    from newsevents.nlp.times import times_of
    from newsevents.pipeline import Pipeline

    kwargs: dict[str, Any] = {"batch_size": spec["batch_size"]}
    if spec.get("model"):
        kwargs["model"] = spec["model"]
    pipe = Pipeline(**kwargs)
    B = spec["batch_size"]
    errors: list = []
    c = time.process_time()
    articles = list(_read_articles(spec["paths"], spec["published"], spec["limit"], errors))
    read_cpu = time.process_time() - c
    warm = articles[:WARMUP_ARTICLES]
    for ann in pipe.annotate_many(warm):
        for e in ann.events:
            json.dumps(e.to_dict(), ensure_ascii=False)
    _send("ready", "profile")

    # 1. CPU seconds of each step on the same batches nlp.pipe would form. The steps after the
    # pipeline's components mirror Pipeline._annotation (coder, then the mention, quote, time
    # and place layers) and serialisation.
    split: dict[str, float] = {"read+normalise": read_cpu, "tokenizer": 0.0}
    for name in pipe.nlp.pipe_names:
        split[name] = 0.0
    split.update({"coder": 0.0, "layers": 0.0, "serialise": 0.0})
    for s in range(0, len(articles), B):
        chunk = articles[s : s + B]
        c = time.process_time()
        docs = [pipe._make_doc(a) for a in chunk]
        split["tokenizer"] += time.process_time() - c
        for name, proc in pipe.nlp.pipeline:
            c = time.process_time()
            if hasattr(proc, "pipe"):
                docs = list(proc.pipe(docs, batch_size=B))
            else:
                docs = [proc(d) for d in docs]
            split[name] += time.process_time() - c
        for a, doc in zip(chunk, docs):
            c = time.process_time()
            events = pipe.coder.code(doc, a.id, a.published)
            c2 = time.process_time()
            # the annotation layers Pipeline._annotation builds besides the events
            to_mentions(doc), to_quotes(doc), times_of(doc), list(doc._.places or [])
            c3 = time.process_time()
            for e in events:
                json.dumps(e.to_dict(), ensure_ascii=False)
            c4 = time.process_time()
            split["coder"] += c2 - c
            split["layers"] += c3 - c2
            split["serialise"] += c4 - c3
        _send("advance", "profile", 1, len(chunk))

    # 2. cProfile of the real loop: read -> annotate_many -> serialise.
    prof = cProfile.Profile()
    c = time.process_time()
    prof.enable()
    for ann in pipe.annotate_many(
        _read_articles(spec["paths"], spec["published"], spec["limit"], errors)
    ):
        for e in ann.events:
            json.dumps(e.to_dict(), ensure_ascii=False)
        _send("advance", "profile", 2, 1)
    prof.disable()
    profiled_cpu = time.process_time() - c
    stats = pstats.Stats(prof, stream=io.StringIO())
    groups, ours = group_profile(stats)
    # inclusive time of our top-level entry points
    entry: dict[str, float] = {}
    for (filename, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        g = _group_of(filename)
        if g.startswith("newsevents.") and name in (
            "code",
            "__call__",
            "to_mentions",
            "to_quotes",
            "read_paths",
            "normalize_text",
            "to_dict",
            "_annotation",
            "annotate_many",
        ):
            key = f"{g}:{name}"
            entry[key] = max(entry.get(key, 0.0), ct)
    return {
        "components_cpu_s": split,
        "pipe_names": list(pipe.nlp.pipe_names),
        "profile_groups_s": groups,
        "profile_total_s": sum(groups.values()),
        "profiled_cpu_s": profiled_cpu,
        "our_functions": ours[: spec.get("top", 25)],
        "our_entry_points_cum_s": dict(sorted(entry.items(), key=lambda kv: -kv[1])),
    }


# --------------------------------------------------------------------------------------------
# the parent: pools, repetitions, aggregation


@dataclass
class BenchConfig:
    corpus: Corpus
    model: Optional[str] = None
    workers: int = 1
    limit: int = 0
    batch_size: int = DEFAULT_BATCH_SIZE
    repeat: int = 1
    published: Optional[date] = None
    rss_every: int = 10
    profile: bool = False
    interleave: bool = True  # batch by batch; only with one worker per side


@dataclass
class _Feed:
    """The parent's side of the progress queue."""

    queue: Any
    on_message: Callable[[tuple], None] = lambda msg: None

    def wait(self, futures: list) -> list:
        while True:
            try:
                self.on_message(self.queue.get(timeout=0.1))
                continue
            except queue_mod.Empty:
                pass
            if all(f.done() for f in futures):
                break
        while True:  # late messages
            try:
                self.on_message(self.queue.get_nowait())
            except queue_mod.Empty:
                break
        return [f.result() for f in futures]


def _aggregate(results: list[dict]) -> dict:
    """One repetition of one side over all workers."""
    lat = [x for r in results for x in r["latencies_s"]]
    wall = max(r["end_ts"] for r in results) - min(r["start_ts"] for r in results)
    if len(results) == 1:
        wall = results[0]["wall_s"]
    words = sum(r["words"] for r in results)
    n = sum(r["articles"] for r in results)
    cpu = sum(r["cpu_s"] for r in results)
    stages: dict[str, float] = {}
    for r in results:
        for k, v in r["stages_s"].items():
            stages[k] = stages.get(k, 0.0) + v
    return {
        "articles": n,
        "words": words,
        "wall_s": wall,
        "articles_per_s": n / wall if wall > 0 else float("nan"),
        "words_per_s": words / wall if wall > 0 else float("nan"),
        "p50_ms": percentile(lat, 50) * 1000,
        "p95_ms": percentile(lat, 95) * 1000,
        "cpu_s": cpu,
        "words_per_cpu_s": words / cpu if cpu > 0 else float("nan"),
        "peak_rss_mb": max(r["peak_rss_mb"] for r in results),
        "stages_s": stages,
        "events": sum(r.get("events", 0) for r in results),
        "read_errors": sum(r["read_errors"] for r in results),
        "rss_samples_mb": [r["rss_samples_mb"] for r in results],
    }


def _summary(reps: list[dict]) -> dict:
    keys = (
        "wall_s",
        "articles_per_s",
        "words_per_s",
        "p50_ms",
        "p95_ms",
        "cpu_s",
        "words_per_cpu_s",
    )
    out = {k: _median([r[k] for r in reps]) for k in keys}
    out.update(
        articles=reps[0]["articles"],
        words=reps[0]["words"],
        events=reps[0]["events"],
        read_errors=reps[0]["read_errors"],
        peak_rss_mb=max(r["peak_rss_mb"] for r in reps),
    )
    stages = {k: _median([r["stages_s"].get(k, 0.0) for r in reps]) for k in reps[0]["stages_s"]}
    out["stages_s"] = stages
    return out


def memory_profile(samples: list[float]) -> dict:
    """first / middle / last / max of RSS samples taken while streaming, and the growth."""
    if not samples:
        return {}
    return {
        "first_mb": samples[0],
        "mid_mb": samples[len(samples) // 2],
        "last_mb": samples[-1],
        "max_mb": max(samples),
        "growth_mb": samples[-1] - samples[0],
        "samples": len(samples),
    }


def run_benchmark(cfg: BenchConfig, console: Optional[Console] = None) -> dict:
    """Benchmark one corpus: bare and full, alternately, ``cfg.repeat`` times; optional profile."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = console or Console(stderr=True)
    errors: list = []
    articles = list(_read_articles(cfg.corpus.paths, cfg.published, cfg.limit, errors))
    if not articles:
        raise ValueError(f"no readable article in {cfg.corpus.spec} ({len(errors)} read errors)")
    words = [len(a.text.split()) for a in articles]
    workers = max(1, min(cfg.workers, len(articles)))
    tmp = None
    groups = [list(range(len(articles)))] if workers == 1 else partition_by_words(words, workers)
    if workers == 1:
        parts = [(list(cfg.corpus.paths), cfg.limit)]
    else:
        # one JSON-lines file per worker, balanced by words; read back with read_paths when timed
        tmp = tempfile.mkdtemp(prefix="newsevents-bench-parts-")
        parts = []
        for k, idx in enumerate(groups):
            path = Path(tmp) / f"part-{k}.jsonl"
            with path.open("w", encoding="utf-8") as f:
                for i in idx:
                    f.write(json.dumps(articles[i].to_dict(), ensure_ascii=False) + "\n")
            parts.append(([str(path)], 0))
    n_articles = len(articles)
    part_sizes = [len(g) for g in groups]
    # memory follows the words in one nlp.pipe batch, so report the largest
    B = cfg.batch_size
    batch_words = max(
        sum(words[i] for i in g[s : s + B]) for g in groups for s in range(0, len(g), B)
    )
    del articles
    interleave = cfg.interleave and workers == 1
    ctx = mp.get_context("spawn")
    progress_q = ctx.Queue()
    turns = (ctx.Semaphore(0), ctx.Semaphore(0)) if interleave else None
    base = {
        "model": cfg.model,
        "batch_size": cfg.batch_size,
        "published": cfg.published,
        "rss_every": cfg.rss_every,
    }
    pools: dict[str, ProcessPoolExecutor] = {}
    dask_full: Any = None  # newsevents.scale.DaskCoder of the full side when workers > 1
    partition_size = (
        dask_partition_size(n_articles, workers, cfg.batch_size) if workers > 1 else None
    )
    infos: dict[str, list[dict]] = {}
    reps: dict[str, list[dict]] = {"bare": [], "full": []}
    raw_reps: dict[str, list[list[dict]]] = {"bare": [], "full": []}
    profile: Optional[dict] = None
    started = time.perf_counter()
    load_start = _loadavg()

    prog = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
    tasks: dict[tuple, int] = {}

    def on_message(msg: tuple) -> None:
        if msg[0] == "ready":
            key = ("load", msg[1])
            if key in tasks:
                prog.advance(tasks[key], 1)
        elif msg[0] == "advance":
            key = (msg[1], msg[2])
            if key in tasks:
                prog.advance(tasks[key], msg[3])

    feed = _Feed(progress_q, on_message)

    def pool_for(kind: str) -> ProcessPoolExecutor:
        barrier = ctx.Barrier(workers)
        pools[kind] = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(progress_q, barrier, turns),
        )
        return pools[kind]

    try:
        with prog:
            # full side first: its pipe_names decide which of the model's components bare runs
            for kind in ("full", "bare"):
                tasks[("load", kind)] = prog.add_task(f"load {kind} model", total=workers)
                if kind == "full" and workers > 1:  # the scale-out path: Dask workers
                    from newsevents.scale import DaskCoder

                    options: dict[str, Any] = {"batch_size": cfg.batch_size}
                    if cfg.model:
                        options["model"] = cfg.model
                    dask_full = DaskCoder(workers, options=options, retries=0)
                    warm = list(
                        _read_articles(cfg.corpus.paths, cfg.published, WARMUP_ARTICLES, [])
                    )
                    infos["full"] = [dict(i, kind="full") for i in dask_full.warm_up(warm)]
                    prog.update(tasks[("load", kind)], completed=workers)
                    continue
                pool = pool_for(kind)
                spec = dict(base, kind=kind, paths=parts[0][0])
                if kind == "bare":
                    full_names = infos["full"][0]["pipe_names"]
                    model_names = _bare_components(full_names)
                    spec["components"] = model_names
                futs = [
                    pool.submit(_prepare, dict(spec, paths=parts[k][0])) for k in range(workers)
                ]
                infos[kind] = feed.wait(futs)
            n_batches = math.ceil(n_articles / cfg.batch_size)
            for rep in range(1, cfg.repeat + 1):
                order = ("bare", "full") if rep % 2 == 1 else ("full", "bare")
                run_spec = dict(
                    base, rep=rep, interleave=interleave, first=order[0], batches=n_batches
                )

                def submit(kind: str) -> list:
                    tasks[(kind, rep)] = prog.add_task(
                        f"{kind} run {rep}/{cfg.repeat}", total=n_articles
                    )
                    return [
                        pools[kind].submit(
                            _run, dict(run_spec, kind=kind, paths=p, limit=lim, articles=size)
                        )
                        for (p, lim), size in zip(parts, part_sizes)
                    ]

                if interleave:  # both at once, taking turns batch by batch
                    futs = {kind: submit(kind) for kind in order}
                    turns[0 if order[0] == "bare" else 1].release()
                    done = dict(zip(order, feed.wait(futs[order[0]] + futs[order[1]])))
                    results_by_kind = {k: [v] for k, v in done.items()}
                else:

                    def run_side(kind: str) -> list:
                        if kind == "full" and dask_full is not None:
                            task = prog.add_task(f"full run {rep}/{cfg.repeat}", total=n_articles)
                            spec = dict(run_spec, kind=kind, paths=list(cfg.corpus.paths),
                                        limit=cfg.limit, partition_size=partition_size)
                            pids = [i["pid"] for i in infos["full"]]
                            return [_run_full_dask(dask_full, pids, spec,
                                                   lambda: prog.advance(task, 1))]
                        return feed.wait(submit(kind))

                    results_by_kind = {kind: run_side(kind) for kind in order}
                for kind, res in results_by_kind.items():
                    raw_reps[kind].append(res)
                    reps[kind].append(_aggregate(res))
                    if "rss_samples_by_worker_mb" in res[0]:  # one caller, several Dask workers
                        reps[kind][-1]["rss_samples_mb"] = res[0]["rss_samples_by_worker_mb"]
            for p in pools.values():
                p.shutdown(wait=True)
            pools.clear()
            if dask_full is not None:
                dask_full.close()
            if cfg.profile:
                tasks[("profile", 1)] = prog.add_task("profile: component split", total=n_articles)
                tasks[("profile", 2)] = prog.add_task("profile: cProfile of full", total=n_articles)
                with ProcessPoolExecutor(
                    max_workers=1,
                    mp_context=ctx,
                    initializer=_init_worker,
                    initargs=(progress_q, None),
                ) as pp:
                    profile = feed.wait(
                        [
                            pp.submit(
                                _profile_task,
                                dict(base, paths=list(cfg.corpus.paths), limit=cfg.limit),
                            )
                        ]
                    )[0]
    finally:
        if dask_full is not None:
            dask_full.close()
        for p in pools.values():
            p.shutdown(wait=False, cancel_futures=True)
            for proc in list(getattr(p, "_processes", {}).values() or []):
                if proc.is_alive():
                    proc.terminate()
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)

    bare, full = _summary(reps["bare"]), _summary(reps["full"])
    mem = memory_profile(reps["full"][0]["rss_samples_mb"][0])
    if bare["words"] != full["words"] or bare["articles"] != full["articles"]:
        console.print(
            f"[yellow]warning:[/yellow] bare saw {bare['articles']} articles/{bare['words']} "
            "words, "
            f"full {full['articles']}/{full['words']}"
        )
    return {
        "corpus": {
            "spec": cfg.corpus.spec,
            "name": cfg.corpus.name,
            "articles": n_articles,
            "words": sum(words),
            "read_errors": len(errors),
            "longest_article_words": max(words),
            "largest_batch_words": batch_words,
        },
        "config": {
            "model": infos["full"][0]["model"],
            "workers": workers,
            "limit": cfg.limit,
            "batch_size": cfg.batch_size,
            "repeat": cfg.repeat,
            "published": cfg.published.isoformat() if cfg.published else None,
            "rss_every": cfg.rss_every,
            "interleave": interleave,
            "partition_size": partition_size,
        },
        "components": {
            "full": infos["full"][0]["pipe_names"],
            "bare": infos["bare"][0]["pipe_names"],
        },
        "load": {
            k: [{x: i[x] for x in ("load_s", "load_cpu_s", "rss_after_load_mb")} for i in v]
            for k, v in infos.items()
        },
        "bare": bare,
        "full": full,
        "load_average": {"start": load_start, "end": _loadavg()},
        "memory_full": mem,
        "memory_full_per_worker": [memory_profile(s) for s in reps["full"][0]["rss_samples_mb"]],
        "repetitions": {
            k: [{x: r[x] for x in r if x != "rss_samples_mb"} for r in v] for k, v in reps.items()
        },
        "latencies_ms_first_rep": {
            k: [round(x * 1000, 3) for w in raw_reps[k][0] for x in w["latencies_s"]]
            for k in raw_reps
        },
        "profile": profile,
        "seconds": time.perf_counter() - started,
    } | paired_ratios({"bare": reps["bare"], "full": reps["full"]})


def paired_ratios(repetitions: dict[str, list[dict]]) -> dict:
    """The ratio of each run (full over bare, measured in the same run) and their medians.

    Bare and full of one run met the same load on the machine, so their quotient is steadier
    than a quotient of medians taken from different runs.
    """
    pairs = list(zip(repetitions["full"], repetitions["bare"]))
    wall = [f["words_per_s"] / b["words_per_s"] for f, b in pairs if b["words_per_s"]]
    cpu = [f["words_per_cpu_s"] / b["words_per_cpu_s"] for f, b in pairs if b["words_per_cpu_s"]]
    return {
        "ratio": _median(wall),
        "cpu_ratio": _median(cpu),
        "paired_ratios": wall,
        "paired_cpu_ratios": cpu,
    }


def _loadavg() -> Optional[list[float]]:
    """1, 5 and 15 minute load averages: other work on the machine shows up here."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def _bare_components(full_names: list[str]) -> list[str]:
    """The model's own components among those the full pipeline runs (no ruler, no actors)."""
    return [n for n in full_names if not n.startswith("newsevents")]


# --------------------------------------------------------------------------------------------
# machine facts and reporting


def machine_facts() -> dict:
    cpu_model, logical, physical = platform.processor() or "unknown", os.cpu_count(), None
    try:
        text = Path("/proc/cpuinfo").read_text()
        models = [
            ln.split(":", 1)[1].strip() for ln in text.splitlines() if ln.startswith("model name")
        ]
        if models:
            cpu_model = models[0]
        logical = sum(1 for ln in text.splitlines() if ln.startswith("processor")) or logical
        cores = {
            ln.split(":", 1)[1].strip() for ln in text.splitlines() if ln.startswith("cpu cores")
        }
        physical = int(next(iter(cores))) if len(cores) == 1 else None
    except OSError:
        pass
    mem_gb = None
    try:
        for ln in Path("/proc/meminfo").read_text().splitlines():
            if ln.startswith("MemTotal:"):
                mem_gb = int(ln.split()[1]) / 1024 / 1024
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    import spacy
    import thinc

    return {
        "cpu_model": cpu_model,
        "logical_cpus": logical,
        "cores_per_socket": physical,
        "usable_cpus": usable,
        "memory_gb": round(mem_gb, 1) if mem_gb else None,
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "thinc": thinc.__version__,
        "platform": platform.platform(),
    }


def git_facts() -> tuple[str, bool]:
    from newsevents.eval.report import git_commit

    return git_commit()


def bench_line(res: dict) -> str:
    """The one-line summary printed last (one per corpus)."""
    f, b = res["full"], res["bare"]
    return (
        f"bench full_words_per_s={f['words_per_s']:.0f} bare_words_per_s={b['words_per_s']:.0f} "
        f"ratio={res['ratio']:.3f} full_peak_rss_mb={f['peak_rss_mb']:.0f} "
        f"bare_peak_rss_mb={b['peak_rss_mb']:.0f} cpu_ratio={res['cpu_ratio']:.3f} "
        f"corpus={res['corpus']['spec']} "
        f"articles={res['corpus']['articles']} words={res['corpus']['words']} "
        f"workers={res['config']['workers']} repeat={res['config']['repeat']}"
    )


def _fmt(v: Any, digits: int = 1) -> str:
    if isinstance(v, float):
        if math.isnan(v):
            return "-"
        return f"{v:,.{digits}f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def result_rows(res: dict) -> list[tuple[str, str, str, str]]:
    """(metric, bare, full, full/bare) rows shared by the terminal table and the markdown."""
    b, f = res["bare"], res["full"]

    def rel(x: float, y: float) -> str:
        return f"{y / x:.3f}" if x and not math.isnan(x) and not math.isnan(y) else ""

    rows = [
        ("articles", _fmt(b["articles"]), _fmt(f["articles"]), ""),
        ("words (whitespace tokens)", _fmt(b["words"]), _fmt(f["words"]), ""),
        (
            "wall s (median)",
            _fmt(b["wall_s"], 2),
            _fmt(f["wall_s"], 2),
            rel(b["wall_s"], f["wall_s"]),
        ),
        (
            "articles/s",
            _fmt(b["articles_per_s"], 2),
            _fmt(f["articles_per_s"], 2),
            f"{res['ratio']:.3f}",
        ),
        ("words/s", _fmt(b["words_per_s"], 0), _fmt(f["words_per_s"], 0), f"{res['ratio']:.3f}"),
        (
            "p50 latency ms/article",
            _fmt(b["p50_ms"]),
            _fmt(f["p50_ms"]),
            rel(b["p50_ms"], f["p50_ms"]),
        ),
        (
            "p95 latency ms/article",
            _fmt(b["p95_ms"]),
            _fmt(f["p95_ms"]),
            rel(b["p95_ms"], f["p95_ms"]),
        ),
        ("CPU s", _fmt(b["cpu_s"], 2), _fmt(f["cpu_s"], 2), rel(b["cpu_s"], f["cpu_s"])),
        (
            "words per CPU second",
            _fmt(b["words_per_cpu_s"], 0),
            _fmt(f["words_per_cpu_s"], 0),
            f"{res['cpu_ratio']:.3f}",
        ),
        (
            "peak RSS MB",
            _fmt(b["peak_rss_mb"], 0),
            _fmt(f["peak_rss_mb"], 0),
            rel(b["peak_rss_mb"], f["peak_rss_mb"]),
        ),
        (
            "RSS after model load MB",
            _fmt(max(x["rss_after_load_mb"] for x in res["load"]["bare"]), 0),
            _fmt(max(x["rss_after_load_mb"] for x in res["load"]["full"]), 0),
            "",
        ),
        (
            "model load s",
            _fmt(max(x["load_s"] for x in res["load"]["bare"]), 1),
            _fmt(max(x["load_s"] for x in res["load"]["full"]), 1),
            "",
        ),
    ]
    return rows


def _fmt_load(v: Optional[list[float]]) -> str:
    return "/".join(f"{x:.2f}" for x in v) if v else "-"


def run_rows(res: dict) -> list[tuple]:
    rows = []
    for i, (b, f) in enumerate(zip(res["repetitions"]["bare"], res["repetitions"]["full"]), 1):
        rows.append(
            (
                i,
                f"{b['wall_s']:.2f}",
                f"{f['wall_s']:.2f}",
                f"{b['cpu_s']:.2f}",
                f"{f['cpu_s']:.2f}",
                f"{f['words_per_s'] / b['words_per_s']:.3f}",
                f"{f['words_per_cpu_s'] / b['words_per_cpu_s']:.3f}",
            )
        )
    return rows


def stage_text(res: dict) -> str:
    st = res["full"]["stages_s"]
    total = sum(st.values()) or 1.0
    return ", ".join(f"{k} {v:.2f}s ({100 * v / total:.0f}%)" for k, v in st.items())


def memory_text(res: dict) -> str:
    m = res["memory_full"]
    if not m:
        return "no samples"
    flat = "flat" if m["growth_mb"] <= max(25.0, 0.05 * m["first_mb"]) else "growing"

    def budget(side: str) -> str:
        return "within" if res[side]["peak_rss_mb"] < RSS_BUDGET_MB else "OVER"

    c = res["corpus"]
    return (
        f"RSS every {res['config']['rss_every']} articles ({m['samples']} samples, first full run, "
        "worker 1): "
        f"first {m['first_mb']:.0f} MB, mid {m['mid_mb']:.0f} MB, last {m['last_mb']:.0f} MB, "
        f"max {m['max_mb']:.0f} MB; growth first to last {m['growth_mb']:+.0f} MB ({flat}). Peak "
        "RSS: full "
        f"{res['full']['peak_rss_mb']:.0f} MB ({budget('full')} the {RSS_BUDGET_MB:.0f} MB "
        "budget), bare "
        f"{res['bare']['peak_rss_mb']:.0f} MB ({budget('bare')}); longest article "
        f"{c.get('longest_article_words', 0):,} words, largest batch "
        f"{c.get('largest_batch_words', 0):,} words"
    )


def print_result(console: Console, res: dict) -> None:
    c = res["config"]
    title = (
        f"{res['corpus']['name']}: {res['corpus']['articles']} articles, "
        f"{res['corpus']['words']:,} words; "
        f"{c['workers']} worker(s), batch {c['batch_size']}, median of {c['repeat']} run(s)"
    )
    t = Table(title=escape(title), title_justify="left")
    t.add_column("metric")
    t.add_column("bare spaCy", justify="right")
    t.add_column("full newsevents", justify="right")
    t.add_column("full/bare", justify="right")
    for row in result_rows(res):
        t.add_row(*(escape(x) for x in row))
    console.print(t)
    goal = "met" if res["ratio"] >= GOAL_RATIO else "not met"
    console.print(
        f"ratio full/bare words/s {res['ratio']:.3f}, median of the runs (goal >= {GOAL_RATIO}: "
        f"{goal}); per run: " + ", ".join(f"{r:.3f}" for r in res["paired_ratios"])
    )
    console.print(
        f"ratio on CPU seconds {res['cpu_ratio']:.3f}; "
        f"load average at start {_fmt_load(res['load_average']['start'])}, at end "
        f"{_fmt_load(res['load_average']['end'])} on "
        f"{res.get('machine', {}).get('usable_cpus', '?')} CPUs"
    )
    console.print(f"bare components: {', '.join(res['components']['bare'])}")
    console.print(f"full components: {', '.join(res['components']['full'])}")
    console.print(f"full run time by stage: {stage_text(res)}")
    console.print(f"memory: {memory_text(res)}")
    if res["corpus"]["read_errors"]:
        console.print(
            f"[yellow]{res['corpus']['read_errors']} input(s) could not be read and were "
            "skipped[/yellow]"
        )
    if res.get("profile"):
        print_profile(console, res["profile"])


def component_rows(profile: dict) -> list[tuple[str, str, str, str]]:
    """(step, CPU s, % of spaCy model, % of total) for the component split."""
    split = profile["components_cpu_s"]
    model_steps = ["tokenizer"] + [
        n for n in profile["pipe_names"] if not n.startswith("newsevents")
    ]
    model_total = sum(split.get(n, 0.0) for n in model_steps) or 1.0
    total = sum(split.values()) or 1.0
    rows = []
    for name, v in split.items():
        ours = name not in model_steps
        rows.append(
            (
                name + (" (ours)" if ours else ""),
                f"{v:.2f}",
                "" if ours else f"{100 * v / model_total:.1f}%",
                f"{100 * v / total:.1f}%",
            )
        )
    rows.append(
        ("spaCy model total", f"{model_total:.2f}", "100.0%", f"{100 * model_total / total:.1f}%")
    )
    rows.append(
        (
            "ours total",
            f"{total - model_total:.2f}",
            "",
            f"{100 * (total - model_total) / total:.1f}%",
        )
    )
    return rows


def group_rows(profile: dict, top: int = 12) -> list[tuple[str, str, str]]:
    groups = profile["profile_groups_s"]
    total = sum(groups.values()) or 1.0
    items = sorted(groups.items(), key=lambda kv: -kv[1])[:top]
    return [(g, f"{v:.2f}", f"{100 * v / total:.1f}%") for g, v in items]


def print_profile(console: Console, profile: dict) -> None:
    t = Table(title="CPU seconds by step (same batches as nlp.pipe)", title_justify="left")
    for h, j in (
        ("step", "left"),
        ("CPU s", "right"),
        ("% of spaCy model", "right"),
        ("% of total", "right"),
    ):
        t.add_column(h, justify=j)
    for r in component_rows(profile):
        t.add_row(*(escape(x) for x in r))
    console.print(t)
    t = Table(
        title="cProfile of the full pipeline: self time by package/module", title_justify="left"
    )
    for h, j in (("group", "left"), ("self s", "right"), ("share", "right")):
        t.add_column(h, justify=j)
    for r in group_rows(profile):
        t.add_row(*(escape(x) for x in r))
    console.print(t)
    t = Table(title="our functions with the most self time", title_justify="left")
    for h, j in (
        ("function", "left"),
        ("calls", "right"),
        ("self s", "right"),
        ("cumulative s", "right"),
    ):
        t.add_column(h, justify=j)
    for r in profile["our_functions"][:12]:
        t.add_row(
            escape(f"{r['function']} (line {r['line']})"),
            f"{r['calls']:,}",
            f"{r['self_s']:.3f}",
            f"{r['cum_s']:.3f}",
        )
    console.print(t)


# --------------------------------------------------------------------------------------------
# docs/performance.md


def _md_table(
    headers: list[str], rows: list[tuple], align: Optional[list[str]] = None
) -> list[str]:
    align = align or ["l"] + ["r"] * (len(headers) - 1)
    sep = ["---:" if a == "r" else "---" for a in align]
    out = ["| " + " | ".join(headers) + " |", "| " + " | ".join(sep) + " |"]
    out += ["| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |" for r in rows]
    return out


def _display_corpus(spec: str) -> str:
    if spec == DEMO:
        return "demo (src/newsevents/data/demo/wikinews-demo.jsonl)"
    p = Path(spec).resolve()
    from newsevents.paths import corpora_dir

    cd = corpora_dir()
    if cd:
        try:
            return "../shared/corpora/" + str(p.relative_to(Path(cd).resolve()))
        except ValueError:
            pass
    return spec


def _verdict(res: dict) -> str:
    """How far one corpus's CPU split is from the ratio goal."""
    split = res["profile"]["components_cpu_s"]
    model_steps = {"tokenizer"} | {
        n for n in res["profile"]["pipe_names"] if not n.startswith("newsevents")
    }
    total = sum(split.values()) or 1.0
    model = sum(v for n, v in split.items() if n in model_steps)
    ours = total - model
    allowed = model / GOAL_RATIO - model  # what our steps may cost on top of the model
    head = (
        f"- {escape_md(res['corpus']['name'])} ({res['corpus']['words']:,} words), by the CPU "
        "split: our "
        f"steps {ours:.2f} s on top of the model's {model:.2f} s (ratio {model / total:.3f}); the "
        "goal "
        f"allows {allowed:.2f} s"
    )
    if ours > allowed:
        return (
            head
            + f", so {ours - allowed:.2f} s ({100 * (ours - allowed) / total:.0f}% of the full "
            "pipeline's CPU) has to go."
        )
    return head + ", so this corpus is within it."


def _levers(results: list[dict]) -> list[str]:
    """What would close the gap, with the measured shares filled in."""
    prof_res = next((r for r in reversed(results) if r.get("profile")), None)
    lines = ["## Levers", ""]
    if prof_res is None:
        return lines + ["(run with `--profile` to fill this section)", ""]
    prof = prof_res["profile"]
    split = prof["components_cpu_s"]
    total = sum(split.values()) or 1.0
    model_steps = {"tokenizer"} | {n for n in prof["pipe_names"] if not n.startswith("newsevents")}
    ours = sorted((n for n in split if n not in model_steps), key=lambda n: -split[n])
    ours_total = sum(split[n] for n in ours)

    def share(*names: str) -> str:
        return f"{100 * sum(split.get(n, 0.0) for n in names) / total:.0f}%"

    lines += [_verdict(r) for r in results if r.get("profile")] + [""]
    top_fns = ", ".join(
        f"`{r['function']}` ({r['self_s']:.2f} s self, {r['cum_s']:.2f} s cumulative)"
        for r in prof["our_functions"][:5]
    )
    lines += [
        f"Items 1 to 3 use the CPU split of {escape_md(prof_res['corpus']['name'])}.",
        "",
        f"1. **Our own steps ({100 * ours_total / total:.0f}% of CPU)**: "
        + ", ".join(f"{n} {share(n)}" for n in ours)
        + f". The functions with the most self time in our code: {top_fns}.",
        f"2. **Lemmatizer ({share('lemmatizer')}) and attribute ruler "
        f"({share('attribute_ruler')}).** "
        "The model's rule-based steps, paid in bare and full alike. Keying the verb lexicon on "
        "inflected forms (generate each lexicon verb's forms once, at load time) and reading "
        "lemmas only where a lookup needs one lets the full pipeline drop the lemmatizer. The "
        "attribute ruler sets the coarse POS our components read; a direct tag-to-POS table "
        "(the ruler's exceptions aside) would do that without its matcher. Either change speeds "
        "the full pipeline and leaves bare as it is, so the ratio can pass 1.",
        f"3. **NER ({share('ner')}), parser ({share('parser')}) and the shared tok2vec "
        f"({share('tok2vec')}).** Run them only on sentences that can hold an event: a cheap pass "
        "over the tokenizer's output with the gazetteer and the verb lexicon keeps the sentences "
        "that name an actor and hold a lexicon verb (with their neighbours for pronouns). The "
        "saving is in proportion to the text skipped; NER, with its own embedded tok2vec, is the "
        "first to restrict.",
    ]
    over = [
        r
        for r in results
        if max(r["full"]["peak_rss_mb"], r["bare"]["peak_rss_mb"]) >= RSS_BUDGET_MB
    ]
    if over:
        worst = max(over, key=lambda r: r["full"]["peak_rss_mb"])
        lines += [
            f"4. **Memory.** On {escape_md(worst['corpus']['name'])} the full worker peaked at "
            f"{worst['full']['peak_rss_mb']:.0f} MB and bare spaCy alone at "
            f"{worst['bare']['peak_rss_mb']:.0f} MB, "
            f"against the {RSS_BUDGET_MB:.0f} MB budget. The peak follows the text the model "
            "holds at once (a sub-batch of at most 60,000 characters, or one 20,000-character "
            "chunk of a long article), not the length of the stream: "
            f"the largest batch there held {worst['corpus']['largest_batch_words']:,} words "
            f"(longest article {worst['corpus']['longest_article_words']:,}).",
        ]
    else:
        lines += [
            f"4. **Memory.** Peak RSS stayed under the {RSS_BUDGET_MB:.0f} MB budget on every "
            "corpus; it "
            "follows the text the model holds at once (sub-batches of at most 60,000 characters; "
            "articles over 20,000 characters parsed in paragraph chunks), not the length of the "
            "stream or of an article.",
        ]
    lines += [
        "5. **Cores.** Each worker process holds its own model (up to "
        f"{max(r['full']['peak_rss_mb'] for r in results):.0f} MB peak RSS here); `--workers N` "
        "codes through a local Dask cluster; several machines run `newsevents ingest --scheduler "
        "ADDR` against a Dask scheduler (docs/scaling.md).",
        "",
    ]
    return lines


def write_markdown(
    path: str | os.PathLike[str],
    results: list[dict],
    command: str,
    when: Optional[str] = None,
    rendered_from: Optional[str] = None,
) -> None:
    """docs/performance.md: machine, commit, commands and every figure, generated.

    ``when``: ISO time of the measurement (default now).
    """
    facts = results[0].get("machine") or machine_facts()
    commit, dirty = results[0].get("commit") or git_facts()
    stamp = datetime.fromisoformat(when) if when else datetime.now(timezone.utc)
    now = stamp.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Performance: newsevents against bare spaCy",
        "",
        f"<!-- Generated by `{command}`. Do not edit by hand: run the command again. -->",
        "",
        f"Generated on {now} at commit `{commit}`"
        + (" (the working tree had uncommitted changes)" if dirty else "")
        + f" by `{command}`"
        + (
            f"; this file was rendered from that run's JSON by `{rendered_from}`."
            if rendered_from
            else "."
        ),
        "",
        f"Machine: {facts['cpu_model']}, {facts['logical_cpus']} logical CPUs "
        f"({facts['usable_cpus']} usable), "
        f"{facts['memory_gb']} GB memory; Python {facts['python']}, spaCy {facts['spacy']}, thinc "
        f"{facts['thinc']}, "
        f"model {results[0]['config']['model']}.",
        "",
        "Budget (DESIGN.md): the full pipeline keeps at least "
        f"{GOAL_RATIO:.2f} of bare spaCy's words/s on the same texts, and a worker stays under "
        f"{RSS_BUDGET_MB:.0f} MB RSS on any input size.",
        "",
        "How it is measured: bare and full run in separate fresh worker processes (spawn), models "
        "loaded and warmed up before timing. With one worker per side the two take turns batch by "
        "batch (each waits, off the clock, while the other runs a batch), so both see the same "
        "moments of whatever else the machine is doing; the order of the first turn alternates "
        "between repetitions, and rates are medians over the repetitions. Bare times the model "
        "(`newsevents.nlp.pipeline.pipe_bounded`: the same batches, with long texts parsed in "
        "paragraph chunks and at most 60,000 characters through the model at once, as the full "
        "pipeline does) over the normalised texts with the model's own "
        "components that the full pipeline uses; full times `read_paths` (read + normalise), "
        "`Pipeline.annotate_many` (NLP with our entity ruler and actor component, coding) and "
        "`json.dumps(event.to_dict())`. Words are whitespace tokens of the normalised text. "
        "Per-article latency shares each `nlp.pipe` batch's time among its articles by words and "
        "adds "
        "the article's own read, coding and serialisation time. The CPU split and the profile come "
        "from one more fresh process over the same articles and batches (CPU seconds).",
        "",
        "## Summary",
        "",
    ]
    summary = []
    for r in results:
        summary.append(
            (
                escape_md(r["corpus"]["name"]),
                _fmt(r["corpus"]["articles"]),
                _fmt(r["corpus"]["words"]),
                _fmt(r["bare"]["words_per_s"], 0),
                _fmt(r["full"]["words_per_s"], 0),
                f"{r['ratio']:.3f}",
                "met" if r["ratio"] >= GOAL_RATIO else "not met",
                f"{r['cpu_ratio']:.3f}",
                _fmt(r["bare"]["peak_rss_mb"], 0),
                _fmt(r["full"]["peak_rss_mb"], 0),
                f"{r['memory_full'].get('growth_mb', float('nan')):+.0f}",
            )
        )
    lines += _md_table(
        [
            "corpus",
            "articles",
            "words",
            "bare words/s",
            "full words/s",
            "ratio full/bare",
            f"goal >= {GOAL_RATIO}",
            "ratio on CPU s",
            "bare peak RSS MB",
            "full peak RSS MB",
            "RSS growth while streaming MB",
        ],
        summary,
    )
    lines += [
        "",
        "The ratio is words/s of the full pipeline over words/s of bare spaCy in the same run "
        "(wall "
        "clock), the median over the runs; the words/s columns are medians of their own. The ratio "
        "on CPU seconds divides words per CPU second instead, a check when other work shares the "
        "machine (the load averages under each corpus show how much did).",
        "",
    ]
    for r in results:
        c = r["config"]
        lines += [
            f"## {escape_md(r['corpus']['name'])}",
            "",
            f"Corpus: `{_display_corpus(r['corpus']['spec'])}`; {c['workers']} worker(s), batch "
            "size "
            f"{c['batch_size']}, median of {c['repeat']} run(s), "
            + (
                "bare and full taking turns batch by batch."
                if c.get("interleave")
                else "bare and full one after the other."
            ),
            "",
        ]
        lines += _md_table(["metric", "bare spaCy", "full newsevents", "full/bare"], result_rows(r))
        lines += [
            "",
            "full/bare: the median of the per-run quotients for the rates (articles/s, words/s, "
            "words per CPU second), the quotient of the two medians for the rest.",
            "",
            "Each run:",
            "",
        ]
        lines += _md_table(
            [
                "run",
                "bare wall s",
                "full wall s",
                "bare CPU s",
                "full CPU s",
                "ratio",
                "ratio on CPU s",
            ],
            run_rows(r),
        )
        lines += [
            "",
            f"- Bare components: {', '.join(r['components']['bare'])}.",
            f"- Full components: {', '.join(r['components']['full'])}.",
            f"- Full run time by stage (wall): {stage_text(r)}.",
            f"- Memory while streaming: {memory_text(r)}.",
            f"- Load average (1/5/15 min) at start {_fmt_load(r['load_average']['start'])}, at end "
            f"{_fmt_load(r['load_average']['end'])}, on {facts['usable_cpus']} usable CPUs.",
            f"- Events written: {_fmt(r['full']['events'])}.",
            "",
        ]
        p = r.get("profile")
        if p:
            lines += ["### Where the time goes: CPU seconds by step", ""]
            lines += _md_table(
                ["step", "CPU s", "% of spaCy model", "% of total"], component_rows(p)
            )
            lines += [
                "",
                "### cProfile of the full pipeline: self time by package and module",
                "",
                "Cython code of spaCy and thinc is largely invisible to cProfile; its time is "
                "charged "
                "to the Python frame that called it, which lies in the spacy group. Built-in "
                "functions are charged to their callers' groups. Profiling slows pure-Python code "
                f"more than compiled code (profiled run: {p['profiled_cpu_s']:.1f} CPU s).",
                "",
            ]
            lines += _md_table(["group", "self s", "share"], group_rows(p, top=15))
            lines += ["", "Our functions with the most self time:", ""]
            lines += _md_table(
                ["function", "line", "calls", "self s", "cumulative s"],
                [
                    (
                        f"`{f['function']}`",
                        f["line"],
                        _fmt(f["calls"]),
                        f"{f['self_s']:.3f}",
                        f"{f['cum_s']:.3f}",
                    )
                    for f in p["our_functions"][:15]
                ],
            )
            lines.append("")
    lines += _levers(results)
    lines += [
        "## Reproduce",
        "",
        "```",
        command,
        "```",
        "",
        "`newsevents bench --help` lists the options (`--workers N` runs the full side on a Dask "
        "LocalCluster of N processes, the scale-out path, and bare spaCy in N processes over "
        "word-balanced partitions; `--json FILE` keeps every figure, per-article latencies of the "
        "first run included). Micro-benchmarks of hot functions: see benchmarks/README.md.",
        "",
    ]
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text("\n".join(lines), encoding="utf-8")


def escape_md(s: str) -> str:
    return s.replace("|", "\\|")


def _command_line(
    corpus: list[str],
    workers: int,
    limit: int,
    batch_size: int,
    repeat: int,
    model: Optional[str],
    published: Optional[str],
    rss_every: int,
    profile: bool,
    json_out: Optional[Path],
    markdown: Optional[Path],
    interleave: bool = True,
) -> str:
    args = ["newsevents", "bench"]
    for c in corpus:
        args += ["--corpus", c if c == DEMO else _display_corpus(c)]
    if workers != 1:
        args += ["--workers", str(workers)]
    if limit:
        args += ["--limit", str(limit)]
    if batch_size != DEFAULT_BATCH_SIZE:
        args += ["--batch-size", str(batch_size)]
    if repeat != 1:
        args += ["--repeat", str(repeat)]
    if not interleave:
        args += ["--no-interleave"]
    if model:
        args += ["--model", model]
    if published:
        args += ["--published", published]
    if rss_every != 10:
        args += ["--rss-every", str(rss_every)]
    if profile and not markdown:
        args += ["--profile"]
    if json_out:
        args += ["--json", str(json_out)]
    if markdown:
        args += ["--markdown", str(markdown)]
    return shlex.join(args)


# --------------------------------------------------------------------------------------------
# the command


def bench_command(
    corpus: list[str] = typer.Option(
        [],
        "--corpus",
        help="Folder or file of articles (.txt/.jsonl/.csv...), a .zip of .txt files, or 'demo' "
        "(the "
        "bundled articles, the default); repeatable, each corpus is benchmarked in turn.",
    ),
    workers: int = typer.Option(
        1,
        "--workers",
        min=1,
        help="Processes per side: full through a Dask LocalCluster (the scale-out path), bare "
        "over word-balanced partitions.",
    ),
    limit: int = typer.Option(0, "--limit", min=0, help="Only the first N articles (0 = all)."),
    batch_size: int = typer.Option(
        DEFAULT_BATCH_SIZE, "--batch-size", min=1, help="nlp.pipe batch size, the same on both sides."
    ),
    repeat: int = typer.Option(
        1,
        "--repeat",
        min=1,
        help="Measure N times, alternating which side goes first; report medians.",
    ),
    interleave: bool = typer.Option(
        True,
        "--interleave/--no-interleave",
        help="With one worker: bare and full take turns batch by batch (steadier on a "
        "busy machine); otherwise one whole pass after the other.",
    ),
    model: Optional[str] = typer.Option(
        None, "--model", help="spaCy model (default: the pipeline's)."
    ),
    published: Optional[str] = typer.Option(
        None, "--published", help="Date YYYY-MM-DD for articles without one (e.g. BBC)."
    ),
    rss_every: int = typer.Option(
        10, "--rss-every", min=1, help="Sample RSS every N articles in the full run."
    ),
    profile: bool = typer.Option(
        False,
        "--profile",
        help="Also split CPU time by spaCy component and our steps, and cProfile the full run.",
    ),
    json_out: Optional[Path] = typer.Option(
        None, "--json", help="Write every figure to this JSON file."
    ),
    markdown: Optional[Path] = typer.Option(
        None,
        "--markdown",
        help="Write a performance report (implies --profile), e.g. docs/performance.md.",
    ),
    from_json: Optional[Path] = typer.Option(
        None,
        "--from-json",
        help="Measure nothing: print (and with --markdown write) the report of "
        "an earlier run's --json file.",
    ),
) -> None:
    """Throughput of the full pipeline against bare spaCy on the same texts, and their ratio."""
    out = Console(soft_wrap=False)
    if not out.is_terminal:
        out = Console(soft_wrap=False, width=max(out.width, 120))
    err = Console(stderr=True)
    pub: Optional[date] = None
    if published:
        try:
            pub = date.fromisoformat(published)
        except ValueError:
            raise typer.BadParameter(f"{published!r} is not a date in YYYY-MM-DD form") from None
    if from_json is not None:
        _report_from_json(from_json, markdown, out, err)
        return
    specs = corpus or [DEMO]
    command = _command_line(
        specs,
        workers,
        limit,
        batch_size,
        repeat,
        model,
        published,
        rss_every,
        profile,
        json_out,
        markdown,
        interleave,
    )
    commit, dirty = git_facts()
    facts = machine_facts()
    results: list[dict] = []
    for spec in specs:
        try:
            c = resolve_corpus(spec)
        except (OSError, ValueError, zipfile.BadZipFile) as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}")
            raise typer.Exit(2) from None
        try:
            cfg = BenchConfig(
                corpus=c,
                model=model,
                workers=workers,
                limit=limit,
                batch_size=batch_size,
                repeat=repeat,
                published=pub,
                rss_every=rss_every,
                profile=profile or markdown is not None,
                interleave=interleave,
            )
            err.print(f"[bold]bench[/bold] {escape(c.name)}")
            try:
                res = run_benchmark(cfg, err)
            except ValueError as exc:
                err.print(f"[red]error:[/red] {escape(str(exc))}")
                raise typer.Exit(1) from None
        finally:
            c.cleanup()
        res.update(machine=facts, commit=[commit, dirty], command=command)
        results.append(res)
        print_result(out, res)
    if json_out:
        payload = {
            "command": command,
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "commit": commit,
            "dirty": dirty,
            "machine": facts,
            "results": results,
        }
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(payload, indent=1, default=str), encoding="utf-8")
        err.print(f"wrote {json_out}")
    if markdown:
        write_markdown(markdown, results, command)
        err.print(f"wrote {markdown}")
    sys.stdout.flush()
    for r in results:
        typer.echo(bench_line(r))


def _report_from_json(path: Path, markdown: Optional[Path], out: Console, err: Console) -> None:
    """The tables, lines and report of a saved run, with this version's rendering."""
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        results = payload["results"]
    except (OSError, ValueError, KeyError) as exc:
        err.print(f"[red]error:[/red] cannot read {escape(str(path))}: {escape(str(exc))}")
        raise typer.Exit(2) from None
    for r in results:
        r.update(paired_ratios(r["repetitions"]))
        print_result(out, r)
    if markdown:
        write_markdown(
            markdown,
            results,
            payload["command"],
            when=payload.get("date"),
            rendered_from=f"newsevents bench --from-json {path.name} --markdown {markdown}",
        )
        err.print(f"wrote {markdown} from {path}")
    sys.stdout.flush()
    for r in results:
        typer.echo(bench_line(r))


if __name__ == "__main__":  # pragma: no cover  (python -m newsevents.bench ...)
    from newsevents.bench import bench_command as _command  # workers pickle the package's functions

    typer.run(_command)

"""Scale-out with Dask distributed: code partitions of articles on worker processes, on this
machine or on a cluster.

Coding is a pure function from an :class:`~newsevents.model.Article` to its
:class:`~newsevents.model.Annotation` (plain, picklable dataclasses), so a partition of articles
can be coded on any worker, and coded again after a failure, with the same result.  Nothing
here writes to storage: the caller receives the annotations in input order and writes them, so
a retried partition changes nothing.

Two levels of API::

    from newsevents.scale import code_articles_dask
    for ann in code_articles_dask(articles, workers=2):           # a LocalCluster of 2 processes
        store(ann)
    for ann in code_articles_dask(articles, scheduler="tcp://10.0.0.5:8786"):  # an existing cluster
        store(ann)

    from newsevents.scale import DaskCoder
    with DaskCoder(workers=2, options={"model": "en_core_web_sm"}) as coder:
        coder.warm_up()                      # load the model on every worker now
        fut = coder.submit(batch)            # one partition; bounded in-flight is the caller's job
        annotations = coder.result(fut)

Each worker process builds one :class:`~newsevents.pipeline.Pipeline` per distinct set of
pipeline options and keeps it (:func:`pipeline_for`): loading the spaCy model and the knowledge
base takes seconds, coding an article a fraction of one.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from newsevents.model import Annotation, Article

DEFAULT_PARTITION_SIZE = 16
DEFAULT_RETRIES = 2
#: Option read by :func:`code_partition` only, never passed to the Pipeline: a folder in which a
#: file ``fail-<id of the partition's first article>`` makes that partition fail once (the file
#: is removed by the attempt that finds it).  Every attempt appends the partition's first article
#: id to ``attempts.log`` there.  It exists to test retries against a real cluster.
FAULT_DIR_OPTION = "fault_dir"
WORKER_WAIT_TIMEOUT_S = 60.0
CONNECT_TIMEOUT_S = 15.0
#: Dask settings of the local cluster.  Dask's defaults suit interactive analysis; for long CPU
#: bound tasks they cost: the sampling profiler walks the busy thread's stack every 10 ms, and
#: the event loops tick every 20 ms.  With these, two idle workers and their scheduler use about
#: 1 CPU second per 30 s instead of about 4.
LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "200ms",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.admin.system-monitor.gil.enabled": False,
    "distributed.worker.memory.monitor-interval": "1s",
}

CodeResult = Annotation | str  # with keep_going: an annotation, or the reason coding failed


class InjectedFault(RuntimeError):
    """Raised by a partition that found its fault flag (see :data:`FAULT_DIR_OPTION`)."""


# -- on the worker -------------------------------------------------------------------------------

_pipelines: dict[str, Any] = {}
_locks: dict[str, threading.Lock] = {}
_cache_lock = threading.Lock()


def _pipeline_kwargs(options: Mapping[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in (options or {}).items() if k != FAULT_DIR_OPTION}


def options_key(options: Mapping[str, Any] | None) -> str:
    """A stable key for a set of pipeline options (the fault option excluded)."""
    opts = _pipeline_kwargs(options)

    def plain(v: Any) -> Any:
        if isinstance(v, os.PathLike):
            return os.fspath(v)
        if isinstance(v, (list, tuple)):
            return [plain(x) for x in v]
        return v

    return json.dumps({k: plain(v) for k, v in opts.items()}, sort_keys=True, default=str)


def pipeline_for(options: Mapping[str, Any] | None = None):
    """This process's :class:`~newsevents.pipeline.Pipeline` for ``options`` (keyword arguments
    of ``Pipeline``), built on first use and kept for the life of the process."""
    key = options_key(options)
    pipe = _pipelines.get(key)
    if pipe is not None:
        return pipe
    with _cache_lock:  # a worker with several threads builds each pipeline once
        pipe = _pipelines.get(key)
        if pipe is None:
            from newsevents.pipeline import Pipeline

            pipe = Pipeline(**_pipeline_kwargs(options))
            _locks[key] = threading.Lock()
            _pipelines[key] = pipe
    return pipe


def _maybe_fail(articles: list[Article], options: Mapping[str, Any] | None) -> None:
    folder = (options or {}).get(FAULT_DIR_OPTION)
    if not folder or not articles:
        return
    first = articles[0].id
    with open(Path(folder) / "attempts.log", "a", encoding="utf-8") as f:
        f.write(first + "\n")
    try:
        (Path(folder) / f"fail-{first}").unlink()
    except FileNotFoundError:
        return
    raise InjectedFault(f"injected fault in the partition that starts with article {first}")


def code_partition(articles: list[Article], options: Mapping[str, Any] | None = None,
                   keep_going: bool = False) -> list[CodeResult]:
    """Annotations of ``articles``, in order, coded with this process's pipeline for ``options``.

    Pure: the same articles and options give the same annotations (and event ids) on any worker,
    however often it runs.  An article the pipeline fails on raises, so Dask retries the
    partition; with ``keep_going`` its place holds the reason instead (a string) and the others
    are still coded.
    """
    _maybe_fail(articles, options)
    if not articles:
        return []
    pipe = pipeline_for(options)
    # spaCy is not made for concurrent use of one pipeline, and threads would only share the
    # GIL: a worker started with several threads codes one partition at a time per pipeline
    with _locks[options_key(options)]:
        if keep_going:
            from newsevents.ingest_run import code_articles

            return code_articles(pipe, articles)
        return list(pipe.annotate_many(articles))


def _memory_mb() -> float:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, ValueError, IndexError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def warm_worker(options: Mapping[str, Any] | None = None,
                articles: list[Article] | None = None) -> dict:
    """Build this worker's pipeline (and code ``articles`` once, off any clock); returns what it
    took: pid, pipe_names, model, load_s, load_cpu_s, rss_after_load_mb."""
    t0, c0 = time.perf_counter(), time.process_time()
    fresh = options_key(options) not in _pipelines
    pipe = pipeline_for(options)
    load_s, load_cpu_s = time.perf_counter() - t0, time.process_time() - c0
    if articles:
        code_partition(list(articles), _pipeline_kwargs(options))
    meta = pipe.nlp.meta
    return {
        "pid": os.getpid(),
        "pipe_names": list(pipe.nlp.pipe_names),
        "model": f"{meta.get('lang', '')}_{meta.get('name', '')}-{meta.get('version', '')}",
        "loaded_now": fresh,
        "load_s": load_s,
        "load_cpu_s": load_cpu_s,
        "rss_after_load_mb": _memory_mb(),
    }


def dask_setup(worker) -> None:
    """Preload hook of the local cluster's worker processes (``preload=["newsevents.scale"]``):
    they ignore SIGINT.  A Ctrl-C in the terminal reaches the whole process group; the caller
    turns it into an orderly shutdown of the cluster, and workers interrupted on their own would
    only print tracebacks first."""
    import signal
    import threading as _threading

    if _threading.current_thread() is _threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


# -- in the caller -------------------------------------------------------------------------------


def _worker_env() -> dict[str, str]:
    """Environment of local worker processes: this package's folder on PYTHONPATH (spawned
    workers also inherit ``sys.path``; this covers anything they start in turn)."""
    import newsevents

    src = str(Path(newsevents.__file__).resolve().parent.parent)
    rest = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != src]
    return {"PYTHONPATH": os.pathsep.join([src, *rest])}


def usable_cpus() -> int:
    """CPUs this process may run on (the default number of local workers)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class DaskCoder:
    """A Dask client that codes partitions of articles: on a :class:`distributed.LocalCluster` of
    ``workers`` single-threaded processes started here, or on the cluster at ``scheduler``.

    Use as a context manager (or call :meth:`close`): a local cluster is shut down on leaving,
    after an exception or Ctrl-C too.  ``retries`` is how often Dask reruns a partition whose
    task raised; a partition on a worker that died is rescheduled by Dask itself.
    """

    def __init__(self, workers: int | None = None, scheduler: str | None = None, *,
                 options: Mapping[str, Any] | None = None, retries: int = DEFAULT_RETRIES,
                 quiet: bool = True, worker_timeout: float = WORKER_WAIT_TIMEOUT_S) -> None:
        import dask
        from distributed import Client, LocalCluster

        self.options = dict(options or {})
        self.retries = int(retries)
        self.scheduler = scheduler
        self.cluster = None
        self.client = None
        self._pending: set = set()
        self._log_level: int | None = None
        level = logging.ERROR if quiet else logging.WARNING
        try:
            if scheduler:
                if quiet:  # the client's own log lines (reconnects...); restored on close
                    logger = logging.getLogger("distributed")
                    self._log_level = logger.level
                    logger.setLevel(level)
                self.client = Client(scheduler, set_as_default=False,
                                     timeout=min(worker_timeout, CONNECT_TIMEOUT_S))
            else:
                n = max(1, int(workers or usable_cpus()))
                # no dashboard; the scheduler's small HTTP server (health, metrics) that runs
                # anyway takes a free loopback port instead of 8787, so that two clusters on one
                # machine do not warn about the port
                with dask.config.set(LOCAL_CLUSTER_CONFIG):  # nannies pass it to the workers
                    self.cluster = LocalCluster(
                        n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                        dashboard_address=None,
                        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                        silence_logs=level, env=_worker_env(), preload=[__name__])
                    self.client = Client(self.cluster, set_as_default=False)
            self.client.wait_for_workers(1, timeout=worker_timeout)
        except BaseException:
            self.close()
            raise

    # -- sizes

    @property
    def slots(self) -> int:
        """Worker threads in the cluster now (at least 1)."""
        return max(1, sum(self.client.nthreads().values()))

    @property
    def address(self) -> str:
        return self.client.scheduler.address

    # -- work

    def warm_up(self, articles: list[Article] | None = None) -> list[dict]:
        """Load the pipeline on every worker now (and code ``articles`` there once); one dict per
        worker as :func:`warm_worker` returns.  Workers that join later load on first use."""
        futs = [self.client.submit(warm_worker, self.options, articles, workers=[addr],
                                   allow_other_workers=False, pure=False,
                                   key=f"newsevents-warm-{uuid.uuid4().hex}")
                for addr in self.client.nthreads()]
        try:
            return self.client.gather(futs)
        finally:
            self.client.cancel(futs)

    def submit(self, articles: list[Article], keep_going: bool = False):
        """Send one partition to the cluster; returns its future (see :meth:`result`)."""
        fut = self.client.submit(code_partition, list(articles), self.options, keep_going,
                                 retries=self.retries, pure=False,
                                 key=f"newsevents-code-{uuid.uuid4().hex}")
        self._pending.add(fut)
        return fut

    def result(self, fut) -> list[CodeResult]:
        """The partition's annotations (raises what the task raised after its retries)."""
        try:
            return fut.result()
        finally:
            self._pending.discard(fut)
            fut.release()

    def code(self, articles: Iterable[Article], partition_size: int = DEFAULT_PARTITION_SIZE,
             max_in_flight: int | None = None, keep_going: bool = False) -> Iterator[CodeResult]:
        """Annotations of ``articles`` in input order, coded partition by partition on the cluster.

        At most ``max_in_flight`` partitions (default: twice the worker threads) are submitted and
        not yet returned, so memory stays flat whatever the input size; ``articles`` is read
        lazily.
        """
        size = max(1, int(partition_size))
        inflight: deque = deque()
        try:
            batch: list[Article] = []
            for article in articles:
                batch.append(article)
                if len(batch) < size:
                    continue
                inflight.append(self.submit(batch, keep_going))
                batch = []
                while len(inflight) >= (max_in_flight or 2 * self.slots):
                    yield from self.result(inflight.popleft())
            if batch:
                inflight.append(self.submit(batch, keep_going))
            while inflight:
                yield from self.result(inflight.popleft())
        finally:  # closed early (an error, Ctrl-C, a consumer that stops): drop the rest
            if inflight and self.client is not None:
                self.client.cancel(list(inflight))
                for f in inflight:
                    self._pending.discard(f)

    # -- the end

    def close(self) -> None:
        """Cancel what is still running, disconnect and shut a local cluster down."""
        client, cluster = self.client, self.cluster
        self.client = self.cluster = None
        try:
            if client is not None:
                if self._pending:
                    try:
                        client.cancel(list(self._pending))
                    except Exception:  # noqa: BLE001 - closing anyway
                        pass
                    self._pending.clear()
                client.close()
        finally:
            if cluster is not None:
                cluster.close()
            if self._log_level is not None:
                logging.getLogger("distributed").setLevel(self._log_level)
                self._log_level = None

    def __enter__(self) -> DaskCoder:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def code_articles_dask(
    articles: Iterable[Article],
    workers: int | None = None,
    scheduler: str | None = None,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    options: Mapping[str, Any] | None = None,
    *,
    retries: int = DEFAULT_RETRIES,
    max_in_flight: int | None = None,
) -> Iterator[Annotation]:
    """Annotations of ``articles`` in input order, coded on a Dask cluster.

    Args:
        articles: any iterable, read lazily (a generator over a huge corpus is fine).
        workers: processes of a LocalCluster started for this call (default: the usable CPUs);
            ignored when ``scheduler`` is given.
        scheduler: address of a running Dask scheduler (``tcp://host:8786``) whose workers have
            newsevents and its model installed.
        partition_size: articles per task.
        options: keyword arguments of :class:`~newsevents.pipeline.Pipeline` (model,
            actor_dictionaries, ...); paths in them must be readable on every worker.
        retries: how often a partition whose task raised is run again.
        max_in_flight: partitions submitted and not yet returned (default: twice the workers).

    The local cluster is shut down when the iterator is exhausted or closed, or on an error.
    A partition that still fails after its retries raises here.
    """
    with DaskCoder(workers, scheduler, options=options, retries=retries) as coder:
        yield from coder.code(articles, partition_size, max_in_flight)

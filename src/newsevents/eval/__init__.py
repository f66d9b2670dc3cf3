"""Evaluation suites over public gold sets: ``newsevents eval SUITE``.

Importing this package registers every suite in :data:`newsevents.eval.base.SUITES`.
See :mod:`newsevents.eval.base` for the framework and how to add a suite.
"""

from newsevents.eval.base import SUITES, SuiteResult, run_suite

# Suite modules register themselves on import (order = order of `newsevents eval all`).
from newsevents.eval import petrarch  # noqa: E402,F401  (petrarch-unit, petrarch-gsr)
from newsevents.eval import plover_gsr  # noqa: E402,F401
from newsevents.eval import case2021  # noqa: E402,F401
from newsevents.eval import conll2003  # noqa: E402,F401
from newsevents.eval import articles  # noqa: E402,F401

__all__ = ["SUITES", "SuiteResult", "run_suite"]
from newsevents.eval import polnear  # noqa: E402,F401
from newsevents.eval import geoparsing  # noqa: E402,F401
from newsevents.eval import meantime_speech  # noqa: E402,F401
from newsevents.eval import factuality  # noqa: E402,F401
from newsevents.eval import tempeval  # noqa: E402,F401  (tempeval3)
from newsevents.eval import meantime  # noqa: E402,F401

"""Analysis of stored events: dyad time series, top dyads, actor networks, event locations.

The SQL lives in :mod:`newsevents.store.query`, the one implementation that the CLI
(``newsevents dyad``), the JSON API and the web pages share; this package is the analyst's
entry point to it, each function taking a store (``newsevents.store.open_store(...)``) and
returning a pandas DataFrame.
"""

from newsevents.store.query import actor_network, dyad, dyads, locations, timeline

__all__ = ["actor_network", "dyad", "dyads", "locations", "timeline"]

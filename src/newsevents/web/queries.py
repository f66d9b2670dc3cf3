"""The queries the web pages use: all of them live in :mod:`newsevents.store.query`, which the
CLI and Python API use too; this module only names them for the web layer."""

from newsevents.store.query import (  # noqa: F401
    _modalities,
    actor_names,
    actor_network,
    article,
    dyad,
    dyads,
    latest_articles,
    locations,
    search_events,
    stats,
    timeline,
)

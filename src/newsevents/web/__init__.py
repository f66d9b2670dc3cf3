"""Web stage of newsevents: ``newsevents serve``, a JSON API and server-rendered pages over a store.

- :mod:`newsevents.web.app`       the FastAPI app (``create_app(db, token=None, cors=None)``);
- :mod:`newsevents.web.api`       ``/api/...`` endpoints;
- :mod:`newsevents.web.pages`     what each page shows, once for HTML, its JSON twin and its CSV;
- :mod:`newsevents.web.queries`   the few queries :mod:`newsevents.store.query` lacks;
- :mod:`newsevents.web.charts`    Vega-Lite specifications; :mod:`newsevents.web.highlight` the
  article text cut into annotated segments;
- :mod:`newsevents.web.ingest`    ``POST /api/articles``;
- :mod:`newsevents.web.cli`       the ``serve`` command; :mod:`newsevents.web.browser` headless
  Chromium for the browser tests and the documentation screenshots.

See ``docs/web.md``.  Importing this package loads nothing heavy (the CLI stays fast).
"""

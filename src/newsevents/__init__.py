"""newsevents: political event data from news articles, with evidence on every row.

Quick use::

    import newsevents
    events = newsevents.code(text, published="2024-02-15")
    for e in events:
        print(e.source.actor.code, e.cameo, e.target.actor.code, e.evidence.text)

For many articles, build one :class:`Pipeline` and call ``annotate_many``.
"""

from __future__ import annotations

from datetime import date

__version__ = "0.1.0"

# Documents per nlp.pipe batch. Peak memory grows with the words in one batch (a batch of 16 long
# articles took bare spaCy past 800 MB); 4 keeps a worker well under 600 MB at little cost in speed.
DEFAULT_BATCH_SIZE = 4

__all__ = ["Pipeline", "code", "annotate", "__version__"]


def __getattr__(name: str):
    # Lazy: importing newsevents must not load spaCy (the CLI's --help stays fast).
    if name == "Pipeline":
        from newsevents.pipeline import Pipeline

        return Pipeline
    raise AttributeError(name)


def code(text: str, published: date | str | None = None, url: str | None = None,
         outlet: str | None = None, title: str | None = None):
    """Code one article's text; returns a list of :class:`newsevents.model.Event`."""
    from newsevents.pipeline import default_pipeline

    return default_pipeline().code(text, published=published, url=url, outlet=outlet, title=title)


def annotate(text: str, published: date | str | None = None, url: str | None = None,
             outlet: str | None = None, title: str | None = None):
    """Annotate one article's text; returns a :class:`newsevents.model.Annotation`."""
    from newsevents.pipeline import default_pipeline, make_article

    return default_pipeline().annotate(make_article(text, published, url, outlet, title))

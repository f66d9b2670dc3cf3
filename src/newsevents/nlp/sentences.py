"""Sentence boundaries read once per Doc.

``doc.sents`` re-scans every token on each call; the components and the coder all need the
sentences, so the bounds are read from the SENT_START array once and kept in ``doc.user_data``.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

_KEY = "newsevents_sentence_bounds"


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) token offsets of every sentence, in order."""
    bounds = doc.user_data.get(_KEY)
    if bounds is None or (bounds and bounds[-1][1] != len(doc)):
        if len(doc) == 0:
            bounds = []
        else:
            flags = doc.to_array("SENT_START")
            starts = [0] + [int(i) for i in (flags == 1).nonzero()[0] if i > 0]
            bounds = [(s, e) for s, e in zip(starts, starts[1:] + [len(doc)])]
        doc.user_data[_KEY] = bounds
    return bounds


def sentences(doc: Doc) -> list[Span]:
    """The sentences as spans (the same as ``list(doc.sents)``, computed once)."""
    return [doc[s:e] for s, e in sentence_bounds(doc)]


def sentence_of(doc: Doc) -> list[int]:
    """Token index -> sentence index."""
    idx = [0] * len(doc)
    for si, (s, e) in enumerate(sentence_bounds(doc)):
        for t in range(s, e):
            idx[t] = si
    return idx

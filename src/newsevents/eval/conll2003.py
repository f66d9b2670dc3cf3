"""``conll2003``: entity F1 of the NER stage (spaCy NER after our KB entity ruler) on CoNLL-2003.

Only the development file ``eng.testa`` is scored by default; the test file is held out of
``shared/`` and can be scored with ``--data`` (a file, or a folder holding ``eng.testa`` or
``eng.testb``). Never ``eng.train``.

Each sentence is built as a spaCy ``Doc`` from the gold tokens (so spans align token for token)
and run through the pipeline components up to the NER (the tagger, parser, lemmatizer and actor
component do not change entities and are skipped). Labels: PERSON -> PER, ORG -> ORG,
GPE/LOC/FAC -> LOC; everything else (NORP, dates, numbers ...) is dropped, and gold MISC is
excluded. Strict match: same first token, same last token, same label. Micro P/R/F1 overall and
per type, as conlleval computes them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from newsevents.eval.base import PRF, SuiteResult, Table, progress, register

LABEL_MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
TYPES = ("PER", "ORG", "LOC")
# Components that do not set entities: skipped for speed (the NER has its own embedded tok2vec).
SKIP = ("tagger", "parser", "attribute_ruler", "lemmatizer", "newsevents_actors", "senter",
        "newsevents_quotes", "newsevents_times", "newsevents_places")
FILES = ("eng.testa", "eng.testb")


def data_file(data: Path) -> Path:
    if data.is_file():
        return data
    for name in FILES:
        if (data / name).exists():
            return data / name
    raise FileNotFoundError(f"{data} holds none of {', '.join(FILES)} (CoNLL-2003 English files)")


def read_conll(path: Path) -> Iterator[tuple[list[str], list[str]]]:
    """(tokens, IOB tags) per sentence; ``-DOCSTART-`` lines are skipped. The tag is the last column."""
    tokens: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8", errors="replace") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.strip()
            if not line or line.startswith("-DOCSTART-"):
                if tokens:
                    yield tokens, tags
                tokens, tags = [], []
                continue
            cols = line.split()
            if len(cols) < 2:
                raise ValueError(f"{path}:{lineno}: expected 'token ... tag' columns")
            tokens.append(cols[0])
            tags.append(cols[-1])
    if tokens:
        yield tokens, tags


def spans_from_iob(tags: list[str]) -> set[tuple[int, int, str]]:
    """Entity spans (start, end exclusive, type) from IOB1 or IOB2 tags."""
    spans = set()
    start, typ = None, None
    for i, tag in enumerate(tags + ["O"]):
        if tag == "O" or tag.startswith("B-") or (tag.startswith("I-") and tag[2:] != typ):
            if start is not None:
                spans.add((start, i, typ))
                start, typ = None, None
            if tag != "O":
                start, typ = i, tag[2:]
        # an I- tag continuing the current type extends the span
    return spans


@register(
    "conll2003",
    description="CoNLL-2003 English dev set (eng.testa): PER/ORG/LOC entity F1 of the NER stage.",
    corpus="conll2003",
)
def run(data: Path, limit: int | None, pipeline_factory) -> SuiteResult:
    from spacy.tokens import Doc

    path = data_file(data)
    sentences = list(read_conll(path))
    if limit:
        sentences = sentences[:limit]
    pipe = pipeline_factory()
    nlp = pipe.nlp
    disable = [n for n in SKIP if n in nlp.pipe_names]

    def docs():
        for toks, _ in sentences:
            yield Doc(nlp.vocab, words=toks, spaces=[True] * (len(toks) - 1) + [False])

    counts = {t: [0, 0, 0] for t in TYPES}
    items: list[dict[str, Any]] = []
    for (toks, tags), doc in progress(zip(sentences, nlp.pipe(docs(), disable=disable, batch_size=256)),
                                      len(sentences), "conll2003"):
        gold = {s for s in spans_from_iob(tags) if s[2] in TYPES}
        pred = {(e.start, e.end, LABEL_MAP[e.label_]) for e in doc.ents if e.label_ in LABEL_MAP}
        for t in TYPES:
            g = {s for s in gold if s[2] == t}
            p = {s for s in pred if s[2] == t}
            tp = len(g & p)
            counts[t][0] += tp
            counts[t][1] += len(p) - tp
            counts[t][2] += len(g) - tp
        if gold != pred:
            items.append({
                "tokens": " ".join(toks),
                "missed": [[" ".join(toks[s:e]), t] for s, e, t in sorted(gold - pred)],
                "spurious": [[" ".join(toks[s:e]), t] for s, e, t in sorted(pred - gold)],
            })
    per = {t: PRF(*counts[t]) for t in TYPES}
    total = per["PER"] + per["ORG"] + per["LOC"]
    res = SuiteResult("conll2003")
    res.metrics = {
        "f1": total.f1, "precision": total.precision, "recall": total.recall,
        "per_f1": per["PER"].f1, "org_f1": per["ORG"].f1, "loc_f1": per["LOC"].f1,
        "sentences": len(sentences), "gold_entities": total.tp + total.fn,
    }
    res.headers = ["type", "TP", "FP", "FN", "P", "R", "F1"]
    res.table = [[t] + per[t].row() for t in TYPES] + [["all"] + total.row()]
    res.items = items
    res.notes += [
        f"Scored {path.name}; spaCy PERSON->PER, ORG->ORG, GPE/LOC/FAC->LOC; NORP and gold MISC excluded; "
        "strict span match.",
        "Items list only sentences with an error (missed and spurious entities).",
    ]
    # The most frequent misses and spurious entities, to steer the ruler and the tables.
    from collections import Counter

    missed = Counter(tuple(m) for it in items for m in it["missed"])
    spurious = Counter(tuple(m) for it in items for m in it["spurious"])
    res.tables.append(Table("Most frequent misses", ["entity", "type", "count"],
                            [[e, t, n] for (e, t), n in missed.most_common(10)]))
    res.tables.append(Table("Most frequent spurious entities", ["entity", "type", "count"],
                            [[e, t, n] for (e, t), n in spurious.most_common(10)]))
    return res

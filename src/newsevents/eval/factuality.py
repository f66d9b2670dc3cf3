"""``factuality``: the modality of events (asserted, reported, alleged, negated, hypothetical,
intended, historical) on hand-labelled real sentences.

Data: ``newsevents/data/factuality/wikinews.jsonl`` (default; ``--data`` takes another file of the
same format). Each line is either a labelled sentence (``sentence``, ``anchor`` = the predicate
word(s) as an exact substring, ``label``, ``published``, plus ``url``/``doc`` and ``license`` for
attribution: English Wikinews, CC BY 2.5, and the MEANTIME corpus, CC BY 4.0) or a reference to a
PETRARCH-2 GSR validation record (``ref: petr2_gsr``, ``record`` id, ``anchor_token`` = the token
number in the record's own parse, ``label``): those texts are newswire and are read at evaluation
time from ``corpora/petrarch-validation/PETR2_GSR_validation.xml`` (skipped when absent).

How the labels were given (by reading the sentence with its publication date, one label per anchor,
the strongest that applies, in the order the coder uses: negated > hypothetical > alleged >
intended > reported > historical > asserted):

- negated: the sentence says the event did not (or will not) happen: not, never, no/none/neither
  as its participant, failed/refused/declined to.
- hypothetical: it may happen or would have happened: could, might, may, would (have), a condition
  (if, unless, whether, should X), possibly.
- alleged: the writer marks the claim as unverified: reportedly, allegedly, supposedly, or a verb
  of alleging (allege, accuse) above it.
- intended: planned or future: want, seek, plan, aim, try, intend, vow, "is to", will, going to.
- reported: under attribution: said, told, reported, according to, a quotation.
- historical: asserted (or reported) and dated more than a year before publication in its own
  clause ("in 1997").
- asserted: the writer states it as a fact of the news period.

Scoring: each sentence goes through the pipeline alone (``pipeline.nlp`` and the coder, with the
publication date). An anchor is *coded* when an event's predicate covers it; its modality is that
event's. A coded intent reading of a want/seek/plan complement (CAMEO 03x, rule ``+intent``) with
modality ``asserted`` counts as ``intended``: the code carries the intent, the issue asks not to
count it twice. Where no event covers the anchor, the anchor's own token is judged with the same
modality functions and the attribution the coder uses (:func:`anchor_modality`), so modality is
scored even where event coding misses. Reported: per-class precision, recall and F1 and macro-F1
over all anchors (headline), accuracy on coded anchors only, and the modality functions alone on
every anchor.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from newsevents.eval.base import (
    Goal, SuiteResult, Table, accuracy, confusion_matrix, macro_f1, per_label_prf, progress,
    register, top_confusions,
)
from newsevents.model import MODALITIES
from newsevents.paths import corpora_dir, data_path

PETR2_FILE = Path("petrarch-validation") / "PETR2_GSR_validation.xml"
HISTORICAL_DAYS = 365  # as the coder: dated more than a year before publication


@dataclass
class Item:
    id: str
    text: str
    start: int  # anchor characters in text
    end: int
    label: str
    published: date | None
    corpus: str


def default_data() -> Path:
    return data_path("factuality", "wikinews.jsonl")


def _petr2_records(path: Path) -> dict[str, tuple[str, date | None, list[tuple[int, str]]]]:
    """record id -> (text, date, parse tokens) of the PETR2 GSR file (an "almost XML" file: read
    with regular expressions per record)."""
    raw = path.read_text(encoding="utf-8")
    out = {}
    for m in re.finditer(r"<Sentence ([^>]*)>(.*?)</Sentence>", raw, re.S):
        attrs, body = m.group(1), m.group(2)
        rid = re.search(r'id="([^"]*)"', attrs)
        txt = re.search(r"<Text>(.*?)</Text>", body, re.S)
        parse = re.search(r"<Parse>(.*?)</Parse>", body, re.S)
        if rid is None or txt is None:
            continue
        d = re.search(r'date="(\d{8})"', attrs)
        when = None
        if d:
            try:
                when = date(int(d.group(1)[:4]), int(d.group(1)[4:6]), int(d.group(1)[6:]))
            except ValueError:
                when = None
        toks = []
        for line in (parse.group(1).strip().splitlines() if parse else []):
            cols = line.split("\t")
            if len(cols) > 2 and cols[0].isdigit():
                toks.append((int(cols[0]), cols[1]))
        out[rid.group(1)] = (" ".join(txt.group(1).split()), when, toks)
    return out


def _token_span(text: str, toks: list[tuple[int, str]], number: int) -> tuple[int, int] | None:
    """Character span of parse token ``number`` in ``text`` (tokens are found left to right)."""
    pos = 0
    for n, form in toks:
        i = text.find(form, pos)
        if i < 0:
            continue
        if n == number:
            return i, i + len(form)
        pos = i + len(form)
    return None


def load_items(path: Path) -> tuple[list[Item], list[str]]:
    """The labelled anchors of a factuality file, and notes on what could not be loaded."""
    items: list[Item] = []
    notes: list[str] = []
    petr2 = None
    skipped_refs = 0
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{lineno}: not JSON ({exc})") from None
            label = rec.get("label")
            if label not in MODALITIES:
                raise ValueError(f"{path}:{lineno}: label {label!r} is not one of {', '.join(MODALITIES)}")
            if rec.get("ref") == "petr2_gsr":
                if petr2 is None:
                    root = corpora_dir()
                    f = root / PETR2_FILE if root else None
                    petr2 = _petr2_records(f) if f and f.exists() else {}
                got = petr2.get(rec["record"])
                span = _token_span(got[0], got[2], int(rec["anchor_token"])) if got else None
                if got is None or span is None:
                    skipped_refs += 1
                    continue
                items.append(Item(rec["id"], got[0], span[0], span[1], label, got[1], "petr2-gsr"))
                continue
            text, anchor = rec["sentence"], rec["anchor"]
            i = text.find(anchor)
            if i < 0 or text.count(anchor) != 1:
                raise ValueError(f"{path}:{lineno}: anchor {anchor!r} must occur exactly once in the sentence")
            pub = date.fromisoformat(rec["published"]) if rec.get("published") else None
            items.append(Item(rec["id"], text, i, i + len(anchor), label, pub, rec.get("corpus", "")))
    if skipped_refs:
        notes.append(f"{skipped_refs} PETR2 GSR references skipped: {PETR2_FILE} not found under the corpora folder.")
    return items, notes


# ----------------------------------------------------------------------------------------------
# judging an anchor directly


def anchor_token(doc, start: int, end: int):
    """The head of the anchor: the token of the anchor span whose head lies outside it."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    verbs = [t for t in span if t.pos_ in ("VERB", "AUX")]
    root = span.root
    if root.pos_ not in ("VERB", "AUX") and verbs:
        root = verbs[0]
    return root


def clause_date(tok, published: date | None) -> str | None:
    """The calendar value of a date expression in the clause of ``tok`` (as the coder dates events)."""
    from newsevents.coding.dates import normalize_timex
    from newsevents.coding.lexicon import _clause_tokens

    if published is None:
        return None
    idx = {t.i for t in _clause_tokens(tok)}
    for ent in tok.sent.ents:
        if ent.label_ == "DATE" and ent.root.i in idx:
            v = normalize_timex(ent.text, published)
            if v is not None:
                return v[0]
    return None


def anchor_modality(doc, tok, published: date | None) -> str:
    """The modality of the event a token predicates, with the coder's tests and precedence
    (negated > hypothetical > alleged > intended > reported > historical > asserted) and the
    attribution of :func:`newsevents.nlp.quotes.attribution_for`."""
    from newsevents.coding import modality as mod
    from newsevents.coding.dates import value_end
    from newsevents.nlp.quotes import attribution_for

    frame = attribution_for(doc, tok)
    if frame is not None and frame.speaker is None and frame.kind != "quote":
        frame = None  # an attribution with no source named says nothing about the clause
    gov = mod.intent_governor(tok)
    if mod.is_negated(tok) or (gov is not None and mod.is_negated(gov)):
        return "negated"
    if mod.is_hypothetical(tok) or (gov is not None and mod.is_hypothetical(gov)):
        return "hypothetical"
    if mod.is_alleged(tok, frame):
        return "alleged"
    if gov is not None or mod.is_future(tok):
        return "intended"
    label = "reported" if frame is not None else "asserted"
    value = clause_date(tok, published)
    if value and published:
        end = value_end(value)
        if end is not None and end < published - timedelta(days=HISTORICAL_DAYS):
            return "historical"
    return label


def coded_modality(event, tok=None) -> str:
    """An event's modality in the gold's terms. The coder writes intent into the code, not the
    modality (the issue: CAMEO 03x already expresses intent, do not count it twice): an intent
    reading of a want/seek/plan complement, or a future action coded as intent (03x) or threat
    (13x), left asserted or reported, is an intended event."""
    from newsevents.coding import modality as mod

    if event.modality in ("asserted", "reported") and event.root in ("03", "13"):
        if "+intent" in (event.rule or ""):
            return "intended"
        if tok is not None and (mod.intent_governor(tok) is not None or mod.is_future(tok)):
            return "intended"
    return event.modality


def _covering_event(events, start: int, end: int):
    best = None
    for e in events:
        p = e.predicate
        if p.start < end and start < p.end:
            d = abs(p.start - start)
            if best is None or d < best[0]:
                best = (d, e)
    return best[1] if best else None


@register(
    "factuality",
    description="Hand-labelled Wikinews/MEANTIME sentences (+ PETR2 GSR negation and nested-speech records): "
                "event modality per class and macro-F1.",
    default_data=default_data,
    goals=[Goal("macro_f1", ">=", 0.8)],
)
def run(data: Path, limit: int | None, pipeline_factory) -> SuiteResult:
    from newsevents.model import Article
    from newsevents.nlp.quotes import find_quotes

    path = data if data.is_file() else data / "wikinews.jsonl"
    items, notes = load_items(path)
    if limit:
        items = items[:limit]
    pipe = pipeline_factory()
    nlp = pipe.nlp

    def make_docs():
        for it in items:
            doc = nlp.make_doc(it.text)
            doc._.published = it.published
            yield doc

    gold: list[str] = []
    final: list[str] = []
    direct: list[str] = []
    coded_gold: list[str] = []
    coded_pred: list[str] = []
    rows: list[dict[str, Any]] = []
    for it, doc in progress(zip(items, nlp.pipe(make_docs(), batch_size=32)), len(items), "factuality"):
        if doc._.quotes is None:
            doc._.quotes = find_quotes(doc)
        art = Article(text=it.text, published=it.published, id=it.id)
        events = pipe.coder.code(doc, art.id, it.published)
        ev = _covering_event(events, it.start, it.end)
        tok = anchor_token(doc, it.start, it.end)
        own = anchor_modality(doc, tok, it.published) if tok is not None else "asserted"
        pred = coded_modality(ev, tok) if ev is not None else own
        gold.append(it.label)
        final.append(pred)
        direct.append(own)
        if ev is not None:
            coded_gold.append(it.label)
            coded_pred.append(pred)
        rows.append({
            "id": it.id, "corpus": it.corpus, "anchor": it.text[it.start:it.end], "gold": it.label,
            "predicted": pred, "coded": ev is not None, "event_modality": ev.modality if ev else None,
            "cameo": ev.cameo if ev else None, "direct": own,
            "attributed_to": ev.attributed_to if ev else None, "sentence": it.text,
        })
    labels = list(MODALITIES)
    per = per_label_prf(gold, final, labels)
    per_direct = per_label_prf(gold, direct, labels)
    n = Counter(gold)
    res = SuiteResult("factuality")
    res.metrics = {
        "macro_f1": macro_f1(gold, final, labels),
        "accuracy": accuracy(gold, final),
        "coded_accuracy": accuracy(coded_gold, coded_pred) if coded_gold else 0.0,
        "coded_macro_f1": macro_f1(coded_gold, coded_pred, labels) if coded_gold else 0.0,
        "direct_macro_f1": macro_f1(gold, direct, labels),
        "anchors": len(gold), "coded": len(coded_gold),
    }
    for lab in labels:
        res.metrics[f"{lab}_f1"] = per[lab].f1
    res.headers = ["modality", "gold", "P", "R", "F1", "coded", "coded acc.", "direct F1"]
    for lab in labels:
        cg = [p for g, p in zip(coded_gold, coded_pred) if g == lab]
        res.table.append([lab, n[lab], round(per[lab].precision, 3), round(per[lab].recall, 3),
                          round(per[lab].f1, 3), len(cg), round(sum(p == lab for p in cg) / len(cg), 3) if cg else 0.0,
                          round(per_direct[lab].f1, 3)])
    matrix = confusion_matrix(gold, final)
    res.tables.append(Table("Top confusions (gold -> predicted)", ["gold", "predicted", "count"],
                            [list(c) for c in top_confusions(matrix, 12)]))
    res.tables.append(Table("Errors", ["id", "anchor", "gold", "predicted", "coded", "sentence"],
                            [[r["id"], r["anchor"], r["gold"], r["predicted"], "yes" if r["coded"] else "no",
                              r["sentence"][:90]] for r in rows if r["gold"] != r["predicted"]]))
    res.items = rows
    res.extra = {"confusion": matrix}
    res.notes += notes + [
        "Each sentence is coded alone with its publication date; an anchor with no covering event is judged "
        "from its own token with the coder's modality tests (the 'direct' column does this for every anchor).",
        "An event coded as intent or threat (CAMEO 03x/13x) for a want/seek/plan complement or a future "
        "action, with modality asserted or reported, counts as intended (the code carries the intent).",
    ]
    return res

"""``tempeval3``: TIMEX3 spans and values of the time layer on TempEval-3 TimeML (TBAQ-cleaned).

Each ``.tml`` document (any folder of them with ``--data``, searched recursively; the Platinum
test set is held out of ``shared/``) gives a raw text (the ``<TEXT>`` element with its tags
removed), a creation time (the ``<DCT>`` TIMEX3) and gold TIMEX3 extents with type and value. The
raw text goes through the spaCy pipeline unchanged (no normalisation, so gold character offsets
hold) with ``doc._.published`` set to the creation time, and ``doc._.times`` is scored:

- spans: strict (same characters) and relaxed (overlapping) precision, recall and F1, one-to-one;
- values: on relaxed matches, the share of gold values reproduced exactly, up to spelling
  (``2000-W7`` = ``2000-W07``) (``value_accuracy``;
  ``date_value_accuracy`` on gold DATE expressions, the headline), and TempEval-3's value F1
  (a matched expression counts as correct when its value is);
- types: accuracy of the TIMEX3 type on relaxed matches;
- ``oracle_date_value_accuracy``: the normaliser alone, given the gold extents (each gold DATE
  extent is normalised in its parsed sentence with the same forward-looking test).

Ranges are scored by their endpoints (TimeML annotates "between 1977 and 1983" as two TIMEX3).
The shared scoring here is also used by the ``meantime`` suite.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from newsevents.eval.base import PRF, Goal, SuiteResult, Table, progress, ratio, register

# Components that do not touch entities or the parse the time layer reads.
SKIP = ("newsevents_actors",)
TYPES = ("DATE", "TIME", "DURATION", "SET")


@dataclass
class GoldTimex:
    start: int  # character offsets into TimexDoc.text, end exclusive
    end: int
    text: str
    type: str
    value: str
    mod: str | None = None


@dataclass
class TimexDoc:
    """A document with gold temporal expressions: raw text, creation time, TIMEX3s."""

    id: str
    text: str
    dct: date | None
    timexes: list[GoldTimex]
    ignore: list[tuple[int, int]] = field(default_factory=list)  # regions not scored (a dateline = the DCT)


@dataclass
class PredTimex:
    start: int
    end: int
    text: str
    type: str
    value: str | None


def parse_date(value: str | None) -> date | None:
    """The day of a TIMEX3 value such as ``1998-01-08`` or ``1998-01-08T10:00`` (None otherwise)."""
    if not value:
        return None
    m = re.match(r"^(\d{4})-?(\d{2})-?(\d{2})", value.strip())
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def read_timeml(path: Path) -> TimexDoc:
    """A TimeML ``.tml`` document: the TEXT element's raw text, the DCT and the TIMEX3s in TEXT."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise ValueError(f"{path}: not well-formed TimeML ({exc})") from None
    dct = None
    for tx in root.iter("TIMEX3"):
        if tx.get("functionInDocument") == "CREATION_TIME":
            dct = parse_date(tx.get("value"))
            break
    text_el = root.find(".//TEXT")
    if text_el is None:
        raise ValueError(f"{path}: no <TEXT> element")
    chunks: list[str] = []
    timexes: list[GoldTimex] = []
    pos = 0

    def walk(el: ET.Element) -> None:
        nonlocal pos
        start = pos
        if el.text:
            chunks.append(el.text)
            pos += len(el.text)
        for child in el:
            walk(child)
            if child.tail:
                chunks.append(child.tail)
                pos += len(child.tail)
        if el.tag == "TIMEX3" and el.get("functionInDocument") != "CREATION_TIME":
            timexes.append(GoldTimex(start, pos, "", el.get("type", "DATE"), el.get("value", ""), el.get("mod")))

    walk(text_el)
    text = "".join(chunks)
    for g in timexes:
        g.start, g.end = _trim(text, g.start, g.end)
        g.text = text[g.start:g.end]
    doc_id = (root.findtext("DOCID") or path.stem).strip()
    return TimexDoc(doc_id, text, dct, [g for g in timexes if g.end > g.start])


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def timeml_files(data: Path) -> list[Path]:
    if data.is_file():
        return [data]
    files = sorted(data.rglob("*.tml"))
    if not files:
        raise FileNotFoundError(f"{data} holds no TimeML (.tml) files")
    return files


# -- running the time layer -----------------------------------------------------------------------


def predict(docs: list[TimexDoc], pipeline_factory, label: str) -> tuple[list[list[PredTimex]], list[Any]]:
    """The time layer's expressions on each document (ranges as their endpoints), and the Docs."""
    from newsevents.nlp.times import TimeTagger

    nlp = pipeline_factory().nlp
    disable = [n for n in SKIP if n in nlp.pipe_names]
    tagger = None if "newsevents_times" in nlp.pipe_names else TimeTagger()

    def make():
        for d in docs:
            doc = nlp.make_doc(d.text)
            doc._.published = d.dct
            yield doc

    preds: list[list[PredTimex]] = []
    parsed: list[Any] = []
    for doc in progress(nlp.pipe(make(), disable=disable, batch_size=16), len(docs), label):
        if tagger is not None:
            tagger(doc)
        out: list[PredTimex] = []
        for ts in doc._.times or []:
            if ts.parts:
                out.extend(PredTimex(p.start_char, p.end_char, p.text, ts.type, p.value) for p in ts.parts)
            else:
                out.append(PredTimex(ts.start_char, ts.end_char, ts.text, ts.type, ts.value))
        preds.append(out)
        parsed.append(doc)
    return preds, parsed


def oracle_values(doc, gold: list[GoldTimex], published: date | None) -> list[str | None]:
    """The time layer's value for each gold extent, read in its parsed context (same anchoring rules)."""
    from newsevents.nlp.times import times_for_extents

    extents = []
    for g in gold:
        span = doc.char_span(g.start, g.end, alignment_mode="expand")
        extents.append((span.start, span.end) if span is not None and len(span) else None)
    found = {(t.start, t.end): t.value for t in times_for_extents(doc, [e for e in extents if e], published)}
    return [found.get(e) if e else None for e in extents]


# -- scoring --------------------------------------------------------------------------------------


def canonical_value(value: str | None) -> str | None:
    """A TIMEX3 value in one spelling: week numbers zero-padded ("2000-W7" is "2000-W07")."""
    if value is None:
        return None
    return re.sub(r"-W(\d)(?!\d)", r"-W0\1", value.strip())


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match(gold: list[GoldTimex], pred: list[PredTimex]) -> list[tuple[int, int]]:
    """One-to-one relaxed matches (gold index, predicted index): exact spans first, then largest overlap."""
    pairs: list[tuple[int, int, int]] = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            ov = _overlap((g.start, g.end), (p.start, p.end))
            if ov:
                exact = g.start == p.start and g.end == p.end
                pairs.append((0 if exact else 1, -ov, gi * 100000 + pi))
    pairs.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, _, k in pairs:
        gi, pi = divmod(k, 100000)
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gi, pi))
    return sorted(out)


def value_class(gold: str, pred: str | None) -> str:
    """A coarse name for a value error, to find what to fix."""
    if pred is None:
        return "no value"
    if gold.startswith("P") and not pred.startswith("P"):
        return "duration read as date"
    if pred.startswith("P") and not gold.startswith("P"):
        return "date read as duration"
    if gold.endswith("_REF") or pred.endswith("_REF"):
        return "reference (PRESENT/PAST/FUTURE_REF)"
    g, p = gold.split("T")[0], pred.split("T")[0]
    if "X" in gold:
        return "gold underspecified (X)"
    if re.fullmatch(r"\d{4}(-\d\d){0,2}", g) and re.fullmatch(r"\d{4}(-\d\d){0,2}", p):
        if len(g) != len(p):
            return "granularity"
        if g[:4] != p[:4] and g[4:] == p[4:]:
            return "wrong year"
        return "wrong day/month (direction or anchor)"
    if re.search(r"-Q\d|-H\d", gold + pred):
        return "quarter/half"
    if re.search(r"-W\d", gold + pred):
        return "week"
    if re.search(r"-(SP|SU|FA|WI)", gold + pred):
        return "season"
    if "T" in gold or "T" in pred:
        return "time of day"
    return "other"


def score(name: str, docs: list[TimexDoc], preds: list[list[PredTimex]], parsed: list[Any]) -> SuiteResult:
    strict = PRF(0, 0, 0)
    relaxed = PRF(0, 0, 0)
    n_matched = value_ok = type_ok = 0
    per_type: dict[str, list[int]] = {t: [0, 0, 0] for t in TYPES}  # gold, matched, value correct
    oracle = [0, 0]  # DATE gold extents, values right
    errors: Counter = Counter()
    classes: Counter = Counter()
    missed: Counter = Counter()
    spurious: Counter = Counter()
    items: list[dict[str, Any]] = []
    for d, pred, doc in zip(docs, preds, parsed):
        gold = list(d.timexes)
        pred = [p for p in pred if not any(_overlap((p.start, p.end), r) for r in d.ignore)]
        pairs = match(gold, pred)
        mg = {gi for gi, _ in pairs}
        mp = {pi for _, pi in pairs}
        n_strict = sum(1 for gi, pi in pairs if (gold[gi].start, gold[gi].end) == (pred[pi].start, pred[pi].end))
        strict = strict + PRF(n_strict, len(pred) - n_strict, len(gold) - n_strict)
        relaxed = relaxed + PRF(len(pairs), len(pred) - len(pairs), len(gold) - len(pairs))
        for g in gold:
            per_type.setdefault(g.type, [0, 0, 0])[0] += 1
        doc_items = []
        for gi, pi in pairs:
            g, p = gold[gi], pred[pi]
            n_matched += 1
            per_type[g.type][1] += 1
            ok = canonical_value(p.value) == canonical_value(g.value)
            value_ok += ok
            per_type[g.type][2] += ok
            type_ok += p.type == g.type
            if not ok:
                errors[(g.text.lower(), g.value, p.value)] += 1
                cls = value_class(g.value, p.value)
                classes[(g.type, cls)] += 1
                doc_items.append({"gold": g.text, "gold_value": g.value, "type": g.type, "text": p.text,
                                  "value": p.value, "class": cls})
        for gi, g in enumerate(gold):
            if gi not in mg:
                missed[(g.text.lower(), g.type)] += 1
        for pi, p in enumerate(pred):
            if pi not in mp:
                spurious[(p.text.lower(), p.type)] += 1
        if doc is not None and gold:
            vals = oracle_values(doc, gold, d.dct)
            dates = [(v, g) for v, g in zip(vals, gold) if g.type == "DATE"]
            oracle[0] += len(dates)
            oracle[1] += sum(canonical_value(v) == canonical_value(g.value) for v, g in dates)
        items.append({
            "doc": d.id, "dct": d.dct.isoformat() if d.dct else None, "gold": len(gold), "predicted": len(pred),
            "matched": len(pairs), "value_errors": doc_items,
            "missed": [[g.text, g.type, g.value] for gi, g in enumerate(gold) if gi not in mg],
            "spurious": [[p.text, p.type, p.value] for pi, p in enumerate(pred) if pi not in mp],
        })
    gold_total = relaxed.tp + relaxed.fn
    date_gold, date_matched, date_ok = per_type.get("DATE", [0, 0, 0])
    value_p = ratio(value_ok, relaxed.tp + relaxed.fp)
    value_r = ratio(value_ok, gold_total)
    res = SuiteResult(name)
    res.metrics = {
        "date_value_accuracy": ratio(date_ok, date_matched),
        "value_accuracy": ratio(value_ok, n_matched),
        "value_f1": (2 * value_p * value_r / (value_p + value_r)) if value_p + value_r else 0.0,
        "strict_f1": strict.f1, "strict_precision": strict.precision, "strict_recall": strict.recall,
        "relaxed_f1": relaxed.f1, "relaxed_precision": relaxed.precision, "relaxed_recall": relaxed.recall,
        "type_accuracy": ratio(type_ok, n_matched),
        "oracle_date_value_accuracy": ratio(oracle[1], oracle[0]),
        "docs": len(docs), "gold_timex": gold_total,
    }
    res.headers = ["type", "gold", "matched (relaxed)", "recall", "value correct", "value accuracy"]
    res.table = [[t, v[0], v[1], round(ratio(v[1], v[0]), 3), v[2], round(ratio(v[2], v[1]), 3)]
                 for t, v in per_type.items() if v[0]]
    res.table.append(["all", gold_total, n_matched, round(ratio(n_matched, gold_total), 3), value_ok,
                      round(ratio(value_ok, n_matched), 3)])
    res.tables.append(Table("Spans", ["match", "TP", "FP", "FN", "P", "R", "F1"],
                            [["strict"] + strict.row(), ["relaxed"] + relaxed.row()]))
    res.tables.append(Table("Value errors by class (on relaxed matches)", ["gold type", "class", "count"],
                            [[t, c, n] for (t, c), n in classes.most_common()]))
    res.tables.append(Table("Most frequent value errors", ["expression", "gold", "ours", "count"],
                            [[e, g, p, n] for (e, g, p), n in errors.most_common(25)]))
    res.tables.append(Table("Most frequent misses", ["expression", "type", "count"],
                            [[e, t, n] for (e, t), n in missed.most_common(25)]))
    res.tables.append(Table("Most frequent spurious expressions", ["expression", "type", "count"],
                            [[e, t, n] for (e, t), n in spurious.most_common(25)]))
    res.items = items
    res.extra = {"value_error_classes": {f"{t}: {c}": n for (t, c), n in classes.most_common()}}
    return res


def load_timeml(data: Path, limit: int | None) -> list[TimexDoc]:
    files = timeml_files(data)
    if limit:
        files = files[:limit]
    return [read_timeml(f) for f in files]


@register(
    "tempeval3",
    description="TempEval-3 TBAQ-cleaned TimeML: TIMEX3 span F1 and value accuracy of the time layer given the DCT.",
    corpus="tempeval3/TBAQ-cleaned",
    goals=[Goal("date_value_accuracy", ">=", 0.85)],
    anchors={"value_f1": "HeidelTime, the strongest rule-based TempEval-3 Task A system (UzZaman et al. 2013; "
                         "scored on TE3-Platinum, not on TBAQ)"},
)
def run(data: Path, limit: int | None, pipeline_factory) -> SuiteResult:
    docs = load_timeml(data, limit)
    preds, parsed = predict(docs, pipeline_factory, "tempeval3")
    res = score("tempeval3", docs, preds, parsed)
    res.notes += [
        "Gold: TIMEX3 in <TEXT> (the DCT excluded); the raw text is parsed as is with doc._.published = DCT.",
        "Ranges are scored by their endpoints. Value accuracy is over relaxed span matches; date_value_accuracy "
        "over gold DATE expressions; oracle_date_value_accuracy normalises the gold DATE extents themselves.",
        "TBAQ-cleaned is TempEval-3's training data (1989-1998 newswire); the time rules were developed looking "
        "at error classes on its TimeBank part, so AQUAINT and meantime are the less-seen checks.",
    ]
    return res


"""``polnear``: quotes, speakers and attribution relations on PolNeAR (political news, 2016).

Data: a PolNeAR split folder (default ``corpora/polnear/dev``; the test split is held out; ``--data``
takes any folder of the same layout): ``text/<article>.txt`` (raw article text) and
``attributions/<article>_<annotator>.ann`` (brat standoff: Source, Cue, Content spans tied by an
``E`` line per attribution relation). Where several annotators did one article, the first
annotator file in name order is scored. Offsets refer to the raw text, so each text goes through
the spaCy pipeline (``pipeline.nlp``, with the publication date from the file name) unnormalised.

What is scored (our attributions: ``doc._.quotes`` grouped by cue, one relation per cue, its content
the union of its pieces; a quote with no cue is a relation of its own):

- relation P/R/F1: a predicted relation matches a gold one when their contents overlap by at
  least half of each (intersection >= 50% of the longer content) and the source matches: our
  speaker span overlaps a gold Source span (or neither has a source). One-to-one, greedy by overlap.
- content P/R/F1: the same matching without the source condition.
- speaker accuracy: of the gold relations with a source whose content we found, the share whose
  speaker we got right; also on direct quotes only.
- direct-quote span F1: gold quoted stretches (text between quotation marks inside gold Content
  spans) against our direct quotes; exact after trimming marks, spaces and edge punctuation, and
  with the 50% overlap rule.

PolNeAR's attribution is broader than speech (beliefs, intentions, decrees, "plans to"); the
table breaks recall down by cue type so that the speech cues this stage targets can be told apart
from the rest.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from newsevents.eval.base import PRF, Goal, SuiteResult, Table, progress, ratio, register

QUOTE_RE = re.compile(r"[“\"«]([^”\"»]+)[”\"»]")
TRIM = " \t\n\r\"'“”‘’«».,;:!?—–-"
DATE_RE = re.compile(r"_(\d{4}-\d{2}-\d{2})_")


@dataclass
class Relation:
    content: list[tuple[int, int]]
    source: list[tuple[int, int]] = field(default_factory=list)
    cue: list[tuple[int, int]] = field(default_factory=list)
    cue_text: str = ""
    direct: bool = False
    name: str | None = None
    kind: str = ""
    alt_source: list[tuple[int, int]] = field(default_factory=list)  # a pronoun's antecedent

    @property
    def length(self) -> int:
        return sum(e - s for s, e in self.content)


def _spans(field_: str) -> list[tuple[int, int]]:
    out = []
    for part in field_.split(";"):
        a, b = part.split()
        out.append((int(a), int(b)))
    return out


def read_ann(path: Path) -> list[Relation]:
    """The attribution relations of one brat file."""
    tbs: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    events: list[list[tuple[str, str]]] = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line:
                continue
            cols = line.split("\t")
            if line.startswith("T"):
                if len(cols) < 2:
                    raise ValueError(f"{path}:{lineno}: malformed T line")
                typ, _, rest = cols[1].partition(" ")
                tbs[cols[0]] = (typ, _spans(rest), cols[2] if len(cols) > 2 else "")
            elif line.startswith("E"):
                args = [a.split(":", 1) for a in cols[1].split()]
                events.append([(r, t) for r, t in args])
    rels = []
    for args in events:
        r = Relation(content=[])
        for role, tid in args:
            if tid not in tbs:
                continue
            typ, spans, text = tbs[tid]
            if role.startswith("Content"):
                r.content.extend(spans)
            elif role == "Source":
                r.source.extend(spans)
            elif role == "Cue":
                r.cue.extend(spans)
                r.cue_text = text
        if r.content:
            r.content.sort()
            rels.append(r)
    return rels


def documents(data: Path) -> list[tuple[Path, Path]]:
    """(text file, annotation file) pairs of a PolNeAR split folder."""
    text_dir, ann_dir = data / "text", data / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise FileNotFoundError(f"{data} has no text/ and attributions/ folders (PolNeAR layout)")
    anns: dict[str, list[Path]] = defaultdict(list)
    for p in sorted(ann_dir.glob("*.ann")):
        stem, _, _annotator = p.stem.rpartition("_")
        anns[stem].append(p)
    out = []
    for t in sorted(text_dir.glob("*.txt")):
        if anns.get(t.stem):
            out.append((t, anns[t.stem][0]))
    return out


def gold_quotes(text: str, rels: list[Relation]) -> list[tuple[int, int]]:
    """Quoted stretches inside gold Content spans (character spans of the text between the marks)."""
    out = set()
    for r in rels:
        for s, e in r.content:
            for m in QUOTE_RE.finditer(text, s, e):
                span = _trim(text, m.start(1), m.end(1))
                if span is not None:
                    out.add(span)
    return sorted(out)


def _trim(text: str, s: int, e: int) -> tuple[int, int] | None:
    while s < e and text[s] in TRIM:
        s += 1
    while e > s and text[e - 1] in TRIM:
        e -= 1
    return (s, e) if e > s else None


def _intersection(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _overlaps(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return _intersection(a, b) > 0


def content_match(g: Relation, p: Relation) -> float:
    """Intersection over the longer of the two contents (>= 0.5 is a match)."""
    inter = _intersection(g.content, p.content)
    return inter / max(g.length, p.length, 1)


def source_match(g: Relation, p: Relation) -> bool:
    """Our speaker overlaps the gold source, as written or through the mention a pronoun was
    resolved to ("he" for "Sen. Perdue" is right either way)."""
    if not g.source:
        return not p.source
    return bool(p.source) and (_overlaps(g.source, p.source) or _overlaps(g.source, p.alt_source))


def predicted_relations(doc) -> list[Relation]:
    """Our attributions as relations: quotes sharing a cue form one relation."""
    from newsevents.nlp.quotes import find_quotes

    if doc._.quotes is None:
        doc._.quotes = find_quotes(doc)
    quotes = doc._.quotes
    by_cue: dict[Any, Relation] = {}
    out: list[Relation] = []
    for q in quotes:
        key = q.cue
        if key is not None and key in by_cue:
            r = by_cue[key]
            r.content.append((q.start, q.end))
            r.direct = r.direct or q.direct
            continue
        r = Relation(content=[(q.start, q.end)], direct=q.direct, name=q.name, kind=q.kind)
        if q.speaker is not None:
            sp = doc[q.speaker[0]:q.speaker[1]]
            r.source = [(sp.start_char, sp.end_char)]
            if q.actor is not None and q.actor.antecedent:
                a = doc[q.actor.antecedent[0]:q.actor.antecedent[1]]
                r.alt_source.append((a.start_char, a.end_char))
            if q.speaker_head is not None and not (q.speaker[0] <= q.speaker_head < q.speaker[1]):
                h = doc[q.speaker_head]
                r.alt_source.append((h.idx, h.idx + len(h)))
        if q.cue is not None:
            c = doc[q.cue[0]:q.cue[1]]
            r.cue = [(c.start_char, c.end_char)]
            r.cue_text = c.text
            by_cue[key] = r
        out.append(r)
    for r in out:
        r.content = _merge(r.content)
    return out


def outermost(rels: list[Relation]) -> list[Relation]:
    """PolNeAR annotates no nested attributions: drop a relation whose cue lies inside another
    relation's content ("Merrill says [Machado ... said she would ...]")."""
    out = []
    for r in rels:
        if r.cue and any(o is not r and any(s <= r.cue[0][0] < e for s, e in o.content) for o in rels):
            continue
        out.append(r)
    return out


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def match(gold: list[Relation], pred: list[Relation], threshold: float = 0.5) -> list[tuple[int, int, float]]:
    """One-to-one (gold index, predicted index, overlap) pairs with overlap >= threshold, greedy."""
    cands = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if not _overlaps(g.content, p.content):
                continue
            ov = content_match(g, p)
            if ov >= threshold:
                cands.append((ov, source_match(g, p), gi, pi))
    cands.sort(key=lambda x: (-x[0], not x[1]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for ov, _, gi, pi in cands:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gi, pi, ov))
    return out


def span_prf(gold: list[tuple[int, int]], pred: list[tuple[int, int]], overlap: bool) -> PRF:
    if not overlap:
        g, p = set(gold), set(pred)
        tp = len(g & p)
        return PRF(tp, len(p) - tp, len(g) - tp)
    used: set[int] = set()
    tp = 0
    for gs, ge in gold:
        for k, (ps, pe) in enumerate(pred):
            if k in used:
                continue
            inter = max(0, min(ge, pe) - max(gs, ps))
            if inter and inter >= 0.5 * max(ge - gs, pe - ps):
                used.add(k)
                tp += 1
                break
    return PRF(tp, len(pred) - tp, len(gold) - tp)


def cue_class(cue_text: str) -> str:
    """A coarse class of a gold cue, for the recall breakdown."""
    from newsevents.nlp.quotes import SPEECH_LEMMAS

    words = cue_text.lower().replace("’", "'").split()
    if not words:
        return "none"
    if "according" in words:
        return "according to"
    if cue_text.strip() in (":", "—", "-", "―", "–"):
        return "punctuation"
    stems = {w.strip(".,:;\"'") for w in words}
    speech = {"said", "says", "say", "saying", "told", "tells", "tell", "added", "adds", "stated", "states",
              "wrote", "writes", "reported", "reports", "asked", "asks", "explained", "noted", "argued",
              "claimed", "claims", "announced", "declared", "insisted", "tweeted", "continued",
              "replied", "responded", "warned", "suggested", "acknowledged", "admitted", "denied"}
    if stems & speech:
        return "speech verb"
    if any(w in SPEECH_LEMMAS for w in stems):
        return "other lexicon cue"
    return "other cue"


@register(
    "polnear",
    description="PolNeAR dev: attribution relation F1 (content overlap >= 50% and matching source), "
                "direct-quote span F1, speaker accuracy.",
    corpus="polnear/dev",
    goals=[Goal("speaker_accuracy", ">=", 0.85)],
)
def run(data: Path, limit: int | None, pipeline_factory) -> SuiteResult:
    docs = documents(data)
    if limit:
        docs = docs[:limit]
    pipe = pipeline_factory()
    nlp = pipe.nlp

    texts = [t.read_text(encoding="utf-8") for t, _ in docs]
    golds = [read_ann(a) for _, a in docs]

    def make_docs():
        for (tpath, _), text in zip(docs, texts):
            doc = nlp.make_doc(text)
            m = DATE_RE.search(tpath.name)
            doc._.published = date.fromisoformat(m.group(1)) if m else None
            yield doc

    rel = PRF(0, 0, 0)
    content = PRF(0, 0, 0)
    spk_n = spk_ok = dq_spk_n = dq_spk_ok = 0
    exact = PRF(0, 0, 0)
    loose = PRF(0, 0, 0)
    by_class_gold: Counter = Counter()
    by_class_found: Counter = Counter()
    by_class_right: Counter = Counter()
    wrong_speakers: list[list[Any]] = []
    items: list[dict[str, Any]] = []
    for (tpath, _), text, gold, doc in progress(
            zip(docs, texts, golds, nlp.pipe(make_docs(), batch_size=8)), len(docs), "polnear"):
        all_pred = predicted_relations(doc)
        pred = outermost(all_pred)
        pairs = match(gold, pred)
        n_right = 0
        for gi, pi, _ in pairs:
            g, p = gold[gi], pred[pi]
            ok = source_match(g, p)
            n_right += ok
            if g.source:
                spk_n += 1
                spk_ok += ok
                if p.direct:
                    dq_spk_n += 1
                    dq_spk_ok += ok
                if not ok and len(wrong_speakers) < 200:
                    wrong_speakers.append([
                        tpath.stem[:40], " / ".join(text[s:e] for s, e in g.source)[:40],
                        " / ".join(text[s:e] for s, e in p.source)[:40] or "-", p.cue_text[:20],
                        "direct" if p.direct else p.kind])
        rel += PRF(n_right, len(pred) - n_right, len(gold) - n_right)
        content += PRF(len(pairs), len(pred) - len(pairs), len(gold) - len(pairs))
        matched_g = {gi: pi for gi, pi, _ in pairs}
        for gi, g in enumerate(gold):
            cls = cue_class(g.cue_text)
            by_class_gold[cls] += 1
            if gi in matched_g:
                by_class_found[cls] += 1
                by_class_right[cls] += source_match(g, pred[matched_g[gi]])
        gq = gold_quotes(text, gold)
        # our quotation-mark quotes (transcript turns have no marks), trimmed like the gold
        pq = sorted({t for q in doc._.quotes if q.direct and q.via != "turn"
                     if (t := _trim(text, q.start, q.end)) is not None})
        pq_direct = pq
        exact += span_prf(gq, pq_direct, overlap=False)
        loose += span_prf(gq, pq_direct, overlap=True)
        items.append({
            "article": tpath.stem, "gold": len(gold), "predicted": len(pred), "matched": len(pairs),
            "right_source": n_right, "gold_quotes": len(gq), "predicted_quotes": len(pq_direct),
        })

    res = SuiteResult("polnear")
    res.metrics = {
        "relation_f1": rel.f1, "relation_precision": rel.precision, "relation_recall": rel.recall,
        "quote_span_f1": exact.f1, "quote_overlap_f1": loose.f1,
        "speaker_accuracy": ratio(spk_ok, spk_n), "direct_speaker_accuracy": ratio(dq_spk_ok, dq_spk_n),
        "content_f1": content.f1,
        "articles": len(docs), "gold_relations": rel.tp + rel.fn,
    }
    res.headers = ["measure", "TP", "FP", "FN", "P", "R", "F1"]
    res.table = [
        ["relation (content >= 50% + source)"] + rel.row(),
        ["content only (>= 50%)"] + content.row(),
        ["direct quote span (exact)"] + exact.row(),
        ["direct quote span (>= 50%)"] + loose.row(),
    ]
    res.tables.append(Table(
        "Gold relations by cue type", ["cue type", "gold", "content found", "recall", "source right", "speaker acc."],
        [[c, by_class_gold[c], by_class_found[c], round(ratio(by_class_found[c], by_class_gold[c]), 3),
          by_class_right[c], round(ratio(by_class_right[c], by_class_found[c]), 3)]
         for c, _ in by_class_gold.most_common()]))
    res.tables.append(Table("Wrong speakers (gold source, ours, our cue, kind)",
                            ["article", "gold source", "our speaker", "cue", "kind"], wrong_speakers))
    res.items = items
    res.notes += [
        "One annotator file per article (the first in name order); texts are raw (offsets are the gold's).",
        "Content match: intersection >= 50% of the longer content; source match: span overlap (both absent "
        "counts as a match). Speaker accuracy is over gold relations with a source whose content was found.",
        "Direct-quote spans: gold = text between quotation marks inside gold Content spans; exact after "
        "trimming marks, spaces and edge punctuation.",
        "PolNeAR also annotates beliefs, intentions and decrees; the cue-type table separates them.",
    ]
    return res

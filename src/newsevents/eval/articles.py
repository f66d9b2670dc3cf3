"""``articles``: our own hand-written gold events for whole news articles.

The format and the scoring rules are documented in ``tests/fixtures/gold/README.md``: one JSON
file per article naming the article (a JSON-lines file relative to the gold file and a record
``id``, or a .txt/.md file), its publication date, and the gold events (source, target, root,
code, anchor, core, modality).

Matching, as that README defines it: an output event matches a gold event when its evidence
sentence contains the anchor, the source countries (first three letters of the actor codes)
are equal, the target countries likewise (``---`` matches only ``---``, which our coder never
outputs), and the CAMEO roots are equal. One-to-one, assigned in document order, core gold
events before optional ones. Recall = matched core / core; precision = output events matching
any gold event / all output events.

Anchors are compared after the same normalisation the article text gets when it is read
(quotes, dashes, whitespace), so a gold anchor copied from the raw text still finds its sentence.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from newsevents.eval.base import SuiteResult, Table, f1, progress, ratio, register, repository_dir

NO_ACTOR = "---"


@dataclass
class GoldEvent:
    source: str
    target: str
    root: str
    code: str
    anchor: str
    core: bool
    modality: str
    note: str = ""
    index: int = 0  # position in the gold file

    def country(self, side: str) -> str:
        code = self.source if side == "source" else self.target
        return NO_ACTOR if code.startswith(NO_ACTOR) else code[:3]


@dataclass
class GoldArticle:
    path: Path
    article_path: Path
    record_id: str | None
    published: date | None
    events: list[GoldEvent] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.record_id or self.path.stem


def default_gold_dir() -> Path:
    return repository_dir() / "tests" / "fixtures" / "gold" / "wikinews"


def read_gold(path: Path) -> GoldArticle:
    """One gold file; ValueError naming the file and field on any problem."""
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc})") from None
    for k in ("article", "events"):
        if k not in d:
            raise ValueError(f"{path}: missing field {k!r}")
    published = None
    if d.get("published"):
        try:
            published = date.fromisoformat(str(d["published"])[:10])
        except ValueError:
            raise ValueError(f"{path}: published {d['published']!r} is not YYYY-MM-DD") from None
    ga = GoldArticle(path, (path.parent / d["article"]).resolve(), d.get("id"), published)
    for i, e in enumerate(d["events"]):
        try:
            root = str(e["root"]).zfill(2)
            ga.events.append(GoldEvent(str(e["source"]).strip(), str(e["target"]).strip(), root,
                                       str(e.get("code") or root), str(e["anchor"]), bool(e.get("core", True)),
                                       str(e.get("modality") or "asserted"), str(e.get("note") or ""), i))
        except KeyError as exc:
            raise ValueError(f"{path}: event {i + 1} lacks field {exc.args[0]!r}") from None
    return ga


def load_article(ga: GoldArticle):
    """The Article a gold file points at, read as ``newsevents code`` reads it."""
    from newsevents.ingest import read_paths
    from newsevents.ingest.readers import ReadError, article_from_record

    p = ga.article_path
    if not p.exists():
        raise FileNotFoundError(f"{ga.path}: article file {p} does not exist")
    if p.suffix.lower() in (".jsonl", ".ndjson"):
        if not ga.record_id:
            raise ValueError(f"{ga.path}: 'id' is required for an article in a JSON-lines file")
        with open(p, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                rec = json.loads(line)
                if str(rec.get("id")) == ga.record_id:
                    try:
                        art = article_from_record(rec, f"{p}:{lineno}", ga.published)
                    except ReadError as exc:
                        raise ValueError(str(exc)) from None
                    break
            else:
                raise ValueError(f"{ga.path}: no record with id {ga.record_id!r} in {p}")
    else:
        arts = list(read_paths([str(p)], published=ga.published))
        if not arts:
            raise ValueError(f"{ga.path}: could not read {p}")
        art = arts[0]
    if ga.published is not None:
        art.published = ga.published
    return art


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
                         "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " "})


def canon(text: str) -> str:
    """Text for anchor comparison: NFKC, straight quotes and hyphens, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).split())


def match_events(gold: list[GoldEvent], events: list, text: str) -> tuple[dict[int, int], list[str]]:
    """One-to-one matching: ``{gold index: output index}``, plus the evidence text per output.

    Output events are taken in document order; core gold events are assigned before optional
    ones, each in document order (anchor position in the article text, file order when absent).
    """
    ctext = canon(text)
    order = sorted(range(len(events)), key=lambda i: (events[i].evidence.start, events[i].predicate.start))
    evid = [canon(e.evidence.text) for e in events]

    def gpos(g: GoldEvent) -> tuple[int, int]:
        k = ctext.find(canon(g.anchor))
        return (k if k >= 0 else len(ctext), g.index)

    gold_order = sorted(range(len(gold)), key=lambda i: (not gold[i].core, *gpos(gold[i])))
    used: set[int] = set()
    matched: dict[int, int] = {}
    for gi in gold_order:
        g = gold[gi]
        a = canon(g.anchor)
        for oi in order:
            if oi in used:
                continue
            e = events[oi]
            if (a in evid[oi] and e.root == g.root
                    and e.source.actor.code[:3] == g.country("source")
                    and e.target.actor.code[:3] == g.country("target")):
                matched[gi] = oi
                used.add(oi)
                break
    return matched, evid


def _gold_files(data: Path) -> list[Path]:
    if data.is_file():
        return [data]
    files = sorted(p for p in data.glob("*.json") if p.is_file())
    if not files:
        raise FileNotFoundError(f"{data} holds no gold .json files")
    return files


@register(
    "articles",
    description="Hand-written gold events of whole Wikinews articles (tests/fixtures/gold): event recall and precision.",
    default_data=default_gold_dir,
)
def run(data: Path, limit: int | None, pipeline_factory) -> SuiteResult:
    golds = [read_gold(p) for p in _gold_files(data)]
    if limit:
        golds = golds[:limit]
    articles = [load_article(g) for g in golds]
    pipe = pipeline_factory()
    res = SuiteResult("articles")
    res.headers = ["article", "core", "matched core", "recall", "output", "matched output", "precision", "F1"]
    tot = Counter()
    items: list[dict[str, Any]] = []
    unmatched_rows: list[list[Any]] = []
    modality_rows: Counter = Counter()
    missing_anchors: list[str] = []
    for ga, ann in progress(zip(golds, pipe.annotate_many(articles)), len(golds), "articles"):
        events = ann.events
        matched, _ = match_events(ga.events, events, ann.article.text)
        ctext = canon(ann.article.text)
        for g in ga.events:
            if canon(g.anchor) not in ctext:
                missing_anchors.append(f"{ga.name}: {g.anchor!r}")
        core = [i for i, g in enumerate(ga.events) if g.core]
        mcore = [i for i in core if i in matched]
        n_out = len(events)
        n_mout = len(matched)
        role_ok = sum(1 for gi, oi in matched.items()
                      if events[oi].source.actor.code == ga.events[gi].source
                      and events[oi].target.actor.code == ga.events[gi].target)
        code_ok = sum(1 for gi, oi in matched.items() if events[oi].cameo == ga.events[gi].code)
        mod_ok = sum(1 for gi, oi in matched.items() if events[oi].modality == ga.events[gi].modality)
        for gi, oi in matched.items():
            g = ga.events[gi]
            if g.modality in ("negated", "hypothetical"):
                modality_rows[(g.modality, events[oi].modality)] += 1
        tot.update(core=len(core), mcore=len(mcore), out=n_out, mout=n_mout, matched=len(matched),
                   role_ok=role_ok, code_ok=code_ok, mod_ok=mod_ok, gold=len(ga.events))
        r = ratio(len(mcore), len(core))
        p = ratio(n_mout, n_out)
        res.table.append([ga.name, len(core), len(mcore), round(r, 3), n_out, n_mout, round(p, 3), round(f1(p, r), 3)])
        for i in core:
            if i not in matched:
                g = ga.events[i]
                unmatched_rows.append([ga.name, f"{g.source} {g.code} {g.target}", g.anchor])
        matched_out = set(matched.values())
        items.append({
            "gold_file": str(ga.path),
            "article": ga.name,
            "published": ga.published.isoformat() if ga.published else None,
            "core": len(core), "matched_core": len(mcore), "output": n_out, "matched_output": n_mout,
            "gold": [
                {"source": g.source, "target": g.target, "code": g.code, "anchor": g.anchor, "core": g.core,
                 "modality": g.modality, "matched": i in matched,
                 "by": None if i not in matched else events[matched[i]].id}
                for i, g in enumerate(ga.events)
            ],
            "output_events": [
                {"id": e.id, "source": e.source.actor.code, "target": e.target.actor.code, "code": e.cameo,
                 "modality": e.modality, "predicate": e.predicate.text, "evidence": e.evidence.text,
                 "confidence": round(e.confidence, 3), "matched": oi in matched_out}
                for oi, e in enumerate(events)
            ],
        })
    recall = ratio(tot["mcore"], tot["core"])
    precision = ratio(tot["mout"], tot["out"])
    res.metrics = {
        "recall": recall,
        "precision": precision,
        "f1": f1(precision, recall),
        "role_accuracy": ratio(tot["role_ok"], tot["matched"]),
        "code_accuracy": ratio(tot["code_ok"], tot["matched"]),
        "modality_accuracy": ratio(tot["mod_ok"], tot["matched"]),
        "articles": len(golds),
        "core_events": tot["core"],
        "output_events": tot["out"],
    }
    res.table.append(["all", tot["core"], tot["mcore"], round(recall, 3), tot["out"], tot["mout"],
                      round(precision, 3), round(f1(precision, recall), 3)])
    res.tables.append(Table("Unmatched core gold events", ["article", "gold event", "anchor"], unmatched_rows))
    if modality_rows:
        res.tables.append(Table("Negated/hypothetical gold events matched: modality we output",
                                ["gold modality", "our modality", "events"],
                                [[g, o, n] for (g, o), n in modality_rows.most_common()]))
    res.items = items
    res.notes += [
        "Match: anchor inside the evidence sentence, equal source and target countries (first three letters of the "
        "codes; --- matches only ---), equal root; one-to-one, core gold first. role/code/modality accuracy are "
        "over matched events.",
    ]
    if missing_anchors:
        res.notes.append(f"{len(missing_anchors)} anchor(s) not found in the coded (normalised) text: "
                         + "; ".join(missing_anchors[:5]) + (" ..." if len(missing_anchors) > 5 else ""))
    return res

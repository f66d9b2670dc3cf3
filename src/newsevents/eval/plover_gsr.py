"""``plover-gsr``: PLOVER event types of the PLOVER gold-standard records (CAMEO manual examples).

Each record is one sentence with a gold PLOVER type (PLOVER 0.5b1, 2016) and gold source and
target actors. We code the sentence and take our **best event**: the highest-confidence event
that has a PLOVER type (events of CAMEO roots 01 and 02 have none), ties going to the earlier
event in the sentence. A record with no such event counts as wrong (predicted type ``NONE``).

Our types come from CAMEO through the 2021 CAMEO->PLOVER table; the gold uses the 2016 type
names, so gold types are first aligned to the current names (:data:`TYPE_ALIGNMENT`).

Metrics: type accuracy; macro-F1 over the types seen in gold or predicted (``NONE`` excluded
from the average, though it costs the gold type its recall); source and target country accuracy
over records whose gold names that side (first three letters of our best event's actor code
against the gold codes; for reciprocal ``SRC/TAR`` records either side's gold codes count).
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from newsevents.eval.base import (
    Goal,
    SuiteResult,
    Table,
    accuracy,
    confusion_matrix,
    per_label_prf,
    progress,
    ratio,
    register,
    top_confusions,
)

GSR_FILE = "PLOVER_GSR_CAMEO.json"
NONE = "NONE"

# PLOVER 0.5b1 type names (the gold) -> the 2021 names our CAMEO->PLOVER table uses. The 2021
# manual renamed DEMAND to REQUEST and DISAPPROVE to ACCUSE, made INVESTIGATE a mode of ACCUSE
# and merged FIGHT (armed conflict) into ASSAULT; the other types kept their names.
TYPE_ALIGNMENT = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
}


def align_type(gold_type: str) -> str:
    return TYPE_ALIGNMENT.get(gold_type, gold_type)


def read_gsr(path: Path) -> list[dict[str, Any]]:
    """The coded records of the PLOVER GSR file (the DOCUMENT header and text-less records skipped)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a JSON array of records")
    return [r for r in data if isinstance(r, dict) and r.get("event") not in (None, "DOCUMENT") and r.get("text")]


def _codes(actors: Any) -> set[str]:
    out = set()
    for a in actors or []:
        if isinstance(a, dict) and a.get("code"):
            out.add(str(a["code"]).strip()[:3].upper())
    return out


def best_event(events: list) -> Any | None:
    """The highest-confidence event with a PLOVER type; the earliest one on ties."""
    typed = [e for e in events if e.plover_type]
    if not typed:
        return None
    return max(enumerate(typed), key=lambda ie: (ie[1].confidence, -ie[0]))[1]


@register(
    "plover-gsr",
    description="PLOVER gold-standard records (CAMEO manual sentences): PLOVER type accuracy, macro-F1, actor countries.",
    corpus="plover-gsr",
    goals=[Goal("type_accuracy", ">=", 0.70)],
)
def run(data: Path, limit: int | None, pipeline_factory) -> SuiteResult:
    from newsevents.model import Article

    path = data if data.is_file() else data / GSR_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist")
    records = read_gsr(path)
    if limit:
        records = records[:limit]
    pipe = pipeline_factory()

    def published(r: dict) -> date | None:
        try:
            return date.fromisoformat(str(r.get("date")))
        except ValueError:
            return None

    articles = [Article(text=" ".join(r["text"].split()), published=published(r), id=str(r.get("id"))) for r in records]
    gold_types: list[str] = []
    pred_types: list[str] = []
    src_ok = src_n = tgt_ok = tgt_n = 0
    items: list[dict[str, Any]] = []
    for r, ann in progress(zip(records, pipe.annotate_many(articles)), len(records), "plover-gsr"):
        gold = align_type(str(r["event"]))
        best = best_event(ann.events)
        pred = best.plover_type if best is not None else NONE
        gold_types.append(gold)
        pred_types.append(pred)
        gsrc, gtgt = _codes(r.get("source")), _codes(r.get("target"))
        markup = (r.get("textInfo") or {}).get("markup", "") if isinstance(r.get("textInfo"), dict) else ""
        reciprocal = "SRC/TAR" in markup
        if reciprocal:
            gsrc = gtgt = gsrc | gtgt
        s_ok = t_ok = None
        if gsrc:
            src_n += 1
            s_ok = best is not None and best.source.actor.code[:3] in gsrc
            src_ok += s_ok
        if gtgt:
            tgt_n += 1
            t_ok = best is not None and best.target.actor.code[:3] in gtgt
            tgt_ok += t_ok
        items.append({
            "id": r.get("id"),
            "text": r["text"],
            "gold_type": r["event"],
            "gold_type_aligned": gold,
            "gold_source": sorted(gsrc),
            "gold_target": sorted(gtgt),
            "reciprocal": reciprocal,
            "predicted_type": pred,
            "type_correct": gold == pred,
            "source_correct": s_ok,
            "target_correct": t_ok,
            "best": None if best is None else {
                "cameo": best.cameo, "plover": best.plover_type, "source": best.source.actor.code,
                "target": best.target.actor.code, "predicate": best.predicate.text,
                "confidence": round(best.confidence, 3), "rule": best.rule,
            },
            "events": [{"cameo": e.cameo, "plover": e.plover_type, "source": e.source.actor.code,
                        "target": e.target.actor.code, "confidence": round(e.confidence, 3)}
                       for e in ann.events],
        })

    labels = sorted(set(gold_types) | (set(pred_types) - {NONE}))
    per = per_label_prf(gold_types, pred_types, labels)
    macro = sum(p.f1 for p in per.values()) / len(per) if per else 0.0
    covered = sum(p != NONE for p in pred_types)
    res = SuiteResult("plover-gsr")
    res.metrics = {
        "type_accuracy": accuracy(gold_types, pred_types),
        "type_macro_f1": macro,
        "source_country_accuracy": ratio(src_ok, src_n),
        "target_country_accuracy": ratio(tgt_ok, tgt_n),
        "coverage": ratio(covered, len(records)),
        "type_accuracy_when_coded": ratio(sum(g == p for g, p in zip(gold_types, pred_types) if p != NONE), covered),
        "records": len(records),
    }
    gold_n = Counter(gold_types)
    pred_n = Counter(pred_types)
    res.headers = ["type", "gold", "predicted", "TP", "P", "R", "F1"]
    for lab in sorted(labels, key=lambda x: (-gold_n[x], x)):
        p = per[lab]
        res.table.append([lab, gold_n[lab], pred_n[lab], p.tp, round(p.precision, 3), round(p.recall, 3), round(p.f1, 3)])
    res.table.append([NONE, 0, pred_n[NONE], 0, "-", "-", "-"])
    matrix = confusion_matrix(gold_types, pred_types)
    res.tables.append(Table("Top confusions (gold -> predicted)", ["gold", "predicted", "records"],
                            [list(c) for c in top_confusions(matrix, 12)]))
    res.items = items
    res.notes += [
        "Best event: the highest-confidence event that has a PLOVER type (roots 01/02 have none); "
        "none -> predicted NONE, counted wrong.",
        "Gold PLOVER 0.5b1 types aligned to the 2021 names: "
        + ", ".join(f"{k}->{v}" for k, v in TYPE_ALIGNMENT.items()) + ".",
        f"Country accuracy over {src_n} records with gold sources and {tgt_n} with gold targets; "
        "reciprocal SRC/TAR records accept either side's codes.",
    ]
    res.extra = {"confusion_matrix": matrix, "type_alignment": TYPE_ALIGNMENT}
    return res

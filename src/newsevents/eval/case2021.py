"""``case2021``: CASE 2021 shared task 2, fine-grained socio-political event types (30 labels).

Each snippet (1-3 sentences, no date) is coded; each event is given a CASE label through the
written, versioned mapping ``data/case2021_mapping.tsv`` (CAMEO code prefix, optional conditions
on the source and target roles -> label); the snippet takes the label of its highest-confidence
labelled event (the earlier event on ties). A snippet with no labelled event is classified
:data:`FALLBACK` (``OTHER``, the task's own catch-all label).

Metrics: micro-F1 (for single-label classification, equal to accuracy) and macro-F1 over the
labels that occur in gold or predictions; the confusion matrix goes to ``--json``.
"""

from __future__ import annotations

import csv
import functools
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsevents.eval.base import (
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
from newsevents.paths import data_path

TEST_FILE = "test_set_final_release_with_labels.tsv"
MAPPING_FILE = "case2021_mapping.tsv"
FALLBACK = "OTHER"
NO_LABEL = "-"
CASE_LABELS = frozenset("""
ABDUCT_DISSAP AGREEMENT AIR_STRIKE ARMED_CLASH ARREST ART_MISS_ATTACK ATTACK CHANGE_TO_GROUP_ACT
CHEM_WEAP DISR_WEAP FORCE_AGAINST_PROTEST GOV_REGAINS_TERIT GRENADE HQ_ESTABLISHED MOB_VIOL
NON_STATE_ACTOR_OVERTAKES_TER NON_VIOL_TERRIT_TRANSFER OTHER PEACE_PROTEST PROPERTY_DISTRUCT
PROTEST_WITH_INTER REM_EXPLOS SEX_VIOL SUIC_BOMB VIOL_DEMONSTR
ORG_CRIME NATURAL_DISASTER MAN_MADE_DISASTER DIPLO ATTRIB
""".split())
STATE_ROLES = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY"})
CIVILIAN_ROLES = frozenset({"CVL", "REF", "EDU", "HLH", "MED", "REL", "LAB", "BUS", "AGR"})
_COLUMNS = ["key", "source", "target", "label"]


@dataclass(frozen=True)
class MappingRow:
    key: str
    source: str  # any | state | nonstate
    target: str  # any | civilian
    label: str  # a CASE label or "-"
    line: int

    @property
    def conditions(self) -> int:
        return (self.source != "any") + (self.target != "any")


@dataclass(frozen=True)
class CaseMapping:
    version: str
    rows: dict[str, tuple[MappingRow, ...]]  # key -> rows, conditioned rows first
    path: str

    def label(self, event) -> str | None:
        """The CASE label of an event, or None when the mapping gives none."""
        code = event.cameo
        for n in range(len(code), 1, -1):
            for row in self.rows.get(code[:n], ()):
                if row.source == "state" and not is_state(event.source.actor):
                    continue
                if row.source == "nonstate" and is_state(event.source.actor):
                    continue
                if row.target == "civilian" and (event.target.actor.role or "") not in CIVILIAN_ROLES:
                    continue
                return None if row.label == NO_LABEL else row.label
        return None


    def label_for_code(self, code: str) -> str | None:
        """The label a code takes when its actors are unknown (rows without conditions only)."""
        for n in range(len(code), 1, -1):
            for row in self.rows.get(code[:n], ()):
                if row.conditions:
                    continue
                return None if row.label == NO_LABEL else row.label
        return None


def trigger_label(doc, coder, mapping: CaseMapping) -> tuple[str, str, str] | None:
    """The label of a snippet's event trigger when no event with two actors was coded: CASE
    snippets often name only victims or a place ("Police fired tear gas at protesters"). The
    first verb (then event noun) with a lexicon code and a mapped label decides; returns (label,
    code, trigger text)."""
    for tok in doc:
        if tok.pos_ == "VERB":
            m = coder.lexicon.match(tok)
            if m is not None and m.code and not m.code.startswith("-"):
                lab = mapping.label_for_code(m.code)
                if lab is not None:
                    return lab, m.code, tok.text
    for tok in doc:
        if tok.pos_ in ("NOUN", "PROPN"):
            entry = coder._noun_entry(tok)
            if entry is not None:
                lab = mapping.label_for_code(entry.code)
                if lab is not None:
                    return lab, entry.code, tok.text
    return None


def is_state(actor) -> bool:
    """A state actor: a state role, or a bare country code (the country acting as a whole)."""
    if actor.role in STATE_ROLES:
        return True
    return not actor.role and actor.kind == "country"


def read_mapping(path: str | Path | None = None) -> CaseMapping:
    """Read and check a mapping file; errors name the file and line."""
    p = Path(path) if path else data_path(MAPPING_FILE)
    version = None
    rows: dict[str, list[MappingRow]] = {}
    header_seen = False
    seen: set[tuple[str, str, str]] = set()
    with open(p, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            if line.startswith("#"):
                words = line.lstrip("# ").split()
                if len(words) == 2 and words[0].lower() == "version":
                    version = words[1]
                continue
            cells = [c.strip() for c in line.split("\t")]
            if not header_seen:
                if cells != _COLUMNS:
                    raise ValueError(f"{p}:{lineno}: header must be {' '.join(_COLUMNS)!r} (tab-separated)")
                header_seen = True
                continue
            if len(cells) != len(_COLUMNS):
                raise ValueError(f"{p}:{lineno}: expected {len(_COLUMNS)} tab-separated fields, found {len(cells)}")
            key, source, target, label = cells
            if not (key.isdigit() and 2 <= len(key) <= 4):
                raise ValueError(f"{p}:{lineno}: key {key!r} is not a CAMEO code or prefix (2-4 digits)")
            if source not in ("any", "state", "nonstate"):
                raise ValueError(f"{p}:{lineno}: source must be any, state or nonstate, not {source!r}")
            if target not in ("any", "civilian"):
                raise ValueError(f"{p}:{lineno}: target must be any or civilian, not {target!r}")
            if label != NO_LABEL and label not in CASE_LABELS:
                raise ValueError(f"{p}:{lineno}: unknown CASE 2021 label {label!r}")
            if (key, source, target) in seen:
                raise ValueError(f"{p}:{lineno}: duplicate row for {key} {source} {target}")
            seen.add((key, source, target))
            rows.setdefault(key, []).append(MappingRow(key, source, target, label, lineno))
    if not header_seen:
        raise ValueError(f"{p}: no header line")
    if version is None:
        raise ValueError(f"{p}: no '# version N' comment")
    ordered = {k: tuple(sorted(v, key=lambda r: (-r.conditions, r.line))) for k, v in rows.items()}
    return CaseMapping(version, ordered, str(p))


@functools.lru_cache(maxsize=2)
def default_mapping() -> CaseMapping:
    return read_mapping()


def read_snippets(path: Path) -> list[tuple[str, str, str]]:
    """(id, snippet, label) rows of a CASE 2021 task 2 TSV (header ``id EventSnippet SubType``)."""
    out = []
    csv.field_size_limit(10_000_000)
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if not header or [h.strip() for h in header[:3]] != ["id", "EventSnippet", "SubType"]:
            raise ValueError(f"{path}: expected the header 'id<TAB>EventSnippet<TAB>SubType'")
        for lineno, row in enumerate(reader, 2):
            if not row or not any(c.strip() for c in row):
                continue
            if len(row) < 3:
                raise ValueError(f"{path}:{lineno}: expected 3 tab-separated fields")
            out.append((row[0].strip(), row[1].strip(), row[2].strip()))
    return out


def classify(events: list, mapping: CaseMapping) -> tuple[str, Any | None]:
    """The snippet's label and the event that gave it (None when the fallback applies)."""
    best = None
    best_label = None
    for e in events:
        lab = mapping.label(e)
        if lab is None:
            continue
        if best is None or e.confidence > best.confidence:
            best, best_label = e, lab
    return (best_label, best) if best is not None else (FALLBACK, None)


@register(
    "case2021",
    description="CASE 2021 task 2 snippets classified through the written CAMEO->CASE mapping: micro/macro-F1.",
    corpus="case2021-task2",
)
def run(data: Path, limit: int | None, pipeline_factory) -> SuiteResult:
    from newsevents.model import Article

    path = data if data.is_file() else data / TEST_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist")
    rows = read_snippets(path)
    if limit:
        rows = rows[:limit]
    mapping = default_mapping()
    pipe = pipeline_factory()
    articles = [Article(text=" ".join(text.split()), id=f"case-{rid}") for rid, text, _ in rows]
    gold: list[str] = []
    pred: list[str] = []
    items: list[dict[str, Any]] = []
    with_event = 0
    triggered = 0
    for (rid, text, label), ann in progress(zip(rows, pipe.annotate_many(articles)), len(rows), "case2021"):
        p, ev = classify(ann.events, mapping)
        trig = None
        if ev is None:
            doc = pipe.nlp(ann.article.text)
            trig = trigger_label(doc, pipe.coder, mapping)
            if trig is not None:
                p = trig[0]
                triggered += 1
        gold.append(label)
        pred.append(p)
        with_event += bool(ann.events)
        items.append({
            "id": rid, "text": text, "gold": label, "predicted": p, "correct": p == label,
            "fallback": ev is None and trig is None,
            "trigger": None if trig is None else {"label": trig[0], "cameo": trig[1], "word": trig[2]},
            "by_event": None if ev is None else {"cameo": ev.cameo, "source": ev.source.actor.code,
                                                 "target": ev.target.actor.code, "predicate": ev.predicate.text,
                                                 "confidence": round(ev.confidence, 3)},
            "events": [{"cameo": e.cameo, "source": e.source.actor.code, "target": e.target.actor.code,
                        "label": mapping.label(e)} for e in ann.events],
        })
    per = per_label_prf(gold, pred)
    macro = sum(x.f1 for x in per.values()) / len(per) if per else 0.0
    fallback = sum(1 for it in items if it["fallback"])
    res = SuiteResult("case2021")
    res.metrics = {
        "micro_f1": accuracy(gold, pred),
        "macro_f1": macro,
        "fallback_rate": ratio(fallback, len(rows)),
        "accuracy_when_mapped": ratio(sum(it["correct"] for it in items if not it["fallback"]), len(rows) - fallback),
        "snippets": len(rows),
    }
    gn, pn = Counter(gold), Counter(pred)
    res.headers = ["label", "gold", "predicted", "TP", "P", "R", "F1"]
    for lab in sorted(per, key=lambda x: (-gn[x], x)):
        x = per[lab]
        res.table.append([lab, gn[lab], pn[lab], x.tp, round(x.precision, 3), round(x.recall, 3), round(x.f1, 3)])
    matrix = confusion_matrix(gold, pred)
    res.tables.append(Table("Top confusions (gold -> predicted)", ["gold", "predicted", "snippets"],
                            [list(c) for c in top_confusions(matrix, 12)]))
    res.items = items
    res.extra = {"confusion_matrix": matrix, "mapping_version": mapping.version, "mapping": mapping.path}
    res.notes += [
        f"Mapping data/{MAPPING_FILE} version {mapping.version}; label of the highest-confidence event with "
        f"a mapped label; no such event -> {FALLBACK} ({fallback} of {len(rows)} snippets).",
        f"{with_event} of {len(rows)} snippets produced any event at all (the coder needs both a source and a "
        "target actor).",
        f"{triggered} snippets with no labelled event were classified by their trigger: the first verb (then "
        "event noun) whose lexicon code has a mapped label, actors ignored (CASE snippets often name only "
        "victims or places).",
        "Macro-F1 averages over labels present in gold or predictions; GRENADE, MOB_VIOL, PROTEST_WITH_INTER, "
        "HQ_ESTABLISHED, ORG_CRIME and the disaster labels have no CAMEO counterpart and are never predicted.",
    ]
    return res

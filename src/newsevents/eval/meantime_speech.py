"""``meantime-speech``: who speaks, on the speech and cognition events of MEANTIME (English Wikinews).

Data: the MEANTIME English corpus (default ``corpora/meantime-en``; ``--data`` takes any folder of
CAT XML files, searched recursively). Each document is rebuilt from its tokens (spaces between
tokens except before closing punctuation and inside quotation marks; the title and dateline lines
are separate paragraphs) and run through the spaCy pipeline with the document's creation time as
the publication date.

Gold: every event mention whose event instance has class SPEECH_COGNITIVE and an Arg0 participant
(HAS_PARTICIPANT with ``sem_role="Arg0"``): the Arg0 entity mention is the speaker.

Ours: the attribution in ``doc._.quotes`` whose cue covers the event mention's token. Correct when
our speaker (as written, or the mention a pronoun was resolved to) overlaps the gold Arg0 mention
or another mention of the same entity instance (MEANTIME's coreference: "he" and "Jim Press" are
one speaker).

Figures: cue recall (share of gold speech events with an attribution of ours on that cue), speaker
accuracy (of those found, the share with the right speaker; the headline), and end-to-end speaker
accuracy over all gold events; separately for verbal cues and for nominal ones ("statement",
"decision"), which this stage does not look for.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from newsevents.eval.base import SuiteResult, Table, progress, ratio, register

NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "n't", "'ll", "'re", "'ve",
                   "'d", "'m", "’s", "'"}
NO_SPACE_AFTER = {"(", "[", "{", "$"}
# Penn Treebank token forms of brackets and quotation marks
PTB_MARKS = {"``": "“", "''": "”", "-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]"}


@dataclass
class SpeechEvent:
    tokens: list[str]  # t_ids of the event mention
    speaker: list[str]  # t_ids of the Arg0 entity mention
    speaker_instance: str | None  # entity instance the Arg0 mention refers to
    pos: str
    descriptor: str


@dataclass
class MeantimeDoc:
    doc_id: str
    url: str | None
    published: date | None
    tokens: list[tuple[str, int, str]]  # (t_id, sentence, text)
    events: list[SpeechEvent] = field(default_factory=list)
    mentions_of: dict[str, list[list[str]]] = field(default_factory=dict)  # instance -> mentions' t_ids


def read_doc(path: Path) -> MeantimeDoc:
    root = ET.parse(path).getroot()
    toks = [(t.get("t_id"), int(t.get("sentence") or 0), t.text or "") for t in root.iter("token")]
    mentions: dict[str, list[str]] = {}
    mention_pos: dict[str, str] = {}
    published = None
    instances: dict[str, tuple[str, str, str]] = {}  # m_id -> (tag, class, descriptor)
    markables = root.find("Markables")
    if markables is not None:
        for el in markables:
            mid = el.get("m_id")
            anchors = [a.get("t_id") for a in el.findall("token_anchor")]
            if anchors:
                mentions[mid] = anchors
                if el.tag == "EVENT_MENTION":
                    mention_pos[mid] = el.get("pos") or ""
            elif el.tag in ("EVENT", "ENTITY"):
                instances[mid] = (el.tag, el.get("class") or el.get("ent_type") or "", el.get("TAG_DESCRIPTOR") or "")
            if el.tag == "TIMEX3" and el.get("functionInDocument") == "CREATION_TIME":
                try:
                    published = date.fromisoformat((el.get("value") or "")[:10])
                except ValueError:
                    published = None
    refers: dict[str, str] = {}
    arg0: dict[str, list[str]] = defaultdict(list)
    relations = root.find("Relations")
    if relations is not None:
        for rel in relations:
            srcs = [s.get("m_id") for s in rel.findall("source")]
            tgt = rel.find("target")
            tgt_id = tgt.get("m_id") if tgt is not None else None
            if rel.tag == "REFERS_TO" and tgt_id:
                for s in srcs:
                    refers[s] = tgt_id
            elif rel.tag == "HAS_PARTICIPANT" and rel.get("sem_role") == "Arg0" and tgt_id:
                for s in srcs:
                    arg0[s].append(tgt_id)
    d = MeantimeDoc(root.get("doc_id") or path.stem, root.get("url"), published, toks)
    for mid, inst in refers.items():
        if mid in mentions and instances.get(inst, ("", "", ""))[0] == "ENTITY":
            d.mentions_of.setdefault(inst, []).append(mentions[mid])
    for mid, pos in mention_pos.items():
        inst = refers.get(mid)
        tag, cls, desc = instances.get(inst, ("", "", "")) if inst else ("", "", "")
        if cls != "SPEECH_COGNITIVE" or not arg0.get(mid):
            continue
        spk = arg0[mid][0]
        if spk not in mentions:
            continue
        d.events.append(SpeechEvent(mentions[mid], mentions[spk], refers.get(spk), pos, desc))
    return d


def rebuild_text(tokens: list[tuple[str, int, str]]) -> tuple[str, dict[str, tuple[int, int]]]:
    """The document text from its tokens, and each token's character span in it."""
    parts: list[str] = []
    offsets: dict[str, tuple[int, int]] = {}
    pos = 0
    prev_sent: int | None = None
    prev_text = ""
    in_quote = after_open = False
    for tid, sent, text in tokens:
        text = PTB_MARKS.get(text, text)
        if prev_sent is None:
            sep = ""
        elif sent != prev_sent and prev_sent <= 1:
            sep = "\n\n"  # the title and the dateline are lines of their own
        elif text in ('"', "“", "”"):
            sep = "" if in_quote else " "  # a closing mark sticks to the word before it
        elif after_open or text in NO_SPACE_BEFORE or prev_text in NO_SPACE_AFTER:
            sep = ""
        else:
            sep = " "
        after_open = False
        if text in ('"', "“", "”"):
            in_quote = text == "“" or (text == '"' and not in_quote)
            after_open = in_quote
        parts.append(sep)
        pos += len(sep)
        offsets[tid] = (pos, pos + len(text))
        parts.append(text)
        pos += len(text)
        prev_sent, prev_text = sent, text
    return "".join(parts), offsets


def _char_spans(tids: list[str], offsets: dict[str, tuple[int, int]]) -> list[tuple[int, int]]:
    return [offsets[t] for t in tids if t in offsets]


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> bool:
    return any(min(e1, e2) > max(s1, s2) for s1, e1 in a for s2, e2 in b)


def documents(data: Path) -> list[Path]:
    files = sorted(data.rglob("*.xml")) if data.is_dir() else [data]
    if not files:
        raise FileNotFoundError(f"{data} holds no MEANTIME XML files")
    return files


@register(
    "meantime-speech",
    description="MEANTIME English: speaker of speech/cognition events (Arg0) through our quotes and attributions.",
    corpus="meantime-en",
)
def run(data: Path, limit: int | None, pipeline_factory) -> SuiteResult:
    from newsevents.nlp.quotes import find_quotes

    files = documents(data)
    if limit:
        files = files[:limit]
    docs = [read_doc(p) for p in files]
    pipe = pipeline_factory()
    nlp = pipe.nlp
    built = [rebuild_text(d.tokens) for d in docs]

    def make_docs():
        for d, (text, _) in zip(docs, built):
            doc = nlp.make_doc(text)
            doc._.published = d.published
            yield doc

    counts: dict[str, Counter] = defaultdict(Counter)
    errors: list[list[Any]] = []
    items: list[dict[str, Any]] = []
    for d, (text, offsets), doc in progress(zip(docs, built, nlp.pipe(make_docs(), batch_size=8)),
                                            len(docs), "meantime-speech"):
        if doc._.quotes is None:
            doc._.quotes = find_quotes(doc)
        cues = []
        for q in doc._.quotes:
            if q.cue is None:
                continue
            c = doc[q.cue[0]:q.cue[1]]
            spk = []
            if q.speaker is not None:
                sp = doc[q.speaker[0]:q.speaker[1]]
                spk.append((sp.start_char, sp.end_char))
            if q.actor is not None and q.actor.antecedent:
                a = doc[q.actor.antecedent[0]:q.actor.antecedent[1]]
                spk.append((a.start_char, a.end_char))
            if q.speaker_head is not None:
                h = doc[q.speaker_head]
                spk.append((h.idx, h.idx + len(h)))
            cues.append(((c.start_char, c.end_char), spk, q))
        n_found = n_right = 0
        for ev in d.events:
            cls = "verb" if ev.pos == "VERB" else "noun"
            ev_spans = _char_spans(ev.tokens, offsets)
            gold_spk = [_char_spans(ev.speaker, offsets)]
            if ev.speaker_instance:
                gold_spk += [_char_spans(m, offsets) for m in d.mentions_of.get(ev.speaker_instance, [])]
            hit = next((c for c in cues if _overlap([c[0]], ev_spans)), None)
            counts[cls]["gold"] += 1
            if hit is None:
                continue
            counts[cls]["found"] += 1
            n_found += 1
            ok = any(_overlap(hit[1], g) for g in gold_spk if g)
            counts[cls]["right"] += ok
            n_right += ok
            if not ok and len(errors) < 100:
                cue_text = text[hit[0][0]:hit[0][1]]
                ours = " / ".join(text[s:e] for s, e in hit[1][:1]) or "-"
                gold = " ".join(text[s:e] for s, e in gold_spk[0])
                errors.append([d.doc_id, cue_text, gold[:40], ours[:40]])
        items.append({"doc": d.doc_id, "url": d.url, "events": len(d.events), "found": n_found, "right": n_right})
    tot = counts["verb"] + counts["noun"]
    verb = counts["verb"]
    res = SuiteResult("meantime-speech")
    res.metrics = {
        "speaker_accuracy": ratio(tot["right"], tot["found"]),
        "cue_recall": ratio(tot["found"], tot["gold"]),
        "end_to_end_accuracy": ratio(tot["right"], tot["gold"]),
        "verb_speaker_accuracy": ratio(verb["right"], verb["found"]),
        "verb_cue_recall": ratio(verb["found"], verb["gold"]),
        "documents": len(docs), "gold_events": tot["gold"],
    }
    res.headers = ["cue", "gold events", "cue found", "cue recall", "speaker right", "speaker acc.", "end to end"]
    res.table = [
        [cls, c["gold"], c["found"], round(ratio(c["found"], c["gold"]), 3), c["right"],
         round(ratio(c["right"], c["found"]), 3), round(ratio(c["right"], c["gold"]), 3)]
        for cls, c in (("verb", counts["verb"]), ("noun", counts["noun"]), ("all", tot))
    ]
    res.tables.append(Table("Wrong speakers", ["doc", "cue", "gold Arg0", "ours"], errors))
    res.items = items
    res.notes += [
        "Gold: SPEECH_COGNITIVE event mentions with an Arg0 participant; texts rebuilt from tokens.",
        "A speaker is right when it overlaps the Arg0 mention or another mention of the same entity.",
        "Cognition events (want, plan, expect, worry) and nominal cues (statement, decision) are in the gold; "
        "this stage attributes clauses of speech and cognition verbs, so their recall is lower.",
    ]
    return res

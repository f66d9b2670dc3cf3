"""``meantime``: TIMEX3 spans and values of the time layer on MEANTIME English (Wikinews, CC BY 4.0).

MEANTIME documents come as tokens (``<token t_id sentence>``) with TIMEX3 markables anchored to
token ids. The text is rebuilt from the tokens (a space between tokens except before closing
punctuation and clitics, a newline between sentences), so gold character offsets are known
exactly; it is parsed as is with ``doc._.published`` set to the document creation time and
``doc._.times`` is scored with the same measures as ``tempeval3`` (see
:mod:`newsevents.eval.tempeval`).

Only the title, the dateline and the first four sentences carry TIMEX3 annotation in MEANTIME
(entities and events go further, for cross-document coreference), so only expressions there are
scored; the rest of the text is parsed for context. The creation time is the CREATION_TIME
TIMEX3; its tokens (the Wikinews dateline under the title) are not scored: neither gold nor
predicted expressions there count. Two documents have no CREATION_TIME and one has a malformed
value ("03-02-2009"): their date is read from the dateline (the second sentence), as SOURCE.md
suggests. TIMEX3 markables without tokens (times the annotators added for cross-document
anchoring) are not textual and are skipped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

from newsevents.eval.base import Goal, SuiteResult, register
from newsevents.eval.tempeval import GoldTimex, TimexDoc, parse_date, predict, score

# MEANTIME annotates TIMEX3 (and signals, values) only in the title, the dateline and the first
# four sentences of the body (sentences 0-5); entities and events go further for cross-document
# coreference. Expressions beyond are neither gold nor counted against us.
ANNOTATED_SENTENCES = 6
NO_SPACE_BEFORE = {",", ".", ":", ";", "!", "?", ")", "]", "}", "%", "'s", "n't", "'re", "'ve", "'ll", "'d", "'m",
                   "’s", "''", "'"}
NO_SPACE_AFTER = {"(", "[", "{", "$", "``", "#"}


def read_meantime(path: Path) -> TimexDoc:
    """A MEANTIME CAT XML document as raw text, creation date and gold TIMEX3 extents."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise ValueError(f"{path}: not well-formed XML ({exc})") from None
    tokens = [(t.get("t_id"), int(t.get("sentence", "0")), t.text or "") for t in root.iter("token")]
    if not tokens:
        raise ValueError(f"{path}: no <token> elements (not a MEANTIME CAT document?)")
    pieces: list[str] = []
    offsets: dict[str, tuple[int, int]] = {}
    pos = 0
    prev_sent: int | None = None
    no_space_next = False
    in_quote = False
    for tid, sent, text in tokens:
        closing = text == '"' and in_quote
        if prev_sent is not None:
            if sent != prev_sent:
                sep = "\n"
            elif no_space_next or text in NO_SPACE_BEFORE or closing:
                sep = ""
            else:
                sep = " "
            pieces.append(sep)
            pos += len(sep)
        offsets[tid] = (pos, pos + len(text))
        pieces.append(text)
        pos += len(text)
        if text == '"':
            in_quote = not in_quote
        no_space_next = text in NO_SPACE_AFTER or (text == '"' and in_quote)
        prev_sent = sent
    raw = "".join(pieces)
    dct: date | None = None
    ignore: list[tuple[int, int]] = []
    timexes: list[GoldTimex] = []
    for tx in root.iter("TIMEX3"):
        anchors = [a.get("t_id") for a in tx.findall("token_anchor") if a.get("t_id") in offsets]
        if tx.get("functionInDocument") == "CREATION_TIME":
            dct = parse_date(tx.get("value"))
            if anchors:
                ignore.append((offsets[anchors[0]][0], offsets[anchors[-1]][1]))
            continue
        if not anchors:
            continue
        s = min(offsets[a][0] for a in anchors)
        e = max(offsets[a][1] for a in anchors)
        timexes.append(GoldTimex(s, e, raw[s:e], tx.get("type", "DATE"), tx.get("value", ""), tx.get("mod")))
    if dct is None:
        line = [offsets[tid] for tid, sent, _ in tokens if sent == 1]
        if line:
            s, e = line[0][0], line[-1][1]
            dct = _dateline(raw[s:e])
            ignore.append((s, e))
            timexes = [g for g in timexes if not (g.start >= s and g.end <= e)]  # the dateline is the DCT
    rest = [offsets[tid][0] for tid, sent, _ in tokens if sent >= ANNOTATED_SENTENCES]
    if rest:
        ignore.append((rest[0], len(raw)))
    doc_id = root.get("doc_id") or path.stem
    timexes.sort(key=lambda g: (g.start, g.end))
    return TimexDoc(str(doc_id), raw, dct, timexes, ignore)


def _dateline(line: str) -> date | None:
    """The date written under a Wikinews title ("March 3, 2009")."""
    from newsevents.coding.dates import normalize_timex

    v = normalize_timex(line, None)
    if v and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v[0]):
        return date.fromisoformat(v[0])
    return None


def meantime_files(data: Path) -> list[Path]:
    if data.is_file():
        return [data]
    files = sorted(data.rglob("*.xml"))
    files = [f for f in files if f.name != "MEANTIME_NWR.xsd"]
    if not files:
        raise FileNotFoundError(f"{data} holds no MEANTIME .xml documents")
    return files


@register(
    "meantime",
    description="MEANTIME English (Wikinews): TIMEX3 span F1 and value accuracy of the time layer given the DCT.",
    corpus="meantime-en",
    goals=[Goal("date_value_accuracy", ">=", 0.85)],
)
def run(data: Path, limit: int | None, pipeline_factory) -> SuiteResult:
    files = meantime_files(data)
    if limit:
        files = files[:limit]
    docs = [read_meantime(f) for f in files]
    preds, parsed = predict(docs, pipeline_factory, "meantime")
    res = score("meantime", docs, preds, parsed)
    res.notes += [
        "Text rebuilt from MEANTIME tokens; the dateline (the DCT's own tokens) is not scored; TIMEX3 without "
        "tokens are skipped. Value accuracy is over relaxed span matches.",
        f"Only sentences 0-{ANNOTATED_SENTENCES - 1} (title, dateline, first four sentences) carry TIMEX3 "
        "annotation; expressions after them are not scored.",
    ]
    return res

"""The article text cut into segments for the article page, each with the annotations covering it.

Annotations overlap (an actor inside a quote inside an event's evidence sentence), so the text is
cut at every annotation boundary and each piece lists what covers it: the template renders one
``<span>`` per piece (text escaped like everything else), with a class per annotation kind, the
event roles it plays (``data-ev="ev-1:e ev-1:s"``: evidence, source, target, predicate) for the
click-to-highlight script, and a short label on the piece where an annotation ends.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

# kind -> (css class, legend name); the order is the legend's
KINDS = {
    "actor": ("a-actor", "actor"),
    "predicate": ("a-pred", "event predicate"),
    "time": ("a-time", "date or time"),
    "place": ("a-place", "place"),
    "quote": ("a-quote", "quote"),
}
ROLES = {"e": "evidence", "s": "source", "t": "target", "p": "predicate"}


@dataclass
class Span:
    start: int
    end: int
    kind: str | None = None  # one of KINDS, or None for an event role only
    label: str = ""  # shown after the span when labels are on
    title: str = ""  # tooltip
    ev: str = ""  # "event-id:role" for event spans


@dataclass
class Segment:
    text: str
    start: int
    classes: list[str] = field(default_factory=list)
    ev: list[str] = field(default_factory=list)
    label: str = ""
    title: str = ""
    hl: bool = False  # part of the highlighted event's evidence
    hl_roles: list[str] = field(default_factory=list)  # source/target/predicate of that event
    open_bracket: bool = False
    close_bracket: bool = False

    @property
    def css(self) -> str:
        cls = list(self.classes)
        if self.hl:
            cls.append("hl")
        cls += [f"hl-{r}" for r in self.hl_roles]
        return " ".join(cls)


def _valid(s: Any, e: Any, n: int) -> tuple[int, int] | None:
    try:
        s, e = int(s), int(e)
    except (TypeError, ValueError):
        return None
    s, e = max(0, s), min(n, e)
    return (s, e) if s < e else None


def spans_from_layers(text: str, events: Iterable[dict], mentions: Iterable[dict], quotes: Iterable[dict],
                      places: Iterable[dict], times: Iterable[dict]) -> list[Span]:
    """Every annotation of an article as spans (layers as :func:`newsevents.web.queries.article`
    gives them, rows as dicts; events as event JSON dicts)."""
    n = len(text)
    out: list[Span] = []

    def add(s, e, **kw) -> None:
        r = _valid(s, e, n)
        if r:
            out.append(Span(r[0], r[1], **kw))

    for m in mentions:
        code = m.get("code") or ""
        add(m.get("start_char"), m.get("end_char"), kind="actor", label=code,
            title=f"actor {code}" + (f" ({m['name']})" if m.get("name") else ""))
    for t in times:
        add(t.get("start_char"), t.get("end_char"), kind="time", label=t.get("value") or "",
            title=f"{(t.get('type') or 'time').lower()} {t.get('value') or ''}".strip())
    for p in places:
        where = ", ".join(x for x in (p.get("name"), p.get("country")) if x)
        add(p.get("start_char"), p.get("end_char"), kind="place", label=p.get("country") or "place",
            title="place" + (f" {where}" if where else ""))
    for q in quotes:
        who = q.get("speaker_name") or q.get("speaker_text") or ""
        add(q.get("start_char"), q.get("end_char"), kind="quote", label="quote" + (f": {who}" if who else ""),
            title="quote" + (f" by {who}" if who else ""))
    for ev in events:
        eid = ev.get("id") or ""
        evid = ev.get("evidence") or {}
        add(evid.get("start"), evid.get("end"), ev=f"{eid}:e")
        pred = ev.get("predicate") or {}
        add(pred.get("start"), pred.get("end"), kind="predicate", label=ev.get("cameo") or "",
            title=f"event {ev.get('cameo') or ''} {ev.get('cameo_label') or ''}".strip(), ev=f"{eid}:p")
        for side, role in (("source", "s"), ("target", "t")):
            a = ev.get(side) or {}
            add(a.get("start"), a.get("end"), ev=f"{eid}:{role}")
    return out


def segments(text: str, spans: list[Span], highlight: str | None = None) -> list[Segment]:
    """The text cut at every span boundary; ``highlight`` (an event id) marks that event's spans."""
    n = len(text)
    bounds = sorted({0, n} | {s.start for s in spans} | {s.end for s in spans})
    opens: dict[int, list[int]] = {}
    closes: dict[int, list[int]] = {}
    for i, s in enumerate(spans):
        opens.setdefault(s.start, []).append(i)
        closes.setdefault(s.end, []).append(i)
    active: set[int] = set()
    out: list[Segment] = []
    for a, b in pairwise(bounds):
        for i in closes.get(a, ()):
            active.discard(i)
        for i in opens.get(a, ()):
            active.add(i)
        seg = Segment(text=text[a:b], start=a)
        kinds = set()
        titles = []
        labels = []
        for i in sorted(active, key=lambda i: (spans[i].start, -spans[i].end)):
            sp = spans[i]
            if sp.kind:
                kinds.add(sp.kind)
                if sp.title and sp.title not in titles:
                    titles.append(sp.title)
                if sp.end == b and sp.label and sp.label not in labels:
                    labels.append(sp.label)
            if sp.ev:
                seg.ev.append(sp.ev)
        seg.classes = [KINDS[k][0] for k in KINDS if k in kinds]
        seg.title = "; ".join(titles)
        seg.label = " · ".join(labels)
        out.append(seg)
    if highlight:
        mark(out, highlight)
    return out


def mark(segs: list[Segment], event_id: str) -> bool:
    """Mark one event's evidence (and its source, target and predicate) in ``segs``; False when
    the event has no spans here."""
    hit = [s for s in segs if f"{event_id}:e" in s.ev]
    hit_ids = {id(s) for s in hit}
    for s in segs:
        s.hl = id(s) in hit_ids
        s.hl_roles = [ROLES[r] for r in ("s", "t", "p") if f"{event_id}:{r}" in s.ev]
        s.open_bracket = s.close_bracket = False
    if hit:
        hit[0].open_bracket = True
        hit[-1].close_bracket = True
    return bool(hit)

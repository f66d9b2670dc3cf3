"""The time component: find temporal expressions and normalise them against the publication date.

``newsevents_times`` starts from spaCy's DATE and TIME entities and refines them by rules into
TimeML-style TIMEX3 extents:

- signal words are cut off and kept as ``signal`` ("since November" -> "November", signal
  "since"); the bound they put on the period is kept as ``bound`` ("since" -> ``start``, "by" ->
  ``end``, "before" / "after");
- trailing words that are not temporal are cut ("January 1 Noto Earthquake" -> "January 1"),
  possessive "'s" and punctuation dropped; ages ("65-year-old") dropped;
- ranges become one expression with the range value and its endpoints as ``parts``
  ("between 1977 and 1983" -> "1977 and 1983", value ``1977/1983``; "the 2017-2021 term" ->
  "2017-2021", ``2017/2021``); coordinated dates that are not a range are split ("Monday and
  Tuesday");
- a few expressions the entity recogniser misses are added from single tokens ("now",
  "recently", "currently", a weekday, "the future", "daily", a year after "in"/"since"/"by").

Each expression is normalised with :func:`newsevents.coding.dates.resolve_timex` in the direction
its clause looks (:func:`clause_direction`): forward for will/shall/'ll, "going to", would/may/
should, a complement of plan/expect/seek, "scheduled for", a present-tense event verb ("talks
begin Tuesday"); back for a past tense or a perfect or after "since"; unknown otherwise (then a
date without a year is the nearest such date, a weekday the past one). So "an election in
September" written in February is next September, "elected in September" last September.
Anaphoric expressions ("a year earlier", "that day", "two years later", "the year-ago quarter")
are resolved against the calendar expression before them (``anchored=True``), not against the
publication date.

Expressions with no calendar value are kept with TimeML's values (``PRESENT_REF`` for "now",
``PAST_REF`` for "in recent years", ``FUTURE_REF``, durations ``P2Y``, sets ``P1W``); entity
spans whose value cannot be resolved at all are kept with ``value=None`` (rule-found ones are
dropped). Events are dated only by calendar values (:attr:`TimeSpan.calendar`): see
:func:`event_time`.

Output: ``doc._.times``, a list of :class:`TimeSpan` in text order. Set ``doc._.published`` (a
``datetime.date``) before the pipeline runs; without it relative expressions keep ``value=None``
(absolute ones such as "October 2025" still resolve). Cost: the entities, the tokens found on
arrays of LOWER/SHAPE, a few regular expressions per expression (results cached); dateparser is
consulted only for date-like strings the rules cannot read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable

from spacy.attrs import LOWER, SHAPE
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsevents.coding.dates import MONTHS, WEEKDAYS, Timex, resolve_timex, value_start
from newsevents.model import TimeRef

for _name in ("published", "times"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

TIME_LABELS = frozenset({"DATE", "TIME"})
# Prepositions before a time and the bound they put on the situation's period.
SIGNALS = {
    "since": "start", "from": "start", "starting": "start", "beginning": "start", "after": "after",
    "by": "end", "until": "end", "till": "end", "til": "end", "through": "end", "thru": "end", "before": "before",
    "between": None, "in": None, "on": None, "at": None, "during": None, "for": None, "within": None,
    "over": None, "throughout": None, "of": None, "to": "end", "as": None, "ahead": "before", "around": None,
}
LEADING_SIGNALS = frozenset(SIGNALS) - {"around", "over", "within", "of", "as"}
RANGE_WORDS = frozenset({"-", "–", "—", "to", "through", "thru", "until", "till", "and"})
UNIT_WORDS = frozenset({
    "second", "minute", "hour", "day", "night", "week", "weekend", "fortnight", "month", "quarter", "year",
    "decade", "century", "millennium", "season", "semester", "term", "period", "time", "times", "moment",
    "era", "age", "anniversary", "past", "future", "present", "spring", "summer", "fall", "autumn", "winter",
    "morning", "afternoon", "evening", "tonight", "noon", "midnight", "midday", "overnight", "dawn", "dusk",
    "today", "yesterday", "tomorrow", "now", "ago", "earlier", "later", "before", "after", "old", "year-end",
    "yearend", "holiday", "holidays", "christmas", "easter", "ramadan", "thanksgiving", "eve", "a.m.", "p.m.",
    "am", "pm", "est", "edt", "gmt", "utc", "pst", "pdt", "cst", "cdt", "o'clock", "recently", "currently",
    "s", "'s", "nineties", "eighties", "seventies", "sixties", "fifties", "forties", "thirties", "twenties",
    "half", "beginning", "end", "middle", "start", "close", "run", "course",
}) | {u + "s" for u in ("second", "minute", "hour", "day", "night", "week", "weekend", "month", "quarter", "year",
                        "decade", "centurie", "season", "time", "moment", "holiday")} | {"centuries"}
MONTH_WORDS = frozenset(MONTHS) | frozenset(m + "." for m in MONTHS)
WEEKDAY_WORDS = frozenset(WEEKDAYS) | frozenset(w + "s" for w in WEEKDAYS)
# Single tokens that are temporal expressions by themselves when the entity recogniser misses them.
SOLO_TRIGGERS = frozenset({
    "now", "currently", "recently", "lately", "nowadays", "presently", "today", "tonight", "yesterday",
    "tomorrow", "overnight", "daily", "weekly", "monthly", "annually", "yearly", "quarterly", "hourly", "nightly",
})
FREQ_ADJECTIVES = frozenset({"daily", "weekly", "monthly", "annual", "annually", "yearly", "quarterly", "hourly",
                             "nightly", "biweekly", "semiannual"})
POSSESSIVE = frozenset({"'s", "'", "’s", "’"})
# Words in front of an entity that TimeML leaves out of the expression.
LEADING_DROP = frozenset({"just", "only", "barely", "both", "even", "still", "already", "sometime", "since", "as",
                          "and", "or", "but", "also", "then", "until", "till"})
LEADING_KEEP = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our",
                          "each", "every", "last", "next", "past", "early", "late", "mid", "fiscal", "same"})
SPLIT_VERBS = frozenset({"ended", "ending", "ends", "end", "beginning", "begins", "began", "starting", "started"})
DAY_PART_WORDS = frozenset({"morning", "afternoon", "evening", "night", "nights", "mornings", "evenings"})
PERIOD_NOUNS = frozenset({"period", "quarter", "date", "months", "month", "year", "week"})
_WEEKDAY_RX = re.compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
_MONTHDAY_RX = re.compile(r"\b(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?\s+\d{1,2}\b", re.I)
_DAYISH = re.compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow|"
                     r"tonight)\b|\b(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?\s+\d{1,2}\b"
                     r"|\b\d{1,2}\s+(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b", re.I)
_CLOCKISH = re.compile(r"\d\s*(?:a\.?m\.?|p\.?m\.?|o'clock)|\b\d{1,2}:\d\d\b|\b(?:noon|midnight|midday|morning|"
                       r"afternoon|evening|night|mid-?afternoon|mid-?morning)\b", re.I)
# Words that make a clause look forward.
FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo", "ll"})
# "would" (the future of a past report), "should", "might", "may"; not "could", which is as often a
# past ability ("could not be located Wednesday"), nor "'d" (also "had")
CONDITIONAL_AUX = frozenset({"would", "might", "may", "should"})
FUTURE_LEMMAS = frozenset({
    "plan", "schedule", "expect", "intend", "aim", "hope", "want", "seek", "set", "due", "prepare", "promise",
    "vow", "pledge", "threaten", "agree", "decide", "propose", "try", "wish", "need", "slate", "hold", "announce",
    "forecast", "predict", "project", "anticipate", "estimate", "target", "call",
})
FUTURE_PASSIVES = frozenset({"schedule", "set", "slate", "expect", "due", "plan", "poise"})
FUTURE_WORDS = frozenset({"upcoming", "forthcoming", "next", "coming", "ahead", "due"})
REPORTING_LEMMAS = frozenset({"say", "tell", "report", "state", "claim", "add", "announce", "note", "write", "argue",
                              "insist", "confirm", "deny", "admit", "explain", "warn", "suggest", "think", "believe"})
_AGE = re.compile(r"\b(?:years?|months?|weeks?|days?)[\s-]+old\b|^aged?\b|^ages\b", re.I)
_HAS_ANCHOR = re.compile(r"\d|\b(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + "|"
                         + "|".join(WEEKDAYS) + r")\b", re.I)


@dataclass
class TimePart:
    """One endpoint of a range ("1977" of "between 1977 and 1983")."""

    start_char: int
    end_char: int
    text: str
    value: str | None


@dataclass
class TimeSpan:
    """A temporal expression in token coordinates (internal to the NLP and coding stages).

    ``start``/``end``: token indices (end exclusive) of the TimeML extent, signal words excluded.
    ``value``/``precision``/``type``/``mod``: the normalised TIMEX3 reading (``value`` None when
    no reading was found). ``signal``: the preposition before it ("since", "by" ...), ``bound``:
    what the signal says about the period (``start``, ``end``, ``before``, ``after``).
    ``future``: the clause looks forward (bare months and weekdays were resolved forward).
    ``parts``: the endpoints of a range.
    """

    start: int
    end: int
    start_char: int
    end_char: int
    text: str
    value: str | None
    precision: str
    type: str = "DATE"
    mod: str | None = None
    signal: str | None = None
    bound: str | None = None
    future: bool = False
    parts: tuple[TimePart, ...] = ()
    sentence_start: int = 0  # token index where the sentence starts
    via: str = "ner"  # ner (an entity refined by rules) or rule (found by a rule)
    root: int = -1  # token index of the syntactic head of the expression
    anchored: bool = False  # resolved against an earlier expression ("a year earlier"), not publication

    @property
    def calendar(self) -> bool:
        """Whether the value is a place on the calendar (what an event can be dated by)."""
        return self.value is not None and self.type in ("DATE", "TIME") and value_start(self.value) is not None

    def span(self, doc: Doc) -> Span:
        return doc[self.start : self.end]

    def to_timeref(self) -> TimeRef:
        """The model's :class:`TimeRef` (character offsets into the text the Doc was built from;
        an unresolved value becomes "", as TimeRef.value is a string)."""
        return TimeRef(self.text, self.start_char, self.end_char, self.value or "", self.precision, self.type)

    def to_dict(self) -> dict:
        return {
            "text": self.text, "start": self.start_char, "end": self.end_char, "value": self.value,
            "precision": self.precision, "type": self.type, "mod": self.mod, "signal": self.signal,
            "bound": self.bound, "future": self.future, "anchored": self.anchored,
            "parts": [{"text": p.text, "start": p.start_char, "end": p.end_char, "value": p.value} for p in self.parts],
        }


@dataclass
class _Cand:
    start: int
    end: int
    via: str
    label: str = "DATE"
    signal: str | None = None
    parts: list[tuple[int, int]] = field(default_factory=list)
    range: bool = False


class TimeTagger:
    """spaCy component: ``doc._.times`` from DATE/TIME entities and a few token rules."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.times = find_times(doc, doc._.published)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory(
    "newsevents_times",
    requires=["doc.ents", "token.dep", "token.tag", "token.head"],
    assigns=["doc._.times"],
    default_config={},
)
def make_time_tagger(nlp: Language, name: str) -> TimeTagger:
    """Create the time component (no settings).

    Put it after ``ner``. Set ``doc._.published`` (a ``datetime.date``) before the pipeline runs so
    relative expressions ("last month", "Tuesday") resolve; returns the Doc with ``doc._.times``
    (a list of :class:`TimeSpan`).
    """
    return TimeTagger()


# -- finding --------------------------------------------------------------------------------------


def find_times(doc: Doc, published: date | None) -> list[TimeSpan]:
    """Temporal expressions of ``doc`` normalised against ``published``, in text order."""
    cands: list[_Cand] = []
    covered: set[int] = set()
    for ent in doc.ents:
        if ent.label_ not in TIME_LABELS:
            continue
        cands.extend(_refine(doc, ent.start, ent.end, ent.label_))
        covered.update(range(ent.start, ent.end))
    cands.extend(_token_candidates(doc, covered))
    if not cands:
        return []
    cands.sort(key=lambda c: (c.start, -c.end))
    cands = _merge(doc, cands)
    for c in cands:
        _extend(doc, c)
    return resolve_candidates(doc, cands, published)


def resolve_candidates(doc: Doc, cands: list[_Cand], published: date | None) -> list[TimeSpan]:
    """Normalise extents in text order, each anaphoric one against the calendar value before it."""
    out: list[TimeSpan] = []
    anchor: str | None = None  # the last calendar value: the reference of "a year earlier", "that day"
    period: tuple[int, str] | None = None  # (sentence number, value) of the last quarter or half named
    sents = doc.has_annotation("SENT_START")
    sent_no, last_sent = -1, -1
    for c in cands:
        sent_start = doc[c.start].sent.start if sents else 0
        if sent_start != last_sent:
            sent_no, last_sent = sent_no + 1, sent_start
        per = period[1] if period and sent_no - period[0] <= 1 else None
        ts = _normalise(doc, c, published, anchor, per, sent_start)
        if ts is None:
            continue
        out.append(ts)
        if ts.calendar and ts.precision != "range":
            # A look back from the reference ("a year earlier") is a comparison with it, not a new
            # reference: the next "a year earlier" means the same time. Looks forward ("two years
            # later") move the story on.
            if not (ts.anchored and anchor and (value_start(ts.value) or date.max) < (value_start(anchor) or date.min)):
                anchor = ts.value
            if ts.precision in ("quarter", "half") and not ts.anchored:
                period = (sent_no, ts.value)
    return out


def times_for_extents(doc: Doc, extents: Iterable[tuple[int, int]], published: date | None) -> list[TimeSpan]:
    """The time layer's reading of given token extents (e.g. gold ones), with the same context rules."""
    cands = [_Cand(s, e, "ner", "DATE", _signal_before(doc, s)) for s, e in sorted(extents)]
    return resolve_candidates(doc, cands, published)


def _is_temporal_token(tok: Token) -> bool:
    low = tok.lower_
    return (
        tok.like_num or low in UNIT_WORDS or low in MONTH_WORDS or low in WEEKDAY_WORDS or low in SOLO_TRIGGERS
        or low[:1].isdigit() or low.rstrip("s") in UNIT_WORDS or ("-" in low and any(
            p in UNIT_WORDS or p.rstrip("s") in UNIT_WORDS for p in low.split("-")))
    )


def _refine(doc: Doc, s: int, e: int, label: str) -> list[_Cand]:
    """TimeML extents from an entity's token range: cut signals and non-temporal words, split."""
    while s < e and (doc[s].is_space or doc[s].is_punct):
        s += 1
    while e > s and (doc[e - 1].is_space or doc[e - 1].is_punct or doc[e - 1].lower_ in POSSESSIVE):
        e -= 1
    signal = None
    while e - s > 1 and doc[s].lower_ in LEADING_SIGNALS and doc[s].pos_ in ("ADP", "SCONJ", "ADV", "VERB"):
        signal = doc[s].lower_
        s += 1
    # words in front that are not part of the expression ("just last month", "d'etat last year")
    while e - s > 1 and (doc[s].lower_ in LEADING_DROP or (
            doc[s].pos_ in ("PROPN", "NOUN", "VERB", "X", "PRON", "CCONJ") and not _is_temporal_token(doc[s])
            and doc[s].lower_ not in LEADING_KEEP)):
        s += 1
    # cut trailing words that are not temporal ("January 1 Noto Earthquake")
    while e - s > 1 and not _is_temporal_token(doc[e - 1]):
        e -= 1
    while e > s and (doc[e - 1].is_punct or doc[e - 1].lower_ in POSSESSIVE | {"and", "or", "of", "the"}):
        e -= 1
    if e <= s:
        return []
    if signal is None:
        signal = _signal_before(doc, s)
    # "the quarter ended Sept. 30": two expressions either side of the participle
    for i in range(s + 1, e - 1):
        if doc[i].pos_ == "VERB" and doc[i].lower_ in SPLIT_VERBS:
            left = _refine(doc, s, i, label)
            right = _refine(doc, i + 1, e, label)
            if left:
                left[0].signal = left[0].signal or signal
            return left + right
    # a determiner of the noun the expression modifies ("a two day rally", "the year-ago results")
    last = doc[e - 1]
    if (e - s > 1 and doc[s].dep_ in ("det", "poss") and doc[s].head.i >= e and last.head.i >= e
            and last.dep_ in ("amod", "compound", "nmod", "nummod", "npadvmod") and doc[s].head.i == last.head.i):
        s += 1
    if e - s == 1 and re.fullmatch(r"\d+", doc[s].text) and not (len(doc[s].text) == 4 and doc[s].text[0] in "12"):
        return []  # a bare number ("Smith, 58,"): an age or a count, not a time
    if e - s == 1 and doc[s].lower_ in FREQ_ADJECTIVES and doc[s].dep_ == "amod":
        return []  # "quarterly dividend", "annual meeting": a property of the noun, not a time
    parts = _split(doc, s, e)
    if parts is None:
        return [_Cand(s, e, "ner", label, signal)]
    spans, is_range = parts
    if is_range or signal == "between":
        return [_Cand(s, e, "ner", label, signal, spans, True)]
    return [_Cand(a, b, "ner", label, signal if i == 0 else None) for i, (a, b) in enumerate(spans)]


def _split(doc: Doc, s: int, e: int) -> tuple[list[tuple[int, int]], bool] | None:
    """Endpoints of "1977 and 1983", "2017-2021", "Monday and Tuesday", "March to May 2020"."""
    for i in range(s + 1, e - 1):
        low = doc[i].lower_
        if low not in RANGE_WORDS and low not in ("or", ","):
            continue
        left, right = doc[s:i], doc[i + 1 : e]
        if not (_HAS_ANCHOR.search(left.text) and _HAS_ANCHOR.search(right.text)):
            continue
        # "March 5, 2024" is one date; "two to three weeks" one (approximate) duration
        if low == "," and re.match(r"^\d{4}\b", right.text.strip()):
            continue
        if low == "," and (_is_clock_text(left.text) or _is_clock_text(right.text)):
            continue  # "5 p.m. EST, Nov. 6" is one time
        if left[-1].like_num and not re.match(r"^\d{4}$", left[-1].text) and not any(
                t.lower_ in MONTH_WORDS for t in left):
            continue
        if low == "," and (left[-1].lower_ in WEEKDAY_WORDS or right[0].lower_ in WEEKDAY_WORDS):
            continue  # "Saturday, April 25" is one day
        is_range = low in ("-", "–", "—", "to", "through", "thru", "until", "till") or (
            low == "and" and s > 0 and doc[s - 1].lower_ == "between")
        return [(s, i), (i + 1, e)], is_range
    return None


def _is_day_text(text: str) -> bool:
    return bool(_DAYISH.search(text))


def _is_clock_text(text: str) -> bool:
    return bool(_CLOCKISH.search(text))


def _merge(doc: Doc, cands: list[_Cand]) -> list[_Cand]:
    """Join a time of day with its day ("10 p.m. Wednesday", "Thursday evening", "Saturday, April 25")."""
    out: list[_Cand] = []
    for c in cands:
        if out and not out[-1].range and not c.range:
            p = out[-1]
            if c.start < p.end:  # overlapping (a rule inside an entity): keep the first
                continue
            gap = [doc[i] for i in range(p.end, c.start)] if c.start - p.end <= 1 else None
            if gap is not None and all(t.text == "," or t.is_space for t in gap):
                a, b = doc[p.start : p.end].text, doc[c.start : c.end].text
                if ((_is_clock_text(a) and _is_day_text(b)) or (_is_day_text(a) and _is_clock_text(b))
                        or (_WEEKDAY_RX.search(a) and _MONTHDAY_RX.search(b))
                        or (_MONTHDAY_RX.search(a) and _WEEKDAY_RX.search(b) and not gap)):
                    p.end = c.end
                    p.label = "TIME" if "TIME" in (p.label, c.label) else p.label
                    p.via = "ner" if "ner" in (p.via, c.via) else "rule"
                    continue
        out.append(c)
    return out


def _extend(doc: Doc, c: _Cand) -> None:
    """Grow an extent over the words TimeML includes that the entity recogniser left out."""
    n = len(doc)
    first, last = doc[c.start], doc[c.end - 1]
    # "Thursday evening", "yesterday morning"
    if c.end < n and doc[c.end].lower_ in DAY_PART_WORDS and (last.lower_ in WEEKDAY_WORDS or last.lower_ in (
            "yesterday", "today", "tomorrow")):
        c.end += 1
    # "the weeks ahead"
    if c.end < n and doc[c.end].lower_ == "ahead" and last.lower_.endswith("s"):
        c.end += 1
    # "the 1988 period", "the year-ago quarter", "a later date"
    if c.end < n and doc[c.end].lower_ in PERIOD_NOUNS and doc[c.end - 1].head.i == c.end and not c.range:
        c.end += 1
        if c.start > 0 and doc[c.start - 1].dep_ in ("det", "poss") and doc[c.start - 1].head.i == c.end - 1:
            c.start -= 1
    # "each Thursday", "every year", "this year" left out of the entity
    if c.start > 0 and doc[c.start - 1].lower_ in {"each", "every"} | (
            {"this", "last", "next", "that", "the"} if first.lower_ in UNIT_WORDS else set()):
        c.start -= 1
    # "at least 30 days"
    if c.start > 0 and first.lower_ in ("least", "most") and doc[c.start - 1].lower_ == "at":
        c.start -= 1


_TRIGGER_WORDS = SOLO_TRIGGERS | WEEKDAY_WORDS | {"future", "past"}


def _trigger_positions(doc: Doc) -> list[int]:
    """Indices of tokens that may start a rule-found expression (found on arrays, not token objects)."""
    strings = doc.vocab.strings
    ids = {strings.add(w) for w in _TRIGGER_WORDS}
    year_shape = strings.add("dddd")
    arr = doc.to_array([LOWER, SHAPE])
    return [i for i, (low, shape) in enumerate(arr.tolist()) if low in ids or shape == year_shape]


def _token_candidates(doc: Doc, covered: set[int]) -> list[_Cand]:
    """Expressions the entity recogniser missed: single trigger words, weekdays, "the future", years."""
    out: list[_Cand] = []
    n = len(doc)
    for i in _trigger_positions(doc):
        if i in covered:
            continue
        tok = doc[i]
        low = tok.lower_
        if low in SOLO_TRIGGERS:
            if low == "now" and i + 1 < n and doc[i + 1].lower_ == "that":
                continue
            if low in FREQ_ADJECTIVES and tok.dep_ == "amod":
                continue
            out.append(_Cand(i, i + 1, "rule", "DATE", _signal_before(doc, i)))
        elif low in WEEKDAY_WORDS and tok.pos_ in ("PROPN", "NOUN"):
            out.append(_Cand(i, i + 1, "rule", "DATE", _signal_before(doc, i)))
        elif low in ("future", "past") and i > 0 and doc[i - 1].lower_ == "the" and tok.pos_ == "NOUN" and (
                i + 1 >= n or doc[i + 1].pos_ not in ("NOUN", "PROPN")) and i - 1 not in covered:
            out.append(_Cand(i - 1, i + 1, "rule", "DATE", _signal_before(doc, i - 1)))
        elif (tok.shape_ == "dddd" and 1900 <= int(tok.text) <= 2099 and i > 0
              and doc[i - 1].lower_ in ("in", "since", "by", "until", "before", "after", "from", "through")
              and not (i + 1 < n and doc[i + 1].pos_ in ("NOUN", "PROPN") and doc[i + 1].lower_ not in UNIT_WORDS)):
            out.append(_Cand(i, i + 1, "rule", "DATE", _signal_before(doc, i)))
    return out


def _signal_before(doc: Doc, i: int) -> str | None:
    j = i - 1
    while j >= 0 and doc[j].is_space:
        j -= 1
    if j >= 0 and doc[j].lower_ in SIGNALS and doc[j].pos_ in ("ADP", "SCONJ", "ADV", "VERB", "PART"):
        return doc[j].lower_
    return None


# -- normalising ----------------------------------------------------------------------------------


def _normalise(doc: Doc, c: _Cand, published: date | None, anchor: str | None, period: str | None,
               sent_start: int) -> TimeSpan | None:
    span = doc[c.start : c.end]
    text = span.text
    if _AGE.search(text):
        return None
    root = span.root
    direction = clause_direction(root, c.signal)
    if direction == 0 and c.signal in ("until", "till", "by") and _WEEKDAY_RX.search(text):
        direction = 1  # "closed until Friday": the coming one
    future = True if direction > 0 else (False if direction < 0 else None)
    parts: tuple[TimePart, ...] = ()
    if c.range:
        pvals = []
        for a, b in c.parts:
            ps = doc[a:b]
            ptx = resolve_timex(ps.text, published, future)
            pvals.append(TimePart(ps.start_char, ps.end_char, ps.text, ptx.value if ptx else None))
        # the left endpoint borrows the right one's year: "March to May 2020"
        right_year = re.search(r"\b(1\d\d\d|20\d\d)\b", pvals[-1].text)
        if right_year and not re.search(r"\b(1\d\d\d|20\d\d)\b", pvals[0].text):
            ptx = resolve_timex(f"{pvals[0].text} {right_year.group(1)}", published, future)
            if ptx:
                pvals[0].value = ptx.value
        parts = tuple(pvals)
        a, b = parts[0].value, parts[-1].value
        if a and b and a != b:
            tx = Timex(f"{a}/{b}", "range", "DATE")
        else:
            tx = resolve_timex(text, published, future, anchor, period)
    else:
        tx = resolve_timex(text, published, future, anchor, period)
        if (tx is not None and tx.type == "DURATION" and c.signal == "in" and direction > 0
                and re.match(r"^(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+\w+$", text, re.I)):
            # "will be redeemed in five years": a date five years on, not a length
            tx = resolve_timex(text + " from now", published, future) or tx
    if tx is None:
        if c.via == "rule":
            return None
        value, precision, typ, mod, anchored = None, "unknown", ("TIME" if c.label == "TIME" else "DATE"), None, False
    else:
        value, precision, typ, mod, anchored = tx.value, tx.precision, tx.type, tx.mod, tx.anchored
    return TimeSpan(
        start=c.start, end=c.end, start_char=span.start_char, end_char=span.end_char, text=text,
        value=value, precision=precision, type=typ, mod=mod, signal=c.signal,
        bound=SIGNALS.get(c.signal) if c.signal else None, future=direction > 0, parts=parts,
        sentence_start=sent_start, via=c.via, root=root.i, anchored=anchored,
    )


def governing_verb(tok: Token, max_steps: int = 6) -> Token | None:
    """The verb whose clause ``tok`` belongs to (itself when it is a verb)."""
    t = tok
    for _ in range(max_steps):
        if t.pos_ in ("VERB", "AUX") and t.dep_ != "aux":
            return t
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def clause_direction(tok: Token, signal: str | None = None) -> int:
    """Which way the clause holding ``tok`` looks from the publication date: 1 forward, -1 back, 0 unknown.

    Forward: will/shall/'ll, "going to", a modal (would, could, may ... without "have"), "scheduled
    for", "due", a to-infinitive under plan/expect/seek ..., the present tense of an event verb
    ("talks begin Tuesday"), "is holding talks on Tuesday". Back: the past tense or a perfect.
    A bound signal ("until", "by", "to") makes a past clause unknown: "was extended to Nov. 16".
    """
    if signal == "since":
        return -1  # "since November": a time already past
    if tok.dep_ == "poss":
        return 0  # "Wednesday's ruling": the noun's time, whatever the clause around it does
    v = governing_verb(tok)
    if v is None:
        # a noun phrase: "the election next month" -> look at its modifiers only
        if tok.head.i != tok.i and any(t.lower_ in FUTURE_WORDS for t in tok.head.children):
            return 1
        return 0
    for _ in range(4):
        auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
        words = {c.lower_ for c in auxes}
        if words & FUTURE_AUX:
            return 1
        if "going" in words and any(c.lower_ == "to" for c in auxes):
            return 1
        if words & CONDITIONAL_AUX and not (words & {"have", "'ve"}):
            return 1
        if v.lemma_ in FUTURE_PASSIVES and (v.tag_ == "VBN" or any(c.dep_ == "auxpass" for c in v.children)):
            return 1
        if v.lemma_ in ("due", "poise") or any(c.lower_ in ("upcoming", "forthcoming") for c in v.children):
            return 1
        # climb from an infinitive complement to its governor: "plans to hold talks in September"
        if "to" in words and v.tag_ == "VB":
            if v.head.lemma_ in FUTURE_LEMMAS or v.head.lower_ in ("due", "set", "able", "likely", "expected"):
                return 1
            if v.head.i == v.i or v.dep_ not in ("xcomp", "ccomp", "advcl", "acl", "relcl"):
                return 0
            up = governing_verb(v.head)
            if up is None or up.i == v.i:
                return 0
            v = up
            continue
        past = v.tag_ in ("VBD", "VBN") or bool(words & {"had", "did", "was", "were", "has", "have", "'ve"})
        if past:
            if words & {"had", "'d"}:
                return -1  # "until Thursday they had not ...": the past perfect is behind us
            return 0 if signal in ("until", "till", "by", "to", "through") else -1
        # present tense of an event verb (not a report or a state): "talks begin Tuesday"
        if v.tag_ in ("VBZ", "VBP") and v.lemma_ not in REPORTING_LEMMAS and v.lemma_ not in ("be", "have") and not (
                words & {"have", "has", "do", "does"}):
            return 1
        if v.tag_ == "VBG" and words & {"is", "are", "'s", "'re", "am"}:
            return 1  # "is holding talks on Tuesday" (a scheduled event)
        return 0
    return 0


def looks_forward(tok: Token) -> bool:
    """Whether the clause holding ``tok`` looks forward (so a bare month or weekday is a coming one)."""
    return clause_direction(tok) > 0


# -- choosing the time of an event -----------------------------------------------------------------


def event_time(doc: Doc, tokens_in_clause: Iterable[Token | int], predicate: Token | int | None = None
               ) -> TimeRef | None:
    """The temporal expression that governs an event's clause, or None.

    ``tokens_in_clause``: the tokens (or token indices) of the event's clause; ``predicate``: the
    event's predicate token (default: the clause token whose head lies outside the clause).
    Preference: an expression attached to the predicate (directly or through a preposition),
    then one inside the clause whose head path reaches the predicate without crossing another
    verb (the nearest to the predicate), then the sentence's leading
    adverbial ("On February 10, Trump claimed ..."; "Last month, ..."). Only calendar values count
    (not "recently", durations or sets). Returns the expression as a :class:`TimeRef`.
    """
    times: list[TimeSpan] = doc._.times or []
    if not times:
        return None
    idx = {t if isinstance(t, int) else t.i for t in tokens_in_clause}
    if not idx:
        return None
    if predicate is None:
        pred = next((doc[i] for i in sorted(idx) if doc[i].head.i not in idx or doc[i].head.i == i), doc[min(idx)])
    else:
        pred = doc[predicate] if isinstance(predicate, int) else predicate
    sent = pred.sent
    best: tuple[tuple[int, int], TimeSpan] | None = None
    for ts in times:
        if not ts.calendar or ts.start < sent.start or ts.end > sent.end:
            continue
        root = doc[ts.root] if ts.root >= 0 else doc[ts.start]
        if _attached_to(root, pred):
            rank = 0
        elif (root.i in idx and _governed_by(root, pred)) or _dates_antecedent(root, pred):
            rank = 1
        elif _leading_adverbial(doc, ts, sent):
            rank = 2
        else:
            continue
        key = (rank, abs(root.i - pred.i))
        if best is None or key < best[0]:
            best = (key, ts)
    return best[1].to_timeref() if best else None


def _attached_to(root: Token, pred: Token) -> bool:
    """``root`` modifies ``pred`` directly or as the object of a preposition on it ("met on Tuesday")."""
    h = root.head
    if h.i == pred.i and root.i != pred.i:
        return True
    if h.dep_ in ("prep", "agent") and h.head.i == pred.i:
        return True
    # a range or coordination: "between 1977 and 1983" hangs off the first endpoint
    if root.dep_ == "conj" and h.head.i == pred.i:
        return True
    return False


def _governed_by(root: Token, pred: Token) -> bool:
    """The head path from ``root`` reaches ``pred`` without passing through another verb
    ("hold a summit to resolve the abductions between 1977 and 1983": not the summit's time)."""
    t = root
    for _ in range(12):
        if t.i == pred.i:
            return True
        if t.i != root.i and t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "auxpass"):
            return False
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def _dates_antecedent(root: Token, pred: Token) -> bool:
    """``pred`` sits in a relative clause on a noun that ``root`` dates ("his 2017-2021 term, in
    which he ... defended ...")."""
    from newsevents.coding.clauses import list_continued

    t = pred
    for _ in range(4):
        if t.dep_ == "relcl":
            h = root.head
            # "his 2017-2021 term, in which ...", or the term one preposition below the noun the
            # clause hangs on ("remarks during his 2009-2013 term, in which ...")
            return h.i == t.head.i or (h.dep_ == "pobj" and h.head.head.i == t.head.i)
        if t.head.i == t.i:
            return False
        # a list the parser hung on the main verb may continue the relative clause
        rel = list_continued(t, t.head)
        if rel is None and t.dep_ != "conj":
            return False
        t = rel or t.head
    return False


def _leading_adverbial(doc: Doc, ts: TimeSpan, sent: Span) -> bool:
    """An expression opening the sentence ("On February 10, ...", "Last month, ...") before the root."""
    first = sent.start
    while first < sent.end and (doc[first].is_space or doc[first].is_punct):
        first += 1
    lead = ts.start - (1 if ts.signal else 0)
    return lead <= first + 1 and ts.start < sent.root.i


def times_of(doc: Doc) -> list[TimeRef]:
    """Every expression of ``doc._.times`` as a :class:`TimeRef` (for ``Annotation.times``)."""
    return [t.to_timeref() for t in (doc._.times or [])]

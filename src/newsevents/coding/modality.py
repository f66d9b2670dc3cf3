"""Factuality and attribution of an event's predicate: did it happen, and who says so.

Modality is one of asserted, reported, alleged, negated, hypothetical, intended, historical.
Precedence when several apply: negated > hypothetical > alleged > intended > reported >
historical > asserted (a denied event stays denied whoever reports it). Attribution
(``attributed_to``) is kept separately, so "Tokyo had reportedly not informed the US, according to
the FT" is negated *and* attributed to the FT.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

SPEECH_LEMMAS = {
    "say", "tell", "state", "report", "claim", "announce", "add", "note", "write", "insist",
    "argue", "declare", "assert", "explain", "confirm", "reveal", "disclose", "suggest", "stress",
    "emphasize", "emphasise", "acknowledge", "admit", "deny", "allege", "warn", "predict",
    "quote", "tweet", "post", "comment", "remark", "indicate", "testify", "contend", "maintain",
    "believe", "think", "fear", "hope", "expect", "estimate", "recall", "signal", "vow", "pledge",
    "promise", "threaten", "urge", "learn", "hear", "speak", "talk", "reply", "respond", "answer",
}
# Cues whose content is a claim the writer does not vouch for.
ALLEGE_LEMMAS = {"allege", "accuse", "purport", "rumor", "rumour"}
ALLEGE_ADVERBS = {"reportedly", "allegedly", "supposedly", "purportedly", "ostensibly", "apparently"}
HYPOTHETICAL_AUX = {"could", "might", "would", "may", "should", "can", "ca", "must", "'d"}
OBLIGATION_AUX = {"must", "should"}
FUTURE_AUX = {"will", "shall", "'ll", "wo"}
INTENT_LEMMAS = {
    "want", "seek", "plan", "aim", "try", "intend", "attempt", "hope", "wish", "prepare", "push",
    "strive", "endeavor", "endeavour", "mean", "expect", "consider", "propose", "decide", "vow",
    "pledge", "promise", "threaten", "offer", "agree", "work", "look", "commit", "prepare",
    "schedule", "due", "set",
}
NEGATING_LEMMAS = {"fail", "refuse", "decline", "neglect", "cease", "stop", "avoid", "deny"}
CONDITIONAL_MARKS = {"if", "unless", "whether", "lest"}
HYPOTHETICAL_WORDS = {"potential", "possible", "possibly", "hypothetical", "likely", "likelihood", "possibility"}


@dataclass
class Frame:
    """Who an event's clause is attributed to."""

    cue: Token | None  # the speech verb, or "according"
    speaker: Token | None  # head of the speaker noun phrase
    kind: str  # speech, according, quote
    alleged: bool = False


def _aux_words(tok: Token) -> set[str]:
    return {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}


NEGATIVE_SUBJECTS = {"none", "nobody", "nothing", "noone", "no-one", "neither"}


def is_negated(tok: Token) -> bool:
    """A negation on the predicate or its auxiliaries, a negative subject ("no troops were
    harmed"), or a governing "fail/refuse to"."""
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    if any(c.lower_ in ("never", "no longer") and c.dep_ in ("neg", "advmod") for c in tok.children):
        return True
    for c in tok.children:
        if c.dep_ in ("aux", "auxpass") and any(g.dep_ == "neg" for g in c.children):
            return True
        if c.dep_ in ("nsubj", "nsubjpass"):
            if c.lower_ in NEGATIVE_SUBJECTS or any(
                    d.dep_ == "det" and d.lower_ in ("no", "neither") for d in c.children):
                return True
    t = tok
    while t.dep_ in ("xcomp",) and t.head.i != t.i:
        t = t.head
        if any(c.dep_ == "neg" for c in t.children):
            return True
        if t.lemma_.lower() in NEGATING_LEMMAS:
            return True
    return False


def _modal_aux(tok: Token) -> set[str]:
    """Modal auxiliaries of a predicate; "'d" before a past participle is "had", not "would"."""
    aux = _aux_words(tok)
    if "'d" in aux and tok.tag_ == "VBN":
        aux.discard("'d")
    return aux


def is_hypothetical(tok: Token) -> bool:
    """Modal auxiliaries, conditional clauses, 'potential'/'possibly' qualifiers, on the predicate
    or on a clause it is a complement, conjunct or adverbial of ("Trump could upend ...,
    potentially cutting out Japan in order to strike a deal", "would be able to keep")."""
    t = tok
    for _ in range(10):
        if _modal_aux(t) & HYPOTHETICAL_AUX:
            return True
        for c in t.children:
            if c.lower_ in HYPOTHETICAL_WORDS and c.dep_ in ("amod", "advmod"):
                return True
            if c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS:
                return True
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITIONAL_MARKS for m in c.children):
                return True
        if t.dep_ in ("xcomp", "conj", "advcl", "pcomp", "acl", "pobj", "prep", "acomp") and t.head.i != t.i:
            t = t.head  # up through purpose, prepositional and adjectival phrases ("in order to strike")
            continue
        break
    return False


def is_future(tok: Token) -> bool:
    if _aux_words(tok) & FUTURE_AUX:
        return True
    # "is going to hold"
    if tok.dep_ == "xcomp" and tok.head.lower_ == "going":
        return True
    return False


def intent_governor(tok: Token) -> Token | None:
    """The want/seek/plan verb whose complement the predicate is ("Tokyo wants to hold a summit")."""
    t = tok
    while t.dep_ in ("xcomp",) and t.head.i != t.i:
        t = t.head
        if t.lemma_.lower() in INTENT_LEMMAS:
            return t
        if t.lemma_.lower() == "be" and tok.head.i == t.i:
            return t  # "is to visit": an arrangement, the intent of the subject
    # "efforts to realize a summit", "bid to": an intent noun governing the verb
    if tok.dep_ in ("acl", "relcl") and tok.head.lemma_.lower() in {"effort", "bid", "plan", "attempt", "push", "offer", "intention", "intent"}:
        return tok.head
    return None


def is_alleged(tok: Token, frame: Frame | None) -> bool:
    t = tok
    for _ in range(4):
        if any(c.lower_ in ALLEGE_ADVERBS for c in t.children if c.dep_ in ("advmod",)):
            return True
        if t.dep_ in ("xcomp", "conj", "ccomp") and t.head.i != t.i:
            t = t.head
        else:
            break
    return bool(frame and frame.alleged)


def find_frame(tok: Token, sent: Span, quotes: list[tuple[int, int]]) -> Frame | None:
    """The attribution of the clause containing ``tok``: a speech verb above it, "according to",
    or a quotation it sits in."""
    # 1. Speech verb governing the clause through a complement ("X said that ...").
    t = tok
    for _ in range(12):
        if t.head.i == t.i:
            break
        if t.dep_ in ("ccomp", "parataxis", "conj") and t.head.lemma_.lower() in SPEECH_LEMMAS and t.head.i != tok.i:
            if t.dep_ == "conj":
                t = t.head
                continue
            cue = t.head
            return Frame(cue, _subject(cue), "speech", cue.lemma_.lower() in ALLEGE_LEMMAS)
        t = t.head
    # 2. The speech verb hangs below the main clause ("Tokyo is worried, the FT said").
    root = sent.root
    if tok.i == root.i or _dominates(root, tok):
        for c in root.children:
            if c.dep_ in ("parataxis", "ccomp", "advcl") and c.lemma_.lower() in SPEECH_LEMMAS and c.i > tok.i:
                subj = _subject(c)
                if subj is not None and not _dominates(c, tok):
                    return Frame(c, subj, "speech", c.lemma_.lower() in ALLEGE_LEMMAS)
    # 3. "according to X" anywhere in the sentence.
    for t2 in sent:
        if t2.lower_ == "according":
            to = next((c for c in t2.children if c.lower_ == "to"), None)
            if to is None and t2.i + 1 < len(t2.doc) and t2.doc[t2.i + 1].lower_ == "to":
                to = t2.doc[t2.i + 1]
            if to is not None:
                pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return Frame(t2, pobj, "according")
    # 4. Inside quotation marks: the speaker of the quote.
    for qs, qe in quotes:
        if qs <= tok.idx < qe:
            cue = _quote_cue(sent, qs, qe)
            if cue is not None:
                return Frame(cue, _subject(cue), "quote")
            return Frame(None, None, "quote")
    return None


def _dominates(anc: Token, tok: Token) -> bool:
    t = tok
    for _ in range(40):
        if t.i == anc.i:
            return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def _subject(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            return c
    # "..., he added": subject may be inherited by conj
    if verb.dep_ == "conj":
        return _subject(verb.head)
    return None


def _quote_cue(sent: Span, qs: int, qe: int) -> Token | None:
    """A speech verb in the sentence outside the quotation."""
    best = None
    for t in sent:
        if qs <= t.idx < qe:
            continue
        if t.pos_ == "VERB" and t.lemma_.lower() in SPEECH_LEMMAS:
            if best is None or abs(t.idx - qs) < abs(best.idx - qs):
                best = t
    return best


OPENING = {"“", "«", "„"}
CLOSING = {"”", "»", "‟"}


def quote_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of text inside double quotation marks.

    Curly and straight quotes may be mixed (“...\" happens in copy-edited news). A quotation left
    open at a paragraph break continues if the next paragraph opens with a quote mark (the news
    convention for multi-paragraph quotes), else it is closed at the break.
    """
    text = doc.text
    spans: list[tuple[int, int]] = []
    start = None
    n = len(text)
    for m in _QUOTE_EVENTS.finditer(text):
        i = m.start()
        ch = m.group()
        if start is None:
            if ch in OPENING or (ch == '"' and (i == 0 or not text[i - 1].isalnum())):
                start = i + 1
        elif ch in CLOSING or ch == '"':
            if i > start:
                spans.append((start, i))
            start = None
        elif ch == "\n\n":
            j = i + 2
            if j < n and (text[j] in OPENING or text[j] == '"'):
                spans.append((start, i))
                start = None  # the next paragraph's opening mark reopens it
            else:
                spans.append((start, i))
                start = None
    if start is not None and n > start:
        spans.append((start, n))
    return spans


_QUOTE_EVENTS = re.compile('[“”«»„‟"]|\n\n')

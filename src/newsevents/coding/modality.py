"""Factuality of an event's predicate: did it happen? (Who says so is nlp/quotes.attribution_for.)

Modality is one of asserted, reported, alleged, negated, hypothetical, intended, historical.
Precedence when several apply: negated > hypothetical > alleged > intended > reported >
historical > asserted (a denied event stays denied whoever reports it). Attribution
(``attributed_to``) is kept separately, so "Tokyo had reportedly not informed the US, according to
the FT" is negated *and* attributed to the FT.
"""

from __future__ import annotations

from spacy.tokens import Token

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


def is_alleged(tok: Token, frame=None) -> bool:
    """"reportedly", "allegedly" on the predicate or a clause above it, or an attribution whose
    cue marks an allegation (``frame.alleged``, see :func:`newsevents.nlp.quotes.attribution_for`)."""
    t = tok
    for _ in range(4):
        if any(c.lower_ in ALLEGE_ADVERBS for c in t.children if c.dep_ in ("advmod",)):
            return True
        if t.dep_ in ("xcomp", "conj", "ccomp") and t.head.i != t.i:
            t = t.head
        else:
            break
    return bool(frame and frame.alleged)

"""Clause structure from the dependency parse: who is the subject, object and prepositional
participants of a predicate, with control (xcomp), coordination, relative clauses and passives.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

STATEMENT_NOUNS = {
    "statement", "declaration", "letter", "message", "communique", "communiqué", "resolution",
    "report", "note", "memo", "memorandum", "appeal", "petition", "ultimatum", "decree", "order",
    "tweet", "post", "speech", "address", "announcement", "warning", "notice", "motion", "bill",
}
RELATIVE_PRONOUNS = {"which", "who", "that", "whom", "whose"}
INTENT_NOUNS = {"effort", "efforts", "bid", "plan", "plans", "attempt", "attempts", "push", "offer", "intention", "decision", "move", "campaign"}


# Verbs whose prepositional object is the subject of their infinitive ("call on X to ...").
CONTROL_PREPS = {
    "call": ("on", "upon"), "appeal": ("to",), "rely": ("on",), "count": ("on",), "plead": ("with",),
    "prevail": ("on", "upon"), "wait": ("for",), "arrange": ("for",), "signal": ("to",), "press": ("for",),
}


@dataclass
class Clause:
    verb: Token
    subjects: list[Token] = field(default_factory=list)
    passive: bool = False
    agents: list[Token] = field(default_factory=list)  # "by X" in a passive
    objects: list[Token] = field(default_factory=list)
    datives: list[Token] = field(default_factory=list)
    preps: list[tuple[str, Token]] = field(default_factory=list)  # (preposition, object head)


def expand_conj(tok: Token) -> list[Token]:
    """A token and the tokens coordinated with it ("the US, Japan, and South Korea")."""
    out = [tok]
    stack = [tok]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c in out or c.pos_ not in ("NOUN", "PROPN", "PRON"):
                continue
            if c.dep_ == "conj" or (
                    # "The US, Russia, and Switzerland met": a list the parser read as an apposition
                    c.dep_ == "appos" and c.pos_ == t.pos_ == "PROPN"
                    and any(x.dep_ == "conj" for x in c.children)):
                out.append(c)
                stack.append(c)
    return out


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def list_continued(verb: Token, head: Token) -> Token | None:
    """"... his term, in which he eschewed cooperation, defended his ties with X, and sought a
    deal with Y": the parser often hangs the later verbs of such a list on the main verb; when
    a relative clause with a verb of the same form ends right before this one (only commas, "and"
    and adverbs between), the verb continues the relative clause and shares its subject."""
    doc = verb.doc
    if verb.tag_ not in ("VBD", "VBZ", "VBP") or verb.dep_ not in ("conj", "ccomp", "advcl") \
            or any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return None
    for t in head.subtree:
        if t.dep_ != "relcl" or t.pos_ != "VERB" or not (head.i < t.i < verb.i) or t.tag_ != verb.tag_:
            continue
        end = max((x.i for x in t.subtree if x.i < verb.i), default=t.i)
        between = doc[end + 1: verb.i]
        if all(x.is_punct or x.dep_ in ("cc", "advmod") for x in between) and len(between) <= 4:
            return t
    return None


def subjects_of(verb: Token, depth: int = 0) -> list[Token]:
    """Subject heads of a predicate, inherited through control, coordination, relative clauses,
    adjectival and prepositional complements ("is about to restore", "was forceful in blaming")."""
    if depth > 8:
        return []
    own = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
    if own:
        subj = own[0]
        if subj.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
            return expand_conj(verb.head)
        return expand_conj(subj)
    head = verb.head
    if head.i == verb.i:
        return []
    dep = verb.dep_
    if dep == "xcomp":
        # object control: "urged Japan to hold talks" -> Japan holds the talks
        objs = [c for c in head.children if c.dep_ in ("dobj",) and c.i < verb.i]
        if objs:
            return expand_conj(objs[0])
        # "called on Turkey to halt", "appealed to Iran to release": the prepositional object
        for c in head.children:
            if (c.dep_ in ("prep", "dative") and c.i < verb.i and c.lower_ in CONTROL_PREPS.get(head.lemma_.lower(), ())):
                pobj = [p for p in c.children if p.dep_ == "pobj"]
                if pobj:
                    return expand_conj(pobj[0])
        return subjects_of(head, depth + 1)
    rel = list_continued(verb, head) if head.pos_ in ("VERB", "AUX") else None
    if rel is not None:
        return subjects_of(rel, depth + 1)
    if dep == "conj" and head.pos_ in ("VERB", "AUX"):
        if head.dep_ == "xcomp" and head.tag_ == "VB" and verb.tag_ in ("VBD", "VBZ", "VBP"):
            # "urged the embassy to reconsider and spoke with X": a finite verb coordinated with
            # an infinitive belongs with the verb that governs it, whatever the parse says
            return subjects_of(head.head, depth + 1)
        return subjects_of(head, depth + 1)
    if dep in ("advcl", "pcomp", "acomp", "oprd", "prep"):
        return subjects_of(head, depth + 1)
    if dep == "relcl":
        return expand_conj(head)
    if dep == "acl" and head.lower_ == "order" and head.dep_ == "pobj" and head.head.head.i != head.head.i:
        # "in order to strike a deal": the subject of the clause the purpose phrase hangs on
        gov = head.head.head
        if gov.pos_ in ("VERB", "AUX"):
            return subjects_of(gov, depth + 1)
    if dep == "acl" and head.pos_ in ("NOUN", "PROPN"):
        infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
        if infinitive or head.lower_ in INTENT_NOUNS or head.lemma_.lower() in INTENT_NOUNS:
            # "efforts to realize a summit", "voted on a resolution to expel": the subject of the
            # verb the noun is an object of
            gov = head.head
            if head.dep_ == "pobj" and gov.dep_ in ("prep", "agent"):
                gov = gov.head
            if head.dep_ in ("dobj", "pobj", "obj", "attr") and gov.pos_ in ("VERB", "AUX"):
                return subjects_of(gov, depth + 1)
            return []
        if verb.tag_ == "VBG" and head.dep_ in ("dobj", "obj") and head.head.pos_ in ("VERB", "AUX") \
                and head.lower_ in STATEMENT_NOUNS:
            # "issued a declaration demanding ...": whoever issued it demands
            return subjects_of(head.head, depth + 1)
        if verb.tag_ == "VBG" and head.dep_ == "pobj" and head.head.lower_ in ("on", "in", "via", "through", "at"):
            # "posted a message on Twitter blaming Iran": whoever posted it blames
            gov = head.head.head
            while gov.pos_ not in ("VERB", "AUX") and gov.head.i != gov.i:
                gov = gov.head
            if gov.pos_ in ("VERB", "AUX"):
                return subjects_of(gov, depth + 1)
            return []
        if verb.tag_ == "VBG" and head.dep_ not in ("pobj",):
            # "protesters demanding reforms"
            return expand_conj(head)
    return []


def analyse(verb: Token) -> Clause:
    """The participants of a verbal predicate."""
    cl = Clause(verb=verb, passive=is_passive(verb))
    cl.subjects = subjects_of(verb)
    for c in verb.children:
        if c.dep_ in ("dobj", "obj"):
            cl.objects.extend(expand_conj(c))
        elif c.dep_ in ("dative", "iobj"):
            if c.pos_ == "ADP":
                cl.preps.extend((c.lower_, p) for p in c.children if p.dep_ == "pobj")
            else:
                cl.datives.extend(expand_conj(c))
        elif c.dep_ == "agent":
            for p in c.children:
                if p.dep_ == "pobj":
                    cl.agents.extend(expand_conj(p))
        elif c.dep_ == "prep":
            for p in c.children:
                if p.dep_ == "pobj":
                    for x in expand_conj(p):
                        cl.preps.append((c.lower_, x))
        elif c.dep_ == "prt":
            # "reach out to X": the prep may hang on the particle
            for p in c.children:
                if p.dep_ == "prep":
                    for q in p.children:
                        if q.dep_ == "pobj":
                            cl.preps.append((p.lower_, q))
    if cl.passive and not cl.agents:
        # a "by" phrase the parser attached as an ordinary preposition
        for prep, x in list(cl.preps):
            if prep == "by":
                cl.agents.append(x)
                cl.preps.remove((prep, x))
    return cl

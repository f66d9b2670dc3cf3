"""Verb lexicon: PETRARCH-style verb patterns matched against a dependency parse.

A verb's candidate patterns come from its block in the verb dictionary. A pattern lists words that
must appear before (``pre``) or after (``post``) the verb, in order, inside the verb's own clause;
prepositional phrases ``(WITH +)`` must hang on the verb or its object; ``$``/``+`` say which noun
phrase is the source/target. The most specific matching pattern wins (most lexical elements); with
none, the verb's own code, then the block's code. ``---`` means "no event".

The lexicon is keyed by inflected form (``sought`` -> SEEK), so the coder does not need spaCy's
lemmatizer for lookups.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Token

from newsevents.kb.petrarch import (
    Consecutive,
    Phrase,
    Prep,
    Skip,
    Source,
    Synset,
    Target,
    VerbBlock,
    VerbDictionary,
    VerbEntry,
    VerbPattern,
    Word,
    read_verb_dictionary,
    read_verb_json,
)
from newsevents.paths import data_path

# Dependents that belong to a verb's own clause (patterns look only there). Subordinate clauses
# (ccomp, advcl, relcl, conj verbs) are coded on their own.
CLAUSE_DEPS = {
    "dobj", "prt", "dative", "attr", "oprd", "acomp", "prep", "agent", "advmod", "npadvmod", "xcomp",
    "obj", "iobj", "nsubj", "nsubjpass", "neg", "aux", "auxpass", "pobj", "compound", "amod", "det",
    "poss", "nummod", "quantmod", "nmod", "case", "pcomp", "conj", "cc", "appos", "acl", "predet",
    "expl", "mark",
}
STOP_DEPS = {"ccomp", "advcl", "relcl", "parataxis", "punct", "appos"}


@dataclass
class Match:
    """The outcome of matching one verb token."""

    code: str
    block: str
    verb: str
    pattern: VerbPattern | None
    specificity: int
    source_tok: Token | None = None  # explicit $ position
    target_tok: Token | None = None  # explicit + position
    prep_target: str | None = None  # preposition of the + position, if inside (PREP +)
    used: set[int] = field(default_factory=set)  # token indices consumed by the pattern
    code2: str | None = None


def _clause_tokens(verb: Token) -> list[Token]:
    """Tokens of the verb's own clause, in text order (no subordinate clauses)."""
    out: list[Token] = []
    stack = [verb]
    while stack:
        t = stack.pop()
        out.append(t)
        for c in t.children:
            if c.dep_ in STOP_DEPS:
                continue
            if c.dep_ in ("acl", "pcomp", "csubj") and c.pos_ in ("VERB", "AUX"):
                continue  # a clause of its own ("in order to strike a deal")
            if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX"):
                continue
            if c.dep_ == "xcomp" and t.i != verb.i:
                continue
            stack.append(c)
    out.sort(key=lambda t: t.i)
    return out


def _word_matches(tok: Token, word: str) -> bool:
    low = tok.lower_
    if low == word:
        return True
    lem = tok.lemma_.lower()
    if lem == word:
        return True
    # PETRARCH entries are often plural ("TALKS") or singular ("TALK"): accept either
    if word.endswith("s") and word[:-1] == low:
        return True
    if low.endswith("s") and low[:-1] == word:
        return True
    return False


class VerbLexicon:
    """Verb dictionary indexed by inflected form, with pattern matching on spaCy tokens."""

    def __init__(self, dictionaries: list[VerbDictionary]):
        # Later dictionaries take precedence: their blocks are tried first for a form.
        self.synsets: dict[str, tuple] = {}
        self.index: dict[str, list[tuple[VerbBlock, VerbEntry, tuple[str, ...]]]] = {}
        for d in dictionaries:
            self.synsets.update(d.synsets)
        for d in reversed(dictionaries):
            for block in d.blocks:
                for entry in block.verbs:
                    for form in entry.forms or (entry.lemma,):
                        words = form.lower().split()
                        if not words:
                            continue
                        self.index.setdefault(words[0], []).append((block, entry, tuple(words[1:])))

        self._required: dict[VerbPattern, tuple[frozenset[str], tuple[frozenset[str], ...]]] = {}
        self._synset_words: dict[str, frozenset[str]] = {}
        self._block_req: dict[int, list] = {}
        self._blocks_alive: list = [b for d in dictionaries for b in d.blocks]  # keeps id()s valid
        self._keys: set[str] = set()

    def synset_words(self, name: str) -> frozenset[str]:
        """Every word that can start a match of a synonym set (nested sets expanded)."""
        got = self._synset_words.get(name)
        if got is None:
            self._synset_words[name] = frozenset()  # guards against cycles
            words: set[str] = set()
            for alt in self.synsets.get(name, ()):
                words |= self._first_words(alt)
            got = self._synset_words[name] = frozenset(words)
        return got

    def _first_words(self, elem) -> set[str]:
        if isinstance(elem, Word):
            first = elem.text.split()[0] if elem.text.split() else ""
            return {first, first.rstrip("s")} if first else set()
        if isinstance(elem, Synset):
            return set(self.synset_words(elem.name))
        if isinstance(elem, (Phrase, Consecutive)):
            parts = elem.words if isinstance(elem, Phrase) else elem.elements
            return self._first_words(parts[0]) if parts else set()
        return set()

    def requirements(self, pat: VerbPattern) -> tuple[frozenset[str], tuple[frozenset[str], ...]]:
        """What a clause must contain for ``pat`` to match: words that must all be present, and
        synonym sets of which some word must be present (a cheap pre-filter before matching)."""
        req = self._required.get(pat)
        if req is None:
            words: set[str] = set()
            sets: list[frozenset[str]] = []

            def walk(elems) -> None:
                for e in elems:
                    if isinstance(e, Word):
                        words.update(e.text.split())
                    elif isinstance(e, Synset):
                        sets.append(self.synset_words(e.name))
                    elif isinstance(e, Prep):
                        words.add(e.prep)
                        walk(e.elements)
                    elif isinstance(e, (Phrase, Consecutive)):
                        walk(e.words if isinstance(e, Phrase) else e.elements)

            walk(pat.pre)
            walk(pat.post)
            req = self._required[pat] = (frozenset(words), tuple(sets))
        return req

    def _may_match(self, pat: VerbPattern, keys: set[str]) -> bool:
        words, sets = self.requirements(pat)
        if not words <= keys:
            return False
        return all(not keys.isdisjoint(ws) for ws in sets)

    def block_requirements(self, block: VerbBlock) -> list[tuple[VerbPattern, frozenset[str], tuple]]:
        """(pattern, required words, required synonym sets) for every pattern of a block, computed
        once: hashing the nested pattern dataclasses on every lookup would cost more than matching."""
        got = self._block_req.get(id(block))
        if got is None:
            got = [(pat, *self.requirements(pat)) for pat in block.patterns]
            self._block_req[id(block)] = got
        return got

    def __contains__(self, form: str) -> bool:
        return form.lower() in self.index

    # -- element matching -----------------------------------------------------------------------
    def _match_elem(self, elem, toks: list[Token], pos: int, m: Match, prep_ctx: str | None) -> int | None:
        """Match one pattern element at or after ``pos`` in ``toks``; return the next position."""
        if isinstance(elem, Word):
            words = elem.text.split()
            for i in range(pos, len(toks) - len(words) + 1):
                if all(_word_matches(toks[i + k], w) for k, w in enumerate(words)):
                    m.used.update(toks[i + k].i for k in range(len(words)))
                    m.specificity += len(words)
                    return i + len(words)
            return None
        if isinstance(elem, Synset):
            alts = self.synsets.get(elem.name, ())
            best = None
            for alt in alts:
                if self._keys and self._keys.isdisjoint(self._first_words(alt)):
                    continue
                trial = Match(m.code, m.block, m.verb, None, 0)
                nxt = self._match_elem(alt, toks, pos, trial, prep_ctx)
                if nxt is not None and (best is None or nxt < best[0]):
                    best = (nxt, trial)
            if best is None:
                return None
            m.used |= best[1].used
            m.specificity += max(1, best[1].specificity)
            return best[0]
        if isinstance(elem, (Phrase, Consecutive)):
            # a phrase is a compound: its words must be adjacent
            parts = elem.words if isinstance(elem, Phrase) else elem.elements
            for i in range(pos, len(toks)):
                trial = Match(m.code, m.block, m.verb, None, 0)
                nxt = i
                ok = True
                for w in parts:
                    r = self._match_elem(w, toks, nxt, trial, prep_ctx)
                    if r is None or (nxt != i and r - nxt > (len(w.text.split()) if isinstance(w, Word) else 1)):
                        ok = False
                        break
                    nxt = r
                if ok and nxt - i <= len(parts) + 1:
                    m.used |= trial.used
                    m.specificity += trial.specificity
                    if trial.target_tok is not None:
                        m.target_tok = trial.target_tok
                    if trial.source_tok is not None:
                        m.source_tok = trial.source_tok
                    return nxt
            return None
        if isinstance(elem, Prep):
            for i in range(pos, len(toks)):
                t = toks[i]
                if t.lower_ == elem.prep and t.dep_ in ("prep", "agent", "dative", "mark", "advmod", "prt"):
                    sub = [x for x in toks if x.i > t.i and _descends(x, t)]
                    trial = Match(m.code, m.block, m.verb, None, 0)
                    p = 0
                    ok = True
                    for e in elem.elements:
                        r = self._match_elem(e, sub, p, trial, elem.prep)
                        if r is None:
                            ok = False
                            break
                        p = r
                    if ok:
                        m.used |= trial.used | {t.i}
                        m.specificity += trial.specificity + 1
                        if trial.target_tok is not None:
                            m.target_tok, m.prep_target = trial.target_tok, elem.prep
                        if trial.source_tok is not None:
                            m.source_tok = trial.source_tok
                        return _next_after(toks, sub, p, i)
            return None
        if isinstance(elem, (Source, Target)):
            # the next noun phrase head at or after pos
            for i in range(pos, len(toks)):
                t = toks[i]
                if t.pos_ in ("NOUN", "PROPN", "PRON") and t.dep_ not in ("compound", "amod", "poss", "nmod"):
                    if isinstance(elem, Source):
                        m.source_tok = t
                    else:
                        m.target_tok = t
                    return i + 1
            return pos if prep_ctx is None else None
        if isinstance(elem, Skip):
            for i in range(pos, len(toks)):
                if toks[i].pos_ in ("NOUN", "PROPN", "PRON"):
                    return i + 1
            return pos
        return pos  # unknown element kinds do not constrain the match

    def _match_pattern(self, pat: VerbPattern, verb: Token, pre: list[Token], post: list[Token],
                       block: VerbBlock, entry: VerbEntry) -> Match | None:
        m = Match(pat.code, block.name, entry.lemma, pat, 0, code2=pat.code2)
        p = 0
        for e in pat.post:
            r = self._match_elem(e, post, p, m, None)
            if r is None:
                return None
            p = r
        p = 0
        for e in pat.pre:
            r = self._match_elem(e, pre, p, m, None)
            if r is None:
                return None
            p = r
        if m.specificity == 0 and not (m.source_tok or m.target_tok):
            return None
        return m

    def match(self, verb: Token) -> Match | None:
        """The best lexicon match for a verb token, or None when the verb is not in the lexicon."""
        cands = self.index.get(verb.lower_)
        if not cands and verb.lemma_.lower() != verb.lower_:
            cands = self.index.get(verb.lemma_.lower())
        if not cands:
            return None
        clause = _clause_tokens(verb)
        post = [t for t in clause if t.i > verb.i]
        pre = [t for t in clause if t.i < verb.i]
        keys = _token_keys(clause)
        self._keys = keys
        best: Match | None = None
        default: Match | None = None
        multiword_best: Match | None = None
        for block, entry, rest in cands:
            if rest:
                # multiword verb ("get together", "carry out"): the other words follow the verb
                if not all(any(_word_matches(t, w) for t in post[:4]) for w in rest):
                    continue
            for pat, words, sets in self.block_requirements(block):
                if not words <= keys or any(keys.isdisjoint(ws) for ws in sets):
                    continue
                m = self._match_pattern(pat, verb, pre, post, block, entry)
                if m is not None and rest:
                    m.specificity += len(rest)  # "reach out to" says more than "reach ... out"
                # earlier dictionaries (ours, or the user's last-listed) win ties
                if m is not None and (best is None or m.specificity > best.specificity):
                    best = m
            # The default code: the verb's own, else its block's; "---" on the verb itself
            # suppresses it, "---" on a block only means the block has no default.
            own = entry.code
            base = own if own else (block.code if block.code and not block.code.startswith("-") else None)
            if own and own.startswith("-"):
                base = "---"
            cand = Match(base, block.name, entry.lemma, None, 0) if base else None
            if cand is not None:
                cand.used = {t.i for t in post[:4] if any(_word_matches(t, w) for w in rest)}
                if rest and multiword_best is None:
                    multiword_best = cand  # "carry out" beats "carry"
                elif default is None:
                    default = cand
        if best is not None and best.specificity > 0:
            return best
        return multiword_best or default or best


def _token_keys(tokens: list[Token]) -> set[str]:
    """Every form under which a pattern word can match one of these tokens (see _word_matches)."""
    keys: set[str] = set()
    for t in tokens:
        low = t.lower_
        keys.add(low)
        keys.add(t.lemma_.lower())
        keys.add(low + "s")
        if low.endswith("s"):
            keys.add(low[:-1])
    return keys


def _descends(tok: Token, anc: Token) -> bool:
    t = tok
    for _ in range(40):
        if t.i == anc.i:
            return True
        if t.head.i == t.i:
            return False
        t = t.head
    return False


def _next_after(toks: list[Token], sub: list[Token], p: int, i: int) -> int:
    """Position in ``toks`` just after the last token of ``sub`` consumed (or after the prep)."""
    if p == 0 or not sub:
        return i + 1
    last = sub[min(p, len(sub)) - 1]
    for k in range(i, len(toks)):
        if toks[k].i == last.i:
            return k + 1
    return i + 1


def load_verb_dictionary(path: str | Path) -> VerbDictionary:
    """A verb dictionary from our JSON format or from a PETRARCH-format text file."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        return read_verb_json(path)
    return read_verb_dictionary(path)


@functools.lru_cache(maxsize=8)
def lexicon_for(paths: tuple[str, ...] = ()) -> VerbLexicon:
    """The bundled CAMEO verb lexicon plus the project's own patterns, or user dictionaries.

    With ``paths``, those dictionaries replace the bundled ones (PETRARCH users bring a full
    dictionary); the last one listed takes precedence.
    """
    if paths:
        return VerbLexicon([load_verb_dictionary(p) for p in paths])
    return VerbLexicon(
        [read_verb_json(data_path("cameo_verbs.json")), read_verb_dictionary(data_path("newsevents_verbs.txt"))]
    )

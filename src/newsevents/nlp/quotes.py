"""The quotes component: who said what, and according to whom.

``newsevents_quotes`` runs after ``newsevents_actors`` and sets ``doc._.quotes``, a list of
:class:`QuoteSpan` in text order, one per attributed piece of content:

- direct quotes in straight or curly double marks, quotes spanning paragraphs (each paragraph opens
  with a mark, only the last one closes), and partial quotes inside a sentence ("called the talks a
  “fraught exercise”"), in double or single marks;
- indirect speech: the complement clause of a speech or cognition verb ("Kishida stated that ...",
  "Tokyo is worried, the FT said");
- source attribution: "according to X", "based on interviews with X", "citing X".

The speaker is the subject of the cue (said, told, added, called, stated, wrote, reported ...),
found through the parse: the cue governs the quote ("he told parliament, “...”"), hangs on it
("“...,” he said"), or governs the clause the quote sits in ("claimed he would allow Russia to
“do ...”"). A quote with no cue of its own continues the previous quote when only that quote's cue
sentence lies between them ("“...,” she said. “...”"), or takes the cue of the sentence before it
when that sentence introduces it ("X said:" or a paragraph whose last sentence has a speech cue).
The speaker's actor comes from ``doc._.actor_at`` (pronouns are already resolved there).

:func:`attribution_for` answers, for one token, who the clause it sits in is attributed to (the
innermost attribution covering it); the coder uses it for ``attributed_to`` and the ``reported``
modality. :func:`to_quotes` turns ``doc._.quotes`` into :class:`newsevents.model.Quote` objects.

Cost: one character scan for quotation marks and a few walks up the parse per quote and per
speech verb; no model of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsevents.nlp.sentences import sentences
from newsevents.model import Quote, Span as TextSpan
from newsevents.nlp.actors import ActorSpan, to_mention

if not Doc.has_extension("quotes"):
    Doc.set_extension("quotes", default=None)

# Verbs whose subject is the source of a that-clause (speech, reports, beliefs and findings). The
# first group is modality.SPEECH_LEMMAS, so the coder's attribution covers what it did before.
SPEECH_LEMMAS = frozenset({
    "say", "tell", "state", "report", "claim", "announce", "add", "note", "write", "insist",
    "argue", "declare", "assert", "explain", "confirm", "reveal", "disclose", "suggest", "stress",
    "emphasize", "emphasise", "acknowledge", "admit", "deny", "allege", "warn", "predict",
    "quote", "tweet", "post", "comment", "remark", "indicate", "testify", "contend", "maintain",
    "believe", "think", "fear", "hope", "expect", "estimate", "recall", "signal", "vow", "pledge",
    "promise", "threaten", "urge", "learn", "hear", "speak", "talk", "reply", "respond", "answer",
    # further reporting and cognition verbs taking a that-clause
    "concede", "assure", "caution", "complain", "boast", "observe", "lament", "proclaim", "retort",
    "counter", "reiterate", "repeat", "affirm", "mention", "recount", "conclude", "find", "show",
    "know", "feel", "doubt", "suspect", "worry", "agree", "ask", "demand", "accuse", "charge",
    "inform", "notify", "brief", "speculate", "guess", "forecast", "project", "read", "joke",
    "quip", "muse", "shout", "yell", "scream", "whisper", "cry", "blog", "text", "email", "e-mail",
    "reason", "theorize", "posit", "surmise", "assume", "imply", "hint", "concur", "recognize",
    "recognise", "realize", "realise", "understand", "discover", "determine", "judge", "rule",
    "decide", "order", "demonstrate", "prove",
})
# Verbs that introduce a direct or partial quote without a that-clause ("called X a “...”",
# "described it as “...”"), besides the speech verbs.
QUOTE_ONLY_LEMMAS = frozenset({
    "call", "describe", "dub", "term", "label", "brand", "characterize", "characterise", "praise",
    "criticize", "criticise", "condemn", "slam", "blast", "decry", "hail", "denounce", "mock",
    "smile", "laugh", "sigh", "shrug", "nod", "grin", "chuckle", "conclude", "summarize",
    "summarise", "answer", "respond", "reply", "ask", "exclaim", "wonder", "promise", "vow",
    "pledge", "urge", "beg", "plead", "sing", "chant", "recite", "pray", "snap", "scoff", "gush",
    "rave", "rant", "marvel", "interject", "interrupt", "opine", "demand", "query", "quip", "joke",
})
# Cognition verbs that are discourse markers with a second-person subject ("you know, ...").
DISCOURSE_LEMMAS = frozenset({"know", "see", "think", "mean", "understand", "believe", "guess", "recall", "hear"})
# Dashes that introduce the author of a quotation ("“...” ― Jane Doe").
DASHES = "―—–"
# Naming verbs: a quoted phrase they govern is a name or title, not speech ("known as “X”"),
# unless a subject does the naming in the active voice ("Johnstone called the talks “...”").
NAMING_LEMMAS = frozenset({"call", "know", "dub", "name", "title", "entitle", "label", "brand", "nickname", "term"})
# Cues whose content the writer does not vouch for (as modality.ALLEGE_LEMMAS).
ALLEGE_LEMMAS = frozenset({"allege", "accuse", "purport", "rumor", "rumour"})
# Speaker nouns that stand for a news outlet named earlier ("according to the newspaper").
OUTLET_NOUNS = frozenset({
    "newspaper", "paper", "agency", "broadcaster", "outlet", "daily", "publication", "network",
    "magazine", "weekly",
})
# "based on interviews with X", "citing X": the nouns that make X a source of the clause.
SOURCE_NOUNS = frozenset({
    "interview", "conversation", "discussion", "talk", "document", "record", "report", "source",
    "account", "statement", "briefing", "testimony", "information", "data", "email", "e-mail",
    "letter", "memo", "survey", "poll", "study", "analysis", "estimate", "figure",
})
# Resolutions by name (a named entity, a country, a capital), not by description.
NAMED_VIAS = frozenset({"kb", "alias", "country", "metonym", "seat", "demonym", "title", "appos", "person", "ner", "ruler"})
# People and bodies that are cited as sources ("citing officials", "citing police").
SOURCE_PEOPLE = frozenset({
    "official", "source", "spokesman", "spokeswoman", "spokesperson", "media", "newspaper", "agency",
    "expert", "analyst", "witness", "police", "authority", "diplomat", "person", "people", "aide",
    "investigator", "prosecutor", "lawyer", "ministry", "government", "report", "reporter",
})
RELATIVE_PRONOUNS = frozenset({"who", "that", "which", "whom"})
# Kinds, most specific first (used to break ties between attributions covering the same text).
KIND_ORDER = {"speech": 0, "quote": 1, "according": 2, "source": 3}

DOUBLE_OPEN = "“„«"
DOUBLE_CLOSE = "”»"
SINGLE_OPEN = "‘‚"
SINGLE_CLOSE = "’"
ALL_MARKS = "\"'“”„«»‘’‚‹›`"
MAX_SINGLE_CHARS = 300  # a single-quoted stretch longer than this is apostrophes, not a quote
MIN_UNCUED_WORDS = 4  # shorter quotes with no cue are scare quotes or titles
# Words that open a source attribution ("according to", "based on", "citing", "quoting").
SOURCE_WORD_RE = re.compile(r"\b(?:[Aa]ccording|[Bb]ased|[Cc]iting|[Qq]uoting)\b")
# Characters the quotation scanner stops at.
MARK_RE = re.compile("[\"'`“”„«»‘’‚]")
# A speaker label opening a paragraph: "PENCE:", "Q:", "Jane Doe:" (checked further in code).
TURN_RE = re.compile(r"(?:^|(?<=\n))[ \t]*([A-Z][\w.'’-]*(?:[ \t][A-Z][\w.'’-]*){0,3}):[ \t]+(?=\S)")


@dataclass
class QuoteSpan:
    """One attributed piece of content (token and character coordinates into the Doc).

    start/end: characters of the content (quotation marks excluded), end exclusive.
    cue: token span of the cue (the speech verb with its particle, "according to", "interviews").
    speaker: token span of the speaker as written (a pronoun stays a pronoun); speaker_head its
        head token; actor the resolved actor (pronouns resolved), None when not an actor.
    name: what the content is attributed to: the actor's name, the outlet a noun like "the paper"
        stands for, or the speaker noun phrase as written.
    kind: quote (direct, in quotation marks), speech (indirect: a cue's complement clause),
        according ("according to X"), source ("based on interviews with X", "citing X").
    alleged: the cue marks the content as an unverified claim (allege, claim, accuse).
    """

    start: int
    end: int
    direct: bool
    kind: str
    cue: tuple[int, int] | None = None
    speaker: tuple[int, int] | None = None
    speaker_head: int | None = None
    actor: ActorSpan | None = None
    name: str | None = None
    alleged: bool = False
    via: str = ""  # how the speaker was found: governs, attached, clause, sentence, continues, intro, next
    roots: tuple[int, ...] = ()  # heads of the reported clause (indirect speech)

    def text(self, doc: Doc) -> str:
        return doc.text[self.start:self.end]


class Attribution(NamedTuple):
    """Who the clause holding a token is attributed to (see :func:`attribution_for`).

    The first three fields are (speaker name, kind, cue token); ``speaker_token`` (the speaker's
    head as written), ``alleged``, ``quote`` and ``actor`` give the coder what ``modality.Frame``
    gave it, and the speaker's actor with pronouns resolved.
    """

    speaker: str | None
    kind: str
    cue: Token | None
    speaker_token: Token | None = None
    alleged: bool = False
    quote: QuoteSpan | None = None
    actor: ActorSpan | None = None  # the speaker's resolved actor (a pronoun speaker resolved)


# ----------------------------------------------------------------------------------------------
# quotation marks


def _is_mark(t: Token) -> bool:
    text = t.text
    return len(text) <= 3 and all(ch in ALL_MARKS for ch in text)


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _double_mark(text: str, i: int) -> int:
    """Length of a double quotation mark at ``i`` (curly, straight, or typed as two apostrophes
    or backticks), 0 when there is none."""
    ch = text[i]
    if ch in DOUBLE_OPEN or ch in DOUBLE_CLOSE or ch == '"':
        return 1
    if ch in "'`" and text[i + 1:i + 2] == ch:
        return 2
    return 0


def scan_quotes(text: str) -> list[tuple[int, int]]:
    """Character spans (content only) of text in quotation marks, in text order.

    Double marks (straight or curly, mixed as copy-editing leaves them) pair up; a quotation left
    open at a line break continues when the next paragraph opens with a mark (the news convention
    for quotes spanning paragraphs: one span from the first opening to the last closing mark), else
    it ends with its paragraph. Single marks quote only outside double quotes, open before a word
    and close after one, and never cross a line, so apostrophes ("Trump’s", "Kims’") are no quotes.
    """
    spans: list[tuple[int, int]] = []
    n = len(text)
    i = 0
    while i < n:
        m = MARK_RE.search(text, i)
        if m is None:
            break
        i = m.start()
        ch = text[i]
        prev = text[i - 1] if i else " "
        mk = _double_mark(text, i)
        nxt = text[i + mk] if mk and i + mk < n else (text[i + 1] if i + 1 < n else " ")
        if mk and (ch in DOUBLE_OPEN or ch == "`" or (ch not in DOUBLE_CLOSE and not _is_word(prev) and not nxt.isspace())):
            end, resume = _close_double(text, i + mk)
            if end > i + mk:
                spans.append((i + mk, end))
            i = resume
            continue
        if not mk and (ch in SINGLE_OPEN or ch == "'") and not _is_word(prev) and _is_word(nxt):
            end = _close_single(text, i + 1, ch)
            if end is not None:
                spans.append((i + 1, end))
                i = end + 1
                continue
        i += max(mk, 1)
    return spans


def _close_double(text: str, start: int) -> tuple[int, int]:
    """(end of content, where scanning resumes) for a double quote opened before ``start``."""
    n = len(text)
    j = start
    while j < n:
        ch = text[j]
        m = _double_mark(text, j)
        if m and ch not in DOUBLE_OPEN and ch != "`":
            return j, j + m
        if ch == "“" and j > start and not text[j - 1].isspace():
            # a mis-typed closing mark ("word“"): treat it as closing
            return j, j + 1
        if ch == "\n":
            k = j
            while k < n and text[k].isspace():
                k += 1
            if k < n and (mk := _double_mark(text, k)) and text[k] not in DOUBLE_CLOSE:
                j = k + mk  # the quote goes on in the next paragraph
                continue
            end = j
            while end > start and text[end - 1].isspace():
                end -= 1
            return end, j
        j += 1
    end = n
    while end > start and text[end - 1].isspace():
        end -= 1
    return end, n


def _close_single(text: str, start: int, opener: str) -> int | None:
    closers = SINGLE_CLOSE if opener != "'" else "'"
    limit = min(len(text), start + MAX_SINGLE_CHARS)
    j = start
    while j < limit:
        ch = text[j]
        if ch == "\n" or _double_mark(text, j):
            return None
        if ch in closers and j > start and not text[j - 1].isspace():
            nxt = text[j + 1] if j + 1 < len(text) else " "
            if not _is_word(nxt):
                return j
        j += 1
    return None


# ----------------------------------------------------------------------------------------------
# the component


class QuoteFinder:
    """spaCy component finding quotes, indirect speech and attributions; see the module docstring."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.quotes = find_quotes(doc)
        return doc


@Language.factory(
    "newsevents_quotes",
    requires=["token.dep", "token.lemma", "token.pos", "doc.sents", "doc._.actor_at"],
    assigns=["doc._.quotes"],
)
def make_quote_finder(nlp: Language, name: str) -> QuoteFinder:
    """Create the quotes component (place it after ``newsevents_actors``).

    Sets ``doc._.quotes``: a list of :class:`QuoteSpan` (direct quotes, indirect speech and source
    attributions with cue, speaker and resolved actor), in text order.
    """
    return QuoteFinder()


def find_quotes(doc: Doc) -> list[QuoteSpan]:
    """Every attribution in the Doc (what the component stores in ``doc._.quotes``)."""
    actor_at = doc._.actor_at or {}
    sents = sentences(doc)
    sent_of = [0] * len(doc)
    for si, s in enumerate(sents):
        for t in range(s.start, s.end):
            sent_of[t] = si
    out: list[QuoteSpan] = []
    text = doc.text  # built once: Doc.text joins every token
    direct = _direct_quotes(doc, text, sents, sent_of, actor_at)
    turns = transcript_turns(doc, text, actor_at)
    # a quotation inside a turn with no cue of its own is part of the turn
    direct = [q for q in direct if q.cue is not None or not any(t.start <= q.start < t.end for t in turns)]
    direct += turns
    out.extend(direct)
    quoted = [(q.start, q.end) for q in direct]
    out.extend(_indirect(doc, quoted, actor_at))
    out.extend(_according_and_sources(doc, text, sents, sent_of, out, actor_at))
    _resolve_speaker_pronouns(doc, out, sent_of)
    out.sort(key=lambda q: (q.start, q.end))
    return out


def _resolve_speaker_pronouns(doc: Doc, quotes: list[QuoteSpan], sent_of: list[int]) -> None:
    """"He"/"she" as a speaker is most often the person speaking just before, or the last person
    in subject position, rather than the last person named ("Kishida stated that ... a summit
    with Kim. He told parliament ..."): re-resolve such speakers within two sentences."""
    by_cue = sorted((q for q in quotes if q.cue is not None), key=lambda q: q.cue[0])
    persons = [sp for sp in (doc._.actor_spans or []) if sp.actor.kind == "person" and sp.person_key]
    for k, q in enumerate(by_cue):
        if q.speaker_head is None:
            continue
        pron = doc[q.speaker_head]
        if pron.lower_ not in ("he", "she"):
            continue
        si = sent_of[pron.i]
        ante: ActorSpan | None = None
        for prev in reversed(by_cue[:k]):
            if prev.speaker_head is None or prev.speaker_head >= pron.i:
                continue
            if si - sent_of[prev.speaker_head] > 2:
                break
            if prev.actor is not None and prev.actor.actor.kind == "person" and prev.actor.person_key:
                ante = prev.actor
                break
        if ante is None:
            window = [sp for sp in persons
                      if sp.head < pron.i and sp.via != "pronoun" and si - sp.sentence <= 2]
            subjects = [sp for sp in window if doc[sp.head].dep_ in ("nsubj", "nsubjpass")]
            if subjects or window:
                ante = (subjects or window)[-1]
        if ante is None or (q.actor is not None and q.actor.person_key == ante.person_key):
            continue
        origin = ante.antecedent or (ante.start, ante.end)
        resolved = ActorSpan(pron.i, pron.i + 1, pron.i, ante.actor, "pronoun", sent_of[pron.i],
                             antecedent=origin, person_key=ante.person_key)
        q.actor = resolved if ante.actor.code else None
        q.name = ante.actor.name or doc[origin[0]:origin[1]].text


# -- direct quotes --------------------------------------------------------------------------------


def _tokens_in(doc: Doc, start: int, end: int) -> list[Token]:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return []
    return [t for t in span if not _is_mark(t)]


def _direct_quotes(doc: Doc, text: str, sents: list[Span], sent_of: list[int], actor_at) -> list[QuoteSpan]:
    out: list[QuoteSpan] = []
    prev: QuoteSpan | None = None
    spans = []
    for qs, qe in scan_quotes(text):
        # trim spaces (a quote's content never starts or ends with one)
        while qs < qe and text[qs].isspace():
            qs += 1
        while qe > qs and text[qe - 1].isspace():
            qe -= 1
        if qe > qs:
            spans.append((qs, qe))
    quoted = [False] * len(doc)  # tokens inside any quotation, marks included
    for qs, qe in spans:
        span = doc.char_span(max(0, qs - 1), min(len(text), qe + 1), alignment_mode="expand")
        for t in span or ():
            quoted[t.i] = True
    for qs, qe in spans:
        toks = _tokens_in(doc, qs, qe)
        words = [t for t in toks if not t.is_punct and not t.is_space]
        if not words:
            continue
        inside = {t.i for t in toks}
        # the quotation marks themselves belong to the quote
        for i in (toks[0].i - 1, toks[-1].i + 1):
            if 0 <= i < len(doc) and _is_mark(doc[i]):
                inside.add(i)
        q = QuoteSpan(qs, qe, True, "quote")
        found = _cue_for_quote(doc, text, toks, inside, quoted, sents, sent_of)
        if found is not None:
            cue, via = found
            if via == "governs" and _is_naming(cue) and len(words) <= 6 and _subject(cue, inside) is None:
                continue  # "so-called “X”", "known as “X”": a name, not speech
            _set_speaker(q, doc, cue, actor_at, inside)
            q.via = via
        elif _dash_author(doc, text, q, actor_at):
            pass
        else:
            inherited = _inherit(doc, text, q, toks, prev, quoted, sents, sent_of, actor_at)
            if not inherited and len(words) < MIN_UNCUED_WORDS:
                continue  # a scare quote or a title
        out.append(q)
        prev = q
    return out


def _dash_author(doc: Doc, text: str, q: QuoteSpan, actor_at) -> bool:
    """"“...” ― Jane Doe": a dash after the closing mark, then a name to the end of the line."""
    i = q.end
    while i < len(text) and (text[i] in ALL_MARKS or text[i] in ".,"):
        i += 1
    while i < len(text) and text[i] in " \t":
        i += 1
    if i >= len(text) or text[i] not in DASHES + "-":
        return False
    dash = i
    i += 1
    while i < len(text) and text[i] in " \t":
        i += 1
    end = text.find("\n", i)
    end = len(text) if end < 0 else end
    name = text[i:end].rstrip(" .,")
    if not name or len(name.split()) > 8 or not name[0].isupper():
        return False
    span = doc.char_span(i, i + len(name), alignment_mode="expand")
    cue = doc.char_span(dash, dash + 1, alignment_mode="expand")
    if span is None or cue is None:
        return False
    q.cue = (cue.start, cue.end)
    head = span.root
    _speaker_from_token(q, doc, head, actor_at)
    q.speaker = (span.start, span.end)
    q.via = "dash"
    return True


def transcript_turns(doc: Doc, text: str, actor_at) -> list[QuoteSpan]:
    """Interview and transcript turns: a paragraph opening with a speaker label and a colon
    ("PENCE: Well, look ...", "Q: ...", "Jane Doe: ...") is that speaker's words."""
    out = []
    for m in TURN_RE.finditer(text):
        label = m.group(1)
        words = label.split()
        upper = all(w.isupper() for w in words if w.isalpha() or w.replace(".", "").isalpha())
        start, end = m.end(), text.find("\n", m.end())
        end = len(text) if end < 0 else end
        lab = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        if lab is None:
            continue
        person = any(t.ent_type_ == "PERSON" for t in lab) and len(words) <= 4
        if not (upper or person) or any(ch.isdigit() for ch in label):
            continue
        content = text[start:end].strip()
        if len(content.split()) < 3:
            continue
        cs = start + (len(text[start:end]) - len(text[start:end].lstrip()))
        ce = cs + len(content)
        colon = doc.char_span(m.end(1), m.end(1) + 1, alignment_mode="expand")
        q = QuoteSpan(cs, ce, True, "quote", cue=(colon.start, colon.end) if colon is not None else None)
        _speaker_from_token(q, doc, lab.root, actor_at)
        q.speaker = (lab.start, lab.end)
        q.via = "turn"
        out.append(q)
    return out


def _is_naming(cue: Token) -> bool:
    return cue.lemma_.lower() in NAMING_LEMMAS or cue.lower_ in ("called", "known", "named", "dubbed", "titled")


def _cue_lemma(tok: Token, direct: bool) -> bool:
    if tok.pos_ not in ("VERB", "AUX") and tok.lower_ != "according":
        return False
    lem = tok.lemma_.lower()
    return lem in SPEECH_LEMMAS or (direct and lem in QUOTE_ONLY_LEMMAS)


def _cue_for_quote(doc: Doc, text: str, toks: list[Token], inside: set[int], quoted: list[bool], sents: list[Span],
                   sent_of: list[int]) -> tuple[Token, str] | None:
    """The cue of a direct quote and how it was found, or None.

    A short quote (a phrase) needs a cue close above it; only a quote of a few words or more may
    take a cue from elsewhere in its sentence (so a scare-quoted name does not borrow a speaker).
    Cues inside any quotation are never taken (they belong to the quoted speaker)."""
    short = sum(1 for t in toks if not t.is_punct) < MIN_UNCUED_WORDS
    qs, qe = toks[0].idx, toks[-1].idx + len(toks[-1])

    def near(c: Token) -> bool:
        """In the paragraph where the quote starts or ends, or introducing it with a colon
        ("The spokesman said:" and the quote as the next paragraph)."""
        gap = text[c.idx:qs] if c.idx < qs else text[qe:c.idx]
        if "\n" not in gap:
            return True
        colon = gap.rstrip(" \n\t" + DOUBLE_OPEN + '"').rfind(":")
        return c.idx < qs and colon >= 0 and "\n" not in gap[:colon] and not gap[colon + 1:].strip(" \n\t" + DOUBLE_OPEN + '"')

    # 1. A cue verb outside the quote governing it ("told parliament, “...”", "called X a “...”",
    #    "claimed he would allow Russia to “do ...”"): walk up from tokens attached outside.
    best: tuple[int, Token] | None = None
    for t in toks:
        if t.head.i in inside or t.head.i == t.i:
            continue
        h = t.head
        steps = 0
        while steps < (3 if short else 8):
            if not quoted[h.i] and _cue_lemma(h, True):
                if not near(h):
                    break
                if best is None or steps < best[0]:
                    best = (steps, h)
                break
            if h.head.i == h.i:
                break
            h = h.head
            steps += 1
    if best is not None:
        return best[1], "governs"
    # 2. A cue verb hanging on the quote ("“...,” he said", "“...”, said X", "he added, “...”"
    #    parsed as parataxis of the quote's root).
    for t in toks:
        for c in t.children:
            if not quoted[c.i] and _cue_lemma(c, True) and near(c) and _subject(c, inside) is not None:
                return c, "attached"
    # 3. Any cue verb with a subject in the sentences the quote starts and ends in, nearest first.
    if short:
        return None
    first, last = sent_of[toks[0].i], sent_of[toks[-1].i]
    cands = []
    for si in {first, last}:
        for t in sents[si]:
            if quoted[t.i] or not _cue_lemma(t, True) or not near(t) or _subject(t, inside) is None:
                continue
            dist = toks[0].i - t.i if t.i < toks[0].i else t.i - toks[-1].i
            cands.append((dist, t))
    if cands:
        cands.sort(key=lambda x: x[0])
        return cands[0][1], "sentence"
    return None


def _inherit(doc: Doc, text: str, q: QuoteSpan, toks: list[Token], prev: QuoteSpan | None, quoted: list[bool],
             sents: list[Span], sent_of: list[int], actor_at) -> bool:
    """Speaker of a quote with no cue of its own, from its neighbours. True when found."""
    first = sent_of[toks[0].i]
    # a. continuation of the previous quote: only that quote's cue sentence lies between them
    if prev is not None and prev.cue is not None:
        prev_last = doc.char_span(prev.start, prev.end, alignment_mode="expand")
        if prev_last is not None:
            prev_sent = sent_of[prev_last[-1].i]
            cue_sent = sent_of[prev.cue[0]]
            if first <= max(prev_sent, cue_sent) + 1 and not _text_between(doc, prev, q, sents, sent_of):
                _copy_speaker(q, prev, "continues")
                return True
    # b. the sentence before introduces it: "X said:" or a speech cue ending the previous paragraph
    short = sum(1 for t in toks if not t.is_punct) < MIN_UNCUED_WORDS
    opens = all(quoted[t.i] or t.is_space for t in sents[first] if t.i < toks[0].i)
    closes = all(quoted[t.i] or t.is_space or t.is_punct for t in sents[sent_of[toks[-1].i]] if t.i > toks[-1].i)
    if first > 0 and opens and not short:
        before = sents[first - 1]
        words = [t for t in before if not t.is_space]
        gap = text[words[-1].idx + len(words[-1]):toks[0].idx] if words else ""
        ends_colon = bool(words) and (words[-1].text == ":" or gap.strip().startswith(":"))
        starts_para = "\n" in gap
        cues = [t for t in before if not quoted[t.i] and _cue_lemma(t, True) and _subject(t) is not None]
        # "..., Schiff said. “The other factor ...”": the sentence before ends with its cue
        tail = [t for t in words if not t.is_punct][-4:]
        ends_cue = bool(cues) and cues[-1] in tail
        if ends_colon or starts_para or ends_cue:
            if cues:
                _set_speaker(q, doc, cues[-1], actor_at)
                q.via = "intro"
                return True
    # c. a cue sentence split off after the quote: "“...” \n He said."
    last = sent_of[toks[-1].i]
    if last + 1 < len(sents) and closes and not short:
        after = sents[last + 1]
        if len(after) <= 12:
            for t in after[:4]:
                if not quoted[t.i] and _cue_lemma(t, True) and _subject(t) is not None:
                    _set_speaker(q, doc, t, actor_at)
                    q.via = "next"
                    return True
    return False


def _text_between(doc: Doc, prev: QuoteSpan, q: QuoteSpan, sents: list[Span], sent_of: list[int]) -> bool:
    """Whether a sentence that is neither part of ``prev`` nor its cue sentence lies between them."""
    span = doc.char_span(prev.end, q.start, alignment_mode="contract")
    if span is None:
        return False
    cue_sent = sent_of[prev.cue[0]] if prev.cue else -1
    for t in span:
        if t.is_punct or t.is_space or _is_mark(t):
            continue
        if sent_of[t.i] != cue_sent and not (prev.cue and prev.cue[0] <= t.i < prev.cue[1]):
            if prev.speaker and prev.speaker[0] <= t.i < prev.speaker[1]:
                continue
            return True
    return False


def _copy_speaker(q: QuoteSpan, src: QuoteSpan, via: str) -> None:
    q.cue, q.speaker, q.speaker_head, q.actor, q.name, q.alleged = (
        src.cue, src.speaker, src.speaker_head, src.actor, src.name, src.alleged)
    q.via = via


# -- indirect speech -------------------------------------------------------------------------------


def _indirect(doc: Doc, quoted: list[tuple[int, int]], actor_at) -> list[QuoteSpan]:
    out: list[QuoteSpan] = []
    for v in doc:
        if v.pos_ not in ("VERB", "AUX") or v.lemma_.lower() not in SPEECH_LEMMAS:
            continue
        # (a speech verb inside a direct quote still frames its own clause: nested speech)
        subj = _subject(v)
        if subj is not None and subj.lower_ == "you" and v.lemma_.lower() in DISCOURSE_LEMMAS:
            continue  # "you know", "do you think ...?": discourse, not a source
        content = _complement(v)
        if content is None:
            continue
        cs, ce = content
        if _mostly_quoted(cs, ce, [(a, b) for a, b in quoted if not a <= v.idx < b]):
            continue  # "“...,” he said": the direct quote carries it
        # "It was reported that ...": an attribution with no source (speaker None)
        q = QuoteSpan(cs, ce, False, "speech")
        q.roots = tuple(c.i for c in v.children if c.dep_ == "ccomp")
        _set_speaker(q, doc, v, actor_at)
        q.via = "clause"
        out.append(q)
    return out


def _mostly_quoted(cs: int, ce: int, quoted: list[tuple[int, int]]) -> bool:
    inside = sum(max(0, min(ce, e) - max(cs, s)) for s, e in quoted)
    return inside >= 0.8 * max(1, ce - cs)


def _complement(v: Token) -> tuple[int, int] | None:
    """Character span of what a speech verb reports: its clausal complement, or the clause it
    interrupts or follows ("Tokyo is worried, the FT said"; "Tokyo, the FT said, is worried")."""
    comp = [c for c in v.children if c.dep_ in ("ccomp",)]
    if not comp and v.lemma_.lower() in ("say", "tell", "report", "add", "state", "write", "claim", "insist", "warn"):
        # "said Monday it would ..." sometimes comes out as parataxis/advcl/xcomp of the cue
        comp = [c for c in v.children if c.dep_ in ("parataxis", "advcl") and c.pos_ in ("VERB", "AUX")
                and c.i > v.i and any(g.dep_ in ("nsubj", "nsubjpass", "expl") for g in c.children)]
    if comp:
        toks = [t for c in comp for t in c.subtree]
        return _trim(v.doc, min(t.i for t in toks), max(t.i for t in toks))
    if _hangs_on_clause(v):
        # the cue hangs on the clause it reports
        h = v.head
        if h.pos_ not in ("VERB", "AUX", "ADJ", "NOUN"):
            return None
        cue_toks = {t.i for t in v.subtree}
        toks = [t for t in h.subtree if t.i not in cue_toks]
        if not toks:
            return None
        # the contiguous side of the clause on which its head lies
        if v.i > h.i:
            toks = [t for t in toks if t.i < v.left_edge.i] or toks
        else:
            toks = [t for t in toks if t.i > v.right_edge.i] or toks
        return _trim(v.doc, min(t.i for t in toks), max(t.i for t in toks))
    return None


def _hangs_on_clause(v: Token) -> bool:
    """"Tokyo is worried, the FT said" (parataxis), "..., as the minister said" (advcl with "as"),
    a clause-final "..., officials say" parsed as a complement: the cue reports its head's clause."""
    if v.head.i == v.i or not _own_subject(v):
        return False
    if v.dep_ == "parataxis":
        return True
    if v.dep_ == "advcl":
        return any(c.dep_ == "mark" and c.lower_ == "as" for c in v.children)
    if v.dep_ == "ccomp":
        return v.i > v.head.i and v.head.lemma_.lower() not in SPEECH_LEMMAS and v.right_edge.i >= v.sent.end - 2
    return False


def _trim(doc: Doc, a: int, b: int) -> tuple[int, int] | None:
    while a <= b and (doc[a].is_punct or doc[a].is_space):
        a += 1
    while b >= a and (doc[b].is_punct or doc[b].is_space) and doc[b].text not in ("?", "!"):
        b -= 1
    if a > b:
        return None
    return doc[a].idx, doc[b].idx + len(doc[b])


# -- according to, based on, citing ----------------------------------------------------------------


def _according_and_sources(doc: Doc, text: str, sents: list[Span], sent_of: list[int],
                           found: list[QuoteSpan], actor_at) -> list[QuoteSpan]:
    out: list[QuoteSpan] = []
    for m in SOURCE_WORD_RE.finditer(text):
        span = doc.char_span(m.start(), m.end())
        if span is None:
            continue
        t = span[0]
        sent = sents[sent_of[t.i]]
        low = t.lower_
        if low == "according":
            to = t.doc[t.i + 1] if t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to" else None
            if to is None:
                to = next((c for c in t.children if c.lower_ == "to"), None)
            if to is None:
                continue
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            phrase = (t.i, max(x.i for x in to.subtree) + 1)
            content = _outside_phrase(sent, phrase)
            if content is None:
                continue
            q = QuoteSpan(content[0], content[1], False, "according", cue=(t.i, to.i + 1))
            _speaker_from_token(q, doc, _source_head(pobj), actor_at)
            q.via = "according"
            out.append(q)
        elif low in ("based", "citing", "quoting") and t.pos_ in ("VERB", "ADP", "SCONJ"):
            src = _cited_source(t)
            if src is None:
                continue
            cue_tok, who = src
            phrase = (t.i, max(x.i for x in t.subtree) + 1)
            # the content: the main attribution's content in this sentence, else the clause
            main = [q for q in found if q.kind == "speech" and q.cue and sent.start <= q.cue[0] < sent.end]
            if main:
                cs, ce = main[0].start, main[0].end
            else:
                content = _outside_phrase(sent, phrase)
                if content is None:
                    continue
                cs, ce = content
            q = QuoteSpan(cs, ce, False, "source", cue=(cue_tok.i, cue_tok.i + 1))
            _speaker_from_token(q, doc, who, actor_at)
            q.via = "source"
            out.append(q)
    return out


def _cited_source(t: Token) -> tuple[Token, Token] | None:
    """(cue, source head) of "based on interviews with X" / "citing X" / "quoting X"."""
    if t.lower_ in ("citing", "quoting"):
        obj = next((c for c in t.children if c.dep_ in ("dobj", "pobj", "obj")), None)
        # "citing officials", "citing a report": a source; "citing the health risks": a reason
        if obj is not None and (_source_like(obj) or t.lower_ == "quoting"):
            return t, obj
        return None
    on = next((c for c in t.children if c.lower_ == "on"), None)
    if on is None:
        return None
    noun = next((c for c in on.children if c.dep_ == "pobj"), None)
    if noun is None or noun.lemma_.lower() not in SOURCE_NOUNS:
        return None
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in ("with", "from", "by", "of"):
            who = next((p for p in c.children if p.dep_ == "pobj"), None)
            if who is not None:
                return noun, who
    return None


def _source_like(tok: Token) -> bool:
    """Whether a noun names someone or something that can be a source of information."""
    sp = (tok.doc._.actor_at or {}).get(tok.i)
    if sp is not None and sp.actor.code:
        return True
    if tok.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    lem = tok.lemma_.lower()
    return lem in SOURCE_NOUNS or lem in SOURCE_PEOPLE


def _outside_phrase(sent: Span, phrase: tuple[int, int]) -> tuple[int, int] | None:
    """The larger side of a sentence around a phrase, as a character span."""
    a, b = phrase
    left = (sent.start, a - 1) if a > sent.start else None
    right = (b, sent.end - 1) if b < sent.end else None
    sides = [s for s in (left, right) if s is not None and s[1] >= s[0]]
    if not sides:
        return None
    s = max(sides, key=lambda x: x[1] - x[0])
    return _trim(sent.doc, s[0], s[1])


# -- speakers --------------------------------------------------------------------------------------


def _own_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


def _subject(verb: Token, avoid: set[int] | frozenset = frozenset()) -> Token | None:
    """The source of a cue: its subject (a passive's agent; "X was quoted as saying" keeps X), a
    conjunct's or a participle's subject; an inverted subject after the verb ("said Mr. X" parsed
    as an object); never a token in ``avoid`` (the quote's own words) nor an expletive it/there.
    A subject across a paragraph break from its verb (a timestamp or dateline glued to the
    sentence) is replaced by the noun phrase that starts the verb's paragraph."""
    subj = _subject_raw(verb, avoid)
    if subj is not None and subj.i < verb.i and _after_according(subj):
        # "According to X, Y said ..." parsed with X as the subject and Y its apposition
        appos = [c for c in subj.children if c.dep_ == "appos" and c.i < verb.i]
        subj = appos[-1] if appos else subj
    if subj is not None and _newline_between(verb.doc, min(subj.i, verb.i), max(subj.i, verb.i)):
        subj = _paragraph_subject(verb, avoid)
    return subj


def _subject_raw(verb: Token, avoid) -> Token | None:
    lemma = verb.lemma_.lower()
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
    if passive and lemma != "quote":
        for c in verb.children:
            if c.dep_ == "agent":
                p = next((x for x in c.children if x.dep_ == "pobj"), None)
                if p is not None and p.i not in avoid:
                    return p
        return None  # "he was asked", "it was reported": no source named
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass") and c.i not in avoid and not _expletive(c, verb):
            return c
    if not any(c.dep_ in ("nsubj", "nsubjpass") and c.i not in avoid for c in verb.children):
        # "..., said Mr. Dunlap": the speaker after the verb, sometimes parsed as its object
        for c in verb.rights:
            if c.i in avoid:
                continue
            if c.dep_ in ("dobj", "attr", "npadvmod", "oprd", "appos", "dep") and c.pos_ in ("PROPN", "NOUN") \
                    and (c.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or (verb.doc._.actor_at or {}).get(c.i)):
                if verb.i + 3 >= c.left_edge.i:
                    return c
    h = verb.head
    if verb.dep_ in ("conj", "xcomp") and h.i != verb.i and h.pos_ in ("VERB", "AUX"):
        return _subject(h, avoid)
    if verb.dep_ in ("advcl", "pcomp", "xcomp") and verb.tag_ in ("VBG", "VBN"):
        # "X was quoted as saying ...", "X left, saying ...": the participle's subject is the clause's;
        # "X said Y must ..., adding Z" attached inside the complement: the speaker who said it
        if verb.lemma_.lower() in SPEECH_LEMMAS:
            a = h
            for _ in range(4):
                if a.head.i == a.i:
                    break
                a = a.head
                if a.pos_ in ("VERB", "AUX") and a.lemma_.lower() in SPEECH_LEMMAS:
                    subj = _subject(a, avoid)
                    if subj is not None:
                        return subj
        if h.pos_ == "ADP" and h.head.i != h.i:
            h = h.head
        if h.lemma_.lower() == "quote" and not any(c.dep_ in ("nsubjpass", "auxpass") for c in h.children):
            # "Detik.com quoted Djamal as saying": the one quoted speaks
            obj = next((c for c in h.children if c.dep_ in ("dobj", "obj") and c.i not in avoid), None)
            if obj is not None:
                return obj
        if h.pos_ in ("VERB", "AUX") and h.i != verb.i:
            return _subject(h, avoid)
    return None


def _after_according(tok: Token) -> bool:
    i = tok.left_edge.i
    doc = tok.doc
    return i >= 2 and doc[i - 1].lower_ == "to" and doc[i - 2].lower_ == "according"


def _newline_between(doc: Doc, a: int, b: int) -> bool:
    """Whether a line break lies between tokens ``a`` and ``b`` (a < b)."""
    return any("\n" in doc[i].text_with_ws for i in range(a, b))


def _expletive(subj: Token, verb: Token) -> bool:
    low = subj.lower_
    if low == "there" or subj.dep_ == "expl":
        return True
    return low == "it" and (subj.dep_ == "nsubjpass" or verb.lemma_.lower() in ("seem", "appear", "be", "become"))


def _paragraph_subject(verb: Token, avoid) -> Token | None:
    doc = verb.doc
    first = verb.i
    while first > 0 and "\n" not in doc[first - 1].text_with_ws:
        first -= 1
    window = [t for t in doc[first:verb.i] if t.i not in avoid]
    ids = {t.i for t in window}
    cands = [t for t in window if t.pos_ in ("NOUN", "PROPN", "PRON") and (t.head.i not in ids or t.head.i == verb.i)]
    return cands[-1] if cands else None


def _set_speaker(q: QuoteSpan, doc: Doc, cue: Token, actor_at, avoid: set[int] | frozenset = frozenset()) -> None:
    q.cue = _cue_span(cue)
    q.alleged = cue.lemma_.lower() in ALLEGE_LEMMAS
    subj = _subject(cue, avoid)
    if subj is not None:
        _speaker_from_token(q, doc, subj, actor_at)


def _cue_span(cue: Token) -> tuple[int, int]:
    """The cue verb with its auxiliaries, negation and particle ("has said", "did not say")."""
    start = end = cue.i
    for c in cue.children:
        if c.dep_ in ("aux", "auxpass", "neg") and c.i < cue.i and cue.i - c.i <= 3:
            start = min(start, c.i)
        if c.dep_ == "prt" and c.i > cue.i:
            end = max(end, c.i)
    return start, end + 1


def _speaker_from_token(q: QuoteSpan, doc: Doc, head: Token, actor_at) -> None:
    """Fill the speaker fields from the head of the speaker noun phrase."""
    surface = head
    if head.lower_ in RELATIVE_PRONOUNS and head.dep_ in ("nsubj", "nsubjpass") and head.tag_ in ("WP", "WDT"):
        if head.head.dep_ == "relcl":
            head = head.head.head  # "officials who said": the noun the clause describes
        else:
            # "according to police, who said ..." parsed without a relative clause: the noun before
            prev = [t for t in doc[max(0, head.i - 3):head.i] if not t.is_punct]
            if prev and prev[-1].pos_ in ("NOUN", "PROPN"):
                head = prev[-1]
    q.speaker_head = head.i
    sp = actor_at.get(head.i)
    if sp is None:
        # the head may sit inside a multiword mention ("the Financial Times")
        for cand in doc._.actor_spans or []:
            if cand.start <= head.i < cand.end:
                sp = cand
                break
    q.actor = sp if sp is not None and sp.actor.code else None
    if surface is not head:
        q.speaker = (surface.i, surface.i + 1)
    elif sp is not None:
        q.speaker = (min(sp.start, _np_start(head)), max(sp.end, head.i + 1))
    else:
        q.speaker = (_np_start(head), _np_end(head))
    q.name = speaker_name(doc, head, sp)


def _source_head(tok: Token) -> Token:
    """"a report by the FT", "a statement from the ministry": the author, not the artifact."""
    if tok.lemma_.lower() in SOURCE_NOUNS:
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("by", "from", "of"):
                p = next((x for x in c.children if x.dep_ == "pobj"), None)
                if p is not None:
                    return p
        for c in tok.children:
            if c.dep_ == "poss":
                return c
    return tok


def _np_start(head: Token) -> int:
    left = [t for t in head.subtree if t.i < head.i]
    i = head.i
    for t in reversed(left):
        if t.i == i - 1 and t.dep_ not in ("punct", "cc") and t.pos_ not in ("PUNCT", "SPACE") and not t.is_space:
            i = t.i
        else:
            break
    return i


def _np_end(head: Token, appos: bool = True) -> int:
    """End of the noun phrase: the head and its prepositional (and appositive) tail, no clauses."""
    end = head.i + 1
    tails = ("prep", "appos", "compound", "amod", "nummod", "poss") if appos else ("prep", "compound", "nummod")
    for c in head.rights:
        if c.dep_ in tails or (c.dep_ == "punct" and c.text == ","):
            if c.dep_ == "punct":
                continue
            end = max(end, c.right_edge.i + 1)
        else:
            break
    return end


def speaker_name(doc: Doc, head: Token, sp: ActorSpan | None = None) -> str | None:
    """What an attribution names as its source: the actor's name, the outlet a noun like "the
    newspaper" stands for, or the noun phrase as written (no determiners, clauses or appositions);
    None for an unresolved pronoun."""
    if sp is None:
        sp = (doc._.actor_at or {}).get(head.i)
    if sp is not None and not sp.actor.code and sp.actor.kind == "person" and sp.actor.name:
        return sp.actor.name  # a person the tables do not know: the name as found
    if sp is not None and sp.actor.code:
        if sp.actor.name and (sp.actor.kind in ("person", "org") or sp.via in NAMED_VIAS):
            return sp.actor.name
        if sp.via == "pronoun" and sp.antecedent:
            ante = (doc._.actor_at or {}).get(doc[sp.antecedent[0]:sp.antecedent[1]].root.i)
            if ante is not None and ante.via != "pronoun":
                return speaker_name(doc, doc[ante.head], ante)
            return sp.actor.name or doc[sp.antecedent[0]:sp.antecedent[1]].text
        # a described group ("six unnamed Japanese government officials"): the phrase says more
        # than the country it resolves to
        return _np_text(doc, head) or sp.actor.name
    if head.pos_ == "PRON":
        return None
    if head.lemma_.lower() in OUTLET_NOUNS:
        outlets = [s for s in (doc._.actor_spans or []) if s.actor.role == "MED" and s.end <= head.i]
        if outlets and outlets[-1].actor.name:
            return outlets[-1].actor.name
    return _np_text(doc, head)


def _np_text(doc: Doc, head: Token) -> str | None:
    """The noun phrase headed by ``head`` as written, without determiners, clauses or appositions."""
    a, b = _np_start(head), _np_end(head, appos=False)
    while a < head.i and (doc[a].dep_ in ("det", "predet") or doc[a].is_punct):
        a += 1
    while b - 1 > head.i and (doc[b - 1].is_punct or _is_mark(doc[b - 1])):
        b -= 1
    text = doc[a:b].text
    if not text:
        return None
    return text if len(text) <= 80 else head.text


# ----------------------------------------------------------------------------------------------
# public helpers


def attribution_for(doc: Doc, tok: Token) -> Attribution | None:
    """Who the clause holding ``tok`` is attributed to: the innermost attribution whose content
    covers the token (nested speech: "Reuters stated, “officials said they ...”" gives the
    officials), or None when the writer asserts it.

    Covers what ``modality.find_frame`` did (a speech verb above the clause, a speech verb hanging
    on it, "according to X", quotation marks) plus quotes across sentences and paragraphs, cited
    sources, and scare quotes left out. Computes the quotes when the component has not run.
    """
    quotes = doc._.quotes
    if quotes is None:
        quotes = doc._.quotes = find_quotes(doc)
    best: QuoteSpan | None = None
    for q in quotes:
        if not (q.start <= tok.idx < q.end):
            continue
        if q.cue is not None and q.cue[0] <= tok.i < q.cue[1]:
            continue
        if q.speaker is not None and q.speaker[0] <= tok.i < q.speaker[1]:
            continue
        if q.roots and _presupposed(doc, tok, q.roots):
            continue
        if best is None or (q.end - q.start, KIND_ORDER[q.kind]) < (best.end - best.start, KIND_ORDER[best.kind]):
            best = q
    if best is None:
        return None
    cue = doc[best.cue[1] - 1] if best.cue else None
    if cue is not None and best.cue and best.kind in ("quote", "speech"):
        # the verb itself, not its auxiliary
        cue = max((doc[i] for i in range(*best.cue)), key=lambda t: t.pos_ == "VERB")
    spk = doc[best.speaker_head] if best.speaker_head is not None else None
    return Attribution(best.name, best.kind, cue, spk, best.alleged, best, best.actor)


def _presupposed(doc: Doc, tok: Token, roots: tuple[int, ...]) -> bool:
    """A definite noun in the subject of a reported clause is taken for granted, not reported:
    in "they concluded that the agreement is null and void" the agreement itself is a fact."""
    if tok.pos_ not in ("NOUN", "PROPN"):
        return False
    if not any(c.dep_ in ("det", "poss") and (c.dep_ == "poss" or c.lower_ in ("the", "this", "that", "these", "those"))
               for c in tok.children):
        return False
    t = tok
    for _ in range(8):
        if t.head.i == t.i:
            return False
        if t.head.i in roots:
            return t.dep_ in ("nsubj", "nsubjpass")
        t = t.head
    return False


def to_quotes(doc: Doc, quotes: list[QuoteSpan] | None = None) -> list[Quote]:
    """``doc._.quotes`` as :class:`newsevents.model.Quote` objects for ``Annotation.quotes``."""
    out = []
    text = doc.text  # Doc.text joins every token: build it once, not once per quote
    for q in quotes if quotes is not None else (doc._.quotes or []):
        # the actor mention where the attribution names it (a pronoun stays "he", resolved)
        speaker = to_mention(doc, q.actor) if q.actor is not None else None
        cue = None
        if q.cue is not None:
            c = doc[q.cue[0]:q.cue[1]]
            cue = TextSpan(c.text, c.start_char, c.end_char)
        out.append(Quote(
            content=TextSpan(text[q.start:q.end], q.start, q.end),
            speaker=speaker,
            cue=cue,
            direct=q.direct,
            speaker_text=q.name if q.name else (doc[q.speaker[0]:q.speaker[1]].text if q.speaker else None),
        ))
    return out

"""Read PETRARCH/TABARI dictionaries (verbs, actors, agents, discards) and our converted copies.

PETRARCH users bring their own dictionaries, so the readers here accept the plain-text grammar
that PETRARCH2 documents (``docs/source/dictionaries.rst`` and the docstrings of ``PETRreader.py``
in openeventdata/petrarch2) together with the older TABARI constructions still found in the
PETRARCH validation dictionaries. The Phoenix/CAMEO dictionaries (MIT, Open Event Data Alliance)
are converted once by ``scripts/convert_petrarch.py`` into the formats at the end of this module,
which load faster and need no parsing heuristics.

Common to every file
--------------------
* ``#`` starts a comment anywhere on a line (outside ``[...]``: ``[###]`` is a code);
  ``<!-- ... -->`` comments may span lines; any other line starting with ``<!`` is skipped (as
  PETRARCH does); blank lines are skipped.
* In verb and actor lines a ``;`` also starts a comment (TABARI: ``RIP {...};shan 7/11/93``).
* Words are upper case in the files and lower case here; ``_`` joins the words of a phrase and
  becomes a space. A trailing ``_`` ("no stemming / no plural" in TABARI) sets ``Word.exact``.
* Every problem is reported with file and line. A line whose meaning cannot be recovered raises
  ``ValueError("<file>:<line>: <reason>: <text>")``. A line whose intent is clear but whose form
  is irregular is repaired or skipped and reported in the ``warnings`` list the readers accept
  (and logged as one summary line); "Tolerated oddities" below is the complete list.

Verb dictionary (``read_verb_dictionary``)
------------------------------------------
* ``&NAME`` starts a synonym set; the ``+WORD`` lines that follow are its members (words,
  ``_``/space phrases of consecutive words, ``{A B}`` phrases, or another ``&SET``). A name ending
  in ``_`` is stored without it and all its members become ``exact`` (PETRARCH generates no
  plurals for them). Sets may be defined anywhere in the file, before or after use.
* ``--- NAME [CODE] ---`` opens a verb block; a missing code means ``---`` (no event).
* A line inside a block that is not a pattern is a verb: ``SEEK {SEEKS SEEKING SOUGHT} [030]``.
  Multi-word verbs join words with ``_`` and mark the inflected word with ``+``
  (``+GET_TOGETHER``, ``WIRE_+TAP``); without a ``+`` the first word is the verb. ``{...}``
  lists the other forms; ``{}`` means "no other forms".
* Forms: without ``{...}`` the regular forms are generated (-s/-es/-ies, -ed/-d/-ied, -ing with
  e-dropping, ie->ying, and final-consonant doubling: always for one-syllable CVC verbs, both
  spellings for longer ones ending in -l or a usually stressed syllable such as -mit/-fer/-cur).
  With ``{...}`` the list is taken as PETRARCH documents it (complete), except that an -s form
  and an -ing form are added when the list has none: those are regular in English, and the CAMEO
  file often lists only the irregular past (``DRAW {DRAWS DREW DRAWN}`` gains "drawing"). Past
  forms are never generated next to a ``{...}`` list (``PUT {PUTS PUTTING}``: "put" is its
  past). Generated forms are lookup keys: a spelling that never occurs in text does no harm.
* ``- PRE * POST [CODE] # comment`` is a pattern; ``*`` is the verb. Elements:
  ``WORD`` -> :class:`Word`; ``&SET`` -> :class:`Synset`; ``{A B C}`` -> :class:`Phrase` (a noun
  phrase, head last); ``(PREP ...)`` -> :class:`Prep`; ``$`` :class:`Source`; ``+``
  :class:`Target`; ``^`` :class:`Skip` (any noun phrase); ``%`` :class:`Compound` (a compound
  actor, "A and B": the event is coded between its members, source and target are both the
  compound). TABARI's ``_`` connector between elements means "no words in between": ``A_B`` of
  plain words is one multiword :class:`Word`; a run that includes a set or an actor marker is a
  :class:`Consecutive`; ``IN_*`` / ``*_OUT`` set ``pre_adjacent`` / ``post_adjacent`` (the
  element touches the verb). ``ATTACK/BOMBING`` (alternatives of letters-only words) expands the
  line into one pattern per alternative, all with the same line number. ``*WORD`` is ``* WORD``
  (PETRARCH2 splits patterns on ``*``).
* ``~ a (a b ATTACK) SAY = a b 015`` is a verb transformation (:class:`VerbTransformation`).
* ``[a:b]`` codes are split into ``code`` = a and ``code2`` = b. PETRARCH2
  (``utilities.convert_code``, ``PETRtree.VerbPhrase.get_code`` and ``get_meaning``) reads ``a``
  as the active code, for the clause as parsed (subject -> object), and ``b`` as an inherent
  "passive" code: an event with the roles reversed, the object (or the actor of a BY/FROM/IN
  phrase) acting on the subject. ``[042:043]`` ("rush to X") is "make a visit" by the subject and
  "host a visit" by X; with an empty ``a`` (``[:173]``, "appear before court") only the reversed
  event exists, so ``code`` is ``---`` and ``code2`` is ``173``.

Actor dictionary (``read_actor_dictionary``)
--------------------------------------------
``NAME [CODE] ...`` starts an entry, ``+NAME`` lines add synonyms, indented ``[CODE dates]``
lines (one or more per line) add codes. Date restrictions: ``[C a-b]``, ``[C >a]``, ``[C <b]``,
``[C]``; spaces inside are allowed. Dates are YYMMDD or YYYYMMDD. Century rule (PETRARCH's
``dstr_to_ordate``, inherited from KEDS/TABARI): a two-digit year 00-30 is 20YY, 31-99 is 19YY;
Phoenix writes birth-era dates with four digits (``18970101``). An :class:`ActorCode` covers
``start <= day < end`` (PETRARCH's comparison), so on the day a spell ends the next one applies.
:meth:`ActorEntry.code_on` returns the first dated code covering the day (file order), else the
first undated code, else None. The null code ``---`` is returned as is (an explicit "no actor").

Agent dictionary (``read_agent_dictionary``)
--------------------------------------------
``PHRASE {PLURAL} [~CODE]``. ``~CODE`` is appended after the actor's code (``USA`` + ``~GOV`` ->
``USAGOV``, ``prefix=False``); ``CODE~`` goes before it (``NGO~`` -> ``NGOUSA``,
``prefix=True``). A regular plural of the last word is generated unless ``{}`` (none) or
``{PLURAL}`` (that one) is given, or the phrase ends with ``_``. ``!NAME! = A, B, C`` defines a
substitution set; a phrase with ``!NAME!`` yields one entry per member and no plurals. A blank
between two words (rather than ``_``) means other words may come in between: their positions are
kept in ``AgentEntry.gaps``. Each :class:`AgentEntry` is one surface phrase (singular, plural,
each expansion).

Discards (``read_discards``)
----------------------------
One phrase per line; ``+`` in front marks a story-level discard (the whole story is not coded),
a trailing ``_`` requires the match to end at a word boundary (otherwise it is a prefix match).

Tolerated oddities (repaired or skipped, always reported in ``warnings``)
-------------------------------------------------------------------------
* verbs: text glued to a pattern's code bracket that unbalances the pattern
  (``(WITH VISIT)  VISIT)[042:043]``) is dropped; codes that are not CAMEO-shaped (``[080!]``,
  ``[102b]``) are kept verbatim and reported; a second code in a block header
  (``--- DELAY [120] [031:031] ---``) is ignored; a pattern using an undefined ``&SET`` is kept
  (it can never match, as in PETRARCH); a set defined twice has its members merged (as PETRARCH).
* actors: a code whose date cannot be read (``9008223``, a reversed range, a bare date with no
  ``<``/``>``/``-``) is dropped, the rest of the entry kept; text after the last code of a line
  (``[MNCMED]<TAB>Newspapers/Magazines``) becomes comment; an entry without codes is kept (it
  resolves to nothing); a name with control characters (encoding damage) is dropped, and so is
  an entry left without names.
* agents: a code closed with ``}`` (``[~ENV}``) or without ``~`` (read as ``~CODE``); a line
  without any code is skipped (PETRARCH does the same).
* any file: a line that is not UTF-8 is read as Latin-1.

Our formats
-----------
* verbs, JSON (``write_verb_json``/``read_verb_json``): ``{"attribution", "format", "synsets",
  "transformations", "blocks"}``, one synset per line, one block header per line and one pattern
  per line. Leaf elements are strings in the dictionary's own notation (``"abduction"``,
  ``"cash_"`` exact, ``"&CURRENCY"``, ``"$"``, ``"+"``, ``"^"``, ``"%"``); composites are objects
  ``{"np": [...]}`` (Phrase), ``{"prep": "of", "obj": [...]}`` (Prep), ``{"seq": [...]}``
  (Consecutive). Reading it back gives an equal :class:`VerbDictionary`.
* actors, TSV (``write_actor_tsv``/``read_actor_tsv``): ``#`` header lines (attribution first),
  then columns ``file line names codes comment``; one row per entry; ``names`` joined with ``|``
  (primary name first); ``codes`` joined with ``|`` in file order, each ``CODE``,
  ``CODE@YYYY-MM-DD/YYYY-MM-DD``, ``CODE@YYYY-MM-DD/`` (open end) or ``CODE@/YYYY-MM-DD`` (open
  start); the end date is the first day no longer covered.
* agents, TSV (``write_agent_tsv``/``read_agent_tsv``): columns ``phrase code prefix gaps line``;
  ``prefix`` is 1 for ``CODE~``; ``gaps`` is a comma list of word positions.
* discards: the discard grammar itself (lower case, comments dropped), read by ``read_discards``.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterator, Union

log = logging.getLogger(__name__)

ATTRIBUTION = (
    "Converted from the PETRARCH2 / Phoenix dictionaries, Copyright (c) 2014-2015 "
    "Open Event Data Alliance, MIT License"
)
VERB_FORMAT = "newsevents.petrarch-verbs/1"
ACTOR_FORMAT = "newsevents.petrarch-actors/1"
AGENT_FORMAT = "newsevents.petrarch-agents/1"

__all__ = [
    "ATTRIBUTION", "Word", "Synset", "Phrase", "Prep", "Source", "Target", "Skip", "Compound",
    "Consecutive", "Element", "VerbPattern", "VerbEntry", "VerbBlock", "VerbTransformation",
    "VerbDictionary", "ActorCode", "ActorEntry", "AgentEntry", "DiscardEntry",
    "read_verb_dictionary", "write_verb_json", "read_verb_json", "read_actor_dictionary",
    "write_actor_tsv", "read_actor_tsv", "read_agent_dictionary", "write_agent_tsv",
    "read_agent_tsv", "read_discards", "read_discard_entries", "write_discards", "verb_forms",
    "noun_plural", "parse_dictionary_date",
]


# ---------------------------------------------------------------------------------------------
# Pattern elements
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Word:
    """A word or a phrase of consecutive words ("prime minister"), lower case.

    ``exact``: the file ended it with ``_`` (no plural / no stem variants)."""

    text: str
    exact: bool = False


@dataclass(frozen=True)
class Synset:
    """A reference to a synonym set, ``&CURRENCY`` -> ``Synset("CURRENCY")``."""

    name: str


@dataclass(frozen=True)
class Phrase:
    """``{PEACE TALK}``: a noun phrase whose last element is the head, the others its modifiers."""

    words: tuple  # of Word | Synset


@dataclass(frozen=True)
class Prep:
    """``(WITH +)`` -> ``Prep("with", (Target(),))``; ``(TO)`` -> ``Prep("to", ())``."""

    prep: str
    elements: tuple = ()


@dataclass(frozen=True)
class Source:
    """``$``: the source actor of the event."""


@dataclass(frozen=True)
class Target:
    """``+``: the target actor of the event."""


@dataclass(frozen=True)
class Skip:
    """``^``: any noun phrase (skipped)."""


@dataclass(frozen=True)
class Compound:
    """``%``: a compound actor ("A and B"); the event is coded between its members."""


@dataclass(frozen=True)
class Consecutive:
    """TABARI ``A_&SET_B`` / ``SUGGESTED_+``: elements with no words between them."""

    elements: tuple


Element = Union[Word, Synset, Phrase, Prep, Source, Target, Skip, Compound, Consecutive]
_MARKERS = {"$": Source(), "+": Target(), "^": Skip(), "%": Compound()}
_MARKER_TEXT = {type(v): k for k, v in _MARKERS.items()}


@dataclass(frozen=True)
class VerbPattern:
    pre: tuple  # elements before the verb, in order
    post: tuple  # elements after the verb, in order
    code: str  # CAMEO code, "---" for "no event"; the active part of "[a:b]"
    code2: str | None = None  # the "passive" (roles reversed) part of "[a:b]"
    line: int = 0
    comment: str = ""
    pre_adjacent: bool = False  # the last pre element touches the verb ("IN_*")
    post_adjacent: bool = False  # the first post element touches the verb ("*_OUT")


@dataclass(frozen=True)
class VerbEntry:
    lemma: str  # "accuse", "get together"
    forms: tuple[str, ...]  # every surface form, lemma first, lower case
    code: str | None = None  # the verb's own code, None = the block's
    code2: str | None = None
    head: int = 0  # index of the inflected word in the lemma ("wire tap" -> 1)
    line: int = 0
    comment: str = ""


@dataclass(frozen=True)
class VerbBlock:
    name: str  # "BLAME" (as written, upper case)
    code: str  # block default code, "---" = none
    verbs: tuple[VerbEntry, ...]
    patterns: tuple[VerbPattern, ...]
    code2: str | None = None
    line: int = 0


@dataclass(frozen=True)
class VerbTransformation:
    """``~ a (a b ATTACK) SAY = a b 015``: "a says a will attack b" is coded "a b 015".

    Variables are letters, ``.`` (an unspecified actor) or ``_`` (no actor); verbs are block names
    or ``Q`` (any verb)."""

    source: str
    inner: tuple[str, str, str]  # (source, target, verb) of the embedded event
    verb: str
    result: tuple[str, str, str]  # (source, target, code)
    line: int = 0
    comment: str = ""


@dataclass
class VerbDictionary:
    blocks: list[VerbBlock]
    synsets: dict[str, tuple]  # name -> tuple of Word | Phrase | Synset alternatives
    transformations: list[VerbTransformation] = field(default_factory=list)
    _forms: dict | None = field(default=None, init=False, repr=False, compare=False)

    def by_form(self) -> dict[str, list[tuple[VerbBlock, VerbEntry]]]:
        """Inflected form -> the (block, verb) pairs it belongs to. Built once."""
        if self._forms is None:
            index: dict[str, list[tuple[VerbBlock, VerbEntry]]] = {}
            for block in self.blocks:
                for verb in block.verbs:
                    for form in verb.forms:
                        index.setdefault(form, []).append((block, verb))
            self._forms = index
        return self._forms

    def block(self, name: str) -> VerbBlock | None:
        for b in self.blocks:
            if b.name == name:
                return b
        return None

    def synset_words(self, name: str) -> tuple[str, ...]:
        """Surface strings of a set, nested sets resolved, with the plurals PETRARCH generates."""
        out: list[str] = []
        seen: set[str] = set()

        def visit(n: str) -> None:
            if n in seen:
                return
            seen.add(n)
            for alt in self.synsets.get(n, ()):
                if isinstance(alt, Synset):
                    visit(alt.name)
                elif isinstance(alt, Word):
                    out.append(alt.text)
                    if not alt.exact:
                        out.append(noun_plural(alt.text))
                elif isinstance(alt, Phrase):
                    words = [w.text for w in alt.words if isinstance(w, Word)]
                    if len(words) == len(alt.words):
                        out.append(" ".join(words))

        visit(name)
        return tuple(dict.fromkeys(out))


# ---------------------------------------------------------------------------------------------
# Line reading
# ---------------------------------------------------------------------------------------------
def _lines(
    path: Path, local: list[str], semicolon: bool = False
) -> Iterator[tuple[int, str, str]]:
    """(line number, body, comment) of the meaningful lines of a dictionary file.

    Files are UTF-8; a line that is not is read as Latin-1 and reported in ``local``."""
    in_xml = False
    with open(path, "rb") as fh:
        for lineno, raw_bytes in enumerate(fh, start=1):
            try:
                raw = raw_bytes.decode("utf-8")
            except UnicodeDecodeError:
                raw = raw_bytes.decode("latin-1")
                _warn(local, path, lineno, "not UTF-8, read as Latin-1", raw)
            line = raw.rstrip("\r\n")
            if in_xml:
                end = line.find("-->")
                if end < 0:
                    continue
                line = line[end + 3:]
                in_xml = False
            while "<!--" in line:
                start = line.find("<!--")
                end = line.find("-->", start + 4)
                if end < 0:
                    line = line[:start]
                    in_xml = True
                    break
                line = line[:start] + line[end + 3:]
            if line.lstrip().startswith("<!"):
                continue
            comment = ""
            cut = _comment_start(line, ";#" if semicolon else "#")
            if cut >= 0:
                comment = " ".join(line[cut + 1:].split())
                line = line[:cut]
            if not line.strip():
                continue
            yield lineno, line, comment


def _comment_start(line: str, starters: str) -> int:
    """Index of the first comment character outside ``[...]`` (``[###]`` is a code), or -1."""
    depth = 0
    for i, ch in enumerate(line):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth = max(depth - 1, 0)
        elif ch in starters and depth == 0:
            return i
    return -1


def _err(path: Path, lineno: int, reason: str, text: str) -> ValueError:
    return ValueError(f"{path}:{lineno}: {reason}: {text.strip()!r}")


def _warn(warnings: list[str] | None, path: Path, lineno: int, reason: str, text: str) -> None:
    msg = f"{path.name}:{lineno}: {reason}: {text.strip()!r}"
    if warnings is not None:
        warnings.append(msg)
    log.debug(msg)


def _summarise(path: Path, warnings: list[str] | None, local: list[str]) -> None:
    if local:
        log.info("%s: %d irregular line(s) repaired or skipped", path.name, len(local))
    if warnings is not None:
        warnings.extend(local)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_CAMEO_CODE = re.compile(r"^(---|\d{2,4})$")


def _split_code(text: str) -> tuple[str, str | None]:
    """"042:043" -> ("042", "043"); ":173" -> ("---", "173"); "112" -> ("112", None)."""
    text = text.strip()
    if ":" in text:
        a, b = text.split(":", 1)
        return (a.strip() or "---"), (b.strip() or None)
    return text, None


# ---------------------------------------------------------------------------------------------
# Inflection
# ---------------------------------------------------------------------------------------------
_V = "aeiou"
_STRESSED_FINALS = ("mit", "fer", "cur", "bid", "bed", "gret", "hor", "quip", "ter", "pel", "bel")


def _consonant_stems(w: str) -> list[str]:
    """Stems before -ed/-ing: the doubled final consonant where English doubles it."""
    if len(w) < 2 or w[-1] in _V + "wxy" or not w[-1].isalpha():
        return [w]
    if not re.search(r"(?:^|[^aeiou]|qu)[aeiou][^aeiou]$", w):  # ends consonant-vowel-consonant
        return [w]
    syllables = len(re.findall(r"[aeiouy]+", w.replace("qu", "q")))  # the u of qu is no vowel
    if syllables <= 1:
        return [w + w[-1]]
    if w.endswith("l") or w.endswith(_STRESSED_FINALS):
        return [w + w[-1], w]
    return [w]


def _third_person(w: str) -> str:
    if re.search(r"(s|x|z|ch|sh)$", w):
        return w + "es"
    if re.search(r"[^aeiou]y$", w):
        return w[:-1] + "ies"
    if re.search(r"[^aeiou]o$", w):
        return w + "es"
    return w + "s"


def _past(w: str) -> list[str]:
    if w.endswith("e"):
        return [w + "d"]
    if re.search(r"[^aeiou]y$", w):
        return [w[:-1] + "ied"]
    return [s + "ed" for s in _consonant_stems(w)]


def _gerund(w: str) -> list[str]:
    if w.endswith("ie") and len(w) > 2:
        return [w[:-2] + "ying"]
    if w.endswith(("ee", "ye", "oe")) or w == "be":
        return [w + "ing"]
    if w.endswith("e") and len(w) > 2:
        return [w[:-1] + "ing"]
    return [s + "ing" for s in _consonant_stems(w)]


def verb_forms(
    word: str, s_form: bool = True, ing_form: bool = True, past: bool = True
) -> list[str]:
    """Regular inflected forms of one lower-case verb (the word itself not included)."""
    out: list[str] = []
    if s_form:
        out.append(_third_person(word))
    if past:
        out.extend(_past(word))
    if ing_form:
        out.extend(_gerund(word))
    return out


def noun_plural(text: str) -> str:
    """Regular plural of a noun phrase (its last word): -s; -es after ss/x/z/ch/sh; -ies after a
    consonant + y; a word already ending in a single -s is left as it is ("talks", "news")."""
    head, _, last = text.rpartition(" ")
    if re.search(r"(ss|x|z|ch|sh)$", last):
        plural = last + "es"
    elif last.endswith("s"):
        plural = last
    elif re.search(r"[^aeiou]y$", last):
        plural = last[:-1] + "ies"
    else:
        plural = last + "s"
    return f"{head} {plural}" if head else plural


# ---------------------------------------------------------------------------------------------
# Verb dictionary: patterns
# ---------------------------------------------------------------------------------------------
_ALT_TOKEN = re.compile(r"^([({]*)([A-Za-z]+(?:/[A-Za-z]+)+)([)}]*)$")


def _expand_alternatives(body: str) -> list[str]:
    """"(BY/WITH &WEAPON)" -> ["(BY &WEAPON)", "(WITH &WEAPON)"]."""
    tokens = body.split()
    choices: list[list[str]] = []
    for tok in tokens:
        m = _ALT_TOKEN.match(tok)
        if m:
            choices.append([m.group(1) + alt + m.group(3) for alt in m.group(2).split("/")])
        else:
            choices.append([tok])
    if all(len(c) == 1 for c in choices):
        return [body]
    return [" ".join(combo) for combo in itertools.product(*choices)]


class _PatternError(Exception):
    pass


class _PatternParser:
    """Turns the text between ``-`` and the code of a pattern line into pre/post elements."""

    def __init__(self, synset_names: set[str]):
        self.synset_names = synset_names
        self.undefined: dict[str, int] = {}  # undefined set name -> first line using it
        self.lineno = 0

    # chunk = one whitespace-delimited run of "_"-joined parts
    def _parts(self, chunk: str) -> list[str]:
        parts = chunk.split("_")
        out: list[str] = []
        i = 0
        while i < len(parts):
            p = parts[i]
            if p.startswith("&") and len(p) > 1:
                # longest "_"-joined name that is a defined set ("&FIGHT_OF_WORDS")
                best = 1
                for j in range(len(parts), i + 1, -1):
                    name = "_".join(parts[i:j])[1:]
                    if name.rstrip("_") in self.synset_names and all(parts[i:j]):
                        best = j - i
                        break
                out.append("_".join(parts[i:i + best]))
                i += best
                continue
            out.append(p)
            i += 1
        return out

    def _leaf(self, part: str, exact: bool) -> Element:
        if part in _MARKERS:
            return _MARKERS[part]
        if part.startswith("&"):
            name = part[1:].rstrip("_")
            if not name:
                raise _PatternError("empty synset name")
            if name not in self.synset_names:
                self.undefined.setdefault(name, self.lineno)
            return Synset(name)
        if not part:
            raise _PatternError("empty word")
        return Word(part.lower(), exact)

    def _chunk_elements(self, chunk: str) -> list:
        """Elements of one chunk, with "*" kept as the string "*"; plain-word runs merged."""
        parts = self._parts(chunk)
        exact_last = False
        if len(parts) > 1 and parts[-1] == "":
            parts = parts[:-1]
            exact_last = True
        if "" in parts:
            raise _PatternError(f"empty part in {chunk!r}")
        groups: list[list[str]] = [[]]
        for p in parts:
            if p == "*":
                groups.append(["*"])
                groups.append([])
            else:
                groups[-1].append(p)
        out: list = []
        for gi, g in enumerate(groups):
            if not g:
                continue
            if g == ["*"]:
                out.append("*")
                continue
            is_last_group = gi == len(groups) - 1
            elems: list[Element] = []
            words: list[str] = []

            def flush(exact: bool = False) -> None:
                if words:
                    elems.append(Word(" ".join(w.lower() for w in words), exact))
                    words.clear()

            for p in g:
                if p in _MARKERS or p.startswith("&"):
                    flush()
                    elems.append(self._leaf(p, False))
                else:
                    words.append(p)
            flush(exact_last and is_last_group)
            out.append(elems[0] if len(elems) == 1 else Consecutive(tuple(elems)))
        return out

    def phrase(self, text: str) -> Phrase:
        """A ``{A B C}`` written on its own (a synset member)."""
        pre, _post, _a, _b = self.parse(text + " *")
        if len(pre) != 1 or not isinstance(pre[0], Phrase):
            raise _PatternError("expected one {...} phrase")
        return pre[0]

    def parse(self, body: str) -> tuple[tuple, tuple, bool, bool]:
        # separate brackets from words
        spaced = re.sub(r"([(){}])", r" \1 ", body)
        # "*" is a token of its own unless "_" joins it (PETRARCH2 splits patterns on "*")
        spaced = re.sub(r"(?<=[^_\s])\*", " *", spaced)
        spaced = re.sub(r"\*(?=[^_\s])", "* ", spaced)
        tokens = spaced.split()
        seq: list = []  # elements and "*" in order, plus adjacency markers
        adjacency: list[tuple[int, str]] = []  # (index of "*" in seq, "pre"/"post")
        i = 0

        def read_group(close: str) -> list[str]:
            nonlocal i
            out = []
            while i < len(tokens) and tokens[i] != close:
                out.append(tokens[i])
                i += 1
            if i >= len(tokens):
                raise _PatternError(f"missing '{close}'")
            i += 1  # skip the closer
            return out

        def phrase_from(toks: list[str]) -> Phrase:
            if any(t in "(){}" for t in toks):
                raise _PatternError("brackets nested inside {...}")
            words: list[Element] = []
            for t in toks:
                for e in self._chunk_elements(t):
                    if e == "*":
                        raise _PatternError("the verb '*' inside {...}")
                    if not isinstance(e, (Word, Synset)):
                        raise _PatternError("only words and &sets may stand in {...}")
                    words.append(e)
            if not words:
                raise _PatternError("empty {}")
            return Phrase(tuple(words))

        while i < len(tokens):
            tok = tokens[i]
            if tok == "{":
                i += 1
                seq.append(phrase_from(read_group("}")))
            elif tok == "(":
                i += 1
                inner = read_group(")")
                if "(" in inner:
                    raise _PatternError("nested '('")
                if not inner or inner[0] in "{}":
                    raise _PatternError("a (...) group must start with its preposition")
                prep_parts = self._chunk_elements(inner[0])
                if len(prep_parts) != 1 or not isinstance(prep_parts[0], Word):
                    raise _PatternError(f"bad preposition {inner[0]!r}")
                elems: list[Element] = []
                k = 1
                while k < len(inner):
                    t = inner[k]
                    if t == "{":
                        end = inner.index("}", k) if "}" in inner[k:] else -1
                        if end < 0:
                            raise _PatternError("missing '}'")
                        elems.append(phrase_from(inner[k + 1:end]))
                        k = end + 1
                        continue
                    if t == "}":
                        raise _PatternError("unbalanced '}'")
                    for e in self._chunk_elements(t):
                        if e == "*":
                            raise _PatternError("the verb '*' inside (...)")
                        elems.append(e)
                    k += 1
                seq.append(Prep(prep_parts[0].text, tuple(elems)))
            elif tok in (")", "}"):
                raise _PatternError(f"unbalanced '{tok}'")
            else:
                elems = self._chunk_elements(tok)
                for j, e in enumerate(elems):
                    if e == "*":
                        if j > 0:
                            adjacency.append((len(seq), "pre"))
                        if j < len(elems) - 1:
                            adjacency.append((len(seq), "post"))
                    seq.append(e)
                i += 1
        stars = [k for k, e in enumerate(seq) if e == "*"]
        if len(stars) != 1:
            raise _PatternError("a pattern needs exactly one '*' (the verb)")
        s = stars[0]
        pre_adj = any(k == s and side == "pre" for k, side in adjacency)
        post_adj = any(k == s and side == "post" for k, side in adjacency)
        return tuple(seq[:s]), tuple(seq[s + 1:]), pre_adj, post_adj


_CODE_AT_END = re.compile(r"\[([^\[\]]*)\]\s*(.*)$")


def _balance(text: str) -> bool:
    depth_p = depth_b = 0
    for ch in text:
        if ch == "(":
            depth_p += 1
        elif ch == ")":
            depth_p -= 1
        elif ch == "{":
            depth_b += 1
        elif ch == "}":
            depth_b -= 1
        if depth_p < 0 or depth_b < 0:
            return False
    return depth_p == 0 and depth_b == 0


def _split_pattern_line(
    body: str, path: Path, lineno: int, warnings: list[str]
) -> tuple[str, str, str]:
    """"- * X [112] ; c" -> ("* X", "112", "c") with the glued-junk repair."""
    text = body.strip()[1:]  # drop the leading "-"
    start = text.rfind("[")
    m = _CODE_AT_END.match(text[start:]) if start >= 0 else None
    if not m:
        raise _err(path, lineno, "a pattern needs a [code] at its end", body)
    code = m.group(1).strip()
    extra = m.group(2).strip().lstrip(";").strip()
    pattern = text[:start]
    if pattern and not pattern[-1].isspace() and not _balance(pattern):
        cut = max(pattern.rfind(" "), pattern.rfind("\t"))
        glued = pattern[cut + 1:]
        if _balance(pattern[: cut + 1]):
            _warn(warnings, path, lineno, f"text {glued!r} glued to the code dropped", body)
            pattern = pattern[: cut + 1]
    if not code:
        raise _err(path, lineno, "empty [code]", body)
    return pattern, code, extra


# ---------------------------------------------------------------------------------------------
# Verb dictionary: reader
# ---------------------------------------------------------------------------------------------
def _check_codes(local: list[str], path: Path, lineno: int, body: str, *codes: str | None) -> None:
    for c in codes:
        if c is not None and not _CAMEO_CODE.match(c):
            _warn(local, path, lineno, f"unusual code {c!r}", body)


_HEADER = re.compile(r"^---(.*?)(?:---\s*)?$")
_VERB_LINE = re.compile(
    r"^(?P<lemma>[^{}\[\]]+?)\s*(?:\{(?P<forms>[^{}]*)\})?\s*(?:\[(?P<code>[^\[\]]*)\])?\s*$"
)
_TRANSFORM = re.compile(
    r"^~\s*(\S+)\s*\(\s*(\S+)\s+(\S+)\s+(\S+)\s*\)\s*(\S+)\s*=\s*(\S+)\s+(\S+)\s+(\S+)\s*$"
)


def _verb_words(text: str) -> tuple[list[str], int]:
    """"WIRE_+TAP" -> (["wire", "tap"], 1); "+GET_TOGETHER" -> (["get", "together"], 0)."""
    words: list[str] = []
    head = -1
    for piece in text.replace("_", " ").split():
        if piece.startswith("+"):
            if head >= 0:
                raise ValueError("more than one '+' in a verb")
            head = len(words)
            piece = piece[1:]
        if piece:
            words.append(piece.lower())
    if not words:
        raise ValueError("empty verb")
    return words, max(head, 0)


def _parse_verb_line(body: str, comment: str, lineno: int) -> VerbEntry:
    m = _VERB_LINE.match(body.strip())
    if not m:
        raise ValueError("a verb line is 'VERB {FORMS} [CODE]'")
    words, head = _verb_words(m.group("lemma"))
    lemma = " ".join(words)
    forms: list[str] = [lemma]
    listed = m.group("forms")
    head_word = words[head]

    def with_head(w: str) -> str:
        return " ".join(words[:head] + [w] + words[head + 1:])

    if listed is None:
        forms += [with_head(f) for f in verb_forms(head_word)]
    else:
        given_heads = []
        for item in listed.replace(",", " ").split():
            fw, fh = _verb_words(item)
            forms.append(" ".join(fw))
            given_heads.append(fw[fh] if fh < len(fw) else fw[0])
        if given_heads:
            has_s = any(h.endswith("s") and h != head_word for h in given_heads)
            has_ing = any(h.endswith("ing") for h in given_heads)
            forms += [with_head(f) for f in verb_forms(head_word, not has_s, not has_ing, False)]
    code = code2 = None
    if m.group("code") is not None:
        if not m.group("code").strip():
            raise ValueError("empty [code]")
        code, code2 = _split_code(m.group("code"))
    return VerbEntry(lemma, tuple(dict.fromkeys(forms)), code, code2, head, lineno, comment)


def read_verb_dictionary(path: str | Path, warnings: list[str] | None = None) -> VerbDictionary:
    """Read a PETRARCH verb dictionary (CAMEO.2.0.txt, PETR.Validate.verbs.txt)."""
    path = Path(path)
    local: list[str] = []
    lines = list(_lines(path, local, semicolon=True))

    # pass 1: synonym sets (they may be defined after their first use)
    synsets: dict[str, list] = {}
    current: str | None = None
    set_lines: set[int] = set()
    for lineno, body, _comment in lines:
        text = body.strip()
        if text.startswith("&") and body[0] == "&":
            raw = text.split()[0]
            if len(text.split()) > 1:
                raise _err(path, lineno, "text after a synset name", body)
            name = raw[1:].rstrip("_")
            if not name:
                raise _err(path, lineno, "empty synset name", body)
            exact_all = raw.endswith("_")
            current = name
            if name in synsets:
                _warn(local, path, lineno, f"synset &{name} defined again, members merged", body)
            synsets.setdefault(name, [])
            synsets[name].append(exact_all)  # marker, resolved below
            set_lines.add(lineno)
            continue
        if current is not None and text.startswith("+"):
            member = text[1:].strip()
            if not member:
                raise _err(path, lineno, "empty synset member", body)
            synsets[current].append((lineno, member))
            set_lines.add(lineno)
            continue
        current = None

    names = set(synsets)
    parser = _PatternParser(names)
    resolved: dict[str, tuple] = {}
    for name, items in synsets.items():
        exact_all = False
        members: list = []
        for item in items:
            if isinstance(item, bool):
                exact_all = item
                continue
            lineno, member = item
            parser.lineno = lineno
            if member.startswith("&"):
                members.append(parser._leaf(member, False))
                continue
            if member.startswith("{") and member.endswith("}"):
                try:
                    members.append(parser.phrase(member))
                except _PatternError as exc:
                    raise _err(path, lineno, str(exc), member) from None
                continue
            if any(c in member for c in "(){}*$^%[]"):
                raise _err(path, lineno, "a synset member is a word or phrase", member)
            exact = member.endswith("_") or exact_all
            words = member.replace("_", " ").split()
            members.append(Word(" ".join(w.lower() for w in words), exact))
        resolved[name] = tuple(dict.fromkeys(members))

    # pass 2: blocks, verbs, patterns, transformations
    blocks: list[VerbBlock] = []
    transformations: list[VerbTransformation] = []
    name = code = code2 = None
    header_line = 0
    verbs: list[VerbEntry] = []
    patterns: list[VerbPattern] = []

    def close_block() -> None:
        if name is not None:
            blocks.append(VerbBlock(name, code, tuple(verbs), tuple(patterns), code2, header_line))

    for lineno, body, comment in lines:
        if lineno in set_lines:
            continue
        text = body.strip()
        if text.startswith("---"):
            close_block()
            m = _HEADER.match(text)
            inner = m.group(1) if m else text[3:]
            codes = re.findall(r"\[([^\[\]]*)\]", inner)
            label = re.sub(r"\[[^\[\]]*\]", " ", inner).strip()
            if not label or "[" in label or "]" in label:
                raise _err(path, lineno, "a block header is '--- NAME [CODE] ---'", body)
            if len(codes) > 1:
                _warn(local, path, lineno, "extra code in block header ignored", body)
            name = " ".join(label.split())
            code, code2 = _split_code(codes[0]) if codes and codes[0].strip() else ("---", None)
            _check_codes(local, path, lineno, body, code, code2)
            header_line = lineno
            verbs, patterns = [], []
            continue
        if text.startswith("~"):
            m = _TRANSFORM.match(text)
            if not m:
                raise _err(
                    path, lineno, "a transformation is '~ a (b c VERB) VERB = a b CODE'", body
                )
            g = m.groups()
            transformations.append(VerbTransformation(
                g[0], (g[1], g[2], g[3]), g[4], (g[5], g[6], g[7]), lineno, comment
            ))
            continue
        if name is None:
            raise _err(path, lineno, "verb or pattern line before the first '--- BLOCK ---'", body)
        if text.startswith("-"):
            pattern_text, raw_code, extra = _split_pattern_line(body, path, lineno, local)
            c1, c2 = _split_code(raw_code)
            _check_codes(local, path, lineno, body, c1, c2)
            parser.lineno = lineno
            note = "; ".join(x for x in (comment, extra) if x)
            for variant in _expand_alternatives(pattern_text):
                try:
                    pre, post, pre_adj, post_adj = parser.parse(variant)
                except _PatternError as exc:
                    raise _err(path, lineno, str(exc), body) from None
                patterns.append(VerbPattern(pre, post, c1, c2, lineno, note, pre_adj, post_adj))
            continue
        try:
            verbs.append(_parse_verb_line(body, comment, lineno))
        except ValueError as exc:
            raise _err(path, lineno, str(exc), body) from None
        _check_codes(local, path, lineno, body, verbs[-1].code, verbs[-1].code2)
    close_block()
    for n, first in sorted(parser.undefined.items(), key=lambda kv: kv[1]):
        _warn(local, path, first, "undefined synset (first use; it never matches)", "&" + n)
    _summarise(path, warnings, local)
    return VerbDictionary(blocks, resolved, transformations)


# ---------------------------------------------------------------------------------------------
# Verb dictionary: our JSON
# ---------------------------------------------------------------------------------------------
def _enc(e: Element):
    if isinstance(e, Word):
        t = e.text
        if not t or t[0] in "&$+^%*" or t.endswith("_") or t != t.strip():
            raise ValueError(f"word {t!r} cannot be written unambiguously")
        return t + ("_" if e.exact else "")
    if isinstance(e, Synset):
        return "&" + e.name
    if type(e) in _MARKER_TEXT:
        return _MARKER_TEXT[type(e)]
    if isinstance(e, Phrase):
        return {"np": [_enc(w) for w in e.words]}
    if isinstance(e, Prep):
        return {"prep": e.prep, "obj": [_enc(w) for w in e.elements]}
    if isinstance(e, Consecutive):
        return {"seq": [_enc(w) for w in e.elements]}
    raise TypeError(f"not a pattern element: {e!r}")


def _dec(v) -> Element:
    if isinstance(v, str):
        if v in _MARKERS:
            return _MARKERS[v]
        if v.startswith("&"):
            return Synset(v[1:])
        if v.endswith("_"):
            return Word(v[:-1], True)
        return Word(v)
    if isinstance(v, dict):
        if "np" in v:
            return Phrase(tuple(_dec(x) for x in v["np"]))
        if "prep" in v:
            return Prep(v["prep"], tuple(_dec(x) for x in v.get("obj", ())))
        if "seq" in v:
            return Consecutive(tuple(_dec(x) for x in v["seq"]))
    raise ValueError(f"not a pattern element: {v!r}")


def _pattern_json(p: VerbPattern) -> dict:
    d: dict = {}
    if p.pre:
        d["pre"] = [_enc(e) for e in p.pre]
    if p.post:
        d["post"] = [_enc(e) for e in p.post]
    d["code"] = p.code
    if p.code2 is not None:
        d["code2"] = p.code2
    if p.pre_adjacent:
        d["pre_adjacent"] = True
    if p.post_adjacent:
        d["post_adjacent"] = True
    d["line"] = p.line
    if p.comment:
        d["comment"] = p.comment
    return d


def _verb_json(v: VerbEntry) -> dict:
    d: dict = {"lemma": v.lemma, "forms": list(v.forms)}
    if v.code is not None:
        d["code"] = v.code
    if v.code2 is not None:
        d["code2"] = v.code2
    if v.head:
        d["head"] = v.head
    d["line"] = v.line
    if v.comment:
        d["comment"] = v.comment
    return d


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def write_verb_json(
    d: VerbDictionary, path: str | Path, source: str = "", license: str = ""
) -> None:
    """Write ``d`` as our JSON (one synset, block header or pattern per line)."""
    out = ["{", f'"attribution":{_dumps(ATTRIBUTION)},', f'"format":{_dumps(VERB_FORMAT)},']
    if source:
        out.append(f'"source":{_dumps(source)},')
    if license:
        out.append(f'"license":{_dumps(license)},')
    syn = [f"{_dumps(k)}:{_dumps([_enc(m) for m in v])}" for k, v in d.synsets.items()]
    out.append('"synsets":{' + ("\n" + ",\n".join(syn) + "\n" if syn else "") + "},")
    tr = [
        _dumps({"source": t.source, "inner": list(t.inner), "verb": t.verb,
                "result": list(t.result), "line": t.line, "comment": t.comment})
        for t in d.transformations
    ]
    out.append('"transformations":[' + ("\n" + ",\n".join(tr) + "\n" if tr else "") + "],")
    blocks = []
    for b in d.blocks:
        head = {"name": b.name, "code": b.code}
        if b.code2 is not None:
            head["code2"] = b.code2
        head["line"] = b.line
        head["verbs"] = [_verb_json(v) for v in b.verbs]
        text = _dumps(head)[:-1] + ',\n "patterns":['
        text += ",".join("\n  " + _dumps(_pattern_json(p)) for p in b.patterns) + "]}"
        blocks.append(text)
    out.append('"blocks":[\n' + ",\n".join(blocks) + "\n]")
    out.append("}")
    Path(path).write_text("\n".join(out) + "\n", encoding="utf-8")


def read_verb_json(path: str | Path) -> VerbDictionary:
    """Read a verb dictionary written by :func:`write_verb_json`."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    if data.get("format") != VERB_FORMAT:
        raise ValueError(f"{path}: format is {data.get('format')!r}, expected {VERB_FORMAT!r}")
    try:
        synsets = {k: tuple(_dec(m) for m in v) for k, v in data["synsets"].items()}
        transformations = [
            VerbTransformation(t["source"], tuple(t["inner"]), t["verb"], tuple(t["result"]),
                               t["line"], t["comment"])
            for t in data["transformations"]
        ]
        blocks = []
        for b in data["blocks"]:
            verbs = tuple(
                VerbEntry(v["lemma"], tuple(v["forms"]), v.get("code"), v.get("code2"),
                          v.get("head", 0), v["line"], v.get("comment", ""))
                for v in b["verbs"]
            )
            patterns = tuple(
                VerbPattern(
                    tuple(_dec(e) for e in p.get("pre", ())),
                    tuple(_dec(e) for e in p.get("post", ())),
                    p["code"], p.get("code2"), p["line"], p.get("comment", ""),
                    p.get("pre_adjacent", False), p.get("post_adjacent", False),
                )
                for p in b["patterns"]
            )
            blocks.append(
                VerbBlock(b["name"], b["code"], verbs, patterns, b.get("code2"), b["line"])
            )
    except (KeyError, TypeError) as exc:
        raise ValueError(f"{path}: malformed verb dictionary ({exc!r})") from None
    return VerbDictionary(blocks, synsets, transformations)


# ---------------------------------------------------------------------------------------------
# Actor dictionary
# ---------------------------------------------------------------------------------------------
def parse_dictionary_date(text: str) -> date:
    """YYMMDD (00-30 -> 20YY, 31-99 -> 19YY, as PETRARCH/TABARI) or YYYYMMDD."""
    text = text.strip()
    if not text.isdigit() or len(text) not in (6, 8):
        raise ValueError(f"date {text!r} is neither YYMMDD nor YYYYMMDD")
    if len(text) == 6:
        yy = int(text[:2])
        year = 2000 + yy if yy <= 30 else 1900 + yy
        month, day = int(text[2:4]), int(text[4:6])
    else:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:8])
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"date {text!r} does not exist") from None


@dataclass(frozen=True)
class ActorCode:
    code: str
    start: date | None = None  # first day covered
    end: date | None = None  # first day no longer covered

    def covers(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on < self.end)

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None


@dataclass(frozen=True)
class ActorEntry:
    names: tuple[str, ...]  # primary name first, then synonyms; lower case, spaces
    codes: tuple[ActorCode, ...]  # in file order
    comment: str = ""
    file: str = ""  # the dictionary it came from (file name; "Countries"... in phoenix_actors.tsv)
    line: int = 0  # line of the primary name

    def code_on(self, on: date | None) -> str | None:
        """The dated code covering ``on`` (first in file order), else the undated default, else
        None. With ``on=None`` only the undated default is considered."""
        if on is not None:
            for c in self.codes:
                if c.dated and c.covers(on):
                    return c.code
        for c in self.codes:
            if not c.dated:
                return c.code
        return None


_BRACKET = re.compile(r"\[([^\[\]]*)\]")


def _parse_actor_code(inner: str) -> ActorCode:
    parts = inner.split(None, 1)
    if not parts:
        raise ValueError("empty [code]")
    code = parts[0]
    if len(parts) == 1:
        return ActorCode(code)
    try:
        return _restricted_code(code, "".join(parts[1].split()))
    except ValueError as exc:
        raise _DateError(str(exc)) from None


def _restricted_code(code: str, restriction: str) -> ActorCode:
    if restriction.startswith("<"):
        return ActorCode(code, None, parse_dictionary_date(restriction[1:]))
    if restriction.startswith(">"):
        return ActorCode(code, parse_dictionary_date(restriction[1:]), None)
    if "-" in restriction:
        a, b = restriction.split("-", 1)
        start, end = parse_dictionary_date(a), parse_dictionary_date(b)
        if end < start:
            raise ValueError(f"date range {restriction!r} ends before it starts")
        return ActorCode(code, start, end)
    raise ValueError(f"date restriction {restriction!r} is not '<date', '>date' or 'date-date'")


class _DateError(ValueError):
    pass


def _parse_code_brackets(text: str, bad: list[str]) -> list[ActorCode]:
    """All ``[...]`` of a line; anything else on it is an error. A code whose date cannot be read
    is left out and its reason appended to ``bad``."""
    leftover = _BRACKET.sub(" ", text).strip()
    if leftover:
        raise ValueError(f"unexpected text {leftover!r} beside the codes")
    out = []
    for m in _BRACKET.finditer(text):
        try:
            out.append(_parse_actor_code(m.group(1)))
        except _DateError as exc:
            bad.append(f"code [{m.group(1)}] dropped: {exc}")
    return out


def _name(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).lower()


def read_actor_dictionary(path: str | Path, warnings: list[str] | None = None) -> list[ActorEntry]:
    """Read a TABARI/PETRARCH actor dictionary."""
    path = Path(path)
    local: list[str] = []
    entries: list[ActorEntry] = []
    names: list[str] = []
    codes: list[ActorCode] = []
    comment = ""
    first_line = 0
    started = False

    def close() -> None:
        if not started:
            return
        kept = tuple(dict.fromkeys(n for n in names if n))
        if kept:
            if not codes:
                _warn(local, path, first_line, "entry without any code kept", kept[0])
            entries.append(ActorEntry(kept, tuple(codes), comment, path.name, first_line))
        else:
            _warn(local, path, first_line, "entry without a usable name dropped", "")

    def add_name(raw: str, lineno: int, line: str) -> None:
        if _CONTROL.search(raw):
            _warn(local, path, lineno, "name with a control character dropped", line)
            return
        n = _name(raw)
        if not n:
            raise _err(path, lineno, "empty name", line)
        names.append(n)

    for lineno, body, line_comment in _lines(path, local, semicolon=True):
        text = body.strip()
        bad: list[str] = []
        try:
            if text.startswith("["):
                if not started:
                    raise ValueError("code line before the first actor")
                codes.extend(_parse_code_brackets(text, bad))
            elif text.startswith("+"):
                if not started:
                    raise ValueError("synonym line before the first actor")
                raw, _, rest = text[1:].partition("[")
                if rest:
                    raise ValueError("codes go on the primary line or on their own lines")
                add_name(raw, lineno, body)
            else:
                close()
                started = True
                names, codes, comment, first_line = [], [], line_comment, lineno
                raw, bracket, rest = text.partition("[")
                add_name(raw, lineno, body)
                if bracket:
                    code_text = bracket + rest
                    end = code_text.rfind("]")
                    tail = code_text[end + 1:].strip() if end >= 0 else ""
                    if tail:
                        # e.g. "A.H._BELO_CORPORATION_ [MNCMED]<TAB>Newspapers/Magazines..."
                        _warn(local, path, lineno, "text after the codes kept as a comment", body)
                        comment = " ".join([" ".join(tail.split()), comment]).strip()
                        code_text = code_text[: end + 1]
                    codes.extend(_parse_code_brackets(code_text, bad))
        except ValueError as exc:
            raise _err(path, lineno, str(exc), body) from None
        for reason in bad:
            _warn(local, path, lineno, reason, body)
    close()
    _summarise(path, warnings, local)
    return entries


def _fmt_code(c: ActorCode) -> str:
    if "@" in c.code or "|" in c.code or "\t" in c.code or not c.code:
        raise ValueError(f"actor code {c.code!r} cannot be written")
    if not c.dated:
        return c.code
    a = c.start.isoformat() if c.start else ""
    b = c.end.isoformat() if c.end else ""
    return f"{c.code}@{a}/{b}"


def _read_code(text: str) -> ActorCode:
    code, at, span = text.partition("@")
    if not at:
        return ActorCode(code)
    a, slash, b = span.partition("/")
    if not slash:
        raise ValueError(f"dated code {text!r} lacks '/'")
    start = date.fromisoformat(a) if a else None
    return ActorCode(code, start, date.fromisoformat(b) if b else None)


def _tsv_field(text: str, what: str) -> str:
    if "\t" in text or "\n" in text or "\r" in text:
        raise ValueError(f"{what} {text!r} contains a tab or newline")
    return text


def write_actor_tsv(entries: list[ActorEntry], path: str | Path, note: str = "") -> None:
    """Write actor entries as our TSV (see the module docstring)."""
    out = [f"# {ATTRIBUTION}", f"# format: {ACTOR_FORMAT}"]
    if note:
        out += [f"# {line}" for line in note.splitlines()]
    out.append("file\tline\tnames\tcodes\tcomment")
    for e in entries:
        for n in e.names:
            if "|" in n or not n:
                raise ValueError(f"actor name {n!r} cannot be written")
        out.append("\t".join([
            _tsv_field(e.file, "file"), str(e.line),
            _tsv_field("|".join(e.names), "names"),
            "|".join(_fmt_code(c) for c in e.codes),
            _tsv_field(e.comment, "comment"),
        ]))
    Path(path).write_text("\n".join(out) + "\n", encoding="utf-8")


def _tsv_rows(path: Path, columns: list[str]) -> Iterator[tuple[int, list[str]]]:
    header_seen = False
    with open(path, encoding="utf-8", newline="") as fh:
        for lineno, raw in enumerate(fh, start=1):
            line = raw.rstrip("\n").rstrip("\r")
            if line.startswith("#") or not line:
                continue
            cells = line.split("\t")
            if not header_seen:
                if cells != columns:
                    raise ValueError(f"{path}:{lineno}: header must be {columns}, not {cells}")
                header_seen = True
                continue
            if len(cells) != len(columns):
                raise ValueError(
                    f"{path}:{lineno}: expected {len(columns)} tab-separated columns, "
                    f"got {len(cells)}"
                )
            yield lineno, cells
    if not header_seen:
        raise ValueError(f"{path}: no header line {columns}")


def read_actor_tsv(path: str | Path) -> list[ActorEntry]:
    """Read actor entries written by :func:`write_actor_tsv`."""
    path = Path(path)
    out: list[ActorEntry] = []
    for lineno, (file, line, names, codes, comment) in _tsv_rows(
        path, ["file", "line", "names", "codes", "comment"]
    ):
        try:
            out.append(ActorEntry(
                tuple(names.split("|")),
                tuple(_read_code(c) for c in codes.split("|")) if codes else (),
                comment, file, int(line),
            ))
        except ValueError as exc:
            raise ValueError(f"{path}:{lineno}: {exc}") from None
    return out


# ---------------------------------------------------------------------------------------------
# Agent dictionary
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AgentEntry:
    phrase: str  # lower case, words separated by single spaces
    code: str  # without "~"
    prefix: bool = False  # True for "CODE~": the agent code goes before the actor code
    gaps: tuple[int, ...] = ()  # other words may stand after word i (a blank, not "_", in the file)
    line: int = 0


_SUBST_DEF = re.compile(r"^\s*!([^!\s]+)!\s*=\s*(.+?)\s*$")
_AGENT_LINE = re.compile(
    r"^(?P<phrase>[^{\[]+?)\s*(?:\{(?P<plural>[^{}]*)\})?\s*\[(?P<code>[^\[\]]*)[\]}]\s*$"
)


def _agent_words(text: str) -> tuple[list[str], list[int], bool]:
    """Words, gap positions and whether the phrase ends with "_" (no plural)."""
    text = text.strip()
    exact = text.endswith("_")
    words: list[str] = []
    gaps: list[int] = []
    for ci, chunk in enumerate(text.split()):
        if ci > 0 and words:
            gaps.append(len(words) - 1)
        words.extend(w.lower() for w in chunk.split("_") if w)
    return words, gaps, exact


def read_agent_dictionary(path: str | Path, warnings: list[str] | None = None) -> list[AgentEntry]:
    """Read a PETRARCH agent dictionary; plurals and !SUBSTITUTION! sets are expanded."""
    path = Path(path)
    local: list[str] = []
    subst: dict[str, list[str]] = {}
    out: list[AgentEntry] = []
    for lineno, body, _comment in _lines(path, local):
        text = body.strip()
        m = _SUBST_DEF.match(text)
        if m and "[" not in text:
            subst[m.group(1)] = [s.strip() for s in m.group(2).split(",") if s.strip()]
            continue
        if "[" not in text and not any(c in text for c in "{}]!="):
            # PETRARCH skips these too ("Codes are required for agents")
            _warn(local, path, lineno, "agent without a [code] skipped", body)
            continue
        m = _AGENT_LINE.match(text)
        if not m:
            raise _err(path, lineno, "an agent line is 'PHRASE {PLURAL} [~CODE]'", body)
        if text.endswith("}"):
            _warn(local, path, lineno, "code closed with '}'", body)
        raw_code = m.group("code").strip()
        if raw_code.startswith("~"):
            code, prefix = raw_code[1:].strip(), False
        elif raw_code.endswith("~"):
            code, prefix = raw_code[:-1].strip(), True
        else:
            _warn(local, path, lineno, "agent code without '~' read as '~CODE'", body)
            code, prefix = raw_code, False
        if not code or " " in code or "~" in code:
            raise _err(path, lineno, f"bad agent code {raw_code!r}", body)
        phrase = m.group("phrase")
        if _CONTROL.search(phrase):
            _warn(local, path, lineno, "phrase with a control character dropped", body)
            continue
        markers = re.findall(r"!([^!\s]*)!", phrase)
        if phrase.count("!") != 2 * len(markers):
            raise _err(path, lineno, "unpaired '!' in a substitution marker", body)
        if markers:
            for mk in markers:
                if mk not in subst:
                    raise _err(path, lineno, f"substitution set !{mk}! is not defined", body)
            variants = [phrase]
            for mk in markers:
                variants = [v.replace(f"!{mk}!", s, 1) for v in variants for s in subst[mk]]
            surface = variants  # no plural formation for substitutions
        else:
            words, gaps, exact = _agent_words(phrase)
            surface = [phrase]
            plural = m.group("plural")
            if plural is not None:
                if plural.strip():
                    surface.append(plural)
            elif not exact and words:
                surface.append("\x00" + noun_plural(" ".join(words)))
        for s in surface:
            if s.startswith("\x00"):  # generated plural: same words and gaps as the singular
                words, gaps, _ = _agent_words(phrase)
                words = s[1:].split(" ")
            else:
                words, gaps, _ = _agent_words(s)
            if not words:
                raise _err(path, lineno, "empty agent phrase", body)
            out.append(AgentEntry(" ".join(words), code, prefix, tuple(gaps), lineno))
    _summarise(path, warnings, local)
    return out


def write_agent_tsv(entries: list[AgentEntry], path: str | Path, note: str = "") -> None:
    """Write agent entries as our TSV (see the module docstring)."""
    out = [f"# {ATTRIBUTION}", f"# format: {AGENT_FORMAT}"]
    if note:
        out += [f"# {line}" for line in note.splitlines()]
    out.append("phrase\tcode\tprefix\tgaps\tline")
    for e in entries:
        out.append("\t".join([
            _tsv_field(e.phrase, "phrase"), _tsv_field(e.code, "code"), "1" if e.prefix else "0",
            ",".join(str(g) for g in e.gaps), str(e.line),
        ]))
    Path(path).write_text("\n".join(out) + "\n", encoding="utf-8")


def read_agent_tsv(path: str | Path) -> list[AgentEntry]:
    """Read agent entries written by :func:`write_agent_tsv`."""
    path = Path(path)
    out: list[AgentEntry] = []
    for lineno, (phrase, code, prefix, gaps, line) in _tsv_rows(
        path, ["phrase", "code", "prefix", "gaps", "line"]
    ):
        if prefix not in ("0", "1") or not phrase or not code:
            raise ValueError(f"{path}:{lineno}: bad agent row")
        try:
            g = tuple(int(x) for x in gaps.split(",")) if gaps else ()
            out.append(AgentEntry(phrase, code, prefix == "1", g, int(line)))
        except ValueError as exc:
            raise ValueError(f"{path}:{lineno}: {exc}") from None
    return out


# ---------------------------------------------------------------------------------------------
# Discards
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DiscardEntry:
    phrase: str  # lower case
    story: bool = False  # "+": discard the whole story, not only the sentence
    whole_word: bool = False  # trailing "_": the match must end at a word boundary
    line: int = 0


def read_discard_entries(path: str | Path, warnings: list[str] | None = None) -> list[DiscardEntry]:
    """Read a PETRARCH discard list with its story/word-boundary marks."""
    path = Path(path)
    out: list[DiscardEntry] = []
    local: list[str] = []
    for lineno, body, _comment in _lines(path, local):
        text = body.strip()
        story = text.startswith("+")
        if story:
            text = text[1:].strip()
        whole = text.endswith("_")
        if whole:
            text = text[:-1]
        phrase = " ".join(text.lower().split())
        if not phrase or "[" in phrase or "]" in phrase:
            raise _err(path, lineno, "a discard line is a phrase, optionally '+' in front", body)
        out.append(DiscardEntry(phrase, story, whole, lineno))
    _summarise(path, warnings, local)
    return out


def read_discards(path: str | Path, warnings: list[str] | None = None) -> list[str]:
    """The discard phrases (lower case); see :func:`read_discard_entries` for their marks."""
    return [e.phrase for e in read_discard_entries(path, warnings)]


def write_discards(entries: list[DiscardEntry], path: str | Path, note: str = "") -> None:
    """Write discard entries back in the discard grammar (lower case), attribution first."""
    out = [f"# {ATTRIBUTION}"]
    out += [f"# {line}" for line in note.splitlines()]
    out.append("# '+' in front: discard the whole story; '_' at the end: whole-word match")
    for e in entries:
        out.append(("+" if e.story else "") + e.phrase + ("_" if e.whole_word else ""))
    Path(path).write_text("\n".join(out) + "\n", encoding="utf-8")

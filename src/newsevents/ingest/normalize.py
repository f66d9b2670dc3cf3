"""Clean article text: the one string every later offset points into.

``normalize_text`` works in four passes, each a compiled regex or a single
walk over the lines:

1. characters: line endings, BOM and invisible format characters, odd spaces,
   control characters, cp1252 leftovers, odd quote variants, NFC;
2. inline markdown: emphasis, links, images, inline code, backslash escapes,
   and TeX-style quote pairs (two backticks ... two apostrophes);
3. lines and paragraphs: heading markers, rules, list items, blockquotes, and
   hard wraps (a break inside a sentence is joined with one space);
4. boilerplate: sharing, contact, subscription, copyright and "related" lines
   at the end of the text (and a few markers at the start), driven by the
   pattern tables below.

The result has lines without surrounding spaces, single spaces, paragraphs
separated by exactly one blank line and no leading or trailing whitespace.
Normalising already normalised text leaves it unchanged.
"""

from __future__ import annotations

import html
import re
import unicodedata

__all__ = ["normalize_text", "clean_inline", "is_terminal", "TAIL_BOILERPLATE", "HEAD_BOILERPLATE"]

# --------------------------------------------------------------------------
# 1. characters

# Invisible format characters that only get in the way of tokenisation.  ZWJ
# and ZWNJ (U+200C/U+200D) are kept: they are part of emoji sequences and of
# the spelling of some languages, not spacing.
_DELETE = (
    "\ufeff"  # BOM / zero-width no-break space
    "\u200b"  # zero-width space
    "\u00ad"  # soft hyphen
    "\u200e\u200f"  # left-to-right / right-to-left marks
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings and overrides
    "\u2060\u2061\u2062\u2063\u2064"  # word joiner, invisible operators
    "\u2066\u2067\u2068\u2069"  # bidi isolates
    "\u180e"  # Mongolian vowel separator (old zero-width space)
    "\x7f"
)
# Spaces of every width become a plain space.
_SPACES = "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"

# Quote variants mapped onto the four curly quotes the quote finder knows.
# Low-9 and high-reversed-9 forms open a quote (German, Polish...); « » and
# ‹ › are kept as they are.  Primes are handled separately (they are quotes
# only when they do not follow a digit, see _PRIME_RE).
_QUOTES = {
    "\u201a": "\u2018",  # ‚ single low-9 -> ‘
    "\u201b": "\u2018",  # ‛ single high-reversed-9 -> ‘
    "\u201e": "\u201c",  # „ double low-9 -> “
    "\u201f": "\u201c",  # ‟ double high-reversed-9 -> “
    "\u301d": "\u201c",  # 〝 reversed double prime quotation mark -> “
    "\u301e": "\u201d",  # 〞 double prime quotation mark -> ”
    "\u301f": "\u201d",  # 〟 low double prime quotation mark -> ”
    "\u2035": "\u2018",  # ‵ reversed prime -> ‘
    "\u2036": "\u201c",  # ‶ reversed double prime -> “
    "\uff02": '"',  # fullwidth quotation mark
    "\uff07": "'",  # fullwidth apostrophe
}


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(c): None for c in _DELETE}
    table.update({ord(c): " " for c in _SPACES})
    table.update({ord(k): v for k, v in _QUOTES.items()})
    # C0 controls other than tab and newline: vertical tab and form feed break
    # lines, the rest is noise.
    for cp in range(0x20):
        if cp not in (0x09, 0x0A):
            table[cp] = None
    table[0x0B] = "\n"
    table[0x0C] = "\n"
    table[0x2028] = "\n"  # line separator
    table[0x2029] = "\n\n"  # paragraph separator
    # C1 controls almost always come from cp1252 text decoded as Latin-1:
    # map them to what cp1252 meant (0x93 -> “, 0x85 -> …), drop the rest.
    for cp in range(0x80, 0xA0):
        try:
            table[cp] = bytes([cp]).decode("cp1252")
        except UnicodeDecodeError:
            table[cp] = None
    return table


_CHAR_TABLE = _build_table()
# str.translate looks up every character; the characters to change are rare,
# so find them with one character class and replace only those.
_TRANSLATE_GATE = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_CHAR_TABLE)) + "]+")


def _translate_char(m: re.Match[str]) -> str:
    return m.group(0).translate(_CHAR_TABLE)


_PRIME_RE = re.compile(r"[\u2032\u2033](?<!\d.)")
_ACUTE_APOS_RE = re.compile(r"\u00b4(?<=\w.)(?=\w)")  # don´t -> don’t
# UTF-8 read as cp1252 or Latin-1 ("Kishidaâ€™s"): fixed only in texts that
# show one of the unmistakable markers (â€x, Ã + continuation, Â + continuation).
_MOJIBAKE_RE = re.compile("(?:\u00e2\u20ac[\u0080-\u00bf\u0152-\u2122]|\u00c3[\u0080-\u00bf]|\u00c2[\u00a0-\u00bf])")
# a character that stands for a UTF-8 continuation byte (0x80-0xBF) in cp1252 or Latin-1
_CONT = (
    "[\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d"
    "\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178]"
)
_MOJIBAKE_SEQ_RE = re.compile(f"[\u00c2-\u00df]{_CONT}|[\u00e0-\u00ef]{_CONT}{{2}}|[\u00f0-\u00f4]{_CONT}{{3}}")
_ENTITY_RE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


_LOW9_PAIR_RE = re.compile("\u201e([^\u201e\u201c\u201d\n]{1,600}?)\u201c|\u201a([^\u201a\u2018\u2019\n]{1,200}?)\u2018")
_PRIME_PAIR_RE = re.compile("([\u2032\u2033])(?<![\\d.]\u2032)(?<![\\d.]\u2033)([^\u2032\u2033\n]{1,300}?)\\1")


def _low9_pair(m: re.Match[str]) -> str:
    if m.group(1) is not None:
        return "\u201c" + m.group(1) + "\u201d"
    return "\u2018" + m.group(2) + "\u2019"


def _prime_pair(m: re.Match[str]) -> str:
    if m.group(1) == "\u2033":
        return "\u201c" + m.group(2) + "\u201d"
    return "\u2018" + m.group(2) + "\u2019"


def _prime(m: re.Match[str]) -> str:
    return "\u2019" if m.group(0) == "\u2032" else "\u201d"


def _fix_sequence(m: re.Match[str]) -> str:
    seq = m.group(0)
    # each character back to its byte: cp1252 for “€” and friends, Latin-1
    # for the five bytes cp1252 leaves undefined (0x81 0x8d 0x8f 0x90 0x9d)
    data = bytes(ord(c) if ord(c) < 0x100 else c.encode("cp1252")[0] for c in seq)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return seq


def _fix_mojibake(t: str) -> str:
    # Re-decode each UTF-8 byte sequence that was read as cp1252/Latin-1;
    # twice, since text is sometimes mis-decoded twice ("FranÃƒÂ§ois").
    for _ in range(2):
        if not _MOJIBAKE_RE.search(t):
            break
        t = _MOJIBAKE_SEQ_RE.sub(_fix_sequence, t)
    return t


def _clean_chars(t: str) -> str:
    if "\r" in t:
        t = t.replace("\r\n", "\n").replace("\r", "\n")
    if "\u00e2\u20ac" in t or "\u00c3" in t or "\u00c2" in t:
        t = _fix_mojibake(t)
    if "\u201e" in t or "\u201a" in t:
        # German/Polish pairs „…“ and ‚…‘ close with what is an opening quote
        # in English: make the pair “…” / ‘…’ before the opener is mapped.
        t = _LOW9_PAIR_RE.sub(_low9_pair, t)
    # Every character _CHAR_TABLE deletes or turns into a space is
    # non-printable, so one C-speed isprintable() call (plus a look for the
    # quote variants) decides whether the slower substitution is needed.
    if not t.replace("\n", "").replace("\t", " ").isprintable() or (
        not t.isascii() and any(q in t for q in _QUOTES)
    ):
        t = _TRANSLATE_GATE.sub(_translate_char, t)
    elif "\t" in t:
        t = t.replace("\t", " ")
    if "\u2032" in t or "\u2033" in t:
        # a prime after a digit is a unit (5′6″, 40°26′46″N); elsewhere it
        # stands for a quote: pairs become “…” / ‘…’, a lone one a closer.
        t = _PRIME_PAIR_RE.sub(_prime_pair, t)
        t = _PRIME_RE.sub(_prime, t)
    if "\u00b4" in t:
        t = _ACUTE_APOS_RE.sub("\u2019", t)
    if "&" in t:
        t = _ENTITY_RE.sub(lambda m: html.unescape(m.group(0)), t)
    if not t.isascii() and not unicodedata.is_normalized("NFC", t):
        t = unicodedata.normalize("NFC", t)
    return t


# --------------------------------------------------------------------------
# 2. inline markdown

# Backslash escapes are swapped for private-use placeholders first so that an
# escaped \* or \[ never takes part in emphasis or link syntax, and put back
# as the plain character after the inline rules (at a line start, only once
# the line has been classified).
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_PLACEHOLDER_BASE = 0xF0000  # Supplementary Private Use Area-A

# (literal that must be present for the rule to apply, pattern, replacement)
_INLINE_RULES: list[tuple[str, re.Pattern[str], str]] = [
    # ``quoted'' (TeX / Penn Treebank style) -> “quoted”
    ("``", re.compile(r"``([^`\n]+?)''"), "\u201c\\1\u201d"),
    # images go: their alt text is not part of the article's prose
    ("![", re.compile(r"!\[[^\]\n]*\](?:\([^)\n]*\)|\[[^\]\n]*\])"), ""),
    # [text](url "title") and [text][ref] -> text
    ("](", re.compile(r"\[([^\]\n]+)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\)"), r"\1"),
    ("][", re.compile(r"\[([^\]\n]+)\]\[[^\]\n]*\]"), r"\1"),
    # <https://example.org> -> https://example.org
    ("<", re.compile(r"<((?:https?|ftp)://[^>\s]+|mailto:[^>\s]+)>"), r"\1"),
    # `code` -> code
    ("`", re.compile(r"`([^`\n]+)`"), r"\1"),
    # **strong**, __strong__, ~~struck~~ (before the single-character forms).
    # Each pattern starts with its literal marker and checks the character
    # before it with a lookbehind placed after it: much faster to scan.
    ("**", re.compile(r"\*\*(?<![\w*]\*\*)(?=[^\s*])([^\n]*?[^\s*])\*\*(?![\w*])"), r"\1"),
    ("__", re.compile(r"__(?<![\w_]__)(?=[^\s_])([^\n]*?[^\s_])__(?![\w_])"), r"\1"),
    ("~~", re.compile(r"~~(?<![\w~]~~)(?=[^\s~])([^\n]*?[^\s~])~~(?![\w~])"), r"\1"),
    # *emphasis* and _emphasis_: the markers must hug a word on the inside and
    # not touch one on the outside, so "5 * 3", "a*b" and snake_case survive.
    ("*", re.compile(r"\*(?<![\w*]\*)(?=[^\s*])([^*\n]*?[^\s*]|[^\s*])\*(?![\w*])"), r"\1"),
    ("_", re.compile(r"_(?<![\w_]_)(?=[^\s_])([^_\n]*?[^\s_]|[^\s_])_(?![\w_])"), r"\1"),
    # a leftover `` opens a quote
    ("``", re.compile(r"``"), "\u201c"),
]


_PLACEHOLDER_RE = re.compile("[\U000F0021-\U000F007E](?<!\n.)(?<!^.)")
_LINE_START_PH_RE = re.compile("[\U000F0021-\U000F007E]")


def _restore_char(m: re.Match[str]) -> str:
    return chr(ord(m.group(0)) - _PLACEHOLDER_BASE)


def _escape_placeholder(m: re.Match[str]) -> str:
    return chr(_PLACEHOLDER_BASE + ord(m.group(1)))


def _strip_inline_markdown(t: str) -> tuple[str, bool]:
    escaped = False
    if "\\" in t:
        t2 = _ESCAPE_RE.sub(_escape_placeholder, t)
        escaped = t2 != t
        t = t2
    for literal, rx, repl in _INLINE_RULES:
        if literal in t:
            t = rx.sub(repl, t)
    if escaped:
        # put escaped characters back, except at the start of a line where an
        # escaped "#", "-", ">" or "1." must not become a heading, list item or
        # quote: _classify restores those after it has classified the line.
        t = _PLACEHOLDER_RE.sub(_restore_char, t)
    return t, escaped


# --------------------------------------------------------------------------
# 3. lines and paragraphs

_MULTISPACE_RE = re.compile(r" {2,}")
_HEADING_RE = re.compile(r"#{1,6}(?: +|$)(.*?)(?: +#+)?$")
_RULE_RE = re.compile(r"(?:(?:\* *){3,}|(?:- *){3,}|(?:_ *){3,}|={3,})$")
_SETEXT_RE = re.compile(r"(?:={2,}|-{2,})$")
_QUOTE_MARK_RE = re.compile(r"(?:> ?)+")
_LIST_RE = re.compile(r"(?:[-*+\u2022\u2023\u25e6\u25aa\u25cf]|\d{1,3}[.)])\s+\S")
_TABLE_SEP_RE = re.compile(r"\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")
_REFDEF_RE = re.compile(r"\[[^\]]+\]:\s+(?:<?(?:https?://|www\.|/)\S*>?)(?:\s+.*)?$")
_LONE_URL_RE = re.compile(
    r"(?:(?:https?|ftp)://\S+|www\.\S+|[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z]{2,24}(?:/\S*)?)$"
)

TEXT, LIST, HEAD, TABLE = 0, 1, 2, 3

# A line (or paragraph) ending in one of these ends a sentence or a quote:
# a break after it is a real break.
_TERMINAL = frozenset(".!?:\u201d\"\u2019')]\u2026\u00bb\u203a")
# Words after which a sentence cannot end: a break after them is a hard wrap.
_JOINER_WORDS = frozenset(
    """a an the and or but nor of to in on at by for with from as into onto upon about over under
    between after before during while because since until than that which who whom whose where when
    if his her their its our my your this these those is are was were be been being has have had
    will would could should may might must can shall not no very such per via among against without
    within through toward towards including""".split()
)
# Speech verbs end headings ("What the minister said") as well as wrapped
# lines: they join only when the next line opens a quote.
_SPEECH_WORDS = frozenset("said says told added stated wrote asked warned declared insisted".split())
_OPENING_QUOTES = ("\"", "\u201c", "\u2018", "'")
_JOINER_CHARS = frozenset(",;-\u2013\u2014(/&")


def is_terminal(s: str) -> bool:
    """Whether a line ends a sentence (or a quote, or an introduction with ':')."""
    return bool(s) and s[-1] in _TERMINAL


def _ends_with_joiner(s: str) -> bool:
    if not s:
        return False
    if s[-1] in _JOINER_CHARS:
        return True
    tail = s.rsplit(" ", 1)[-1].lower()
    return tail in _JOINER_WORDS


def _starts_lower(s: str) -> bool:
    """Whether a line starts with a lower-case letter (after opening quotes)."""
    ch = s.lstrip("\"'\u201c\u2018([\u00ab")[:1]
    return ch.isalpha() and ch.islower()


def _title_like(s: str) -> bool:
    """A short Title Case line (or a single capitalised word): a heading, not a wrap."""
    if not s or not s[0].isupper() or is_terminal(s) or _ends_with_joiner(s):
        return False
    words = s.split()
    if len(words) == 1:
        return True
    if len(words) > 10:
        return False
    long_words = [w for w in words if len(w) >= 4 and w[0].isalpha()]
    if not long_words:
        return False
    caps = sum(1 for w in long_words if w[0].isupper())
    return caps / len(long_words) >= 0.6


def _soft_join(prev: str, nxt: str) -> bool:
    """Whether the break between two text lines falls inside a sentence."""
    if is_terminal(prev) or _LONE_URL_RE.match(nxt):
        return False
    if _starts_lower(nxt) or _ends_with_joiner(prev):
        return True
    return nxt.startswith(_OPENING_QUOTES) and prev.rsplit(" ", 1)[-1].lower() in _SPEECH_WORDS


def _glue(prev: str, nxt: str) -> str:
    # "inter-\nnational" keeps its hyphen without a space: compounds such as
    # "well-\nknown" are far more common in news than syllable hyphenation.
    if prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha() and _starts_lower(nxt):
        return prev + nxt
    return prev + " " + nxt


def _classify(lines: list[str], restore: bool) -> list[tuple[int, str] | None]:
    """Each line as (kind, text), or None for a blank (paragraph break)."""
    out: list[tuple[int, str] | None] = []
    for raw in lines:
        s = raw.strip()
        if "  " in s:
            s = _MULTISPACE_RE.sub(" ", s)
        if not s:
            out.append(None)
            continue
        if s[0] == ">":
            s = _QUOTE_MARK_RE.sub("", s, count=1).strip()
            if not s:
                out.append(None)
                continue
        kind = TEXT
        first = s[0]
        if first in "-=*_" and (_RULE_RE.match(s) or _SETEXT_RE.match(s)):
            prev = out[-1] if out else None
            if _SETEXT_RE.match(s) and prev is not None and prev[0] == TEXT:
                out[-1] = (HEAD, prev[1])  # "Title\n=====": the line above is a heading
            out.append(None)
            continue
        if first == "#":
            m = _HEADING_RE.match(s)
            if m:
                s = m.group(1).strip()
                if not s:
                    out.append(None)
                    continue
                kind = HEAD
        elif first == "[" and _REFDEF_RE.match(s):
            continue  # markdown link reference definition
        elif first == "|" or (s[-1] == "|" and s.count("|") >= 2):
            if _TABLE_SEP_RE.match(s):
                continue
            kind = TABLE
        elif _LIST_RE.match(s):
            kind = LIST
        if restore and s[0] >= "\U000F0000":
            s = chr(ord(s[0]) - _PLACEHOLDER_BASE) + s[1:]
        out.append((kind, s))
    return out


def _fills_line(prev: str, nxt: str, width: int) -> bool:
    """Whether a fixed-width wrapper would have broken after ``prev``: the next
    word would not have fitted on the line."""
    return len(prev) + 1 + len(nxt.split(" ", 1)[0]) > width


def _block_paragraphs(block: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Turn the lines of one block (no blank lines inside) into paragraphs."""
    texts = [s for k, s in block if k == TEXT]
    width = max((len(s) for s in texts), default=0)
    # A block hard-wrapped at a fixed width (at most ~120 characters): most
    # breaks fall where the next word would not have fitted.  Then a break
    # that fills its line joins even after a full stop.
    wrapped = False
    if len(texts) >= 2 and 40 <= width <= 120:
        fills = sum(1 for a, b in zip(texts, texts[1:]) if _fills_line(a, b, width))
        wrapped = fills * 3 >= (len(texts) - 1) * 2
    paras: list[tuple[int, str]] = []
    prev_line = ""  # the previous original line (paragraphs grow by joining)
    for kind, s in block:
        last_line, prev_line = prev_line, s
        if paras:
            pk, ps = paras[-1]
            if pk == TABLE and kind == TABLE:
                paras[-1] = (TABLE, ps + "\n" + s)
                continue
            if pk == LIST and kind == LIST:
                paras[-1] = (LIST, ps + "\n" + s)
                continue
            if kind == TEXT and pk in (TEXT, LIST):
                if _soft_join(last_line, s) or (
                    pk == TEXT and wrapped and _fills_line(last_line, s, width) and not _LONE_URL_RE.match(s)
                ):
                    paras[-1] = (pk, _glue(ps, s))
                    continue
        paras.append((kind, s))
    return paras


def _paragraphs(items: list[tuple[int, str] | None]) -> list[tuple[int, str]]:
    paras: list[tuple[int, str]] = []
    block: list[tuple[int, str]] = []

    def flush() -> None:
        if not block:
            return
        bp = _block_paragraphs(block)
        block.clear()
        # join across the blank line(s) when the previous paragraph stopped
        # mid-sentence: "So far,\n\nWashington has avoided ..."
        if paras and bp and paras[-1][0] == TEXT and bp[0][0] == TEXT:
            prev = paras[-1][1]
            nxt = bp[0][1]
            if not _title_like(prev) and _soft_join(prev, nxt):
                paras[-1] = (TEXT, _glue(prev, nxt))
                bp = bp[1:]
        paras.extend(bp)

    for it in items:
        if it is None:
            flush()
        else:
            block.append(it)
    flush()
    return paras


# --------------------------------------------------------------------------
# 4. boilerplate
#
# Each entry: (what it is, a regex that must match a whole paragraph,
# case-insensitive).  Tail patterns are tried on the last paragraphs only,
# repeatedly, and only on paragraphs of at most _BOILERPLATE_MAX characters,
# so a body paragraph that merely mentions sharing or contacts is never hit.

_SOCIAL = (
    r"(?:facebook|twitter|x|linkedin|whatsapp|telegram|reddit|pinterest|e-?mail|print|tumblr|pocket|"
    r"messenger|bluesky|threads|mastodon|instagram|youtube|tiktok|flipboard|copy link|copy url|sms)"
)

TAIL_BOILERPLATE: list[tuple[str, str]] = [
    # "To contact the WSWS and the Socialist Equality Party visit:" / "Contact us"
    ("contact", r"(?:to )?contact\b[^.!?]{0,120}:"),
    ("contact us", r"contact us\b[^.!?]{0,80}[.!]?"),
    # sharing widgets: "Share this:", "Share on Facebook", "Share this article"
    ("share", r"share(?: (?:this|the))?(?: (?:article|story|page|post|link))?"
     r"(?: (?:on|via|to|with) [\w ,+&/.-]{1,40})?\s*:?"),
    ("social button", _SOCIAL + r"(?:\s*[|,/]\s*" + _SOCIAL + r")*"),
    # "Follow us on Twitter", "Follow Reuters on Facebook"
    ("follow", r"follow (?:us\b[^.!?]{0,100}|[^.!?]{1,60}? on (?:facebook|twitter|x|instagram|linkedin|"
     r"telegram|youtube|tiktok|threads|bluesky|mastodon|whatsapp|google news|social media)\b[^.!?]{0,80})[.!]?"),
    # subscriptions and newsletters
    ("subscribe", r"subscribe(?: now| today| here)?(?: (?:to|for) [^.!?]{0,100})?[.!:]?"),
    ("sign up", r"sign up(?: now| here| today)?(?: (?:for|to) [^.!?]{0,100})?[.!:]?"),
    ("newsletter", r"(?:get|receive|join|try)(?: our| the)? [^.!?]{0,60}newsletters?[^.!?]{0,80}[.!:]?"),
    ("click here", r"(?:[^.!?]{0,60}[,:\u2013\u2014-] )?click here\b[^.!?]{0,120}[.!:]?"),
    # "© 2024 Reuters", "Copyright 2024 The Associated Press. All rights reserved. ..."
    ("copyright", r"(?:\u00a9|\(c\)|copyright\b\s*(?:\u00a9|\(c\))?\s*(?:\d{4}|by\b)).{0,300}"),
    ("all rights reserved", r".{0,200}?(?:^|[.!?,;|]\s*)all rights reserved\b.{0,200}"),
    ("read more", r"(?:read more|more on this story|see also|related)\s*:\s*.{1,200}"),
    ("tags", r"(?:tags|topics|filed under|categories)\s*:.{0,200}"),
    # a lone address at the very end ("wsws.org/contact")
    ("url", r"(?:(?:https?|ftp)://\S+|www\.\S+|[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z]{2,24}(?:/\S*)?)"),
]

# Headings that start a tail of links to other stories: the heading and every
# short paragraph after it are cut (when they are within the last paragraphs).
RELATED_HEADINGS: list[tuple[str, str]] = [
    ("related", r"related(?: articles?| stories| coverage| content| posts| links| news| reading| topics)?\s*:?"),
    ("read more", r"read more(?: about [^.!?]{0,60})?\s*:?"),
    ("more", r"(?:more on this(?: story| topic)?|more stories|more from [\w .'\u2019&-]{1,40}|more news)\s*:?"),
    ("recommended", r"(?:recommended(?: for you| stories| reading)?|you (?:may|might) also (?:like|be interested in))\s*:?"),
    ("see also", r"(?:see also|further reading|most read|most popular|editor'?s picks|trending)\s*:?"),
]

# Markers that are never article text, wherever a whole paragraph consists of
# nothing else (scraped pages leave them between paragraphs too).
AD_MARKERS: list[tuple[str, str]] = [
    ("advertisement", r"(?:advertisement|sponsored content)"),
    ("continues", r"(?:story|article) continues (?:below|after)(?: (?:the )?advertisement)?"),
    ("skip ad", r"skip (?:advertisement|ad)"),
    ("continue reading", r"continue reading(?: the main story| below)?"),
    ("scroll", r"scroll (?:down )?to continue(?: with content)?"),
]

# Lines seen only at the very start of scraped articles.
HEAD_BOILERPLATE: list[tuple[str, str]] = [
    ("skip", r"skip to (?:main )?(?:content|navigation)"),
    ("listen", r"listen to this (?:article|story)(?: \S+ (?:min|mins|minutes))?"),
    ("read time", r"\d+ min(?:ute)?s? read"),
    ("share", r"share(?: (?:this|the))?(?: (?:article|story|page))?(?: (?:on|via) [\w ,+&/.-]{1,40})?\s*:?"),
    ("social button", _SOCIAL + r"(?:\s*[|,/]\s*" + _SOCIAL + r")*"),
]

_BOILERPLATE_MAX = 400  # characters: boilerplate paragraphs are short


def _compile(table: list[tuple[str, str]]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{rx})" for _, rx in table), re.IGNORECASE)


_TAIL_RE = _compile(TAIL_BOILERPLATE + AD_MARKERS)
_HEAD_RE = _compile(HEAD_BOILERPLATE + AD_MARKERS)
_AD_RE = _compile(AD_MARKERS)
_RELATED_RE = _compile(RELATED_HEADINGS)
_RELATED_WINDOW = 15  # paragraphs from the end in which a "Related" heading may start the tail
_RELATED_ITEM_WORDS = 30  # what follows such a heading is a list of short titles


def _strip_boilerplate(paras: list[tuple[int, str]]) -> list[tuple[int, str]]:
    if any(len(s) < 80 and _AD_RE.fullmatch(s) for _, s in paras):
        paras = [(k, s) for k, s in paras if not (len(s) < 80 and _AD_RE.fullmatch(s))]
    changed = True
    while changed and paras:
        changed = False
        while paras and len(paras[-1][1]) <= _BOILERPLATE_MAX and _TAIL_RE.fullmatch(paras[-1][1]):
            paras.pop()
            changed = True
        lo = max(0, len(paras) - _RELATED_WINDOW)
        for i in range(lo, len(paras)):
            s = paras[i][1]
            if len(s) <= 80 and _RELATED_RE.fullmatch(s) and i > 0:
                rest = paras[i + 1 :]
                if all(len(r.split()) <= _RELATED_ITEM_WORDS for _, r in rest):
                    del paras[i:]
                    changed = True
                    break
    while paras and len(paras[0][1]) <= _BOILERPLATE_MAX and _HEAD_RE.fullmatch(paras[0][1]):
        paras.pop(0)
    return paras


# --------------------------------------------------------------------------


def normalize_text(raw: str) -> str:
    """Return the clean text of an article; all offsets refer to this string.

    Args:
        raw: the article body as read (plain text or light markdown).

    Returns:
        Text with normalised characters and quotes, markdown syntax removed,
        hard-wrapped paragraphs rejoined, paragraphs separated by one blank
        line and boilerplate removed from its ends.
    """
    if not raw:
        return ""
    t = _clean_chars(raw)
    t, escaped = _strip_inline_markdown(t)
    items = _classify(t.split("\n"), escaped)
    paras = _strip_boilerplate(_paragraphs(items))
    return "\n\n".join(s for _, s in paras)


def clean_inline(raw: str | None) -> str | None:
    """Normalise a one-line field (title, author): clean text on a single line."""
    if raw is None:
        return None
    t = _clean_chars(str(raw))
    t, escaped = _strip_inline_markdown(t)
    if escaped:
        t = _LINE_START_PH_RE.sub(_restore_char, t)
    t = " ".join(t.split())
    if t.startswith("#"):
        m = _HEADING_RE.match(t)
        if m:
            t = m.group(1).strip()
    return t or None

"""Which language an article is written in.

The coder reads English only; an article in another language is skipped by
the caller with a reason (``not English (detected de, confidence 0.99)``) instead of being coded
as noise.  :func:`is_english` is what callers use::

    ok, lang, confidence = is_english(article.text)
    if not ok:
        skip(article, language_skip_reason(lang, confidence))

Detection is offline.  Most news text in English is recognised by a cheap
count of English function words; only the rest goes to Lingua (n-gram models
of 75 languages, loaded when first needed, deterministic).  Texts too short
to judge (headlines, lists of names) are *undetermined*: ``is_english`` then
answers True with ``lang=None`` so that nothing is dropped on a guess.
"""

from __future__ import annotations

import re
import threading

__all__ = ["detect_language", "is_english", "language_skip_reason", "MIN_WORDS", "MIN_CONFIDENCE"]

# Fewer words than this and no detector is reliable (a line of proper names
# comes out as Malay or Tagalog with a "confidence" near 1).
MIN_WORDS = 8
# A non-English verdict below this probability does not skip an article.
MIN_CONFIDENCE = 0.80
# How much text is looked at: the start of an article says enough.
SAMPLE_CHARS = 3000

# Function words frequent in English and rare as words of other languages
# written in Latin script ("in", "a", "die", "an" are left out on purpose).
_ENGLISH_FUNCTION_WORDS = frozenset(
    "the of and to is was that with for on by said has have it are were this from at his her "
    "be not which will would who they their its been had but after also more than".split()
)
_FAST_PATH_MIN_WORDS = 15
_FAST_PATH_SHARE = 0.12  # English news prose runs at 0.25-0.40; other languages near 0
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")

_lock = threading.Lock()
_detector = None


def _lingua():
    """The Lingua detector, built once (its language models load lazily as texts need them)."""
    global _detector
    if _detector is None:
        with _lock:
            if _detector is None:
                from lingua import LanguageDetectorBuilder

                # low-accuracy mode looks at trigrams only: as good as the full mode on
                # article-length texts, and several times faster
                _detector = LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()
    return _detector


def detect_language(text: str) -> tuple[str | None, float]:
    """The language of ``text`` as (ISO 639-1 code, confidence 0-1).

    Returns ``(None, 0.0)`` when the text is too short or has no letters to
    judge by.
    """
    sample = text[:SAMPLE_CHARS]
    words = _WORD_RE.findall(sample)
    if len(words) < MIN_WORDS and not _is_unspaced_script(sample):
        return None, 0.0
    if len(words) >= _FAST_PATH_MIN_WORDS:
        share = sum(1 for w in words if w.lower() in _ENGLISH_FUNCTION_WORDS) / len(words)
        if share >= _FAST_PATH_SHARE:
            return "en", round(min(0.99, 0.5 + 2 * share), 2)
    values = _lingua().compute_language_confidence_values(sample)
    if not values:
        return None, 0.0
    best = values[0]
    return best.language.iso_code_639_1.name.lower(), round(float(best.value), 4)


def _is_unspaced_script(sample: str) -> bool:
    """Chinese, Japanese, Thai...: long runs of letters without spaces."""
    letters = sum(1 for ch in sample if ch.isalpha())
    return letters >= 20 and sample.count(" ") < letters / 20


def is_english(text: str, min_confidence: float = MIN_CONFIDENCE) -> tuple[bool, str | None, float]:
    """Whether to code ``text`` as English: ``(ok, lang, confidence)``.

    ``ok`` is False only when another language is detected with at least
    ``min_confidence``; an undetermined text (``lang`` None) or a doubtful
    verdict is let through.
    """
    lang, confidence = detect_language(text)
    if lang is None or lang == "en":
        return True, lang, confidence
    return confidence < min_confidence, lang, confidence


def language_skip_reason(lang: str | None, confidence: float) -> str:
    """The reason recorded for an article skipped for its language."""
    return f"not English (detected {lang or 'unknown'}, confidence {confidence:.2f})"

"""normalize_text: one test per rule, on small texts written here."""

from __future__ import annotations

import pytest

from newsevents.ingest import clean_inline, normalize_text, parse_date, parse_header, split_dateline

# --------------------------------------------------------------------------
# characters


def test_line_endings_and_bom():
    assert normalize_text("\ufeffFirst line.\r\nSecond line.\rThird.") == "First line.\n\nSecond line.\n\nThird."


def test_zero_width_and_nonbreaking_spaces():
    assert normalize_text("Kim\u00a0Jong\u202fUn met\u200b Putin\u2060.") == "Kim Jong Un met Putin."


def test_soft_hyphen_and_bidi_marks_removed():
    assert normalize_text("inter\u00adnational \u200etalks\u200f.") == "international talks."


def test_control_characters_removed_and_cp1252_leftovers_mapped():
    assert normalize_text("a\x07b\x00c \x93quoted\x94 and\x85") == "abc “quoted” and…"


def test_tabs_and_runs_of_spaces_collapsed():
    assert normalize_text("  Tokyo\t\tsaid   on   Friday.  ") == "Tokyo said on Friday."


def test_nfc():
    decomposed = "Pyongyang cafe\u0301"
    assert normalize_text(decomposed) == "Pyongyang caf\u00e9"


def test_mojibake_repaired():
    assert normalize_text("Kishida\u00e2\u20ac\u2122s plan.") == "Kishida\u2019s plan."


def test_double_mojibake_and_undefined_cp1252_byte():
    assert normalize_text("Fran\u00c3\u0192\u00c2\u00a7ois said \u00e2\u20ac\u0153yes\u00e2\u20ac\x9d.") == (
        "Fran\u00e7ois said \u201cyes\u201d."
    )
    assert normalize_text("S\u00c3O PAULO") == "S\u00c3O PAULO"  # not mojibake


def test_html_entities():
    assert normalize_text("AT&amp;T and R&D said &#8220;no&#8221;.") == "AT&T and R&D said “no”."


# --------------------------------------------------------------------------
# quotes


def test_curly_quotes_kept():
    s = "He said, “I am constantly working” and ‘that’s it’."
    assert normalize_text(s) == s


def test_straight_quotes_and_guillemets_kept():
    s = 'Trump said he would "do whatever" and «non» was the answer.'
    assert normalize_text(s) == s


def test_low9_and_reversed_quotes_mapped():
    assert normalize_text("Er sagte „nein“ und ‚vielleicht‘.") == "Er sagte “nein” und ‘vielleicht’."
    assert normalize_text("a ‟word” here.") == "a “word” here."


def test_double_prime_as_quote_but_not_as_unit():
    assert normalize_text("He said ″no″.") == "He said “no”."
    assert normalize_text("A 12″ record at 40°26′46″N.") == "A 12″ record at 40°26′46″N."


def test_backtick_quote_pairs():
    assert normalize_text("``Like this,'' he said.") == "“Like this,” he said."


# --------------------------------------------------------------------------
# markdown


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("The *Financial Times* (FT) reported.", "The Financial Times (FT) reported."),
        ("The _Financial Times_ reported.", "The Financial Times reported."),
        ("It was **very** bad and __really__ so.", "It was very bad and really so."),
        ("a *b* c", "a b c"),
        ("~~deleted~~ text.", "deleted text."),
    ],
)
def test_emphasis(raw, clean):
    assert normalize_text(raw) == clean


@pytest.mark.parametrize(
    "s",
    [
        "Compute 5 * 3 * 2 now.",
        "The snake_case_words stay.",
        "A lone * stays.",
        "Footnote*",
        "a*b*c stays",
        "2 ** 10 is 1024.",
        "file_name_here stays.",
    ],
)
def test_not_emphasis(s):
    assert normalize_text(s) == s


def test_backslash_escapes():
    assert normalize_text(r"A deal worth \$US14.9 billion.") == "A deal worth $US14.9 billion."
    assert normalize_text(r"Stars \*not emphasis\* and \_x\_ and \[1\].") == "Stars *not emphasis* and _x_ and [1]."


def test_escaped_marker_at_line_start_is_text():
    assert normalize_text("\\# 1 seed\n\n\\- not a list.") == "# 1 seed\n\n- not a list."


def test_links_and_images():
    raw = "See [the report](https://example.org/a_(b) \"T\") and [this][1] ![chart](c.png) now.\n\n[1]: https://x.org"
    assert normalize_text(raw) == "See the report and this now."


def test_autolink():
    assert normalize_text("Read <https://example.org/x> today.") == "Read https://example.org/x today."


def test_editorial_brackets_kept():
    s = "“I am constantly working [on North Korea] through various channels.”"
    assert normalize_text(s) == s


def test_headings_stripped_and_kept_apart():
    raw = "# Kishida seeks summit\nTokyo is making efforts.\n\n## Background\n\nMore text."
    assert normalize_text(raw) == "Kishida seeks summit\n\nTokyo is making efforts.\n\nBackground\n\nMore text."


def test_setext_heading_and_rules():
    assert normalize_text("Title here\n==========\n\nBody.\n\n* * *\n\nEnd.") == "Title here\n\nBody.\n\nEnd."


def test_list_items_kept_as_lines():
    raw = "Demands include:\n\n- a summit\n* talks on abductions\n1. sanctions relief\n\nThen the talks"
    assert normalize_text(raw) == "Demands include:\n\n- a summit\n* talks on abductions\n1. sanctions relief\n\nThen the talks"


def test_list_item_not_joined_to_next_paragraph():
    assert normalize_text("- first item without period\n\nthen text.") == "- first item without period\n\nthen text."


def test_inline_code_and_blockquote():
    assert normalize_text("> He said `no` twice.") == "He said no twice."


# --------------------------------------------------------------------------
# hard wraps and paragraphs


def test_seed_hard_wrap_after_comma():
    raw = "Tokyo had not informed the US, according to the FT. So far,\n\nWashington has avoided public comments."
    assert normalize_text(raw) == (
        "Tokyo had not informed the US, according to the FT. So far, Washington has avoided public comments."
    )


def test_seed_hard_wrap_before_lowercase():
    raw = "they based their concerns on his public comments and\n\nactions during his 2017-2021 term."
    assert normalize_text(raw) == "they based their concerns on his public comments and actions during his 2017-2021 term."


def test_seed_hard_wrap_after_the_next():
    raw = "It must score some type of political victory. The next\n\ngeneral election is scheduled for October 2025."
    assert normalize_text(raw) == (
        "It must score some type of political victory. The next general election is scheduled for October 2025."
    )


def test_no_join_after_sentence_end():
    assert normalize_text("The talks ended.\n\nthe next day it rained.") == "The talks ended.\n\nthe next day it rained."
    assert normalize_text("He said “no.”\n\nand left") == "He said “no.”\n\nand left"


def test_no_join_of_title_line():
    raw = "Japan Seeks Summit With North Korea\n\nAmid growing turmoil, Tokyo acted."
    assert normalize_text(raw) == raw
    assert normalize_text("Background\n\nthe talks began in 2002.") == "Background\n\nthe talks began in 2002."


def test_speech_verb_joins_only_before_a_quote():
    assert normalize_text("and he said\n\n“I will go.”") == "and he said “I will go.”"
    assert normalize_text("What the minister said\n\nThe minister spoke.") == (
        "What the minister said\n\nThe minister spoke."
    )


def test_unbulleted_list_lines_not_joined():
    lines = [
        "Sell her presidency (what she would do and how she would do it)",
        "Be the Clinton who shines in a smaller crowd",
        "Get those jokes off, adding levity.",
    ]
    assert normalize_text("Her tasks tonight:\n\n" + "\n".join(lines)) == "\n\n".join(["Her tasks tonight:"] + lines)


def test_fixed_width_wrapped_paragraph_joined():
    raw = (
        "The Japanese government has officially recognized 17 abductees or\n"
        "suspected abductees, although there may be more. They were kidnapped\n"
        "supposedly to teach Japanese language and culture to spies.\n"
        "\n"
        "Five were allowed to return to Japan in 2002 following a summit between\n"
        "Prime Minister Junichiro Koizumi and Kim Jong Il."
    )
    assert normalize_text(raw) == (
        "The Japanese government has officially recognized 17 abductees or suspected abductees, although "
        "there may be more. They were kidnapped supposedly to teach Japanese language and culture to spies.\n\n"
        "Five were allowed to return to Japan in 2002 following a summit between Prime Minister Junichiro "
        "Koizumi and Kim Jong Il."
    )


def test_single_newline_paragraphs_split():
    raw = "First paragraph ends here.\nSecond paragraph starts here and ends.\nThird one."
    assert normalize_text(raw) == "First paragraph ends here.\n\nSecond paragraph starts here and ends.\n\nThird one."


def test_hyphen_at_wrap_kept_without_space():
    assert normalize_text("the US-\nled war drive.") == "the US-led war drive."


def test_blank_line_runs_become_one():
    assert normalize_text("\n\n\nOne.\n\n\n\n\nTwo.\n \n\t\nThree.\n\n") == "One.\n\nTwo.\n\nThree."


# --------------------------------------------------------------------------
# boilerplate

BODY = "Kishida is seeking a summit with Kim Jong Un."


@pytest.mark.parametrize(
    "tail",
    [
        "To contact the WSWS and the\nSocialist Equality Party visit:\n\nwsws.org/contact",
        "Share this:\n\nFacebook\nTwitter\nEmail",
        "Share on Facebook\n\nShare on Twitter",
        "Follow us on Twitter and Facebook",
        "Follow Reuters on Instagram",
        "Subscribe to our newsletter",
        "Sign up for our newsletter",
        "Click here to read more.",
        "© 2024 Example News Ltd",
        "Copyright 2024 The Associated Press. All rights reserved. This material may not be published.",
        "Related articles\n\nKishida visits Seoul\n\nNorth Korea fires missile",
        "Read more: Japan and North Korea in talks",
        "https://example.org/story/123",
        "Advertisement",
    ],
)
def test_tail_boilerplate_removed(tail):
    assert normalize_text(BODY + "\n\n" + tail) == BODY


def test_head_boilerplate_removed():
    assert normalize_text("Advertisement\n\nSkip to content\n\n" + BODY) == BODY


def test_advertisement_between_paragraphs_removed():
    assert normalize_text("First part.\n\nADVERTISEMENT\n\nSecond part.") == "First part.\n\nSecond part."


@pytest.mark.parametrize(
    "s",
    [
        "Officials said they would contact the families of the abductees.",
        "Share prices in Tokyo fell sharply after the announcement.",
        "Tokyo did not share the details with Washington.",
        "The company said it had all rights reserved for the film.",
        "Readers were asked to follow the talks on television.",
        "Copyright law was changed in 2019.",
    ],
)
def test_body_sentences_with_boilerplate_words_kept(s):
    assert normalize_text(BODY + "\n\n" + s) == BODY + "\n\n" + s


def test_boilerplate_words_in_the_middle_kept():
    raw = "Share this:\n\n" + BODY + "\n\nContact us\n\nMore body text."
    assert normalize_text(raw) == BODY + "\n\nContact us\n\nMore body text."


# --------------------------------------------------------------------------
# idempotence

SAMPLES = [
    "So far,\n\nWashington has avoided comment. The *FT* said \\$US14.9.",
    "# Title\n\nBody *with* [links](http://x.org) and ``quotes''.\n\n- item one\n- item two\n\nEnd\n\nShare this:",
    "The Japanese government has officially recognized 17 abductees or\nsuspected abductees, although there\n"
    "may be more.\n\nthe next\n\nparagraph.",
    "Er sagte „nein“.\r\n\r\n\u00a0\u00a0Kim\u200bJong Un.",
    "Background\n\nthe talks.\n\nJapan Seeks Summit\n\nBody.",
]


@pytest.mark.parametrize("raw", SAMPLES)
def test_idempotent(raw):
    once = normalize_text(raw)
    assert normalize_text(once) == once


def test_idempotent_on_seed(shared):
    raw = (shared / "seed" / "kishida-north-korea-summit-2024-02-15.txt").read_text(encoding="utf-8")
    once = normalize_text(raw)
    assert normalize_text(once) == once


def test_empty_and_whitespace():
    assert normalize_text("") == ""
    assert normalize_text(" \n\t\u200b\n ") == ""


# --------------------------------------------------------------------------
# helpers used by the readers


def test_clean_inline():
    assert clean_inline("  # The *Financial Times*\n  reports ") == "The Financial Times reports"
    assert clean_inline(None) is None


@pytest.mark.parametrize(
    "value",
    [
        "2024-02-15",
        "15 February 2024",
        "February 15, 2024",
        "Thursday, February 15, 2024",
        "2024-02-15T10:00:00+09:00",
        "2024-02-15T01:00:00Z",
        "Thu, 15 Feb 2024 10:00:00 +0000",
        "Feb. 15th, 2024 10:32 GMT",
        "Published: 15 February 2024",
    ],
)
def test_parse_date_forms(value):
    from datetime import date

    assert parse_date(value) == date(2024, 2, 15)


def test_parse_date_rejects():
    assert parse_date("31 February 2024") is None
    assert parse_date("yesterday") is None
    assert parse_date("") is None


def test_split_dateline():
    from datetime import date

    assert split_dateline("Friday, January 4, 2019\n\nAn apartment collapsed.") == (
        date(2019, 1, 4),
        "An apartment collapsed.",
    )
    assert split_dateline("Friday, the House acted.") == (None, "Friday, the House acted.")


def test_parse_header_rule_is_not_front_matter():
    text = "---\n\nSome prose, not keys.\n\n---\nMore."
    assert parse_header(text) == ({}, text)


def test_parse_header_byline_and_date_without_title():
    from datetime import date

    fields, body = parse_header("By Ben McGrath, 15 February 2024\n\nBody text.")
    assert fields == {"author": "Ben McGrath", "published": date(2024, 2, 15)}
    assert body.strip() == "Body text."
    fields, body = parse_header("Friday, January 4, 2019\n\nAn apartment building collapsed.")
    assert fields == {"published": date(2019, 1, 4)}


def test_parse_header_does_not_swallow_first_sentence():
    text = "Tokyo is making efforts to realize a summit with Kim Jong Un, officials said on Friday\n\nMore."
    assert parse_header(text) == ({}, text)
    text = "Kishida seeks a summit.\n\nMore."
    assert parse_header(text) == ({}, text)

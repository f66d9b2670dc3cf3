"""The verb lexicon: lookup by inflected form and pattern matching on a real parse."""

import pytest

from newsevents.coding.lexicon import VerbLexicon, lexicon_for, load_verb_dictionary


@pytest.fixture(scope="module")
def nlp(pipeline):
    return pipeline.nlp


def verb(nlp, text, word):
    doc = nlp(text)
    return next(t for t in doc if t.text == word)


def test_inflected_forms_are_keys():
    lex = lexicon_for(())
    for form in ("seek", "seeks", "sought", "seeking", "accused", "kidnapped"):
        assert form in lex
    assert "tariffs" not in lex  # a noun, not a verb entry


def test_most_specific_pattern_wins(nlp):
    lex = lexicon_for(())
    plain = lex.match(verb(nlp, "Japan sought help from the United States.", "sought"))
    summit = lex.match(verb(nlp, "Japan sought a summit with North Korea.", "sought"))
    assert plain.code.startswith("02")  # seek help: appeal for aid
    assert summit.code == "036"  # seek a summit: intent to meet


def test_target_marker_in_prepositional_phrase(nlp):
    lex = lexicon_for(())
    m = lex.match(verb(nlp, "Tokyo reached out to Pyongyang last week.", "reached"))
    assert m is not None and m.target_tok is not None and m.target_tok.text == "Pyongyang"


def test_default_code_without_pattern(nlp):
    lex = lexicon_for(())
    m = lex.match(verb(nlp, "Rebels kidnapped two aid workers.", "kidnapped"))
    assert m.code == "181" and m.pattern is None


def test_user_dictionary_in_petrarch_format(tmp_path, nlp):
    path = tmp_path / "verbs.txt"
    path.write_text(
        "---  PRAISE   [051]  ---\n"
        "LAUD\n"
        "- * COURAGE [0511]  # a pattern of our own\n",
        encoding="utf-8",
    )
    lex = VerbLexicon([load_verb_dictionary(path)])
    assert lex.match(verb(nlp, "The minister lauded the firefighters.", "lauded")).code == "051"
    assert lex.match(verb(nlp, "The minister lauded their courage.", "lauded")).code == "0511"
    assert lex.match(verb(nlp, "The minister attacked the plan.", "attacked")) is None


def test_malformed_dictionary_line_names_file_and_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("---  PRAISE   [051]  ---\nLAUD\n- * (COURAGE [0511]\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.txt:3"):
        load_verb_dictionary(path)

"""Quotes, speakers and attribution (``newsevents.nlp.quotes``) on short texts and the seed article."""

import pytest
from spacy.language import Language

from newsevents.ingest import read_paths
from newsevents.nlp.quotes import attribution_for, find_quotes, scan_quotes, to_quotes


@pytest.fixture(scope="module")
def parse(pipeline):
    """Parse a text with the project pipeline; quotes from the component, or computed here while
    the component is not part of the default pipeline."""

    def _parse(text: str):
        doc = pipeline.nlp(text)
        if doc._.quotes is None:
            doc._.quotes = find_quotes(doc)
        return doc

    return _parse


def quoted(doc, fragment):
    """The quote whose content contains ``fragment``."""
    hits = [q for q in doc._.quotes if fragment in q.text(doc)]
    assert hits, [q.text(doc) for q in doc._.quotes]
    return hits[0]


def tok(doc, word, nth=0):
    return [t for t in doc if t.text == word][nth]


# -- the character scanner ---------------------------------------------------------------------


def test_scan_quotes_marks():
    text = 'He said "we go" and ‘they stay’, but it’s Trump’s call: “fine”.'
    assert [text[a:b] for a, b in scan_quotes(text)] == ["we go", "they stay", "fine"]


def test_scan_quotes_across_paragraphs_and_typed_marks():
    text = "She said:\n\n“First part.\n\n“Second part.”\n\nThen ''typed quote'' here."
    spans = [text[a:b] for a, b in scan_quotes(text)]
    assert spans[0].startswith("First part.") and spans[0].endswith("Second part.")
    assert spans[1] == "typed quote"


def test_unclosed_quote_ends_with_its_paragraph():
    text = "He said “this never closes\n\nNext paragraph is narration."
    assert [text[a:b] for a, b in scan_quotes(text)] == ["this never closes"]


# -- direct quotes and speakers ---------------------------------------------------------------------


def test_component_is_registered():
    assert Language.has_factory("newsevents_quotes")


def test_component_sets_doc_quotes():
    from newsevents.nlp.pipeline import build_nlp

    nlp = build_nlp()
    if "newsevents_quotes" not in nlp.pipe_names:
        nlp.add_pipe("newsevents_quotes", after="newsevents_actors")
    doc = nlp("“We are ready,” the minister said.")
    assert doc._.quotes and doc._.quotes[0].text(doc) == "We are ready,"


def test_quote_with_trailing_cue_and_continuation(parse):
    doc = parse("Mayor Jane Smith spoke to reporters on Monday. “We will not back down,” she said. "
                "“These cases take a lot of patience.”")
    first, second = quoted(doc, "back down"), quoted(doc, "patience")
    assert first.direct and first.name == "Jane Smith" and doc[first.cue[0]:first.cue[1]].text == "said"
    assert second.name == "Jane Smith" and second.via == "continues"


def test_inverted_speaker_after_cue(parse):
    doc = parse("“Before long, we will run out of staff,” said Mr. Dunlap, the police chief.")
    q = quoted(doc, "run out of staff")
    assert "Dunlap" in q.name


def test_pronoun_speaker_is_the_previous_speaker(parse):
    doc = parse("Speaking to the Diet, Japanese Prime Minister Fumio Kishida stated that Tokyo was working "
                "to realize a summit with Kim Jong Un. He told parliament, “I have to refrain from going "
                "into details.”")
    q = quoted(doc, "refrain")
    assert q.name == "Fumio Kishida" and doc[q.speaker[0]].text == "He"


def test_partial_quote_inside_a_sentence(parse):
    doc = parse("Christopher Johnstone, a former CIA official, called the talks between Tokyo and "
                "Pyongyang a “fraught exercise.”")
    q = quoted(doc, "fraught exercise")
    assert q.direct and q.name == "Christopher Johnstone"


def test_quote_inside_a_reported_clause(parse):
    doc = parse('On Monday, Donald Trump claimed he would allow Russia to "do whatever they want" to some allies.')
    assert quoted(doc, "whatever they want").name == "Donald Trump"


def test_alleging_cue_marks_the_content(parse):
    doc = parse("A report released in Kigali alleged that French soldiers helped plan the killings.")
    a = attribution_for(doc, tok(doc, "helped"))
    assert a is not None and a.alleged and a.kind == "speech"


def test_quote_spanning_paragraphs(parse):
    doc = parse("The spokesman said:\n\n“The first point is clear to everyone here.\n\n"
                "“The second point matters even more to all of us.”")
    q = quoted(doc, "first point")
    assert "second point" in q.text(doc) and q.name == "spokesman"


def test_quote_paragraph_after_an_introducing_paragraph(parse):
    doc = parse("Governor Maria Lopez said the plan would fail.\n\n"
                "“It will fail, and everyone in this state knows it will fail.”")
    q = quoted(doc, "everyone in this state")
    assert q.name == "Maria Lopez" and q.via == "intro"


def test_scare_quotes_and_titles_are_not_quotes(parse):
    doc = parse("The US and Japan have undermined the “One China” policy. The bill, known as the "
                "“Clean Air Act”, passed.")
    assert not [q for q in doc._.quotes if q.direct]


def test_dash_byline_and_transcript_turns(parse):
    doc = parse("“We can build a better future for everyone here.” ― Steve Quinlan\n\n"
                "WALLACE: Do you really see those two as equivalent, Governor?")
    assert quoted(doc, "better future").name == "Steve Quinlan"
    turn = quoted(doc, "equivalent")
    assert turn.via == "turn" and doc[turn.speaker[0]:turn.speaker[1]].text == "WALLACE"


# -- indirect speech and source attribution ---------------------------------------------------


def test_indirect_speech_content_is_the_complement(parse):
    doc = parse("The Financial Times reported on Tuesday that Japan had held talks with North Korea.")
    q = next(q for q in doc._.quotes if q.kind == "speech")
    assert q.text(doc).startswith("that Japan had held talks") and not q.direct
    a = attribution_for(doc, tok(doc, "held"))
    assert a.speaker == "Financial Times" and a.kind == "speech" and a.cue.lemma_ == "report"


def test_according_to_and_clause_final_cue(parse):
    doc = parse("Japan had met North Korean officials, according to Reuters.")
    a = attribution_for(doc, tok(doc, "met"))
    assert a.speaker == "Reuters" and a.kind == "according"
    doc = parse("Tokyo is worried about the talks, the FT said.")
    a = attribution_for(doc, tok(doc, "worried"))
    assert a is not None and a.speaker == "Financial Times"


def test_based_on_interviews_names_a_second_source(parse):
    doc = parse("Based on interviews with six unnamed Japanese government officials, Reuters reported "
                "that Tokyo was working to connect with the Trump campaign.")
    a = attribution_for(doc, tok(doc, "connect"))
    assert a.speaker == "Reuters"
    src = next(q for q in doc._.quotes if q.kind == "source")
    assert "officials" in doc[src.speaker[0]:src.speaker[1]].text


def test_nested_speech_gives_the_innermost_source(parse):
    doc = parse("Reuters stated, “The Japanese officials said they had no knowledge of the plans.”")
    assert quoted(doc, "Japanese officials said").name == "Reuters"
    a = attribution_for(doc, tok(doc, "had"))
    assert a.speaker == "Japanese officials"


def test_writer_assertions_have_no_attribution(parse):
    doc = parse("The United States imposed sanctions on Iran on Tuesday.")
    assert attribution_for(doc, tok(doc, "imposed")) is None


def test_participle_cue_inside_a_complement_takes_the_speaker(parse):
    doc = parse("The prosecutor general of Tehran said the suspects must face charges, adding Iran will "
                "pursue the case.")
    a = attribution_for(doc, tok(doc, "pursue"))
    assert a is not None and "prosecutor" in a.speaker


def test_to_quotes_gives_model_quotes_with_offsets(parse):
    text = "“We are ready to talk,” Japanese Prime Minister Fumio Kishida said on Friday."
    doc = parse(text)
    quotes = to_quotes(doc)
    q = next(q for q in quotes if q.direct)
    assert text[q.content.start:q.content.end] == q.content.text == "We are ready to talk,"
    assert q.speaker is not None and q.speaker.actor.code.startswith("JPN")
    assert q.cue is not None and q.cue.text == "said" and q.speaker_text == "Fumio Kishida"
    assert set(q.to_dict()) == {"content", "speaker", "speaker_text", "cue", "direct"}


# -- the seed article -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed(shared, pipeline):
    (article,) = list(read_paths([shared / "seed" / "kishida-north-korea-summit-2024-02-15.txt"]))
    doc = pipeline.nlp(article.text)
    if doc._.quotes is None:
        doc._.quotes = find_quotes(doc)
    return doc


def test_seed_direct_quotes_and_speakers(seed):
    assert quoted(seed, "I have to refrain").name == "Fumio Kishida"
    fraught = quoted(seed, "fraught exercise")
    assert fraught.name == "Christopher Johnstone" and fraught.direct
    transparency = quoted(seed, "Transparency in advance")
    assert transparency.name == "Christopher Johnstone"
    assert seed[transparency.cue[0]:transparency.cue[1]].text == "added"
    assert quoted(seed, "do whatever the hell they want").name == "Donald Trump"


def test_seed_outlet_attributions(seed):
    names = {q.name for q in seed._.quotes}
    assert {"Financial Times", "Reuters"} <= names
    informed = next(t for t in seed if t.text == "informed")
    assert attribution_for(seed, informed).speaker == "Financial Times"
    rebuffed = next(t for t in seed if t.text == "rebuffed")
    assert attribution_for(seed, rebuffed).speaker == "Reuters"

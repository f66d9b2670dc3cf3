"""The time layer (``newsevents_times``): extents, values in context, and the time of an event.

The sentences are written for these tests; the seed article is read from ../shared (skipped when
absent), never copied.
"""

from __future__ import annotations

from datetime import date

import pytest
import spacy

from newsevents.nlp.times import TimeTagger, clause_direction, event_time, times_of

PUB = "2024-02-15"  # a Thursday


@pytest.fixture(scope="module")
def parse(pipeline):
    """Parse a text with the real pipeline and the time layer, published on a date."""
    nlp = pipeline.nlp
    tagger = TimeTagger()

    def _parse(text: str, published: str | None = PUB):
        doc = nlp.make_doc(text)
        doc._.published = date.fromisoformat(published) if published else None
        doc = nlp(doc)
        if "newsevents_times" not in nlp.pipe_names:
            tagger(doc)
        return doc

    return _parse


def found(doc):
    return {t.text: t for t in doc._.times}


def test_absolute_and_relative_expressions(parse):
    t = found(parse("The ministers met on Tuesday, a week after talks on February 6, and again last August."))
    assert t["Tuesday"].value == "2024-02-13" and t["Tuesday"].signal == "on"
    assert t["February 6"].value == "2024-02-06"
    assert t["last August"].value == "2023-08" and t["last August"].precision == "month"


def test_signals_are_cut_off_and_kept_as_bounds(parse):
    t = found(parse("The party has been in crisis since November and wants a new budget by 2027."))
    assert t["November"].value == "2023-11" and t["November"].bound == "start"
    assert t["2027"].value == "2027" and t["2027"].signal == "by" and t["2027"].bound == "end"


def test_ranges_keep_their_endpoints(parse):
    doc = parse("Agents seized dozens of people between 1977 and 1983, and he served a 2017-2021 term.")
    t = found(doc)
    r = t["1977 and 1983"]
    assert r.value == "1977/1983" and r.precision == "range" and r.signal == "between"
    assert [(p.text, p.value) for p in r.parts] == [("1977", "1977"), ("1983", "1983")]
    assert t["2017-2021"].value == "2017/2021"


def test_trailing_words_that_are_not_temporal_are_cut(parse):
    doc = parse("Aid arrived after the January 1 Noto earthquake destroyed the town.")
    assert [(x.text, x.value) for x in doc._.times] == [("January 1", "2024-01-01")]


def test_future_clauses_resolve_forward(parse):
    assert found(parse("The party will elect a new leader in September."))["September"].value == "2024-09"
    assert found(parse("The party elected a new leader in September."))["September"].value == "2023-09"
    assert found(parse("The vote is scheduled for October."))["October"].value == "2024-10"
    assert found(parse("Officials plan to hold talks on Monday."))["Monday"].value == "2024-02-19"
    assert found(parse("Officials held talks on Monday."))["Monday"].value == "2024-02-12"
    t = found(parse("He said the leaders would meet this September."))
    assert t["this September"].value == "2024-09" and t["this September"].future


def test_clause_direction(parse):
    doc = parse("She will visit Paris on Friday, but she visited Rome on Monday.")
    days = {t.text: t for t in doc._.times}
    assert clause_direction(doc[days["Friday"].root]) == 1
    assert clause_direction(doc[days["Monday"].root]) == -1


def test_durations_sets_and_references(parse):
    t = found(parse("The talks lasted three days. The council now meets every week, as it did recently."))
    assert (t["three days"].type, t["three days"].value) == ("DURATION", "P3D")
    assert (t["every week"].type, t["every week"].value) == ("SET", "P1W")
    assert t["now"].value == "PRESENT_REF" and not t["now"].calendar
    assert t["recently"].value == "PAST_REF"


def test_ages_and_bare_numbers_are_not_times(parse):
    doc = parse("Kim, 40, met a 65-year-old farmer who said he was 70 years old.")
    assert [x.text for x in doc._.times] == []


def test_anaphora_follows_the_previous_time(parse):
    doc = parse("Profit rose 5% in the third quarter from a year earlier. The company was founded in 1998 "
                "and listed two years later.")
    t = found(doc)
    assert t["the third quarter"].value == "2023-Q3"
    assert t["a year earlier"].value == "2022-Q3" and t["a year earlier"].anchored
    assert t["two years later"].value == "2000"


def test_time_of_day_joins_its_day(parse):
    t = found(parse("Police said the attack began at 10 p.m. Wednesday and ended on Thursday morning."))
    assert t["10 p.m. Wednesday"].value == "2024-02-14T22:00" and t["10 p.m. Wednesday"].type == "TIME"
    assert t["Thursday morning"].value == "2024-02-15TMO"


def test_without_a_publication_date_relative_values_are_empty(parse):
    t = found(parse("The summit took place in October 2025 and again last month.", published=None))
    assert t["October 2025"].value == "2025-10"
    assert t["last month"].value is None


def test_event_time_prefers_the_predicate_then_clause_then_leading_adverbial(parse):
    doc = parse("The leaders met on Monday after talks last week.")
    met = next(t for t in doc if t.lower_ == "met")
    clause = list(met.subtree)
    ref = event_time(doc, clause, met)
    assert ref is not None and ref.text == "Monday" and ref.value == "2024-02-12"
    doc = parse("Last month, prosecutors indicted three lawmakers.")
    verb = next(t for t in doc if t.lower_ == "indicted")
    ref = event_time(doc, [t for t in verb.subtree if t.i > 2], verb)
    assert ref is not None and ref.value == "2024-01"
    doc = parse("Prosecutors indicted three lawmakers.")
    verb = next(t for t in doc if t.lower_ == "indicted")
    assert event_time(doc, list(verb.subtree), verb) is None


def test_event_time_skips_values_off_the_calendar(parse):
    doc = parse("Rebels have recently attacked the town for three days.")
    verb = next(t for t in doc if t.lower_ == "attacked")
    assert event_time(doc, list(verb.subtree), verb) is None


def test_times_of_gives_model_timerefs(parse):
    doc = parse("The vote was held on February 9.")
    (ref,) = times_of(doc)
    assert (ref.text, ref.value, ref.precision, ref.type) == ("February 9", "2024-02-09", "day", "DATE")
    assert doc.text[ref.start:ref.end] == "February 9"


def test_component_registers_and_runs_in_any_pipeline():
    nlp = spacy.blank("en")
    nlp.add_pipe("newsevents_times")
    meta = nlp.get_pipe_meta("newsevents_times")
    assert "doc._.times" in meta.assigns and "doc.ents" in meta.requires
    doc = nlp.make_doc("We met yesterday and will meet again tomorrow.")
    doc._.published = date(2024, 2, 15)
    doc = nlp(doc)
    assert [(t.text, t.value) for t in doc._.times] == [("yesterday", "2024-02-14"), ("tomorrow", "2024-02-16")]


@pytest.mark.shared
def test_seed_article_dates(shared, parse):
    from newsevents.ingest import read_paths

    path = shared / "seed" / "kishida-north-korea-summit-2024-02-15.txt"
    (article,) = list(read_paths([path]))
    assert article.published == date(2024, 2, 15)
    doc = parse(article.text, published=article.published.isoformat())
    values = {}
    for t in doc._.times:
        values.setdefault(t.text, t.value)
    expected = {
        "February 9": "2024-02-09", "Tuesday": "2024-02-13", "last August": "2023-08", "Last month": "2024-01",
        "this September": "2024-09", "October 2025": "2025-10", "1977 and 1983": "1977/1983", "2002": "2002",
        "February 2": "2024-02-02", "February 10": "2024-02-10", "November": "2023-11", "2027": "2027",
        "2017-2021": "2017/2021", "nearly two decades ago": "2004", "recent years": "PAST_REF",
    }
    for text, value in expected.items():
        assert values.get(text) == value, (text, values.get(text))
    by_text = {t.text: t for t in doc._.times}
    assert by_text["November"].signal == "since" and by_text["2027"].signal == "by"

"""Toponyms and their resolution: the gazetteer, the places component and event locations."""

from __future__ import annotations

import gzip

import pytest
import spacy

from newsevents.kb.gazetteer import (
    Gazetteer,
    default_gazetteer,
    haversine_km,
    load_gazetteer,
    place_key,
    read_extra,
    validate_table,
)
from newsevents.model import Place
from newsevents.nlp.places import PlaceResolver, event_location, is_government_metonym


# -- gazetteer -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer()


def test_place_key_folds_case_accents_and_saints():
    assert place_key("St. Louis") == place_key("Saint-Louis") == place_key("ST LOUIS") == "st louis"
    assert place_key("Québec") == "quebec"
    assert place_key("Winston–Salem") == "winston salem"


def test_lookup_cities_countries_states(gaz):
    (beijing,) = [e for e in gaz.lookup("Beijing") if e.kind == "city"]
    assert beijing.country == "CHN" and beijing.geonames_id == 1816670
    assert haversine_km(beijing.lat, beijing.lon, 39.9, 116.4) < 20
    springfields = [e for e in gaz.lookup("Springfield") if e.kind == "city" and e.country == "USA"]
    assert {"IL", "MO", "MA"} <= {e.admin1 for e in springfields}
    georgia = {e.kind: e for e in gaz.lookup("Georgia")}
    assert georgia["country"].country == "GEO" and georgia["admin1"].admin1 == "GA"
    # AP abbreviations and postal codes of US states
    assert [e.name for e in gaz.lookup("La.")] == ["Louisiana"]
    assert gaz.us_state_by_postal("IL").name == "Illinois"
    # alternate names are marked as such
    peking = [e for e in gaz.lookup("Peking") if e.country == "CHN"]
    assert peking and peking[0].alternate and peking[0].name == "Beijing"


def test_countries_are_placed_at_their_centre_not_their_capital(gaz):
    usa = gaz.country("USA")
    assert usa is not None and usa.geonames_id == 6252001
    assert haversine_km(usa.lat, usa.lon, 39.8, -98.6) < 300  # middle of the contiguous US
    assert haversine_km(usa.lat, usa.lon, 38.9, -77.0) > 1000  # not Washington


def test_curated_places(gaz):
    (camp,) = gaz.lookup("Camp David")
    assert camp.kind == "landmark" and camp.country == "USA" and camp.geonames_id is None
    assert gaz.lookup("Indo-Pacific region")[0].name == "Indo-Pacific"
    assert {e.country for e in gaz.lookup("Punjab")} >= {"IND", "PAK"}


def test_counties_have_their_state(gaz):
    (rapides,) = gaz.lookup("Rapides Parish")
    assert rapides.kind == "admin2" and rapides.country == "USA" and rapides.admin1 == "LA"


def test_bundled_table_is_valid():
    assert validate_table() > 100_000


def test_malformed_tables_are_rejected_with_the_line(tmp_path):
    bad = tmp_path / "extra.tsv"
    bad.write_text("name\tkind\tiso3\tadmin1\tlat\tlon\talternates\tnote\n"
                   "Somewhere\tregion\tXX\t\t10\t20\t\t\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"extra.tsv:2: iso3"):
        read_extra(bad)
    bad.write_text("name\tkind\tiso3\tadmin1\tlat\tlon\talternates\tnote\n"
                   "Somewhere\tregion\t\t\t100\t20\t\t\n", encoding="utf-8")
    with pytest.raises(ValueError, match="out of range"):
        read_extra(bad)
    table = tmp_path / "table.tsv.gz"
    with gzip.open(table, "wt", encoding="utf-8") as fh:
        fh.write("geonameid\tname\n1\tX\n")
    with pytest.raises(ValueError, match="header"):
        load_gazetteer(table, bad)
    with pytest.raises(FileNotFoundError, match="--build"):
        load_gazetteer(tmp_path / "missing.tsv.gz")


# -- the component -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def places(pipeline):
    """Places of a text: the pipeline's docs through the places component."""
    resolver = PlaceResolver()

    def _places(text: str):
        doc = pipeline.nlp(text)
        if "newsevents_places" not in pipeline.nlp.pipe_names:
            doc = resolver(doc)
        return doc

    return _places


def _by_text(doc) -> dict[str, Place]:
    return {p.text: p for p in doc._.places}


def test_factory_declares_what_it_requires_and_assigns():
    nlp = spacy.blank("en")
    nlp.add_pipe("newsevents_places", config={"default_country": ""})
    meta = nlp.get_pipe_meta("newsevents_places")
    assert "doc.ents" in meta.requires and "doc._.places" in meta.assigns
    doc = nlp.make_doc("Floods hit Dhaka and Chittagong.")
    doc.ents = [doc.char_span(11, 16, label="GPE"), doc.char_span(21, 31, label="GPE")]
    doc = nlp.get_pipe("newsevents_places")(doc)
    got = _by_text(doc)
    assert got["Dhaka"].country == "BGD" and got["Chittagong"].country == "BGD"
    assert got["Dhaka"].start == 11 and got["Dhaka"].end == 16


def test_locative_capital_is_a_place_and_subject_capital_is_not(places):
    doc = places("Japan's prime minister is seeking a summit. Tokyo wants to hold it soon. "
                 "Talks took place through a channel in Beijing.")
    got = _by_text(doc)
    assert "Tokyo" not in got
    beijing = got["Beijing"]
    assert beijing.country == "CHN" and beijing.geonames_id == 1816670
    assert abs(beijing.lat - 39.9) < 0.2 and abs(beijing.lon - 116.4) < 0.2
    tokyo = next(t for t in doc if t.text == "Tokyo")
    assert is_government_metonym(tokyo)
    # a capital's namesake in a story with no sign of the capital's country stays a place
    got = _by_text(places("Athens approved a new budget for its parks, the Clarke County "
                          "commission said in Georgia on Monday."))
    assert got["Athens"].country == "USA"


def test_demonyms_are_not_places(places):
    doc = places("Japanese officials met French diplomats in Paris on Monday.")
    got = _by_text(doc)
    assert "Japanese" not in got and "French" not in got
    assert got["Paris"].country == "FRA"


def test_containment_cues_pick_the_state(places):
    got = _by_text(places("The fair opened in Springfield, Illinois, on Friday."))
    assert got["Springfield"].country == "USA" and abs(got["Springfield"].lon - -89.64) < 0.3
    got = _by_text(places("A tornado hit Springfield, Mo., late on Tuesday."))
    assert abs(got["Springfield"].lon - -93.3) < 0.3
    got = _by_text(places("He grew up in Paris, Texas, before moving away."))
    assert got["Paris"].country == "USA"


def test_article_focus_decides_between_namesakes(places):
    text = ("Heavy rain flooded roads across Louisiana on Monday. In Alexandria, police closed "
            "three bridges, and the mayor of Alexandria asked residents to stay home.")
    got = _by_text(places(text))
    assert got["Alexandria"].country == "USA"
    text = "Egyptian police arrested 12 people in Alexandria after protests in Cairo."
    assert _by_text(places(text))["Alexandria"].country == "EGY"


def test_event_location_prefers_the_clause_then_the_sentence(places):
    doc = places("Officials from Tokyo and Pyongyang held talks through a channel in Beijing.")
    verb = next(t for t in doc if t.lemma_ == "hold")
    clause = list(verb.subtree)
    loc = event_location(doc, clause, next(iter(doc.sents)))
    assert loc is not None and loc.name == "Beijing" and loc.country == "CHN"
    # no toponym in the clause: the sentence's; participants are not locations
    doc = places("Japan criticised China. The protest happened in Osaka.")
    sents = list(doc.sents)
    verb = next(t for t in doc if t.lemma_ == "criticise")
    assert event_location(doc, list(verb.subtree), sents[0]) is None
    assert event_location(doc, [], 1).name == "Osaka"


# -- the seed article ----------------------------------------------------------------------------

@pytest.mark.shared
def test_seed_article_places(shared, places):
    from newsevents.ingest import read_paths

    (article,) = list(read_paths([shared / "seed" / "kishida-north-korea-summit-2024-02-15.txt"]))
    doc = places(article.text)
    spans = doc._.place_spans
    by_text: dict[str, list] = {}
    for ps in spans:
        by_text.setdefault(ps.text, []).append(ps)
    beijing = [ps for ps in by_text["Beijing"] if ps.locative]
    assert beijing and beijing[0].place.country == "CHN"
    assert abs(beijing[0].place.lat - 39.9) < 0.2 and abs(beijing[0].place.lon - 116.4) < 0.2
    # "Tokyo wants to hold a summit": the government, not the city
    wants = article.text.index("Tokyo wants")
    assert all(p.start != wants for p in doc._.places)
    assert by_text["Gaza"][0].place.country == "PSE"
    ukraine = by_text["Ukraine"][0].place
    assert ukraine.country == "UKR" and 44 < ukraine.lat < 53 and 22 < ukraine.lon < 41
    camp = by_text["Camp David"][0].place
    assert camp.country == "USA" and abs(camp.lat - 39.65) < 0.1
    indo = [ps for ps in spans if ps.text.startswith("Indo-Pacific")]
    assert indo and indo[0].resolved and indo[0].place.name == "Indo-Pacific"
    # the talks "through a channel in Beijing" take place in Beijing
    channel = next(t for t in doc if t.text == "channel")
    sent = channel.sent
    assert event_location(doc, list(channel.head.subtree), sent).name == "Beijing"

"""PETRARCH/TABARI dictionary readers, our converted formats, and the bundled Phoenix/CAMEO data."""

from __future__ import annotations

import importlib.util
from datetime import date
from pathlib import Path

import pytest

from newsevents.kb.petrarch import (
    ATTRIBUTION,
    ActorCode,
    ActorEntry,
    AgentEntry,
    Compound,
    Consecutive,
    Phrase,
    Prep,
    Skip,
    Source,
    Synset,
    Target,
    VerbDictionary,
    Word,
    parse_dictionary_date,
    read_actor_dictionary,
    read_actor_tsv,
    read_agent_dictionary,
    read_agent_tsv,
    read_discard_entries,
    read_discards,
    read_verb_dictionary,
    read_verb_json,
    write_actor_tsv,
    write_agent_tsv,
    write_verb_json,
)
from newsevents.paths import data_path

REPO = Path(__file__).resolve().parents[1]
CAMEO = "cameo-dictionaries/CAMEO.2.0.txt"
PHOENIX = "actors-leaders/phoenix"
VALIDATION = "petrarch-validation/validation-dictionaries"
DATA_FILES = (
    "cameo_verbs.json", "phoenix_actors.tsv", "phoenix_agents.tsv", "phoenix_discards.txt"
)


def _converter():
    spec = importlib.util.spec_from_file_location(
        "convert_petrarch", REPO / "scripts" / "convert_petrarch.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def cameo(corpora) -> VerbDictionary:
    return read_verb_dictionary(corpora / CAMEO)


# ---------------------------------------------------------------------------------------------
# The CAMEO verb dictionary
# ---------------------------------------------------------------------------------------------
@pytest.mark.shared
def test_cameo_blocks_verbs_and_patterns(cameo):
    assert 380 <= len(cameo.blocks) <= 410
    blame = cameo.block("BLAME")
    assert blame is not None and blame.code == "112"
    accuse = next(v for v in blame.verbs if v.lemma == "accuse")
    assert accuse.code == "112"
    assert {"accused", "accusing", "accuses"} <= set(accuse.forms)
    pattern = next(
        p for p in blame.patterns
        if p.post and p.post[0] == Word("abduction") and not p.pre
    )
    assert pattern.post == (Word("abduction"), Prep("of", (Skip(),)), Word("by"), Target())
    assert pattern.code == "111" and pattern.code2 is None and pattern.line == 7525
    assert sum(len(b.patterns) for b in cameo.blocks) > 4500


@pytest.mark.shared
def test_cameo_forms_synsets_and_codes(cameo):
    index = cameo.by_form()
    assert index is cameo.by_form()  # built once
    assert any(e.lemma == "seek" for _b, e in index["sought"])
    assert any(e.lemma == "accuse" for _b, e in index["accused"])
    # multi-word verbs: "+GET_TOGETHER {+GETS_TOGETHER ...}"
    assert any(e.lemma == "get together" for _b, e in index["got together"])
    # braces list the irregular past; -s / -ing are added when missing ("DRAW {DRAWS DREW DRAWN}")
    assert "drawing" in index and "drew" in index
    assert Word("dollar") in cameo.synsets["CURRENCY"]
    assert Word("cash", exact=True) in cameo.synsets["CURRENCY"]
    assert "dollars" in cameo.synset_words("CURRENCY")
    # "&AUXVERB1_": the set name loses its "_" and every member becomes exact
    assert all(w.exact for w in cameo.synsets["AUXVERB1"])
    # "[a:b]": a is the active code, b the roles-reversed ("passive") one; "[:173]" has no active
    codes = {(p.code, p.code2) for b in cameo.blocks for p in b.patterns}
    assert ("042", "043") in codes and ("---", "173") in codes
    assert len(cameo.transformations) == 8
    assert cameo.transformations[0].inner == ("a", "b", "ATTACK")


@pytest.mark.shared
def test_cameo_alternatives_and_compound(cameo):
    # "(BY/WITH &WEAPON)" becomes two patterns with the same line number
    lines = [p for b in cameo.blocks for p in b.patterns if p.line == 9022]
    assert [p.post for p in lines] == [
        (Prep("by", (Synset("WEAPON"),)),),
        (Prep("with", (Synset("WEAPON"),)),),
    ]
    compound = [p for b in cameo.blocks for p in b.patterns if p.line == 4761]
    assert compound[0].pre == (Compound(), Synset("AIRCRAFT"))


@pytest.mark.shared
def test_verb_json_round_trip_is_exact(cameo, tmp_path):
    out = tmp_path / "verbs.json"
    write_verb_json(cameo, out)
    again = read_verb_json(out)
    assert again == cameo
    assert again.blocks == cameo.blocks and again.synsets == cameo.synsets


@pytest.mark.shared
def test_bundled_data_equals_a_fresh_conversion(corpora, tmp_path):
    conv = _converter()
    report = conv.convert_all(corpora, tmp_path)
    for name in DATA_FILES:
        fresh = (tmp_path / name).read_bytes()
        assert data_path(name).read_bytes() == fresh, f"{name} is stale: rerun the converter"
    # the irregular lines of the Phoenix/CAMEO files are counted, never silently dropped
    assert 0 < len(report["cameo_verbs.json"]) < 20
    assert 0 < len(report["phoenix_actors.tsv"]) < 100


def test_bundled_files_carry_the_attribution():
    for name in DATA_FILES:
        head = data_path(name).read_text(encoding="utf-8")[:600]
        assert ATTRIBUTION in head, name
        assert "MIT License" in head


def test_bundled_verbs_load():
    d = read_verb_json(data_path("cameo_verbs.json"))
    blame = d.block("BLAME")
    assert blame is not None
    assert ("BLAME", "accuse") in {(b.name, e.lemma) for b, e in d.by_form()["accusing"]}


# ---------------------------------------------------------------------------------------------
# Actors
# ---------------------------------------------------------------------------------------------
def _by_name(entries: list[ActorEntry]) -> dict[str, ActorEntry]:
    out: dict[str, ActorEntry] = {}
    for e in entries:
        for n in e.names:
            out.setdefault(n, e)
    return out


def _check_phoenix_actors(entries: list[ActorEntry]) -> None:
    assert 25_000 <= len(entries) <= 30_000
    assert 30_000 <= sum(len(e.codes) for e in entries) <= 40_000
    names = _by_name(entries)
    koizumi = names["junichiro koizumi"]
    assert koizumi.code_on(date(2002, 9, 17)) == "JPNGOV"
    assert koizumi.code_on(date(1999, 1, 1)) == "JPNELI"
    assert koizumi.code_on(date(2001, 4, 26)) == "JPNGOV"  # a spell starts on its first day
    assert koizumi.code_on(None) == "JPNELI"  # the undated default
    assert names["japan"].code_on(date(2024, 2, 15)) == "JPN"
    obama = names["barack obama"]
    assert ActorCode("USAGOV", date(2009, 1, 20), None) in obama.codes
    assert obama.code_on(date(2012, 1, 1)) == "USAGOV"


def test_bundled_phoenix_actors():
    entries = read_actor_tsv(data_path("phoenix_actors.tsv"))
    _check_phoenix_actors(entries)
    assert {e.file for e in entries} == {"Countries", "International", "MilNonState"}


@pytest.mark.shared
def test_phoenix_actor_files_parse(corpora, tmp_path):
    entries: list[ActorEntry] = []
    warnings: list[str] = []
    for name in ("Countries", "International", "MilNonState"):
        entries += read_actor_dictionary(corpora / PHOENIX / f"Phoenix.{name}.actors.txt", warnings)
    _check_phoenix_actors(entries)
    assert warnings and all(".actors.txt:" in w for w in warnings)
    out = tmp_path / "actors.tsv"
    write_actor_tsv(entries, out)
    assert read_actor_tsv(out) == entries


def test_century_rule_and_date_forms():
    assert parse_dictionary_date("300101") == date(2030, 1, 1)
    assert parse_dictionary_date("310101") == date(1931, 1, 1)
    assert parse_dictionary_date("010426") == date(2001, 4, 26)
    assert parse_dictionary_date("18970101") == date(1897, 1, 1)
    with pytest.raises(ValueError):
        parse_dictionary_date("9008223")
    with pytest.raises(ValueError):
        parse_dictionary_date("010231")


def test_actor_grammar(tmp_path):
    path = tmp_path / "mini.actors.txt"
    path.write_text(
        "<!-- a comment\n spanning lines -->\n"
        "# a comment line\n"
        "UNITED_STATES  [USA]\n+USA \n+U.S.  # inline comment\n\n"
        "GOLLUM  ; TABARI comment\n+SMEAGOL\n"
        "\t[HOB < 950601]\n\t[HOBGOV 19950601 - 19990815]\n\t[HOBREB > 990816]\n"
        "IGO_FIGURE_  [IGOX 820701-821231][IGOX 870701-871231]\n",
        encoding="utf-8",
    )
    entries = read_actor_dictionary(path)
    assert [e.names for e in entries] == [
        ("united states", "usa", "u.s."), ("gollum", "smeagol"), ("igo figure",)
    ]
    gollum = entries[1]
    assert gollum.codes == (
        ActorCode("HOB", None, date(1995, 6, 1)),
        ActorCode("HOBGOV", date(1995, 6, 1), date(1999, 8, 15)),
        ActorCode("HOBREB", date(1999, 8, 16), None),
    )
    assert gollum.comment == "TABARI comment"
    assert gollum.code_on(date(1995, 5, 31)) == "HOB"
    assert gollum.code_on(date(1995, 6, 1)) == "HOBGOV"
    assert gollum.code_on(date(1999, 8, 15)) is None  # between spells, no default
    assert gollum.code_on(None) is None
    assert len(entries[2].codes) == 2


# ---------------------------------------------------------------------------------------------
# Agents and discards
# ---------------------------------------------------------------------------------------------
def _check_phoenix_agents(entries: list[AgentEntry]) -> None:
    by_phrase = {e.phrase: e for e in entries}
    assert by_phrase["farmer"].code == "AGR" and not by_phrase["farmer"].prefix
    assert by_phrase["farmers"].code == "AGR"
    assert by_phrase["prime minister"].code == "GOV"
    assert by_phrase["foreign ministries"].code == "GOV"  # FOREIGN_!MINIST!
    assert "congressman" in by_phrase or "businessmen" in by_phrase  # !PERSON! expanded
    assert 4_000 <= len(entries) <= 7_000


def test_bundled_phoenix_agents():
    _check_phoenix_agents(read_agent_tsv(data_path("phoenix_agents.tsv")))


@pytest.mark.shared
def test_phoenix_agents_parse(corpora, tmp_path):
    warnings: list[str] = []
    entries = read_agent_dictionary(corpora / PHOENIX / "Phoenix.agents.txt", warnings)
    _check_phoenix_agents(entries)
    assert any("ISLAMIC_EXTREMIST" in w for w in warnings)  # no code: skipped, but reported
    out = tmp_path / "agents.tsv"
    write_agent_tsv(entries, out)
    assert read_agent_tsv(out) == entries


def test_agent_grammar(tmp_path):
    path = tmp_path / "mini.agents.txt"
    path.write_text(
        "!PERSON! = MAN, MEN, WOMAN\n"
        "FARMER [~AGR]\nPOLICE {} [ ~COP]\nATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOVATG]\n"
        "HUMAN_RIGHTS_BODY  [NGO~] # organisation\nCONGRESS!PERSON! [~LEG]\n"
        "CHIEF EXECUTIVE [~GOV]\n"
        "POLICY [~GOV]\nBOSS [~BUS]\n",
        encoding="utf-8",
    )
    phrases = {(e.phrase, e.code, e.prefix) for e in read_agent_dictionary(path)}
    assert ("farmers", "AGR", False) in phrases
    assert ("police", "COP", False) in phrases and ("polices", "COP", False) not in phrases
    assert ("attorneys general", "GOVATG", False) in phrases
    assert ("human rights bodies", "NGO", True) in phrases
    assert {("congressman", "LEG", False), ("congressmen", "LEG", False)} <= phrases
    assert ("congressmans", "LEG", False) not in phrases
    assert ("policies", "GOV", False) in phrases and ("bosses", "BUS", False) in phrases
    chief = [e for e in read_agent_dictionary(path) if e.phrase == "chief executive"]
    assert chief[0].gaps == (0,)  # a blank, not "_": words may come in between


@pytest.mark.shared
def test_discards(corpora):
    entries = read_discard_entries(corpora / "cameo-dictionaries/Phoenix.discards.txt")
    assert len(entries) > 400
    assert any(e.phrase == "manchester united" and e.story for e in entries)
    assert read_discards(data_path("phoenix_discards.txt")) == [e.phrase for e in entries]


@pytest.mark.shared
def test_validation_dictionaries_parse(corpora):
    base = corpora / VALIDATION
    verbs = read_verb_dictionary(base / "PETR.Validate.verbs.txt")
    assert len(verbs.blocks) > 200
    accord = verbs.block("ACCORD")
    codes = {p.code: p for p in accord.patterns}
    assert codes["075"].pre == (Word("in"),) and codes["075"].pre_adjacent  # "IN_*"
    assert codes["075A"].pre == (Word("in", exact=True),) and not codes["075A"].pre_adjacent
    assert codes["111"].pre == (Consecutive((Word("suggested"), Target())),)
    # embedded synsets and sets defined between blocks
    assert Synset("TIETYPES") in verbs.synsets["ACCORDSYN"]
    extradite = verbs.block("EXTRADITE")
    assert extradite.patterns[0].post == (Word("to", exact=True), Skip(), Word("from"), Source())
    abandon = verbs.block("ABANDON")
    klm = next(v for v in abandon.verbs if v.lemma == "klm nop rst")
    assert klm.head == 2 and "klm nop rsts" in klm.forms and klm.code == "002"

    actors = _by_name(read_actor_dictionary(base / "PETR.Validate.actors.txt"))
    sam = actors["sam gamgee"]
    assert sam.code_on(date(2010, 1, 10)) == "ORCHOB"  # the first covering spell in file order
    assert sam.code_on(date(2014, 1, 1)) == "HOBELI"
    assert actors["interpol"].code_on(None) == "IGOCOPITP"
    assert actors["prince of dol amroth"].code_on(date(1990, 1, 1)) == "---"

    agents = {e.phrase: e for e in read_agent_dictionary(base / "PETR.Validate.agents.txt")}
    assert agents["human rights organization"].prefix
    assert agents["golden geese"].code == "GGS"
    assert "ministries of silly walks" in agents  # !MINST! substitution

    assert "months later" in read_discards(base / "PETR.Validate.discards.txt")


# ---------------------------------------------------------------------------------------------
# Grammar details and errors, on small files
# ---------------------------------------------------------------------------------------------
VERBS = """\
&CURRENCY
+DOLLAR
+KRONER_

&AUX_
+WAS

--- GRANT [070] ---
GIVE {GAVE GIVEN GIVING}  # jw
+HAND_OVER [071:072]
WIRE_+TAP
- * &CURRENCY [903] # -PAS
- $ * {PEACE &CURRENCY} (TO +) [071]
- % * [:030]
- * (BY/WITH FORCE) [072]
- PLAN_TO_* [---]
- * ^ WITHIN {CITY LIMITS} [073]
~ a (a b GRANT) GRANT = a b 070
"""


def test_verb_grammar(tmp_path):
    path = tmp_path / "mini.verbs.txt"
    path.write_text(VERBS, encoding="utf-8")
    d = read_verb_dictionary(path)
    (block,) = d.blocks
    assert (block.name, block.code) == ("GRANT", "070")
    give, hand, tap = block.verbs
    assert give.forms[:4] == ("give", "gave", "given", "giving") and "gives" in give.forms
    assert give.comment == "jw" and give.code is None
    assert (hand.lemma, hand.code, hand.code2) == ("hand over", "071", "072")
    assert {"hands over", "handed over", "handing over"} <= set(hand.forms)
    assert (tap.lemma, tap.head) == ("wire tap", 1) and "wire tapped" in tap.forms
    p = block.patterns
    assert p[0].post == (Synset("CURRENCY"),) and p[0].comment == "-PAS"
    assert p[1].pre == (Source(),)
    assert p[1].post == (Phrase((Word("peace"), Synset("CURRENCY"))), Prep("to", (Target(),)))
    assert (p[2].pre, p[2].code, p[2].code2) == ((Compound(),), "---", "030")
    assert [x.post[0].prep for x in p[3:5]] == ["by", "with"]
    assert p[5].pre == (Word("plan to"),) and p[5].pre_adjacent
    assert p[6].post == (Skip(), Word("within"), Phrase((Word("city"), Word("limits"))))
    assert d.synsets["CURRENCY"] == (Word("dollar"), Word("kroner", exact=True))
    assert d.synsets["AUX"] == (Word("was", exact=True),)
    assert d.transformations[0].result == ("a", "b", "070")
    out = tmp_path / "mini.json"
    write_verb_json(d, out)
    assert read_verb_json(out) == d


@pytest.mark.parametrize(
    "text, reason",
    [
        ("--- X [010] ---\nSAY\n- * (TO LIST [010]\n", "missing ')'"),
        ("--- X [010] ---\nSAY\n- * TALKS\n", "code"),
        ("--- X [010] ---\nSAY\n- TALKS [010]\n", "'*'"),
        ("SAY\n--- X [010] ---\n", "before the first"),
        ("--- X [010] ---\nSAY {SAID\n", "verb line"),
    ],
)
def test_malformed_verb_line_names_file_and_line(tmp_path, text, reason):
    path = tmp_path / "bad.verbs.txt"
    path.write_text("# header\n\n" + text, encoding="utf-8")
    with pytest.raises(ValueError) as info:
        read_verb_dictionary(path)
    message = str(info.value)
    assert str(path) in message and reason in message
    bad_line = next(i for i, line in enumerate(path.read_text().splitlines(), 1)
                    if line.strip() and line.strip() in message)
    assert f"{path}:{bad_line}:" in message


@pytest.mark.parametrize(
    "reader, text, line",
    [
        (read_actor_dictionary, "JAPAN [JPN]\n+NIPPON\n\t[JPNGOV 010101-020101\n", 3),
        (read_actor_dictionary, "+ORPHAN_SYNONYM\nJAPAN [JPN]\n", 1),
        (read_actor_dictionary, "JAPAN [JPN] [ ]\n", 1),
        (read_agent_dictionary, "FARMER [~AGR]\nCONGRESS!PERSON [~LEG]\n", 2),
        (read_agent_dictionary, "FARMER [~AGR]\n!NOPE!_MINISTER [~GOV]\n", 2),
    ],
)
def test_malformed_actor_and_agent_lines(tmp_path, reader, text, line):
    path = tmp_path / "bad.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=rf"{path}:{line}:"):
        reader(path)


def test_tolerated_oddities_are_reported(tmp_path):
    path = tmp_path / "odd.verbs.txt"
    path.write_text(
        "--- X [010] ---\nSAY\n- * VENTURE (WITH VISIT)   VISIT)[042:043]\n- * (IN &NOPE) [010]\n",
        encoding="utf-8",
    )
    warnings: list[str] = []
    d = read_verb_dictionary(path, warnings)
    assert d.blocks[0].patterns[0].post == (Word("venture"), Prep("with", (Word("visit"),)))
    assert len(warnings) == 2 and "odd.verbs.txt:3" in warnings[0] and "&NOPE" in warnings[1]

    agents = tmp_path / "odd.agents.txt"
    agents.write_text("DEPARMENT_OF_ENVIRONMENT [~ENV}\nISLAMIC_EXTREMIST\n", encoding="utf-8")
    warnings = []
    assert [e.code for e in read_agent_dictionary(agents, warnings)] == ["ENV", "ENV"]
    assert len(warnings) == 2

    actors = tmp_path / "odd.actors.txt"
    actors.write_text("ARMENIA [ARM]\n\t[ARMUNR 9008223-911221]\n", encoding="utf-8")
    warnings = []
    (armenia,) = read_actor_dictionary(actors, warnings)
    assert armenia.codes == (ActorCode("ARM"),)
    assert "odd.actors.txt:2" in warnings[0]

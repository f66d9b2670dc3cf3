"""The organisation table (data/orgs.tsv), its loader and lookups."""

from __future__ import annotations

import pytest

from newsevents.kb.orgs import OrgIndex, default_orgs, load_orgs


@pytest.fixture(scope="module")
def orgs() -> OrgIndex:
    return default_orgs()


def test_table_loads(orgs):
    assert 500 <= len(orgs) <= 800
    kinds = {o.kind for o in orgs.all()}
    assert {"igo", "ngo", "party", "media", "company", "think_tank", "armed_group"} <= kinds
    for o in orgs.all():
        assert o.country == o.code[:3]


@pytest.mark.parametrize(
    "text, code, country, role",
    [
        ("NATO", "IGOWSTNAT", "IGO", "IGO"),
        ("Nato", "IGOWSTNAT", "IGO", "IGO"),
        ("UN", "IGOUNO", "IGO", "IGO"),
        ("the United Nations", "IGOUNO", "IGO", "IGO"),
        ("Reuters", "GBRMED", "GBR", "MED"),
        ("Financial Times", "GBRMED", "GBR", "MED"),
        ("FT", "GBRMED", "GBR", "MED"),
        ("the Financial Times'", "GBRMED", "GBR", "MED"),
        ("Center for Strategic and International Studies", "USAELI", "USA", "ELI"),
        ("CSIS", "USAELI", "USA", "ELI"),
        ("Nippon Steel", "JPNBUS", "JPN", "BUS"),
        ("U.S. Steel", "USABUS", "USA", "BUS"),
        ("US Steel", "USABUS", "USA", "BUS"),
        ("Liberal Democratic Party", "JPNPTY", "JPN", "PTY"),
        ("LDP", "JPNPTY", "JPN", "PTY"),
        ("LDP's", "JPNPTY", "JPN", "PTY"),
        ("Kyodo", "JPNMED", "JPN", "MED"),
        ("KCNA", "PRKMED", "PRK", "MED"),
        ("Hamas", "PSEREBHMS", "PSE", "REB"),
        ("CIA", "USASPY", "USA", "SPY"),
        ("People's Liberation Army", "CHNMIL", "CHN", "MIL"),
        ("Diet", "JPNLEG", "JPN", "LEG"),
    ],
)
def test_lookups(orgs, text, code, country, role):
    org = orgs.lookup(text)
    assert org is not None, text
    assert (org.code, org.country, org.role) == (code, country, role)


def test_case_rules(orgs):
    assert orgs.lookup("ap") is None  # acronyms match only as written
    assert orgs.lookup("AP").name == "Associated Press"
    assert orgs.lookup("diet") is None  # single words must be capitalised
    assert orgs.lookup("the guardian") is None  # "the" does not make a common word a name
    assert orgs.lookup("the Guardian").name == "The Guardian"
    assert orgs.lookup("the financial times").name == "Financial Times"  # multi-word: any case
    assert orgs.lookup("Moody's").name == "Moody's"  # a possessive that is part of the name


def test_ambiguous_short_forms_are_left_out(orgs):
    # Each of these means different bodies in different countries.
    for text in ("Senate", "National Assembly", "Supreme Court", "Foreign Ministry"):
        assert orgs.lookup(text) is None, text
    assert orgs.lookup("Congress").country == "USA"
    assert orgs.lookup("Indian National Congress").country == "IND"


def test_surface_forms(orgs):
    forms = orgs.surface_forms()
    assert forms["NATO"].code == "IGOWSTNAT"
    assert forms["U.S. Steel"] is forms["US Steel"]


HEADER = "name\taliases\tcode\tcountry\trole\tkind\tnote\n"


@pytest.mark.parametrize(
    "row, reason",
    [
        ("Acme\t\tJPNBUS\tUSA\tBUS\tcompany\t\n", "first three letters"),
        ("Acme\t\tJPNBUS\tJPN\tGOV\tcompany\t\n", "does not match code"),
        ("Acme\t\tJPNBU\tJPN\tBUS\tcompany\t\n", "groups of 3"),
        ("Acme\t\tJPNBUS\tJPN\tBUS\tcorporation\t\n", "kind"),
        ("Acme\t\tXXXBUS\tXXX\tBUS\tcompany\t\n", "neither a known country"),
        ("Acme\t\tJPNBUS\tJPN\tBUS\tcompany\n", "expected 7 cells"),
    ],
)
def test_malformed_table_names_file_and_line(tmp_path, row, reason):
    path = tmp_path / "orgs.tsv"
    path.write_text("# comment\n" + HEADER + row, encoding="utf-8")
    with pytest.raises(ValueError) as err:
        load_orgs(path)
    assert f"{path}:3" in str(err.value) and reason in str(err.value)


def test_form_used_twice_is_rejected(tmp_path):
    path = tmp_path / "orgs.tsv"
    path.write_text(
        HEADER
        + "Acme\tACME\tJPNBUS\tJPN\tBUS\tcompany\t\n"
        + "Acme Steel\tACME\tUSABUS\tUSA\tBUS\tcompany\t\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"orgs.tsv:3: 'ACME' is already a form of 'Acme'"):
        load_orgs(path)

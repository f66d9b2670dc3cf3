"""The country table (data/countries.tsv), its loader and lookups."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from newsevents.kb.countries import CountryIndex, default_countries, load_countries
from newsevents.paths import data_path

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def countries() -> CountryIndex:
    return default_countries()


def test_table_loads_with_about_250_rows(countries):
    assert 245 <= len(countries) <= 260
    codes = [c.iso3 for c in countries.all()]
    assert len(codes) == len(set(codes))
    # Pseudo-countries the news and CAMEO need, and dissolved states left out.
    for iso3 in ("KSV", "PSE", "TWN", "ESH"):
        assert countries.get(iso3) is not None, iso3
    assert countries.get("SCG") is None and countries.get("ANT") is None


def test_japan(countries):
    jpn = countries.get("JPN")
    assert jpn.name == "Japan" and jpn.capital == "Tokyo"
    assert jpn.lat == pytest.approx(35.68, abs=0.1) and jpn.lon == pytest.approx(139.76, abs=0.1)
    assert countries.by_name("Japan") is jpn
    assert countries.by_name("Japan's") is jpn
    assert countries.by_demonym("Japanese") is jpn
    assert countries.by_capital("Tokyo") is jpn


US_FORMS = ["US", "U.S.", "USA", "the United States", "United States of America", "America"]


@pytest.mark.parametrize("text", US_FORMS + ["U.S.'s"])
def test_united_states_names(countries, text):
    assert countries.by_name(text).iso3 == "USA"


@pytest.mark.parametrize("text", ["us", "Us", "usa"])
def test_pronoun_us_is_not_a_country(countries, text):
    assert countries.by_name(text) is None


def test_demonyms_and_possessives(countries):
    assert countries.by_demonym("North Korean").iso3 == "PRK"
    assert countries.by_demonym("Israelis").iso3 == "ISR"  # plural added by the loader
    assert countries.by_demonym("Americans").iso3 == "USA"
    assert countries.by_name("South Korea's").iso3 == "KOR"
    assert countries.by_name("North Korea’s").iso3 == "PRK"
    assert countries.by_name("the Philippines'").iso3 == "PHL"


def test_case_rules(countries):
    assert countries.by_name("the united states").iso3 == "USA"  # multi-word: any case
    assert countries.by_name("Chad").iso3 == "TCD"
    assert countries.by_name("chad") is None  # single word: must be capitalised
    assert countries.by_name("Cote d'Ivoire").iso3 == "CIV"  # accents optional


def test_capitals(countries):
    assert countries.by_capital("Pyongyang").iso3 == "PRK"
    assert countries.by_capital("Washington").iso3 == "USA"
    assert countries.by_capital("Kyiv").iso3 == "UKR"
    assert countries.by_capital("Kiev").iso3 == "UKR"
    assert countries.by_capital("Delhi").iso3 == "IND"


def test_seats_of_government(countries):
    country, role = countries.by_seat("the Kremlin")
    assert (country.iso3, role) == ("RUS", "GOV")
    assert countries.by_seat("Pentagon")[0].iso3 == "USA"
    assert countries.by_seat("the Pentagon")[1] == "MIL"
    assert countries.by_seat("Downing Street")[0].iso3 == "GBR"


def test_ambiguous_forms(countries):
    assert countries.by_name("Korea") is None  # North or South: the context decides
    assert countries.by_demonym("Congolese") is None
    # Shared with Norfolk Island; the overrides prefer Jamaica.
    assert countries.by_capital("Kingston").iso3 == "JAM"


def test_surface_forms(countries):
    forms = countries.surface_forms()
    assert ("JPN", "name") in forms["Japan"]
    assert ("JPN", "demonym") in forms["Japanese"]
    assert ("PRK", "capital") in forms["Pyongyang"]
    assert ("RUS", "seat") in forms["Kremlin"]
    assert {iso for iso, _ in forms["Korea"]} == {"KOR", "PRK"}
    # Capitals that are also given names stay out of rulers unless asked for.
    assert "Douglas" not in forms
    assert ("IMN", "capital") in countries.surface_forms(include_risky=True)["Douglas"]


def test_coordinates_are_in_range(countries):
    for c in countries.all():
        if c.lat is not None:
            assert -90 <= c.lat <= 90 and -180 <= c.lon <= 180, c.iso3
    # Spot checks of capitals countryinfo places on the wrong continent (fixed by overrides).
    assert countries.get("TLS").lat < 0  # Dili, not New Delhi
    assert countries.get("IMN").lon > -10  # Douglas on the Isle of Man, not in Illinois


HEADER = "iso3\tname\tnames\tdemonyms\tcapital\tcapital_names\tseats\tlat\tlon\n"


@pytest.mark.parametrize(
    "row, reason",
    [
        ("JP\tJapan\tJapan\tJapanese\tTokyo\t\t\t35.7\t139.8\n", "three capital letters"),
        ("JPN\tJapan\tJapan\tJapanese\tTokyo\t\tKantei\t35.7\t139.8\n", "Place:ROLE"),
        ("JPN\tJapan\tJapan\tJapanese\tTokyo\t\t\tnorth\t139.8\n", "not a number"),
        ("JPN\tJapan\tJapan\tJapanese\tTokyo\n", "expected 9 cells"),
    ],
)
def test_malformed_table_names_file_and_line(tmp_path, row, reason):
    path = tmp_path / "countries.tsv"
    path.write_text("# comment\n" + HEADER + row, encoding="utf-8")
    with pytest.raises(ValueError) as err:
        load_countries(path)
    assert f"{path}:3" in str(err.value) and reason in str(err.value)


def test_form_shared_by_two_countries_is_rejected(tmp_path):
    path = tmp_path / "countries.tsv"
    path.write_text(
        HEADER
        + "AAA\tAland\tAland|Twin\tAlander\tA\t\t\t\t\n"
        + "BBB\tBland\tBland|Twin\tBlander\tB\t\t\t\t\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"countries.tsv:3: name 'twin' belongs to both AAA and"):
        load_countries(path)


@pytest.mark.skipif(
    importlib.util.find_spec("countryinfo") is None,
    reason="countryinfo (dev dependency: pip install countryinfo==1.0.1) is not installed",
)
def test_build_script_regenerates_the_table_byte_for_byte():
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_countries.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert data_path("countries.tsv").exists()

"""The bundled leaders table and name resolution against it (real data, no mocks)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from newsevents.kb.leaders import (
    HEAD_TITLES,
    LeaderIndex,
    Role,
    default_index,
    load_leaders,
    normalize_name,
)

D = date.fromisoformat

REQUIRED_COUNTRIES = (
    "ARG AUS BRA CAN CHN FRA DEU IND IDN ITA JPN KOR MEX RUS SAU ZAF TUR GBR USA "
    "PRK UKR ISR PSE IRN IRQ SYR AFG PAK TWN EGY LBN YEM QAT ARE JOR NGA ETH KEN SDN SSD LBY "
    "VEN COL CUB POL ESP NLD BEL SWE NOR FIN BLR SRB GEO ARM AZE MMR THA VNM PHL MYS BGD LKA "
    "NZL HUN GRC"
).split()


@pytest.fixture(scope="module")
def roles() -> list[Role]:
    return load_leaders()


@pytest.fixture(scope="module")
def index() -> LeaderIndex:
    return default_index()


def test_table_loads_and_validates(roles):
    assert len(roles) > 1200
    for role in roles:
        assert len(role.country) == 3 and role.code.startswith(role.country)
        assert role.role == role.code[3:]
        assert role.end is None or role.start <= role.end


def test_malformed_row_names_file_and_line(tmp_path: Path):
    bad = tmp_path / "leaders.csv"
    bad.write_text(
        "name,aliases,country,code,title,start,end,note\n"
        "Fumio Kishida,,JPN,JPNGOV,prime minister,2021-10-04,2024-10-01,\n"
        "Nobody,,JPN,USAGOV,prime minister,2021-10-04,,\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError) as err:
        load_leaders(bad)
    assert str(bad) in str(err.value) and "line 3" in str(err.value)


@pytest.mark.parametrize(
    "row, reason",
    [
        ("X,,jpn,JPNGOV,president,2001-01-01,,", "country"),
        ("X,,JPN,JPNGOV,president,2001-13-01,,", "start"),
        ("X,,JPN,JPNGOV,president,2005-01-01,2001-01-01,", "before start"),
    ],
)
def test_malformed_row_reasons(tmp_path: Path, row: str, reason: str):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,aliases,country,code,title,start,end,note\n" + row + "\n")
    with pytest.raises(ValueError, match=reason):
        load_leaders(bad)


def test_role_active_end_is_exclusive():
    role = Role("A", (), "JPN", "JPNGOV", "GOV", "prime minister", D("2021-10-04"), D("2024-10-01"))
    assert role.active(D("2021-10-04")) and role.active(D("2024-09-30"))
    assert not role.active(D("2024-10-01")) and not role.active(D("2021-10-03"))


def test_kishida(index):
    on_seed_day = index.lookup("Kishida", D("2024-02-15"))
    assert on_seed_day.code == "JPNGOV" and on_seed_day.title == "prime minister"
    assert index.lookup("Fumio Kishida", D("2024-02-15")).name == "Fumio Kishida"
    later = index.lookup("Kishida", D("2025-06-01"))
    assert later.code == "JPNELI" and later.role == "ELI"
    assert later.title == "former prime minister"


def test_koizumi_2002(index):
    role = index.lookup("Koizumi", D("2002-09-17"))
    assert role.name == "Junichiro Koizumi" and role.code == "JPNGOV"


def test_trump_across_terms(index):
    assert index.lookup("Trump", D("2018-06-12")).code == "USAGOV"
    assert index.lookup("Trump", D("2025-06-01")).code == "USAGOV"
    between = index.lookup("Trump", D("2024-02-15"))
    assert between.code == "USAELI" and "former president" in between.title


def test_biden(index):
    assert index.lookup("Biden", D("2024-02-15")).code == "USAGOV"
    assert index.lookup("Joe Biden", D("2024-02-15")).title == "president"
    assert index.lookup("Joseph R. Biden", D("2012-01-01")).title == "vice president"


def test_kims(index):
    assert index.lookup("Kim Jong Un", D("2024-02-15")).code == "PRKGOV"
    assert index.lookup("Kim Jong-un", D("2024-02-15")).title == "supreme leader"
    assert index.lookup("Kim Jong Il", D("2002-09-17")).code == "PRKGOV"
    assert index.lookup("Kim", D("2024-02-15")) is None
    assert index.lookup("Kim", None) is None


def test_accent_case_and_possessive(index):
    for form in ("Erdogan", "erdoğan", "ERDOGAN", "Erdogan's", "Recep Tayyip Erdogan"):
        role = index.lookup(form, D("2024-02-15"))
        assert role is not None and role.name == "Recep Tayyip Erdoğan", form
        assert role.code == "TURGOV" and role.title == "president"
    assert index.lookup("Erdogan", D("2010-01-01")).title == "prime minister"


def test_heads_of_state_preferred_over_other_roles(index):
    # Putin was prime minister, not president, in 2008-2012.
    assert index.lookup("Putin", D("2010-06-01")).title == "prime minister"
    assert index.lookup("Putin", D("2024-02-15")).title == "president"
    # Xi is both party general secretary and state president; either is a head title.
    assert index.lookup("Xi", D("2024-02-15")).title.casefold() in HEAD_TITLES


def test_future_leader_only_by_full_name(index):
    early = index.lookup("Sanae Takaichi", D("2010-01-01"))
    assert early is not None and early.code == "JPNELI"
    assert index.lookup("Takaichi", D("2010-01-01")) is None


def test_family_first_and_given_name_surnames(index):
    assert index.lookup("Xi", D("2024-02-15")).name == "Xi Jinping"
    assert index.lookup("Moon", D("2018-04-27")).name == "Moon Jae-in"
    assert index.lookup("Abiy", D("2024-02-15")).name == "Abiy Ahmed"
    assert index.lookup("Lula", D("2024-02-15")).code == "BRAGOV"
    assert index.lookup("Lopez Obrador", D("2020-01-01")).code == "MEXGOV"
    assert "to" not in index.surnames() and "xi" in index.surnames()


def test_roles_and_surface_forms(index):
    trump = index.roles("Donald Trump")
    assert [r.start for r in trump] == sorted(r.start for r in trump)
    assert len(trump) >= 4
    assert index.roles("Kim") == []
    forms = index.surface_forms()
    assert {"Fumio Kishida", "Kim Jong Un", "Recep Tayyip Erdogan"} <= forms


def test_without_date_gives_most_recent_role(index):
    assert index.lookup("Donald Trump", None).code == "USAGOV"
    assert index.lookup("Joe Biden", None).code == "USAELI"


def test_no_person_has_overlapping_rows_with_the_same_title(roles):
    by_person_title: dict[tuple[str, str], list[Role]] = defaultdict(list)
    for role in roles:
        by_person_title[(normalize_name(role.name), role.title)].append(role)
    for key, rows in by_person_title.items():
        rows.sort(key=lambda r: r.start)
        for earlier, later in zip(rows, rows[1:]):
            assert earlier.end is not None and earlier.end <= later.start, key


@pytest.mark.parametrize("on", [D("2010-01-01"), D("2024-01-01")])
def test_every_required_country_has_a_head(roles, on):
    covered = {
        r.country
        for r in roles
        if r.active(on) and r.role in {"GOV", "MIL"} and r.title.casefold() in HEAD_TITLES
    }
    missing = [c for c in REQUIRED_COUNTRIES if c not in covered]
    assert not missing, f"no head of state or government on {on}: {missing}"


def test_former_igo_head_is_coded_with_their_country(index):
    ban = index.lookup("Ban Ki-moon", D("2020-01-01"))
    assert ban.code == "KORELI" and ban.title == "former UN secretary-general"
    assert index.lookup("Ban Ki-moon", D("2010-01-01")).code == "IGOUNO"

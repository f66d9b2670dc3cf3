"""Temporal expressions normalised against a publication date."""

from datetime import date

import pytest

from newsevents.coding.dates import normalize_timex, value_end, value_start

PUB = date(2024, 2, 15)  # a Thursday


@pytest.mark.parametrize(
    "text, value, precision",
    [
        ("February 9", "2024-02-09", "day"),
        ("on Tuesday", "2024-02-13", "day"),
        ("last August", "2023-08", "month"),
        ("Last month", "2024-01", "month"),
        ("this September", "2024-09", "month"),
        ("October 2025", "2025-10", "month"),
        ("between 1977 and 1983", "1977/1983", "range"),
        ("2017-2021", "2017/2021", "range"),
        ("2002", "2002", "year"),
        ("nearly two decades ago", "2004", "year"),
        ("yesterday", "2024-02-14", "day"),
        ("15 February 2024", "2024-02-15", "day"),
        ("the 1990s", "199", "decade"),
        ("next week", "2024-W08", "week"),
    ],
)
def test_normalize_against_publication_date(text, value, precision):
    assert normalize_timex(text, PUB) == (value, precision)


def test_month_day_without_year_looks_back_unless_future():
    # December 20 written in February is last December, unless the clause looks ahead
    assert normalize_timex("December 20", PUB) == ("2023-12-20", "day")
    assert normalize_timex("December 20", PUB, future=True) == ("2024-12-20", "day")


def test_bare_month_direction():
    assert normalize_timex("November", PUB) == ("2023-11", "month")
    assert normalize_timex("November", PUB, future=True) == ("2024-11", "month")


def test_no_calendar_value():
    assert normalize_timex("in recent years", PUB) is None


def test_value_bounds():
    assert value_start("1977/1983") == date(1977, 1, 1)
    assert value_end("1977/1983") == date(1983, 12, 31)
    assert value_end("2024-02") == date(2024, 2, 29)
    assert value_start("2024-02-13") == value_end("2024-02-13") == date(2024, 2, 13)

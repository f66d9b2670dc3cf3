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


# -- the full TIMEX3 reading: types, values, mods ----------------------------------------------

from newsevents.coding.dates import precision_of, resolve_timex, shift_value  # noqa: E402


@pytest.mark.parametrize(
    "text, value, typ, mod",
    [
        ("three years", "P3Y", "DURATION", None),
        ("the past two months", "P2M", "DURATION", None),
        ("24-hour", "PT24H", "DURATION", None),
        ("two and a half years", "P30M", "DURATION", None),
        ("the last few years", "PXY", "DURATION", None),
        ("weeks", "PXW", "DURATION", None),
        ("nearly two months", "P2M", "DURATION", "APPROX"),
        ("every week", "P1W", "SET", None),
        ("daily", "P1D", "SET", None),
        ("each Tuesday", "XXXX-WXX-2", "SET", None),
        ("now", "PRESENT_REF", "DATE", None),
        ("recently", "PAST_REF", "DATE", None),
        ("in recent years", "PAST_REF", "DATE", None),
        ("the future", "FUTURE_REF", "DATE", None),
        ("several years ago", "PAST_REF", "DATE", None),
        ("early 2023", "2023", "DATE", "START"),
        ("mid-November", "2023-11", "DATE", "MID"),
        ("late last year", "2023", "DATE", "END"),
        ("earlier this month", "2024-02", "DATE", "START"),
        ("the end of the year", "2024", "DATE", "END"),
        ("the third quarter", "2023-Q3", "DATE", None),
        ("the first quarter of 2022", "2022-Q1", "DATE", None),
        ("the first half", "2024-H1", "DATE", None),
        ("last summer", "2023-SU", "DATE", None),
        ("this spring", "2024-SP", "DATE", None),
        ("the weekend", "2024-W06-WE", "DATE", None),
        ("this weekend", "2024-W07-WE", "DATE", None),
        ("the 20th century", "19", "DATE", None),
        ("the nineties", "199", "DATE", None),
        ("nineteen ninety-six", "1996", "DATE", None),
        ("January last year", "2023-01", "DATE", None),
        ("Tuesday night", "2024-02-13TNI", "TIME", None),
        ("this morning", "2024-02-15TMO", "TIME", None),
        ("last night", "2024-02-14TNI", "TIME", None),
        ("5 p.m. Tuesday", "2024-02-13T17:00", "TIME", None),
        ("18:00 UTC", "2024-02-15T18:00Z", "TIME", None),
        ("2/13/2024", "2024-02-13", "DATE", None),
        ("1977-83", "1977/1983", "DATE", None),
    ],
)
def test_resolve_timex_types_and_values(text, value, typ, mod):
    tx = resolve_timex(text, PUB)
    assert tx is not None, text
    assert (tx.value, tx.type, tx.mod) == (value, typ, mod)


def test_durations_and_references_have_no_calendar_value():
    assert normalize_timex("three years", PUB) is None
    assert normalize_timex("now", PUB) is None
    assert resolve_timex("three years", PUB).calendar is False
    assert resolve_timex("the third quarter", PUB).calendar is True


def test_ages_are_not_times():
    assert resolve_timex("65-year-old", PUB) is None
    assert resolve_timex("40 years old", PUB) is None


def test_direction_unknown_takes_the_nearest_date():
    # A month-day without a year: a past clause looks back, but a date weeks ahead is still ahead
    # ("payable March 1" in a report dated mid-February); unknown direction takes the nearest.
    assert resolve_timex("March 1", PUB, None).value == "2024-03-01"
    assert resolve_timex("March 1", PUB, False).value == "2024-03-01"
    assert resolve_timex("August 6", PUB, False).value == "2023-08-06"
    assert resolve_timex("April", PUB, None).value == "2024-04"
    assert resolve_timex("September", PUB, None).value == "2023-09"
    assert resolve_timex("the fourth quarter", date(2006, 8, 19), None).value == "2006-Q4"
    # weekdays look back unless the clause looks forward
    assert resolve_timex("Monday", PUB, None).value == "2024-02-12"
    assert resolve_timex("Monday", PUB, True).value == "2024-02-19"


def test_anaphoric_expressions_use_the_previous_time():
    assert resolve_timex("a year earlier", PUB, anchor="2023-Q3").value == "2022-Q3"
    assert resolve_timex("two days later", PUB, anchor="2023-05-04").value == "2023-05-06"
    assert resolve_timex("that year", PUB, anchor="2002-09-17").value == "2002"
    assert resolve_timex("the following month", PUB, anchor="2002-09").value == "2002-10"
    assert resolve_timex("the day before", PUB, anchor="2002-09-17").value == "2002-09-16"
    assert resolve_timex("the year-ago quarter", PUB, period="2023-Q4").value == "2022-Q4"
    assert resolve_timex("a year ago", PUB, period="2023-Q4").value == "2022-Q4"
    # without a reference they count from publication
    assert resolve_timex("a year ago", PUB).value == "2023"
    assert resolve_timex("a year earlier", PUB).value == "2023"


def test_shift_value_keeps_precision():
    assert shift_value("2023-Q1", -1, "quarter") == ("2022-Q4", "quarter")
    assert shift_value("2024-02-29", 1, "year") == ("2025-02-28", "day")
    assert shift_value("2024-01", -2, "month") == ("2023-11", "month")
    assert shift_value("2024", 3, "day") is None
    assert precision_of("2024-W07-WE") == "week" and precision_of("1977/1983") == "range"


def test_value_bounds_of_periods():
    assert value_start("2023-Q3") == date(2023, 7, 1) and value_end("2023-Q3") == date(2023, 9, 30)
    assert value_end("2024-H1") == date(2024, 6, 30)
    assert value_start("2023-SU") == date(2023, 6, 1)
    assert value_start("2024-W07-WE") == date(2024, 2, 17) and value_end("2024-W07-WE") == date(2024, 2, 18)
    assert value_start("2024-02-13TNI") == date(2024, 2, 13)
    assert value_start("19") == date(1900, 1, 1)

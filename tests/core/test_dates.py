"""Partial dates: a month without a day compares with full dates instead of raising."""

from __future__ import annotations

import calendar

import pytest

from agent.dates import PartialDate, parse_partial_date


def test_a_month_and_a_day_of_it_compare() -> None:
    month, first, second = PartialDate(2023, 4), PartialDate(2023, 4, 1), PartialDate(2023, 4, 2)
    assert month < first < second
    assert sorted([second, first, month]) == [month, first, second]
    assert max(PartialDate(2023, 5), PartialDate(2023, 4, 30)) == PartialDate(2023, 5)
    assert parse_partial_date("2023-04") <= parse_partial_date("2023-04") and month != first


def test_a_month_lasts_until_its_last_day_in_every_year() -> None:
    for year in (*range(1, 3000, 7), 1900, 2000, 2023, 2024, 2100, 9999):
        for month in range(1, 13):
            assert PartialDate(year, month).last.day == calendar.monthrange(year, month)[1], (year, month)
    for month in (0, 13):
        with pytest.raises(ValueError):
            _ = PartialDate(2024, month).last

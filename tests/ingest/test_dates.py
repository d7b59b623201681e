"""Sortable dates from the forms librarians write."""

from __future__ import annotations

import pytest

from heritage_tagger.ingest.dates import edtf_date, parse_date_sort


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1899-01-01", "1899-01-01"),
        ("1899-1-5", "1899-01-05"),
        ("1972-05", "1972-05"),
        ("1939", "1939"),
        ("May 1972", "1972-05"),
        ("September 1975", "1975-09"),
        ("Sept. 1975", "1975-09"),
        ("ca. 1920", "1920"),
        ("circa 1920", "1920"),
        ("c1920", "1920"),
        ("[1920?]", "1920"),
        ("1935 Aug. 3", "1935-08-03"),
        ("3 August 1935", "1935-08-03"),
        ("August 3, 1935", "1935-08-03"),
        ("1920-1925", "1920"),
        ("1920s", "1920"),
        ("19350803", "1935-08-03"),
        ("1972-05-12T10:30:00", "1972-05-12"),
        ("1899-02-30", "1899"),
        ("Feb. 30, 1899", "1899-02"),
        ("NA", None),
        ("", None),
        ("undated", None),
    ],
)
def test_parse_date_sort(text: str, expected: str | None) -> None:
    assert parse_date_sort(text) == expected


def test_sortable_forms_sort_in_time_order() -> None:
    dates = ["May 1972", "1899-01-01", "ca. 1920", "1935 Aug. 3", "April 1972"]
    ordered = sorted(dates, key=lambda d: parse_date_sort(d) or "")
    assert ordered == ["1899-01-01", "ca. 1920", "1935 Aug. 3", "April 1972", "May 1972"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1899-01-01", "1899-01-01"),
        ("May 1972", "1972-05"),
        ("1935 Aug. 3", "1935-08-03"),
        ("ca. 1920", "1920~"),
        ("circa 1920", "1920~"),
        ("[1935?]", "1935?"),
        ("circa 1935?", "1935%"),
        ("1920-1925", "1920/1925"),
        ("between 1920 and 1925", "1920/1925"),
        ("1930s", "193X"),
        ("19th century", "18XX"),
        ("before 1920", "../1920"),
        ("after May 1972", "1972-05/.."),
        ("NA", None),
        ("n.d.", None),
        ("undated", None),
        ("", None),
        ("-33.86", None),
    ],
)
def test_edtf_date(text: str, expected: str | None) -> None:
    assert edtf_date(text) == expected

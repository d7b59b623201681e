"""Text cleaning, multi-value joining and Excel-safe cells."""

from __future__ import annotations

import pytest

from heritage_tagger.export.text import clean_text, excel_safe, is_number, join_values, split_values


def test_clean_text_removes_what_xml_forbids_and_keeps_tab_newlines_and_unicode() -> None:
    raw = "a\x00b\x07c\x1bd\x0be\x0cf\ufffeg\uffffh\ud800i\tj\nk\rl Ä 東京 🙂 \u2028 \x7f \x85"
    assert clean_text(raw) == "abcdefghi\tj\nk\rl Ä 東京 🙂 \u2028 \x7f \x85"


def test_clean_text_of_nothing_is_empty() -> None:
    assert clean_text(None) == ""
    assert clean_text("") == ""


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("-", "'-"),
        ("+44 20 7946 0958", "'+44 20 7946 0958"),
        ("-33.86", "-33.86"),
        ("+44", "+44"),
        ("-5e3", "-5e3"),
        ("-.5", "-.5"),
        ("+1.5E-3", "+1.5E-3"),
        ("151.21", "151.21"),
        ("Sydney = harbour", "Sydney = harbour"),
        ("", ""),
        ("'quoted", "'quoted"),
    ],
)
def test_excel_safe(cell: str, expected: str) -> None:
    assert excel_safe(cell) == expected


@pytest.mark.parametrize("text", ["-33.86", "+44", "-5e3", "0", ".5", "12."])
def test_numbers_are_numbers(text: str) -> None:
    assert is_number(text)


@pytest.mark.parametrize("text", ["-", "+", "-e3", "1-2", "-33.86=", "=1", "--1", "1e", "- 1"])
def test_non_numbers_are_not(text: str) -> None:
    assert not is_number(text)


@pytest.mark.parametrize(
    "values",
    [
        [],
        ["cats"],
        ["cats", "dogs"],
        ["a|b", "c\\d", "e\\|f", "\\", "|", ""],
        ["trailing\\"],
    ],
)
def test_join_and_split_round_trip(values: list[str]) -> None:
    joined = join_values(values)
    assert split_values(joined) == (values if values != [""] else [])
    if values and all("|" not in v and "\\" not in v for v in values):
        assert joined == "|".join(values)

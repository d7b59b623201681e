"""CSV export: headers, RFC 4180 quoting read back by the csv module, subjects, suggestions, Excel safety."""

from __future__ import annotations

import csv
import io

import pytest

from heritage_tagger.domain.records import Record
from heritage_tagger.export import ExportError, write_records
from heritage_tagger.export.csv_export import COLUMNS, LINKED_COLUMNS, write_csv
from heritage_tagger.export.text import split_values
from tests.factories import TRICKY_CLEAN, sample_records


def export_csv(records: list[Record], **options: bool) -> str:
    stream = io.StringIO(newline="")
    write_records("csv", records, stream, **options)
    return stream.getvalue()


def read_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_header_and_crlf_line_endings() -> None:
    text = export_csv(sample_records())
    # the older columns keep their positions; the URI, provenance and date columns come after them
    assert text.startswith(",".join([*COLUMNS, *LINKED_COLUMNS]) + "\r\n")
    assert "dcterms:subject" in COLUMNS and "suggested" not in text.split("\r\n")[0]
    with_suggestions = export_csv(sample_records(), include_suggestions=True)
    assert with_suggestions.startswith(",".join([*COLUMNS, "suggested", *LINKED_COLUMNS]) + "\r\n")
    assert text.endswith("\r\n")


def test_round_trip_with_tricky_text() -> None:
    rows = read_rows(export_csv(sample_records()))
    assert [r["dcterms:identifier"] for r in rows] == ["rec-1", "rec-2", "rec-3"]
    first = rows[0]
    assert first["dcterms:title"] == TRICKY_CLEAN
    assert first["dcterms:spatial"] == "Washington, D.C."
    assert first["dcterms:date"] == "1939-04"
    assert first["dcterms:creator"] == "Johnston, Frances Benjamin"
    assert first["dcterms:rights"] == "No known restrictions"
    assert first["dcterms:format"] == "image/jpeg"
    assert first["source_file"] == "/photos/rec 1.jpg"
    assert split_values(first["dcterms:subject"]) == ["Cats & dogs", "a|b"]
    assert rows[2]["dcterms:subject"] == "" and rows[2]["dcterms:title"] == ""


def test_rejected_tags_are_never_exported() -> None:
    for include in (False, True):
        text = export_csv(sample_records(), include_suggestions=include)
        assert "never-me" not in text and "rejected-too" not in text


def test_suggestions_only_on_request_in_their_own_column() -> None:
    without = read_rows(export_csv(sample_records()))
    assert "suggested" not in without[0]
    assert "high" not in without[0]["dcterms:subject"]
    with_ = read_rows(export_csv(sample_records(), include_suggestions=True))
    assert split_values(with_[0]["suggested"]) == ["high (0.82)", "low (0.40)"]
    assert split_values(with_[0]["dcterms:subject"]) == ["Cats & dogs", "a|b"]
    assert with_[1]["suggested"] == ""


def test_without_excel_safe_cells_are_written_as_they_are() -> None:
    second = read_rows(export_csv(sample_records()))[1]
    assert second["dcterms:title"] == '=HYPERLINK("http://x")'
    assert second["dcterms:subject"] == "=cmd"


def test_excel_safe_neutralises_formulas_but_keeps_numbers() -> None:
    rows = read_rows(export_csv(sample_records(), excel_safe=True))
    second = rows[1]
    assert second["dcterms:title"] == '\'=HYPERLINK("http://x")'
    assert second["dcterms:creator"] == "'@admin"
    assert second["dcterms:rights"] == "'-2+3"
    assert second["dcterms:subject"] == "'=cmd"
    assert second["dcterms:description"] == "-33.86"
    assert second["dcterms:spatial"] == "+44"
    assert second["dcterms:date"] == "-5e3"
    assert rows[0]["dcterms:title"] == TRICKY_CLEAN  # nothing to neutralise there


def test_counts_and_record_callback() -> None:
    seen: list[int] = []
    counts = write_csv(sample_records(), io.StringIO(), include_suggestions=True, on_record=seen.append)
    assert (counts.records, counts.subjects, counts.suggestions) == (3, 3, 2)
    assert seen == [1, 2, 3]


def test_records_are_consumed_lazily() -> None:
    pulled: list[int] = []

    def generate():
        for i in range(3):
            pulled.append(i)
            yield Record(identifier=f"r{i}")

    stream = io.StringIO()
    write_records("csv", generate(), stream, on_record=lambda n: pulled.append(-n))
    assert pulled == [0, -1, 1, -2, 2, -3]  # written one by one, never gathered first


def test_unknown_format_is_a_clear_error() -> None:
    with pytest.raises(
        ExportError, match="Unknown export format 'marc'; choose one of csv, dc-xml, dc-jsonld"
    ):
        write_records("marc", [], io.StringIO())

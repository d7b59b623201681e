"""Property-based tests of the manifest and sidecar readers: any text, quotes and delimiters in any order."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heritage_tagger.domain.errors import ManifestError
from heritage_tagger.domain.text import sanitise
from heritage_tagger.ingest.manifest import read_manifest
from heritage_tagger.ingest.metadata import split_tags
from heritage_tagger.ingest.sidecar import SidecarError, read_sidecar
from tests.strategies import any_text, file_text

COLUMNS = ["id", "file", "title", "description", "location", "date", "creator", "tags", "rights"]
FIELDS = {"id": "identifier", "title": "title", "description": "description", "location": "location",
          "date": "date", "creator": "creator", "rights": "rights"}  # fmt: skip
KNOWN_KEYS = {"id", "identifier", "title", "description", "location", "date", "creator", "rights", "tags",
              "subjects", "keywords"}  # fmt: skip
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def stored(value: str) -> str:
    """What the catalogue keeps of a field: sanitised once, surrounding whitespace removed."""
    return sanitise(value)[0].strip()


def stored_tags(value: str | list[str]) -> list[str] | None:
    return split_tags([sanitise(label)[0] for label in split_tags(value)]) or None


_SCRATCH = tempfile.TemporaryDirectory(prefix="ht-properties-")  # one folder, removed at exit


def in_file(data: bytes, name: str = "records.csv") -> Path:
    path = Path(_SCRATCH.name) / name
    path.write_bytes(data)
    return path


rows = st.lists(st.fixed_dictionaries({c: file_text for c in COLUMNS}), min_size=1, max_size=6)


@SETTINGS
@given(rows=rows, delimiter=st.sampled_from([",", ";", "\t"]), bom=st.booleans(), crlf=st.booleans())
def test_any_manifest_a_spreadsheet_writes_reads_back_row_for_row(
    rows: list[dict[str, str]], delimiter: str, bom: bool, crlf: bool
) -> None:
    out = io.StringIO(newline="")
    # Python's writer leaves a lone CR unquoted when rows end in LF alone; spreadsheets quote every value then
    writer = csv.writer(
        out,
        delimiter=delimiter,
        lineterminator="\r\n" if crlf else "\n",
        quoting=csv.QUOTE_MINIMAL if crlf else csv.QUOTE_ALL,
    )
    writer.writerow(COLUMNS)
    writer.writerows([[row[c] for c in COLUMNS] for row in rows])
    manifest = read_manifest(in_file(("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8")))

    expected = []
    for row in rows:
        if not any(v.strip() for v in row.values()):
            continue  # a blank row is no row
        file, change = sanitise(row["file"].strip())
        if change is None and file:
            expected.append(row)
    assert manifest.problems == [p for p in manifest.problems if "never closed" not in p.reason]
    assert [r.file for r in manifest.rows] == [row["file"].strip() for row in expected]
    for got, row in zip(manifest.rows, expected, strict=True):
        for column, field in FIELDS.items():
            assert getattr(got.metadata, field) == stored(row[column]), column
        assert got.metadata.tags == stored_tags(row["tags"])
        for field in FIELDS.values():  # nothing that cannot be stored or exported gets through
            assert sanitise(getattr(got.metadata, field))[1] is None


@SETTINGS
@given(data=st.binary(max_size=400))
def test_any_bytes_as_a_manifest_give_rows_or_a_plain_error(data: bytes) -> None:
    try:
        manifest = read_manifest(in_file(b"id,file,title,tags\n" + data))
    except ManifestError as exc:
        assert str(exc)
        return
    for row in manifest.rows:
        assert row.file and sanitise(row.file)[1] is None
        for field in FIELDS.values():
            assert sanitise(getattr(row.metadata, field))[1] is None
    for problem in manifest.problems:
        assert problem.line >= 2 and problem.reason


@SETTINGS
@given(
    lines=st.lists(
        st.lists(
            st.one_of(file_text, st.sampled_from(['"', '"x', 'x"', '""', '"a,b"', "p.jpg"])), max_size=5
        ),
        min_size=1,
        max_size=6,
    )
)
def test_stray_quotes_in_any_order_never_abort_the_manifest(lines: list[list[str]]) -> None:
    text = "id,file,title\n" + "\n".join(",".join(values) for values in lines) + "\n"
    manifest = read_manifest(in_file(text.encode("utf-8")))
    physical = text.count("\n") + text.count("\r")
    for row in manifest.rows:
        assert 2 <= row.line <= physical + 1
    for problem in manifest.problems:
        assert 2 <= problem.line <= physical + 1


sidecar_values = st.one_of(any_text, st.integers(), st.floats(allow_nan=False), st.none(), st.booleans())


@SETTINGS
@given(
    fields=st.dictionaries(
        st.sampled_from(["id", "title", "description", "location", "date", "creator", "rights"]),
        sidecar_values,
    ),
    tags=st.one_of(any_text, st.lists(any_text, max_size=5)),
    extra=st.dictionaries(
        any_text.filter(lambda k: k.strip().lower() not in KNOWN_KEYS), any_text, max_size=3
    ),
)
def test_any_sidecar_reads_back_its_representable_text(fields: dict, tags: object, extra: dict) -> None:
    document = {**extra, **fields, "tags": tags}
    path = in_file(json.dumps(document).encode("ascii"), "photo.jpg.json")  # unpaired surrogates as \\udxxx
    metadata, warnings = read_sidecar(path)
    for key, value in fields.items():
        got = getattr(metadata, "identifier" if key == "id" else key)
        if isinstance(value, str):
            assert got == stored(value)
        elif value is None or isinstance(value, bool):
            assert got == ""
        else:
            assert got == stored(str(value))
    assert metadata.tags == stored_tags(tags)  # type: ignore[arg-type]
    assert all(isinstance(w, str) and w for w in warnings)


@SETTINGS
@given(data=st.binary(max_size=300))
def test_any_bytes_as_a_sidecar_give_metadata_or_a_plain_error(data: bytes) -> None:
    try:
        metadata, _ = read_sidecar(in_file(data, "photo.jpg.json"))
    except SidecarError as exc:
        assert str(exc).startswith("the sidecar photo.jpg.json")
        return
    assert sanitise(metadata.title)[1] is None

"""``heritage-tagger export`` and ``stats`` end to end on a real catalogue (in-process, and one subprocess)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from heritage_tagger.cli import main
from heritage_tagger.services.catalogue import open_catalogue
from tests.factories import seed_catalogue

OAI_DC = "{http://www.openarchives.org/OAI/2.0/oai_dc/}dc"
DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture
def seeded_path(catalogue_path: Path) -> Path:
    with open_catalogue(catalogue_path) as catalogue:
        seed_catalogue(catalogue)
    return catalogue_path


def test_export_dc_xml_to_a_file(
    seeded_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.xml"
    assert main(["--catalogue", str(seeded_path), "export", "--format", "dc-xml", "--output", str(out)]) == 0
    assert "Exported 3 records (3 subjects) as dc-xml" in capsys.readouterr().out
    dcs = etree.parse(str(out)).getroot().findall(f"record/{OAI_DC}")
    assert len(dcs) == 3
    assert [s.text for s in dcs[0].findall(f"{DC}subject")] == ["harbour", "boats"]


def test_export_csv_to_stdout(seeded_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--catalogue", str(seeded_path), "export", "--format", "csv", "--output", "-"]
    assert main([*args, "--include-suggestions", "--excel-safe"]) == 0
    captured = capsys.readouterr()
    assert "Exported 3 records (3 subjects, 1 suggestions) as csv to standard output" in captured.err
    text = captured.out.lstrip("\ufeff")
    assert "\r\n" in text  # CSV line ends reach stdout untranslated
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["dcterms:identifier"] for r in rows] == ["rec-001", "rec-002", "rec-003"]
    assert rows[0]["suggested"] == "pending (0.82)"
    assert rows[0]["dcterms:creator"].startswith("'=")


def test_export_jsonld_default_has_no_suggestions(seeded_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonld"
    assert (
        main(["--catalogue", str(seeded_path), "export", "--format", "dc-jsonld", "--output", str(out)]) == 0
    )
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert len(doc["@graph"]) == 3
    assert all("ht:suggestedSubject" not in node for node in doc["@graph"])


def test_excel_safe_with_xml_is_noted(
    seeded_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.xml"
    args = [
        "--catalogue",
        str(seeded_path),
        "export",
        "--format",
        "dc-xml",
        "--output",
        str(out),
        "--excel-safe",
    ]
    assert main(args) == 0
    assert "--excel-safe changes CSV only" in capsys.readouterr().err


def test_missing_catalogue_is_not_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nothing.sqlite"
    args = ["--catalogue", str(missing), "export", "--format", "csv", "--output", str(tmp_path / "o.csv")]
    assert main(args) == 1
    assert "No catalogue at" in capsys.readouterr().err
    assert not missing.exists() and not (tmp_path / "o.csv").exists()


def test_bad_format_is_refused_by_the_parser(seeded_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--catalogue", str(seeded_path), "export", "--format", "marc", "--output", "-"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'marc'" in capsys.readouterr().err


@pytest.mark.skipif(sys.platform != "linux", reason="uses RLIMIT_FSIZE to fill the 'disk' for real")
def test_a_full_disk_leaves_the_previous_export(catalogue_path: Path, tmp_path: Path) -> None:
    with open_catalogue(catalogue_path) as catalogue:
        seed_catalogue(catalogue, extra=300)  # about 150 kB of XML
    out = tmp_path / "exports" / "out.xml"
    out.parent.mkdir()
    out.write_text("previous export")
    limit = 64 * 1024  # files may not grow past 64 kB in the child: writes fail with EFBIG
    script = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))\n"
        "from heritage_tagger.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    args = ["--catalogue", str(catalogue_path), "export", "--format", "dc-xml", "--output", str(out)]
    result = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1, result.stderr
    assert "Cannot write the export to" in result.stderr and "File too large" in result.stderr
    assert "Traceback" not in result.stderr
    assert out.read_text() == "previous export"
    assert [p.name for p in out.parent.iterdir()] == ["out.xml"]


def test_export_xmp_into_a_folder(
    seeded_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from heritage_tagger.ingest.xmp import parse_xmp

    folder = tmp_path / "sidecars"
    assert main(["--catalogue", str(seeded_path), "export", "--format", "xmp", "--output", str(folder)]) == 0
    assert "Wrote 3 XMP sidecars (3 subjects) into" in capsys.readouterr().out
    assert parse_xmp((folder / "rec-001.xmp").read_bytes()).tags == ["harbour", "boats"]
    (folder / "rec-002.xmp").write_text("<x:xmpmeta xmlns:x='adobe:ns:meta/'/>")  # someone else's now
    assert main(["--catalogue", str(seeded_path), "export", "--format", "xmp", "--output", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "Wrote 2 XMP sidecars" in out and "1 records were skipped:\n  rec-002:" in out
    assert main(["--catalogue", str(seeded_path), "export", "--format", "xmp", "--beside-images"]) == 0
    assert "3 records were skipped" in capsys.readouterr().out  # the seeded images do not exist


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xmp"], "either --output FOLDER or --beside-images"),
        (
            ["--format", "xmp", "--output", "x", "--beside-images"],
            "either --output FOLDER or --beside-images",
        ),
        (["--format", "csv"], "Give the file to write with --output"),
        (["--format", "csv", "--output", "-", "--beside-images"], "--beside-images is for --format xmp only"),
        (["--format", "dc-jsonld", "--output", "-", "--base-uri", "not a uri"], "is not an absolute URI"),
    ],
)
def test_export_option_errors(
    seeded_path: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--catalogue", str(seeded_path), "export", *args]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_export_oai_pmh_with_base_uri_and_bom(seeded_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "oai.xml"
    args = ["--catalogue", str(seeded_path), "export", "--format", "dc-xml", "--output", str(out)]
    assert main([*args, "--oai-pmh", "--base-uri", "https://photos.example.org/r/", "--bom"]) == 0
    data = out.read_bytes()
    assert data.startswith("\ufeff".encode())
    root = etree.fromstring(data[3:])
    oai = "{http://www.openarchives.org/OAI/2.0/}"
    assert root.tag == f"{oai}OAI-PMH"
    ids = [e.text for e in root.iter(f"{oai}identifier")]
    assert ids == [
        "oai:photos.example.org:rec-001",
        "oai:photos.example.org:rec-002",
        "oai:photos.example.org:rec-003",
    ]
    jsonld = tmp_path / "o.jsonld"
    assert main(["--catalogue", str(seeded_path), "export", "--format", "dc-jsonld", "--output", str(jsonld),
                 "--base-uri", "https://photos.example.org/r/"]) == 0  # fmt: skip
    doc = json.loads(jsonld.read_text(encoding="utf-8"))
    assert [n["@id"] for n in doc["@graph"]] == [f"https://photos.example.org/r/rec-00{i}" for i in (1, 2, 3)]


# `stats` lives here too (its own test file is not in this change's list).


def test_stats_json(seeded_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--catalogue", str(seeded_path), "stats", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["records"] == 3
    assert data["record_tags"] == {"catalogued": 2, "accepted": 1, "rejected": 2, "suggested": 1}
    assert data["import_batches"] == 0 and data["active_model"] is None


def test_stats_human_readable(seeded_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--catalogue", str(seeded_path), "stats"]) == 0
    out = capsys.readouterr().out
    assert "Records" in out and "(1 without tags)" in out
    assert "  rejected" in out and "(none active)" in out


def test_export_scope_options_go_through_the_shared_request(
    seeded_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--tag/--text/--state/--batch restrict the records, as the GUI's filter and batch scopes do."""
    out = tmp_path / "scoped.csv"
    base = ["--catalogue", str(seeded_path), "export", "--format", "csv", "--output", str(out)]

    def identifiers() -> list[str]:
        with out.open(encoding="utf-8-sig", newline="") as fh:
            return [r["dcterms:identifier"] for r in csv.DictReader(fh)]

    assert main([*base, "--tag", "harbour"]) == 0
    assert identifiers() == ["rec-001", "rec-003"]
    assert "Exported 2 records" in capsys.readouterr().out
    assert main([*base, "--state", "untagged"]) == 0
    assert identifiers() == ["rec-002"]
    assert main([*base, "--text", "third", "--tag", "harbour"]) == 0
    assert identifiers() == ["rec-003"]
    assert main([*base, "--batch", "42"]) == 0  # no such batch: nothing, said plainly
    assert identifiers() == [] and "Exported 0 records" in capsys.readouterr().out

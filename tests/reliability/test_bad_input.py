"""Issue 14, failures 1-4: bad names, bad text, bad manifests cost one item with a reason, never the batch."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from tests.reliability.helpers import cli, json_out, photos, query

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file names as bytes are a POSIX matter")

HEADER = "id,file,title,description,location,date,creator,tags\n"


def raw_source_paths(catalogue: Path) -> dict[str, str]:
    return dict(query(catalogue, "SELECT identifier, source_path FROM records"))


def bytes_name(folder: Path, name: bytes) -> Path:
    """A path whose last part is ``name`` as bytes (surrogate-escaped, as ``os.listdir`` returns it)."""
    return folder / os.fsdecode(name)


def test_1_file_names_that_are_not_utf8_are_imported_and_stored_losslessly(tmp_path: Path) -> None:
    folder = tmp_path / os.fsdecode(b"box-\xe9t\xe9")  # the folder's own name is Latin-1 too
    photos(folder, 11)
    odd = photos(tmp_path / "src", 1, start=50)[0]
    target = bytes_name(folder, b"bad\xffname.png")
    odd.rename(target)
    cat = tmp_path / "cat.sqlite"

    data = json_out(cli(cat, "import", folder, "--json"))
    assert (data["imported"], data["duplicates"], data["skipped"]) == (12, 0, [])
    assert any(w.startswith("bad\\xffname.png: the file name is not valid UTF-8") for w in data["warnings"])
    assert query(cat, "SELECT status FROM import_batches") == [("done",)]
    assert query(cat, "SELECT count(*) FROM jobs WHERE status = 'running'") == [(0,)]

    # lossless: the stored path gives back the very bytes, and the file opens again
    from heritage_tagger.db.records import iter_records
    from heritage_tagger.services.catalogue import open_catalogue

    with open_catalogue(cat) as opened, opened.session() as session:
        by_id = {r.identifier: r for r in iter_records(session)}
    record = by_id["bad\ufffdname"]
    assert os.fsencode(record.source_path) == os.fsencode(target)
    assert Path(record.source_path).read_bytes() == target.read_bytes()
    assert raw_source_paths(cat)["bad\ufffdname"].startswith("file://")  # valid UTF-8 text in the file

    again = json_out(cli(cat, "import", folder, "--json"))  # the same folder is recognised (resume lookups)
    assert (again["imported"], again["duplicates"]) == (0, 12)


def test_2_sidecar_with_an_unpaired_surrogate_and_controls_costs_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "box"
    paths = photos(folder, 12)
    # JSON escapes: an unpaired surrogate, NUL and a bell, in a field and a tag
    paths[3].with_name(paths[3].name + ".json").write_text(
        '{"title": "bad \\ud800 title", "description": "a\\u0000b\\u0007c", "tags": ["ok", "x\\udc80y"]}',
        encoding="ascii",
    )
    cat = tmp_path / "cat.sqlite"
    data = json_out(cli(cat, "import", folder, "--json"))
    assert (data["imported"], data["skipped"]) == (12, [])
    warnings = "\n".join(data["warnings"])
    assert (
        "p003.png: the sidecar p003.png.json, title: 1 invalid character (not Unicode) replaced by \ufffd"
        in warnings
    )
    assert (
        "p003.png: the sidecar p003.png.json, description: 2 control characters (NUL, U+0007) removed"
        in warnings
    )
    assert "the sidecar p003.png.json, tags: 1 invalid character" in warnings
    row = query(cat, "SELECT title, description FROM records WHERE identifier = 'p003'")
    assert row == [("bad \ufffd title", "abc")]
    labels = {r[0] for r in query(cat, "SELECT label FROM tags")}
    assert labels == {"ok", "x\ufffdy"}


def test_3_an_unclosed_quote_costs_its_own_row_not_the_next_one(tmp_path: Path) -> None:
    folder = tmp_path / "box"
    photos(folder / "images", 5, start=1)
    (folder / "records.csv").write_text(
        HEADER
        + "r1,images/p001.png,first,d,l,1970,c,x\n"
        + 'r2,images/p002.png,"unclosed title,d,l,1972,c,y\n'
        + 'r3,images/p003.png,"third",d3,l,1973,c,z\n'
        + "r4,images/p004.png,fourth,d,l,1974,c,w\n"
        + "r5,images/p005.png,fifth,d,l,1975,c,v\n",
        encoding="utf-8",
    )
    cat = tmp_path / "cat.sqlite"
    data = json_out(cli(cat, "import", folder, "--json"))
    assert data["imported"] == 4 and data["duplicates"] == 0
    assert data["skipped"] == [
        {
            "path": "images/p002.png",
            "reason": "records.csv line 3: the title value opens a double quote that is never closed "
            "(it runs over line 4); the row was not used: close the quote and import again",
        }
    ]
    titles = dict(query(cat, "SELECT identifier, title FROM records"))
    assert titles == {"r1": "first", "r3": "third", "r4": "fourth", "r5": "fifth"}
    assert query(cat, "SELECT description FROM records WHERE identifier = 'r3'") == [("d3",)]

    # the fix, then the same import: the skipped photo is catalogued with its metadata
    text = (folder / "records.csv").read_text("utf-8").replace('"unclosed title', '"closed title"')
    (folder / "records.csv").write_text(text, encoding="utf-8")
    again = json_out(cli(cat, "import", folder, "--json"))
    assert (again["imported"], again["duplicates"], again["skipped"]) == (1, 4, [])
    assert query(cat, "SELECT title FROM records WHERE identifier = 'r2'") == [("closed title",)]


def test_3b_a_quote_left_open_at_the_end_of_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "box"
    photos(folder, 2)
    (folder / "records.csv").write_text(
        HEADER + 'a,p000.png,fine,,,,,\nb,p001.png,"never closed,,,,,\n', encoding="utf-8"
    )
    data = json_out(cli(tmp_path / "cat.sqlite", "import", folder, "--json"))
    assert data["imported"] == 1
    assert data["skipped"][0]["path"] == "p001.png"
    assert (
        "line 3: the title value opens a double quote that is never closed (it runs to the end"
        in (data["skipped"][0]["reason"])
    )


def test_4_manifest_paths_are_confined_to_the_folder_and_nul_is_warned(tmp_path: Path) -> None:
    folder = tmp_path / "box"
    photos(folder, 2)
    outside = photos(tmp_path / "elsewhere", 1, start=70)[0]
    (folder / "records.csv").write_text(
        HEADER
        + "a,p000.png,title with \x00 NUL,,,,,\n"
        + "b,../../../../etc/passwd,evil,,,,,\n"
        + f"c,{outside},absolute,,,,,\n"
        + "d,../elsewhere/p070.png,relative out,,,,,\n"
        + "e,p001.png,fine,,,,,\n",
        encoding="utf-8",
    )
    cat = tmp_path / "cat.sqlite"
    data = json_out(cli(cat, "import", folder, "--json"))
    assert data["imported"] == 2
    reasons = {s["path"]: s["reason"] for s in data["skipped"]}
    outside_reason = "names this file, which is outside the folder being imported; it was not opened"
    assert reasons == {
        "../../../../etc/passwd": f"records.csv line 3 {outside_reason} (the import command's "
        "--allow-outside-folder allows it)",
        str(
            outside
        ): f"records.csv line 4 {outside_reason} (the import command's --allow-outside-folder allows it)",
        "../elsewhere/p070.png": f"records.csv line 5 {outside_reason} (the import command's "
        "--allow-outside-folder allows it)",
    }
    assert "records.csv line 2, title: 1 control character (NUL) removed" in data["warnings"]
    assert query(cat, "SELECT identifier, title FROM records ORDER BY identifier") == [
        ("a", "title with  NUL"),
        ("e", "fine"),
    ]
    assert query(cat, "SELECT count(*) FROM records WHERE source_path LIKE '%elsewhere%'") == [(0,)]

    # an explicit option lets the librarian import from elsewhere (here: into a fresh catalogue)
    other = tmp_path / "other.sqlite"
    allowed = json_out(cli(other, "import", folder, "--allow-outside-folder", "--json"))
    assert allowed["imported"] == 3  # a, e and the absolute path; row d names the same file again
    assert any("names ../elsewhere/p070.png again" in w for w in allowed["warnings"])
    assert {s["path"] for s in allowed["skipped"]} == {"../../../../etc/passwd"}  # not an image
    assert query(other, "SELECT title FROM records WHERE identifier = 'c'") == [("absolute",)]


def test_counts_of_a_mixed_bad_folder(tmp_path: Path) -> None:
    """Every kind of bad item at once: each costs itself only, the batch finishes, a re-run changes nothing."""
    folder = tmp_path / "box"
    good = photos(folder, 10)
    (folder / "empty.jpg").write_bytes(b"")
    (folder / "text.png").write_text("not a picture")
    (folder / "cut.png").write_bytes(good[0].read_bytes()[:60])
    photos(tmp_path / "s", 1, start=90)[0].rename(bytes_name(folder, b"\xff\xfe.png"))
    good[1].with_name(good[1].name + ".json").write_text('{"title": ', encoding="utf-8")  # broken sidecar
    good[2].with_name(good[2].name + ".json").write_text('["a list"]', encoding="utf-8")
    (folder / "records.csv").write_text(
        HEADER + 'x,missing.png,,,,,,\ny,,no file,,,,,\nz,p004.png,"open,,,,,\n', encoding="utf-8"
    )
    cat = tmp_path / "cat.sqlite"
    data = json_out(cli(cat, "import", folder, "--json"))
    reasons = {s["path"]: s["reason"] for s in data["skipped"]}
    assert set(reasons) == {
        "empty.jpg",
        "text.png",
        "cut.png",
        "missing.png",
        "records.csv line 3",
        "p004.png",
    }
    assert data["imported"] == 10 - 1 + 1  # p004 waits for its manifest row; the odd name is imported
    with sqlite3.connect(cat) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT status, n_imported, n_skipped FROM import_batches").fetchall() == [
            ("done", 10, 6)
        ]
    again = json_out(cli(cat, "import", folder, "--json"))
    assert (again["imported"], again["duplicates"]) == (0, 10)
    assert json.loads(json.dumps(again["skipped"])) == data["skipped"]

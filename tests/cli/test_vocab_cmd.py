"""``heritage-tagger vocab``: import, list, match, link, merge with preview and undo, remove; errors in plain words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from heritage_tagger.cli import main
from heritage_tagger.domain.records import TagState
from heritage_tagger.services.catalogue import open_catalogue
from tests.factories import add_tagged_record as add_record
from tests.vocab.samples import EX, write_skos


@pytest.fixture
def cat(catalogue_path: Path) -> list[str]:
    with open_catalogue(catalogue_path) as catalogue:
        add_record(
            catalogue,
            "r1",
            {"Women": TagState.CATALOGUED, "Boats": TagState.CATALOGUED, "Mercury": TagState.CATALOGUED},
        )
        add_record(catalogue, "r2", {"woman": TagState.ACCEPTED, "Boats": TagState.CATALOGUED})
    return ["--catalogue", str(catalogue_path), "vocab"]


def test_import_list_match_link_remove(
    cat: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_skos(tmp_path)
    assert main([*cat, "import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Imported vocabulary 'Example subjects': 9 concepts, 19 labels, 4 broader/related links" in out
    assert "Linked 2 tags to concepts." in out
    assert "Mercury (1 records): Mercury (Planet) <http://example.org/subjects/planet>" in out
    assert "1 tags on records match no concept (most used first):\n  Boats (2)" in out
    assert "note: 1 deprecated concepts" in out

    assert main([*cat, "list"]) == 0
    assert "Example subjects: 9 concepts, turtle, language en" in capsys.readouterr().out

    assert main([*cat, "match", "mother"]) == 0
    out = capsys.readouterr().out
    assert (
        f"Mothers  <{EX}mothers>  [Example subjects, lemma match]" in out
        and "People > Women > Mothers" in out
    )
    assert main([*cat, "match", "Moms", "--json"]) == 0
    (found,) = json.loads(capsys.readouterr().out)
    assert (
        found["uri"] == f"{EX}mothers" and found["kind"] == "alt" and found["broader"] == ["People", "Women"]
    )
    assert main([*cat, "match", "zebra"]) == 1

    assert main([*cat, "link", "--tag", "Mercury", "--concept", f"{EX}planet"]) == 0
    assert "is linked to Mercury (Planet)" in capsys.readouterr().out
    assert main([*cat, "link", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["kept"] == 3 and report["unlinked"] == [{"tag": "Boats", "records": 2}]

    assert main([*cat, "remove", "Example subjects"]) == 0
    assert "Removed vocabulary 'Example subjects' (9 concepts)" in capsys.readouterr().out
    assert main([*cat, "list"]) == 0
    assert "No vocabulary yet" in capsys.readouterr().out


def test_merge_preview_merge_undo(cat: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*cat, "merge", "--preview"]) == 0
    out = capsys.readouterr().out
    assert "'Women' <- 'woman' [plural, 1 records]" in out and "1 groups would be merged" in out
    assert main([*cat, "merge", "--preview", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["variants"] == [
        {"tag": "woman", "records": 1, "reason": "plural"}
    ]
    assert main([*cat, "merge", "--only", "Women", "--reviewer", "bob"]) == 0
    assert "2 decisions logged by bob; removed tags: woman" in capsys.readouterr().out
    assert main([*cat, "merge", "--list"]) == 0
    assert "by bob: woman -> Women" in capsys.readouterr().out
    assert main([*cat, "merge", "--undo"]) == 0
    assert "Undid merge" in capsys.readouterr().out
    assert main([*cat, "merge", "--preview"]) == 0
    assert "'Women' <- 'woman'" in capsys.readouterr().out  # back as it was
    assert main([*cat, "merge", "--into", "Boats", "woman"]) == 0
    assert "removed tags: woman" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "/nonexistent/v.ttl"], "No vocabulary file at /nonexistent/v.ttl"),
        (["remove", "nope"], "No vocabulary named 'nope'"),
        (["merge", "woman"], "Name the tag to keep with --into"),
        (["merge", "--only", "Ships"], "No variant group is kept as 'Ships'"),
        (["merge", "--undo"], "No merge to undo"),
        (["link", "--tag", "Boats"], "either --concept URI or --unlink"),
    ],
)
def test_errors_are_one_line(
    cat: list[str], args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*cat, *args]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_no_action_says_what_to_do(cat: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(cat) == 2
    assert "vocab import|list" in capsys.readouterr().err

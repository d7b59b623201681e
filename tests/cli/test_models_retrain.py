"""``import --annotate``, ``retrain`` and ``models list|activate|remove`` through the command line."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from heritage_tagger.cli import main
from tests.factories import copy_catalogue, new_photos

MakeImage = Callable[..., Path]


@pytest.fixture
def cat(trained_catalogue_template: Path, tmp_path: Path) -> Path:
    return copy_catalogue(trained_catalogue_template, tmp_path / "cat")


def cli(catalogue: Path, *args: str) -> int:
    return main(["--catalogue", str(catalogue), *map(str, args)])


def versions(catalogue: Path, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    assert cli(catalogue, "models", "list", "--json") == 0
    return json.loads(capsys.readouterr().out)


def test_import_annotate_prints_what_it_did(
    cat: Path, tmp_path: Path, make_image: MakeImage, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = new_photos(tmp_path / "box", make_image, 2)
    assert cli(cat, "import", folder, "--annotate") == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == "6 imported, 0 duplicates, 0 skipped."
    assert "Annotated 6 photos with model v0001-" in out and "files/s" in err
    assert cli(cat, "import", folder, "--annotate", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["duplicates"] == 6 and data["annotation"]["records"] == 0
    with sqlite3.connect(cat) as db:
        assert (
            db.execute(
                "SELECT count(DISTINCT record_id) FROM record_tags WHERE state = 'suggested'"
            ).fetchone()[0]
            == 6
        )
    assert cli(cat, "import", folder, "--auto-accept", "0.5") == 2  # needs --annotate


def test_import_annotate_without_a_model_says_how_to_train(
    tmp_path: Path, make_image: MakeImage, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        cli(tmp_path / "c.sqlite", "import", new_photos(tmp_path / "box", make_image, 1), "--annotate") == 0
    )
    out, err = capsys.readouterr()
    assert "3 imported" in out and "No suggestions were made" in out
    assert "no suggestions were made" in err and "heritage-tagger train" in err


def _decide(cat: Path, tmp_path: Path, make_image: MakeImage, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        cli(cat, "import", new_photos(tmp_path / "box", make_image), "--annotate", "--auto-accept", "0.3")
        == 0
    )
    capsys.readouterr()


def test_retrain_side_by_side_activate_and_roll_back(
    cat: Path, tmp_path: Path, make_image: MakeImage, capsys: pytest.CaptureFixture[str]
) -> None:
    _decide(cat, tmp_path, make_image, capsys)
    old = versions(cat, capsys)[0]["version"]
    plot = tmp_path / "cmp.png"
    assert cli(cat, "retrain", "--epochs", "1", "--device", "cpu", "--activate", "--plot", plot) == 0
    out, err = capsys.readouterr()
    assert "decisions since the active model" in err
    assert out.splitlines()[0].split()[:3] == ["metric", "active", old]
    assert [line.split()[0] for line in out.splitlines()[1:7]] == ["imAP", "mAP", "OP", "OR", "OF1", "CF1"]
    assert "Recommendation: " in out
    assert "is now active" in out and f"models activate {old}" in out
    assert plot.read_bytes()[:4] == b"\x89PNG"
    listed = versions(cat, capsys)
    new = listed[0]["version"]
    assert [(v["version"], v["is_active"]) for v in listed] == [(new, True), (old, False)]
    assert "neither model was trained on" in listed[0]["headline"]["measured_on"]

    assert cli(cat, "models", "list") == 0
    table = capsys.readouterr().out
    assert f"* {new}" in table and f"  {old}" in table and "imAP" in table

    assert cli(cat, "models", "remove", new) == 1
    assert "is the active one and cannot be removed" in capsys.readouterr().err
    assert cli(cat, "models", "activate", old) == 0  # rollback
    assert f"Model version {old} is now active." in capsys.readouterr().out
    with sqlite3.connect(cat) as db:
        old_id = db.execute("SELECT id FROM model_versions WHERE version = ?", (old,)).fetchone()[0]
        pending = {
            r[0] for r in db.execute("SELECT model_version_id FROM record_tags WHERE state = 'suggested'")
        }
    assert pending <= {old_id}
    assert cli(cat, "models", "remove", new) == 0
    assert f"Removed model version {new}." in capsys.readouterr().out
    assert [v["version"] for v in versions(cat, capsys)] == [old]


def test_retrain_json_without_a_choice_keeps_the_candidate_inactive(
    cat: Path, tmp_path: Path, make_image: MakeImage, capsys: pytest.CaptureFixture[str]
) -> None:
    _decide(cat, tmp_path, make_image, capsys)
    assert cli(cat, "retrain", "--epochs", "1", "--device", "cpu", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["activated"] is False and data["discarded"] is False
    assert set(data["comparison"]["candidate"]) == {"imAP", "mAP", "OP", "OR", "OF1", "CF1"}
    assert data["recommendation"]["reason"]
    assert [v["is_active"] for v in versions(cat, capsys)] == [False, True]
    assert cli(cat, "retrain", "--epochs", "1", "--device", "cpu", "--discard") == 0
    assert "Discarded the candidate" in capsys.readouterr().out
    assert len(versions(cat, capsys)) == 2


def test_retrain_if_due_and_refusal_while_training(cat: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from heritage_tagger.services.catalogue import open_catalogue
    from heritage_tagger.services.training import training_lock

    assert cli(cat, "retrain", "--if-due", "--after-decisions", "5") == 0
    assert "Retraining is not due: 0 decisions since v0001-" in capsys.readouterr().out
    with open_catalogue(cat) as catalogue, training_lock(catalogue):
        assert cli(cat, "retrain", "--epochs", "1", "--yes") == 1
    assert "Another training of this catalogue is running" in capsys.readouterr().err
    assert len(versions(cat, capsys)) == 1
    assert cli(cat, "models", "activate", "v9999") == 1
    assert "There is no model version 'v9999'" in capsys.readouterr().err

"""`heritage-tagger train` and `heritage-tagger suggest --json` on a tiny catalogue."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from heritage_tagger.cli import main
from tests.factories import add_records


def test_train_then_suggest_json(
    tmp_path: Path, make_image: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from heritage_tagger.services.catalogue import open_catalogue

    path = tmp_path / "cat.sqlite"
    with open_catalogue(path) as cat:
        add_records(cat, make_image, tmp_path / "images", per_class=6)
    assert main(["--catalogue", str(path), "suggest", "REC-0-01"]) == 1
    assert "No model has been trained" in capsys.readouterr().err

    assert (
        main(["--catalogue", str(path), "train", "--backbone", "tiny", "--epochs", "2", "--device", "cpu"])
        == 0
    )
    out = capsys.readouterr()
    assert "New model version v0001-" in out.out and "(active)" in out.out
    assert "Neighbours m = " in out.out and "Validation (" in out.out and "plain KNN" in out.out
    assert "Suggestions for photos" in out.out and "come from" in out.out  # which model serves, in words
    assert "metric" in out.err and "network..." in out.err  # stage progress

    assert main(["--catalogue", str(path), "suggest", "REC-1-02", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {
        "model_tags",
        "propose_count",
        "neighbour_tags",
        "existing_tags",
        "model_version",
        "backbone",
    }
    concept = {"label", "uri", "broader"}  # each tag's concept (none here: no vocabulary)
    assert set(data["model_tags"][0]) == {"tag", "probability", "source", "proposed"} | concept
    assert data["model_tags"][0]["source"] in ("image", "neighbours", "caption")
    assert data["model_tags"][0]["uri"] is None and data["model_tags"][0]["broader"] == []
    assert {"proposed", "no_confident_suggestion", "threshold", "served_by", "read_text"} <= set(data)
    assert isinstance(data["propose_count"], int) and data["propose_count"] >= 1
    first = data["neighbour_tags"][0]
    assert (
        set(first) == {"tag", "score", "source", "neighbours"} | concept and first["source"] == "neighbours"
    )
    assert set(first["neighbours"][0]) == {"record_id", "identifier", "similarity"}
    assert {e["tag"] for e in data["existing_tags"]} == {"Forests", "Trees"}
    assert set(data["existing_tags"][0]) == {"tag", "relevance"} | concept
    assert data["backbone"] == "tiny" and data["model_version"].startswith("v0001-")

    image = make_image(tmp_path / "new.png", colour=(200, 40, 30))
    assert main(["--catalogue", str(path), "suggest", str(image)]) == 0
    text = capsys.readouterr().out
    assert "Model tags (calibrated probability, source" in text and "new.png" in text
    assert "Served by: " in text

    assert main(["--catalogue", str(path), "suggest", "NO-SUCH-RECORD"]) == 1
    assert "no record" in capsys.readouterr().err

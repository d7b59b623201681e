"""``heritage-tagger evaluate`` end to end on a tiny generated collection with the test backbone."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from heritage_tagger.cli import main


@pytest.fixture
def collection(tmp_path: Path, make_image) -> Path:  # type: ignore[no-untyped-def]
    folder = tmp_path / "coll"
    lines = ["id,file,title,description,location,date,creator,tags"]
    colours = {"harbour": (20, 40, 200), "field": (30, 180, 40), "brick": (190, 60, 30)}
    rng = np.random.default_rng(0)
    for i in range(18):
        tag = list(colours)[i % 3]
        jitter = tuple(int(c + rng.integers(-15, 15)) % 256 for c in colours[tag])
        make_image(folder / "images" / f"{i}.jpg", colour=jitter, size=(40, 40), pattern=i)
        extra = "|old" if i % 2 else ""
        lines.append(
            f"r{i},images/{i}.jpg,{tag} view,{tag} near town,{'Boston' if i % 3 else 'Denver'},,,{tag}{extra}"
        )
    (folder / "records.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.mark.slow
def test_evaluate_writes_table_results_and_plots(collection: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    code = main(
        [
            "evaluate",
            "--dataset",
            str(collection),
            "--methods",
            "random,knn,logreg,ltn",
            "--folds",
            "3",
            "--backbone",
            "tiny",
            "--cache",
            str(tmp_path / "cache"),
            "--out",
            str(out),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "| KNN |" in printed and "imAP" in printed and "Metadata at test time" in printed
    results = json.loads((out / "results.json").read_text())
    assert results["backbone"]["name"] == "tiny" and results["backbone"]["checksum"]
    assert results["dataset"]["records_kept"] == 18 and results["dataset"]["tags_kept"] == 4
    assert len(results["folds"]) == 3 and results["protocol"]["folds"] == 3
    for name in ("random", "knn", "logreg", "ltn"):
        m = results["methods"][name]
        assert len(m["folds_top3"]) == 3 and set(m["top3"]) >= {"imAP", "mAP", "H-F1", "N+"}
    assert len(results["methods"]["knn"]["chosen_hyperparameters"]) == 3
    # colour decides the tag: a trained method beats chance
    assert (
        results["methods"]["logreg"]["top3"]["imAP"]["mean"]
        > results["methods"]["random"]["top3"]["imAP"]["mean"]
    )
    assert (out / "pr_curves.png").stat().st_size > 1000 and (out / "contact_sheet.png").exists()
    # features were cached: a second run computes none
    main(
        [
            "evaluate",
            "--dataset",
            str(collection),
            "--methods",
            "knn",
            "--backbone",
            "tiny",
            "--cache",
            str(tmp_path / "cache"),
            "--out",
            str(out),
            "--no-plots",
        ]
    )
    assert json.loads((out / "results.json").read_text())["backbone"]["computed"] == 0


def test_unknown_method_is_refused(collection: Path, tmp_path: Path) -> None:
    assert main(["evaluate", "--dataset", str(collection), "--methods", "nope", "--out", str(tmp_path)]) == 2


def test_runner_blanks_test_metadata_for_plain_methods() -> None:
    from heritage_tagger.evaluation.dataset import EvalDataset, prepare
    from heritage_tagger.evaluation.runner import _side

    data = EvalDataset(
        "t",
        ["a", "b"],
        [Path("a"), Path("b")],
        ["T", "T"],
        ["secret", "words"],
        ["X", "Y"],
        [["horse"], ["horse"]],
    )
    p = prepare(data)
    rows = np.array([0, 1])
    assert _side(p, rows, None, 0, False)["descriptions"] == ["", ""]
    assert _side(p, rows, None, 0, False)["locations"] == ["", ""]
    assert _side(p, rows, None, 0, True)["descriptions"] == ["secret", "words"]


def test_catalogue_is_read_into_the_same_dataset_structure(collection: Path, tmp_path: Path) -> None:
    from heritage_tagger.services.catalogue import open_catalogue
    from heritage_tagger.services.evaluating import dataset_from_catalogue
    from heritage_tagger.services.importing import import_folder

    with open_catalogue(tmp_path / "c.sqlite") as catalogue:
        import_folder(catalogue, collection)
        data = dataset_from_catalogue(catalogue)
    assert len(data) == 18
    by_id = dict(zip(data.ids, data.tags, strict=True))
    assert sorted(by_id["r1"]) == ["field", "old"] and by_id["r0"] == ["harbour"]
    assert data.locations[data.ids.index("r0")] == "Denver"
    assert all(p.is_file() for p in data.image_paths)

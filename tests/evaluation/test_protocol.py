"""Splits, tag preparation and the manifest reader of the evaluation protocol."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from heritage_tagger.evaluation import protocol
from heritage_tagger.evaluation.dataset import EvalDataset, fingerprint, prepare, read_manifest_folder


def test_hash_split_is_deterministic_and_roughly_two_to_one() -> None:
    ids = [f"rec{i}" for i in range(3000)]
    a, b = protocol.hash_split(ids), protocol.hash_split(list(reversed(ids)))
    assert {ids[i] for i in a.test} == {list(reversed(ids))[i] for i in b.test}
    assert 0.30 < len(a.test) / len(ids) < 0.37
    assert set(a.train).isdisjoint(a.test) and len(a.train) + len(a.test) == len(ids)


def test_kfold_tests_every_record_once_and_depends_on_seed() -> None:
    splits = protocol.kfold_splits(20, 3, seed=1)
    tested = np.concatenate([s.test for s in splits])
    assert sorted(tested.tolist()) == list(range(20))
    for s in splits:
        assert set(s.train).isdisjoint(s.test) and len(s.train) + len(s.test) == 20
    assert protocol.kfold_splits(20, 3, seed=1)[0].test.tolist() == splits[0].test.tolist()
    assert protocol.kfold_splits(20, 3, seed=2)[0].test.tolist() != splits[0].test.tolist()
    with pytest.raises(ValueError):
        protocol.kfold_splits(2, 3)


def test_repeated_splits_differ_and_keep_a_third_for_test() -> None:
    splits = protocol.repeated_splits(30, 3, seed=0)
    assert all(len(s.test) == 10 and len(s.train) == 20 for s in splits)
    assert splits[0].test.tolist() != splits[1].test.tolist()


def test_mean_std_ignores_undefined_folds() -> None:
    assert protocol.mean_std([0.2, float("nan"), 0.4]) == pytest.approx((0.3, 0.1))
    assert np.isnan(protocol.mean_std([float("nan")])[0])


def _data(tags: list[list[str]]) -> EvalDataset:
    n = len(tags)
    return EvalDataset(
        "t",
        [f"r{i}" for i in range(n)],
        [Path(f"/x/{i}.jpg") for i in range(n)],
        [""] * n,
        [""] * n,
        [""] * n,
        tags,
    )


def test_prepare_lemmatises_thresholds_and_drops_untagged() -> None:
    data = _data([["Horses", "Church"], ["horse"], ["church", "rare"], ["rare2"], []])
    p = prepare(data, min_fraction=0.002, min_count=2)
    assert p.vocabulary == ["church", "horse"]
    assert p.data.ids == ["r0", "r1", "r2"]
    assert p.Y.tolist() == [[True, True], [False, True], [True, False]]
    assert p.stats["records_kept"] == 3 and p.stats["tags_kept"] == 2
    # with a large collection, the 0.2% fraction is the binding floor
    many = _data([["a"]] * 3 + [["b"]] * 997 + [["c"]] * 2)
    assert "c" not in prepare(many).vocabulary and "a" in prepare(many).vocabulary


def test_read_manifest_folder_and_fingerprint(tmp_path: Path, make_image) -> None:  # type: ignore[no-untyped-def]
    for i in range(3):
        make_image(tmp_path / "images" / f"{i}.jpg", pattern=i)
    (tmp_path / "records.csv").write_text(
        "id,file,title,description,location,date,creator,tags\n"
        "a,images/0.jpg,T0,D0,Boston,,,horse|church\n"
        "b,images/1.jpg,T1,D1,,,,horse\n"
        "c,images/missing.jpg,T2,D2,,,,horse\n"
        "d,images/2.jpg,T3,,,,,\n",
        encoding="utf-8",
    )
    data = read_manifest_folder(tmp_path)
    assert (
        data.ids == ["a", "b", "d"] and data.tags[0] == ["horse", "church"] and data.locations[0] == "Boston"
    )
    assert any("missing" in w for w in data.warnings)
    p = prepare(data)
    assert fingerprint(p) == fingerprint(prepare(read_manifest_folder(tmp_path)))

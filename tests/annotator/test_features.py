"""features_for: the one cached feature extraction, with a loaded backbone or lazily through a Predictor."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from heritage_tagger.annotator.backbones import load_backbone
from heritage_tagger.annotator.features import FeatureStoreError, ImageItem, features_for
from heritage_tagger.annotator.predictor import Predictor
from heritage_tagger.domain.progress import Progress


def _items(folder: Path, n: int) -> list[ImageItem]:
    items = []
    for i in range(n):
        path = folder / f"{i}.png"
        Image.new("RGB", (40, 30), (40 * i, 90, 200 - 30 * i)).save(path)
        items.append(ImageItem(hashlib.sha256(path.read_bytes()).hexdigest(), path))
    return items


def test_features_are_computed_once_then_read_from_the_store(tmp_path: Path) -> None:
    backbone = load_backbone("tiny", device="cpu")
    items = _items(tmp_path, 3)
    seen: list[Progress] = []
    first = features_for(items, backbone, tmp_path / "features", batch_size=2, progress=seen.append)
    assert first.features.shape == (3, backbone.feature_dim) and first.computed == 3 and not first.failed
    assert (tmp_path / "features" / backbone.space_key).is_dir()
    assert [p.done for p in seen if p.stage == "features"] == [0, 2, 3]
    again = features_for(items, backbone, tmp_path / "features", batch_size=2)
    assert again.computed == 0 and again.cached == 3
    np.testing.assert_array_equal(again.features, first.features)


def test_unreadable_images_are_reported_and_tried_again(tmp_path: Path) -> None:
    backbone = load_backbone("tiny", device="cpu")
    items = _items(tmp_path, 2)
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not a picture")
    items.insert(1, ImageItem("ab" * 32, broken))
    result = features_for(items, backbone, tmp_path / "features", batch_size=4)
    assert list(result.failed) == [1] and "broken.jpg" in result.failed[1]
    assert not result.features[1].any() and result.ok.tolist() == [True, False, True]
    assert features_for(items, backbone, tmp_path / "features", batch_size=4).failed.keys() == {1}


def test_a_predictor_loads_its_backbone_only_for_missing_images(
    tmp_path: Path, fitted: tuple[Any, ...]
) -> None:
    _, model, _ = fitted
    tiny = load_backbone("tiny", device="cpu")
    manifest = {"version": "v1", "backbone": {"name": "tiny", "checksum": tiny.checksum}, "feature_dim": 32}
    predictor = Predictor(model, manifest)
    assert predictor.space_key == tiny.space_key and predictor.feature_dim == 32
    items = _items(tmp_path, 3)
    features_for(items[:2], tiny, tmp_path / "features", batch_size=8)
    cached = features_for(items[:2], predictor, tmp_path / "features", batch_size=8)
    assert cached.cached == 2 and predictor._backbone is None  # nothing missing: no network loaded
    mixed = features_for(items, predictor, tmp_path / "features", batch_size=8)
    assert mixed.computed == 1 and mixed.cached == 2 and predictor._backbone is not None
    np.testing.assert_array_equal(mixed.features[:2], cached.features)
    assert mixed.features[2].any()


def test_a_store_of_another_size_is_refused(tmp_path: Path) -> None:
    backbone = load_backbone("tiny", device="cpu")
    items = _items(tmp_path, 1)
    features_for(items, backbone, tmp_path / "features", batch_size=1)
    meta = tmp_path / "features" / backbone.space_key / "meta.json"
    meta.write_text('{"dim": 7}', encoding="utf-8")
    with pytest.raises(FeatureStoreError, match="7-d"):
        features_for(items, backbone, tmp_path / "features", batch_size=1)
    with pytest.raises(FeatureStoreError, match="7-d"):  # and again: the refusal is not forgotten
        features_for(items, backbone, tmp_path / "features", batch_size=1)

"""extract_features: batches through the backbone, the cache, unreadable images, progress and cancel."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from heritage_tagger.domain.errors import CancelledError
from heritage_tagger.domain.progress import CancelToken, Progress
from heritage_tagger.vision.backbones import LoadedBackbone, load_backbone
from heritage_tagger.vision.feature_store import FeatureStore
from heritage_tagger.vision.features import ImageItem, embed_images, extract_features, read_image


@pytest.fixture(scope="module")
def tiny() -> LoadedBackbone:
    return load_backbone("tiny", device="cpu")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def items(tmp_path: Path, make_image: Callable[..., Path]) -> list[ImageItem]:
    paths = [
        make_image(
            tmp_path / f"img{i}.{'png' if i % 3 == 0 else 'jpg'}",
            colour=(20 * i, 200 - 15 * i, 90),
            pattern=i,
        )
        for i in range(10)
    ]
    return [ImageItem(sha(p), p) for p in paths]


def test_features_match_the_backbone_and_are_cached(
    tiny: LoadedBackbone, items: list[ImageItem], tmp_path: Path
) -> None:
    store = FeatureStore(tmp_path / "features", tiny.space_key, tiny.feature_dim)
    reports: list[Progress] = []
    result = extract_features(tiny, items, store, batch_size=4, progress=reports.append, num_workers=0)
    assert result.features.shape == (10, 32) and result.features.dtype == np.float32
    assert result.failed == {} and result.computed == 10 and result.cached == 0
    expected = embed_images(tiny, [read_image(item.path, tiny.spec.resize_size) for item in items])
    np.testing.assert_allclose(result.features, expected, rtol=1e-5, atol=1e-6)
    assert (
        len({tuple(np.round(row, 5)) for row in result.features}) == 10
    )  # different pictures, different rows
    assert [r.done for r in reports] == [0, 4, 8, 10] and reports[-1].total == 10
    assert len(store) == 10

    again = extract_features(
        tiny, items, FeatureStore(tmp_path / "features", tiny.space_key, 32), batch_size=4
    )
    assert again.computed == 0 and again.cached == 10
    np.testing.assert_array_equal(again.features, result.features)


def test_only_missing_images_are_computed(
    tiny: LoadedBackbone, items: list[ImageItem], tmp_path: Path
) -> None:
    store = FeatureStore(tmp_path, tiny.space_key, tiny.feature_dim)
    first = extract_features(tiny, items[:6], store, batch_size=4)
    # a duplicate file (same SHA-256) is computed once and fills both rows
    duplicated = [*items, ImageItem(items[7].sha256, items[7].path)]
    result = extract_features(tiny, duplicated, store, batch_size=4)
    assert result.cached == 6 and result.computed == 4
    np.testing.assert_array_equal(result.features[:6], first.features)
    np.testing.assert_array_equal(result.features[10], result.features[7])


def test_unreadable_images_are_reported_not_fatal(
    tiny: LoadedBackbone, items: list[ImageItem], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff this is not a jpeg")
    mixed = [items[0], ImageItem("a" * 64, broken), items[1], ImageItem("b" * 64, tmp_path / "gone.jpg")]
    store = FeatureStore(tmp_path / "f", tiny.space_key, tiny.feature_dim)
    result = extract_features(tiny, mixed, store, batch_size=2)
    assert sorted(result.failed) == [1, 3]
    assert "broken.jpg" in result.failed[1] and "gone.jpg" in result.failed[3]
    assert not result.features[[1, 3]].any() and result.features[[0, 2]].any()
    assert result.ok.tolist() == [True, False, True, False]
    assert len(store) == 2  # failures are not cached: a later run tries them again


def test_cancel_keeps_finished_batches(tiny: LoadedBackbone, items: list[ImageItem], tmp_path: Path) -> None:
    store = FeatureStore(tmp_path, tiny.space_key, tiny.feature_dim)
    token = CancelToken()

    def cancel_after_first_batch(report: Progress) -> None:
        if report.done >= 4:
            token.cancel()

    with pytest.raises(CancelledError):
        extract_features(tiny, items, store, batch_size=4, progress=cancel_after_first_batch, cancel=token)
    assert len(FeatureStore(tmp_path, tiny.space_key, tiny.feature_dim)) == 4
    resumed = extract_features(tiny, items, FeatureStore(tmp_path, tiny.space_key, 32), batch_size=4)
    assert resumed.cached == 4 and resumed.computed == 6


def test_worker_processes_give_the_same_features(tiny: LoadedBackbone, items: list[ImageItem]) -> None:
    inline = extract_features(tiny, items, None, batch_size=3, num_workers=0)
    workers = extract_features(tiny, items, None, batch_size=3, num_workers=1)
    np.testing.assert_array_equal(inline.features, workers.features)


def test_large_jpeg_is_decoded_at_reduced_scale(tmp_path: Path, make_image: Callable[..., Path]) -> None:
    path = make_image(tmp_path / "big.jpg", size=(1600, 1200))
    image = read_image(path, 256)
    assert min(image.size) >= 256 and image.size[0] < 1600 and image.mode == "RGB"

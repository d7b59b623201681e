"""Cached backbone features for a set of images: the one feature extraction the layers above use."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from heritage_tagger.domain.progress import CancelToken, ProgressCallback, null_progress
from heritage_tagger.vision.backbones import LoadedBackbone
from heritage_tagger.vision.features import FeatureResult, ImageItem

__all__ = ["FeatureResult", "features_for"]


def features_for(
    items: Sequence[tuple[str, str]],
    backbone: LoadedBackbone,
    feature_root: Path,
    *,
    batch_size: int,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> FeatureResult:
    """Features of ``(sha256, path)`` items, read from the store of ``backbone`` under ``feature_root``;
    missing ones are extracted and stored; unreadable images are listed in ``failed``."""
    from heritage_tagger.vision.feature_store import FeatureStore
    from heritage_tagger.vision.features import extract_features

    store = FeatureStore(feature_root, backbone.space_key, backbone.feature_dim)
    images = [ImageItem(sha, path) for sha, path in items]
    return extract_features(backbone, images, store, batch_size, progress, cancel)

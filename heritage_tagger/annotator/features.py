"""Backbone features of catalogue images, cached on disk: the one way training, suggesting and annotating get them.

``features_for`` reads what the feature store (``<feature_root>/<space_key>/``) already holds and
runs only the missing images through the backbone, appending them to the store batch by batch.
Given a ``Predictor`` instead of a loaded backbone, the backbone is loaded only when something is
missing, so suggesting for a catalogued photo whose features are cached never loads a network.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.vision.backbones import LoadedBackbone
from heritage_tagger.vision.feature_store import FeatureStore, FeatureStoreError
from heritage_tagger.vision.features import STAGE, FeatureResult, ImageItem

if TYPE_CHECKING:
    from heritage_tagger.annotator.predictor import Predictor

__all__ = ["FeatureResult", "FeatureStoreError", "ImageItem", "features_for"]


def features_for(
    items: Sequence[ImageItem],
    backbone: LoadedBackbone | Predictor,
    feature_root: Path,
    *,
    batch_size: int,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> FeatureResult:
    """Features of ``items`` (in their order) in ``backbone``'s feature space; unreadable images are
    listed in ``FeatureResult.failed`` (position -> reason) with zero rows, and are tried again next time.

    ``backbone`` is a loaded backbone, or a Predictor whose bundle names the backbone (loaded only
    when an image is missing from the store).
    """
    from heritage_tagger.vision.features import extract_features

    store = FeatureStore.shared(feature_root, backbone.space_key, backbone.feature_dim)
    if isinstance(backbone, LoadedBackbone):
        return extract_features(backbone, items, store, batch_size, progress, cancel)
    features, present = store.get([item.sha256 for item in items])
    if present.all():
        progress(Progress(STAGE, len(items), len(items), f"{len(items)} cached"))
        return FeatureResult(features, {}, computed=0, cached=len(items))
    missing = np.flatnonzero(~present)
    result = extract_features(
        backbone.backbone(), [items[int(i)] for i in missing], store, batch_size, progress, cancel
    )
    features[missing] = result.features
    failed = {int(missing[i]): reason for i, reason in result.failed.items()}
    return FeatureResult(
        features, failed, computed=result.computed, cached=int(present.sum()) + result.cached
    )

"""Backbone features of catalogue images, cached on disk: the one way training, suggesting and annotating get them.

``features_for`` reads what the feature store (``<feature_root>/<space_key>/``) already holds and
runs only the missing images through the backbone, appending them to the store batch by batch.
Given a ``Predictor`` instead of a loaded backbone, the backbone is loaded only when something is
missing, so suggesting for a catalogued photo whose features are cached never loads a network.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.vision.backbones import LoadedBackbone
from heritage_tagger.vision.feature_store import FeatureStore, FeatureStoreError
from heritage_tagger.vision.features import STAGE, CropSpec, FeatureResult, ImageItem

if TYPE_CHECKING:
    from heritage_tagger.annotator.predictor import Predictor

__all__ = ["CropSpec", "FeaturePipeline", "FeatureResult", "FeatureStoreError", "ImageItem", "features_for"]


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


class FeaturePipeline:
    """Backbone features of images the import has just decoded, computed in a thread beside it.

    The import hands over each committed chunk's backbone crops (``submit``, see ``crop``); a
    worker thread runs them through the backbone and appends them to the feature store while the
    import reads, decodes and writes the next chunk, so batch annotation neither decodes a file
    twice nor waits for the import (issue 15). On the CPU the forward pass leaves one core to the
    import. ``close`` waits for the queue and raises what the worker raised; ``abort`` drops it.
    """

    def __init__(
        self, backbone: LoadedBackbone | Predictor, feature_root: Path, *, batch_size: int, depth: int = 2
    ) -> None:
        import queue
        import threading

        self.backbone = backbone if isinstance(backbone, LoadedBackbone) else backbone.backbone()
        self.store = FeatureStore.shared(feature_root, self.backbone.space_key, self.backbone.feature_dim)
        self.batch_size = max(1, batch_size)
        self.computed = 0
        self._queue: queue.Queue[list[tuple[str, np.ndarray]] | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="feature-pipeline", daemon=True)
        self._thread.start()

    @property
    def crop(self) -> CropSpec:
        """What the import should cut out of each image for this backbone."""
        spec = self.backbone.spec
        return CropSpec(spec.resize_size, spec.input_size)

    def submit(self, items: Sequence[tuple[str, np.ndarray]]) -> None:
        """Queue (sha256, crop) pairs; blocks while ``depth`` chunks wait (the import never runs far ahead)."""
        if self._error is not None:
            raise self._error
        if items:
            self._queue.put(list(items))

    def _run(self) -> None:
        import torch

        from heritage_tagger.vision.devices import cpu_count
        from heritage_tagger.vision.features import embed_pixels

        threads = torch.get_num_threads()
        if self.backbone.device.type == "cpu":
            torch.set_num_threads(max(1, min(threads, cpu_count() - 1)))  # one core for the import
        try:
            self._consume(embed_pixels)
        finally:
            torch.set_num_threads(threads)

    def _consume(self, embed_pixels: Callable[[LoadedBackbone, np.ndarray], np.ndarray]) -> None:
        while True:
            chunk = self._queue.get()
            if chunk is None:
                return
            if self._stop.is_set() or self._error is not None:
                continue
            try:
                keys = [sha for sha, _ in chunk]
                missing = [i for i, key in enumerate(keys) if key not in self.store]
                for start in range(0, len(missing), self.batch_size):
                    part = missing[start : start + self.batch_size]
                    out = embed_pixels(self.backbone, np.stack([chunk[i][1] for i in part]))
                    self.store.add([keys[i] for i in part], out)
                    self.computed += len(part)
            except BaseException as exc:  # noqa: BLE001 - handed to the import's thread by submit/close
                self._error = exc

    def close(self) -> None:
        """Wait until every queued chunk is in the store; raises what the worker raised."""
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error

    def abort(self) -> None:
        """Stop after the batch in hand (the import failed or was cancelled); queued chunks are dropped."""
        self._stop.set()
        self._queue.put(None)
        self._thread.join()

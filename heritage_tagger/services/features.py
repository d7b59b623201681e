"""Backbone features of catalogue records, cached in the catalogue's workspace (annotator.features_for)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol

from heritage_tagger.domain.progress import CancelToken, ProgressCallback, null_progress
from heritage_tagger.services.catalogue import Catalogue

if TYPE_CHECKING:
    from heritage_tagger.annotator.backbones import LoadedBackbone
    from heritage_tagger.annotator.features import FeaturePipeline, FeatureResult
    from heritage_tagger.annotator.predictor import Predictor


class HasImage(Protocol):
    """A record row with its image: the content hash (the cache key) and the file."""

    @property
    def sha256(self) -> str: ...

    @property
    def source_path(self) -> str: ...


class ImageRef(NamedTuple):
    """An image known by its content hash and file, when no record row is at hand."""

    sha256: str
    source_path: str


def features_for(
    catalogue: Catalogue,
    records: Sequence[HasImage],
    backbone: LoadedBackbone | Predictor,
    *,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> FeatureResult:
    """Features of ``records`` in their order (rows of unreadable photos are zero and listed in ``failed``).

    ``backbone`` may be the active model's Predictor: its backbone is then loaded only when a photo is
    missing from the cache.
    """
    from heritage_tagger.annotator.features import ImageItem
    from heritage_tagger.annotator.features import features_for as extract

    return extract(
        [ImageItem(r.sha256, catalogue.file_path(r.source_path or "")) for r in records],
        backbone,
        catalogue.workspace.features,
        batch_size=catalogue.settings.model.batch_size,
        progress=progress,
        cancel=cancel,
    )


def feature_pipeline(catalogue: Catalogue, backbone: LoadedBackbone | Predictor) -> FeaturePipeline:
    """A thread that computes the features of images an import decodes, into the catalogue's cache."""
    from heritage_tagger.annotator.features import FeaturePipeline

    return FeaturePipeline(
        backbone, catalogue.workspace.features, batch_size=catalogue.settings.model.batch_size
    )

"""The staged training job on plain data: features, word vectors, Algorithm 1, and the bundle."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from heritage_tagger.annotator.bundle import write_bundle
from heritage_tagger.annotator.features import ImageItem, features_for
from heritage_tagger.annotator.model import CollectiveModel
from heritage_tagger.annotator.persist import product_contents
from heritage_tagger.annotator.product import ProductModel, fit_product
from heritage_tagger.annotator.text_inputs import RecordText
from heritage_tagger.annotator.vocabulary import Vocabulary, build_vocabulary
from heritage_tagger.domain.errors import HeritageTaggerError
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.settings import ModelSettings

if TYPE_CHECKING:
    from heritage_tagger.vision.backbones import LoadedBackbone

log = logging.getLogger(__name__)

MIN_TAGGED_RECORDS = 10
MIN_TAGS = 2


class TrainingRefused(HeritageTaggerError):
    """The catalogue does not hold enough tagged records to train on."""


@dataclass
class TrainingData:
    """The catalogue as the trainer sees it; ``tags`` holds (label, lemma) pairs per record."""

    record_ids: list[int]
    sha256s: list[str]
    image_paths: list[str]
    titles: list[str]
    descriptions: list[str]
    locations: list[str]
    tags: list[list[tuple[str, str]]]
    n_decisions: int = 0
    identifiers: list[str] = field(default_factory=list)  # the records' identifiers (for hash splits)

    def __len__(self) -> int:
        return len(self.record_ids)

    def subset(self, rows: list[int]) -> TrainingData:
        """The same data for the records at ``rows`` only."""

        def pick(values: list[Any]) -> list[Any]:
            return [values[i] for i in rows] if values else []

        return replace(
            self,
            record_ids=pick(self.record_ids),
            sha256s=pick(self.sha256s),
            image_paths=pick(self.image_paths),
            titles=pick(self.titles),
            descriptions=pick(self.descriptions),
            locations=pick(self.locations),
            tags=pick(self.tags),
            identifiers=pick(self.identifiers),
        )

    def texts(self, rows: list[int] | None = None) -> list[RecordText]:
        """The records' own text (title, description, location)."""
        rows = list(range(len(self))) if rows is None else rows
        return [RecordText(self.titles[i], self.descriptions[i], self.locations[i]) for i in rows]

    def fingerprint(self, vocabulary: Vocabulary) -> str:
        """sha256 over the sorted record sha256s with their kept tags."""
        digest = hashlib.sha256()
        for sha, tags in sorted(zip(self.sha256s, vocabulary.record_tags, strict=True)):
            digest.update(sha.encode() + b"\t" + "|".join(tags).encode("utf-8") + b"\n")
        return digest.hexdigest()


@dataclass
class TrainResult:
    """A trained, saved model and what the librarian should hear about it."""

    bundle_dir: Path
    manifest: dict[str, Any]
    model: CollectiveModel
    product: ProductModel | None = None
    dropped: list[tuple[str, int]] = field(default_factory=list)
    failed_images: dict[int, str] = field(default_factory=dict)  # record id -> reason


def vocabulary_for(data: TrainingData, settings: ModelSettings) -> Vocabulary:
    """The kept tags; refuses (TrainingRefused) when too few tagged records or tags remain."""
    vocab = build_vocabulary(data.tags, settings.tag_min_count, settings.tag_min_fraction)
    n_tagged = sum(1 for t in vocab.record_tags if t)
    if n_tagged < MIN_TAGGED_RECORDS or len(vocab.labels) < MIN_TAGS:
        raise TrainingRefused(
            f"Not enough tagged photos to train a model: {n_tagged} records carry one of "
            f"{len(vocab.labels)} tags used on at least {vocab.threshold} records; at least "
            f"{MIN_TAGGED_RECORDS} tagged records and {MIN_TAGS} such tags are needed. "
            "Tag (or accept suggestions for) more photos first."
        )
    return vocab


def sentences_for(data: TrainingData) -> list[list[str]]:
    """Lemmatised titles, descriptions and tags: the corpus for the catalogue's own word vectors."""
    from heritage_tagger.text.lemmatise import tokens

    out: list[list[str]] = []
    for title, description, tags in zip(data.titles, data.descriptions, data.tags, strict=True):
        for text in {title, description}:
            words = tokens(text)
            if words:
                out.append(words)
        tag_words = [w for label, _ in tags for w in tokens(label)]
        if tag_words:
            out.append(tag_words)
    return out


def train(
    data: TrainingData,
    settings: ModelSettings,
    feature_root: Path,
    bundle_dir: Path,
    *,
    backbone: LoadedBackbone | None = None,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> TrainResult:
    """Every stage of Algorithm 1, then the bundle written atomically to ``bundle_dir``.

    ``backbone`` defaults to ``settings.backbone`` loaded on ``settings.device``.
    """
    from heritage_tagger.text.word_vectors import word_vectors_for
    from heritage_tagger.vision.backbones import load_backbone
    from heritage_tagger.vision.devices import resolve_device

    check = cancel.check if cancel is not None else (lambda: None)
    vocab = vocabulary_for(data, settings)
    if backbone is None:
        backbone = load_backbone(settings.backbone, settings.device)
    device = str(resolve_device(settings.device))
    check()
    items = [ImageItem(sha, path) for sha, path in zip(data.sha256s, data.image_paths, strict=True)]
    result = features_for(
        items, backbone, feature_root, batch_size=settings.batch_size, progress=progress, cancel=cancel
    )
    failed = {data.record_ids[i]: reason for i, reason in result.failed.items()}
    rows = [i for i, tags in enumerate(vocab.record_tags) if tags and i not in result.failed]
    if len(rows) < MIN_TAGGED_RECORDS:
        raise TrainingRefused(
            f"Only {len(rows)} tagged photos could be read; at least {MIN_TAGGED_RECORDS} are needed."
        )
    check()
    vectors, vector_source = word_vectors_for(sentences_for(data), settings, progress, cancel)
    check()
    from heritage_tagger.annotator.caption_tags import lexical_prior
    from heritage_tagger.annotator.text_inputs import encode_texts
    from heritage_tagger.text.lemmatise import LEMMATISER_VERSION, lemmatise_tag, token_set
    from heritage_tagger.vocab.lexicon import Lexicon

    progress(Progress("record text", 0, 1))
    texts = (
        encode_texts(data.texts(rows), vectors, Lexicon.of_labels(vocab.labels))
        if settings.record_text
        else None
    )
    tagged = [i for i, tags in enumerate(data.tags) if tags]
    prior = lexical_prior(data.texts(tagged), [[label for label, _ in data.tags[i]] for i in tagged])
    progress(Progress("record text", 1, 1))
    product = fit_product(
        result.features[rows],
        [token_set(data.descriptions[i] or data.titles[i]) for i in rows],
        [data.locations[i] for i in rows],
        vocab.matrix(rows),
        vocab.labels,
        vectors,
        settings,
        texts=texts,
        record_ids=np.asarray([data.record_ids[i] for i in rows], dtype=np.int64),
        progress=progress,
        cancel=cancel,
        device=device,
    )
    model = product.collective
    model.metrics["product"] = product.metrics["modes"]
    model.metrics["served_by"] = {k: v.describe() for k, v in product.modes.items()}
    check()
    progress(Progress("saving", 0, 1))
    manifest = {
        "version": bundle_dir.name,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "backbone": {
            "name": backbone.name,
            "checksum": backbone.checksum,
            "feature_dim": backbone.feature_dim,
            "note": backbone.note,
        },
        "feature_dim": backbone.feature_dim,
        "tag_lemmas": [lemmatise_tag(t) for t in vocab.labels],
        "lemmatiser_version": LEMMATISER_VERSION,
        "fingerprint": data.fingerprint(vocab),
        "dropped_tags": [[label, count] for label, count in vocab.dropped],
        "tag_threshold": vocab.threshold,
        "word_vectors": vector_source,
        "lexical_prior": prior.as_dict(),
        "n_records": len(data),
        "n_decisions": data.n_decisions,
        "failed_images": len(failed),
        "settings": {k: (list(v) if isinstance(v, tuple) else v) for k, v in vars(settings).items()},
    }
    contents = product_contents(product, manifest, vectors)
    write_bundle(bundle_dir, contents)
    progress(Progress("saving", 1, 1, str(bundle_dir)))
    return TrainResult(bundle_dir, contents.manifest, model, product, vocab.dropped, failed)

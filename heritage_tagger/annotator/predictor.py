"""Suggestions for one photo from a loaded bundle: model tags, neighbour tags, relevance of existing tags."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from heritage_tagger.annotator.bundle import read_bundle
from heritage_tagger.annotator.model import CollectiveModel
from heritage_tagger.annotator.persist import model_from_contents
from heritage_tagger.domain.errors import BundleError
from heritage_tagger.settings import DEFAULT_DEVICE

if TYPE_CHECKING:
    from heritage_tagger.vision.backbones import LoadedBackbone

MAX_NEIGHBOUR_TAGS = 25


@dataclass
class NeighbourTag:
    """A tag carried by visual neighbours: ``score = sum_j phi(i, j) * r_j(tag)`` and who contributed."""

    tag: str
    score: float
    neighbours: list[tuple[int, float]]  # (record id, phi similarity), most similar first


@dataclass
class Prediction:
    """What the app shows for one photo."""

    model_tags: list[tuple[str, float]]  # every tag with its probability, most probable first
    propose_count: int
    neighbour_tags: list[NeighbourTag]
    existing_tags: list[tuple[str, float | None]]  # None: the tag is outside the model's vocabulary
    model_version: str
    backbone: str
    record_id: int | None = None  # set by services for a catalogued record
    identifier: str = ""  # the record's identifier, or the image file's path
    neighbour_identifiers: dict[int, str] = field(default_factory=dict)  # record id -> identifier

    @property
    def proposed(self) -> list[tuple[str, float]]:
        """The ``propose_count`` most probable tags."""
        return self.model_tags[: self.propose_count]

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of ``heritage-tagger suggest --json``."""
        identifiers = self.neighbour_identifiers
        return {
            "record_id": self.record_id,
            "identifier": self.identifier,
            "model_tags": [{"tag": t, "probability": round(p, 6)} for t, p in self.model_tags],
            "propose_count": self.propose_count,
            "neighbour_tags": [
                {
                    "tag": n.tag,
                    "score": round(n.score, 6),
                    "neighbours": [
                        {"record_id": r, "identifier": identifiers.get(r), "similarity": round(s, 6)}
                        for r, s in n.neighbours
                    ],
                }
                for n in self.neighbour_tags
            ],
            "existing_tags": [
                {"tag": t, "relevance": None if r is None else round(r, 6)} for t, r in self.existing_tags
            ],
            "model_version": self.model_version,
            "backbone": self.backbone,
        }


class Predictor:
    """A bundle loaded once and kept: ``predict_features`` answers in a few milliseconds."""

    def __init__(
        self, model: CollectiveModel, manifest: dict[str, Any], bundle_dir: Path | None = None
    ) -> None:
        from heritage_tagger.text.lemmatise import LEMMATISER_VERSION, lemmatise_tag

        if manifest.get("tag_lemmas") and manifest.get("lemmatiser_version") != LEMMATISER_VERSION:
            # a bundle from an older lemmatiser: its lemmas are compared with the catalogue's
            # tags.lemma (recomputed by migration 0003), so recompute them the same way
            manifest = {**manifest, "tag_lemmas": [lemmatise_tag(t) for t in model.tag_labels]}
            manifest["lemmatiser_version"] = LEMMATISER_VERSION
        self.model = model
        self.manifest = manifest
        self.bundle_dir = bundle_dir
        self.version = str(manifest.get("version", ""))
        backbone = manifest.get("backbone", {})
        self.backbone_name = str(backbone.get("name", "")) if isinstance(backbone, dict) else str(backbone)
        self.backbone_checksum = str(backbone.get("checksum", "")) if isinstance(backbone, dict) else ""
        self._tag_row: dict[str, int] = {}
        lemmas = manifest.get("tag_lemmas") or [lemmatise_tag(t) for t in model.tag_labels]
        for i, (label, lemma) in enumerate(zip(model.tag_labels, lemmas, strict=True)):
            self._tag_row.setdefault(label, i)
            self._tag_row.setdefault("lemma:" + str(lemma), i)
        self._backbone: LoadedBackbone | None = None

    @classmethod
    def load(cls, bundle_dir: Path | str, device: str = "cpu") -> Predictor:
        """Verify and load a bundle (BundleError when it is damaged)."""
        contents = read_bundle(Path(bundle_dir))
        return cls(model_from_contents(contents, device), contents.manifest, Path(bundle_dir))

    @property
    def space_key(self) -> str:
        """The feature space the model was trained in (as ``LoadedBackbone.space_key`` names it)."""
        return f"{self.backbone_name}-{self.backbone_checksum[:16]}"

    @property
    def feature_dim(self) -> int:
        """The backbone's feature size (GX keeps it: the adapter is residual)."""
        recorded = self.manifest.get("feature_dim")
        return int(recorded) if recorded is not None else int(self.model.gx.shape[1])

    def tag_row(self, label: str) -> int | None:
        from heritage_tagger.text.lemmatise import lemmatise_tag

        row = self._tag_row.get(label)
        return row if row is not None else self._tag_row.get("lemma:" + lemmatise_tag(label))

    def predict_features(
        self, features: np.ndarray, *, training_row: int | None = None, existing_tags: Sequence[str] = ()
    ) -> Prediction:
        """Suggestions for one photo's backbone features (a training row is left out of its own neighbours)."""
        model = self.model
        features = np.asarray(features, dtype=np.float32).reshape(1, -1)
        gx = model.visual(features)
        self_rows = None if training_row is None else np.array([training_row])
        hood = model.neighbourhood(gx, self_rows)
        probs, counts = model.predict_from(gx, hood, features, self_rows)
        order = np.argsort(-probs[0], kind="stable")
        model_tags = [(model.tag_labels[i], float(probs[0, i])) for i in order]
        scores = model.neighbour_scores(hood)[0]
        rows, phis = hood.rows[0], hood.phi[0]
        neighbour_tags = []
        for t in np.argsort(-scores, kind="stable")[:MAX_NEIGHBOUR_TAGS]:
            if scores[t] <= 0:
                break
            contributors = [
                (int(model.record_ids[r]), float(p))
                for r, p in sorted(zip(rows.tolist(), phis.tolist(), strict=True), key=lambda rp: -rp[1])
                if r >= 0 and model.relevance[r, t] > 0
            ]
            neighbour_tags.append(NeighbourTag(model.tag_labels[t], float(scores[t]), contributors))
        existing: list[tuple[str, float | None]] = []
        known = [(label, self.tag_row(label)) for label in existing_tags]
        rows_known = [r for _, r in known if r is not None]
        values = model.existing_relevance(rows_known, hood, training_row) if rows_known else np.zeros(0)
        lookup = dict(zip(rows_known, values.tolist(), strict=True))
        for label, r in known:
            existing.append((label, None if r is None else float(lookup[r])))
        return Prediction(
            model_tags=model_tags,
            propose_count=int(counts[0]),
            neighbour_tags=neighbour_tags,
            existing_tags=existing,
            model_version=self.version,
            backbone=self.backbone_name,
        )

    def backbone(self, device: str = DEFAULT_DEVICE) -> LoadedBackbone:
        """The bundle's backbone, loaded once; refuses when its weights changed since training."""
        if self._backbone is None:
            from heritage_tagger.vision.backbones import load_backbone

            loaded = load_backbone(self.backbone_name, device)
            if self.backbone_checksum and loaded.checksum != self.backbone_checksum:
                raise BundleError(
                    f"model bundle {self.version} was trained with other {self.backbone_name} weights "
                    f"({self.backbone_checksum[:12]}, now {loaded.checksum[:12]}): retrain the model"
                )
            self._backbone = loaded
        return self._backbone

    def predict_image(
        self, path: Path | str, *, existing_tags: Sequence[str] = (), device: str = DEFAULT_DEVICE
    ) -> Prediction:
        """Suggestions for an image file that is not in the catalogue (backbone forward + the rest)."""
        from heritage_tagger.vision.features import embed_images, read_image

        backbone = self.backbone(device)
        image = read_image(path, backbone.spec.resize_size)
        features = embed_images(backbone, [image])[0]
        return self.predict_features(features, existing_tags=existing_tags)

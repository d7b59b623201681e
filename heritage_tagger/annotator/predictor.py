"""Suggestions for one photo (or a batch) from a loaded bundle: calibrated model tags with their source,
what is proposed above the confidence threshold, neighbour tags, and the relevance of existing tags."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from heritage_tagger.annotator.bundle import read_bundle
from heritage_tagger.annotator.caption_tags import LexicalPrior, hit_class
from heritage_tagger.annotator.choice import NAMES, VOTES
from heritage_tagger.annotator.model import CollectiveModel
from heritage_tagger.annotator.persist import product_from_contents
from heritage_tagger.annotator.product import Components, ProductModel
from heritage_tagger.annotator.text_inputs import RecordText, TextInputs, encode_texts
from heritage_tagger.domain.errors import BundleError
from heritage_tagger.settings import DEFAULT_DEVICE, ModelSettings

if TYPE_CHECKING:
    from heritage_tagger.text.word_vectors import WordVectors
    from heritage_tagger.vision.backbones import LoadedBackbone
    from heritage_tagger.vocab.lexicon import Lexicon

MAX_NEIGHBOUR_TAGS = 25
TEXT_LIFT = (
    2.0  # read with its text, a tag this many times as probable as from the image alone came from the caption
)
Source = Literal["image", "neighbours", "caption"]
SOURCE_WORDS: dict[str, str] = {
    "image": "from the photo",
    "neighbours": "from similar photos",
    "caption": "named in or suggested by the caption",
}


@dataclass
class NeighbourTag:
    """A tag carried by visual neighbours: ``score = sum_j phi(i, j) * r_j(tag)`` and who contributed."""

    tag: str
    score: float
    neighbours: list[tuple[int, float]]  # (record id, phi similarity), most similar first


@dataclass
class Prediction:
    """What the app shows for one photo.

    ``model_tags`` are calibrated probabilities (about 8 in 10 tags at 0.8 were right on validation),
    tags of the model's vocabulary and tags of the catalogue the caption names, most probable first;
    ``sources`` says where each came from. A tag is proposed when it is among the ``propose_count``
    most probable (the label-quantity head) and its probability reaches ``threshold`` (chosen on
    validation for ``target_precision``); ``no_confident_suggestion`` when none does.
    """

    model_tags: list[tuple[str, float]]  # every tag with its probability, most probable first
    propose_count: int
    neighbour_tags: list[NeighbourTag]
    existing_tags: list[tuple[str, float | None]]  # None: the tag is outside the model's vocabulary
    model_version: str
    backbone: str
    record_id: int | None = None  # set by services for a catalogued record
    identifier: str = ""  # the record's identifier, or the image file's path
    neighbour_identifiers: dict[int, str] = field(default_factory=dict)  # record id -> identifier
    sources: dict[str, Source] = field(default_factory=dict)  # tag -> where it came from
    threshold: float = 0.0  # calibrated probability a proposed tag reaches (inf: nothing can be)
    target_precision: float | None = None
    read_text: bool = False  # the record's title/description/location were read
    served_by: str = ""  # which model serves suggestions, in plain words

    @property
    def proposed(self) -> list[tuple[str, float]]:
        """The ``propose_count`` most probable tags that reach the threshold, less those the record already
        carries (no lower-ranked tag takes their place: the label quantity counts every tag of the photo,
        as in ``services.proposals``)."""
        carried = {t for t, _ in self.existing_tags}
        return [
            (t, p)
            for t, p in self.model_tags[: self.propose_count]
            if p >= self.threshold and t not in carried
        ]

    @property
    def no_confident_suggestion(self) -> bool:
        """Nothing reaches the threshold: the photo needs a person (a confident tag it already carries
        counts as an answer: nothing new, not unsure)."""
        return not any(p >= self.threshold for _, p in self.model_tags[: self.propose_count])

    def source_of(self, tag: str) -> Source:
        return self.sources.get(tag, "image")

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of ``heritage-tagger suggest --json``."""
        identifiers = self.neighbour_identifiers
        proposed = {t for t, _ in self.proposed}
        return {
            "record_id": self.record_id,
            "identifier": self.identifier,
            "model_tags": [
                {"tag": t, "probability": round(p, 6), "source": self.source_of(t), "proposed": t in proposed}
                for t, p in self.model_tags
            ],
            "propose_count": self.propose_count,
            "proposed": [
                {"tag": t, "probability": round(p, 6), "source": self.source_of(t)} for t, p in self.proposed
            ],
            "no_confident_suggestion": self.no_confident_suggestion,
            "threshold": None if not math.isfinite(self.threshold) else round(self.threshold, 6),
            "target_precision": self.target_precision,
            "read_text": self.read_text,
            "served_by": self.served_by,
            "neighbour_tags": [
                {
                    "tag": n.tag,
                    "score": round(n.score, 6),
                    "source": "neighbours",
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


@dataclass
class Scored:
    """One record's calibrated tags (model vocabulary and caption-named catalogue tags), best first."""

    tags: list[tuple[str, float]]
    sources: dict[str, Source]
    count: int
    threshold: float
    read_text: bool


class Predictor:
    """A bundle loaded once and kept: ``predict_features`` answers in a few milliseconds."""

    def __init__(
        self,
        model: CollectiveModel | ProductModel,
        manifest: dict[str, Any],
        bundle_dir: Path | None = None,
        word_vectors: WordVectors | None = None,
        extra_words: tuple[np.ndarray, np.ndarray] | None = None,
    ) -> None:
        """``word_vectors``: the vectors the model was trained with, when at hand; else they are loaded
        from the manifest's ``word_vector_source`` and the bundle's ``extra_words`` (words, vectors)."""
        from heritage_tagger.annotator.product import plain_product
        from heritage_tagger.text.lemmatise import LEMMATISER_VERSION, lemmatise_tag

        product = model if isinstance(model, ProductModel) else plain_product(model)
        collective = product.collective
        if manifest.get("tag_lemmas") and manifest.get("lemmatiser_version") != LEMMATISER_VERSION:
            # a bundle from an older lemmatiser: its lemmas are compared with the catalogue's
            # tags.lemma (recomputed by migration 0003), so recompute them the same way
            manifest = {**manifest, "tag_lemmas": [lemmatise_tag(t) for t in collective.tag_labels]}
            manifest["lemmatiser_version"] = LEMMATISER_VERSION
        self.product = product
        self.model = collective
        self.manifest = manifest
        self.bundle_dir = bundle_dir
        self.version = str(manifest.get("version", ""))
        backbone = manifest.get("backbone", {})
        self.backbone_name = str(backbone.get("name", "")) if isinstance(backbone, dict) else str(backbone)
        self.backbone_checksum = str(backbone.get("checksum", "")) if isinstance(backbone, dict) else ""
        self._tag_row: dict[str, int] = {}
        lemmas = manifest.get("tag_lemmas") or [lemmatise_tag(t) for t in collective.tag_labels]
        for i, (label, lemma) in enumerate(zip(collective.tag_labels, lemmas, strict=True)):
            self._tag_row.setdefault(label, i)
            self._tag_row.setdefault("lemma:" + str(lemma), i)
        self._backbone: LoadedBackbone | None = None
        self._word_vectors = word_vectors
        self._extra_words = extra_words
        self._tag_lexicon: Lexicon | None = None
        self.lexical_prior = LexicalPrior.from_dict(manifest.get("lexical_prior"))
        settings = manifest.get("settings") or {}
        self.default_target = float(settings.get("target_precision", ModelSettings().target_precision))

    @classmethod
    def load(cls, bundle_dir: Path | str, device: str = "cpu") -> Predictor:
        """Verify and load a bundle (BundleError when it is damaged)."""
        contents = read_bundle(Path(bundle_dir))
        words, vectors = contents.arrays.get("text_words"), contents.arrays.get("text_vectors")
        extra = None if words is None or vectors is None else (words, vectors)
        return cls(
            product_from_contents(contents, device), contents.manifest, Path(bundle_dir), extra_words=extra
        )

    @property
    def space_key(self) -> str:
        """The feature space the model was trained in (as ``LoadedBackbone.space_key`` names it)."""
        return f"{self.backbone_name}-{self.backbone_checksum[:16]}"

    @property
    def feature_dim(self) -> int:
        """The backbone's feature size (GX keeps it: the adapter is residual)."""
        recorded = self.manifest.get("feature_dim")
        return int(recorded) if recorded is not None else int(self.model.gx.shape[1])

    @property
    def reads_text(self) -> bool:
        """Whether the model uses a record's own text (a bundle with the third branch)."""
        return self.model.text_dim > 0 and "text" in self.product.modes

    @property
    def served_by(self) -> str:
        """Which model serves suggestions, in plain words (records with text, then without)."""
        image = self.product.mode("image").describe()
        if not self.reads_text:
            return image[:1].upper() + image[1:]
        text = self.product.mode("text").describe()
        return f"With a caption: {text}; photo only: {image}"

    @property
    def ranks_photos_by(self) -> str:
        """Which model orders the photos of a tag (the tag search, ``annotator.tag_order``), in plain words."""
        image = self.product.mode("image")
        alone = (image.order or image.choice).describe()
        if not self.reads_text:
            return alone[:1].upper() + alone[1:]
        text = self.product.mode("text")
        return f"With a caption: {(text.order or text.choice).describe()}; photo only: {alone}"

    def tag_row(self, label: str) -> int | None:
        from heritage_tagger.text.lemmatise import lemmatise_tag

        row = self._tag_row.get(label)
        return row if row is not None else self._tag_row.get("lemma:" + lemmatise_tag(label))

    # --- the record's text ---------------------------------------------------------------
    def word_vectors(self) -> WordVectors:
        """The word vectors the model was trained with (loaded on first use)."""
        if self._word_vectors is None:
            from heritage_tagger.text.word_vectors import VectorSource, vectors_from_source

            source = VectorSource.from_dict(self.manifest.get("word_vector_source"))
            if self._extra_words is None:
                words, vectors = [], np.zeros((0, self.model.text_dim // 2), np.float32)
            else:
                words, vectors = [str(w) for w in self._extra_words[0]], self._extra_words[1]
            self._word_vectors = vectors_from_source(source, words, vectors)
        return self._word_vectors

    def tag_lexicon(self) -> Lexicon:
        if self._tag_lexicon is None:
            from heritage_tagger.vocab.lexicon import Lexicon

            self._tag_lexicon = Lexicon.of_labels(self.model.tag_labels)
        return self._tag_lexicon

    def encode(self, texts: Sequence[RecordText | None]) -> TextInputs | None:
        """The third branch's inputs for these records' text (None when the model reads no text)."""
        if not self.reads_text or not any(t is not None and not t.empty for t in texts):
            return None
        from heritage_tagger.annotator.text_inputs import NO_TEXT

        return encode_texts([t or NO_TEXT for t in texts], self.word_vectors(), self.tag_lexicon())

    # --- scoring -------------------------------------------------------------------------
    def score_batch(
        self,
        features: np.ndarray,
        self_rows: np.ndarray | None = None,
        texts: Sequence[RecordText | None] | None = None,
        lexicon: Lexicon | None = None,
        target_precision: float | None = None,
    ) -> list[Scored]:
        """Calibrated tags for a batch of photos, with the records' text (when given) and the catalogue
        tags their captions name (``lexicon``: the candidates of the lexical pathway)."""
        return self._score(features, self_rows, texts, lexicon, target_precision)[0]

    def for_tag(
        self,
        row: int,
        features: np.ndarray,
        self_rows: np.ndarray | None = None,
        texts: Sequence[RecordText | None] | None = None,
        target_precision: float | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """How well each photo suits the tag of vocabulary ``row``: calibrated probabilities [q] in the
        order that answers "which photos suit this tag" (``annotator.tag_order``), and each photo's
        threshold [q] for proposing (that of its kind of record, with text or photo alone)."""
        target = self.default_target if target_precision is None else float(target_precision)
        features = np.ascontiguousarray(np.atleast_2d(features), dtype=np.float32)
        text_inputs = self.encode(texts) if texts is not None else None
        probs, _, has_text, _ = self.product.scores(features, self_rows, text_inputs, for_tags=True)
        thresholds = np.where(
            has_text, self.product.threshold("text", target), self.product.threshold("image", target)
        )
        return probs[:, row].astype(np.float64), thresholds.astype(np.float64)

    def _score(
        self,
        features: np.ndarray,
        self_rows: np.ndarray | None,
        texts: Sequence[RecordText | None] | None,
        lexicon: Lexicon | None,
        target_precision: float | None,
    ) -> tuple[list[Scored], Components]:
        """``score_batch`` and the components it came from (GX and the neighbourhood among them)."""
        target = self.default_target if target_precision is None else float(target_precision)
        features = np.ascontiguousarray(np.atleast_2d(features), dtype=np.float32)
        text_inputs = self.encode(texts) if texts is not None else None
        probs, counts, has_text, parts = self.product.scores(features, self_rows, text_inputs)
        labels = self.model.tag_labels
        out = []
        for i in range(len(features)):
            mode = "text" if has_text[i] else "image"
            sources = self._sources(parts, i, mode)
            tags = {labels[t]: float(probs[i, t]) for t in range(len(labels))}
            text = texts[i] if texts is not None else None
            if lexicon is not None and text is not None and not text.empty:
                for hit in lexicon.find(text.searchable()):
                    label = lexicon.entries[hit.entry].label
                    if self.tag_row(label) is None and label not in tags:
                        tags[label] = self.lexical_prior.probability(hit_class(hit))
                        sources[label] = "caption"
            ranked = sorted(tags.items(), key=lambda kv: -kv[1])
            threshold = self.product.threshold(mode, target)
            out.append(Scored(ranked, sources, int(counts[i]), threshold, bool(has_text[i])))
        return out, parts

    def _sources(self, parts: Components, i: int, mode: str) -> dict[str, Source]:
        """Per tag of the vocabulary: the blend's largest term (votes of neighbours: "neighbours"; the
        caption's named tags: "caption"; otherwise "image"), and "caption" also when reading the text
        made a tag at least TEXT_LIFT times as probable as the image alone."""
        weights = self.product.mode(mode).choice.weights  # what the suggestions are blended from
        comps = parts.text if mode == "text" else parts.image
        names = [k for k in weights if k in comps]
        terms = []
        for k in names:
            row = comps[k][i].astype(np.float64)
            if k in VOTES:
                top = row.max()
                row = row / top if top > 0 else row * 0
            terms.append(weights[k] * row)
        largest = np.argmax(np.stack(terms), axis=0) if terms else np.zeros(self.model.n_tags, dtype=np.int64)
        sources: dict[str, Source] = {}
        lifted = np.zeros(self.model.n_tags, dtype=bool)
        if mode == "text" and "collective" in weights:
            with_text, alone = parts.text["collective"][i], parts.image["collective"][i]
            lifted = (with_text >= TEXT_LIFT * alone) & (with_text - alone >= 0.05)
        for t, label in enumerate(self.model.tag_labels):
            kind = names[int(largest[t])] if names else "collective"
            if kind == "lexical" or lifted[t]:
                sources[label] = "caption"
            elif kind == "knn":
                sources[label] = "neighbours"
            else:
                sources[label] = "image"
        return sources

    def predict_features(
        self,
        features: np.ndarray,
        *,
        training_row: int | None = None,
        existing_tags: Sequence[str] = (),
        text: RecordText | None = None,
        lexicon: Lexicon | None = None,
        target_precision: float | None = None,
    ) -> Prediction:
        """Suggestions for one photo's backbone features (a training row is left out of its own neighbours)."""
        model = self.model
        features = np.asarray(features, dtype=np.float32).reshape(1, -1)
        self_rows = None if training_row is None else np.array([training_row])
        (scored,), parts = self._score(features, self_rows, [text], lexicon, target_precision)
        hood = parts.hood  # searched once, for the scores and for the neighbours' own tags
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
            model_tags=scored.tags,
            propose_count=scored.count,
            neighbour_tags=neighbour_tags,
            existing_tags=existing,
            model_version=self.version,
            backbone=self.backbone_name,
            sources=scored.sources,
            threshold=scored.threshold,
            target_precision=self.default_target if target_precision is None else float(target_precision),
            read_text=scored.read_text,
            served_by=self.served_by,
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
        self,
        path: Path | str,
        *,
        existing_tags: Sequence[str] = (),
        device: str = DEFAULT_DEVICE,
        text: RecordText | None = None,
        lexicon: Lexicon | None = None,
        target_precision: float | None = None,
    ) -> Prediction:
        """Suggestions for an image file that is not in the catalogue (backbone forward + the rest)."""
        from heritage_tagger.vision.features import embed_images, read_image

        backbone = self.backbone(device)
        image = read_image(path, backbone.spec.resize_size)
        features = embed_images(backbone, [image])[0]
        return self.predict_features(
            features,
            existing_tags=existing_tags,
            text=text,
            lexicon=lexicon,
            target_precision=target_precision,
        )


__all__ = [
    "NAMES",
    "SOURCE_WORDS",
    "NeighbourTag",
    "Prediction",
    "Predictor",
    "RecordText",
    "Scored",
    "Source",
]

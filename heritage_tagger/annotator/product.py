"""The product model: the collective model with the record's own text, weighed against tuned baselines, calibrated.

``fit_product`` trains the collective model (with the third branch on the record's text when there
is any), the LogReg probe and the Multi-CNN classifier on the same folds, then for each kind of
record, with text and without (``MODES``), chooses on the held-out rows the variant or blend that
serves suggestions (``annotator.choice``), calibrates its scores (``annotator.calibration``) and
records the precision/recall curve of what it would propose. ``ProductModel.scores`` gives the
calibrated probabilities of new records, each by the choice of its kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from heritage_tagger.annotator.calibration import (
    MIN_PROPOSALS,
    Calibrator,
    ThresholdCurve,
    choose_calibrator,
    threshold_curve,
)
from heritage_tagger.annotator.choice import Choice, choose, combine
from heritage_tagger.annotator.fit import fit_collective
from heritage_tagger.annotator.model import CollectiveModel, Neighbourhood
from heritage_tagger.annotator.probes import LogisticProbe, MLPProbe, logistic_cv, mlp_cv
from heritage_tagger.annotator.tag_order import TagOrder, choose_order
from heritage_tagger.annotator.text_inputs import TextInputs, blank_inputs
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.knowledge.ranking import mean_average_precision
from heritage_tagger.settings import ModelSettings
from heritage_tagger.vision.siamese import l2_normalise

if TYPE_CHECKING:
    from heritage_tagger.text.word_vectors import WordVectors

Mode = Literal["text", "image"]
MODES: tuple[Mode, ...] = ("text", "image")
CHOICE_ROWS = 2000  # held-out rows the choice is made on, at most (a seeded sample beyond that)
MIN_TEXT_ROWS = 5  # held-out rows with text needed to choose for records with text


@dataclass
class ModeModel:
    """How one kind of record (with text, or image only) is scored: choice, calibration, curve."""

    choice: Choice
    calibrator: Calibrator
    curve: ThresholdCurve
    report: dict[str, Any] = field(default_factory=dict)  # validation figures for the manifest
    order: TagOrder | None = None  # what orders each tag's photos, when not the choice itself

    @property
    def serving_weights(self) -> dict[str, float]:
        """The components either question is answered from (the choice's, and the order blend's)."""
        weights = dict(self.order.weights) if self.order is not None else {}
        weights.update(self.choice.weights)
        return weights

    def blend(self, components: dict[str, np.ndarray], for_tags: bool = False) -> np.ndarray:
        """Uncalibrated scores [q, T] of records of this kind from their components: which tags suit
        each photo (the choice), or with ``for_tags`` which photos suit each tag (the order blend,
        moved onto the choice's scale tag by tag, so the two read alike after calibration)."""
        if for_tags and self.order is not None:
            return self.order.serve(components)
        return combine(components, self.choice.weights)

    def describe(self) -> str:
        """What serves these records, in plain words."""
        if self.order is None:
            return self.choice.describe()
        return (
            f"{self.choice.describe()} for which tags suit a photo, "
            f"{self.order.describe()} for which photos suit a tag"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "choice": self.choice.as_dict(),
            "order": None if self.order is None else self.order.as_dict(),
            "calibration": self.calibrator.as_dict(),
            "curve": self.curve.as_dict(),
            "report": self.report,
        }

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {} if self.order is None else self.order.arrays(prefix)

    @classmethod
    def from_dict(
        cls, data: dict[str, Any], arrays: dict[str, np.ndarray] | None = None, prefix: str = ""
    ) -> ModeModel:
        order = data.get("order")
        return cls(
            Choice.from_dict(data.get("choice")),
            Calibrator.from_dict(data.get("calibration")),
            ThresholdCurve.from_dict(data.get("curve")),
            dict(data.get("report", {})),
            None if not order else TagOrder.from_parts(order, arrays or {}, prefix),
        )

    @classmethod
    def plain(cls) -> ModeModel:
        """The collective model alone, uncalibrated, proposing whatever it ranks first (old bundles)."""
        curve = ThresholdCurve([0.0], [1.0], [1.0], [MIN_PROPOSALS])  # every ranked tag passes
        return cls(Choice({"collective": 1.0}, 0.0), Calibrator("none"), curve)


@dataclass
class Components:
    """Each component's scores for a batch of records (both kinds), with what prediction needs besides."""

    image: dict[str, np.ndarray]
    text: dict[str, np.ndarray]
    counts: np.ndarray
    has_text: np.ndarray  # bool[q]
    hood: Neighbourhood  # their m nearest training rows (what the panel's neighbour tags are read from)


@dataclass
class ProductModel:
    """What serves suggestions; ``collective`` also gives the neighbours and the relevance of existing tags."""

    collective: CollectiveModel
    modes: dict[str, ModeModel]
    logreg: LogisticProbe | None = None
    mlp: MLPProbe | None = None
    metrics: dict[str, Any] = field(default_factory=dict)

    def mode(self, name: str) -> ModeModel:
        return self.modes.get(name) or self.modes["image"]

    def needs(self, name: str) -> bool:
        return any(m.serving_weights.get(name, 0.0) > 0 for m in self.modes.values())

    def components(
        self, features: np.ndarray, self_rows: np.ndarray | None = None, text: TextInputs | None = None
    ) -> Components:
        """The components the choices use, for raw backbone ``features`` [q, D] and the records' text."""
        model = self.collective
        features = np.ascontiguousarray(np.atleast_2d(features), dtype=np.float32)
        q = len(features)
        gx = model.visual(features)
        searched = model.search(gx, self_rows, knn=model.blends_knn or self.needs("knn"))
        hood = searched.first(model.m)
        gs = model.summary(hood)
        partner = model.blend_partner(features, gx, searched, self_rows) if model.blend_weight < 1.0 else None

        def collective(inputs: TextInputs | None) -> np.ndarray:
            probs = model.network_probabilities(gx, gs, inputs)
            if partner is None:
                return probs
            from heritage_tagger.annotator.scoring import blend

            return blend(probs, partner, model.blend_weight)

        shared: dict[str, np.ndarray] = {}
        if self.logreg is not None and self.needs("logreg"):
            shared["logreg"] = self.logreg.scores(features)
        if self.mlp is not None and self.needs("multicnn"):
            shared["multicnn"] = self.mlp.scores(features)
        if self.needs("knn"):
            shared["knn"] = model.knn_votes(features, gx, self_rows, searched)
        image = {"collective": collective(None), **shared}
        has_text = np.zeros(q, dtype=bool) if text is None else np.asarray(text.present, dtype=bool)
        if text is not None and has_text.any() and model.text_dim:
            with_text = {"collective": collective(text), **shared, "lexical": text.lexical.astype(np.float32)}
        else:
            with_text = dict(image)
            with_text["lexical"] = np.zeros_like(image["collective"]) if text is None else text.lexical
        return Components(image, with_text, model.propose_counts(gx, gs), has_text, hood)

    def scores(
        self,
        features: np.ndarray,
        self_rows: np.ndarray | None = None,
        text: TextInputs | None = None,
        for_tags: bool = False,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, Components]:
        """Calibrated probabilities [q, T], label-quantity counts [q], whether each row was read with its
        text [q], and the components they came from. The probabilities answer which tags suit each
        photo; with ``for_tags`` they answer which photos suit each tag (``ModeModel.blend``)."""
        parts = self.components(features, self_rows, text)
        return self.serve(parts, for_tags), parts.counts, parts.has_text, parts

    def serve(self, parts: Components, for_tags: bool = False) -> np.ndarray:
        """Calibrated probabilities [q, T] from components already computed, each row by the choice of its
        kind (so both questions can be answered from one ``components`` call)."""
        out = np.zeros_like(parts.image["collective"])
        for name, rows, comps in (
            ("image", ~parts.has_text, parts.image),
            ("text", parts.has_text, parts.text),
        ):
            if rows.any():
                mode = self.mode(name)
                picked = {k: v[rows] for k, v in comps.items() if k in mode.serving_weights}
                out[rows] = mode.calibrator(mode.blend(picked, for_tags))
        return out

    def threshold(self, mode: str, target_precision: float) -> float:
        """The lowest calibrated probability proposed for a record of this kind at ``target_precision``."""
        return self.mode(mode).curve.threshold_for(target_precision)


def _subsample(n: int, limit: int, seed: int) -> np.ndarray:
    if n <= limit:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, limit, replace=False))


def _mode_model(
    components: dict[str, np.ndarray],
    Y: np.ndarray,
    counts: np.ndarray,
    settings: ModelSettings,
    tag_order: bool = False,
) -> ModeModel:
    pick = _subsample(len(Y), CHOICE_ROWS, settings.seed)
    sample = {k: v[pick] for k, v in components.items()}
    choice = choose(sample, Y[pick], seed=settings.seed)
    order = choose_order(sample, Y[pick], choice, seed=settings.seed) if tag_order else None
    mode = ModeModel(choice, Calibrator("none"), ThresholdCurve([], [], [], []), order=order)
    scores = mode.blend(components)
    calibrator, losses = choose_calibrator(scores, Y, settings.calibration, settings.seed)
    probs = calibrator(scores)
    curve = threshold_curve(probs, Y, counts)
    threshold = curve.threshold_for(settings.target_precision)
    precision, recall, proposed = curve.at(threshold)
    report = {
        "rows": len(Y),
        "imAP": round(mean_average_precision(Y, probs), 4),
        "mAP": round(mean_average_precision(Y.T, probs.T), 4),
        "mAP_photos_for_a_tag": round(mean_average_precision(Y.T, mode.blend(components, True).T), 4),
        "calibration_log_loss": losses,
        "target_precision": settings.target_precision,
        "threshold": None if not np.isfinite(threshold) else round(threshold, 6),
        "proposed_precision": None if not proposed else round(precision, 4),
        "proposed_recall": round(recall, 4),
        "proposed": proposed,
    }
    return ModeModel(choice, calibrator, curve, report, order)


def fit_product(
    features: np.ndarray,
    word_sets: Sequence[frozenset[str]],
    locations: Sequence[str],
    Y: np.ndarray,
    tag_labels: Sequence[str],
    word_vectors: WordVectors,
    settings: ModelSettings,
    *,
    texts: TextInputs | None = None,
    record_ids: np.ndarray | None = None,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
    device: str = "cpu",
) -> ProductModel:
    """Train every variant on the same folds and choose, per kind of record, what serves suggestions.

    ``texts`` are the training rows' ``TextInputs`` (None, or ``settings.record_text`` False: the
    network has no text branch and records with text are scored as images).
    """
    features = np.ascontiguousarray(features, dtype=np.float32)
    Y = (np.asarray(Y) > 0).astype(np.float32)
    use_text = settings.record_text and texts is not None and bool(np.asarray(texts.present).any())
    model = fit_collective(
        features, word_sets, locations, Y, tag_labels, word_vectors, settings,
        record_ids=record_ids, progress=progress, cancel=cancel, device=device,
        texts=texts if use_text else None,
    )  # fmt: skip
    held = model.held_out
    assert held is not None  # fit_collective always leaves it
    progress(Progress("baselines", 0, 2, "LogReg probe"))
    logreg = logistic_cv(features, Y, held.folds, cancel=cancel)
    progress(Progress("baselines", 1, 2, "Multi-CNN"))
    mlp = mlp_cv(
        features, Y, held.folds, hidden=settings.hidden_visual, max_epochs=settings.probe_max_epochs,
        seed=settings.seed, cancel=cancel,
    )  # fmt: skip
    progress(Progress("baselines", 2, 2))
    y_held = Y[held.rows]
    image = {
        "collective": held.model_image,
        "logreg": logreg.held_out,
        "multicnn": mlp.held_out,
        "knn": held.knn,
    }
    progress(Progress("choosing", 0, 2, "records without text"))
    # records without text: which photos suit a tag in the order chosen on mAP (settings.tag_order, see
    # annotator.tag_order); records with text are ordered by their choice for both questions
    modes: dict[str, ModeModel] = {
        "image": _mode_model(image, y_held, held.counts, settings, settings.tag_order)
    }
    held_text = None if not use_text or texts is None else texts.rows(held.rows)
    if held_text is not None and int(held_text.present.sum()) >= MIN_TEXT_ROWS:
        rows = np.flatnonzero(held_text.present)
        with_text = {**image, "collective": held.model, "lexical": held_text.lexical}
        progress(Progress("choosing", 1, 2, "records with text"))
        modes["text"] = _mode_model(
            {k: v[rows] for k, v in with_text.items()}, y_held[rows], held.counts[rows], settings
        )
    progress(Progress("choosing", 2, 2))
    product = ProductModel(
        model,
        modes,
        logreg.probe if any(m.serving_weights.get("logreg") for m in modes.values()) else None,
        mlp.probe if any(m.serving_weights.get("multicnn") for m in modes.values()) else None,
    )
    if product.needs("knn") and model.gx_mode == "adapter" and model.raw_features is None:
        model.raw_features = l2_normalise(features)
    product.metrics = {
        "logreg": logreg.chosen,
        "multicnn": mlp.chosen,
        "modes": {k: v.report for k, v in modes.items()},
        "choices": {k: v.choice.as_dict() for k, v in modes.items()},
        "orders": {k: v.order.as_dict() for k, v in modes.items() if v.order is not None},
    }
    return product


def plain_product(model: CollectiveModel) -> ProductModel:
    """A bundle from before the product model: the collective model alone, uncalibrated."""
    return ProductModel(model, {"image": ModeModel.plain()})


def blank_text(model: CollectiveModel, n: int) -> TextInputs:
    """Image-only text inputs for ``n`` rows of ``model``."""
    return blank_inputs(n, model.text_dim, model.n_tags)

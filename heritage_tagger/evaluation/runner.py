"""Run every method on the same folds of the same cached features and collect per-fold metrics.

Per fold: word vectors are trained on the training records' own text only (titles, descriptions,
tags) unless a file is configured; each method is fitted on the training rows; test rows'
titles, descriptions and locations are blanked for every method that does not declare
``uses_test_metadata`` (only LTN/LTwin do). Metrics are computed at top 3 and at a label
quantity: the method's own count when it predicts one (the collective model), otherwise the
count of a ridge regressor on the backbone features fitted on the training rows (seed 002's
regression, shared by the baselines so that the comparison is on the ranking). A method that decides
what to propose (the product model: calibrated probabilities above a threshold) is also measured on
what it actually proposes (``PROPOSED_METRICS``: precision/recall/F1 of the proposals, the expected
calibration error, the share of photos left with no confident suggestion). A method that orders the
photos of a tag apart from the tags of a photo (the product model: ``Method.photos_for_tags``, the
order of the app's "photos for a tag" search) has its mAP measured on that order, as the app serves
it; the mAP of its suggestion scores is kept beside it (``SUGGESTIONS_MAP``).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

import numpy as np

from heritage_tagger.domain.errors import HeritageTaggerError
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.evaluation.dataset import PreparedData
from heritage_tagger.evaluation.metrics import METRIC_NAMES, evaluate_scores, map_
from heritage_tagger.evaluation.protocol import Split, mean_std
from heritage_tagger.settings import ModelSettings

if TYPE_CHECKING:
    from heritage_tagger.baselines.registry import SideInfo
    from heritage_tagger.text.word_vectors import WordVectors

_FAILURES = (
    ValueError,
    RuntimeError,
    ImportError,
    AttributeError,
    np.linalg.LinAlgError,
    HeritageTaggerError,
)


SUGGESTIONS_MAP = "mAP of the suggestion scores"  # a method with a separate search order (photos_for_tags)
PROPOSED_METRICS: tuple[str, ...] = ("OP", "OR", "OF1", "CP", "CR", "CF1", "ECE", "none", "per image")


def proposed_metrics(y: np.ndarray, probs: np.ndarray, decided: np.ndarray) -> dict[str, float]:
    """What is actually proposed: overall and per-tag P/R/F1 of ``decided``, the expected calibration
    error of ``probs`` (over each image's 10 most probable tags), the share of images with no
    proposal, and the mean number proposed per image."""
    from heritage_tagger.annotator.calibration import expected_calibration_error, top_pairs
    from heritage_tagger.evaluation.metrics import decision_metrics

    out = {k: v for k, v in decision_metrics(y, decided).items() if k in PROPOSED_METRICS}
    mask = top_pairs(probs)
    out["ECE"] = expected_calibration_error(probs[mask], np.asarray(y)[mask])
    out["none"] = float((~decided.any(axis=1)).mean()) if len(decided) else float("nan")
    out["per image"] = float(decided.sum(axis=1).mean()) if len(decided) else float("nan")
    return out


@dataclass
class MethodResult:
    """One method across the folds."""

    name: str
    label: str
    uses_test_metadata: bool
    folds: list[dict[str, float]] = field(default_factory=list)  # top-3
    folds_lq: list[dict[str, float]] = field(default_factory=list)  # label quantity
    chosen: list[dict[str, Any]] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    scores: np.ndarray | None = None  # float32[n, T] out-of-fold scores (last test split wins), NaN untested
    folds_proposed: list[dict[str, float]] = field(default_factory=list)  # what is actually proposed
    calibrated: np.ndarray | None = None  # float32[n, T] out-of-fold calibrated probabilities, NaN untested
    searched: np.ndarray | None = None  # float32[n, T] out of fold, the search's order (photos_for_tags)

    @property
    def tag_scores(self) -> np.ndarray | None:
        """Out-of-fold scores whose columns order each tag's photos (per-tag AP, PR curves): the search's
        order where the method has one, else its scores."""
        return self.searched if self.searched is not None else self.scores

    def summary(self, lq: bool = False, proposed: bool = False) -> dict[str, dict[str, float]]:
        folds = self.folds_proposed if proposed else self.folds_lq if lq else self.folds
        out = {}
        names = PROPOSED_METRICS if proposed else METRIC_NAMES
        if not proposed and any(SUGGESTIONS_MAP in f for f in folds):
            names = (*names, SUGGESTIONS_MAP)  # a fold without a search order: its mAP is the suggestions'
        for metric in names:
            if metric == SUGGESTIONS_MAP:
                mean, std = mean_std([f.get(SUGGESTIONS_MAP, f["mAP"]) for f in folds])
            else:
                mean, std = mean_std([f[metric] for f in folds])
            out[metric] = {"mean": mean, "std": std}
        return out


@dataclass
class EvaluationResult:
    methods: list[MethodResult]
    splits: list[Split]
    fold_info: list[dict[str, Any]]


def _sentences(prepared: PreparedData, rows: np.ndarray) -> list[list[str]]:
    from heritage_tagger.text.lemmatise import tokens

    data = prepared.data
    out: list[list[str]] = []
    for i in rows:
        for text in (data.titles[i], data.descriptions[i]):
            words = tokens(text)
            if words:
                out.append(words)
        tag_words = [w for tag in data.tags[i] for w in tag.split()]
        if tag_words:
            out.append(tag_words)
    return out


def fold_word_vectors(prepared: PreparedData, rows: np.ndarray, settings: ModelSettings) -> WordVectors:
    """Configured word vectors, else gensim vectors trained on the training rows' text only."""
    from heritage_tagger.text.word_vectors import word_vectors_for

    return word_vectors_for(_sentences(prepared, rows), settings)[0]


def quantity_counts(X_train: np.ndarray, Y_train: np.ndarray, X_test: np.ndarray) -> tuple[np.ndarray, float]:
    """Seed 002's label-quantity regression as a ridge on standardised features (alpha by LOO on training)."""
    from sklearn.linear_model import RidgeCV

    mu, sd = X_train.mean(0), X_train.std(0) + 1e-6
    counts = Y_train.sum(axis=1).astype(np.float64)
    model = RidgeCV(alphas=(1.0, 10.0, 100.0, 1000.0, 10000.0)).fit((X_train - mu) / sd, counts)
    raw = model.predict((X_test - mu) / sd)
    return np.clip(np.rint(raw), 1, max(1, int(counts.max()))).astype(np.int64), float(model.alpha_)


def _side(
    prepared: PreparedData, rows: np.ndarray, wv: WordVectors | None, seed: int, metadata: bool
) -> SideInfo:
    d = prepared.data
    blank = [""] * len(rows)
    return {
        "titles": [d.titles[i] for i in rows] if metadata else blank,
        "descriptions": [d.descriptions[i] for i in rows] if metadata else blank,
        "locations": [d.locations[i] for i in rows] if metadata else blank,
        "labels": list(prepared.vocabulary),
        "word_vectors": wv,
        "seed": seed,
    }


def method_params_for(
    name: str, settings: ModelSettings, method_params: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """A method's parameters: those given for it, and the evaluation's ``ModelSettings`` for a method
    that takes them (the collective model, the product model, MeL+Fc) unless it was given its own."""
    from heritage_tagger.baselines.registry import method_class

    params = dict(method_params.get(name, {}))
    if "settings" in method_class(name).default_params:
        params.setdefault("settings", settings)
    return params


def run_evaluation(
    prepared: PreparedData,
    features: np.ndarray,
    methods: Sequence[str],
    splits: Sequence[Split],
    settings: ModelSettings | None = None,
    threshold: float | None = None,
    method_params: dict[str, dict[str, Any]] | None = None,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
    log: TextIO | None = None,
) -> EvaluationResult:
    """Fit and score every method on every split; nothing about a test split is used for choices."""
    log = log if log is not None else sys.stderr  # resolved per call, not at import
    from heritage_tagger.baselines.registry import create_method

    settings = settings or ModelSettings()
    threshold = settings.threshold if threshold is None else threshold
    method_params = method_params or {}
    X = np.ascontiguousarray(features, dtype=np.float32)
    Y = prepared.Y
    n, T = Y.shape
    protos = {m: create_method(m, **method_params_for(m, settings, method_params)) for m in methods}
    results = {m: MethodResult(m, p.label, bool(p.uses_test_metadata)) for m, p in protos.items()}
    for r in results.values():
        r.scores = np.full((n, T), np.nan, dtype=np.float32)
    need_wv = any(bool(getattr(p, "needs_word_vectors", False)) for p in protos.values())
    fold_info: list[dict[str, Any]] = []
    total = len(splits) * len(methods)
    done = 0
    for f, split in enumerate(splits):
        tr, te = split.train, split.test
        seed = settings.seed + f
        info: dict[str, Any] = {
            "split": split.name,
            "train": len(tr),
            "test": len(te),
            "tags_with_training_positive": int(Y[tr].any(0).sum()),
            "tags_with_test_positive": int(Y[te].any(0).sum()),
        }
        wv = None
        if need_wv:
            started = time.perf_counter()
            wv = fold_word_vectors(prepared, tr, settings)
            info["word_vectors_seconds"] = round(time.perf_counter() - started, 2)
        lq_counts, alpha = quantity_counts(X[tr], Y[tr], X[te])
        info["quantity_ridge_alpha"] = alpha
        fold_info.append(info)
        for name in methods:
            if cancel is not None:
                cancel.check()
            res = results[name]
            progress(Progress("evaluate", done, total, f"{split.name} {name}"))
            print(f"[{split.name}] {name}: fitting on {len(tr)} records...", file=log, flush=True)
            started = time.perf_counter()
            method = create_method(name, **method_params_for(name, settings, method_params))
            try:
                method.fit(X[tr], Y[tr], _side(prepared, tr, wv, seed, True), cancel=cancel)
                test_side = _side(prepared, te, wv, seed, res.uses_test_metadata)
                draws = int(method.chosen.get("draws", 1)) if name == "random" else 1
                per_draw, per_draw_lq, last = [], [], None
                for _ in range(draws):
                    last = method.predict(X[te], test_side)
                    own = method.predict_counts(X[te], test_side)
                    counts = own if own is not None else lq_counts
                    per_draw.append(evaluate_scores(Y[te], last, k=settings.top_k, threshold=threshold))
                    per_draw_lq.append(evaluate_scores(Y[te], last, k=counts, threshold=threshold))
                decided = method.proposals(X[te], test_side)
                search = method.photos_for_tags(X[te], test_side)
            except _FAILURES as exc:
                done += 1
                res.errors.append(f"{split.name}: {type(exc).__name__}: {exc}")
                print(f"[{split.name}] {name}: FAILED: {exc}", file=log, flush=True)
                continue
            seconds = time.perf_counter() - started
            res.folds.append({k: float(np.mean([d[k] for d in per_draw])) for k in METRIC_NAMES})
            res.folds_lq.append({k: float(np.mean([d[k] for d in per_draw_lq])) for k in METRIC_NAMES})
            if search is not None:  # mAP is the search's order of photos; the suggestions' own is kept
                for fold in (res.folds[-1], res.folds_lq[-1]):
                    fold[SUGGESTIONS_MAP] = fold["mAP"]
                    fold["mAP"] = map_(Y[te], search)
            res.chosen.append(dict(method.chosen))
            res.seconds.append(round(seconds, 2))
            assert res.scores is not None and last is not None
            res.scores[te] = last
            if search is not None and res.searched is None:
                res.searched = res.scores.copy()  # earlier folds had no search order: their scores
            if res.searched is not None:
                res.searched[te] = last if search is None else search
            if decided is not None:
                res.folds_proposed.append(proposed_metrics(Y[te], *decided))
                if res.calibrated is None:
                    res.calibrated = np.full((n, T), np.nan, dtype=np.float32)
                res.calibrated[te] = decided[0]
            done += 1
            print(
                f"[{split.name}] {name}: imAP {res.folds[-1]['imAP']:.3f} mAP {res.folds[-1]['mAP']:.3f} "
                f"({seconds:.1f} s) {method.chosen if name != 'random' else ''}",
                file=log,
                flush=True,
            )
    progress(Progress("evaluate", total, total, "done"))
    return EvaluationResult([results[m] for m in methods], list(splits), fold_info)

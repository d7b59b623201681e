"""Retrain from the reviewed decisions: a candidate compared with the active model on held-out records.

The comparison is honest by construction. The tagged records of the current catalogue are split
by a hash of their identifier (seed 000's 2:1 split, ``evaluation.protocol.hash_split``). A
*comparison model* is trained with the candidate's recipe on every record outside the test
third, then it and the active model score the test records. When at least ``MIN_FAIR`` test
records were not training rows of the active model (new photos, photos tagged or reviewed
since), only those are scored, so that neither model has seen them; otherwise all test records
are scored and the outcome says how many the active model had seen (its figures are then
optimistic). The candidate that can be activated is then trained on everything
(``services.training.train_catalogue(activate=False)``: catalogued plus accepted tags, never
rejected or suggested ones); the comparison model's figures estimate its quality and are stored
in the candidate's metrics under ``held_out``.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from heritage_tagger.db import decisions as decision_log
from heritage_tagger.db.tables import utcnow
from heritage_tagger.domain.errors import HeritageTaggerError, ModelNotTrainedError
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.features import ImageRef, features_for
from heritage_tagger.services.jobs import recover_stale_jobs, run_job
from heritage_tagger.services.training import TrainingOutcome
from heritage_tagger.settings import ModelSettings

if TYPE_CHECKING:
    from heritage_tagger.annotator.backbones import LoadedBackbone
    from heritage_tagger.annotator.model import CollectiveModel
    from heritage_tagger.services.annotating import AnnotateReport
from heritage_tagger.services.model_versions import (
    HEADLINE_METRICS,
    ModelVersionInfo,
    active_version,
    add_metrics,
)

JOB_KIND = "retrain"
TRAIN_JOB_KIND = "train"  # services.training.JOB_KIND
MIN_FAIR = 10  # held-out records unseen by the active model needed to score only those
COMPARED = HEADLINE_METRICS  # the figures compared side by side
DEFAULT_AFTER_DECISIONS = 100


@dataclass
class Comparison:
    """The candidate's recipe and the active model scored on the same held-out records."""

    n_records: int
    seen_by_active: int  # of them, training rows of the active model
    only_unseen: bool  # True: records the active model was trained on were left out
    n_tags: int
    active_version: str
    candidate: dict[str, float]
    active: dict[str, float]
    record_ids: list[int] = field(default_factory=list)  # the held-out records scored

    def as_dict(self) -> dict[str, Any]:
        return {
            "n_records": self.n_records,
            "seen_by_active": self.seen_by_active,
            "only_unseen": self.only_unseen,
            "n_tags": self.n_tags,
            "active_version": self.active_version,
            "candidate": self.candidate,
            "active": self.active,
            "record_ids": self.record_ids,
        }

    def table(self, candidate_version: str) -> str:
        """The two models side by side, a line per metric."""
        lines = [f"{'metric':<8}{'active ' + self.active_version:>28}{'candidate ' + candidate_version:>32}"]
        for name in COMPARED:
            a, c = self.active.get(name, float("nan")), self.candidate.get(name, float("nan"))
            lines.append(f"{name:<8}{a:>28.3f}{c:>32.3f}   {'+' if c > a else ''}{c - a:.3f}")
        where = f"{self.n_records} held-out records, {self.n_tags} tags"
        if self.only_unseen:
            where += "; none of them was a training photo of either model"
        else:
            where += (
                f"; the active model was trained on {self.seen_by_active} of them (its figures are optimistic),"
                " the candidate on none"
            )
        return "\n".join([*lines, f"Measured on {where}."])


@dataclass
class RetrainOutcome:
    decisions_since: int
    candidate: TrainingOutcome
    comparison: Comparison
    failed_images: dict[int, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "decisions_since_active": self.decisions_since,
            "candidate": self.candidate.as_dict(),
            "comparison": self.comparison.as_dict(),
        }


@dataclass
class DueStatus:
    due: bool
    reason: str
    decisions_since: int
    days_since: float | None
    active: str | None


def decisions_since_active(catalogue: Catalogue) -> tuple[int, ModelVersionInfo | None]:
    """How many decisions were logged after the active model was trained (all of them when none is)."""
    info = active_version(catalogue)
    with catalogue.session() as session:
        return decision_log.count(session, info.created_at if info is not None else None), info


def retrain_due(
    catalogue: Catalogue,
    after_decisions: int | None = DEFAULT_AFTER_DECISIONS,
    every_days: float | None = None,
) -> DueStatus:
    """Due when ``after_decisions`` decisions arrived since the active model, or it is ``every_days`` old."""
    n, info = decisions_since_active(catalogue)
    if info is None:
        return DueStatus(False, "no model is active: train one first", n, None, None)
    days = (utcnow() - info.created_at).total_seconds() / 86400.0
    if after_decisions is not None and n >= after_decisions:
        return DueStatus(
            True, f"{n} decisions since {info.version} (threshold {after_decisions})", n, days, info.version
        )
    if every_days is not None and days >= every_days:
        return DueStatus(
            True, f"{info.version} is {days:.1f} days old (every {every_days:g} days)", n, days, info.version
        )
    return DueStatus(
        False, f"{n} decisions since {info.version}, trained {days:.1f} days ago", n, days, info.version
    )


def _key(label: str, lemma: str = "") -> str:
    return (lemma or label).strip().lower()


def _scores(
    model: CollectiveModel, lemmas: list[str], features: np.ndarray, ids: list[int], columns: dict[str, int]
) -> np.ndarray:
    """The model's tag probabilities laid out on the comparison's columns (tags it does not know: 0)."""
    self_rows = np.array([-1 if (r := model.row_of(i)) is None else r for i in ids], dtype=np.int64)
    probs, _ = model.predict(features, self_rows)
    out = np.zeros((len(ids), len(columns)), dtype=np.float32)
    for t, lemma in enumerate(lemmas):
        column = columns.get(lemma.strip().lower())
        if column is not None:
            out[:, column] = np.maximum(out[:, column], probs[:, t])
    return out


def compare_on_held_out(
    catalogue: Catalogue,
    active: ModelVersionInfo,
    *,
    backbone: LoadedBackbone,
    settings: ModelSettings,
    min_unseen: int = MIN_FAIR,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> Comparison:
    """Train the comparison model on the records outside the hash test third and score both models."""
    from heritage_tagger.annotator import pipeline
    from heritage_tagger.annotator.predictor import Predictor
    from heritage_tagger.evaluation.metrics import evaluate_scores
    from heritage_tagger.evaluation.protocol import hash_split
    from heritage_tagger.services.training import load_training_data

    data = load_training_data(catalogue)
    tagged = [i for i, tags in enumerate(data.tags) if tags]
    split = hash_split([data.identifiers[i] for i in tagged])
    test = sorted(tagged[j] for j in split.test)
    test_set = set(test)
    train_rows = [i for i in range(len(data)) if i not in test_set]
    scratch = catalogue.workspace.root / "retrain-tmp"
    shutil.rmtree(scratch, ignore_errors=True)  # left by a killed run (we hold the training lock)
    stage = lambda p: progress(Progress(f"comparison: {p.stage}", p.done, p.total, p.message))  # noqa: E731
    try:
        result = pipeline.train(
            data.subset(train_rows), settings, catalogue.workspace.features, scratch / "model",
            backbone=backbone, progress=stage, cancel=cancel,
        )  # fmt: skip
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if cancel is not None:
        cancel.check()
    progress(Progress("comparison: scoring", 0, 2))
    current = Predictor.load(active.bundle_path)
    candidate_lemmas = list(result.manifest["tag_lemmas"])
    active_lemmas = list(current.manifest.get("tag_lemmas") or current.model.tag_labels)
    columns: dict[str, int] = {}
    for lemma in candidate_lemmas + active_lemmas:
        columns.setdefault(lemma.strip().lower(), len(columns))
    truth_rows = [i for i in test if any(_key(label, lemma) in columns for label, lemma in data.tags[i])]
    unseen = [i for i in truth_rows if current.model.row_of(data.record_ids[i]) is None]
    only_unseen = len(unseen) >= max(1, min_unseen)
    rows = unseen if only_unseen else truth_rows
    images = [ImageRef(data.sha256s[i], data.image_paths[i]) for i in rows]
    found = features_for(catalogue, images, backbone)
    features, failed = found.features, found.failed
    if current.space_key == backbone.space_key:
        active_features, active_failed = features, failed
    else:
        other = features_for(catalogue, images, current)
        active_features, active_failed = other.features, other.failed
    ok = [p for p in range(len(rows)) if p not in failed and p not in active_failed]
    if not ok:
        raise HeritageTaggerError("No held-out photo could be scored: tag or review more photos first.")
    rows = [rows[p] for p in ok]
    ids = [data.record_ids[i] for i in rows]
    truth = np.zeros((len(rows), len(columns)), dtype=np.float32)
    for r, i in enumerate(rows):
        for label, lemma in data.tags[i]:
            if (column := columns.get(_key(label, lemma))) is not None:
                truth[r, column] = 1.0
    k = settings.top_k
    cand = evaluate_scores(truth, _scores(result.model, candidate_lemmas, features[ok], ids, columns), k)
    act = evaluate_scores(truth, _scores(current.model, active_lemmas, active_features[ok], ids, columns), k)
    progress(Progress("comparison: scoring", 2, 2))
    seen = sum(1 for i in ids if current.model.row_of(i) is not None)
    return Comparison(
        n_records=len(rows), seen_by_active=seen, only_unseen=only_unseen, n_tags=len(columns),
        active_version=active.version,
        candidate={n: float(cand[n]) for n in COMPARED}, active={n: float(act[n]) for n in COMPARED},
        record_ids=ids,
    )  # fmt: skip


def retrain(
    catalogue: Catalogue,
    *,
    backbone: str | None = None,
    epochs: int | None = None,
    device: str | None = None,
    min_unseen: int = MIN_FAIR,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> RetrainOutcome:
    """Compare (see the module docstring), then train and register the candidate, inactive.

    Holds the training lock from the comparison to the candidate, so no other training slips in
    between; refuses (TrainingLockedError) while another training of the catalogue runs. A failure,
    a cancel or a kill at any point leaves the active model as it was; nothing is activated here.
    """
    from heritage_tagger.annotator.backbones import load_backbone
    from heritage_tagger.services.training import model_settings, train_locked, training_lock

    n_since, active = decisions_since_active(catalogue)
    if active is None:
        raise ModelNotTrainedError(
            "No model is active yet, so there is nothing to compare with: run `heritage-tagger train` first."
        )
    settings = model_settings(catalogue, backbone=backbone or active.backbone, device=device, epochs=epochs)
    with training_lock(catalogue):
        recover_stale_jobs(catalogue, (JOB_KIND, TRAIN_JOB_KIND))
        with run_job(catalogue, JOB_KIND, {"backbone": settings.backbone}) as job:
            loaded = load_backbone(settings.backbone, settings.device)
            comparison = compare_on_held_out(
                catalogue, active, backbone=loaded, settings=settings, min_unseen=min_unseen,
                progress=progress, cancel=cancel,
            )  # fmt: skip
            outcome = train_locked(
                catalogue, backbone=settings.backbone, epochs=epochs, device=settings.device, activate=False,
                progress=progress, cancel=cancel, loaded_backbone=loaded,
            )  # fmt: skip
            add_metrics(catalogue, outcome.version, {"held_out": comparison.as_dict()})
            job.final_cursor = {"candidate": outcome.version}
    return RetrainOutcome(n_since, outcome, comparison, outcome.failed_images)


def activate_candidate(
    catalogue: Catalogue,
    version: str,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> tuple[ModelVersionInfo, AnnotateReport]:
    """Activate ``version`` atomically, then refresh pending suggestions of older models with it."""
    from heritage_tagger.services.model_versions import activate
    from heritage_tagger.services.resuggesting import resuggest
    from heritage_tagger.services.suggesting import clear_cache

    info = activate(catalogue, version)
    clear_cache()
    return info, resuggest(catalogue, progress, cancel)


def save_plot(comparison: Comparison, candidate_version: str, path: Path | str) -> Path:
    """The comparison as a bar chart (evaluation.comparison_plot)."""
    from heritage_tagger.evaluation.comparison_plot import comparison_chart

    return comparison_chart(
        COMPARED,
        (f"active {comparison.active_version}", comparison.active),
        (f"candidate {candidate_version}", comparison.candidate),
        f"{comparison.n_records} held-out photos ({datetime.now():%Y-%m-%d})",
        path,
    )

"""Retrain from the reviewed decisions: a candidate compared fairly with the active model, registered inactive.

The comparison (``services.comparison``) trains a copy of the active model and a copy of the
candidate on the same training part and scores both on photos neither was trained on; the
candidate that can be activated is then trained on everything
(``services.training.train_locked(activate=False)``: catalogued plus accepted tags, never
rejected or suggested ones). The figures are stored on both versions (``metrics["comparison"]``),
so that the Versions list shows what the retrain dialog showed
(``services.model_versions.headline_metrics``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from heritage_tagger.db import decisions as decision_log
from heritage_tagger.db.tables import utcnow
from heritage_tagger.domain.errors import ModelNotTrainedError
from heritage_tagger.domain.progress import CancelToken, ProgressCallback, null_progress
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.comparison import (
    COMPARED,
    MIN_FAIR,
    Comparison,
    Recommendation,
    compare_on_held_out,
    recommend,
)
from heritage_tagger.services.jobs import recover_stale_jobs, run_job
from heritage_tagger.services.model_versions import ModelVersionInfo, active_version, add_metrics
from heritage_tagger.services.training import TrainingOutcome

if TYPE_CHECKING:
    from heritage_tagger.services.annotating import AnnotateReport

__all__ = [
    "COMPARED",
    "Comparison",
    "DueStatus",
    "Recommendation",
    "RetrainOutcome",
    "activate_candidate",
    "decisions_since_active",
    "recommend",
    "retrain",
    "retrain_due",
    "save_plot",
]

JOB_KIND = "retrain"
TRAIN_JOB_KIND = "train"  # services.training.JOB_KIND
DEFAULT_AFTER_DECISIONS = 100


@dataclass
class RetrainOutcome:
    decisions_since: int
    candidate: TrainingOutcome
    comparison: Comparison
    failed_images: dict[int, str] = field(default_factory=dict)

    @property
    def recommendation(self) -> Recommendation:
        return recommend(self.comparison, self.decisions_since)

    def as_dict(self) -> dict[str, Any]:
        rec = self.recommendation
        return {
            "decisions_since_active": self.decisions_since,
            "candidate": self.candidate.as_dict(),
            "comparison": self.comparison.as_dict(),
            "recommendation": {"activate": rec.activate, "reason": rec.reason},
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
            record_comparison(catalogue, comparison, outcome.version)
            job.final_cursor = {"candidate": outcome.version}
    return RetrainOutcome(n_since, outcome, comparison, outcome.failed_images)


def record_comparison(catalogue: Catalogue, comparison: Comparison, candidate: str) -> None:
    """Store the comparison's figures on both versions (what the Versions list shows for them)."""
    common = {"n_records": comparison.n_records, "n_tags": comparison.n_tags, "method": comparison.method,
              "date": f"{datetime.now():%Y-%m-%d}"}  # fmt: skip
    add_metrics(
        catalogue, candidate,
        {"held_out": comparison.as_dict(),
         "comparison": {**common, "figures": comparison.candidate, "against": comparison.active_version}},
    )  # fmt: skip
    add_metrics(
        catalogue, comparison.active_version,
        {"comparison": {**common, "figures": comparison.active, "against": candidate}},
    )  # fmt: skip


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
        f"{comparison.n_records} photos neither model was trained on ({datetime.now():%Y-%m-%d})",
        path,
    )

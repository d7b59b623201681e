"""The model's long jobs as the window runs them (through ``services.worker_process``): training, retraining
with its comparison chart, suggestions for the whole catalogue and the photos that suit a tag, each
reporting plain, monotone progress.

Each is a module-level function ``job(catalogue, *, progress, cancel, **options)`` so that a child
process can import it by name (``TRAIN``, ``RETRAIN``, ``SUGGEST``, ``SEARCH_TAG``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.job_progress import PlainProgress, Segment, training_plan

if TYPE_CHECKING:
    from heritage_tagger.services.annotating import AnnotateReport
    from heritage_tagger.services.retraining import RetrainOutcome
    from heritage_tagger.services.tag_search import TagSearch
    from heritage_tagger.services.training import TrainingOutcome
    from heritage_tagger.settings import ModelSettings

TRAIN = "heritage_tagger.services.model_jobs:train"
RETRAIN = "heritage_tagger.services.model_jobs:retrain"
SUGGEST = "heritage_tagger.services.model_jobs:suggest_unreviewed"
SEARCH_TAG = "heritage_tagger.services.model_jobs:search_tag"

Retrained = tuple["RetrainOutcome", str | None]  # the outcome and its comparison chart (PNG), if drawn


def _sizes(catalogue: Catalogue, settings: ModelSettings) -> tuple[int, int, int, list[str]]:
    """(tagged photos trained on, photos in all, validation folds, identifiers of the tagged photos)."""
    from heritage_tagger.annotator import pipeline
    from heritage_tagger.annotator.fit import make_folds
    from heritage_tagger.services.training import load_training_data

    data = load_training_data(catalogue)
    vocab = pipeline.vocabulary_for(data, settings)  # refuses early, in words, when too few are tagged
    rows = [i for i, tags in enumerate(vocab.record_tags) if tags]
    return len(rows), len(data), len(make_folds(len(rows), settings)), [data.identifiers[i] for i in rows]


def _folds(n: int, settings: ModelSettings) -> int:
    from heritage_tagger.annotator.fit import make_folds

    return len(make_folds(max(5, n), settings))


def train(
    catalogue: Catalogue,
    *,
    backbone: str | None = None,
    device: str | None = None,
    epochs: int | None = None,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> TrainingOutcome:
    """Model > Train: ``services.training.train_catalogue`` (the new model becomes active)."""
    from heritage_tagger.services.training import model_settings, train_catalogue

    settings = model_settings(catalogue, backbone=backbone, device=device, epochs=epochs)
    n_rows, n_images, folds, _ = _sizes(catalogue, settings)
    tracker = PlainProgress(
        f"Learning from {n_rows} tagged photos", training_plan(n_rows, n_images, folds), progress
    )
    tracker(Progress("starting", 0, 1))
    outcome = train_catalogue(
        catalogue, backbone=backbone, device=device, epochs=epochs, progress=tracker, cancel=cancel
    )
    tracker.finish()
    return outcome


def retrain(
    catalogue: Catalogue,
    *,
    epochs: int | None = None,
    device: str | None = None,
    plot_path: str | None = None,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> Retrained:
    """Model > Retrain: ``services.retraining.retrain`` and, when ``plot_path`` is given, its chart."""
    from heritage_tagger.evaluation.protocol import hash_split
    from heritage_tagger.services import comparison
    from heritage_tagger.services.model_versions import require_active
    from heritage_tagger.services.retraining import retrain as run_retrain
    from heritage_tagger.services.retraining import save_plot
    from heritage_tagger.services.training import model_settings

    active = require_active(catalogue)
    settings = model_settings(catalogue, backbone=active.backbone, device=device, epochs=epochs)
    n_rows, n_images, folds, identifiers = _sizes(catalogue, settings)
    parts = comparison.comparison_folds(len(identifiers))
    n_part = n_rows - len(hash_split(identifiers).test) if parts == 1 else n_rows * (parts - 1) // parts
    n_known = max(1, round(active.n_records * n_part / max(1, n_rows)))
    plan: list[Segment] = []
    for part in range(parts):
        which = f" ({part + 1} of {parts})" if parts > 1 else ""
        plan += training_plan(n_part, n_images, _folds(n_part, settings), comparison.CANDIDATE_PREFIX,
                              f"comparing{which}, the candidate without the test photos")  # fmt: skip
        plan += training_plan(n_known, n_images, _folds(n_known, settings), comparison.ACTIVE_PREFIX,
                              f"comparing{which}, a copy of the active model without them")  # fmt: skip
    plan += [
        Segment(comparison.SCORING, "scoring both on photos neither was trained on", 0.5),
        *training_plan(n_rows, n_images, folds, "", "the candidate learns from every tagged photo"),
    ]
    tracker = PlainProgress(f"Retraining on {n_rows} tagged photos", plan, progress)
    tracker(Progress(comparison.CANDIDATE_PREFIX + "starting", 0, 1))
    outcome = run_retrain(catalogue, epochs=epochs, device=device, progress=tracker, cancel=cancel)
    png: str | None = None
    if plot_path:
        try:
            png = str(save_plot(outcome.comparison, outcome.candidate.version, Path(plot_path)))
        except Exception:  # noqa: BLE001 - the table says it all; the chart is a nicety
            png = None
    tracker.finish()
    return outcome, png


def suggest_unreviewed(
    catalogue: Catalogue,
    *,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> AnnotateReport:
    """After a training or an activation: the active model's proposals for every photo not reviewed yet."""
    from heritage_tagger.services import resuggesting

    tracker = PlainProgress(
        "Filling the review queue",
        [Segment(resuggesting.QUEUE_STAGE, "suggesting tags for the photos not reviewed yet", 1.0)],
        progress,
    )
    report = resuggesting.suggest_unreviewed(catalogue, tracker, cancel)
    tracker.finish()
    return report


def search_tag(
    catalogue: Catalogue,
    *,
    tag: str,
    limit: int = 50,
    batch_id: int | None = None,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> TagSearch:
    """Review > Photos for a tag: ``services.tag_search.photos_for_tag`` (plain data: it comes back pickled)."""
    from heritage_tagger.services.tag_search import photos_for_tag

    headline = f"Finding photos for “{tag.strip()}”"

    def relay(p: Progress) -> None:  # one bar, in words: "Read 500 of 2,000 photos"
        progress(Progress(headline, p.done, p.total, p.message))

    return photos_for_tag(catalogue, tag, limit=limit, batch_id=batch_id, progress=relay, cancel=cancel)

"""Batch annotation: import a folder (or take a batch) and store the active model's proposals, resumable.

The job runs in chunks of ``ImportSettings.commit_every`` records. Each chunk's suggestions and
the job's cursor (the last record id done) commit in one transaction, so a killed or cancelled
job leaves every record with all of its new suggestions or none, keeps every chunk it finished,
and resumes after the cursor when the same command runs again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from heritage_tagger.db import jobs as job_rows
from heritage_tagger.db import suggestions as queries
from heritage_tagger.db.engine import Session
from heritage_tagger.db.tables import Job
from heritage_tagger.domain.errors import CancelledError, HeritageTaggerError
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.importing import ImportReport
from heritage_tagger.services.jobs import finish_job, load_json, save_cursor, start_job
from heritage_tagger.services.model_versions import active_version, require_active
from heritage_tagger.services.proposals import NO_CONFIDENT, proposal_texts, propose, write_proposals

if TYPE_CHECKING:
    from heritage_tagger.annotator.predictor import Predictor

ANNOTATE_KIND = "annotate"
STAGE = "annotating"
_FAILED_KEPT = 200  # unreadable photos listed in the job's cursor
NO_MODEL = (
    "No model is active for this catalogue, so no suggestions were made. Train one with "
    "`heritage-tagger train` (it needs at least 10 tagged photos), then run the same import "
    "with --annotate again to annotate these photos."
)

Pending = Callable[[Session, int], list[int]]  # (session, last record id done) -> record ids still to do


@dataclass
class AnnotateReport:
    """What an annotation job did (this run and, when resumed, before)."""

    job_id: int | None = None
    batch_ids: list[int] = field(default_factory=list)
    model_version: str | None = None
    total: int = 0  # records of the batches
    annotated: int = 0  # records done in this run
    done_before: int = 0  # records an interrupted run had finished
    suggestions: int = 0  # suggested (or auto-accepted) tags written in this run
    auto_accepted: int = 0
    failed: dict[int, str] = field(default_factory=dict)  # record id -> why its photo could not be read
    resumed: bool = False
    no_model: bool = False
    seconds: float = 0.0
    outcomes: dict[str, int] = field(
        default_factory=dict
    )  # "proposed" / "nothing_new" / "no_confident_suggestion"
    coverage: TagCoverage | None = None  # the batches' catalogued tags against the model and the captions
    served_by: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "job_id": self.job_id,
            "batch_ids": self.batch_ids,
            "model_version": self.model_version,
            "records": self.total,
            "annotated": self.annotated,
            "done_before": self.done_before,
            "suggestions": self.suggestions,
            "auto_accepted": self.auto_accepted,
            "failed": {str(k): v for k, v in self.failed.items()},
            "resumed": self.resumed,
            "no_model": self.no_model,
            "seconds": round(self.seconds, 3),
            "outcomes": dict(self.outcomes),
            "no_confident_suggestion": self.outcomes.get(NO_CONFIDENT, 0),
            "coverage": None if self.coverage is None else self.coverage.as_dict(),
            "served_by": self.served_by,
        }


@dataclass
class TagCoverage:
    """A model meets a new batch: of the distinct tags its records came with, how many the model knows
    (it can propose them from the photo) and how many the records' captions name (the lexical pathway
    can propose them on the photos whose caption names them)."""

    tags: int = 0
    known_to_model: int = 0
    named_in_captions: int = 0
    neither: int = 0
    assignments: int = 0  # (record, tag) pairs
    assignments_named: int = 0  # ... whose record's caption names the tag
    unknown_examples: list[str] = field(default_factory=list)  # a few tags neither way reaches

    def as_dict(self) -> dict[str, Any]:
        return {
            "tags": self.tags,
            "known_to_model": self.known_to_model,
            "named_in_captions": self.named_in_captions,
            "neither": self.neither,
            "assignments": self.assignments,
            "assignments_named_in_caption": self.assignments_named,
            "unknown_examples": list(self.unknown_examples),
        }


def tag_coverage(catalogue: Catalogue, predictor: Predictor, batch_ids: Sequence[int]) -> TagCoverage:
    """``TagCoverage`` of the batches' catalogued tags for ``predictor``."""
    from heritage_tagger.vocab.lexicon import Lexicon

    with catalogue.session() as session:
        pairs = queries.batch_catalogued_tags(session, batch_ids)
        texts = proposal_texts(session, sorted({r for r, _ in pairs}))
    labels = sorted({label for _, label in pairs})
    if not labels:
        return TagCoverage()
    lexicon = Lexicon.of_labels(labels)
    named: set[tuple[int, str]] = set()
    for rid, text in texts.items():
        named.update((rid, label) for label in lexicon.labels_in(text.searchable()))
    known = {label for label in labels if predictor.tag_row(label) is not None}
    in_captions = {label for rid, label in pairs if (rid, label) in named}
    neither = [label for label in labels if label not in known and label not in in_captions]
    return TagCoverage(
        tags=len(labels),
        known_to_model=len(known),
        named_in_captions=len(in_captions),
        neither=len(neither),
        assignments=len(pairs),
        assignments_named=sum(1 for pair in pairs if pair in named),
        unknown_examples=neither[:8],
    )


def run_annotation(
    catalogue: Catalogue,
    job_id: int,
    cursor: dict[str, Any],
    pending: Pending,
    report: AnnotateReport,
    *,
    stage: str,
    chunk_size: int,
    auto_accept: float | None,
    progress: ProgressCallback,
    cancel: CancelToken | None,
) -> AnnotateReport:
    """Store proposals for the records ``pending`` returns after the job's cursor, one chunk at a time.

    Raises CancelledError (after saving the chunks done) when cancelled; finishes the job row.
    """
    from heritage_tagger.services.features import features_for
    from heritage_tagger.services.suggesting import active_predictor, catalogue_lexicon

    started = time.monotonic()
    predictor, info = active_predictor(catalogue)
    report.model_version = info.version
    report.served_by = predictor.served_by
    lexicon = catalogue_lexicon(catalogue)
    target = catalogue.settings.model.target_precision
    chunk_size = max(1, chunk_size)
    last = int(cursor.get("last_record_id", 0))
    report.done_before = int(cursor.get("done", 0))
    failed_kept = {str(k): str(v) for k, v in dict(cursor.get("failed", {})).items()}
    report.failed.update({int(k): v for k, v in failed_kept.items()})
    with catalogue.session() as session:
        todo = pending(session, last)
    report.total = report.done_before + len(todo)
    done = report.done_before
    progress(Progress(stage, done, report.total, "resuming" if report.resumed else ""))
    try:
        for start in range(0, len(todo), chunk_size):
            if cancel is not None:
                cancel.check()
            with catalogue.session() as session:
                rows = queries.image_rows(session, todo[start : start + chunk_size])
            found = features_for(catalogue, rows, predictor, cancel=cancel)
            ok = [i for i in range(len(rows)) if i not in found.failed]
            with catalogue.session() as session:
                ids = [rows[i].id for i in ok]
                proposals = (
                    propose(
                        predictor,
                        found.features[ok],
                        ids,
                        queries.decided_keys(session, ids),
                        texts=proposal_texts(session, ids),
                        lexicon=lexicon,
                        target_precision=target,
                    )
                    if ok
                    else {}
                )
                for p in proposals.values():
                    report.outcomes[p.outcome] = report.outcomes.get(p.outcome, 0) + 1
                written, accepted = write_proposals(session, proposals, info.id, info.version, auto_accept)
                for i, reason in found.failed.items():
                    report.failed[rows[i].id] = reason
                    if len(failed_kept) < _FAILED_KEPT:
                        failed_kept[str(rows[i].id)] = reason
                done += len(rows)
                save_cursor(
                    session, job_id, {"last_record_id": rows[-1].id, "done": done, "failed": failed_kept}
                )
            report.suggestions += written
            report.auto_accepted += accepted
            report.annotated += len(rows)
            progress(Progress(stage, done, report.total, f"{report.suggestions} suggestions"))
            if cancel is not None and cancel.cancelled and done < report.total:
                raise CancelledError("Cancelled by the user.")
    except BaseException as exc:
        finish_job(catalogue, job_id, exc)
        report.seconds = time.monotonic() - started
        if isinstance(exc, CancelledError):
            raise CancelledError(
                f"Annotation cancelled after {done} of {report.total} photos; the suggestions made so far "
                "are saved. Run the same command again to resume."
            ) from None
        raise
    finish_job(catalogue, job_id)
    report.seconds = time.monotonic() - started
    return report


def _batch_pending(batch_ids: Sequence[int]) -> Pending:
    def pending(session: Session, after: int) -> list[int]:
        return queries.batch_records_after(session, batch_ids, after)

    return pending


def _check_threshold(auto_accept: float | None) -> None:
    if auto_accept is not None and not 0.0 < auto_accept <= 1.0:
        raise HeritageTaggerError("The auto-accept threshold must be above 0 and at most 1.")


def import_and_annotate(
    catalogue: Catalogue,
    folder: Path | str,
    manifest: Path | str | None = None,
    *,
    auto_accept: float | None = None,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> tuple[ImportReport, AnnotateReport]:
    """Import ``folder`` and store the active model's proposals for every photo of its batch.

    The annotate job row is opened before the import, keyed by the folder, so running the same
    command after a kill or a cancel (at any point) finishes both: the import resumes its batch and
    the annotation resumes after its cursor, also when every file is now a duplicate. With no
    active model the folder is only imported, the report says ``no_model``, and the job waits:
    the same command run after a model has been trained annotates the batch.
    """
    from heritage_tagger.services.features import feature_pipeline
    from heritage_tagger.services.importing import import_folder
    from heritage_tagger.services.suggesting import active_predictor

    _check_threshold(auto_accept)
    key = str(Path(folder).expanduser().resolve())
    with catalogue.session() as session:
        previous = next(
            (
                j
                for j in job_rows.unfinished(session, ANNOTATE_KIND)
                if load_json(j.params_json).get("folder") == key
            ),
            None,
        )
        batch_ids = [int(b) for b in load_json(previous.params_json).get("batch_ids", [])] if previous else []
        params = {"folder": key, "batch_ids": batch_ids, "auto_accept": auto_accept}
        job = start_job(session, ANNOTATE_KIND, params, resume=previous)
    # each photo is decoded once: the import hands its backbone crops to a thread that computes
    # their features while it goes on, so the annotation below finds them all in the cache
    pipeline = None
    if active_version(catalogue) is not None:
        try:
            pipeline = feature_pipeline(catalogue, active_predictor(catalogue)[0])
        except HeritageTaggerError:  # a model that cannot load: the annotation says so after the import
            pipeline = None
    try:
        imported = import_folder(
            catalogue, folder, manifest, progress=progress, cancel=cancel,
            crop=pipeline.crop if pipeline else None, on_chunk=pipeline.submit if pipeline else None,
        )  # fmt: skip
        if pipeline is not None:
            pipeline.close()
    except BaseException as exc:  # the import saved its own progress; this job resumes with it
        if pipeline is not None:
            pipeline.abort()
        finish_job(catalogue, job.id, exc)
        raise
    if imported.batch_id is not None and imported.batch_id not in batch_ids:
        batch_ids.append(imported.batch_id)
    with catalogue.session() as session:
        job = start_job(
            session, ANNOTATE_KIND, {**params, "batch_ids": batch_ids},
            resume=session.get(Job, job.id), batch_id=imported.batch_id,
        )  # fmt: skip
    report = AnnotateReport(job_id=job.id, batch_ids=batch_ids, resumed=previous is not None)
    if active_version(catalogue) is None:  # kept unfinished: the same command resumes it once a model exists
        finish_job(catalogue, job.id, CancelledError("no model was active"))
        report.no_model = True
        return imported, report
    run_annotation(
        catalogue, job.id, job.cursor, _batch_pending(batch_ids), report,
        stage=STAGE, chunk_size=catalogue.settings.import_.commit_every, auto_accept=auto_accept,
        progress=progress, cancel=cancel,
    )  # fmt: skip
    return imported, _summarise(catalogue, report)


def _summarise(catalogue: Catalogue, report: AnnotateReport) -> AnnotateReport:
    """The batches' outcomes (this run and any before it) and their tag coverage."""
    from heritage_tagger.services.suggesting import active_predictor

    predictor, _ = active_predictor(catalogue)
    with catalogue.session() as session:
        report.outcomes = queries.outcome_counts(session, report.batch_ids)
    report.coverage = tag_coverage(catalogue, predictor, report.batch_ids)
    return report


def annotate_batch(
    catalogue: Catalogue,
    batch_id: int,
    *,
    auto_accept: float | None = None,
    chunk_size: int | None = None,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> AnnotateReport:
    """Store the active model's proposals for every record of an import batch (resuming its job)."""
    _check_threshold(auto_accept)
    require_active(catalogue)
    with catalogue.session() as session:
        if not queries.batch_exists(session, batch_id):
            raise HeritageTaggerError(f"There is no import batch {batch_id}.")
        previous = next(
            (
                j
                for j in job_rows.unfinished(session, ANNOTATE_KIND)
                if batch_id in load_json(j.params_json).get("batch_ids", [])
            ),
            None,
        )
        params: dict[str, Any] = load_json(previous.params_json) if previous else {"batch_ids": [batch_id]}
        params["auto_accept"] = auto_accept
        job = start_job(session, ANNOTATE_KIND, params, resume=previous, batch_id=batch_id)
    batch_ids = [int(b) for b in params["batch_ids"]]
    report = AnnotateReport(job_id=job.id, batch_ids=batch_ids, resumed=job.resumed)
    run_annotation(
        catalogue, job.id, job.cursor, _batch_pending(batch_ids), report, stage=STAGE,
        chunk_size=chunk_size or catalogue.settings.import_.commit_every,
        auto_accept=auto_accept, progress=progress, cancel=cancel,
    )  # fmt: skip
    return _summarise(catalogue, report)

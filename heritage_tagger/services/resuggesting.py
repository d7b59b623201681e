"""Stored suggestions follow the active model: re-suggest after an activation (pending suggestions of other
versions replaced), and suggest for every record not reviewed yet (the whole catalogue's review queue)."""

from __future__ import annotations

from heritage_tagger.db import jobs as job_rows
from heritage_tagger.db import suggestions as queries
from heritage_tagger.db.engine import Session
from heritage_tagger.domain.progress import CancelToken, ProgressCallback, null_progress
from heritage_tagger.services.annotating import AnnotateReport, run_annotation
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.jobs import RUNNING, JobRun, load_json, start_job
from heritage_tagger.services.model_versions import require_active
from heritage_tagger.services.proposals import SOURCE

RESUGGEST_KIND = "resuggest"
STAGE = "re-suggesting"
QUEUE_KIND = "suggest-queue"
QUEUE_STAGE = "suggesting tags for the photos not reviewed yet"


def _start(catalogue: Catalogue, kind: str, version_id: int, version: str) -> JobRun:
    """Resume this version's unfinished job of ``kind``; supersede (cancel) those of other versions."""
    with catalogue.session() as session:
        previous = None
        for j in job_rows.unfinished(session, kind):
            if previous is None and load_json(j.params_json).get("model_version_id") == version_id:
                previous = j
            elif j.status in (RUNNING, job_rows.FAILED):
                job_rows.close_job(j, job_rows.CANCELLED, f"superseded by {version}")
        return start_job(session, kind, {"model_version_id": version_id}, resume=previous)


def resuggest(
    catalogue: Catalogue,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
    *,
    chunk_size: int = 100,
) -> AnnotateReport:
    """Refresh pending suggestions made by another model version with the active one.

    Only records holding a `suggested` tag from another version (or from a model version since
    removed) are visited; their pending suggestions are replaced chunk by chunk (one transaction
    each, resumable through a "resuggest" job); catalogued, accepted and rejected tags stay as they
    are, and a record whose photo cannot be read keeps its old suggestions. An unfinished job for
    another version is superseded (marked cancelled).
    """
    info = require_active(catalogue)
    job = _start(catalogue, RESUGGEST_KIND, info.id, info.version)

    def pending(session: Session, after: int) -> list[int]:
        return queries.stale_records_after(session, info.id, SOURCE, after)

    report = AnnotateReport(job_id=job.id, resumed=job.resumed)
    return run_annotation(
        catalogue, job.id, job.cursor, pending, report, stage=STAGE,
        chunk_size=chunk_size, auto_accept=None, progress=progress, cancel=cancel,
    )  # fmt: skip


def suggest_unreviewed(
    catalogue: Catalogue,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
    *,
    chunk_size: int = 100,
) -> AnnotateReport:
    """Store the active model's proposals for every record not reviewed yet: the whole catalogue's queue.

    Run after a training and after each activation. Records reviewed already (marked, or decided on
    with nothing pending) are left alone, and so are records whose pending suggestions all come
    from the active version; the rest get the active model's proposals through
    ``services.proposals`` (the one writer), chunk by chunk, each chunk committed with the job's
    cursor, so a cancelled or killed job keeps what it did and the next run resumes after it. An
    unfinished job for another model version is superseded.
    """
    info = require_active(catalogue)
    job = _start(catalogue, QUEUE_KIND, info.id, info.version)

    def pending(session: Session, after: int) -> list[int]:
        return queries.unreviewed_records_after(session, info.id, after)

    report = AnnotateReport(job_id=job.id, resumed=job.resumed)
    return run_annotation(
        catalogue, job.id, job.cursor, pending, report, stage=QUEUE_STAGE,
        chunk_size=chunk_size, auto_accept=None, progress=progress, cancel=cancel,
    )  # fmt: skip

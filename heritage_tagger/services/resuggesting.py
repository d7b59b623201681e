"""Re-suggest after an activation: pending suggestions of other model versions replaced by the active one's."""

from __future__ import annotations

from heritage_tagger.db import jobs as job_rows
from heritage_tagger.db import suggestions as queries
from heritage_tagger.db.engine import Session
from heritage_tagger.domain.progress import CancelToken, ProgressCallback, null_progress
from heritage_tagger.services.annotating import AnnotateReport, run_annotation
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.jobs import RUNNING, load_json, start_job
from heritage_tagger.services.model_versions import require_active
from heritage_tagger.services.proposals import SOURCE

RESUGGEST_KIND = "resuggest"
STAGE = "re-suggesting"


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
    with catalogue.session() as session:
        previous = None
        for j in job_rows.unfinished(session, RESUGGEST_KIND):
            if previous is None and load_json(j.params_json).get("model_version_id") == info.id:
                previous = j
            elif j.status in (RUNNING, job_rows.FAILED):
                job_rows.close_job(j, job_rows.CANCELLED, f"superseded by {info.version}")
        job = start_job(session, RESUGGEST_KIND, {"model_version_id": info.id}, resume=previous)

    def pending(session: Session, after: int) -> list[int]:
        return queries.stale_records_after(session, info.id, SOURCE, after)

    report = AnnotateReport(job_id=job.id, resumed=job.resumed)
    return run_annotation(
        catalogue, job.id, job.cursor, pending, report, stage=STAGE,
        chunk_size=chunk_size, auto_accept=None, progress=progress, cancel=cancel,
    )  # fmt: skip

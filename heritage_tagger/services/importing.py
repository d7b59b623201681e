"""Import a folder of photographs: deduplicated by content, committed in chunks, resumable."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from heritage_tagger.db import batches
from heritage_tagger.db import jobs as job_rows
from heritage_tagger.db.batches import ImportBatch, Record
from heritage_tagger.db.engine import Session
from heritage_tagger.db.tables import Job, utcnow
from heritage_tagger.db.tagging import clean_label, get_or_create_tags, set_record_tag
from heritage_tagger.domain.errors import CancelledError, CatalogueBusyError, ImportFileError
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.domain.records import ImportSummary, SkippedFile, TagState
from heritage_tagger.domain.text import display_path
from heritage_tagger.ingest.images import hash_file
from heritage_tagger.ingest.plan import ImportPlan, PlannedFile, find_manifest, plan_import
from heritage_tagger.ingest.prepare import PreparedImage, prepare_image
from heritage_tagger.ingest.thumbnails import thumbnail_path
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.jobs import (
    CANCELLED,
    DONE,
    RUNNING,
    JobRun,
    outcome_of,
    pid_alive,
    save_cursor,
    start_job,
)

if TYPE_CHECKING:
    from heritage_tagger.annotator.features import CropSpec

__all__ = ["ImportReport", "OnChunk", "find_manifest", "import_folder"]

IMPORT_STAGE = "Importing"
JOB_KIND = "import"
UNFINISHED = ("running", "cancelled")
_REPORT_LIMIT = 200  # skipped files kept in the batch row at each checkpoint (all of them at the end)


@dataclass
class ImportReport(ImportSummary):
    """The summary plus the manifest that was used and what a resumed run had already saved."""

    manifest: str | None = None
    manifest_found: bool = False
    total: int = 0  # files considered
    imported_before: int = 0  # of ``imported``: records the interrupted run of a resumed batch had saved
    linked_tags: int = 0  # new tags linked to a concept of the catalogue's vocabularies

    def as_dict(self) -> dict[str, object]:
        data = super().as_dict()
        data.update(
            imported_before=self.imported_before,
            manifest=self.manifest,
            manifest_found=self.manifest_found,
            linked_tags=self.linked_tags,
        )
        return data


OnChunk = Callable[[list[tuple[str, np.ndarray]]], object]  # (sha256, backbone crop) of a chunk's new records


def import_folder(
    catalogue: Catalogue,
    folder: Path | str,
    manifest: Path | str | None = None,
    *,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
    crop: CropSpec | None = None,
    on_chunk: OnChunk | None = None,
) -> ImportReport:
    """Import the images under ``folder`` with the manifest's metadata (``records.csv`` in it by default).

    Bad files are skipped with their reason. Work is committed every
    ``ImportSettings.commit_every`` files; an interrupted or cancelled import of the same
    folder resumes its batch when run again. Raises CancelledError after saving when cancelled.
    With ``crop`` each new image's backbone input is cut out of the picture decoded for the checks
    and the thumbnail, and ``on_chunk`` receives them after each chunk commits (batch annotation
    computes their features meanwhile, see ``annotator.features.FeaturePipeline``).
    """
    catalogue.require_writable()
    plan = plan_import(
        folder,
        manifest,
        exclude=(catalogue.workspace.root,),
        allow_outside=catalogue.settings.import_.allow_outside_folder,
        progress=progress,
        cancel=cancel,
    )
    report = ImportReport(
        manifest=display_path(plan.manifest.path) if plan.manifest else None,
        manifest_found=plan.manifest_found,
        total=len(plan.files),
        warnings=list(plan.warnings),
        skipped=[SkippedFile(path, reason) for path, reason in plan.skipped],
    )
    with catalogue.sessions() as session:
        batch, job = _open_batch(session, plan, report)
        session.commit()
        run = _ImportRun(catalogue, session, plan, batch, job, report, crop, on_chunk)
        try:
            run.run(progress, cancel)
        except CancelledError:
            run.finish("cancelled")
            raise CancelledError(
                f"Import cancelled after {run.processed} of {len(plan.files)} files; "
                f"{report.imported} records are saved. Run the same import again to resume."
            ) from None
        except BaseException as exc:
            session.rollback()
            run.fail(exc)
            raise
        run.finish("done")
    report.linked_tags = link_new_tags(catalogue, progress, cancel)
    return report


def link_new_tags(catalogue: Catalogue, progress: ProgressCallback, cancel: CancelToken | None) -> int:
    """Link the tags still unlinked (those this import added) when the catalogue has a vocabulary."""
    from heritage_tagger.services.tag_links import has_vocabulary, link_tags

    if not has_vocabulary(catalogue):
        return 0
    return link_tags(catalogue, progress=progress, cancel=cancel).linked


def _open_batch(session: Session, plan: ImportPlan, report: ImportReport) -> tuple[ImportBatch, JobRun]:
    """The unfinished batch of this folder (resumed), else a new one; with its job row."""
    manifest = report.manifest
    batch = batches.unfinished_batch(session, str(plan.folder), UNFINISHED)
    if batch is None:
        batch = ImportBatch(folder=str(plan.folder), manifest_path=manifest, status="running")
        session.add(batch)
        session.flush()
    else:
        report.resumed = True
        batch.status = "running"
        batch.manifest_path = manifest
    previous = job_rows.latest_for_batch(session, JOB_KIND, batch.id)
    if (
        previous is not None
        and previous.status == RUNNING
        and previous.pid not in (None, os.getpid())
        and pid_alive(int(previous.pid or 0))
    ):
        raise CatalogueBusyError(
            f"The folder {display_path(plan.folder)} is being imported into this catalogue by another Heritage "
            f"Tagger process (process {previous.pid}): wait for it to finish, then run the same import again to "
            "check that nothing is missing."
        )
    job = start_job(
        session,
        JOB_KIND,
        {"folder": str(plan.folder), "manifest": manifest},
        resume=previous,
        batch_id=batch.id,
    )
    report.batch_id = batch.id
    return batch, job


class _ImportRun:
    """One pass over the plan inside one session, committing every chunk."""

    def __init__(
        self,
        catalogue: Catalogue,
        session: Session,
        plan: ImportPlan,
        batch: ImportBatch,
        job: JobRun,
        report: ImportReport,
        crop: CropSpec | None = None,
        on_chunk: OnChunk | None = None,
    ) -> None:
        self.crop, self.on_chunk = crop, on_chunk
        self.pixels: list[tuple[str, np.ndarray]] = []  # this chunk's backbone crops
        self.catalogue = catalogue
        self.settings = catalogue.settings.import_
        self.session = session
        self.plan = plan
        self.batch = batch
        self.job = job
        self.report = report
        self.processed = 0

    def run(self, progress: ProgressCallback, cancel: CancelToken | None) -> None:
        total = len(self.plan.files)
        chunk = max(1, self.settings.commit_every)
        progress(Progress(IMPORT_STAGE, 0, total, "resuming" if self.report.resumed else ""))
        for start in range(0, total, chunk):
            stop = False
            for planned in self.plan.files[start : start + chunk]:
                self._import_one(planned)
                self.processed += 1
                progress(Progress(IMPORT_STAGE, self.processed, total, planned.shown))
                if cancel is not None and cancel.cancelled:
                    stop = True
                    break
            self._checkpoint(final=False)
            if stop and self.processed < total:
                raise CancelledError("Cancelled by the user.")
            if self.on_chunk is not None and self.pixels:
                self.on_chunk(self.pixels)
            self.pixels = []

    def _import_one(self, planned: PlannedFile) -> None:
        report = self.report
        try:
            sha256 = hash_file(planned.path)
        except ImportFileError as exc:
            report.skipped.append(SkippedFile(planned.shown, str(exc)))
            return
        existing = batches.existing_image(self.session, sha256)
        if existing is not None:
            if existing.batch_id == self.batch.id and existing.source_path == self.catalogue.stored_path(
                planned.path
            ):
                report.imported += 1  # imported by this batch before it was interrupted
                report.imported_before += 1
                report.imported_record_ids.append(existing.id)
            else:
                report.duplicates += 1
            return
        try:
            prepared = prepare_image(
                planned.path,
                sha256,
                planned.row.metadata if planned.row else None,
                max_pixels=self.settings.max_image_pixels,
                thumbnail_size=self.settings.thumbnail_size,
                thumbnail_to=thumbnail_path(self.catalogue.workspace, sha256),
                crop=self.crop,
            )
        except ImportFileError as exc:
            report.skipped.append(SkippedFile(planned.shown, str(exc)))
            return
        record = self._add_record(planned, prepared)
        if prepared.pixels is not None:
            self.pixels.append((sha256, prepared.pixels))
        report.imported += 1
        report.imported_record_ids.append(record.id)
        report.warnings += [f"{planned.shown}: {warning}" for warning in prepared.warnings]

    def _add_record(self, planned: PlannedFile, prepared: PreparedImage) -> Record:
        meta = prepared.metadata
        identifier = self._unique_identifier(prepared.identifier, planned.shown)
        record = Record(
            identifier=identifier,
            title=meta.title,
            description=meta.description,
            location=meta.location,
            date_text=meta.date,
            date_sort=prepared.date_sort,
            creator=meta.creator,
            rights=meta.rights,
            source_path=self.catalogue.stored_path(
                planned.path
            ),  # a team catalogue's: relative to its media root
            sha256=prepared.sha256,
            mime_type=prepared.mime,
            width=prepared.width,
            height=prepared.height,
            batch_id=self.batch.id,
        )
        self.session.add(record)
        self.session.flush()
        if meta.tags:
            tags = get_or_create_tags(self.session, meta.tags)
            for label in meta.tags:
                tag = tags.get(clean_label(label))
                if tag is not None:
                    set_record_tag(self.session, record.id, tag, TagState.CATALOGUED, source=meta.tag_source)
        return record

    def _unique_identifier(self, wanted: str, shown: str) -> str:
        def taken(identifier: str) -> bool:
            return batches.identifier_taken(self.session, identifier)

        if not taken(wanted):
            return wanted
        n = 2
        while taken(f"{wanted}-{n}"):
            n += 1
        chosen = f"{wanted}-{n}"
        self.report.warnings.append(
            f"{shown}: the identifier {wanted!r} is already used by another image; "
            f"this one was catalogued as {chosen!r}"
        )
        return chosen

    def _checkpoint(self, *, final: bool) -> None:
        """Write the batch's counts and the job's cursor, and commit the chunk."""
        report, batch = self.report, self.batch
        batch.n_imported = report.imported
        batch.n_duplicates = report.duplicates
        batch.n_skipped = len(report.skipped)
        skipped = report.skipped if final else report.skipped[:_REPORT_LIMIT]
        warnings = report.warnings if final else report.warnings[:_REPORT_LIMIT]
        batch.report_json = json.dumps(
            {
                "processed": self.processed,
                "total": len(self.plan.files),
                "manifest": report.manifest,
                "skipped": [{"path": s.path, "reason": s.reason} for s in skipped],
                "warnings": warnings,
            },
            ensure_ascii=False,
        )
        save_cursor(self.session, self.job.id, {"processed": self.processed, "total": len(self.plan.files)})
        self.session.commit()

    def finish(self, status: str) -> None:
        """Mark the batch and its job ``done`` or ``cancelled`` and commit."""
        self.batch.status = status
        if status == DONE:
            self.batch.finished_at = utcnow()
        job = self.session.get(Job, self.job.id)
        if job is not None:
            job_rows.close_job(job, status)
        self._checkpoint(final=True)

    def fail(self, exc: BaseException) -> None:
        """After a rollback: leave the batch resumable and record why the job stopped."""
        try:
            status, error = outcome_of(exc)
            if status == CANCELLED:
                self.batch.status = CANCELLED
            job = self.session.get(Job, self.job.id)
            if job is not None:
                job_rows.close_job(job, status, error)
            self.session.commit()
        except Exception:  # noqa: BLE001 - the original error is the one to report
            self.session.rollback()

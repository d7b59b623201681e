"""Batch annotation: import a folder and store the active model's proposals, resumable; review queue; auto-accept."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from heritage_tagger.db.tables import ImportBatch, Job, Record, RecordTag, Tag, utcnow
from heritage_tagger.db.tagging import get_or_create_tags, set_record_tag
from heritage_tagger.domain.errors import CancelledError, HeritageTaggerError
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.domain.records import DecisionAction, TagState
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.model_versions import active_version
from heritage_tagger.services.review import log_decision

ANNOTATE_KIND = "annotate"
RESUGGEST_KIND = "resuggest"
STAGE = "annotating"
RESUGGEST_STAGE = "re-suggesting"
SOURCE = "model"
AUTO_REVIEWER = "auto"
QUEUE_ORDERS = ("least_confident", "most_confident", "identifier")
_REVIEWED = (TagState.CATALOGUED.value, TagState.ACCEPTED.value, TagState.REJECTED.value)
_FAILED_KEPT = 200  # unreadable photos listed in the job's cursor
NO_MODEL = (
    "No model is active for this catalogue, so no suggestions were made. Train one with "
    "`heritage-tagger train` (it needs at least 10 tagged photos), then run the same import "
    "with --annotate again to annotate these photos."
)


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
        }


# ---------------------------------------------------------------- proposals and writing


def propose(
    predictor: Any, features: np.ndarray, record_ids: Sequence[int], carried: dict[int, set[str]]
) -> dict[int, list[tuple[str, float]]]:
    """The model's ``propose_count`` best tags per record, skipping tags the record already carries
    (catalogued, accepted) or had rejected (compared by lemma); batched through the model."""
    model = predictor.model
    labels = model.tag_labels
    lemmas = predictor.manifest.get("tag_lemmas") or [t.lower() for t in labels]
    rows = [model.row_of(r) for r in record_ids]
    self_rows = np.array([-1 if r is None else r for r in rows], dtype=np.int64)
    probs, counts = model.predict(np.asarray(features, dtype=np.float32), self_rows)
    out: dict[int, list[tuple[str, float]]] = {}
    for i, rid in enumerate(record_ids):
        skip = carried.get(int(rid), set())
        chosen: list[tuple[str, float]] = []
        for t in np.argsort(-probs[i], kind="stable"):
            if len(chosen) >= int(counts[i]):
                break
            if lemmas[t] not in skip and labels[t].lower() not in skip:
                chosen.append((labels[t], float(probs[i, t])))
        out[int(rid)] = chosen
    return out


def _carried(session: Session, record_ids: Sequence[int]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    rows = session.execute(
        select(RecordTag.record_id, Tag.label, Tag.lemma)
        .join(Tag, Tag.id == RecordTag.tag_id)
        .where(RecordTag.record_id.in_(list(record_ids)), RecordTag.state.in_(_REVIEWED))
    )
    for rid, label, lemma in rows:
        out.setdefault(rid, set()).update({(lemma or label).lower(), label.lower()})
    return out


def write_proposals(
    session: Session,
    proposals: dict[int, list[tuple[str, float]]],
    version_id: int,
    version: str,
    auto_accept: float | None = None,
) -> tuple[int, int]:
    """Replace the records' pending suggestions with ``proposals`` inside the caller's transaction.

    Scores at or above ``auto_accept`` are stored as accepted and logged as decisions by "auto".
    Catalogued, accepted and rejected tags are never touched. Returns (written, auto-accepted).
    """
    if not proposals:
        return 0, 0
    session.execute(
        delete(RecordTag).where(
            RecordTag.record_id.in_(list(proposals)), RecordTag.state == TagState.SUGGESTED.value
        )
    )
    tags = get_or_create_tags(session, {label for p in proposals.values() for label, _ in p})
    written = accepted = 0
    for rid, proposed in proposals.items():
        for label, score in proposed:
            auto = auto_accept is not None and score >= auto_accept
            state = TagState.ACCEPTED if auto else TagState.SUGGESTED
            set_record_tag(
                session, rid, tags[label], state, score=score, source=SOURCE, model_version_id=version_id
            )
            written += 1
            if auto:
                accepted += 1
                log_decision(
                    session, rid, tags[label].label, DecisionAction.ACCEPT, AUTO_REVIEWER,
                    TagState.SUGGESTED, TagState.ACCEPTED, score, version,
                )  # fmt: skip
    session.flush()
    return written, accepted


def _features(
    predictor: Any,
    catalogue: Catalogue,
    rows: Sequence[Any],
    batch_size: int,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> tuple[np.ndarray, dict[int, str]]:
    """Backbone features of (id, sha256, source_path) rows, cached by SHA-256; unreadable ones listed."""
    from heritage_tagger.vision.feature_store import FeatureStore
    from heritage_tagger.vision.features import ImageItem, extract_features

    backbone = predictor.backbone()
    store = FeatureStore(catalogue.workspace.features, predictor.space_key, backbone.feature_dim)
    items = [ImageItem(r.sha256, r.source_path or "") for r in rows]
    result = extract_features(backbone, items, store, batch_size, progress, cancel)
    return result.features, result.failed


# ---------------------------------------------------------------- the chunked, resumable job


def _load_json(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _run_job(
    catalogue: Catalogue,
    job_id: int,
    pending: Callable[[Session, int], list[int]],
    report: AnnotateReport,
    *,
    stage: str,
    chunk_size: int,
    auto_accept: float | None,
    progress: ProgressCallback,
    cancel: CancelToken | None,
) -> AnnotateReport:
    """Annotate the records ``pending(session, cursor)`` returns, one transaction per chunk.

    Each chunk's suggestions and the job's cursor (last record id done) commit together, so a
    killed job leaves every record with all of its new suggestions or none, and resumes after
    the cursor. Raises CancelledError (after saving) when cancelled.
    """
    import time

    from heritage_tagger.services.suggesting import active_predictor

    started = time.monotonic()
    predictor, info = active_predictor(catalogue)
    report.model_version = info.version
    chunk_size = max(1, chunk_size)
    block_size = max(chunk_size, min(256, 8 * chunk_size))  # images per feature extraction
    batch_size = catalogue.settings.model.batch_size
    with catalogue.session() as session:
        job = session.get(Job, job_id)
        assert job is not None
        cursor = _load_json(job.cursor_json)
        last = int(cursor.get("last_record_id", 0))
        report.done_before = int(cursor.get("done", 0))
        failed_kept = dict(cursor.get("failed", {}))
        report.failed.update({int(k): str(v) for k, v in failed_kept.items()})
        todo = pending(session, last)
    report.total = report.done_before + len(todo)
    progress(Progress(stage, report.done_before, report.total, "resuming" if report.resumed else ""))
    done = shown = report.done_before

    def show(value: int, message: str) -> None:  # monotonic: photos read, then photos saved
        nonlocal shown
        shown = max(shown, value)
        progress(Progress(stage, shown, report.total, message))

    try:
        for start in range(0, len(todo), block_size):
            if cancel is not None:
                cancel.check()
            block = todo[start : start + block_size]
            with catalogue.session() as session:
                rows = session.execute(
                    select(Record.id, Record.sha256, Record.source_path)
                    .where(Record.id.in_(block))
                    .order_by(Record.id)
                ).all()
            features, failed = _features(predictor, catalogue, rows, batch_size, _offset(show, done), cancel)
            for c in range(0, len(rows), chunk_size):
                part = range(c, min(len(rows), c + chunk_size))
                ok = [i for i in part if i not in failed]
                with catalogue.session() as session:
                    ids = [rows[i].id for i in ok]
                    proposals = propose(predictor, features[ok], ids, _carried(session, ids)) if ok else {}
                    written, accepted = write_proposals(
                        session, proposals, info.id, info.version, auto_accept
                    )
                    for i in part:
                        if i in failed:
                            report.failed[rows[i].id] = failed[i]
                            if len(failed_kept) < _FAILED_KEPT:
                                failed_kept[str(rows[i].id)] = failed[i]
                    report.suggestions += written
                    report.auto_accepted += accepted
                    report.annotated += len(part)
                    done += len(part)
                    job = session.get(Job, job_id)
                    assert job is not None
                    job.cursor_json = json.dumps(
                        {"last_record_id": rows[part[-1]].id, "done": done, "failed": failed_kept}
                    )
                    job.updated_at = utcnow()
                show(done, f"{report.suggestions} suggestions")
                if cancel is not None and cancel.cancelled and done < report.total:
                    raise CancelledError("Cancelled by the user.")
    except BaseException as exc:
        cancelled = isinstance(exc, (CancelledError, KeyboardInterrupt))
        _finish(catalogue, job_id, "cancelled" if cancelled else "failed", None if cancelled else exc)
        report.seconds = time.monotonic() - started
        if isinstance(exc, CancelledError):
            raise CancelledError(
                f"Annotation cancelled after {done} of {report.total} photos; the suggestions made so far "
                "are saved. Run the same command again to resume."
            ) from None
        raise
    _finish(catalogue, job_id, "done")
    report.seconds = time.monotonic() - started
    return report


def _offset(show: Callable[[int, str], None], base: int) -> ProgressCallback:
    """Feature-extraction progress shown as photos of the whole job."""

    def report(p: Progress) -> None:
        show(base + p.done, "reading photos")

    return report


def _finish(catalogue: Catalogue, job_id: int, status: str, exc: BaseException | None = None) -> None:
    with catalogue.session() as session:
        job = session.get(Job, job_id)
        if job is not None:
            job.status = status
            job.error = f"{type(exc).__name__}: {exc}" if exc is not None else None
            job.finished_at = utcnow()


def _batch_pending(batch_ids: Sequence[int]) -> Callable[[Session, int], list[int]]:
    def pending(session: Session, after: int) -> list[int]:
        return list(
            session.scalars(
                select(Record.id)
                .where(Record.batch_id.in_(list(batch_ids)), Record.id > after)
                .order_by(Record.id)
            )
        )

    return pending


def _unfinished_jobs(session: Session, kind: str) -> list[Job]:
    return list(
        session.scalars(select(Job).where(Job.kind == kind, Job.status != "done").order_by(Job.id.desc()))
    )


def _start_job(session: Session, job: Job | None, kind: str, params: dict[str, Any]) -> tuple[Job, bool]:
    resumed = job is not None
    if job is None:
        job = Job(kind=kind, cursor_json="{}")
        session.add(job)
    job.status = "running"
    job.pid = os.getpid()
    job.error = None
    job.finished_at = None
    job.params_json = json.dumps(params)
    session.flush()
    return job, resumed


def import_and_annotate(
    catalogue: Catalogue,
    folder: Path | str,
    manifest: Path | str | None = None,
    *,
    auto_accept: float | None = None,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> tuple[Any, AnnotateReport]:
    """Import ``folder`` and store the active model's proposals for every photo of its batch.

    The annotate job row is opened before the import, keyed by the folder, so running the same
    command after a kill or a cancel (at any point) finishes both: the import resumes its batch and
    the annotation resumes after its cursor, also when every file is now a duplicate. With no
    active model the folder is only imported, the report says ``no_model``, and the job waits:
    the same command run after a model has been trained annotates the batch.
    """
    from heritage_tagger.services.importing import import_folder

    if auto_accept is not None and not 0.0 < auto_accept <= 1.0:
        raise HeritageTaggerError("The auto-accept threshold must be above 0 and at most 1.")
    key = str(Path(folder).expanduser().resolve())
    with catalogue.session() as session:
        previous = next(
            (
                j
                for j in _unfinished_jobs(session, ANNOTATE_KIND)
                if _load_json(j.params_json).get("folder") == key
            ),
            None,
        )
        batch_ids = list(_load_json(previous.params_json).get("batch_ids", [])) if previous else []
        job, resumed = _start_job(
            session,
            previous,
            ANNOTATE_KIND,
            {"folder": key, "batch_ids": batch_ids, "auto_accept": auto_accept},
        )
        job_id = job.id
    try:
        imported = import_folder(catalogue, folder, manifest, progress=progress, cancel=cancel)
    except BaseException as exc:  # the import saved its own progress; this job resumes with it
        cancelled = isinstance(exc, (CancelledError, KeyboardInterrupt))
        _finish(catalogue, job_id, "cancelled" if cancelled else "failed", None if cancelled else exc)
        raise
    with catalogue.session() as session:
        row = session.get(Job, job_id)
        assert row is not None
        if imported.batch_id is not None and imported.batch_id not in batch_ids:
            batch_ids.append(imported.batch_id)
        row.batch_id = imported.batch_id
        row.params_json = json.dumps({"folder": key, "batch_ids": batch_ids, "auto_accept": auto_accept})
    report = AnnotateReport(job_id=job_id, batch_ids=batch_ids, resumed=resumed)
    if active_version(catalogue) is None:  # kept unfinished: the same command resumes it once a model exists
        _finish(catalogue, job_id, "cancelled", HeritageTaggerError("no model was active"))
        report.no_model = True
        return imported, report
    chunk = catalogue.settings.import_.commit_every
    _run_job(
        catalogue, job_id, _batch_pending(batch_ids), report,
        stage=STAGE, chunk_size=chunk, auto_accept=auto_accept, progress=progress, cancel=cancel,
    )  # fmt: skip
    return imported, report


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
    from heritage_tagger.services.model_versions import require_active

    require_active(catalogue)
    with catalogue.session() as session:
        if session.get(ImportBatch, batch_id) is None:
            raise HeritageTaggerError(f"There is no import batch {batch_id}.")
        previous = next(
            (
                j
                for j in _unfinished_jobs(session, ANNOTATE_KIND)
                if batch_id in _load_json(j.params_json).get("batch_ids", [])
            ),
            None,
        )
        params: dict[str, Any] = _load_json(previous.params_json) if previous else {"batch_ids": [batch_id]}
        params["auto_accept"] = auto_accept
        job, resumed = _start_job(session, previous, ANNOTATE_KIND, params)
        job.batch_id = batch_id
        job_id, batch_ids = job.id, list(params["batch_ids"])
    report = AnnotateReport(job_id=job_id, batch_ids=batch_ids, resumed=resumed)
    return _run_job(
        catalogue, job_id, _batch_pending(batch_ids), report, stage=STAGE,
        chunk_size=chunk_size or catalogue.settings.import_.commit_every,
        auto_accept=auto_accept, progress=progress, cancel=cancel,
    )  # fmt: skip


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
    are, and a record whose photo cannot be read keeps its old suggestions.
    """
    from heritage_tagger.services.model_versions import require_active

    info = require_active(catalogue)
    with catalogue.session() as session:
        previous = None
        for j in _unfinished_jobs(session, RESUGGEST_KIND):
            if previous is None and _load_json(j.params_json).get("model_version_id") == info.id:
                previous = j
            elif j.status == "running" or j.status == "failed":
                j.status, j.error, j.finished_at = "cancelled", f"superseded by {info.version}", utcnow()
        job, resumed = _start_job(session, previous, RESUGGEST_KIND, {"model_version_id": info.id})
        job_id = job.id

    def pending(session: Session, after: int) -> list[int]:
        stale = or_(
            RecordTag.model_version_id != info.id,
            (RecordTag.model_version_id.is_(None)) & (RecordTag.source == SOURCE),
        )
        return list(
            session.scalars(
                select(RecordTag.record_id)
                .where(RecordTag.state == TagState.SUGGESTED.value, stale, RecordTag.record_id > after)
                .group_by(RecordTag.record_id)
                .order_by(RecordTag.record_id)
            )
        )

    report = AnnotateReport(job_id=job_id, resumed=resumed)
    return _run_job(
        catalogue, job_id, pending, report, stage=RESUGGEST_STAGE,
        chunk_size=chunk_size, auto_accept=None, progress=progress, cancel=cancel,
    )  # fmt: skip


# ---------------------------------------------------------------- review queue and auto-accept


def review_queue(catalogue: Catalogue, batch_id: int, order: str = "least_confident") -> list[int]:
    """Record ids of a batch in review order.

    ``least_confident``: by the highest pending suggestion score, lowest first; ``most_confident``
    the reverse; ``identifier``: by identifier. Records without a pending suggestion come last
    (nothing left to review), by identifier.
    """
    if order not in QUEUE_ORDERS:
        raise HeritageTaggerError(f"Unknown review order {order!r}; choose one of {', '.join(QUEUE_ORDERS)}.")
    with catalogue.session() as session:
        best = (
            select(RecordTag.record_id, func.max(RecordTag.score).label("best"))
            .where(RecordTag.state == TagState.SUGGESTED.value)
            .group_by(RecordTag.record_id)
            .subquery()
        )
        rows = session.execute(
            select(Record.id, Record.identifier, best.c.best)
            .outerjoin(best, best.c.record_id == Record.id)
            .where(Record.batch_id == batch_id)
        ).all()
    pending = [r for r in rows if r.best is not None]
    rest = sorted((r for r in rows if r.best is None), key=lambda r: r.identifier)
    if order == "identifier":
        return [r.id for r in sorted(rows, key=lambda r: r.identifier)]
    sign = 1.0 if order == "least_confident" else -1.0
    pending.sort(key=lambda r: (sign * float(r.best or 0.0), r.identifier))
    return [r.id for r in pending + rest]


def auto_accept(catalogue: Catalogue, batch_id: int, threshold: float) -> int:
    """Accept the batch's pending model suggestions scored at or above ``threshold`` (reviewer "auto").

    One transaction; each acceptance is logged through services.review.log_decision.
    """
    if not 0.0 < threshold <= 1.0:
        raise HeritageTaggerError("The auto-accept threshold must be above 0 and at most 1.")
    from heritage_tagger.db.tables import ModelVersion

    with catalogue.session() as session:
        rows = session.execute(
            select(RecordTag, Tag.label, ModelVersion.version)
            .join(Tag, Tag.id == RecordTag.tag_id)
            .join(Record, Record.id == RecordTag.record_id)
            .outerjoin(ModelVersion, ModelVersion.id == RecordTag.model_version_id)
            .where(
                Record.batch_id == batch_id,
                RecordTag.state == TagState.SUGGESTED.value,
                RecordTag.score >= threshold,
            )
        ).all()
        for tag_row, label, version in rows:
            tag_row.state = TagState.ACCEPTED.value
            tag_row.updated_at = utcnow()
            log_decision(
                session, tag_row.record_id, label, DecisionAction.ACCEPT, AUTO_REVIEWER,
                TagState.SUGGESTED, TagState.ACCEPTED, tag_row.score, version,
            )  # fmt: skip
        return len(rows)

"""Rows of the ``jobs`` table: open (or resume) a job, save its cursor, close it, find unfinished ones."""

from __future__ import annotations

import json
import os
import socket
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from heritage_tagger.db.tables import Job, utcnow

RUNNING, DONE, FAILED, CANCELLED = "running", "done", "failed", "cancelled"


def load_json(text: str | None) -> dict[str, Any]:
    """A job's params or cursor as a dict ({} when empty or not a JSON object)."""
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def unfinished(session: Session, kind: str) -> list[Job]:
    """Jobs of ``kind`` that are not done, newest first (running, failed or cancelled: resumable)."""
    return list(
        session.scalars(select(Job).where(Job.kind == kind, Job.status != DONE).order_by(Job.id.desc()))
    )


def latest_for_batch(session: Session, kind: str, batch_id: int) -> Job | None:
    return session.scalar(
        select(Job).where(Job.batch_id == batch_id, Job.kind == kind).order_by(Job.id.desc())
    )


def running(session: Session, kinds: tuple[str, ...] | None = None) -> list[Job]:
    stmt = select(Job).where(Job.status == RUNNING)
    if kinds is not None:
        stmt = stmt.where(Job.kind.in_(kinds))
    return list(session.scalars(stmt.order_by(Job.id)))


def done_jobs(session: Session, kind: str, job_id: int | None = None) -> list[Job]:
    """Finished jobs of ``kind`` (only ``job_id`` when given), newest first."""
    stmt = select(Job).where(Job.kind == kind, Job.status == DONE)
    if job_id is not None:
        stmt = stmt.where(Job.id == job_id)
    return list(session.scalars(stmt.order_by(Job.id.desc())))


def get_job(session: Session, job_id: int) -> Job | None:
    return session.get(Job, job_id)


def open_job(
    session: Session,
    kind: str,
    params: dict[str, Any],
    *,
    job: Job | None = None,
    batch_id: int | None = None,
) -> Job:
    """Start ``job`` again (resume) or a new one of ``kind``, running in this process; flushed, not committed."""
    if job is None:
        job = Job(kind=kind, cursor_json="{}")
        session.add(job)
    job.status = RUNNING
    job.pid = os.getpid()
    job.host = socket.gethostname()
    job.error = None
    job.finished_at = None
    job.params_json = json.dumps(params)
    if batch_id is not None:
        job.batch_id = batch_id
    job.updated_at = utcnow()
    session.flush()
    return job


def set_cursor(job: Job, cursor: dict[str, Any]) -> None:
    job.cursor_json = json.dumps(cursor, ensure_ascii=False)
    job.updated_at = utcnow()


def close_job(job: Job, status: str, error: str | None = None, cursor: dict[str, Any] | None = None) -> None:
    """Mark ``job`` finished with ``status`` (done, failed or cancelled)."""
    job.status = status
    job.error = error
    job.finished_at = utcnow()
    if cursor is not None:
        set_cursor(job, cursor)

"""The job-row lifecycle, once: start or resume a job, save its cursor, finish it, recover jobs whose process died.

Every long job (import, annotate, re-suggest, train, retrain) keeps one row in ``jobs`` that says
what it is doing (``params``), how far it got (``cursor``, committed with the work it describes, so
a killed job resumes after it) and how it ended. A job left ``running`` by a process that no longer
exists is marked failed ("interrupted") the next time the catalogue is opened for writing.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from heritage_tagger.db import jobs as rows
from heritage_tagger.db.engine import Session
from heritage_tagger.db.jobs import CANCELLED, DONE, FAILED, RUNNING, load_json
from heritage_tagger.db.tables import Job
from heritage_tagger.domain.errors import CancelledError
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.locks import pid_alive

__all__ = [
    "CANCELLED",
    "DONE",
    "FAILED",
    "RUNNING",
    "JobRun",
    "finish_job",
    "load_json",
    "outcome_of",
    "pid_alive",
    "recover_stale_jobs",
    "run_job",
    "start_job",
]

INTERRUPTED = "interrupted (the process ended)"


def outcome_of(exc: BaseException | None) -> tuple[str, str | None]:
    """(status, error) of a job that ended with ``exc`` (None: it finished)."""
    if exc is None:
        return DONE, None
    if isinstance(exc, (CancelledError, KeyboardInterrupt)):
        return CANCELLED, None
    return FAILED, f"{type(exc).__name__}: {exc}"


@dataclass
class JobRun:
    """A started job: its row id, whether it resumed an unfinished one, and the cursor it had saved."""

    id: int
    kind: str
    params: dict[str, Any]
    resumed: bool = False
    cursor: dict[str, Any] = field(default_factory=dict)
    final_cursor: dict[str, Any] | None = None  # written when the job finishes


def start_job(
    session: Session,
    kind: str,
    params: dict[str, Any],
    *,
    resume: Job | None = None,
    batch_id: int | None = None,
) -> JobRun:
    """Open the row inside the caller's transaction (``resume``: an unfinished job of the same kind)."""
    cursor = load_json(resume.cursor_json) if resume is not None else {}
    job = rows.open_job(session, kind, params, job=resume, batch_id=batch_id)
    return JobRun(job.id, kind, params, resumed=resume is not None, cursor=cursor)


def save_cursor(session: Session, job_id: int, cursor: dict[str, Any]) -> None:
    """Store how far the job got, inside the transaction that commits the work it describes."""
    job = session.get(Job, job_id)
    if job is not None:
        rows.set_cursor(job, cursor)


def finish_job(
    catalogue: Catalogue, job_id: int, exc: BaseException | None = None, cursor: dict[str, Any] | None = None
) -> None:
    """Close the row in its own transaction: done, cancelled, or failed with the error's text."""
    status, error = outcome_of(exc)
    with catalogue.session() as session:
        job = session.get(Job, job_id)
        if job is not None:
            rows.close_job(job, status, error, cursor)


@contextmanager
def run_job(
    catalogue: Catalogue,
    kind: str,
    params: dict[str, Any],
    *,
    resume: Job | None = None,
    batch_id: int | None = None,
) -> Iterator[JobRun]:
    """A job row for the ``with`` block: started (committed) on entry, finished by how the block ends."""
    with catalogue.session() as session:
        run = start_job(session, kind, params, resume=resume, batch_id=batch_id)
    try:
        yield run
    except BaseException as exc:
        finish_job(catalogue, run.id, exc)
        raise
    finish_job(catalogue, run.id, None, run.final_cursor)


def recover_stale_jobs(catalogue: Catalogue, kinds: tuple[str, ...] | None = None) -> int:
    """Mark jobs left ``running`` by a process that no longer exists as failed ("interrupted").

    They stay resumable: import, annotate and re-suggest pick up unfinished jobs by their cursor.
    A job of another computer (a teammate's, on a team catalogue) is left alone: its process
    cannot be seen from here. Returns how many were recovered.
    """
    me, here = os.getpid(), socket.gethostname()
    n = 0
    with catalogue.session() as session:
        for job in rows.running(session, kinds):
            if job.host not in (None, here):
                continue
            if job.pid != me and not pid_alive(int(job.pid or 0)):
                rows.close_job(job, FAILED, INTERRUPTED)
                n += 1
    return n

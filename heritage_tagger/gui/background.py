"""Long jobs in the background: any controller submits one, the jobs panel shows it, the window stays usable.

A job is a :class:`JobSpec`: a title, the work and what to do with its result. The work is either
a function called on a worker thread with ``progress=`` and ``cancel=`` (imports, exports, an
activation) or a :class:`ProcessJob`, a module-level job run in a worker process
(``services.worker_process``: training, retraining, the review queue's suggestions) so that no
model work ever holds the window's interpreter. :class:`BackgroundJobs` runs them and keeps a
:class:`Job` for each, whose ``changed`` signal the panel (``gui/jobs_panel.py``) follows: plain
words, one monotone bar, a steady time estimate, Cancel.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Signal

from heritage_tagger.domain.errors import CancelledError
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback
from heritage_tagger.gui.controller import CatalogueHolder
from heritage_tagger.gui.workers import JobFunction, TaskRunner, describe_error
from heritage_tagger.services.job_progress import TimeEstimate, describe_seconds

T = TypeVar("T")

RUNNING, CANCELLING, DONE, FAILED, CANCELLED = "running", "cancelling", "done", "failed", "cancelled"


@dataclass(frozen=True)
class ProcessJob:
    """A job run in a worker process: ``target`` is ``"module:function"`` (see ``services.model_jobs``)."""

    target: str
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass
class JobSpec(Generic[T]):
    """What a controller asks for: ``on_done(result)`` or ``on_error(words)`` run on the GUI thread."""

    title: str  # "Training the model"
    work: JobFunction[T] | ProcessJob
    on_done: Callable[[T], object]
    on_error: Callable[[str], object] | None = None  # "Cancelled." after a Cancel
    kind: str = ""  # one job of a kind at a time ("train", "suggest-queue"); "" for no limit
    kept_on_cancel: str = ""  # what a Cancel keeps, in words, said when it is pressed
    done_text: Callable[[T], str] | None = None  # what the panel says when it finished
    plain_progress: bool = False  # the work reports through services.job_progress (a ProcessJob always does)
    pool: str = "jobs"  # the runner's pool ("write": after, and before, the review decisions; a batch edit)


class Job(QObject):
    """One submitted job as the panel sees it."""

    changed = Signal()
    finished = Signal(bool)  # True: done

    def __init__(self, spec: JobSpec[Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.title = spec.title
        self.state = RUNNING
        self.headline = spec.title + "…"
        self.detail = self.tr("starting")
        self.fraction = 0.0
        self.indeterminate = True
        self.outcome = ""  # the last words once it ended
        self.token = CancelToken()
        self._started = time.monotonic()
        self._estimate = TimeEstimate()
        self._stage = ""
        self.plain = spec.plain_progress or isinstance(spec.work, ProcessJob)

    @property
    def active(self) -> bool:
        return self.state in (RUNNING, CANCELLING)

    @property
    def time_left(self) -> str:
        if not self.active or self.indeterminate:
            return ""
        return describe_seconds(self._estimate.update(time.monotonic() - self._started, self.fraction))

    def cancel(self) -> None:
        if self.state != RUNNING:
            return
        self.token.cancel()
        self.state = CANCELLING
        self.detail = self.tr("cancelling: finishing the current step") + (
            f". {self.spec.kept_on_cancel}" if self.spec.kept_on_cancel else ""
        )
        self.changed.emit()

    def progress(self, p: Progress) -> None:
        if not self.active:
            return
        if self.plain:  # one bar over the whole job, in words (services.job_progress)
            self.headline, self.detail = p.stage, p.message
        else:  # a single stage counting items: "Importing", 12 of 91
            self.headline = p.stage
            count = (
                self.tr("{done} of {total}").format(done=f"{p.done:,}", total=f"{p.total:,}")
                if p.total
                else f"{p.done:,}"
            )
            self.detail = count + (f" · {p.message}" if p.message else "")
            if p.stage != self._stage:  # a new stage of a job without a plan: its own bar
                self._stage, self.fraction = p.stage, 0.0
        if p.total:
            self.indeterminate = False
            self.fraction = max(self.fraction, min(1.0, p.done / p.total))
        if self.state == CANCELLING:
            self.detail = self.tr("cancelling: finishing the current step")
        self.changed.emit()

    def end(self, state: str, words: str) -> None:
        self.state, self.outcome = state, words
        if state == DONE:
            self.fraction, self.indeterminate = 1.0, False
        self.changed.emit()
        self.finished.emit(state == DONE)


class BackgroundJobs(QObject):
    """Runs submitted jobs on the runner's "jobs" pool (or the spec's ``pool``); ``added`` for each new one."""

    added = Signal(object)  # Job

    def __init__(self, runner: TaskRunner, holder: CatalogueHolder, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner, self.holder = runner, holder
        self.jobs: list[Job] = []

    def running(self, kind: str | None = None) -> list[Job]:
        return [j for j in self.jobs if j.active and (kind is None or j.spec.kind == kind)]

    def submit(self, spec: JobSpec[T]) -> Job | None:
        """Start ``spec``; None (and nothing started) when a job of its kind runs already or no catalogue is open."""
        catalogue = self.holder.catalogue
        if catalogue is None or (spec.kind and self.running(spec.kind)):
            return None
        job = Job(spec, self)
        self.jobs.append(job)
        work = spec.work
        if isinstance(work, ProcessJob):
            target, kwargs = work.target, dict(work.kwargs)

            def in_process(*, progress: ProgressCallback, cancel: CancelToken) -> Any:
                from heritage_tagger.services.worker_process import run_in_process

                return run_in_process(catalogue, target, kwargs, progress=progress, cancel=cancel)

            fn: JobFunction[Any] = in_process
        else:
            fn = work

        def done(result: Any) -> None:
            words = (
                spec.done_text(result)
                if spec.done_text is not None
                else QCoreApplication.translate("BackgroundJobs", "Finished.")
            )
            job.end(DONE, words)
            spec.on_done(result)

        def failed(exc: BaseException) -> None:
            cancelled = isinstance(exc, CancelledError)
            words = (
                QCoreApplication.translate("BackgroundJobs", "Cancelled.")
                if cancelled
                else describe_error(exc)
            )
            if cancelled and spec.kept_on_cancel:
                words += " " + spec.kept_on_cancel
            job.end(CANCELLED if cancelled else FAILED, words)
            if spec.on_error is not None:
                spec.on_error(
                    QCoreApplication.translate("BackgroundJobs", "Cancelled.")
                    if cancelled
                    else describe_error(exc)
                )

        self.runner.run(fn, done, failed, pool=spec.pool, on_progress=job.progress, cancel=job.token)
        self.added.emit(job)
        return job

    def cancel_all(self) -> None:
        for job in self.running():
            job.cancel()

    def forget_finished(self) -> None:
        self.jobs = [j for j in self.jobs if j.active]

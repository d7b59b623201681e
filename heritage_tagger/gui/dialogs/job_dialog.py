"""A long job in a worker with a progress dialog and a Cancel button that really cancels."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TypeVar

from PySide6.QtCore import QElapsedTimer, Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from heritage_tagger.domain.errors import CancelledError
from heritage_tagger.domain.progress import CancelToken, Progress
from heritage_tagger.gui.workers import JobFunction, TaskRunner, describe_error

T = TypeVar("T")


class JobDialog(QProgressDialog):
    """Runs ``fn(progress=, cancel=)`` on the heavy pool; shows after one second; calls back on the GUI thread."""

    def __init__(
        self,
        parent: QWidget,
        runner: TaskRunner,
        title: str,
        fn: JobFunction[T],
        on_done: Callable[[T], None],
        on_error: Callable[[str], None],
    ) -> None:
        super().__init__(title + "…", "Cancel", 0, 0, parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumDuration(1000)
        self.setMinimumWidth(420)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.token = CancelToken()
        self.canceled.connect(self._cancel)
        self._on_error = on_error
        self.finished_ok: bool | None = None
        self._clock = QElapsedTimer()
        self._clock.start()
        runner.run(
            fn, partial(self._done, on_done), self._failed, pool="heavy", on_progress=self._progress,
            cancel=self.token,
        )  # fmt: skip

    def _cancel(self) -> None:
        self.token.cancel()
        self.setLabelText("Cancelling: finishing the current step…")

    def _progress(self, p: Progress) -> None:
        if self.token.cancelled:
            return
        if p.total:
            self.setMaximum(p.total)
            self.setValue(min(p.done, p.total))
        else:
            self.setMaximum(0)
        secs = self._clock.elapsed() / 1000
        rate = ""
        if p.total and p.done and secs > 1:
            left = (p.total - p.done) * secs / p.done
            rate = f"  ·  {p.done / secs:.1f}/s, about {left:.0f} s left"
        self.setLabelText(f"{p.stage}: {p.done}/{p.total or '?'}{rate}\n{p.message[:80]}")

    def _done(self, on_done: Callable[[T], None], result: T) -> None:
        self.finished_ok = True
        self.reset()
        self.hide()
        on_done(result)
        self.deleteLater()

    def _failed(self, exc: BaseException) -> None:
        self.finished_ok = False
        self.reset()
        self.hide()
        self._on_error("Cancelled." if isinstance(exc, CancelledError) else describe_error(exc))
        self.deleteLater()

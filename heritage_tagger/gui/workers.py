"""Background work in Picard's run_task style: QRunnables on thread pools, results back as signals."""

from __future__ import annotations

import itertools
import logging
import traceback
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from heritage_tagger.domain.errors import CancelledError, HeritageTaggerError
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback

log = logging.getLogger(__name__)

#: pool name -> threads: "read" for queries, "write" serialises catalogue writes,
#: "images" decodes pictures, "heavy" runs the model for the suggestion panel, "jobs" runs the
#: background jobs of gui/background.py (imports, exports, and the threads that wait for the
#: worker processes of training and retraining), so that none of them delays the panel, and
#: "count" counts the records a filter matches (which may scan an index of a million rows)
#: without delaying the pages queued behind it.
POOLS = {"read": 2, "write": 1, "images": 2, "heavy": 1, "jobs": 4, "count": 1}

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)
Done = Callable[[Any], object]  # called with what the task returned
Failed = Callable[[BaseException], None]


class JobFunction(Protocol[T_co]):
    """A long job (gui/background.py): called on a worker thread with ``progress=`` and ``cancel=``."""

    def __call__(self, *, progress: ProgressCallback, cancel: CancelToken) -> T_co: ...


def describe_error(exc: BaseException) -> str:
    """A message for the librarian: ours as they are, anything else in one line (traceback to the log)."""
    if isinstance(exc, HeritageTaggerError):
        return str(exc)
    from heritage_tagger.services.catalogue import librarian_message  # the CLI's words (db/errors.py)

    message = librarian_message(exc)
    if message is not None:
        return message
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc} ({exc.filename})" if exc.filename else str(exc)
    return QCoreApplication.translate("Errors", "Unexpected error: {kind}: {error}").format(
        kind=type(exc).__name__, error=exc
    )


class _Signals(QObject):
    """Lives in the GUI thread; workers emit, the runner's slots run queued on the GUI thread."""

    done = Signal(int, object)
    failed = Signal(int, object)
    progress = Signal(int, object)


class _Task(QRunnable):
    def __init__(self, task_id: int, fn: Callable[..., Any], signals: _Signals, with_progress: bool,
                 cancel: CancelToken | None) -> None:  # fmt: skip
        super().__init__()
        self.task_id, self.fn, self.signals = task_id, fn, signals
        self.with_progress, self.cancel = with_progress, cancel
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            if self.with_progress:
                result = self.fn(
                    progress=lambda p: self.signals.progress.emit(self.task_id, p), cancel=self.cancel
                )
            else:
                result = self.fn()
        except BaseException as exc:  # noqa: BLE001 - reported to the GUI thread, never raised in a worker
            if not isinstance(exc, HeritageTaggerError):
                log.error("background task failed:\n%s", traceback.format_exc())
            self.signals.failed.emit(self.task_id, exc)
        else:
            self.signals.done.emit(self.task_id, result)


class TaskRunner(QObject):
    """Runs callables off the GUI thread; ``on_done`` / ``on_error`` / ``on_progress`` run on the GUI thread."""

    error = Signal(str)  # unhandled task errors, for the status bar
    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pools: dict[str, QThreadPool] = {}
        for name, threads in POOLS.items():
            pool = QThreadPool(self)
            pool.setMaxThreadCount(threads)
            self.pools[name] = pool
        self._signals = _Signals(self)
        self._signals.done.connect(self._on_done)
        self._signals.failed.connect(self._on_failed)
        self._signals.progress.connect(self._on_progress)
        self._ids = itertools.count(1)
        self._callbacks: dict[int, tuple[Done | None, Failed | None, Callable[[Progress], None] | None]] = {}
        self._tokens: dict[int, CancelToken] = {}  # the cancel tokens of the long tasks still running

    def run(
        self,
        fn: Callable[..., T],
        on_done: Callable[[T], object] | None = None,
        on_error: Failed | None = None,
        *,
        pool: str = "read",
        on_progress: Callable[[Progress], None] | None = None,
        cancel: CancelToken | None = None,
    ) -> int:
        """Start ``fn()`` (or ``fn(progress=, cancel=)`` when ``on_progress`` is given) on ``pool``."""
        task_id = next(self._ids)
        self._callbacks[task_id] = (on_done, on_error, on_progress)
        if cancel is not None:
            self._tokens[task_id] = cancel
        task = _Task(task_id, fn, self._signals, on_progress is not None, cancel)
        self.pools[pool].start(task)
        return task_id

    @property
    def pending(self) -> int:
        return len(self._callbacks)

    def _finish(self, task_id: int) -> tuple[Done | None, Failed | None, Callable[[Progress], None] | None]:
        callbacks = self._callbacks.pop(task_id, (None, None, None))
        self._tokens.pop(task_id, None)
        if not self._callbacks:
            QTimer.singleShot(0, self, self._maybe_idle)  # cancelled with the runner (a closed window)
        return callbacks

    def _maybe_idle(self) -> None:
        if not self._callbacks:
            self.idle.emit()

    @Slot(int, object)
    def _on_done(self, task_id: int, result: object) -> None:
        on_done, _, _ = self._finish(task_id)
        if on_done is not None:
            on_done(result)

    @Slot(int, object)
    def _on_failed(self, task_id: int, exc: object) -> None:
        _, on_error, _ = self._finish(task_id)
        assert isinstance(exc, BaseException)
        if on_error is not None:
            on_error(exc)
        elif not isinstance(exc, CancelledError):
            self.error.emit(describe_error(exc))

    @Slot(int, object)
    def _on_progress(self, task_id: int, progress: object) -> None:
        callbacks = self._callbacks.get(task_id)
        if callbacks and callbacks[2] is not None:
            assert isinstance(progress, Progress)  # what _Task emits
            callbacks[2](progress)

    def wait_idle(self, timeout_ms: int = 30_000) -> bool:
        """Run the event loop until no task is pending (screenshots, benchmarks); False on timeout."""
        if not self._callbacks:
            return True
        loop = QEventLoop()
        self.idle.connect(loop.quit)
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()
        self.idle.disconnect(loop.quit)
        return not self._callbacks

    def shutdown(self, timeout_ms: int = 3000) -> None:
        """Cancel the long tasks still running, drop the queued ones, wait a little for the rest."""
        for token in self._tokens.values():
            token.cancel()
        for pool in self.pools.values():
            pool.clear()
        for pool in self.pools.values():
            pool.waitForDone(timeout_ms)
        self._callbacks.clear()
        self._tokens.clear()

"""Progress reporting and cooperative cancellation for long jobs (no threads here)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from heritage_tagger.domain.errors import CancelledError


@dataclass(frozen=True)
class Progress:
    """One progress report: which stage, how far, and a short message."""

    stage: str
    done: int
    total: int | None = None
    message: str = ""

    @property
    def fraction(self) -> float | None:
        if not self.total:
            return None
        return min(1.0, self.done / self.total)


ProgressCallback = Callable[[Progress], None]


def null_progress(_: Progress) -> None:
    """A progress callback that ignores every report."""


class CancelToken:
    """A thread-safe flag a long job checks between steps; `check()` raises when set."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise CancelledError("Cancelled by the user.")

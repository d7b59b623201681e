"""Render the main window with a photo selected and its suggestions shown, then save it (--screenshot)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from heritage_tagger.gui.main_window import MainWindow


def wait_until(predicate: Callable[[], bool], timeout_s: float) -> bool:
    """Run the event loop until ``predicate()`` holds (checked every 20 ms) or the time is up."""
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            return False
        loop = QEventLoop()
        QTimer.singleShot(20, loop.quit)
        loop.exec()
    return True


def settled(window: MainWindow) -> bool:
    return window.runner.pending == 0 and not window.thumbnails.busy and not window.model.loading


def take_screenshot(
    window: MainWindow, out: Path, select: int | None = None, timeout_s: float = 120.0
) -> int:
    """Wait for the catalogue, the selection, the picture and the suggestions; save ``out``; 0 on success."""
    if not wait_until(lambda: window.catalogue is not None and not window.model.loading, timeout_s):
        print("heritage-tagger: the catalogue did not open in time.")
        return 1
    if select is not None:
        while window.model.row_for_record(select) is None and window.model.canFetchMore():
            window.model.fetchMore()
            wait_until(lambda: not window.model.fetching, timeout_s)
        window.browse.open_record(select)
    wait_until(lambda: window.current_id is not None, timeout_s)
    ok = wait_until(lambda: settled(window), timeout_s)
    wait_until(lambda: False, 0.3)  # let the last repaints land
    QApplication.processEvents()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(out)):
        print(f"heritage-tagger: cannot write {out}.")
        return 1
    if not ok:
        print("heritage-tagger: saved, but some background work had not finished in time.")
    return 0

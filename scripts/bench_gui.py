"""GUI benchmark on a synthetic catalogue: time to first window, grid scroll, longest event-loop stall.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/bench_gui.py --records 100000 [--catalogue PATH]

The catalogue is generated (with ``--images`` small pictures) when it does not exist yet. A 5 ms
QTimer heartbeat measures every gap of the GUI thread's event loop while the grid is scrolled from
top to bottom and while twenty photos are reviewed with the keyboard (A accept, J next, Ctrl+Z).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
from pathlib import Path

T0 = time.perf_counter()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class Heartbeat:
    """Records the gaps between ticks of a 5 ms timer on the GUI thread, in wall time and in the GUI
    thread's own CPU time (``max_busy_ms``: the longest the thread itself worked between two ticks,
    which other programs on a loaded machine do not lengthen; the wall-clock gap includes the time
    the thread waited for a core or for the interpreter lock)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer(interval=5)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self.busy: list[float] = []
        self._last = time.perf_counter()
        self._last_cpu = time.thread_time()

    def start(self) -> None:
        self.gaps.clear()
        self.busy.clear()
        self._last = time.perf_counter()
        self._last_cpu = time.thread_time()
        self.timer.start()

    def stop(self) -> dict[str, float]:
        self.timer.stop()
        self._tick()
        gaps = sorted(self.gaps) or [0.0]
        busy = sorted(self.busy) or [0.0]
        return {
            "max_stall_ms": round(gaps[-1] * 1000, 1),
            "p99_gap_ms": round(gaps[int(0.99 * (len(gaps) - 1))] * 1000, 1),
            "stalls_over_100ms": sum(g > 0.1 for g in gaps),
            "max_busy_ms": round(busy[-1] * 1000, 1),
            "p99_busy_ms": round(busy[int(0.99 * (len(busy) - 1))] * 1000, 1),
            "ticks": len(gaps),
        }

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        self.gaps.append(now - self._last)
        self.busy.append(cpu - self._last_cpu)
        self._last, self._last_cpu = now, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--images", type=int, default=2000)
    parser.add_argument("--catalogue", type=Path)
    parser.add_argument("--review", type=int, default=20, help="photos reviewed with the keyboard")
    parser.add_argument(
        "--scroll-limit", type=float, default=240, help="give up scrolling after this many seconds"
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--first-suggestion",
        action="store_true",
        help="after the first page, wait for the first photo's suggestions (a catalogue with a model)",
    )
    parser.add_argument("--no-scroll", action="store_true", help="skip scrolling the grid")
    parser.add_argument(
        "--state",
        default="pending",
        help="which photos to review: pending (stored suggestions) or all (live model)",
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-gui-"))
    path = args.catalogue or workdir / f"synth{args.records}.sqlite"
    generated = not path.exists()
    if generated:  # otherwise nothing of the app is imported before the clock for the first window starts
        from heritage_tagger.services.catalogue import open_catalogue
        from heritage_tagger.services.synthetic import generate

        start = time.perf_counter()
        with open_catalogue(path) as cat:
            generate(cat, args.records, images=args.images, seed=0)
        print(
            f"generated {args.records} records ({args.images} with images) in {time.perf_counter() - start:.1f} s"
        )

    t_start = time.perf_counter()
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from heritage_tagger.gui.app import application
    from heritage_tagger.gui.main_window import MainWindow
    from heritage_tagger.gui.preferences import app_settings
    from heritage_tagger.gui.screenshot import wait_until
    from heritage_tagger.services.browse import RecordState

    app = application()
    window = MainWindow(app_settings(workdir / "prefs.ini"))
    gc.freeze()  # as run_gui does
    window.show()
    app.processEvents()  # the first paint of the (still empty) window
    t_visible = time.perf_counter()
    beat = Heartbeat()
    beat.start()
    window.open_path(path)
    wait_until(lambda: window.model.rowCount() > 0, 60)
    t_rows = time.perf_counter()
    wait_until(lambda: window.details is not None, 60)
    t_details = time.perf_counter()
    wait_until(lambda: window.model._count is not None, 60)  # the count arrives after the first page
    t_counted = time.perf_counter()
    t_suggestion = None
    if args.first_suggestion:  # the first photo's suggestions, the model loading meanwhile (issue 15)
        wait_until(lambda: window.model_info is not None, 30)
        if window.model_info is not None:
            wait_until(lambda: window.panel.data is not None, 120)
            t_suggestion = time.perf_counter()
    opening = beat.stop()
    figures: dict[str, object] = {
        "catalogue": str(path),
        "records": window.model.total,
        "window_visible_s": round(t_visible - t_start, 3),
        "first_page_s": round(t_rows - t_start, 3),
        "first_photo_details_s": round(t_details - t_start, 3),
        "counted_s": round(t_counted - t_start, 3),
        "process_start_to_window_visible_s": None if generated else round(t_visible - T0, 3),
        "process_start_to_first_page_s": None if generated else round(t_rows - T0, 3),
        "process_start_to_first_suggestion_s": None
        if generated or t_suggestion is None
        else round(t_suggestion - T0, 3),
        "load_average": os.getloadavg(),
        "opening": opening,
    }

    grid = window.browser.grid
    bar = grid.verticalScrollBar()
    grid.setFocus()
    beat.start()
    t_scroll = time.perf_counter()
    steps = 0
    deadline = time.monotonic() + (0 if args.no_scroll else args.scroll_limit)
    while time.monotonic() < deadline:
        if bar.value() >= bar.maximum() and window.model.fully_loaded:
            wait_until(lambda: not window.model.canFetchMore(), 1)
            if bar.value() >= bar.maximum():
                break
        bar.setValue(min(bar.maximum(), bar.value() + 8 * bar.pageStep()))
        steps += 1
        wait_until(lambda: True, 0)
        QTest.qWait(1)  # let layout, paints and arriving pages run, as between two wheel flicks
        if bar.value() >= bar.maximum() and not window.model.fully_loaded:
            wait_until(lambda: window.model.fully_loaded or bar.value() < bar.maximum(), 10)
    scroll_s = time.perf_counter() - t_scroll
    figures["scroll_top_to_bottom_s"] = round(scroll_s, 2)
    figures["scroll_steps"] = steps
    figures["rows_loaded"] = window.model.rowCount()
    figures["scrolling"] = beat.stop()

    # reviewing: pending photos, A accepts the focused suggestion, J moves on, one undo
    beat.start()
    wanted = RecordState(args.state)
    window.filter_bar.state.setCurrentIndex(window.filter_bar.state.findData(wanted))
    wait_until(lambda: window.model.filter.state is wanted and not window.model.loading, 30)
    window.browser.select_row(0)
    wait_until(
        lambda: window.details is not None and window.details.record.id == window.model.record_at(0).id, 30
    )
    if window.model_info is not None:  # first suggestions: torch, faiss and the bundle load in a worker
        t_warm = time.perf_counter()
        wait_until(lambda: window.panel.data is not None, 120)
        figures["first_suggestions_s"] = round(time.perf_counter() - t_warm, 2)
        figures["model_loading"] = beat.stop()
        beat.start()
    reviewed = 0
    failures: list[str] = []
    t_review = time.perf_counter()
    for i in range(args.review):
        grid.setFocus()
        if window.model_info is not None:  # wait for this photo's suggestions before pressing A
            wait_until(
                lambda: window.panel.data is not None and window.panel.data.record_id == window.current_id, 30
            )
        for key in (Qt.Key.Key_A, Qt.Key.Key_Return):  # accept the focused one, then all proposed
            done: list[object] = []

            def note(*args: object, done: list[object] = done) -> None:
                done.append(args)

            window.review.decided.connect(note)
            window.message.connect(failures.append)
            QTest.keyClick(grid, key)
            wait_until(lambda done=done: bool(done), 5)
            window.review.decided.disconnect(note)
            window.message.disconnect(failures.append)
            reviewed += key == Qt.Key.Key_A and bool(done)
        if i == 0:
            QTest.keyClick(grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
            wait_until(lambda: window.review.can_redo, 10)
        current = window.current_id
        QTest.keyClick(grid, Qt.Key.Key_J)
        wait_until(
            lambda current=current: window.details is not None and window.details.record.id != current, 10
        )
    figures["review_photos"] = reviewed
    figures["review_messages_not_decisions"] = sorted(
        {m for m in failures if not m.startswith(("Accepted", "Undid", "Redid", "Nothing to do"))}
    )
    figures["review_s_per_photo"] = round((time.perf_counter() - t_review) / max(1, args.review), 3)
    figures["reviewing"] = beat.stop()
    window.runner.shutdown()
    window.catalogue.close() if window.catalogue else None
    print(json.dumps(figures, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Event-loop stalls of the window while a training job runs and five photos are reviewed with the keyboard.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/bench_review_while_training.py \
        --catalogue /tmp/loc.sqlite [--modes process thread] [--limit 120] [--json out.json]

The catalogue needs an active model (``heritage-tagger train`` once: the features are then cached).
For each mode the catalogue is copied, the window opens it, Model > Train starts, and a 5 ms
QTimer heartbeat records every gap of the GUI thread's event loop: first while five photos are
reviewed (J, wait for the photo's suggestions, A), then until the training ends or ``--limit``
seconds have passed (the job is then cancelled). ``process`` is the app's way (the job in a worker
process, ``services.worker_process``); ``thread`` runs the same training on a worker thread of the
window's process, for comparison, side by side in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


class Heartbeat:
    """Records the gaps between ticks of a 5 ms timer on the GUI thread."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer(interval=5)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self._last = time.perf_counter()

    def start(self) -> None:
        self.gaps.clear()
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> dict[str, float]:
        self.timer.stop()
        self._tick()
        gaps = sorted(self.gaps) or [0.0]
        return {
            "max_stall_ms": round(gaps[-1] * 1000, 1),
            "p99_gap_ms": round(gaps[int(0.99 * (len(gaps) - 1))] * 1000, 1),
            "stalls_over_100ms": sum(g > 0.1 for g in gaps),
            "seconds": round(sum(gaps), 1),
        }

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(now - self._last)
        self._last = now


def copy_catalogue(source: Path, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(dest / source.name)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    workspace = source.with_name(source.stem + ".heritage")
    shutil.copytree(workspace, dest / workspace.name)
    with sqlite3.connect(dest / source.name) as db:
        db.execute(
            "UPDATE model_versions SET bundle_path = replace(bundle_path, ?, ?)",
            (str(workspace), str(dest / workspace.name)),
        )
    return dest / source.name


def run_mode(
    mode: str, path: Path, workdir: Path, n_photos: int, limit: float, backbone: str
) -> dict[str, Any]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from heritage_tagger.domain.progress import CancelToken, ProgressCallback
    from heritage_tagger.gui.app import application
    from heritage_tagger.gui.background import JobSpec, ProcessJob
    from heritage_tagger.gui.main_window import MainWindow
    from heritage_tagger.gui.preferences import app_settings
    from heritage_tagger.gui.screenshot import wait_until
    from heritage_tagger.services import model_jobs

    app = application()
    window = MainWindow(app_settings(workdir / f"prefs-{mode}.ini"))
    window.show()
    window.open_path(path)
    wait_until(lambda: window.model_info is not None and window.panel.data is not None, 180)
    settings_backbone, device = backbone, "cpu"
    if mode == "process":
        work: Any = ProcessJob(model_jobs.TRAIN, {"backbone": settings_backbone, "device": device})
    else:
        catalogue = window.catalogue
        assert catalogue is not None

        def work(*, progress: ProgressCallback, cancel: CancelToken) -> object:
            return model_jobs.train(
                catalogue, backbone=settings_backbone, device=device, progress=progress, cancel=cancel
            )

    job = window.background.submit(JobSpec(f"Training ({mode})", work, lambda _: None, kind="train"))
    assert job is not None
    t0 = time.perf_counter()
    estimates: list[tuple[float, float, float | None]] = []  # (elapsed, fraction, estimated seconds left)

    def note_estimate() -> None:
        from heritage_tagger.services.job_progress import TimeEstimate

        elapsed = time.perf_counter() - t0
        estimates.append((elapsed, job.fraction, TimeEstimate().update(elapsed, job.fraction)))

    job.changed.connect(note_estimate)
    wait_until(lambda: job.fraction > 0.02 or not job.active, 120)  # into the training proper
    beat = Heartbeat()
    beat.start()
    grid = window.browser.grid
    grid.setFocus()
    latencies: list[float] = []
    reviewed = 0
    for _ in range(n_photos):
        current = window.current_id
        QTest.keyClick(grid, Qt.Key.Key_J)
        wait_until(
            lambda current=current: (
                window.current_id != current
                and window.review.cursor.ready
                and window.review.cursor.record_id == window.current_id
            ),
            60,
        )
        done: list[object] = []
        window.review.decided.connect(lambda *a, done=done: done.append(a))
        start = time.perf_counter()
        QTest.keyClick(grid, Qt.Key.Key_A)
        wait_until(lambda done=done: bool(done), 30)
        latencies.append(time.perf_counter() - start)
        reviewed += bool(done)
    during_review = beat.stop()
    still_training = job.active
    beat.start()
    wait_until(lambda: not job.active or time.perf_counter() - t0 > limit, limit + 60)
    if job.active:
        job.cancel()
    rest = beat.stop()
    wait_until(lambda: not job.active, 300)
    total = time.perf_counter() - t0
    totals = [e + left for e, f, left in estimates if left is not None and f >= 0.2]
    fractions = [f for _, f, _ in estimates]
    figures = {
        "mode": mode,
        "bar_monotone": fractions == sorted(fractions),
        "estimated_total_s_after_20pc": [round(min(totals), 1), round(max(totals), 1)] if totals else None,
        "photos_reviewed": reviewed,
        "training_still_running_after_review": still_training,
        "key_to_decision_ms": [round(x * 1000, 1) for x in latencies],
        "during_review": during_review,
        "rest_of_training": rest,
        "training_state": job.state,
        "training_seconds": round(total, 1),
        "estimates": [
            (round(e, 1), round(f, 3), None if left is None else round(left, 1)) for e, f, left in estimates
        ],
    }
    window.runner.shutdown()
    if window.catalogue is not None:
        window.catalogue.close()
    window.deleteLater()
    app.processEvents()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalogue", type=Path, required=True, help="a catalogue with an active model")
    parser.add_argument("--modes", nargs="+", default=["process", "thread"], choices=["process", "thread"])
    parser.add_argument("--photos", type=int, default=5)
    parser.add_argument(
        "--limit", type=float, default=180, help="cancel the training after this many seconds"
    )
    parser.add_argument("--backbone", default="auto")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-review-training-"))
    results = []
    for mode in args.modes:
        path = copy_catalogue(args.catalogue, workdir / mode)
        results.append(run_mode(mode, path, workdir, args.photos, args.limit, args.backbone))
        print(json.dumps(results[-1], indent=2), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":  # the worker process (spawn) imports this module again
    raise SystemExit(main())

"""Long jobs as the window runs them: plain monotone progress, a steady estimate, a worker process that
returns, cancels and dies without touching the active model."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading

import pytest

from heritage_tagger.domain.errors import CancelledError, HeritageTaggerError
from heritage_tagger.domain.progress import CancelToken, Progress
from heritage_tagger.services import model_jobs
from heritage_tagger.services.job_progress import (
    SCALE,
    PlainProgress,
    Segment,
    TimeEstimate,
    describe_seconds,
)
from heritage_tagger.services.model_versions import active_version, list_versions
from heritage_tagger.services.worker_process import run_in_process
from tests.factories import catalogue_sql

JARGON = ("loss", "epoch", "metric", "validation", "m=", "fold")


def _versions(catalogue: object) -> list[str]:
    return sorted(v.version for v in list_versions(catalogue))  # type: ignore[arg-type]


def test_training_progress_is_one_monotone_bar_in_plain_words(trained: object) -> None:
    shown: list[Progress] = []
    outcome = model_jobs.train(trained, backbone="tiny", device="cpu", progress=shown.append)  # type: ignore[arg-type]
    assert outcome.active
    done = [p.done for p in shown]
    assert done == sorted(done) and done[-1] == SCALE and all(p.total == SCALE for p in shown)
    assert len(set(done)) > 10  # it moves, in many small steps
    assert {p.stage for p in shown} == {"Learning from 24 tagged photos"}
    words = {p.message for p in shown}
    assert "step 5 of 8, comparing neighbourhoods" in words and "step 8 of 8, saving the model" in words
    assert not any(j in w.lower() for w in words for j in JARGON), words


def test_the_plan_follows_repeated_stages_forward_only() -> None:
    shown: list[int] = []
    plan = [
        Segment("a", "first", 1.0, 1, 2),
        Segment("b", "second", 1.0, 2, 2),
        Segment("a", "first again", 2.0),
    ]
    tracker = PlainProgress("Job", plan, lambda p: shown.append(p.done))
    for p in (Progress("a", 1, 2), Progress("b", 2, 2), Progress("a", 1, 2), Progress("b", 1, 2)):
        tracker(p)  # the last report names a stage already passed: the bar stays where it is
    assert shown == [125, 500, 750, 750]
    tracker.finish()
    assert shown[-1] == SCALE


def test_the_time_estimate_is_steady_when_stages_differ_in_speed() -> None:
    estimate = TimeEstimate()
    # a 100 s job whose fraction advances in uneven bursts (fast and slow stages alternate)
    figures = []
    fraction = 0.0
    for second in range(1, 100):
        fraction = min(1.0, second / 100 + (0.03 if (second // 10) % 2 else -0.03))
        left = estimate.update(float(second), max(0.0, fraction))
        if left is not None and second >= 20:
            figures.append(left + second)  # the estimated total length
    # within a fifth of the true 100 s all along: never jumping about as 972 s / 149 s / 678 s did
    assert figures and all(80 <= f <= 120 for f in figures), figures
    assert describe_seconds(None) == "" and describe_seconds(250) == "about 4 minutes left"
    assert describe_seconds(42) == "about 40 seconds left" and describe_seconds(5) == "a few seconds left"


def test_training_in_a_worker_process_returns_its_outcome(trained: object) -> None:
    before = active_version(trained)  # type: ignore[arg-type]
    seen: list[Progress] = []
    outcome = run_in_process(
        trained,  # type: ignore[arg-type]
        model_jobs.TRAIN,
        {"backbone": "tiny", "device": "cpu"},
        progress=seen.append,
    )
    after = active_version(trained)  # type: ignore[arg-type]
    assert after is not None and before is not None
    assert outcome.version == after.version != before.version and outcome.active
    assert seen and seen[-1].done == SCALE and seen[0].stage.startswith("Learning from")


def test_a_cancelled_job_in_a_worker_process_keeps_the_active_model(trained: object) -> None:
    before = _versions(trained)
    active = active_version(trained)  # type: ignore[arg-type]
    token = CancelToken()

    def cancel_once_started(p: Progress) -> None:
        if p.done > 0:
            token.cancel()

    with pytest.raises(CancelledError):
        run_in_process(
            trained,  # type: ignore[arg-type]
            model_jobs.TRAIN,
            {"backbone": "tiny", "device": "cpu"},
            progress=cancel_once_started,
            cancel=token,
        )
    assert _versions(trained) == before
    assert active_version(trained) == active  # type: ignore[arg-type]
    with catalogue_sql(trained) as db:
        statuses = [s for (s,) in db.execute("SELECT status FROM jobs WHERE kind = 'train' ORDER BY id")]
    assert statuses[-1] == "cancelled"
    assert not (trained.workspace.locks / "training.lock").exists()  # type: ignore[attr-defined]


def test_a_killed_worker_process_is_an_error_in_words_and_changes_nothing(trained: object) -> None:
    before = _versions(trained)
    killed = threading.Event()

    def kill_the_child(p: Progress) -> None:
        if p.done > 0 and not killed.is_set():
            for child in multiprocessing.active_children():
                os.kill(child.pid or 0, signal.SIGKILL)
            killed.set()

    with pytest.raises(HeritageTaggerError, match="ended unexpectedly") as error:
        run_in_process(
            trained,  # type: ignore[arg-type]
            model_jobs.TRAIN,
            {"backbone": "tiny", "device": "cpu"},
            progress=kill_the_child,
        )
    assert "active model is unchanged" in str(error.value)
    assert _versions(trained) == before

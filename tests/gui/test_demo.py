"""The demo collection from the welcome dialog and the Help menu: photos at once, the model's suggestions
once its first training (a real one, in the background) has finished."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from heritage_tagger.gui.background import ProcessJob
from heritage_tagger.gui.main_window import MainWindow
from heritage_tagger.gui.preferences import app_settings
from heritage_tagger.gui.welcome import WelcomeChoice, WelcomeDialog
from heritage_tagger.services.demo import DEMO_BACKBONE, DEMO_EPOCHS, demo_catalogue_path, sample_records
from heritage_tagger.services.model_versions import active_version

WAIT = 60_000


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:
    w = MainWindow(app_settings(tmp_path / "prefs.ini"))
    qtbot.addWidget(w)
    w.show()
    yield w
    w.background.cancel_all()
    w.runner.shutdown()
    w.suggestions.close()
    if w.catalogue is not None:
        w.catalogue.close()


def test_the_welcome_offers_the_demo_collection(qtbot) -> None:
    dialog = WelcomeDialog(probe=None)
    qtbot.addWidget(dialog)
    button = dialog.demo_button
    assert button.isEnabled() and button.text() == "Try the demo collection" and button.accessibleName()
    layout = dialog.layout()
    assert layout is not None and layout.indexOf(button) == 1  # first thing after the greeting
    button.click()
    result = dialog.result_choice
    assert result is not None and result.choice is WelcomeChoice.DEMO
    assert result.catalogue == demo_catalogue_path()


def test_help_opens_the_demo_collection(window: MainWindow) -> None:
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert window.commands["demo"] in help_menu.actions()


def test_the_demo_shows_photos_then_the_models_suggestions(qtbot, window: MainWindow) -> None:
    """The whole first use on the real training path (EfficientNet-Lite0, this CPU): about half a minute."""
    untagged = {r["id"] for r in sample_records() if not r["tags"]}
    started = time.monotonic()
    window.commands["demo"].trigger()
    qtbot.waitUntil(lambda: window.model.rowCount() == len(sample_records()), timeout=WAIT)
    qtbot.waitUntil(lambda: window.details is not None, timeout=WAIT)
    assert window.details is not None and window.details.record.identifier in untagged  # one that needs tags
    assert window.catalogue is not None and window.catalogue.path == demo_catalogue_path().resolve()
    training = window.demo.training
    assert training is not None and training in window.background.jobs  # the Jobs panel shows it, with Cancel
    work = training.spec.work
    assert isinstance(work, ProcessJob) and work.kwargs["backbone"] == DEMO_BACKBONE
    assert work.kwargs["epochs"] == DEMO_EPOCHS
    assert window.jobs_dock.isVisible()
    qtbot.waitUntil(lambda: not training.active, timeout=300_000)  # a loaded 2-core CPU: minutes
    assert training.state == "done", training.outcome
    assert active_version(window.catalogue) is not None
    current = window.current_id

    def model_suggestions_shown() -> bool:
        data = window.panel.data
        return data is not None and data.record_id == current and data.source == "model"

    qtbot.waitUntil(model_suggestions_shown, timeout=WAIT)  # the panel refreshed by itself
    data = window.panel.data
    assert data is not None and data.model_tags and data.model_version
    print(f"demo: photos to the model's suggestions in {time.monotonic() - started:.1f} s")
    queue = window.model_jobs.queue_job  # then the review queue is filled, as after any training
    assert queue is not None
    qtbot.waitUntil(lambda: not queue.active, timeout=180_000)
    assert queue.state == "done", queue.outcome

"""The GUI tests' main window: shown on the offscreen platform, its jobs cancelled and threads stopped after."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from heritage_tagger.gui.main_window import MainWindow
from heritage_tagger.gui.preferences import app_settings


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:
    """A main window with its own preferences file; whatever catalogue it has open is closed after."""
    w = MainWindow(app_settings(tmp_path / "prefs.ini"))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.background.cancel_all()
    w.runner.shutdown()
    if w.catalogue is not None:
        w.catalogue.close()

"""The browser at scale: keyset pages with the count afterwards, and a grid laid out by arithmetic."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt

from heritage_tagger.gui.browser_model import RecordTableModel
from heritage_tagger.gui.images import ThumbnailCache
from heritage_tagger.gui.views import GridView
from heritage_tagger.gui.workers import TaskRunner
from heritage_tagger.services import browse, synthetic
from heritage_tagger.services.catalogue import open_catalogue

WAIT = 20_000


class CountingModel(RecordTableModel):
    """The real model, counting how often a view asks it for its row count (a per-row layout asks per row)."""

    calls = 0

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # type: ignore[override]
        CountingModel.calls += 1
        return super().rowCount(parent)


@pytest.fixture
def catalogue(tmp_path: Path) -> Iterator[object]:
    cat = open_catalogue(tmp_path / "c.sqlite")
    synthetic.generate(cat, 2500, seed=4)
    yield cat
    cat.close()


@pytest.fixture
def shown(qtbot, catalogue) -> Iterator[tuple[CountingModel, GridView, int]]:
    runner = TaskRunner()
    model = CountingModel(runner, ThumbnailCache(runner))
    view = GridView(64)
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(420, 300)
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(model.counted, timeout=WAIT) as counted:
        model.set_catalogue(catalogue)
    yield model, view, counted.args[0]
    runner.shutdown()


def test_pages_arrive_by_keyset_and_the_count_after_the_first(qtbot, shown) -> None:
    model, view, total = shown
    assert total == 2500 and model.total == 2500 and model.rowCount() == 400  # one page so far
    bar = view.verticalScrollBar()
    CountingModel.calls = 0
    appended = 0
    while not model.fully_loaded:
        with qtbot.waitSignal(model.page_loaded, timeout=WAIT):
            bar.setValue(bar.maximum())  # a screen from the end: the next page is asked for
        appended += 1
    assert model.rowCount() == 2500 and appended >= 2
    ids = [model.record_at(i).id for i in range(model.rowCount())]
    assert ids == browse.ordered_ids(model.catalogue, browse.BrowseFilter())  # every record once, in order
    # the model was asked about the tiles painted, not about every row on every append (a QListView's
    # layout asks twice per row for each page: some 10,000 calls here, a billion at a million rows)
    assert CountingModel.calls < 2100


def test_tiles_are_placed_by_arithmetic_and_the_keys_move_between_them(qtbot, shown) -> None:
    model, view, _ = shown
    cols = view.columns()
    assert cols == view.viewport().width() // 80 >= 2  # 64-pixel thumbnails in 80-pixel cells
    third = model.index(2, 0)
    rect = view.visualRect(third)
    assert rect.size() == view.visualRect(model.index(0, 0)).size() and rect.x() == (2 % cols) * rect.width()
    assert view.indexAt(rect.center()).row() == 2
    assert not view.indexAt(rect.topLeft() + rect.bottomRight() * 50).isValid()  # below the last tile
    view.setFocus()
    view.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.currentIndex().row() == 1
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex().row() == 1 + cols
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.currentIndex().row() == model.rowCount() - 1
    assert view.verticalScrollBar().value() > 0  # scrolled to show it
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=view.visualRect(model.index(model.rowCount() - 2, 0)).center(),
    )
    assert view.currentIndex().row() == model.rowCount() - 2
    assert view.selectionModel().isSelected(model.index(model.rowCount() - 2, 0))

"""Saved searches in the window: save the filter bar's filters, see them in the sidebar and the Search menu,
apply one (the filter bar and the browser follow), replace after a question, rename, delete, refresh."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from heritage_tagger.gui.main_window import MainWindow
from heritage_tagger.services import browse, synthetic
from heritage_tagger.services import saved_searches as service
from heritage_tagger.services.browse import BrowseFilter, RecordState, SortKey
from heritage_tagger.services.catalogue import open_catalogue

WAIT = 15_000


@pytest.fixture
def synth_path(catalogue_location: Path | str) -> Path | str:
    """A generated catalogue of 120 records (a team catalogue with --engine=postgresql)."""
    with open_catalogue(catalogue_location) as cat:
        synthetic.generate(cat, 120, seed=3)
    return catalogue_location


def opened(qtbot, w: MainWindow, path: Path | str) -> None:
    with (
        qtbot.waitSignal(w.model.loaded, timeout=WAIT),
        qtbot.waitSignal(w.saved_searches.searches_changed, timeout=WAIT),
    ):
        w.open_path(path)


def listed(w: MainWindow) -> list[str]:
    return [w.saved_panel.list.item(i).text() for i in range(w.saved_panel.list.count())]


def in_menu(w: MainWindow) -> list[str]:
    return [a.text() for a in w.saved_searches.menu_actions if not a.isSeparator() and a.isEnabled()]


def save_through_the_dialog(qtbot, w: MainWindow, name: str) -> None:
    w.commands["save_search"].trigger()
    dialog = w.saved_searches.name_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.setTextValue(name)
    with qtbot.waitSignal(w.saved_searches.searches_changed, timeout=WAIT):
        dialog.accept()


def set_filters(qtbot, w: MainWindow, flt: BrowseFilter) -> None:
    with qtbot.waitSignal(w.model.loaded, timeout=WAIT):
        w.filter_bar.set_filter(flt)
    assert w.filter_bar.current() == flt


def shown_ids(qtbot, w: MainWindow) -> list[int]:
    qtbot.waitUntil(lambda: w.model.rowCount() == w.model.total, timeout=WAIT)
    return [w.model.record_at(i).id for i in range(w.model.rowCount())]


def test_save_apply_replace_rename_delete(qtbot, window, synth_path):
    w = window
    opened(qtbot, w, synth_path)
    assert listed(w) == [] and not w.saved_dock.isVisible()
    assert w.commands["save_search"].shortcut() == QKeySequence("Ctrl+Shift+S")
    assert w.saved_searches.menu() is not None and w.saved_searches.menu().title() == "&Search"

    harbour = BrowseFilter(text="harbour", state=RecordState.PENDING, sort=SortKey.DATE, descending=True)
    set_filters(qtbot, w, harbour)
    save_through_the_dialog(qtbot, w, "Harbour, pending")
    assert w.saved_dock.isVisible()  # the sidebar shows itself once a search is saved
    cork = BrowseFilter(location="Cork", tag="market", tag_suggested=True, batch_id=1)
    set_filters(qtbot, w, cork)
    save_through_the_dialog(qtbot, w, "Markets in Cork")
    assert listed(w) == ["Harbour, pending", "Markets in Cork"] == in_menu(w)

    # apply from the sidebar: every field of the filter bar, and the browser shows those photos
    set_filters(qtbot, w, BrowseFilter())
    item = w.saved_panel.list.item(0)
    with (
        qtbot.waitSignal(w.saved_searches.applied, timeout=WAIT),
        qtbot.waitSignal(w.model.loaded, timeout=WAIT),
    ):
        rect = w.saved_panel.list.visualItemRect(item)
        qtbot.mouseClick(w.saved_panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert w.filter_bar.current() == harbour
    assert w.filter_bar.text.text() == "harbour" and w.filter_bar.descending.isChecked()
    expected = browse.ordered_ids(w.catalogue, harbour)
    assert 0 < len(expected) < 120 and shown_ids(qtbot, w) == expected

    # apply from the Search menu
    with qtbot.waitSignal(w.model.loaded, timeout=WAIT):
        w.saved_searches.menu_actions[2].trigger()
    assert w.filter_bar.current() == cork and w.filter_bar.location.currentText() == "Cork"
    assert shown_ids(qtbot, w) == browse.ordered_ids(w.catalogue, cork)

    # saving under a name taken asks first; No keeps the old filters, Yes replaces them
    set_filters(qtbot, w, BrowseFilter(text="bridge"))
    w.commands["save_search"].trigger()
    w.saved_searches.name_dialog.setTextValue("Markets in Cork")
    w.saved_searches.name_dialog.accept()
    qtbot.waitUntil(lambda: w.saved_searches.question is not None and w.saved_searches.question.isVisible())
    w.saved_searches.question.done(QMessageBox.StandardButton.No)
    (search,) = [s for s in service.list_searches(w.catalogue) if s.name == "Markets in Cork"]
    assert service.resolve(w.catalogue, search).filter == cork
    w.saved_searches.question = None
    w.saved_searches.save_current().setTextValue("Markets in Cork")
    w.saved_searches.name_dialog.accept()
    qtbot.waitUntil(lambda: w.saved_searches.question is not None and w.saved_searches.question.isVisible())
    with qtbot.waitSignal(w.saved_searches.searches_changed, timeout=WAIT):
        w.saved_searches.question.done(QMessageBox.StandardButton.Yes)
    (search,) = [s for s in service.list_searches(w.catalogue) if s.name == "Markets in Cork"]
    assert service.resolve(w.catalogue, search).filter == BrowseFilter(text="bridge")
    assert listed(w) == ["Harbour, pending", "Markets in Cork"]

    # rename (a name taken is refused with a message), then delete after a question
    w.saved_panel.list.setCurrentRow(1)
    w.saved_panel.rename_button.click()
    w.saved_searches.name_dialog.setTextValue("Harbour, pending")
    with (
        qtbot.waitSignal(w.message, timeout=WAIT) as said,
        qtbot.waitSignal(w.saved_searches.searches_changed, timeout=WAIT),
    ):
        w.saved_searches.name_dialog.accept()
    assert "exists already" in said.args[0]
    w.saved_panel.list.setCurrentRow(1)
    w.saved_panel.rename_button.click()
    w.saved_searches.name_dialog.setTextValue("Bridges")
    with qtbot.waitSignal(w.saved_searches.searches_changed, timeout=WAIT):
        w.saved_searches.name_dialog.accept()
    assert listed(w) == ["Bridges", "Harbour, pending"] == in_menu(w)
    w.saved_panel.list.setCurrentRow(0)
    w.saved_panel.delete_button.click()
    assert "Bridges" in w.saved_searches.question.text()
    with qtbot.waitSignal(w.saved_searches.searches_changed, timeout=WAIT):
        w.saved_searches.question.done(QMessageBox.StandardButton.Yes)
    assert listed(w) == ["Harbour, pending"] == in_menu(w)
    w.saved_panel.list.setCurrentRow(0)
    w.saved_panel.list.setFocus()
    qtbot.keyClick(w.saved_panel.list, Qt.Key.Key_Delete)  # the list's own keys: Delete asks too
    assert "Harbour, pending" in w.saved_searches.question.text()
    w.saved_searches.question.done(QMessageBox.StandardButton.No)
    qtbot.keyClick(w.saved_panel.list, Qt.Key.Key_F2)
    assert w.saved_searches.name_dialog.textValue() == "Harbour, pending"
    w.saved_searches.name_dialog.reject()


def test_a_search_naming_a_gone_tag_says_so_and_another_catalogue_has_its_own(
    qtbot, window, synth_path, tmp_path
):
    w = window
    with open_catalogue(synth_path) as cat:
        service.save_search(cat, "Ghost tag", BrowseFilter(tag="no such tag", location="Cork"))
        service.save_search(cat, "By a teammate", BrowseFilter(text="harbour"))
    opened(qtbot, w, synth_path)
    assert listed(w) == ["By a teammate", "Ghost tag"]
    with qtbot.waitSignal(w.message, timeout=WAIT) as said:
        w.saved_searches.apply(w.saved_searches.searches[1].id)
    assert (
        said.args[0]
        == "Saved search “Ghost tag” shown without the tag “no such tag”: no longer in the catalogue."
    )
    assert w.filter_bar.current() == BrowseFilter(location="Cork")

    with open_catalogue(
        synth_path
    ) as cat:  # another window (a teammate) saves one: the next refresh shows it
        service.save_search(cat, "Added elsewhere", BrowseFilter(tag="market"))
    with qtbot.waitSignal(w.saved_searches.searches_changed, timeout=WAIT):
        w.team.timer.timeout.emit()  # the team watcher's poll (every TEAM_POLL_S on a team catalogue)
    assert listed(w) == ["Added elsewhere", "By a teammate", "Ghost tag"] == in_menu(w)

    other = tmp_path / "other.sqlite"
    open_catalogue(other).close()
    opened(qtbot, w, other)
    assert listed(w) == [] and in_menu(w) == []
    assert [a.text() for a in w.saved_searches.menu_actions if not a.isSeparator()] == [
        "No saved searches yet"
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.builds(
        BrowseFilter,
        text=st.text(st.characters(exclude_categories=["Cc", "Cs", "Zl", "Zp"]), max_size=20),
        tag=st.text(st.characters(exclude_categories=["Cc", "Cs", "Zl", "Zp"]), max_size=20),
        tag_suggested=st.booleans(),
        location=st.sampled_from(["", "Cork", "cor", "Washington, D.C."]),
        state=st.sampled_from(RecordState),
        batch_id=st.none() | st.integers(min_value=1, max_value=5),
        concept_id=st.none() | st.integers(min_value=1, max_value=9),
        sort=st.sampled_from(SortKey),
        descending=st.booleans(),
    )
)
def test_the_filter_bar_shows_every_field_of_a_filter(qtbot, flt: BrowseFilter) -> None:
    """``FilterBar.set_filter`` then ``current()`` gives the same filter, whatever its fields."""
    from heritage_tagger.gui.filter_bar import FilterBar

    bar = FilterBar()
    qtbot.addWidget(bar)
    bar.set_locations(["Cork", "Washington, D.C."])
    bar.set_batches([(2, "#2 folder")])
    bar.set_filter(flt, "People › Women")
    assert bar.current() == flt
    assert bar.concept.isVisibleTo(bar) == (flt.concept_id is not None)

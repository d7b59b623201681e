"""Reviewers on one catalogue in real windows: a decision on a state a teammate changed is refused with a
message naming the teammate's decision and the view refreshed; teammates' decisions appear with an
"Updated by" note; connecting to a team catalogue from the welcome dialog and the File menu."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from heritage_tagger.domain.records import DecisionAction, TagState
from heritage_tagger.gui.dialogs.team_dialog import TeamCatalogueDialog
from heritage_tagger.gui.main_window import MainWindow
from heritage_tagger.gui.preferences import Preferences, app_settings
from heritage_tagger.gui.welcome import WelcomeChoice, WelcomeDialog
from heritage_tagger.services import browse, review, synthetic
from heritage_tagger.services.catalogue import Catalogue, open_catalogue

WAIT = 15_000


@pytest.fixture
def shared(catalogue_location: Path | str) -> Path | str:
    """A generated catalogue with pending suggestions (a team catalogue with --engine=postgresql)."""
    with open_catalogue(catalogue_location) as cat:
        synthetic.generate(cat, 60, images=10, seed=11)
    return catalogue_location


def make_window(qtbot, tmp_path: Path, name: str) -> MainWindow:
    w = MainWindow(app_settings(tmp_path / f"{name}.ini"))
    w.apply_preferences(Preferences(reviewer=name))
    qtbot.addWidget(w)
    w.filter_bar.state.setCurrentIndex(w.filter_bar.state.findData(browse.RecordState.PENDING))
    w.show()
    qtbot.waitExposed(w)
    return w


def close(w: MainWindow) -> None:
    w.team.stop()
    w.runner.shutdown()
    if w.catalogue is not None:
        w.catalogue.close()


@pytest.fixture
def ann(qtbot, tmp_path: Path) -> Iterator[MainWindow]:
    w = make_window(qtbot, tmp_path, "ann")
    yield w
    close(w)


def open_and_wait(qtbot, w: MainWindow, location: Path | str) -> None:
    with (
        qtbot.waitSignal(w.model.loaded, timeout=WAIT),
        qtbot.waitSignal(w.browse.details_shown, timeout=WAIT),
    ):
        w.open_path(location)


def pending(qtbot, w: MainWindow) -> str:
    """The suggestion A and R act on: the review cursor's, once it is ready on the shown photo."""
    cursor = w.review.cursor
    qtbot.waitUntil(lambda: cursor.ready and cursor.spot is not None and cursor.record_id == w.current_id)
    label = cursor.spot.label
    assert w.details is not None
    assert w.details.tags_by_label[label] is TagState.SUGGESTED
    return label


def test_a_decision_on_a_tag_a_teammate_decided_is_refused_and_the_view_refreshed(qtbot, ann, shared):
    open_and_wait(qtbot, ann, shared)
    rid, label = ann.current_id, pending(qtbot, ann)
    with open_catalogue(shared) as bob:  # bob's program, on the same catalogue
        review.reject(bob, rid, label, "bob")
    ann.browser.grid.setFocus()
    with (
        qtbot.waitSignal(ann.review.stale, timeout=WAIT) as refused,
        qtbot.waitSignal(ann.browse.details_shown, timeout=WAIT),
    ):
        qtbot.keyClick(ann.browser.grid, Qt.Key.Key_A)
    assert refused.args[0] == rid and f"bob rejected “{label}”" in refused.args[1]
    assert ann.team_bar.isVisibleTo(ann) and f"bob rejected “{label}”" in ann.team_bar.label.text()
    assert ann.details is not None and ann.details.tags_by_label[label] is TagState.REJECTED  # refreshed
    log = review.decisions_for(ann.catalogue, rid)
    assert [(d.reviewer, d.action) for d in log] == [("bob", DecisionAction.REJECT)]


def test_own_decisions_in_a_row_are_never_taken_for_a_teammates(qtbot, ann, shared):
    """Accept one suggestion, then Enter (accept the rest) before the details come back: no false conflict."""
    open_and_wait(qtbot, ann, shared)
    rid = ann.current_id
    ann.browser.grid.setFocus()
    with qtbot.waitSignal(ann.review.decided, timeout=WAIT):
        qtbot.keyClick(ann.browser.grid, Qt.Key.Key_A)
        qtbot.keyClick(ann.browser.grid, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ann.review.in_flight == 0, timeout=WAIT)
    states = browse.record_details(ann.catalogue, rid).tags_by_label
    assert TagState.SUGGESTED not in states.values()
    assert not ann.team_bar.isVisibleTo(ann)


@pytest.mark.postgresql
def test_two_reviewers_in_two_windows(qtbot, tmp_path: Path, ann, shared):
    bob = make_window(qtbot, tmp_path, "bob")
    try:
        open_and_wait(qtbot, ann, shared)
        open_and_wait(qtbot, bob, shared)  # a team catalogue opens in any number of windows
        assert ann.current_id == bob.current_id
        rid, label = ann.current_id, pending(qtbot, ann)
        qtbot.waitUntil(lambda: ann.team.since is not None and bob.team.timer.isActive(), timeout=WAIT)
        # the Review menu's actions (a key press reaches only the active window of the two)
        with qtbot.waitSignal(bob.review.decided, timeout=WAIT):
            bob.commands["accept"].trigger()
        with qtbot.waitSignal(ann.review.stale, timeout=WAIT) as refused:  # ann still sees the suggestion
            ann.commands["reject"].trigger()
        assert f"bob accepted “{label}”" in refused.args[1]
        with qtbot.waitSignal(ann.team.changed, timeout=WAIT) as changed:
            ann.team.poll()  # what its timer does every few seconds
        assert changed.args[0] == [rid]
        assert ann.team_label.text().startswith(f"Updated by bob: accepted “{label}” on ")
        qtbot.waitUntil(
            lambda: ann.details is not None and ann.details.tags_by_label[label] is TagState.ACCEPTED
        )
        log = review.decisions_for(ann.catalogue, rid)
        assert [(d.reviewer, d.action) for d in log] == [("bob", DecisionAction.ACCEPT)]
        with qtbot.assertNotEmitted(bob.team.changed, wait=500):
            bob.team.poll()  # bob's own decision is no news to bob
    finally:
        close(bob)


def test_a_file_catalogue_is_not_polled(qtbot, ann, tmp_path: Path):
    path = tmp_path / "own.sqlite"
    with open_catalogue(path) as cat:
        synthetic.generate(cat, 5, seed=2)
    with qtbot.waitSignal(ann.model.loaded, timeout=WAIT):
        ann.open_path(path)
    assert not ann.team.timer.isActive() and ann.team.since is None


def test_the_connect_dialog_wants_a_connection_string(qtbot, tmp_path: Path):
    dialog = TeamCatalogueDialog()
    qtbot.addWidget(dialog)
    dialog.url_edit.setText("photos.sqlite")
    dialog._check()
    assert not dialog.result() and "postgresql://USER@HOST" in dialog.problem.text()
    dialog.url_edit.setText(" postgresql://ann@catalogue-server/photos ")
    dialog.media_edit.setText(str(tmp_path / "share"))
    dialog._check()
    assert dialog.result() == TeamCatalogueDialog.DialogCode.Accepted
    assert (
        dialog.url() == "postgresql://ann@catalogue-server/photos"
        and dialog.media_root() == tmp_path / "share"
    )


def test_welcome_connects_to_a_team_catalogue(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    dialog = WelcomeDialog(probe=None)
    qtbot.addWidget(dialog)
    url = "postgresql://ann@catalogue-server/photos"
    monkeypatch.setattr(dialog, "ask_team_catalogue", lambda: (url, tmp_path / "share"))
    dialog.connect_button.click()
    result = dialog.result_choice
    assert result is not None and result.choice is WelcomeChoice.CONNECT
    assert result.catalogue == url and result.media_root == tmp_path / "share"


def test_file_connect_opens_the_team_catalogue_it_is_given(qtbot, ann, engine_name: str, shared):
    if engine_name != "postgresql":
        with qtbot.waitSignal(ann.message, timeout=WAIT, check_params_cb=lambda t: "Cannot reach" in t):
            dialog = ann.connect_team()
            dialog.url_edit.setText("postgresql://ann:secret@127.0.0.1:1/photos")
            dialog._check()
        assert ann.catalogue is None and "secret" not in ann.panel.message.text()
        return
    dialog = ann.connect_team()
    dialog.url_edit.setText(str(shared))
    with qtbot.waitSignal(ann.catalogue_opened, timeout=WAIT) as opened:
        dialog._check()
    catalogue: Catalogue = opened.args[0]
    assert catalogue.team and catalogue.user == "ann" and ann.windowTitle().endswith(catalogue.name)

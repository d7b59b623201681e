"""The suggestion panel with a real (tiny) trained model: bars, neighbours, relevance, keyboard review, training."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from heritage_tagger.domain.records import DecisionAction, TagState
from heritage_tagger.gui.main_window import MainWindow
from heritage_tagger.services import browse, review, synthetic
from heritage_tagger.services.catalogue import open_catalogue

WAIT = 60_000


def _untrained(folder: Path) -> Path:
    path = folder / "photos.sqlite"
    with open_catalogue(path) as cat:
        synthetic.generate(cat, 24, images=24, seed=3)
    return path


@pytest.fixture
def trained_copy(
    trained_catalogue_template: Path,
    copy_catalogue: Callable[[Path, Path], Path],
    tmp_path: Path,
    engine_name: str,
    catalogue_location: Path | str,
) -> Path | str:
    """A copy of the session's trained catalogue (a team catalogue made from it with --engine=postgresql)."""
    if engine_name == "postgresql":
        from heritage_tagger.services.migrating import migrate_catalogue

        migrate_catalogue(trained_catalogue_template, catalogue_location)
        return catalogue_location
    return copy_catalogue(trained_catalogue_template, tmp_path / "trained")


def open_with_suggestions(qtbot, w: MainWindow, path: Path | str) -> None:
    w.open_path(path)
    qtbot.waitUntil(lambda: w.panel.data is not None and w.details is not None, timeout=WAIT)


def test_panel_fills_from_the_trained_model(qtbot, window, trained_copy):
    open_with_suggestions(qtbot, window, trained_copy)
    data = window.panel.data
    assert data.record_id == window.current_id
    assert data.backbone == "tiny" and data.model_version in window.panel.header.text()
    assert window.panel.model_tree.topLevelItemCount() == len(data.model_tags) > 0
    bold = [window.panel.model_tree.topLevelItem(i).text(0) for i in range(len(data.model_tags))]
    assert sum(t.startswith("●") for t in bold) == len(data.proposed)
    carried_now = {t for t, _, _ in data.existing}
    assert not carried_now & set(data.proposed)  # a tag the photo carries is shown, never proposed again
    assert data.proposed or not data.no_confident_suggestion  # a training photo: its confident tags it has
    assert window.panel.neighbour_tree.topLevelItemCount() == len(data.neighbour_tags) > 0
    assert window.panel.thumbs.count() == len(data.neighbours) > 0
    carried = [
        t for t, s in window.details.tags_by_label.items() if s in (TagState.CATALOGUED, TagState.ACCEPTED)
    ]
    assert sorted(window.panel.existing_tree.topLevelItem(i).text(0) for i in range(len(carried))) == sorted(
        carried
    )
    assert not window.panel.train_button.isVisibleTo(window)


def test_the_panel_shows_the_suggestion_process_s_whole_prediction(qtbot, window, trained_copy):
    """The panel's suggestions come from the helper process (for a team catalogue too, opened there by
    its connection string): calibrated tags, their sources, what serves them, as this process computes them."""
    import os

    from heritage_tagger.services.suggesting import suggest_for_record

    open_with_suggestions(qtbot, window, trained_copy)
    process = window.suggestions.process
    assert process is not None and process.serves(window.catalogue)
    assert process.pid not in (None, os.getpid()) and process.model_version == window.panel.data.model_version
    data = window.panel.data
    local = suggest_for_record(window.catalogue, data.record_id)
    assert [t for t, _ in data.model_tags] == [t for t, _ in local.model_tags[: len(data.model_tags)]]
    assert data.sources == {t: local.source_of(t) for t, _ in data.model_tags}
    assert data.served_by == local.served_by != "" and local.served_by in window.panel.header.toolTip()
    assert data.proposed == [t for t, _ in local.proposed]
    assert data.no_confident_suggestion == local.no_confident_suggestion
    shown = [window.panel.model_tree.topLevelItem(i).text(0) for i in range(len(data.model_tags))]
    words = {"caption": "(caption)", "neighbours": "(similar photos)"}
    for text, (label, _) in zip(shown, data.model_tags, strict=True):
        if data.sources[label] in words:
            assert text.endswith(words[data.sources[label]]), text


def test_keyboard_review_of_model_suggestions(qtbot, window, trained_copy):
    open_with_suggestions(qtbot, window, trained_copy)
    rid, data = window.current_id, window.panel.data
    label = window.panel.model_tree.current_label()
    assert label is not None and window.panel.is_open(label)
    window.browser.grid.setFocus()
    with qtbot.waitSignal(window.review.decided, timeout=WAIT):
        qtbot.keyClick(window.browser.grid, Qt.Key.Key_A)
    (decision,) = review.decisions_for(window.catalogue, rid)
    assert decision.action is DecisionAction.ACCEPT and decision.label == label
    assert decision.model_version == data.model_version
    assert decision.score == pytest.approx(dict(data.model_tags)[label])
    assert browse.record_details(window.catalogue, rid).tags_by_label[label] is TagState.ACCEPTED
    qtbot.waitUntil(lambda: window.panel.states.get(label) is TagState.ACCEPTED)
    with qtbot.waitSignal(window.review.decided, timeout=WAIT):
        qtbot.keyClick(window.browser.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    log = review.decisions_for(window.catalogue, rid)
    assert [d.action for d in log] == [DecisionAction.ACCEPT, DecisionAction.UNDO]
    assert browse.record_details(window.catalogue, rid).tags_by_label[label] is TagState.SUGGESTED
    # the cursor came back to the tag undone; Down arrows take it to the last model suggestion, R rejects
    # it, Enter then accepts the proposed ones still open
    qtbot.waitUntil(lambda: window.panel.states.get(label) is TagState.SUGGESTED)
    assert window.review.cursor.spot.label == label
    window.panel.setFocus()
    for _ in range(len(data.model_tags)):
        qtbot.keyClick(window.panel, Qt.Key.Key_Down)
    last = window.panel.model_tree.current_label()
    assert last == data.model_tags[-1][0] and window.review.cursor.spot.label == last
    with qtbot.waitSignal(window.review.decided, timeout=WAIT):
        qtbot.keyClick(window.panel, Qt.Key.Key_R)
    with qtbot.waitSignal(window.review.decided, timeout=WAIT):
        qtbot.keyClick(window.panel, Qt.Key.Key_Return)
    states = browse.record_details(window.catalogue, rid).tags_by_label
    assert states[last] is TagState.REJECTED
    assert all(states[p] in (TagState.ACCEPTED, TagState.CATALOGUED) for p in data.proposed if p != last)
    # this photo's proposals are tags it carries already: Enter had nothing to accept (never a tag not ●)
    assert review.decisions_for(window.catalogue, rid)[-1].label == last
    assert window.statusBar().currentMessage().startswith("Nothing to do")


def test_clicking_a_neighbour_opens_it_and_panels_are_cached(qtbot, window, trained_copy):
    open_with_suggestions(qtbot, window, trained_copy)
    first, data = window.current_id, window.panel.data
    neighbour = data.neighbours[0].record_id
    with qtbot.waitSignal(window.suggestions.shown, timeout=WAIT):
        window.panel.thumbs.itemClicked.emit(window.panel.thumbs.item(0))
    assert window.current_id == neighbour and window.panel.data.record_id == neighbour
    window.browse.open_record(first)
    qtbot.waitUntil(
        lambda: window.panel.data is not None and window.panel.data.record_id == first, timeout=WAIT
    )
    assert window.panel.data is data  # from the cache, not recomputed


def test_train_from_the_panel_then_cancel_is_clean(qtbot, window, tmp_path):
    pytest.importorskip("torch", reason="training needs torch")
    path = _untrained(tmp_path)
    with qtbot.waitSignal(window.suggestions.shown, timeout=WAIT):
        window.open_path(path)
    assert window.panel.train_button.isVisibleTo(window)
    window.prefs.backbone = "tiny"
    window.prefs.device = "cpu"
    with qtbot.waitSignal(window.message, timeout=WAIT, check_params_cb=lambda t: "Cancelled" in t):
        qtbot.mouseClick(window.panel.train_button, Qt.MouseButton.LeftButton)
        row = window.jobs_panel.row_for(window.model_jobs.job)
        assert row is not None and window.jobs_dock.isVisible()
        qtbot.mouseClick(row.cancel_button, Qt.MouseButton.LeftButton)
    assert browse.active_model(window.catalogue) is None
    qtbot.mouseClick(window.panel.train_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.panel.data is not None, timeout=120_000)
    assert window.panel.data.backbone == "tiny"
    assert browse.active_model(window.catalogue) is not None


def test_the_target_precision_preference_sets_what_is_proposed(qtbot, window, trained_copy):
    """Edit > Preferences 'Propose tags with N % of them right': the open catalogue proposes at that
    precision at once (the panel is computed again), and a catalogue opened later too."""
    from dataclasses import replace

    open_with_suggestions(qtbot, window, trained_copy)
    assert window.catalogue.settings.model.target_precision == 0.5  # the default preference
    first = window.panel.data
    window.apply_preferences(replace(window.prefs, target_precision=95))
    assert window.catalogue.settings.model.target_precision == 0.95
    qtbot.waitUntil(lambda: window.panel.data is not None and window.panel.data is not first, timeout=WAIT)
    assert len(window.panel.data.proposed) <= len(first.proposed)
    assert window.settings.value("preferences/target_precision") in (95, "95")

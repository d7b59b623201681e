"""The vocabulary in the window: the manager (import with progress and Cancel, enable/disable, remove,
links with the unlinked tags listed, a variant merge and its undo, concepts), vocabulary suggestions
without a model, completion on concepts, the broader path in the detail pane, the concept filter and
the exports with URIs (CSV, JSON-LD, XMP sidecars) from the File menu."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from heritage_tagger.domain.records import DecisionAction, TagState
from heritage_tagger.gui.dialogs.xmp_destination import BESIDE
from heritage_tagger.gui.main_window import MainWindow
from heritage_tagger.gui.suggestion_panel import CURSOR_MARK, SOURCE_TEXT
from heritage_tagger.services import browse, review, tag_merge
from heritage_tagger.services import vocab_suggesting as vs
from heritage_tagger.services import vocabularies as vocab
from heritage_tagger.services.catalogue import open_catalogue
from tests.factories import add_tagged_record
from tests.vocab.samples import EX, write_skos

WAIT = 20_000


@pytest.fixture
def cat_path(tmp_path: Path) -> Path:
    path = tmp_path / "cat.sqlite"
    with open_catalogue(path) as cat:
        add_tagged_record(cat, "r1", {"Women": TagState.CATALOGUED}, title="Two moms with their children")
        add_tagged_record(
            cat, "r2", {"woman": TagState.ACCEPTED, "Mercury": TagState.CATALOGUED}, title="A woman racing"
        )
        add_tagged_record(cat, "r3", {"Boats": TagState.CATALOGUED}, title="Boats in the harbour")
    return path


def open_and_wait(qtbot, w: MainWindow, path: Path) -> None:
    with (
        qtbot.waitSignal(w.model.loaded, timeout=WAIT),
        qtbot.waitSignal(w.browse.details_shown, timeout=WAIT),
    ):
        w.open_path(path)


def finish(qtbot, w: MainWindow) -> None:
    """Wait for the running vocabulary job to end."""
    qtbot.waitUntil(lambda: w.vocabulary.token is None, timeout=WAIT)
    assert w.vocabulary.dialog is not None and not w.vocabulary.dialog.running


def import_sample(qtbot, w: MainWindow, tmp_path: Path):
    w.commands["vocabularies"].trigger()
    dialog = w.vocabulary.dialog
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    dialog.vocabularies.ask_import(str(write_skos(tmp_path)))
    assert dialog.running and dialog.cancel.isVisible()
    finish(qtbot, w)
    return dialog


def with_sample(path: Path, tmp_path: Path) -> Path:
    """The catalogue with the sample vocabulary imported (by the service: these tests are about the rest)."""
    with open_catalogue(path) as cat:
        vocab.import_vocabulary(cat, write_skos(tmp_path))
    return path


def select(qtbot, w: MainWindow, identifier: str) -> int:
    rid = next(r for r in browse.ordered_ids(w.catalogue, browse.BrowseFilter()) if
               browse.record_details(w.catalogue, r).record.identifier == identifier)  # fmt: skip
    if w.current_id == rid:
        return rid
    with qtbot.waitSignal(w.browse.details_shown, timeout=WAIT):
        w.browse.open_record(rid)
    return rid


def test_import_links_and_lists_what_stays_unlinked(qtbot, window, cat_path, tmp_path):
    open_and_wait(qtbot, window, cat_path)
    dialog = import_sample(qtbot, window, tmp_path)
    assert "Imported the vocabulary “Example subjects”: 9 concepts" in dialog.job_label.text()
    assert "Example subjects" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: dialog.vocabularies.table.topLevelItemCount() == 1)
    row = dialog.vocabularies.table.topLevelItem(0)
    assert row.text(0) == "Example subjects" and row.text(1) == "9" and row.text(4) == "ready"
    # the links tab lists the tag naming two concepts and the one naming none
    tree = dialog.links.tree
    sections = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert sections == ["Name several concepts (1)", "Match no concept (1), most used first"]
    mercury = tree.topLevelItem(0).child(0)
    assert mercury.text(0) == "Mercury" and mercury.childCount() == 2
    assert tree.topLevelItem(1).child(0).text(0) == "Boats"
    # link the ambiguous tag by hand to one of its candidates
    tree.setCurrentItem(mercury.child(0))
    assert dialog.links.link_one.isEnabled()
    uri = dialog.links.selected_tag()[1]
    with qtbot.waitSignal(window.vocabulary.changed, timeout=WAIT):
        dialog.links.link_one.click()
    assert vs.label_concepts(window.catalogue, ["Mercury"])["Mercury"].concept.uri == uri
    # disable, then remove: the tags stay, unlinked
    with qtbot.waitSignal(window.vocabulary.changed, timeout=WAIT):
        dialog.vocabularies.toggle.click()
    assert not vocab.list_vocabularies(window.catalogue)[0].is_active
    qtbot.waitUntil(lambda: dialog.vocabularies.toggle.text() == "Enable")
    with qtbot.waitSignal(window.vocabulary.changed, timeout=WAIT):
        dialog.vocabularies.request_remove(confirm=False)
    assert vocab.list_vocabularies(window.catalogue) == []
    assert vs.label_concepts(window.catalogue, ["Women", "Mercury"]) == {}


def test_cancel_an_import_adds_nothing_and_keeps_the_window_usable(qtbot, window, cat_path, tmp_path):
    open_and_wait(qtbot, window, cat_path)
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["uri", "pref_label", "alt_labels", "broader"])
        for i in range(30_000):
            out.writerow([f"{EX}c{i}", f"Heading number {i}", f"Alt {i}", f"{EX}c{i // 10}" if i else ""])
    window.commands["vocabularies"].trigger()
    dialog = window.vocabulary.dialog
    progress_seen: list[str] = []
    dialog.bar.valueChanged.connect(lambda _: progress_seen.append(dialog.job_label.text()))
    dialog.vocabularies.ask_import(str(big))
    qtbot.waitUntil(lambda: bool(progress_seen), timeout=WAIT)  # the window went on painting progress
    window.filter_bar.text.setText("boats")  # ... and answering
    qtbot.waitUntil(lambda: window.model.total == 1, timeout=WAIT)
    dialog.cancel.click()
    finish(qtbot, window)
    assert dialog.job_label.text() == "Import cancelled: the vocabulary was not added."
    assert vocab.list_vocabularies(window.catalogue) == []


def test_merge_women_and_woman_then_undo(qtbot, window, cat_path, tmp_path, monkeypatch):
    open_and_wait(qtbot, window, cat_path)
    dialog = import_sample(qtbot, window, tmp_path)
    window.commands["merge_variants"].trigger()
    assert dialog.tabs.currentWidget() is dialog.variants
    dialog.variants.find_button.click()
    qtbot.waitUntil(lambda: bool(dialog.variants.groups), timeout=WAIT)
    group = dialog.variants.tree.topLevelItem(0)
    assert group.text(0) == "Women" and group.child(0).text(0) == "← woman"
    assert group.checkState(0) == Qt.CheckState.Checked
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.variants.merge.click()
    finish(qtbot, window)
    assert "Merged 1 group of tag variants" in dialog.job_label.text()
    r2 = browse.record_details(window.catalogue, 2).tags_by_label
    assert r2.get("Women") is TagState.ACCEPTED and "woman" not in r2
    entries = review.decisions_for(window.catalogue, 2)
    assert {(d.label, d.merge_label) for d in entries} >= {("Women", "woman"), ("woman", "Women")}
    qtbot.waitUntil(lambda: dialog.variants.merges.topLevelItemCount() == 1)
    assert dialog.variants.merges.topLevelItem(0).text(3) == "merged"
    dialog.variants.undo.click()
    finish(qtbot, window)
    assert "Undid merge" in dialog.job_label.text()
    assert browse.record_details(window.catalogue, 2).tags_by_label.get("woman") is TagState.ACCEPTED
    assert tag_merge.list_merges(window.catalogue)[0].undone
    qtbot.waitUntil(lambda: dialog.variants.merges.topLevelItem(0).text(3) == "undone")


def test_vocabulary_suggestions_without_a_model_accepted_with_their_concept(
    qtbot, window, cat_path, tmp_path
):
    open_and_wait(qtbot, window, with_sample(cat_path, tmp_path))
    rid = select(qtbot, window, "r1")
    qtbot.waitUntil(
        lambda: window.panel.data is not None and window.panel.data.record_id == rid, timeout=WAIT
    )
    data = window.panel.data
    assert data.source == "vocabulary" and data.proposed == ["Mothers", "Children"]
    assert "Suggestions from the vocabulary" in window.panel.header.text()
    tree = window.panel.model_tree
    first = tree.topLevelItem(0)
    assert first.text(0).removeprefix(CURSOR_MARK) == "● Mothers" and first.text(1) == "title: “moms”"
    assert f"{EX}mothers" in first.toolTip(0) and "People › Women › Mothers" in first.toolTip(0)
    assert tree.headerItem().text(0) == "Named in its text" and window.panel.train_button.isVisibleTo(window)
    window.browser.grid.setFocus()
    with qtbot.waitSignal(window.review.decided, timeout=WAIT):
        qtbot.keyClick(window.browser.grid, Qt.Key.Key_A)
    decision = review.decisions_for(window.catalogue, rid)[-1]
    assert decision.action is DecisionAction.ACCEPT and decision.label == "Mothers"
    assert decision.model_version is None
    assert vs.label_concepts(window.catalogue, ["Mothers"])["Mothers"].concept.uri == f"{EX}mothers"
    qtbot.waitUntil(lambda: window.panel.states.get("Mothers") is TagState.ACCEPTED, timeout=WAIT)


def test_add_a_tag_completing_on_concepts_with_their_path(qtbot, window, cat_path, tmp_path):
    open_and_wait(qtbot, window, with_sample(cat_path, tmp_path))
    rid = select(qtbot, window, "r3")
    window.browser.grid.setFocus()
    qtbot.keyClick(window.browser.grid, Qt.Key.Key_T)
    dialog = window.review.add_tag_dialog
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.edit.hasFocus)
    qtbot.keyClicks(dialog.edit, "fema")
    popup = dialog.completer.popup()
    qtbot.waitUntil(lambda: popup.isVisible() and dialog.completer.completionCount() > 0, timeout=WAIT)
    shown = dialog.completer.completionModel().index(0, 0).data()
    assert shown == "Females → Women   —   People › Women"
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert dialog.edit.text() == "Women"  # the preferred label
    assert "People › Women" in dialog.path.text() and f"{EX}women" in dialog.path.text()
    with qtbot.waitSignal(window.review.decided, timeout=WAIT):
        qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    assert browse.record_details(window.catalogue, rid).tags_by_label["Women"] is TagState.ACCEPTED
    assert vs.label_concepts(window.catalogue, ["Women"])["Women"].concept.uri == f"{EX}women"


def test_broader_path_in_the_detail_pane_filters_by_concept(qtbot, window, cat_path, tmp_path):
    open_and_wait(qtbot, window, with_sample(cat_path, tmp_path))
    select(qtbot, window, "r2")
    tags = window.detail.tags
    qtbot.waitUntil(lambda: "woman" in window.vocabulary.record_concepts, timeout=WAIT)
    tags.setCurrentRow(next(i for i, t in enumerate(tags.tags) if t.label == "woman"))
    path = window.detail.concept_path
    assert path.isVisible() and "People" in path.text() and "(tag “woman”)" in path.text()
    assert f"{EX}women" in path.text()
    assert "People › Women" in tags.item(tags.currentRow()).toolTip()
    tags.setCurrentRow(next(i for i, t in enumerate(tags.tags) if t.label == "Mercury"))
    assert not path.isVisible()  # an ambiguous tag is not linked
    people = vocab.concept_for_label(window.catalogue, "People")
    with qtbot.waitSignal(window.model.loaded, timeout=WAIT) as blocker:
        path.concept_clicked.emit(people.id, "People")
    assert blocker.args == [2]  # r1 and r2 carry Women (under People); r3 carries Boats
    assert window.filter_bar.concept.isVisible() and "People" in window.filter_bar.concept.text()
    with qtbot.waitSignal(window.model.loaded, timeout=WAIT) as blocker:
        window.filter_bar.concept.click()
    assert blocker.args == [3] and not window.filter_bar.concept.isVisible()


def test_concepts_tab_finds_a_concept_and_filters_the_photos(qtbot, window, cat_path, tmp_path):
    open_and_wait(qtbot, window, cat_path)
    dialog = import_sample(qtbot, window, tmp_path)
    window.commands["filter_concept"].trigger()
    tab = dialog.concepts
    assert dialog.tabs.currentWidget() is tab
    tab.search.setFocus()
    qtbot.keyClicks(tab.search, "wom")
    popup = tab.completer.popup()
    qtbot.waitUntil(lambda: popup.isVisible() and tab.completer.completionCount() > 0, timeout=WAIT)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.shown is not None, timeout=WAIT)
    html = tab.details.toHtml()
    assert "Women" in html and f"{EX}women" in html and "Mothers" in html and "Females" in html
    with qtbot.waitSignal(window.model.loaded, timeout=WAIT) as blocker:
        tab.filter.click()
    assert blocker.args == [2] and window.filter_bar.current().concept_id == tab.shown.concept.id


def test_exports_with_uris_from_the_file_menu(qtbot, window, cat_path, tmp_path):
    open_and_wait(qtbot, window, cat_path)
    import_sample(qtbot, window, tmp_path)
    names = [a.text() for a in window.menuBar().actions()]
    assert "Voc&abulary" in names
    outputs = {"csv": tmp_path / "out.csv", "dc-jsonld": tmp_path / "out.jsonld"}
    for fmt, path in outputs.items():
        with qtbot.waitSignal(window.jobs.status, timeout=WAIT):
            window.jobs.export(fmt, str(path))
    assert f"{EX}women" in outputs["csv"].read_text(encoding="utf-8")
    graph = json.loads(outputs["dc-jsonld"].read_text(encoding="utf-8"))
    assert f"{EX}women" in json.dumps(graph)
    folder = tmp_path / "xmp"
    folder.mkdir()
    with qtbot.waitSignal(window.jobs.status, timeout=WAIT) as blocker:
        window.jobs.export("xmp", str(folder))
    assert "XMP sidecars" in blocker.args[0]
    written = sorted(p.name for p in folder.glob("*.xmp"))
    assert written and "People|Women" in (folder / written[0]).read_text(encoding="utf-8")
    assert BESIDE == "beside"


def test_model_suggestions_show_preferred_labels_with_the_uri_on_hover(
    qtbot, window, trained_catalogue_template, copy_catalogue, tmp_path
):
    path = copy_catalogue(trained_catalogue_template, tmp_path / "trained")
    source = tmp_path / "classes.csv"
    source.write_text(
        "uri,pref_label,alt_labels,broader\n"
        f"{EX}land,Land,,\n{EX}farmland,Farmland,Farms,{EX}land\n{EX}barns,Barns,,{EX}land\n"
        f"{EX}woodlands,Woodlands,Forests,{EX}land\n{EX}trees,Trees,,{EX}land\n"
        f"{EX}harbours,Harbours,Harbors,\n{EX}boats,Boats,,\n",
        encoding="utf-8",
    )
    with open_catalogue(path) as cat:
        vocab.import_vocabulary(cat, source, name="classes")
    window.open_path(path)
    qtbot.waitUntil(lambda: window.panel.data is not None and window.details is not None, timeout=60_000)
    data = window.panel.data
    assert data.source == "model" and data.concepts
    renamed = 0
    for tree in (window.panel.model_tree, window.panel.neighbour_tree, window.panel.existing_tree):
        for item in tree.items():
            label = item.data(0, Qt.ItemDataRole.UserRole + 1)
            found = data.concepts.get(label)
            assert found is not None  # every tag of this catalogue is in the vocabulary
            shown = item.text(0).removeprefix(CURSOR_MARK).removeprefix("● ")
            source = data.sources.get(label) if tree is window.panel.model_tree else None
            suffix = f"  ({SOURCE_TEXT[source]})" if source in SOURCE_TEXT else ""
            assert shown == found.concept.label + suffix  # the preferred label, then where it came from
            assert found.concept.uri in item.toolTip(0)
            if label != found.concept.label:
                renamed += 1
                assert f"The catalogue's tag: {label}" in item.toolTip(0)
    assert renamed >= 1

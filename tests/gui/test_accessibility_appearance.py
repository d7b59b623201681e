"""Accessibility and appearance: accessible names everywhere (Qt's accessibility tree), the light and dark
palettes, the text size, the focus ring, and the user guide (F1) with its keys table from SHORTCUTS."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from heritage_tagger.gui import appearance
from heritage_tagger.gui.accessibility import accessible_name, unnamed_controls
from heritage_tagger.gui.dialogs.guide_dialog import GuideDialog, guide_html, keys_table_html
from heritage_tagger.gui.main_window import MainWindow
from heritage_tagger.gui.preferences import Preferences, app_settings
from heritage_tagger.gui.shortcuts import SHORTCUTS
from heritage_tagger.services import synthetic
from heritage_tagger.services.catalogue import open_catalogue

WAIT = 15_000
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return app_settings(tmp_path / "prefs.ini")


@pytest.fixture
def window(qtbot, settings):
    w = MainWindow(settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.runner.shutdown()
    if w.catalogue is not None:
        w.catalogue.close()
    appearance.apply_appearance("light", 100)  # the next tests see the default look


def open_synth(qtbot, window: MainWindow, path: Path) -> None:
    with open_catalogue(path) as cat:
        synthetic.generate(cat, 12, images=6, seed=3)
    with (
        qtbot.waitSignal(window.model.loaded, timeout=WAIT),
        qtbot.waitSignal(window.browse.details_shown, timeout=WAIT),
    ):
        window.open_path(path)


def lightness(colour) -> float:
    return colour.lightnessF()


# --- the checker ------------------------------------------------------------------------------
def test_the_checker_finds_unnamed_controls_and_accepts_named_ones(qtbot):
    bad = QWidget()
    qtbot.addWidget(bad)
    layout = QVBoxLayout(bad)
    icon_only = QToolButton()  # no text, no name
    symbol = QToolButton()
    symbol.setText("✕")  # a symbol says nothing to a screen-reader user
    edit = QLineEdit(placeholderText="Search")  # a placeholder is not a name
    combo = QComboBox()
    combo.addItems(["All photos", "Reviewed"])  # announced by its value only
    listing = QListWidget()
    good_button = QPushButton("Save")
    named_edit = QLineEdit()
    named_edit.setAccessibleName("Title")
    form = QFormLayout()
    buddied = QComboBox()
    buddied.addItem("Dark")
    form.addRow("Appearance", buddied)  # a form's label is its field's buddy
    for w in (icon_only, symbol, edit, combo, listing, good_button, named_edit):
        layout.addWidget(w)
    layout.addLayout(form)
    bad.show()
    found = unnamed_controls(bad)
    assert len(found) == 5, found
    assert {"QToolButton", "QLineEdit", "QComboBox", "QListWidget"} == {f.split()[0] for f in found}
    assert accessible_name(buddied) == "Appearance" and accessible_name(good_button) == "Save"
    icon_only.setAccessibleName("Close")
    symbol.setAccessibleName("Dismiss")
    edit.setAccessibleName("Search the photos")
    combo.setAccessibleName("Review state")
    listing.setAccessibleName("Photos")
    assert unnamed_controls(bad) == []


def test_main_window_controls_all_have_names(qtbot, window, tmp_path):
    open_synth(qtbot, window, tmp_path / "c.sqlite")
    window.jobs_dock.show()
    window.retrain_bar.show_message("Retrain now?")
    assert unnamed_controls(window) == []
    window.filter_bar.table_button.click()  # the table instead of the grid
    qtbot.waitUntil(lambda: window.browser.currentWidget() is window.browser.table)
    assert unnamed_controls(window) == []
    assert unnamed_controls(window, visible_only=False) == []  # hidden ones too (concept filter, bars)
    assert window.detail.image.canvas.accessibleName()  # the image view, though it takes no focus
    assert window.panel.thumbs.accessibleName()


def dialogs(window: MainWindow) -> list[QDialog]:
    from heritage_tagger.gui.dialogs.add_tag_dialog import AddTagDialog
    from heritage_tagger.gui.dialogs.batch_edit_dialog import BatchEditDialog
    from heritage_tagger.gui.dialogs.export_dialog import ExportContext, ExportDialog
    from heritage_tagger.gui.dialogs.import_dialog import ImportDialog
    from heritage_tagger.gui.dialogs.retrain_dialog import RetrainDialog
    from heritage_tagger.gui.dialogs.shortcuts_dialog import ShortcutsDialog
    from heritage_tagger.gui.dialogs.team_dialog import TeamCatalogueDialog
    from heritage_tagger.gui.dialogs.versions_dialog import VersionsDialog
    from heritage_tagger.gui.dialogs.vocabulary_dialog import VocabularyDialog
    from heritage_tagger.gui.welcome import WelcomeDialog

    return [
        window.edit_preferences(),
        ShortcutsDialog(window),
        GuideDialog(window),
        AddTagDialog(["barns", "harbours"], "SYN-1", window),
        ImportDialog(True, "", window),
        RetrainDialog(12, None, window),
        TeamCatalogueDialog("", "", window),
        VersionsDialog([], window),
        VocabularyDialog(window),
        WelcomeDialog(window, probe=None),
        ExportDialog(ExportContext(selected_ids=(1, 2)), window.settings, None, window),
        BatchEditDialog(3, ["barns", "harbours"], window),
    ]


def test_every_dialog_names_its_controls_and_closes_with_escape(qtbot, window):
    for dialog in dialogs(window):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert unnamed_controls(dialog, visible_only=False) == [], type(dialog).__name__
        dialog.activateWindow()
        qtbot.waitUntil(lambda dialog=dialog: QApplication.activeWindow() is dialog, timeout=2000)
        focus = QApplication.focusWidget()
        assert focus is not None and focus.window() is dialog, type(dialog).__name__  # the keys land in it
        qtbot.keyClick(focus, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda dialog=dialog: not dialog.isVisible(), timeout=2000)


# --- appearance -------------------------------------------------------------------------------
def test_dark_palette_has_dark_window_and_light_text(qapp):
    dark, light = appearance.palette_for("dark"), appearance.palette_for("light")
    for palette, dark_background in ((dark, True), (light, False)):
        for back, fore in (
            (QPalette.ColorRole.Window, QPalette.ColorRole.WindowText),
            (QPalette.ColorRole.Base, QPalette.ColorRole.Text),
            (QPalette.ColorRole.Button, QPalette.ColorRole.ButtonText),
            (QPalette.ColorRole.Highlight, QPalette.ColorRole.HighlightedText),
        ):
            difference = abs(lightness(palette.color(back)) - lightness(palette.color(fore)))
            assert difference > 0.45, (back, fore)  # never light-on-light nor dark-on-dark
        assert (lightness(palette.color(QPalette.ColorRole.Window)) < 0.3) == dark_background


def test_the_preference_overrides_the_system(qapp):
    assert appearance.effective_theme("dark", system_dark=False) == "dark"
    assert appearance.effective_theme("light", system_dark=True) == "light"
    assert appearance.effective_theme("system", system_dark=True) == "dark"
    assert appearance.effective_theme("system", system_dark=False) == "light"
    assert appearance.apply_appearance("dark", 100) == "dark"
    sheet = qapp.styleSheet()
    qapp.setStyleSheet("")  # style() is the style sheet's wrapper while one is set
    assert qapp.style().name().lower() == "fusion"
    qapp.setStyleSheet(sheet)
    window_colour = qapp.palette().color(QPalette.ColorRole.Window)
    text_colour = qapp.palette().color(QPalette.ColorRole.WindowText)
    assert window_colour.lightnessF() < 0.3 < 0.7 < text_colour.lightnessF()
    assert "@" not in qapp.styleSheet() and "palette(highlight)" in qapp.styleSheet()
    appearance.apply_appearance("light", 100)
    assert qapp.palette().color(QPalette.ColorRole.Window).lightnessF() > 0.8


def test_preferences_change_theme_and_text_size_of_the_open_window(qtbot, window, settings):
    base = appearance.system_font()
    dialog = window.edit_preferences()
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.text_size.setCurrentIndex(dialog.text_size.findData(150))
    dialog.accept()
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert appearance.current_theme() == "dark"
    assert window.palette().color(QPalette.ColorRole.Window).lightnessF() < 0.3
    assert window.filter_bar.text.palette().color(QPalette.ColorRole.Text).lightnessF() > 0.7
    if base.pointSizeF() > 0:
        assert app.font().pointSizeF() == pytest.approx(base.pointSizeF() * 1.5, abs=0.11)
        assert window.detail.edits["title"].font().pointSizeF() == pytest.approx(app.font().pointSizeF())
    saved = Preferences.load(settings)
    assert (saved.theme, saved.text_size) == ("dark", 150)
    window.apply_preferences(Preferences(reviewer=saved.reviewer, theme="light", text_size=90))
    assert appearance.current_theme() == "light"
    if base.pointSizeF() > 0:
        assert app.font().pointSizeF() == pytest.approx(base.pointSizeF() * 0.9, abs=0.11)


def test_bad_appearance_preferences_fall_back(settings):
    settings.setValue("preferences/theme", "purple")
    settings.setValue("preferences/text_size", "9000")
    prefs = Preferences.load(settings)
    assert prefs.theme == "system" and prefs.text_size == 300


def test_focused_controls_get_a_ring(qtbot, window):
    sheet = QApplication.instance().styleSheet()  # type: ignore[union-attr]
    focus_rules = [rule for rule in sheet.split("}") if ":focus" in rule]
    assert any("2px solid palette(highlight)" in rule for rule in focus_rules)
    for kind in (
        "QLineEdit",
        "QComboBox",
        "QAbstractItemView",
        "QToolButton",
        "QCheckBox",
    ):
        assert any(f"{kind}:focus" in rule for rule in focus_rules), kind
    assert any("QPushButton:focus" in rule for rule in focus_rules)


# --- the user guide ---------------------------------------------------------------------------
def test_f1_opens_the_guide_with_the_review_keys(qtbot, window):
    window.browser.view.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.guide_dialog is not None and window.guide_dialog.isVisible())
    assert window.guide_dialog is not None
    text = window.guide_dialog.browser.toPlainText()
    assert "The first hour" in text and "What the scores mean" in text
    for s in SHORTCUTS:
        assert s.help in text
    assert "Keyboard shortcuts" not in window.guide_dialog.windowTitle()
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert help_menu.actions()[0].text() == "&User guide"


def test_the_keys_table_is_made_from_shortcuts():
    table = keys_table_html()
    assert table.count("<tr>") == len(SHORTCUTS) + 1
    html = guide_html()
    assert "<!-- KEYS" not in html and table in html


def test_the_guide_ships_with_the_package():
    guide = REPO / "resources" / "guide"
    assert (guide / "index.html").is_file() and (guide / "guide.css").is_file()
    assert (guide / "index.fr.html").is_file()  # the French guide, beside the French translation
    setup = (REPO / "setup.py").read_text(encoding="utf-8")
    assert '"heritage_tagger._resources.guide"' in setup  # a package of its own, so the wheel carries it


def test_state_colours_are_made_readable_on_both_palettes(qapp):
    from PySide6.QtGui import QColor

    # "suggested" orange reads 2.6:1 on the light base, "catalogued" blue 3.4:1 on the dark one
    for theme, colour in (("light", QColor(200, 130, 0)), ("dark", QColor(70, 110, 170))):
        base = appearance.palette_for(theme).color(QPalette.ColorRole.Base)
        assert appearance.contrast(colour, base) < 4.5
        fixed = appearance.readable(colour, base)
        assert appearance.contrast(fixed, base) >= 4.5
        assert abs(fixed.hslHueF() - colour.hslHueF()) < 0.02  # the same hue


# --- the keyboard -----------------------------------------------------------------------------
def test_every_menu_and_menu_command_has_a_mnemonic(window):
    for menu_action in window.menuBar().actions():
        assert "&" in menu_action.text(), menu_action.text()
        menu = menu_action.menu()
        letters = []
        for action in menu.actions():
            if action.isSeparator():
                continue
            text = action.text()
            assert "&" in text, text
            letters.append(text[text.index("&") + 1].lower())
        assert len(letters) == len(set(letters)), (menu_action.text(), letters)  # one letter, one command


def test_the_photo_zooms_from_the_keyboard(qtbot, window, tmp_path):
    open_synth(qtbot, window, tmp_path / "c.sqlite")
    image = window.detail.image
    before = image.canvas.transform().m11()
    window.commands["zoom_in"].trigger()
    assert image.canvas.transform().m11() == pytest.approx(before * 1.25) and not image.fitting
    window.commands["zoom_fit"].trigger()
    assert image.fitting
    assert window.commands["zoom_in"].shortcuts()[0].toString() == "Ctrl++"


def test_enter_accepts_and_escape_cancels_the_preferences(qtbot, window):
    dialog = window.edit_preferences()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.reviewer.setFocus()
    dialog.reviewer.setText("ann")
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.keyClick(dialog.reviewer, Qt.Key.Key_Return)
    assert window.prefs.reviewer == "ann"


def test_a_translated_guide_is_picked_by_the_locale(tmp_path):
    from PySide6.QtCore import QLocale

    from heritage_tagger.gui.dialogs.guide_dialog import guide_file

    (tmp_path / "index.html").write_text("en", encoding="utf-8")
    (tmp_path / "index.fr.html").write_text("fr", encoding="utf-8")
    assert guide_file(tmp_path, QLocale("fr_CA")).name == "index.fr.html"
    assert guide_file(tmp_path, QLocale("de_DE")).name == "index.html"

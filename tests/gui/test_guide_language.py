"""The user guide speaks the interface's language: the French page and keys table under the French
translation, the English ones without it; the French page names the menus as the French GUI shows them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import escape
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication

from heritage_tagger.gui import i18n
from heritage_tagger.gui.dialogs.guide_dialog import GuideDialog, guide_file, guide_html, keys_table_html
from heritage_tagger.gui.i18n import current_language, install_translations, uninstall_translations
from heritage_tagger.gui.preferences import app_settings
from heritage_tagger.gui.shortcuts import SHORTCUTS

REPO = Path(__file__).resolve().parents[2]
GUIDE = REPO / "resources" / "guide"
FR_HEADING = "Heritage Tagger : guide de l’utilisateur"


@pytest.fixture
def french(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[QApplication]:
    monkeypatch.setenv(i18n.ENV_VAR, "fr")
    assert install_translations(qapp) == "fr"
    yield qapp
    uninstall_translations(qapp)


@pytest.fixture
def english(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[QApplication]:
    monkeypatch.setenv(i18n.ENV_VAR, "en")
    assert install_translations(qapp) == "en"
    yield qapp
    uninstall_translations(qapp)


def test_the_chosen_language_is_recorded(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(i18n.ENV_VAR, "fr")
    install_translations(qapp)
    assert current_language() == "fr"
    uninstall_translations(qapp)
    assert current_language() == "en"
    monkeypatch.setenv(i18n.ENV_VAR, "en")
    install_translations(qapp)
    assert current_language() == "en"


def test_the_guide_page_follows_the_interface_language_not_the_system(
    tmp_path: Path, french: QApplication
) -> None:
    (tmp_path / "index.html").write_text("en", encoding="utf-8")
    (tmp_path / "index.fr.html").write_text("fr", encoding="utf-8")
    assert guide_file(tmp_path).name == "index.fr.html"  # whatever QLocale() of this machine says
    assert guide_file(tmp_path, "en").name == "index.html"
    assert guide_file(tmp_path, "fr_CA").name == "index.fr.html"
    uninstall_translations(french)
    assert guide_file(tmp_path).name == "index.html"


def test_french_guide_and_keys_table(french: QApplication) -> None:
    html = guide_html()
    assert f"<h1>{FR_HEADING}</h1>" in html and "La première heure" in html
    assert "The first hour" not in html and "<!-- KEYS" not in html
    table = keys_table_html()
    assert table in html and table.count("<tr>") == len(SHORTCUTS) + 1
    assert "<th>Touches</th><th>Action</th>" in table
    assert "Accepter la suggestion courante (▶, le curseur de révision)" in table
    for s in SHORTCUTS:
        french_help = QCoreApplication.translate("Shortcuts", s.help)
        assert french_help != s.help, f"no French for the shortcut help {s.help!r}"
        assert escape(french_help) in table
        assert f"<td>{s.help}</td>" not in table


def test_english_guide_and_keys_table(english: QApplication) -> None:
    html = guide_html()
    assert "<h1>Heritage Tagger: user guide</h1>" in html and FR_HEADING not in html
    assert "<th>Keys</th><th>What it does</th>" in keys_table_html()


def test_f1_shows_the_french_guide(french: QApplication, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from heritage_tagger.gui.main_window import MainWindow

    window = MainWindow(app_settings(tmp_path / "s.ini"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.browser.view.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.guide_dialog is not None and window.guide_dialog.isVisible())
    dialog = window.guide_dialog
    assert dialog is not None
    text = dialog.browser.toPlainText()
    assert FR_HEADING in text and "Ce que disent les scores" in text
    assert "Rejeter la suggestion courante (▶)" in text and "What it does" not in text
    assert dialog.windowTitle() == "Guide de l’utilisateur de Heritage Tagger"
    window.runner.shutdown()


def _shown(context: str, source: str) -> str:
    """A menu or command as the French GUI shows it, without its mnemonic and its trailing "…"."""
    return QCoreApplication.translate(context, source).replace("&", "").rstrip("…")


def test_the_french_guide_names_the_menus_the_french_gui_shows(french: QApplication) -> None:
    text = " ".join((GUIDE / "index.fr.html").read_text(encoding="utf-8").split())
    paths = [
        (("Menus", "&File"), ("Shortcuts", "&New catalogue…")),
        (("Menus", "&File"), ("Shortcuts", "&Open catalogue…")),
        (("Menus", "&File"), ("Shortcuts", "&Import folder…")),
        (("Menus", "&Model"), ("Menus", "&Train…")),
        (("Menus", "&Model"), ("Menus", "&Retrain…")),
        (("Menus", "&Model"), ("Menus", "&Versions…")),
        (("Menus", "&View"), ("MainWindow", "&Jobs")),
        (("Menus", "&Review"), ("Menus", "Review &queue (needs attention first)")),
        (("Menus", "&Edit"), ("Shortcuts", "&Preferences…")),
        (("Menus", "Voc&abulary"), ("Menus", "&Vocabularies…")),
        (("Menus", "&Help"), ("Shortcuts", "&User guide")),
    ]
    for menu, command in paths:
        shown = f"{_shown(*menu)} &gt; {_shown(*command)}"
        if "File de révision" in shown:
            shown = shown.split(" (")[0]  # the guide names the command without its explanation
        assert shown in text, shown
    for button in (
        ("Menus", "&Link tags to concepts…"),
        ("Menus", "&Merge tag variants…"),
        ("Menus", "&Find a concept / filter by it…"),
        ("RetrainDialog", "Activate"),
        ("RetrainDialog", "Discard"),
        ("ImportDialog", "Suggest tags for the new photos"),
        ("SuggestionPanel", "No confident suggestion: this photo needs a person"),
        ("SuggestionPanel", "⚠ check"),
        ("SuggestionPanel", "not in model"),
        ("SuggestionPanel", "Tags it carries"),
        ("SuggestionPanel", "Neighbours' tags"),
        ("PreferencesDialog", "Propose tags with"),
        ("Appearance", "Follow the system"),
    ):
        assert _shown(*button) in text, button


def test_the_french_page_keeps_the_english_structure() -> None:
    english = (GUIDE / "index.html").read_text(encoding="utf-8")
    french = (GUIDE / "index.fr.html").read_text(encoding="utf-8")
    for pattern in (r'id="[^"]+"', r'href="[^"]+"', r"<(h1|h2|li|dt|dd|table|kbd|code)\b", r"<!-- /?KEYS"):
        assert len(re.findall(pattern, french)) == len(re.findall(pattern, english)), pattern
    assert sorted(re.findall(r'id="([^"]+)"', french)) == sorted(re.findall(r'id="([^"]+)"', english))
    assert '<html lang="fr">' in french


def test_the_guide_dialog_opens_in_french_without_a_window(french: QApplication, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = GuideDialog()
    qtbot.addWidget(dialog)
    assert FR_HEADING in dialog.browser.toPlainText()

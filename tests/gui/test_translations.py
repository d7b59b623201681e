"""The French translation: the language choice, the committed .ts/.qm in step with the code, and French on screen."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from heritage_tagger.gui import i18n
from heritage_tagger.gui.i18n import choose_language, install_translations, uninstall_translations
from heritage_tagger.gui.preferences import Preferences, app_settings

REPO = Path(__file__).resolve().parents[2]
TS = REPO / "resources" / "i18n" / "heritage_tagger_fr.ts"
QM = TS.with_suffix(".qm")


def _tool(name: str) -> str:
    """PySide6's lupdate / lrelease, next to this interpreter (they ship with the PySide6 wheel)."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert found is not None, f"{name} is missing: it comes with PySide6"
    return found


def _gui_sources() -> list[str]:
    return sorted(str(p) for p in (REPO / "heritage_tagger" / "gui").rglob("*.py"))


# --- choosing the language --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("override", "preference", "system", "expected"),
    [
        (None, "system", ["fr-FR", "fr", "en-US"], "fr"),  # a French system
        (None, "system", ["fr_CA.UTF-8"], "fr"),
        ("en", "system", ["fr-FR"], "en"),  # HERITAGE_TAGGER_LANG=en wins over the system
        ("fr_FR.UTF-8", "en", ["en-GB"], "fr"),  # ... and over the preference
        (None, "system", ["de-DE", "de"], "en"),  # a language not shipped: English
        (None, "system", ["de-DE", "fr-FR"], "fr"),  # the first shipped one of the system's list
        (None, "system", [], "en"),
        (None, "fr", ["en-US"], "fr"),  # the preference over the system
        (None, "en", ["fr-FR"], "en"),
        ("xx", "system", ["fr-FR"], "fr"),  # an unknown override is ignored
    ],
)
def test_the_language_is_chosen_from_override_preference_and_system(
    override: str | None, preference: str, system: list[str], expected: str
) -> None:
    assert choose_language(override, preference, system) == expected


def test_the_language_preference_is_kept_and_checked(tmp_path: Path) -> None:
    settings = app_settings(tmp_path / "s.ini")
    Preferences(language="fr").save(settings)
    assert Preferences.load(settings).language == "fr"
    settings.setValue("preferences/language", "klingon")
    assert Preferences.load(settings).language == "system"


# --- the committed translation is in step with the code ----------------------------------------
def test_every_gui_string_is_in_the_committed_ts_and_translated(tmp_path: Path) -> None:
    """lupdate over gui/ adds nothing to the committed .ts (run `make translations` after adding strings),
    and every message has a French translation that keeps the source's {placeholders}."""
    copy = tmp_path / "fr.ts"
    shutil.copy(TS, copy)
    out = subprocess.run(
        [_tool("pyside6-lupdate"), "-locations", "none", *_gui_sources(), "-no-obsolete", "-ts", str(copy)],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    assert re.search(r"\(0 new and \d+ already existing\)", out.stdout), out.stdout
    assert copy.read_text(encoding="utf-8") == TS.read_text(encoding="utf-8"), "strings removed from the code"
    messages = list(ET.parse(TS).getroot().iter("message"))
    assert len(messages) > 400
    for message in messages:
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None and translation.get("type") is None, f"untranslated: {source!r}"
        text = translation.text or ""
        assert text.strip(), f"empty translation: {source!r}"
        assert sorted(re.findall(r"\{[^{}]*\}", text)) == sorted(re.findall(r"\{[^{}]*\}", source)), source


def test_the_committed_qm_is_the_compiled_ts(tmp_path: Path) -> None:
    """The .qm the app loads (and the wheel ships) is what lrelease makes of the committed .ts."""
    fresh = tmp_path / "fr.qm"
    subprocess.run(
        [_tool("pyside6-lrelease"), str(TS), "-qm", str(fresh)], capture_output=True, check=True, timeout=120
    )
    assert fresh.read_bytes() == QM.read_bytes(), "the .qm is stale: run `make translations`"


# --- French on screen --------------------------------------------------------------------------
@pytest.fixture
def french(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[QApplication]:
    monkeypatch.setenv(i18n.ENV_VAR, "fr")
    assert install_translations(qapp) == "fr"
    yield qapp
    uninstall_translations(qapp)


def _menu_titles(window: object) -> list[str]:
    return [a.text() for a in window.menuBar().actions()]  # type: ignore[attr-defined]


def test_the_main_window_speaks_french_with_the_translator(
    french: QApplication, qtbot, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from heritage_tagger.gui.main_window import MainWindow

    window = MainWindow(app_settings(tmp_path / "s.ini"))
    qtbot.addWidget(window)
    assert _menu_titles(window) == [
        "&Fichier",
        "É&dition",
        "&Affichage",
        "Re&cherche",
        "&Révision",
        "&Modèle",
        "&Vocabulaire",
        "Ai&de",
    ]
    assert window.commands["accept"].text() == "&Accepter la suggestion"
    assert window.commands["open"].text() == "&Ouvrir un catalogue…"
    assert window.commands["vocabularies"].text() == "&Vocabulaires contrôlés…"
    assert window.commands["accept"].shortcut().toString() == "A"  # the keys are not translated
    assert window.panel.message.text() == "Sélectionnez une photo pour voir ses suggestions."
    assert window.filter_bar.state.itemText(0) == "Toutes photos"
    window.runner.shutdown()


def test_the_review_cursor_sentence_is_french(french: QApplication) -> None:
    from heritage_tagger.domain.records import TagState
    from heritage_tagger.gui.review_cursor import MODEL, Entry, Lists, ReviewCursor

    cursor = ReviewCursor()
    assert cursor.describe() == "Chargement des suggestions de cette photo…"
    cursor.set_record(7)
    cursor.set_lists(Lists(7, {MODEL: [Entry("Granges", 0.91, proposed=True)]}, live=True))
    cursor.set_states(7, {"Granges": TagState.SUGGESTED})
    assert cursor.describe() == (
        "« Granges » : suggestion du modèle, proposé, en attente, 0.91. A accepte, R rejette ; "
        "Tab passe à la liste suivante."
    )


def test_english_is_unchanged_without_the_translator(qapp: QApplication, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from heritage_tagger.gui.main_window import MainWindow
    from heritage_tagger.gui.review_cursor import ReviewCursor

    uninstall_translations(qapp)
    window = MainWindow(app_settings(tmp_path / "s.ini"))
    qtbot.addWidget(window)
    assert _menu_titles(window) == [
        "&File",
        "&Edit",
        "&View",
        "&Search",
        "&Review",
        "&Model",
        "Voc&abulary",
        "&Help",
    ]
    assert window.commands["accept"].text() == "&Accept suggestion"
    assert ReviewCursor().describe() == "Loading this photo's suggestions…"
    window.runner.shutdown()


def test_the_preferences_dialog_offers_the_language_for_the_next_start(qapp: QApplication, qtbot) -> None:  # type: ignore[no-untyped-def]
    from heritage_tagger.gui.dialogs.preferences_dialog import PreferencesDialog

    dialog = PreferencesDialog(Preferences(reviewer="ann", language="fr"))
    qtbot.addWidget(dialog)
    assert [dialog.language.itemText(i) for i in range(dialog.language.count())] == [
        "System",
        "English",
        "Français",
    ]
    assert dialog.language.currentData() == "fr"
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    assert dialog.result_preferences().language == "en"

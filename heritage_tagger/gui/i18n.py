"""The interface language: pick it (override, preference, system locale) and install Qt translators."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from heritage_tagger.settings import resources_dir


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Mark ``source`` for translation in ``context`` (lupdate collects it); returns it unchanged.

    PySide6's own QT_TRANSLATE_NOOP is typed as returning ``object``: this one keeps ``str`` for mypy.
    Show the text with ``QCoreApplication.translate(context, source)`` (or ``self.tr`` in that class).
    """
    return source


#: the environment variable that forces the language ("en", "fr"), over the preference and the system
ENV_VAR = "HERITAGE_TAGGER_LANG"
#: the app's own translations: ``<resources>/i18n/heritage_tagger_<lang>.qm``
CATALOGUE = "heritage_tagger"
SOURCE_LANGUAGE = "en"
#: the preference's values and their labels in the dialog ("system": follow the operating system)
LANGUAGES = {
    "system": QT_TRANSLATE_NOOP("Language", "System"),
    "en": "English",  # each language is named in its own words, never translated
    "fr": "Français",
}
SUPPORTED = tuple(code for code in LANGUAGES if code != "system")

_installed: list[QTranslator] = []  # the translators installed by install_translations (kept alive)
_current = [SOURCE_LANGUAGE]  # the language install_translations chose (a list: no ``global``)


def current_language() -> str:
    """The language the interface speaks: the one install_translations chose ("en" before it runs,
    and after uninstall_translations). The user guide and anything else shown in a language follow it."""
    return _current[0]


def language_label(code: str) -> str:
    """The dialog's label for a ``LANGUAGES`` key."""
    text = LANGUAGES[code]
    return QCoreApplication.translate("Language", text) if code == "system" else text


def _base(tag: str) -> str:
    """``fr_FR.UTF-8`` / ``fr-CA`` / ``FR`` -> ``fr``."""
    return tag.strip().replace("-", "_").split(".")[0].split("@")[0].split("_")[0].lower()


def choose_language(override: str | None, preference: str, system_languages: Iterable[str]) -> str:
    """The language to show: ``override`` (the environment variable) if supported, then the
    preference unless it is "system", then the first supported of the system's UI languages; English
    when none is supported."""
    for tag in (override or "", "" if preference == "system" else preference):
        if _base(tag) in SUPPORTED:
            return _base(tag)
    for tag in system_languages:
        if _base(tag) in SUPPORTED:
            return _base(tag)
    return SOURCE_LANGUAGE


def system_languages() -> list[str]:
    """The system's UI languages in order of preference (Qt reads LANGUAGE, LC_ALL, LC_MESSAGES, LANG)."""
    return list(QLocale.system().uiLanguages())


def translations_dir() -> Path | None:
    try:
        folder = resources_dir() / "i18n"
    except FileNotFoundError:
        return None
    return folder if folder.is_dir() else None


def qm_path(language: str) -> Path | None:
    """The compiled translation of the app for ``language``, if shipped."""
    folder = translations_dir()
    path = folder / f"{CATALOGUE}_{language}.qm" if folder is not None else None
    return path if path is not None and path.is_file() else None


def _translators(language: str) -> Sequence[QTranslator]:
    """Qt's own strings (standard buttons, file dialogs) and the app's, for ``language``."""
    found: list[QTranslator] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt = QTranslator()
    if qt.load(f"qtbase_{language}", qt_dir):
        found.append(qt)
    own = qm_path(language)
    app = QTranslator()
    if own is not None and app.load(str(own)):
        found.append(app)
    return found


def install_translations(app: QCoreApplication, settings: QSettings | None = None) -> str:
    """Install the translators for the chosen language (replacing any installed before); returns it.

    The preference is read from ``settings`` (key ``preferences/language``); a change takes effect
    at the next start, since the widgets already built keep their texts.
    """
    preference = str(settings.value("preferences/language", "system") or "system") if settings else "system"
    language = choose_language(os.environ.get(ENV_VAR), preference, system_languages())
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    _current[0] = SOURCE_LANGUAGE
    _current[0] = language
    if language != SOURCE_LANGUAGE:
        for translator in _translators(language):
            app.installTranslator(translator)
            _installed.append(translator)
    return language


def uninstall_translations(app: QCoreApplication) -> None:
    """Back to the source language (English)."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    _current[0] = SOURCE_LANGUAGE

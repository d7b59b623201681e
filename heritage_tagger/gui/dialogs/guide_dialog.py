"""Help > User guide: the HTML guide shipped in resources/guide/, shown offline in a QTextBrowser.

The guide's keys table is made from gui/shortcuts.py each time it is shown, so it never drifts
from the keys the window really has. A translated guide is ``index.<locale>.html`` beside it
(``index.fr.html`` or ``index.fr_CA.html``), picked by the language the interface speaks
(gui/i18n.current_language(): the one install_translations chose), else ``index.html``; the keys
table's texts go through the same translator. A QTextBrowser (not the system browser) works without a
network or a browser and takes the application's palette, so it follows the light or dark theme.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QUrl
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from heritage_tagger.gui.i18n import current_language
from heritage_tagger.gui.shortcuts import SHORTCUTS
from heritage_tagger.settings import resources_dir

_KEYS_BLOCK = re.compile(r"<!-- KEYS.*?<!-- /KEYS -->", re.DOTALL)


def guide_folder() -> Path | None:
    """resources/guide (installed package data or the repository's), if present."""
    try:
        folder = resources_dir() / "guide"
    except FileNotFoundError:
        return None
    return folder if (folder / "index.html").is_file() else None


def guide_file(folder: Path, locale: QLocale | str | None = None) -> Path:
    """The guide's page for ``locale`` (a QLocale or a language code such as "fr" or "fr_CA"; default:
    the interface's language, i18n.current_language()): index.fr_CA.html, index.fr.html, index.html."""
    if locale is None:
        locale = current_language()
    name = locale.name() if isinstance(locale, QLocale) else locale.replace("-", "_")  # "fr_CA"
    for candidate in (f"index.{name}.html", f"index.{name.split('_')[0]}.html"):
        if (folder / candidate).is_file():
            return folder / candidate
    return folder / "index.html"


def keys_table_html() -> str:
    """Every shortcut of gui/shortcuts.py as an HTML table: keys (as this system writes them), what it does."""
    keys_title = QCoreApplication.translate("Guide", "Keys")
    what_title = QCoreApplication.translate("Guide", "What it does")
    rows = [f"<tr><th>{escape(keys_title)}</th><th>{escape(what_title)}</th></tr>"]
    for s in SHORTCUTS:
        keys = QCoreApplication.translate("Guide", " or ").join(
            f"<kbd>{escape(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText))}</kbd>"
            for k in s.keys
        )
        what = QCoreApplication.translate("Shortcuts", s.help)  # marked QT_TRANSLATE_NOOP in shortcuts.py
        rows.append(f"<tr><td>{keys}</td><td>{escape(what)}</td></tr>")
    return '<table border="1" cellspacing="0" cellpadding="3">' + "".join(rows) + "</table>"


def guide_html(locale: QLocale | str | None = None) -> str:
    """The guide's HTML (in ``locale``, default the interface's language) with its keys table made from
    SHORTCUTS ("" when the guide is not installed)."""
    folder = guide_folder()
    if folder is None:
        return ""
    text = guide_file(folder, locale).read_text(encoding="utf-8")
    return _KEYS_BLOCK.sub(lambda _m: keys_table_html(), text, count=1)


class GuideDialog(QDialog):
    """The user guide in a window of its own (not modal: the librarian can try what it says)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Heritage Tagger user guide"))
        self.setObjectName("guideDialog")
        self.browser = QTextBrowser()
        self.browser.setObjectName("guideBrowser")
        self.browser.setAccessibleName(self.tr("User guide"))
        self.browser.setOpenExternalLinks(True)
        folder = guide_folder()
        html = guide_html()
        if folder is not None and html:
            self.browser.setSearchPaths([str(folder)])
            css = folder / "guide.css"
            if css.is_file():
                self.browser.document().setDefaultStyleSheet(css.read_text(encoding="utf-8"))
            self.browser.document().setBaseUrl(QUrl.fromLocalFile(str(folder) + "/"))
            self.browser.setHtml(html)
        else:
            self.browser.setPlainText(
                self.tr(
                    "The user guide is missing from this installation. Reinstall Heritage Tagger to get it."
                )
            )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(760, 680)
        self.browser.setFocus()


def open_guide(parent: QWidget | None = None) -> GuideDialog:
    """Show the guide (non-modal) and return its window."""
    dialog = GuideDialog(parent)
    dialog.show()
    dialog.raise_()
    return dialog

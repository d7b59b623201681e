"""The main window's menus, declared once: the menu-only actions and where every action appears."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenuBar

from heritage_tagger.gui.i18n import QT_TRANSLATE_NOOP

#: actions that have no shortcut (gui/shortcuts.py declares those that do), by name: menu text
MENU_ACTIONS = {
    "connect": QT_TRANSLATE_NOOP("Menus", "Connect to a &team catalogue…"),
    "export": QT_TRANSLATE_NOOP(
        "Menus", "&Export…"
    ),  # CSV, Dublin Core XML, JSON-LD or XMP sidecars (gui/dialogs/export_dialog.py)
    "vocabularies": QT_TRANSLATE_NOOP("Menus", "&Vocabularies…"),
    "link_tags": QT_TRANSLATE_NOOP("Menus", "&Link tags to concepts…"),
    "merge_variants": QT_TRANSLATE_NOOP("Menus", "&Merge tag variants…"),
    "filter_concept": QT_TRANSLATE_NOOP("Menus", "&Find a concept / filter by it…"),
    "train": QT_TRANSLATE_NOOP("Menus", "&Train…"),
    "retrain": QT_TRANSLATE_NOOP("Menus", "&Retrain…"),
    "versions": QT_TRANSLATE_NOOP("Menus", "&Versions…"),
    "queue": QT_TRANSLATE_NOOP("Menus", "Review &queue (needs attention first)"),
    "tag_search": QT_TRANSLATE_NOOP("Menus", "Photos &for a tag…"),  # gui/dialogs/tag_search_dialog.py
    "demo": QT_TRANSLATE_NOOP("Menus", "Open the &demo collection"),
    "about": QT_TRANSLATE_NOOP("Menus", "&About Heritage Tagger"),
}

#: menu title: action names in order ("" is a separator)
MENUS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        QT_TRANSLATE_NOOP("Menus", "&File"),
        (
            "open",
            "new",
            "connect",
            "",
            "import",
            "export",
            "",
            "quit",
        ),
    ),
    (QT_TRANSLATE_NOOP("Menus", "&Edit"), ("undo", "redo", "", "batch_edit", "", "find", "preferences")),
    (QT_TRANSLATE_NOOP("Menus", "&View"), ("jobs", "saved_searches", "", "zoom_in", "zoom_out", "zoom_fit")),
    (
        QT_TRANSLATE_NOOP("Menus", "&Search"),
        ("save_search",),
    ),  # the saved searches follow (gui/saved_searches.py)
    (
        QT_TRANSLATE_NOOP("Menus", "&Review"),
        (
            "queue",
            "tag_search",
            "",
            "accept",
            "reject",
            "accept_all",
            "reject_all",
            "mark_reviewed",
            "",
            "add_tag",
            "remove_tag",
            "next",
            "previous",
        ),
    ),
    (QT_TRANSLATE_NOOP("Menus", "&Model"), ("train", "retrain", "versions")),
    (
        QT_TRANSLATE_NOOP("Menus", "Voc&abulary"),
        ("vocabularies", "link_tags", "merge_variants", "", "filter_concept"),
    ),
    (QT_TRANSLATE_NOOP("Menus", "&Help"), ("guide", "shortcuts", "demo", "about")),
)


def menu_actions(parent: QObject) -> dict[str, QAction]:
    """A QAction for each of ``MENU_ACTIONS``."""
    return {
        name: QAction(QCoreApplication.translate("Menus", text), parent)
        for name, text in MENU_ACTIONS.items()
    }


def build_menus(bar: QMenuBar, actions: dict[str, QAction]) -> None:
    """Fill ``bar`` with ``MENUS``, taking every action by name from ``actions``."""
    for title, names in MENUS:
        menu = bar.addMenu(QCoreApplication.translate("Menus", title))
        for name in names:
            if name:
                menu.addAction(actions[name])
            else:
                menu.addSeparator()

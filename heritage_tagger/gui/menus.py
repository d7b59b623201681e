"""The main window's menus, declared once: the menu-only actions and where every action appears."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenuBar

#: actions that have no shortcut (gui/shortcuts.py declares those that do), by name: menu text
MENU_ACTIONS = {
    "connect": "Connect to a &team catalogue…",
    "export": "&Export…",  # CSV, Dublin Core XML, JSON-LD or XMP sidecars (gui/dialogs/export_dialog.py)
    "vocabularies": "&Vocabularies…",
    "link_tags": "&Link tags to concepts…",
    "merge_variants": "&Merge tag variants…",
    "filter_concept": "&Find a concept / filter by it…",
    "train": "&Train…",
    "retrain": "&Retrain…",
    "versions": "&Versions…",
    "queue": "Review &queue (needs attention first)",
    "demo": "Open the &demo collection",
    "about": "&About Heritage Tagger",
}

#: menu title: action names in order ("" is a separator)
MENUS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "&File",
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
    ("&Edit", ("undo", "redo", "", "batch_edit", "", "find", "preferences")),
    ("&View", ("jobs", "saved_searches", "", "zoom_in", "zoom_out", "zoom_fit")),
    ("&Search", ("save_search",)),  # the saved searches follow (gui/saved_searches.py)
    (
        "&Review",
        (
            "queue",
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
    ("&Model", ("train", "retrain", "versions")),
    ("Voc&abulary", ("vocabularies", "link_tags", "merge_variants", "", "filter_concept")),
    ("&Help", ("guide", "shortcuts", "demo", "about")),
)


def menu_actions(parent: QObject) -> dict[str, QAction]:
    """A QAction for each of ``MENU_ACTIONS``."""
    return {name: QAction(text, parent) for name, text in MENU_ACTIONS.items()}


def build_menus(bar: QMenuBar, actions: dict[str, QAction]) -> None:
    """Fill ``bar`` with ``MENUS``, taking every action by name from ``actions``."""
    for title, names in MENUS:
        menu = bar.addMenu(title)
        for name in names:
            if name:
                menu.addAction(actions[name])
            else:
                menu.addSeparator()

"""Every keyboard shortcut, defined once: the QActions and the Help > Keyboard shortcuts window both read it."""

from __future__ import annotations

from dataclasses import dataclass

from heritage_tagger.gui.i18n import QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class Shortcut:
    name: str  # the action's key in MainWindow.commands
    text: str  # menu text (QT_TRANSLATE_NOOP: shown through QCoreApplication.translate("Shortcuts", ...))
    keys: tuple[str, ...]  # QKeySequence strings
    help: str
    review: bool = False  # single keys: active only while the browser or a tag list has focus


SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut(
        "accept",
        QT_TRANSLATE_NOOP("Shortcuts", "&Accept suggestion"),
        ("A",),
        QT_TRANSLATE_NOOP("Shortcuts", "Accept the current suggestion (▶, the review cursor)"),
        review=True,
    ),
    Shortcut(
        "reject",
        QT_TRANSLATE_NOOP("Shortcuts", "&Reject suggestion"),
        ("R",),
        QT_TRANSLATE_NOOP("Shortcuts", "Reject the current suggestion (▶)"),
        review=True,
    ),
    Shortcut(
        "accept_all",
        QT_TRANSLATE_NOOP("Shortcuts", "Accept all &proposed"),
        ("Return", "Enter"),
        QT_TRANSLATE_NOOP("Shortcuts", "Accept every proposed (●) tag of the photo still open"),
        review=True,
    ),
    Shortcut(
        "reject_all",
        QT_TRANSLATE_NOOP("Shortcuts", "Re&ject all proposed"),
        ("Shift+R",),
        QT_TRANSLATE_NOOP("Shortcuts", "Reject every proposed (●) tag of the photo still open (one undo)"),
        review=True,
    ),
    Shortcut(
        "mark_reviewed",
        QT_TRANSLATE_NOOP("Shortcuts", "&Mark photo reviewed"),
        ("M",),
        QT_TRANSLATE_NOOP("Shortcuts", "Done with this photo: it leaves the review queue (undoable)"),
        review=True,
    ),
    Shortcut(
        "add_tag",
        QT_TRANSLATE_NOOP("Shortcuts", "Add &tag…"),
        ("T",),
        QT_TRANSLATE_NOOP("Shortcuts", "Add a tag, with completion from the collection's vocabulary"),
        review=True,
    ),
    Shortcut(
        "remove_tag",
        QT_TRANSLATE_NOOP("Shortcuts", "R&emove tag"),
        ("Delete",),
        QT_TRANSLATE_NOOP("Shortcuts", "Remove the current tag (▶) from the photo"),
        review=True,
    ),
    Shortcut(
        "next",
        QT_TRANSLATE_NOOP("Shortcuts", "&Next photo"),
        ("J",),
        QT_TRANSLATE_NOOP("Shortcuts", "Next photo; the cursor goes to its first proposal"),
        review=True,
    ),
    Shortcut(
        "previous",
        QT_TRANSLATE_NOOP("Shortcuts", "Pre&vious photo"),
        ("K",),
        QT_TRANSLATE_NOOP("Shortcuts", "Previous photo"),
        review=True,
    ),
    Shortcut(
        "undo",
        QT_TRANSLATE_NOOP("Shortcuts", "&Undo"),
        ("Ctrl+Z",),
        QT_TRANSLATE_NOOP("Shortcuts", "Undo the last decision (a compensating entry is logged)"),
    ),
    Shortcut(
        "redo",
        QT_TRANSLATE_NOOP("Shortcuts", "&Redo"),
        ("Ctrl+Shift+Z", "Ctrl+Y"),
        QT_TRANSLATE_NOOP("Shortcuts", "Redo the decision just undone"),
    ),
    Shortcut(
        "batch_edit",
        QT_TRANSLATE_NOOP("Shortcuts", "&Batch edit selected photos…"),
        ("Ctrl+Shift+E",),
        QT_TRANSLATE_NOOP(
            "Shortcuts",
            "Set or append a field, add, remove or accept a tag on every selected photo (one undo)",
        ),
    ),
    Shortcut(
        "find",
        QT_TRANSLATE_NOOP("Shortcuts", "&Find…"),
        ("Ctrl+F",),
        QT_TRANSLATE_NOOP("Shortcuts", "Search the collection"),
    ),
    Shortcut(
        "open",
        QT_TRANSLATE_NOOP("Shortcuts", "&Open catalogue…"),
        ("Ctrl+O",),
        QT_TRANSLATE_NOOP("Shortcuts", "Open another catalogue"),
    ),
    Shortcut(
        "new",
        QT_TRANSLATE_NOOP("Shortcuts", "&New catalogue…"),
        ("Ctrl+N",),
        QT_TRANSLATE_NOOP("Shortcuts", "Create a new catalogue"),
    ),
    Shortcut(
        "import",
        QT_TRANSLATE_NOOP("Shortcuts", "&Import folder…"),
        ("Ctrl+I",),
        QT_TRANSLATE_NOOP("Shortcuts", "Import a folder of photos"),
    ),
    Shortcut(
        "save_search",
        QT_TRANSLATE_NOOP("Shortcuts", "&Save current search…"),
        ("Ctrl+Shift+S",),
        QT_TRANSLATE_NOOP(
            "Shortcuts", "Save the current filters with a name (Search menu, Saved searches sidebar)"
        ),
    ),
    Shortcut(
        "preferences",
        QT_TRANSLATE_NOOP("Shortcuts", "&Preferences…"),
        ("Ctrl+,",),
        QT_TRANSLATE_NOOP("Shortcuts", "Reviewer name, model and display preferences"),
    ),
    Shortcut(
        "zoom_in",
        QT_TRANSLATE_NOOP("Shortcuts", "Zoom &in"),
        ("Ctrl++", "Ctrl+="),
        QT_TRANSLATE_NOOP("Shortcuts", "Zoom into the photo"),
    ),
    Shortcut(
        "zoom_out",
        QT_TRANSLATE_NOOP("Shortcuts", "Zoom &out"),
        ("Ctrl+-",),
        QT_TRANSLATE_NOOP("Shortcuts", "Zoom out of the photo"),
    ),
    Shortcut(
        "zoom_fit",
        QT_TRANSLATE_NOOP("Shortcuts", "&Fit the photo"),
        ("Ctrl+0",),
        QT_TRANSLATE_NOOP("Shortcuts", "Fit the photo to its pane"),
    ),
    Shortcut(
        "guide",
        QT_TRANSLATE_NOOP("Shortcuts", "&User guide"),
        ("F1",),
        QT_TRANSLATE_NOOP("Shortcuts", "The user guide: first hour, review keys, scores, exports"),
    ),
    Shortcut(
        "shortcuts",
        QT_TRANSLATE_NOOP("Shortcuts", "&Keyboard shortcuts"),
        ("Ctrl+/",),
        QT_TRANSLATE_NOOP("Shortcuts", "This list"),
    ),
    Shortcut(
        "quit",
        QT_TRANSLATE_NOOP("Shortcuts", "&Quit"),
        ("Ctrl+Q",),
        QT_TRANSLATE_NOOP("Shortcuts", "Quit"),
    ),
)
BY_NAME = {s.name: s for s in SHORTCUTS}

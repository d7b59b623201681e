"""Every keyboard shortcut, defined once: the QActions and the Help > Keyboard shortcuts window both read it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shortcut:
    name: str  # the action's key in MainWindow.commands
    text: str  # menu text
    keys: tuple[str, ...]  # QKeySequence strings
    help: str
    review: bool = False  # single keys: active only while the browser or a tag list has focus


SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut(
        "accept",
        "&Accept suggestion",
        ("A",),
        "Accept the current suggestion (▶, the review cursor)",
        review=True,
    ),
    Shortcut("reject", "&Reject suggestion", ("R",), "Reject the current suggestion (▶)", review=True),
    Shortcut(
        "accept_all",
        "Accept all &proposed",
        ("Return", "Enter"),
        "Accept every proposed (●) tag of the photo still open",
        review=True,
    ),
    Shortcut(
        "reject_all",
        "Re&ject all proposed",
        ("Shift+R",),
        "Reject every proposed (●) tag of the photo still open (one undo)",
        review=True,
    ),
    Shortcut(
        "mark_reviewed",
        "&Mark photo reviewed",
        ("M",),
        "Done with this photo: it leaves the review queue (undoable)",
        review=True,
    ),
    Shortcut(
        "add_tag",
        "Add &tag…",
        ("T",),
        "Add a tag, with completion from the collection's vocabulary",
        review=True,
    ),
    Shortcut(
        "remove_tag", "R&emove tag", ("Delete",), "Remove the current tag (▶) from the photo", review=True
    ),
    Shortcut("next", "&Next photo", ("J",), "Next photo; the cursor goes to its first proposal", review=True),
    Shortcut("previous", "Pre&vious photo", ("K",), "Previous photo", review=True),
    Shortcut("undo", "&Undo", ("Ctrl+Z",), "Undo the last decision (a compensating entry is logged)"),
    Shortcut("redo", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo the decision just undone"),
    Shortcut(
        "batch_edit",
        "&Batch edit selected photos…",
        ("Ctrl+Shift+E",),
        "Set or append a field, add, remove or accept a tag on every selected photo (one undo)",
    ),
    Shortcut("find", "&Find…", ("Ctrl+F",), "Search the collection"),
    Shortcut("open", "&Open catalogue…", ("Ctrl+O",), "Open another catalogue"),
    Shortcut("new", "&New catalogue…", ("Ctrl+N",), "Create a new catalogue"),
    Shortcut("import", "&Import folder…", ("Ctrl+I",), "Import a folder of photos"),
    Shortcut(
        "save_search",
        "&Save current search…",
        ("Ctrl+Shift+S",),
        "Save the current filters with a name (Search menu, Saved searches sidebar)",
    ),
    Shortcut("preferences", "&Preferences…", ("Ctrl+,",), "Reviewer name, model and display preferences"),
    Shortcut("zoom_in", "Zoom &in", ("Ctrl++", "Ctrl+="), "Zoom into the photo"),
    Shortcut("zoom_out", "Zoom &out", ("Ctrl+-",), "Zoom out of the photo"),
    Shortcut("zoom_fit", "&Fit the photo", ("Ctrl+0",), "Fit the photo to its pane"),
    Shortcut("guide", "&User guide", ("F1",), "The user guide: first hour, review keys, scores, exports"),
    Shortcut("shortcuts", "&Keyboard shortcuts", ("Ctrl+/",), "This list"),
    Shortcut("quit", "&Quit", ("Ctrl+Q",), "Quit"),
)
BY_NAME = {s.name: s for s in SHORTCUTS}

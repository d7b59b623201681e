"""Accessibility checks: the focusable controls that a screen reader would announce without a name.

``unnamed_controls(widget)`` walks a window's widget tree and asks Qt's accessibility interface
(``QAccessible.queryAccessibleInterface``) for each focusable control's name, which Qt takes from
``setAccessibleName``, a button's or check box's text, or a buddy label (QFormLayout's labels are
buddies). Run it on any window or dialog in a test::

    assert unnamed_controls(dialog) == []
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractScrollArea, QComboBox, QLabel, QWidget


def buddy_text(widget: QWidget) -> str:
    """The text of a label whose buddy is ``widget`` ("" when none), without its mnemonic's ampersand."""
    for label in widget.window().findChildren(QLabel):
        if label.buddy() is widget and label.text().strip():
            return label.text().replace("&&", "\0").replace("&", "").replace("\0", "&").strip()
    return ""


def accessible_name(widget: QWidget) -> str:
    """What a screen reader announces as the control's name ("" when none).

    A combo box without a name or a buddy label would be announced by its current value ("All photos"),
    which says nothing of what it chooses: that counts as no name.
    """
    if isinstance(widget, QComboBox) and not widget.isEditable():
        return (widget.accessibleName() or buddy_text(widget)).strip()
    interface = QAccessible.queryAccessibleInterface(widget)
    name = interface.text(QAccessible.Text.Name) if interface is not None and interface.isValid() else ""
    return (name or widget.accessibleName() or "").strip()


def says_something(name: str) -> bool:
    """A name of symbols only ("✕", "↓", "…") tells a screen-reader user nothing."""
    return any(ch.isalnum() for ch in name)


def _is_viewport(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    return isinstance(parent, QAbstractScrollArea) and parent.viewport() is widget


def describe(widget: QWidget) -> str:
    """A control in words for a failure message: class, object name, tooltip or place."""
    parts = [type(widget).__name__]
    if widget.objectName():
        parts.append(f"#{widget.objectName()}")
    owner = widget.parentWidget()
    while owner is not None and not owner.objectName():
        owner = owner.parentWidget()
    if owner is not None:
        parts.append(f"in {type(owner).__name__}#{owner.objectName()}")
    elif widget.parentWidget() is not None:
        parts.append(f"in {type(widget.parentWidget()).__name__}")
    return " ".join(parts)


def focusable_controls(root: QWidget, *, visible_only: bool = True) -> list[QWidget]:
    """``root`` and its descendants that take the keyboard focus (by Tab or click)."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or _is_viewport(widget):
            continue
        if widget.focusProxy() is not None:  # the proxy is the control that is announced
            continue
        if visible_only and widget is not root and not widget.isVisibleTo(root):
            continue
        if widget.window() is not root.window():  # another window: a dialog parented here, a popup
            continue
        found.append(widget)
    return found


def unnamed_controls(root: QWidget, *, visible_only: bool = True) -> list[str]:
    """The focusable controls under ``root`` without a meaningful accessible name, described (empty: all named).

    ``visible_only`` skips controls hidden in ``root`` (a closed dock, a collapsed pane).
    """
    return [
        describe(widget)
        for widget in focusable_controls(root, visible_only=visible_only)
        if widget is not root and not says_something(accessible_name(widget))
    ]

"""Completion on a vocabulary's preferred and alternative labels, each entry showing its broader path.

A ``ConceptCompleter`` sits on a QLineEdit. While the librarian types it asks for entries
(``wanted(prefix)``, debounced); whoever owns the catalogue looks them up in a worker
(``services.vocab_suggesting.complete_concepts``) and answers with :meth:`ConceptCompleter.show_entries`,
which drops answers to a prefix no longer typed. Picking an entry puts the concept's preferred label
in the field ("Females" picks "Women") and says which concept was chosen (``chosen``). Plain tag
labels given with :meth:`set_tags` are offered too (matched anywhere in the label).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from heritage_tagger.domain.vocabulary import LabelConcept

TextRole = Qt.ItemDataRole.UserRole + 10  # what picking an entry writes into the field
EntryRole = Qt.ItemDataRole.UserRole + 11  # the entry's position in ``entries``
MIN_PREFIX = 2
TAGS_SHOWN = 8


@dataclass(frozen=True)
class Entry:
    """One completion: the text it inserts, the line shown, and the concept it names (None: a plain tag)."""

    text: str
    shown: str
    tooltip: str = ""
    concept: LabelConcept | None = None


def concept_entry(found: LabelConcept) -> Entry:
    """ "Women  —  People › Women", or "Females → Women  —  People › Women" for an alternative label."""
    concept = found.concept
    head = concept.label if found.label == concept.label else f"{found.label} → {concept.label}"
    path = found.path()
    return Entry(
        concept.label, f"{head}   —   {path}", f"{path}\n{concept.uri}\n({concept.vocabulary})", found
    )


class ConceptCompleter(QCompleter):
    """Concept and tag completion for ``edit``; see the module docstring."""

    wanted = Signal(str)  # a prefix to look up
    chosen = Signal(object)  # Entry

    def __init__(self, edit: QLineEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = edit
        self.entries: list[Entry] = []
        self.tags: list[str] = []
        self.looks_up = False  # set by whoever answers ``wanted``; until then only tags are offered
        self.items = QStandardItemModel(self)
        self.setModel(self.items)
        self.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.setCompletionRole(TextRole)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setMaxVisibleItems(12)
        edit.setCompleter(self)
        self._debounce = QTimer(self, singleShot=True, interval=150)
        self._debounce.timeout.connect(self._ask)
        edit.textEdited.connect(lambda _: self._debounce.start())
        # the index form of the overloaded signal (PySide6's stubs cannot index signals)
        self.activated[QModelIndex].connect(self._picked)  # type: ignore[index]

    def set_tags(self, labels: list[str]) -> None:
        """The catalogue's own tag labels, offered when they contain what is typed."""
        self.tags = labels

    def _ask(self) -> None:
        prefix = self.edit.text().strip()
        if not self.looks_up:
            self.show_entries(prefix, [])
        elif len(prefix) >= MIN_PREFIX:
            self.wanted.emit(prefix)

    def show_entries(self, prefix: str, found: list[LabelConcept]) -> None:
        """Show the concepts found for ``prefix`` (ignored when the field says something else by now)."""
        if prefix != self.edit.text().strip():
            return
        entries = [concept_entry(f) for f in found]
        named = {e.text.casefold() for e in entries}
        low = prefix.casefold()
        tags = [t for t in self.tags if low and low in t.casefold() and t.casefold() not in named][
            :TAGS_SHOWN
        ]
        entries += [
            Entry(t, t, QCoreApplication.translate("ConceptCompleter", "A tag of this catalogue"))
            for t in tags
        ]
        self.entries = entries
        self.items.clear()
        for i, entry in enumerate(entries):
            item = QStandardItem(entry.shown)
            item.setData(entry.text, TextRole)
            item.setData(i, EntryRole)
            item.setToolTip(entry.tooltip)
            item.setEditable(False)
            self.items.appendRow(item)
        if entries and self.edit.hasFocus():
            self.setCompletionPrefix("")
            self.complete()

    def _picked(self, index: QModelIndex | QPersistentModelIndex) -> None:
        # ``index`` belongs to the popup's proxy model: its row is the entry's row in the full list
        row = index.data(EntryRole)
        if isinstance(row, int) and 0 <= row < len(self.entries):
            entry = self.entries[row]
            self.edit.setText(entry.text)
            self.chosen.emit(entry)

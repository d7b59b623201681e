"""The selected photo: large image, editable metadata fields saved on leaving them, and its tags with state."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFocusEvent, QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from heritage_tagger.domain.records import RecordTag, TagState
from heritage_tagger.gui.appearance import readable
from heritage_tagger.gui.concept_path import ConceptPathView
from heritage_tagger.gui.i18n import QT_TRANSLATE_NOOP
from heritage_tagger.gui.image_view import ImageView
from heritage_tagger.services.browse import RecordDetails

STATE_STYLE = {
    TagState.CATALOGUED: (QT_TRANSLATE_NOOP("DetailPane", "catalogued"), QColor(70, 110, 170)),
    TagState.ACCEPTED: (QT_TRANSLATE_NOOP("DetailPane", "accepted"), QColor(40, 140, 70)),
    TagState.SUGGESTED: (QT_TRANSLATE_NOOP("DetailPane", "suggested"), QColor(200, 130, 0)),
    TagState.REJECTED: (QT_TRANSLATE_NOOP("DetailPane", "rejected"), QColor(170, 60, 60)),
}
FIELDS = [
    ("title", QT_TRANSLATE_NOOP("DetailPane", "Title")),
    ("date", QT_TRANSLATE_NOOP("DetailPane", "Date")),
    ("location", QT_TRANSLATE_NOOP("DetailPane", "Location")),
    ("creator", QT_TRANSLATE_NOOP("DetailPane", "Creator")),
    ("rights", QT_TRANSLATE_NOOP("DetailPane", "Rights")),
]


class DescriptionEdit(QPlainTextEdit):
    """A plain text box that says when the reviewer leaves it (like QLineEdit.editingFinished)."""

    editing_finished = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.editing_finished.emit()


class TagList(QListWidget):
    """The record's tags. Picking one moves the review cursor to it (``picked``); its current row follows the
    cursor (``select_label``), so A/R/Delete act on the tag shown here only when the cursor is on it."""

    picked = Signal(str)  # the librarian chose this tag (click or arrow keys)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tags: list[RecordTag] = []  # as shown, one per row
        self._following = False
        self.currentRowChanged.connect(self._row_changed)

    def _row_changed(self, row: int) -> None:
        if not self._following and 0 <= row < len(self.tags):
            self.picked.emit(self.tags[row].label)

    def select_label(self, label: str | None) -> None:
        """Show ``label`` as the current tag (the review cursor's), or none; never reported as a pick."""
        self._following = True
        try:
            row = next((i for i, t in enumerate(self.tags) if t.label == label), -1)
            self.setCurrentRow(row)
            if row < 0:
                self.clearSelection()
        finally:
            self._following = False

    def set_tags(self, tags: list[RecordTag], keep_current: bool = False) -> None:
        """Show ``tags``, pending suggestions first; the current tag stays when the same record is refreshed."""
        current = self.current_label() if keep_current else None
        self._following = True
        try:
            self._set_tags(tags, current)
        finally:
            self._following = False

    def _set_tags(self, tags: list[RecordTag], current: str | None) -> None:
        self.clear()
        order = {TagState.SUGGESTED: 0, TagState.CATALOGUED: 1, TagState.ACCEPTED: 1, TagState.REJECTED: 2}
        self.tags = sorted(tags, key=lambda t: (order[t.state], -(t.score or 0), t.label.lower()))
        for tag in self.tags:
            word, colour = STATE_STYLE[tag.state]
            score = f"  {tag.score:.2f}" if tag.score is not None and tag.state is TagState.SUGGESTED else ""
            item = QListWidgetItem(
                f"{tag.label}    — {QCoreApplication.translate('DetailPane', word)}{score}"
            )
            item.setForeground(QBrush(readable(colour)))
            if tag.state is TagState.REJECTED:
                font = QFont(item.font())
                font.setStrikeOut(True)
                item.setFont(font)
            self.addItem(item)
            if tag.label == current:
                self.setCurrentItem(item)

    def current_label(self) -> str | None:
        tag = self.current_tag()
        return tag[0] if tag is not None else None

    def current_tag(self) -> tuple[str, TagState, float | None] | None:
        # kept in Python: item.data() of an unset role over-releases None (PySide6 6.12, Python 3.11)
        row = self.currentRow()
        if not 0 <= row < len(self.tags):
            return None
        tag = self.tags[row]
        return tag.label, tag.state, tag.score


class DetailPane(QWidget):
    field_edited = Signal(int, str, str)  # record id, field name, new value

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record_id: int | None = None
        self.image = ImageView()
        self.heading = QLabel()
        self.heading.setObjectName("recordHeading")
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.edits: dict[str, QLineEdit | DescriptionEdit] = {}
        self._saved: dict[str, str] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(3)
        for name, label in FIELDS[:1]:
            self._add_line(form, name, label)
        description = DescriptionEdit()
        description.setFixedHeight(64)
        description.setTabChangesFocus(True)
        description.editing_finished.connect(lambda: self._finished("description"))
        self.edits["description"] = description
        form.addRow(self.tr("Description"), description)
        for name, label in FIELDS[1:]:
            self._add_line(form, name, label)
        self.tags = TagList()
        self.tags.setObjectName("recordTags")
        self.tags.setAccessibleName(self.tr("Tags of this photo"))
        self.tags.setAccessibleDescription(
            self.tr("A accepts, R rejects, Delete removes the current tag; T adds one")
        )
        self.tags_label = QLabel(self.tr("Tags  (A accept · R reject · Del remove · T add)"))
        self.tags_label.setObjectName("sectionLabel")
        self.tags_label.setWordWrap(True)  # a longer translation wraps instead of widening the window
        self.concept_path = ConceptPathView()  # filled by gui/vocabulary_controller.py
        self.concept_path.setAccessibleName(self.tr("Concept of the current tag and its broader concepts"))
        self.image.setAccessibleName(self.tr("Photo"))
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.heading)
        lower_layout.addLayout(form)
        lower_layout.addWidget(self.tags_label)
        lower_layout.addWidget(self.tags, 1)
        lower_layout.addWidget(self.concept_path)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.image)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([480, 380])
        self.split = split
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)
        self.set_enabled_fields(False)

    def _add_line(self, form: QFormLayout, name: str, label: str) -> None:
        edit = QLineEdit()
        edit.setObjectName(f"field_{name}")
        edit.editingFinished.connect(lambda name=name: self._finished(name))
        self.edits[name] = edit
        form.addRow(self.tr(label), edit)

    def set_enabled_fields(self, enabled: bool) -> None:
        for edit in self.edits.values():
            edit.setEnabled(enabled)

    def value(self, name: str) -> str:
        edit = self.edits[name]
        return edit.toPlainText() if isinstance(edit, QPlainTextEdit) else edit.text()

    def _finished(self, name: str) -> None:
        if self.record_id is None:
            return
        value = self.value(name).strip()
        if value != self._saved.get(name, ""):
            self._saved[name] = value
            self.field_edited.emit(self.record_id, name, value)

    def show_details(self, details: RecordDetails) -> None:
        rec = details.record
        same = rec.id == self.record_id
        self.record_id = rec.id
        size = f"{rec.width}×{rec.height}" if rec.width and rec.height else ""
        self.heading.setText(
            f"<b>{rec.identifier}</b>  <span style='color:gray'>{size} {details.batch}</span>"
        )
        values = {
            "title": rec.title, "description": rec.description, "date": rec.date,
            "location": rec.location, "creator": rec.creator, "rights": rec.rights,
        }  # fmt: skip
        for name, edit in self.edits.items():
            if same and edit.hasFocus():
                continue  # do not overwrite what the librarian is typing
            if isinstance(edit, QPlainTextEdit):
                edit.setPlainText(values[name])
            else:
                edit.setText(values[name])
                edit.setCursorPosition(0)
            self._saved[name] = values[name]
        self.set_enabled_fields(True)
        self.tags.set_tags(rec.tags, keep_current=same)

    def clear(self) -> None:
        self.record_id = None
        self.heading.setText("")
        for edit in self.edits.values():
            edit.clear() if isinstance(edit, QPlainTextEdit) else edit.setText("")
        self._saved.clear()
        self.tags.set_tags([])
        self.concept_path.show_concept(None)
        self.set_enabled_fields(False)
        self.image.show_message(self.tr("No photo selected."))

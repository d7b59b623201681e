"""Edit > Batch edit selected photos: one operation (set or append a field, add, remove or accept a tag) and its value."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from heritage_tagger.gui.concept_completion import ConceptCompleter
from heritage_tagger.services.batch_edit import DEFAULT_SEPARATOR, BatchOperation

CONTEXT = "BatchEditDialog"

OPERATIONS = (
    (BatchOperation.ADD_TAG, str(QT_TRANSLATE_NOOP("BatchEditDialog", "Add a tag"))),
    (BatchOperation.REMOVE_TAG, str(QT_TRANSLATE_NOOP("BatchEditDialog", "Remove a tag"))),
    (BatchOperation.ACCEPT_TAG, str(QT_TRANSLATE_NOOP("BatchEditDialog", "Accept a suggested tag"))),
    (BatchOperation.SET_FIELD, str(QT_TRANSLATE_NOOP("BatchEditDialog", "Set a field"))),
    (BatchOperation.APPEND_FIELD, str(QT_TRANSLATE_NOOP("BatchEditDialog", "Append to a field"))),
)

#: the editable fields (``services.browse.EDITABLE_FIELDS``) as the dialog names them
FIELDS = (
    ("title", str(QT_TRANSLATE_NOOP("BatchEditDialog", "Title"))),
    ("description", str(QT_TRANSLATE_NOOP("BatchEditDialog", "Description"))),
    ("location", str(QT_TRANSLATE_NOOP("BatchEditDialog", "Location"))),
    ("date", str(QT_TRANSLATE_NOOP("BatchEditDialog", "Date"))),
    ("creator", str(QT_TRANSLATE_NOOP("BatchEditDialog", "Creator"))),
    ("rights", str(QT_TRANSLATE_NOOP("BatchEditDialog", "Rights"))),
)


def _t(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


class BatchEditDialog(QDialog):
    """Asks for one batch operation on ``count`` selected photos; the caller reads it once accepted."""

    def __init__(self, count: int, vocabulary: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Batch edit selected photos"))
        self.count = count
        self.selected = QLabel(self.tr("Photos selected: {n}").format(n=count))
        self.selected.setObjectName("batchSelectedCount")
        self.operation = QComboBox()
        for op, text in OPERATIONS:
            self.operation.addItem(_t(text), op.value)
        self.operation.setAccessibleName(self.tr("Operation"))
        self.field = QComboBox()
        for name, text in FIELDS:
            self.field.addItem(_t(text), name)
        self.field.setAccessibleName(self.tr("Field"))
        self.tag = QLineEdit(placeholderText=self.tr("Tag or concept (new tags are added to the catalogue)"))
        self.tag.setAccessibleName(self.tr("Tag"))
        # concepts come from whoever answers completer.wanted (gui/vocabulary_controller.py)
        self.completer = ConceptCompleter(self.tag, self)
        self.completer.set_tags(vocabulary)
        self.text = QLineEdit(placeholderText=self.tr("The text (empty: clears the field)"))
        self.text.setAccessibleName(self.tr("Text"))
        self.separator = QLineEdit(DEFAULT_SEPARATOR)
        self.separator.setAccessibleName(self.tr("Separator"))
        self.separator.setToolTip(self.tr("Put between the text already in the field and the text appended"))
        self.form = QFormLayout()
        self.form.addRow(self.tr("&Operation:"), self.operation)
        self.form.addRow(self.tr("&Field:"), self.field)
        self.form.addRow(self.tr("&Tag:"), self.tag)
        self.form.addRow(self.tr("Te&xt:"), self.text)
        self.form.addRow(self.tr("&Separator:"), self.separator)
        self.note = QLabel(self.tr("One step: Ctrl+Z undoes it for every photo."))
        self.note.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.ok_button
        ok.setText(self.tr("&Apply"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.selected)
        layout.addLayout(self.form)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.operation.currentIndexChanged.connect(self._update)
        self.tag.textChanged.connect(self._update)
        self.text.textChanged.connect(self._update)
        self.separator.textChanged.connect(self._update)
        self.setMinimumWidth(480)
        self._update()

    @property
    def ok_button(self) -> QPushButton:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert button is not None
        return button

    def operation_value(self) -> BatchOperation:
        return BatchOperation(self.operation.currentData())

    def set_operation(self, operation: BatchOperation) -> None:
        self.operation.setCurrentIndex(self.operation.findData(operation.value))

    def field_name(self) -> str:
        return str(self.field.currentData())

    def value(self) -> str:
        """The tag's label (spaces tidied) or the field's text, as the operation needs."""
        if self.operation_value().on_field:
            return self.text.text().strip()
        return " ".join(self.tag.text().split())

    def separator_text(self) -> str:
        return self.separator.text() or DEFAULT_SEPARATOR

    def _update(self) -> None:
        op = self.operation_value()
        on_field = op.on_field
        self.form.setRowVisible(self.field, on_field)
        self.form.setRowVisible(self.text, on_field)
        self.form.setRowVisible(self.separator, op is BatchOperation.APPEND_FIELD)
        self.form.setRowVisible(self.tag, not on_field)
        self.text.setPlaceholderText(
            self.tr("The text (empty: clears the field)")
            if op is BatchOperation.SET_FIELD
            else self.tr("The text to add at the end of the field")
        )
        ready = self.count > 0 and (op is BatchOperation.SET_FIELD or bool(self.value()))
        self.ok_button.setEnabled(ready)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.activateWindow()
        (self.text if self.operation_value().on_field else self.tag).setFocus()

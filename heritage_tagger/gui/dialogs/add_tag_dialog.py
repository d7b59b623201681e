"""T: add a tag to the photo, completing from the collection's vocabulary."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QCompleter, QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget


class AddTagDialog(QDialog):
    def __init__(self, vocabulary: list[str], identifier: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a tag")
        self.edit = QLineEdit(placeholderText="Tag (new ones are added to the vocabulary)")
        self.completer = QCompleter(QStringListModel(vocabulary, self), self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.edit.setCompleter(self.completer)
        # QLineEdit connects this only while focused; picking with the mouse must fill it too
        self.completer.activated.connect(self.edit.setText)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Add a tag to <b>{identifier}</b>:"))
        layout.addWidget(self.edit)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)

    def label(self) -> str:
        return " ".join(self.edit.text().split())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.activateWindow()
        self.edit.setFocus()

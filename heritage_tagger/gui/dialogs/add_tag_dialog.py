"""T: add a tag to the photo, completing on the catalogue's tags and its vocabularies' concepts."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from heritage_tagger.gui.concept_completion import ConceptCompleter, Entry


class AddTagDialog(QDialog):
    def __init__(self, vocabulary: list[str], identifier: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add a tag"))
        self.edit = QLineEdit(placeholderText=self.tr("Tag or concept (new tags are added to the catalogue)"))
        self.edit.setAccessibleName(self.tr("Tag or concept to add"))
        # concepts come from whoever answers completer.wanted (gui/vocabulary_controller.py)
        self.completer = ConceptCompleter(self.edit, self)
        self.completer.set_tags(vocabulary)
        self.concept: Entry | None = None  # the concept picked from the completion, if any
        self.completer.chosen.connect(self._chosen)
        self.edit.textEdited.connect(self._typed)
        self.path = QLabel()
        self.path.setObjectName("conceptPath")
        self.path.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Add a tag to <b>{identifier}</b>:").format(identifier=identifier)))
        layout.addWidget(self.edit)
        layout.addWidget(self.path)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def _chosen(self, entry: Entry) -> None:
        self.concept = entry if entry.concept is not None else None
        self.path.setText(
            f"<span style='color:gray'>{entry.concept.path()}<br>{entry.concept.concept.uri}</span>"
            if entry.concept is not None
            else ""
        )

    def _typed(self, _: str) -> None:
        if self.concept is not None and self.label() != self.concept.text:
            self.concept = None
            self.path.setText("")

    def label(self) -> str:
        return " ".join(self.edit.text().split())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.activateWindow()
        self.edit.setFocus()

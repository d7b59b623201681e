"""File > Import folder: the folder, an optional manifest, and whether to suggest tags for the new photos."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

MANIFEST_NAME = "records.csv"


@dataclass(frozen=True)
class ImportOptions:
    """What the librarian chose."""

    folder: Path
    manifest: Path | None = None
    annotate: bool = False
    auto_accept: float | None = None


class ImportDialog(QDialog):
    """Folder and manifest fields with Browse buttons, "Suggest tags" and an optional auto-accept threshold."""

    def __init__(self, model_active: bool, folder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Import a folder"))
        self.folder = QLineEdit(folder)
        self.folder.setPlaceholderText(self.tr("The folder of photos"))
        self.manifest = QLineEdit()
        self.manifest.setPlaceholderText(
            self.tr("Optional: a CSV of records (default: the folder's {name})").format(name=MANIFEST_NAME)
        )
        self._manifest_auto = True
        self.manifest.textEdited.connect(self._manifest_edited)
        self.folder.textChanged.connect(self._folder_changed)
        self.annotate = QCheckBox(self.tr("Suggest tags for the new photos"))
        self.annotate.setChecked(model_active)
        if not model_active:
            self.annotate.setToolTip(self.tr("No model is active yet: Model > Train… first."))
        self.auto = QCheckBox(self.tr("Accept suggestions scored at least"))
        self.threshold = QDoubleSpinBox(minimum=0.05, maximum=1.0, singleStep=0.05, decimals=2, value=0.9)
        self.threshold.setEnabled(False)
        self.folder.setAccessibleName(self.tr("Folder of photos to import"))
        self.manifest.setAccessibleName(self.tr("CSV of records (optional)"))
        self.threshold.setAccessibleName(self.tr("Accept suggestions scored at least"))
        self.auto.toggled.connect(self.threshold.setEnabled)
        self.annotate.toggled.connect(self._annotate_toggled)
        self._annotate_toggled(self.annotate.isChecked())
        self.error = QLabel("")
        self.error.setObjectName("importError")
        self.error.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("Folder"), self._with_browse(self.folder, self._browse_folder))
        form.addRow(self.tr("Manifest"), self._with_browse(self.manifest, self._browse_manifest))
        form.addRow(self.annotate)
        auto_row = QHBoxLayout()
        auto_row.addWidget(self.auto)
        auto_row.addWidget(self.threshold)
        auto_row.addStretch(1)
        form.addRow(auto_row)
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Import"))
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.setMinimumWidth(520)
        self._folder_changed(folder)

    def _with_browse(self, edit: QLineEdit, slot: object) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(edit, 1)
        button = QPushButton(self.tr("Browse…"))
        button.setAccessibleName(self.tr("Browse for the {what}").format(what=edit.accessibleName().lower()))
        button.clicked.connect(slot)
        layout.addWidget(button)
        return row

    def _browse_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Import a folder of photos"), self.folder.text()
        )
        if folder:
            self.folder.setText(folder)

    def _browse_manifest(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Manifest"),
            self.folder.text(),
            self.tr("CSV files (*.csv *.tsv *.txt);;All files (*)"),
        )
        if path:
            self._manifest_auto = False
            self.manifest.setText(path)

    def _manifest_edited(self, _text: str) -> None:
        self._manifest_auto = False

    def _folder_changed(self, text: str) -> None:
        """Default the manifest to FOLDER/records.csv when present, unless the librarian chose one."""
        if not self._manifest_auto:
            return
        candidate = Path(text) / MANIFEST_NAME if text.strip() else None
        self.manifest.setText(str(candidate) if candidate is not None and candidate.is_file() else "")

    def _annotate_toggled(self, on: bool) -> None:
        self.auto.setEnabled(on)
        self.threshold.setEnabled(on and self.auto.isChecked())

    def options(self) -> ImportOptions:
        manifest = self.manifest.text().strip()
        annotate = self.annotate.isChecked()
        return ImportOptions(
            folder=Path(self.folder.text().strip()).expanduser(),
            manifest=Path(manifest).expanduser() if manifest else None,
            annotate=annotate,
            auto_accept=self.threshold.value() if annotate and self.auto.isChecked() else None,
        )

    def _try_accept(self) -> None:
        opts = self.options()
        if not self.folder.text().strip() or not opts.folder.is_dir():
            self.error.setText(self.tr("Choose a folder that exists."))
            return
        if opts.manifest is not None and not opts.manifest.is_file():
            self.error.setText(
                self.tr("There is no manifest file at {manifest}.").format(manifest=opts.manifest)
            )
            return
        self.accept()

"""File > Export XMP sidecars: beside each image, or all into one folder?"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

BESIDE = "beside"  # write each sidecar next to its image


def ask_xmp_destination(parent: QWidget) -> str | None:
    """A folder, ``BESIDE``, or None when the librarian cancels."""
    box = QMessageBox(
        QMessageBox.Icon.Question, QCoreApplication.translate("XmpDestination", "Export XMP sidecars"),
        QCoreApplication.translate(
            "XmpDestination",
            "Write one .xmp sidecar per photo (title, description, subjects with their broader path, creator, "
            "rights, date, location). Sidecars that Heritage Tagger did not write are never overwritten.",
        ),
        parent=parent,
    )  # fmt: skip
    beside = box.addButton(
        QCoreApplication.translate("XmpDestination", "Beside the images"), QMessageBox.ButtonRole.AcceptRole
    )
    folder = box.addButton(
        QCoreApplication.translate("XmpDestination", "Into a folder…"), QMessageBox.ButtonRole.ActionRole
    )
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    if box.clickedButton() is beside:
        return BESIDE
    if box.clickedButton() is folder:
        return (
            QFileDialog.getExistingDirectory(
                parent, QCoreApplication.translate("XmpDestination", "Folder for the XMP sidecars")
            )
            or None
        )
    return None

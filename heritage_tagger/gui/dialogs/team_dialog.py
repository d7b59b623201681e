"""File > Connect to a team catalogue: the server's connection string and, the first time, the shared media folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from heritage_tagger.domain.location import is_server_url
from heritage_tagger.gui.i18n import QT_TRANSLATE_NOOP

EXPLANATION = QT_TRANSLATE_NOOP(
    "TeamCatalogueDialog",
    "A team catalogue lives on a PostgreSQL server, so that the whole cataloguing team reviews one "
    "collection. Your administrator gives you its connection string. Thumbnails, cached features and "
    "models live in a shared media folder that every member reaches: give it when the team catalogue is "
    "new, or when this computer reaches the team's folder under another path; leave it empty otherwise.",
)


class TeamCatalogueDialog(QDialog):
    """Asks for ``url()`` and ``media_root()``; accepted only with a ``postgresql://`` connection string."""

    def __init__(self, url: str = "", media_root: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Connect to a team catalogue"))
        self.setObjectName("teamDialog")
        intro = QLabel(self.tr(EXPLANATION))
        intro.setWordWrap(True)
        self.url_edit = QLineEdit(url)
        self.url_edit.setObjectName("teamUrl")
        self.url_edit.setPlaceholderText("postgresql://ann@catalogue-server/photos")
        self.media_edit = QLineEdit(media_root)
        self.media_edit.setObjectName("teamMediaRoot")
        self.media_edit.setPlaceholderText(self.tr("As recorded in the team catalogue"))
        self.media_edit.setAccessibleName(self.tr("Team media folder on this computer"))
        browse = QPushButton(self.tr("Browse…"))
        browse.setAccessibleName(self.tr("Browse for the team media folder"))
        browse.clicked.connect(self._choose_folder)
        media_row = QHBoxLayout()
        media_row.addWidget(self.media_edit, 1)
        media_row.addWidget(browse)
        self.problem = QLabel("")
        self.problem.setObjectName("teamProblem")
        self.problem.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Connect"))
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow(self.tr("Connection string"), self.url_edit)
        form.addRow(self.tr("Media folder"), media_row)
        form.addRow(self.problem)
        form.addRow(buttons)
        self.setMinimumWidth(560)

    def url(self) -> str:
        return self.url_edit.text().strip()

    def media_root(self) -> Path | None:
        text = self.media_edit.text().strip()
        return Path(text).expanduser() if text else None

    def _check(self) -> None:
        if not is_server_url(self.url()):
            self.problem.setText(
                self.tr(
                    "Write the connection string as postgresql://USER@HOST[:PORT]/DATABASE "
                    "(your administrator has it)."
                )
            )
            return
        self.accept()

    def _choose_folder(self) -> None:
        folder = self.ask_folder()
        if folder is not None:
            self.media_edit.setText(str(folder))

    def ask_folder(self) -> Path | None:  # a method of its own, so that tests can replace it
        name = QFileDialog.getExistingDirectory(
            self, self.tr("The team's shared media folder"), self.media_edit.text()
        )
        return Path(name) if name else None

"""First-run welcome dialog: create, open or import into a catalogue; says which backbone and device will be used.

The dialog only returns the librarian's choice (``WelcomeResult``); the main window acts on it.
Which backbone and device the app will use is found in two steps, so that the dialog comes up at
once: ``quick_model_info()`` looks for weight files without importing torch (measured here:
``import torch`` takes 3 s warm and far longer cold), then ``probe_model_info()`` asks
``heritage_tagger.vision`` on a worker thread and the labels are updated when it answers.
"""

from __future__ import annotations

import enum
import html
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from heritage_tagger.domain.location import is_server_url
from heritage_tagger.gui.i18n import QT_TRANSLATE_NOOP
from heritage_tagger.services.demo import DemoError, demo_catalogue_path, demo_sample_dir
from heritage_tagger.services.environment import VGG16_FILE, ModelInfo, probe_model_info, quick_model_info
from heritage_tagger.settings import default_catalogue_path, models_dir

log = logging.getLogger(__name__)

CATALOGUE_FILTER = QT_TRANSLATE_NOOP("WelcomeDialog", "Heritage Tagger catalogues (*.sqlite);;All files (*)")


class WelcomeChoice(enum.Enum):
    CREATE = "create"
    OPEN = "open"
    IMPORT = "import"
    CONNECT = "connect"  # a team catalogue on a PostgreSQL server
    DEMO = "demo"  # the demo collection shipped with the app (services.demo), in its own catalogue


@dataclass(frozen=True)
class WelcomeResult:
    """What the librarian chose: a catalogue to create or open (or a team catalogue's connection string and
    media folder), and for IMPORT the folder to import into it."""

    choice: WelcomeChoice
    catalogue: Path | str
    import_folder: Path | None = None
    media_root: Path | None = None


def needs_welcome(catalogue: Path | str | None = None) -> bool:
    """True when the catalogue the app would open (by default, the user's) does not exist yet
    (a team catalogue on a server always exists: its server says otherwise if not)."""
    if is_server_url(catalogue):
        return False
    path = Path(catalogue).expanduser() if catalogue else default_catalogue_path()
    return not path.exists()


class _ProbeSignals(QObject):
    done = Signal(object)


class _Probe(QRunnable):
    def __init__(self, probe: Callable[[], ModelInfo], signals: _ProbeSignals) -> None:
        super().__init__()
        self.probe, self.signals = probe, signals

    def run(self) -> None:
        try:
            info: ModelInfo | Exception = self.probe()
        except Exception as exc:  # noqa: BLE001 - shown in the dialog, never raised in a worker
            log.warning("could not determine the backbone and device: %s", exc)
            info = exc
        try:
            self.signals.done.emit(info)
        except RuntimeError:  # the dialog was closed and its signals object deleted
            pass


class WelcomeDialog(QDialog):
    """Shown when no catalogue exists yet. ``exec()`` then ``result_choice`` (None when closed)."""

    probe_finished = Signal(object)  # ModelInfo, or the exception the probe raised

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        catalogue: Path | None = None,
        probe: Callable[[], ModelInfo] | None = probe_model_info,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Welcome to Heritage Tagger"))
        self.setObjectName("welcomeDialog")
        self.result_choice: WelcomeResult | None = None
        self.model_info: ModelInfo = quick_model_info()

        intro = QLabel(
            self.tr(
                "<h2>Welcome to Heritage Tagger</h2>"
                "<p>There is no catalogue yet. A catalogue is one file that keeps your photographs' "
                "records, their tags and every decision you make; pictures stay where they are.</p>"
            )
        )
        intro.setWordWrap(True)

        self.path_edit = QLineEdit(str(catalogue or default_catalogue_path()))
        self.path_edit.setObjectName("cataloguePath")
        self.path_edit.setAccessibleName(self.tr("New catalogue file"))
        change = QPushButton(self.tr("Change…"))
        change.setAccessibleName(self.tr("Change the new catalogue's file"))
        change.clicked.connect(self._choose_new_path)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(change)
        path_form = QFormLayout()
        path_form.addRow(self.tr("New catalogue:"), path_row)

        self.create_button = QPushButton(self.tr("Create a new catalogue"))
        self.create_button.setObjectName("createButton")
        self.create_button.setDefault(True)
        self.open_button = QPushButton(self.tr("Open an existing catalogue…"))
        self.open_button.setObjectName("openButton")
        self.import_button = QPushButton(self.tr("Import a folder…"))
        self.import_button.setObjectName("importButton")
        self.import_button.setToolTip(
            self.tr("Create the new catalogue and import a folder of photographs into it")
        )
        self.connect_button = QPushButton(self.tr("Connect to a team catalogue…"))
        self.connect_button.setObjectName("connectButton")
        self.connect_button.setToolTip(
            self.tr("Review a collection with your team: a catalogue on a PostgreSQL server")
        )
        self.create_button.clicked.connect(self._create)
        self.open_button.clicked.connect(self._open)
        self.import_button.clicked.connect(self._import)
        self.connect_button.clicked.connect(self._connect_team)
        buttons = QHBoxLayout()
        for button in (self.create_button, self.open_button, self.import_button, self.connect_button):
            buttons.addWidget(button)

        self.demo_button = QPushButton(self.tr("Try the demo collection"))
        self.demo_button.setObjectName("demoButton")
        self.demo_button.setAccessibleName(self.tr("Try the demo collection"))
        self.demo_button.setAccessibleDescription(
            self.tr("Open 40 public-domain photographs in a catalogue of their own, with tag suggestions")
        )
        self.demo_button.setMinimumHeight(44)
        self.demo_button.setStyleSheet("font-weight: bold;")
        self.demo_button.clicked.connect(self._demo)
        demo_text = QLabel(
            self.tr(
                "New here? See suggestions at once: 40 public-domain photographs (US EPA DOCUMERICA and the "
                "Library of Congress) in a demo catalogue of their own. Its model learns in the background, "
                "usually within a minute; your own catalogue is not touched."
            )
        )
        demo_text.setObjectName("demoText")
        demo_text.setWordWrap(True)
        demo_text.setBuddy(self.demo_button)
        try:
            demo_sample_dir()
        except DemoError as exc:
            self.demo_button.setEnabled(False)
            self.demo_button.setToolTip(str(exc))

        self.backbone_label = QLabel()
        self.backbone_label.setObjectName("backboneLabel")
        self.backbone_label.setWordWrap(True)
        self.device_label = QLabel()
        self.device_label.setObjectName("deviceLabel")
        self.vgg16_help = QLabel()
        self.vgg16_help.setObjectName("vgg16Help")
        self.vgg16_help.setWordWrap(True)
        self.vgg16_help.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        show_models = QPushButton(self.tr("Show the models folder"))
        show_models.clicked.connect(self._show_models_folder)
        model_form = QFormLayout()
        model_form.addRow(self.tr("Backbone:"), self.backbone_label)
        model_form.addRow(self.tr("Runs on:"), self.device_label)
        model_box = QGroupBox(self.tr("Suggesting tags"))
        model_layout = QVBoxLayout(model_box)
        model_layout.addLayout(model_form)
        model_layout.addWidget(self.vgg16_help)
        model_layout.addWidget(show_models, 0, Qt.AlignmentFlag.AlignLeft)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.demo_button)
        layout.addWidget(demo_text)
        layout.addLayout(path_form)
        layout.addLayout(buttons)
        layout.addWidget(model_box)
        self._show_model_info(self.model_info)
        self.resize(660, self.sizeHint().height())

        self._signals: _ProbeSignals | None = None
        if probe is not None:
            self._signals = _ProbeSignals()
            self._signals.done.connect(self._probe_done)
            QThreadPool.globalInstance().start(_Probe(probe, self._signals))

    # ------------------------------------------------------------------ model information
    def _show_model_info(self, info: ModelInfo) -> None:
        self.backbone_label.setText(info.backbone_text)
        self.device_label.setText(info.device_text)
        folder = models_dir()
        if info.backbone == "vgg16":
            text = self.tr("The paper's VGG16 backbone is in use.")
        else:
            text = self.tr(
                "To use the paper's VGG16 backbone, copy torchvision's ImageNet weight file "
                "<b>{file}</b> into the models folder:<br><code>{folder}</code><br>"
                "and start the app again."
            ).format(file=VGG16_FILE, folder=html.escape(str(folder)))
        self.vgg16_help.setText(text)
        self._fit_height()

    def _fit_height(self) -> None:
        """Grow to show wrapped text in full (top-level layouts ignore height-for-width)."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    @Slot(object)
    def _probe_done(self, info: object) -> None:
        if isinstance(info, ModelInfo):
            self.model_info = info
            self._show_model_info(info)
        else:
            self.device_label.setText(self.tr("unknown ({reason})").format(reason=info))
        self.probe_finished.emit(info)

    def _show_models_folder(self) -> None:
        folder = models_dir()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # ------------------------------------------------------------------ choices
    def catalogue_path(self) -> Path:
        return Path(self.path_edit.text().strip()).expanduser()

    def _finish(self, result: WelcomeResult) -> None:
        self.result_choice = result
        self.accept()

    def _create(self) -> None:
        if not self.path_edit.text().strip():
            self._choose_new_path()
            if not self.path_edit.text().strip():
                return
        self._finish(WelcomeResult(WelcomeChoice.CREATE, self.catalogue_path()))

    def _open(self) -> None:
        path = self.ask_existing_catalogue()
        if path is not None:
            self._finish(WelcomeResult(WelcomeChoice.OPEN, path))

    def _import(self) -> None:
        folder = self.ask_import_folder()
        if folder is not None:
            self._finish(WelcomeResult(WelcomeChoice.IMPORT, self.catalogue_path(), folder))

    def _demo(self) -> None:
        self._finish(WelcomeResult(WelcomeChoice.DEMO, demo_catalogue_path()))

    def _connect_team(self) -> None:
        found = self.ask_team_catalogue()
        if found is not None:
            url, media_root = found
            self._finish(WelcomeResult(WelcomeChoice.CONNECT, url, media_root=media_root))

    def _choose_new_path(self) -> None:
        path = self.ask_new_catalogue()
        if path is not None:
            self.path_edit.setText(str(path))

    # the file dialogs, one method each so that tests can replace them
    def ask_new_catalogue(self) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("New catalogue"), self.path_edit.text(), self.tr(CATALOGUE_FILTER)
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_suffix(".sqlite")

    def ask_existing_catalogue(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open a catalogue"), str(Path.home()), self.tr(CATALOGUE_FILTER)
        )
        return Path(name) if name else None

    def ask_team_catalogue(self) -> tuple[str, Path | None] | None:
        """The team catalogue's connection string and media folder (None: cancelled)."""
        from heritage_tagger.gui.dialogs.team_dialog import TeamCatalogueDialog

        dialog = TeamCatalogueDialog(parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.url(), dialog.media_root()

    def ask_import_folder(self) -> Path | None:
        name = QFileDialog.getExistingDirectory(
            self, self.tr("Import a folder of photographs"), str(Path.home())
        )
        return Path(name) if name else None


def run_welcome(parent: QWidget | None = None) -> WelcomeResult | None:
    """Show the welcome dialog modally; the choice, or None when the librarian closed it."""
    dialog = WelcomeDialog(parent)
    dialog.exec()
    return dialog.result_choice

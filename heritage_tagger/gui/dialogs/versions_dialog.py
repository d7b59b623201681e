"""Model > Versions: the registered model versions with their metrics; activate (rollback) or remove one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from heritage_tagger.gui.i18n import QT_TRANSLATE_NOOP
from heritage_tagger.services.model_versions import HEADLINE_METRICS as METRICS
from heritage_tagger.services.model_versions import METRIC_WORDS, ModelVersionInfo, headline_metrics

HEADERS = [
    "",
    QT_TRANSLATE_NOOP("VersionsDialog", "Version"),
    QT_TRANSLATE_NOOP("VersionsDialog", "Created"),
    QT_TRANSLATE_NOOP("VersionsDialog", "Backbone"),
    QT_TRANSLATE_NOOP("VersionsDialog", "Training photos"),
    QT_TRANSLATE_NOOP("VersionsDialog", "Tags"),
    QT_TRANSLATE_NOOP("VersionsDialog", "Decisions"),
    *METRICS,
    QT_TRANSLATE_NOOP("VersionsDialog", "Measured on"),
]


def metric(metrics: dict[str, Any], name: str) -> str:
    """A version's headline metric (services.model_versions.headline_metrics) as text; "–" when not measured."""
    value = headline_metrics(metrics).get(name)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{float(value):.3f}"
    return "–"


class VersionsDialog(QDialog):
    activate_requested = Signal(str)
    remove_requested = Signal(str)

    def __init__(self, versions: list[ModelVersionInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Model versions"))
        self.versions: list[ModelVersionInfo] = []
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setAccessibleName(self.tr("Model versions"))
        self.table.setHorizontalHeaderLabels([self.tr(h) if h and h not in METRICS else h for h in HEADERS])
        for col, name in enumerate(HEADERS):
            words = METRIC_WORDS.get(name)
            header_item = self.table.horizontalHeaderItem(col)
            if words is not None and header_item is not None:
                header_item.setToolTip(f"{words[0]}: {words[1]}")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.note = QLabel("")
        self.status = QLabel("")
        self.status.setObjectName("versionsStatus")
        self.status.setWordWrap(True)
        self.activate_button = QPushButton(self.tr("Activate"))
        self.activate_button.setToolTip(self.tr("Make the selected version the active model (rollback)"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setToolTip(self.tr("Delete the selected version (not the active one)"))
        close = QPushButton(self.tr("Close"))
        self.activate_button.clicked.connect(self._activate)
        self.remove_button.clicked.connect(self._remove)
        close.clicked.connect(self.reject)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        buttons = QHBoxLayout()
        buttons.addWidget(self.activate_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(1100, 340)
        self.set_versions(versions)

    def set_versions(self, versions: list[ModelVersionInfo]) -> None:
        self.versions = list(versions)
        self.table.setRowCount(len(self.versions))
        for row, v in enumerate(self.versions):
            cells = [
                "●" if v.is_active else "", v.version, f"{v.created_at:%Y-%m-%d %H:%M}", v.backbone,
                str(v.n_records), str(v.n_tags), str(v.n_decisions), *(metric(v.metrics, m) for m in METRICS),
                str(headline_metrics(v.metrics)["measured_on"]),
            ]  # fmt: skip
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.note.setText(
            self.tr("No model trained yet: Model > Train….")
            if not self.versions
            else self.tr(
                "● marks the active version. The figures are those of the latest retrain comparison the version "
                "took part in (on photos neither model was trained on), the same as the retrain window showed; "
                "hover over a heading for what it means."
            )
        )
        self._selection_changed()

    def selected(self) -> ModelVersionInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.versions[rows[0].row()] if rows else None

    def select_version(self, version: str) -> None:
        for row, v in enumerate(self.versions):
            if v.version == version:
                self.table.selectRow(row)

    def _selection_changed(self) -> None:
        v = self.selected()
        self.activate_button.setEnabled(v is not None and not v.is_active)
        self.remove_button.setEnabled(v is not None)

    def _activate(self) -> None:
        v = self.selected()
        if v is None:
            return
        if v.is_active:
            self.status.setText(self.tr("{version} is already the active model.").format(version=v.version))
            return
        self.set_busy(True)
        self.status.setText(self.tr("Activating {version}…").format(version=v.version))
        self.activate_requested.emit(v.version)

    def _remove(self) -> None:
        v = self.selected()
        if v is None:
            return
        if v.is_active:
            self.status.setText(
                self.tr(
                    "{version} is the active model and cannot be removed: activate another version first."
                ).format(version=v.version)
            )
            return
        self.set_busy(True)
        self.remove_requested.emit(v.version)

    def show_failure(self, text: str) -> None:
        """Activating or removing failed: say why; the buttons work again."""
        self.status.setText(text)
        self.set_busy(False)

    def set_busy(self, busy: bool) -> None:
        self.activate_button.setEnabled(not busy)
        self.remove_button.setEnabled(not busy)
        if not busy:
            self._selection_changed()

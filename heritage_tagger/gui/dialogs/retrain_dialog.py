"""Model > Retrain: decisions since the active model, Start, then candidate vs active with Activate / Discard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QPixmap
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

from heritage_tagger.services.model_versions import ModelVersionInfo
from heritage_tagger.services.retraining import COMPARED, Comparison, RetrainOutcome

if TYPE_CHECKING:
    from heritage_tagger.services.training import TrainingOutcome

PLOT_WIDTH = 440  # px: the plot from services.retraining.save_plot, shown small


def held_out_note(comparison: Comparison) -> str:
    """Which held-out photos were scored, and how many of them the active model had seen."""
    text = f"Measured on {comparison.n_records} held-out photos ({comparison.n_tags} tags)"
    if comparison.only_unseen:
        return text + "; neither model was trained on any of them."
    return (
        text + f"; the active model was trained on {comparison.seen_by_active} of them, so its figures are "
        "optimistic. The candidate was trained on none."
    )


class RetrainDialog(QDialog):
    """A view: ``ModelJobsController`` (gui/model_jobs.py) connects its signals and feeds it results."""

    start_requested = Signal()
    activate_requested = Signal(str)  # candidate version
    discard_requested = Signal(str)

    def __init__(
        self, decisions_since: int, active: ModelVersionInfo | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Retrain the model")
        self.candidate: str | None = None
        self.decided = False  # activated or discarded
        if active is None:
            intro = "No model is active yet: use Model > Train… first."
        else:
            intro = (
                f"{decisions_since} review decisions arrived since the active model {active.version} was "
                f"trained ({active.created_at:%Y-%m-%d %H:%M}, backbone {active.backbone}, "
                f"{active.n_records} photos).\nRetraining learns from catalogued and accepted tags (never "
                "rejected ones) and compares the candidate with the active model on the same held-out photos."
            )
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.status = QLabel("")
        self.status.setObjectName("retrainStatus")
        self.status.setWordWrap(True)
        self.table = QTableWidget(len(COMPARED), 3)
        self.table.setHorizontalHeaderLabels(["Metric", "Active", "Candidate"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setVisible(False)
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.plot = QLabel()
        self.plot.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.plot.setVisible(False)
        self.start_button = QPushButton("Start")
        self.start_button.setDefault(True)
        self.start_button.setEnabled(active is not None)
        self.activate_button = QPushButton("Activate")
        self.discard_button = QPushButton("Discard")
        self.close_button = QPushButton("Close")
        for b in (self.activate_button, self.discard_button):
            b.setVisible(False)
        self.start_button.clicked.connect(self._start)
        self.activate_button.clicked.connect(lambda: self._decide(self.activate_requested))
        self.discard_button.clicked.connect(lambda: self._decide(self.discard_requested))
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.start_button, self.activate_button, self.discard_button, self.close_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.status)
        layout.addWidget(self.table)
        layout.addWidget(self.note)
        layout.addWidget(self.plot)
        layout.addLayout(buttons)
        self.setMinimumWidth(560)

    def _start(self) -> None:
        self.start_button.setEnabled(False)
        self.status.setText("Training the candidate…")
        self.start_requested.emit()

    def _decide(self, signal: SignalInstance) -> None:
        if self.candidate is None:
            return
        self.activate_button.setEnabled(False)
        self.discard_button.setEnabled(False)
        signal.emit(self.candidate)

    def training_failed(self, text: str) -> None:
        """Cancelled or failed: nothing changed; Start may be pressed again."""
        self.status.setText(f"{text} The active model is unchanged.")
        self.start_button.setEnabled(True)

    def show_outcome(self, outcome: RetrainOutcome, plot_path: str | None) -> None:
        """The candidate and the active model side by side: table, note and plot."""
        comparison = outcome.comparison
        candidate: TrainingOutcome = outcome.candidate
        self.candidate = candidate.version
        self.status.setText(
            f"Candidate {self.candidate} trained on {candidate.n_training_rows} photos "
            f"({candidate.n_tags} tags). Activate it, or discard it (closing keeps it, inactive, "
            "in Model > Versions)."
        )
        self.table.setHorizontalHeaderLabels(
            ["Metric", f"Active\n{comparison.active_version}", f"Candidate\n{self.candidate}"]
        )
        for row, name in enumerate(COMPARED):
            a, c = comparison.active.get(name, float("nan")), comparison.candidate.get(name, float("nan"))
            for col, text in enumerate((name, f"{a:.3f}", f"{c:.3f}")):
                item = QTableWidgetItem(text)
                if col == 2 and c > a:
                    item.setToolTip("better than the active model")
                self.table.setItem(row, col, item)
        self.table.resizeRowsToContents()
        header = self.table.horizontalHeader()
        rows = sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        self.table.setFixedHeight(header.sizeHint().height() + rows + 2 * self.table.frameWidth())
        self.table.setVisible(True)
        self.note.setText(held_out_note(comparison))
        if plot_path:
            pixmap = QPixmap(plot_path)
            if not pixmap.isNull():
                if pixmap.width() > PLOT_WIDTH:
                    pixmap = pixmap.scaledToWidth(PLOT_WIDTH, Qt.TransformationMode.SmoothTransformation)
                self.plot.setPixmap(pixmap)
                self.plot.setMinimumSize(pixmap.size())
                self.plot.setVisible(True)
        self.start_button.setVisible(False)
        self.activate_button.setVisible(True)
        self.discard_button.setVisible(True)
        self.activate_button.setEnabled(True)
        self.discard_button.setEnabled(True)

    def decision_failed(self, text: str) -> None:
        self.status.setText(text)
        self.activate_button.setEnabled(True)
        self.discard_button.setEnabled(True)

    def decision_done(self, text: str) -> None:
        self.decided = True
        self.status.setText(text)
        self.accept()

"""Model > Retrain: decisions since the active model, Start, then a fair comparison with a recommendation.

Not modal: the candidate trains in the background (the Jobs panel shows how far it got) and the
window stays usable; this dialog shows the comparison when it is ready. Every figure is explained
in one line, the recommendation (Activate or Keep) says why, and the buttons stay below the chart
at any screen height (the content scrolls).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from heritage_tagger.services.comparison import explain
from heritage_tagger.services.model_versions import ModelVersionInfo
from heritage_tagger.services.retraining import COMPARED, Comparison, RetrainOutcome

if TYPE_CHECKING:
    from heritage_tagger.services.training import TrainingOutcome

PLOT_HEIGHT = 240  # px: the chart from services.retraining.save_plot, shown small
SCREEN_MARGIN = 80  # px kept free above and below the dialog


def held_out_note(comparison: Comparison) -> str:
    """Which photos were scored, in a sentence (``Comparison.where``)."""
    return comparison.where()


class RetrainDialog(QDialog):
    """A view: ``ModelJobsController`` (gui/model_jobs.py) connects its signals and feeds it results."""

    start_requested = Signal()
    cancel_requested = Signal()
    activate_requested = Signal(str)  # candidate version
    discard_requested = Signal(str)

    def __init__(
        self, decisions_since: int, active: ModelVersionInfo | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Retrain the model"))
        self.candidate: str | None = None
        self.decided = False  # activated or discarded
        self.busy = False  # a candidate is training
        if active is None:
            intro = self.tr("No model is active yet: use Model > Train… first.")
        else:
            intro = self.tr(
                "{decisions} review decisions arrived since the active model {version} was "
                "trained ({created}, backbone {backbone}, "
                "{photos} photos).\nRetraining learns from catalogued and accepted tags (never "
                "rejected ones) and compares the candidate with the active model on photos neither was "
                "trained on. It runs in the background: keep working, the Jobs panel shows how far it got."
            ).format(
                decisions=decisions_since, version=active.version, created=f"{active.created_at:%Y-%m-%d %H:%M}",
                backbone=active.backbone, photos=active.n_records,
            )  # fmt: skip
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.status = QLabel("")
        self.status.setObjectName("retrainStatus")
        self.status.setWordWrap(True)
        self.recommendation = QLabel("")
        self.recommendation.setObjectName("retrainRecommendation")
        self.recommendation.setWordWrap(True)
        self.recommendation.setVisible(False)
        self.table = QTableWidget(len(COMPARED), 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Figure"), self.tr("Active"), self.tr("Candidate"), self.tr("What it means")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setVisible(False)
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.plot = QLabel()
        self.plot.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.plot.setVisible(False)
        self.start_button = QPushButton(self.tr("Start"))
        self.start_button.setDefault(True)
        self.start_button.setEnabled(active is not None)
        self.cancel_button = QPushButton(self.tr("Cancel retraining"))
        self.cancel_button.setVisible(False)
        self.activate_button = QPushButton(self.tr("Activate"))
        self.discard_button = QPushButton(self.tr("Discard"))
        self.close_button = QPushButton(self.tr("Close"))
        for b in (self.activate_button, self.discard_button):
            b.setVisible(False)
        self.start_button.clicked.connect(self._start)
        self.cancel_button.clicked.connect(self._cancel)
        self.activate_button.clicked.connect(lambda: self._decide(self.activate_requested))
        self.discard_button.clicked.connect(lambda: self._decide(self.discard_requested))
        self.close_button.clicked.connect(self.reject)
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.setContentsMargins(0, 0, 0, 0)
        for w in (self.intro, self.status, self.recommendation, self.table, self.note, self.plot):
            inner.addWidget(w)
        inner.addStretch(1)
        self.content_area = QScrollArea()
        self.content_area.setWidgetResizable(True)
        self.content_area.setAccessibleName(self.tr("Retraining results"))
        self.table.setAccessibleName(self.tr("The active model and the candidate compared"))
        self.content_area.setFrameShape(QFrame.Shape.NoFrame)
        self.content_area.setWidget(content)
        self.buttons = QWidget()  # always below the chart, never over it
        row = QHBoxLayout(self.buttons)
        row.setContentsMargins(0, 0, 0, 0)
        row.addStretch(1)
        for b in (
            self.start_button,
            self.cancel_button,
            self.activate_button,
            self.discard_button,
            self.close_button,
        ):
            row.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.content_area, 1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(720)
        self._fit_screen()
        self.fit_content()

    def _fit_screen(self) -> None:
        """Never taller than the screen: the content scrolls, the buttons stay visible."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            self.setMaximumHeight(max(400, screen.availableGeometry().height() - SCREEN_MARGIN))

    def _start(self) -> None:
        self.busy = True
        self.start_button.setEnabled(False)
        self.cancel_button.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.status.setText(
            self.tr(
                "Training the candidate and the comparison in the background (see the Jobs panel). "
                "You can close this window and keep working; it opens again with the comparison."
            )
        )
        self.start_requested.emit()

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.status.setText(
            self.tr("Cancelling: the current step finishes first. The active model is unchanged.")
        )
        self.cancel_requested.emit()

    def _decide(self, signal: SignalInstance) -> None:
        if self.candidate is None:
            return
        self.activate_button.setEnabled(False)
        self.discard_button.setEnabled(False)
        signal.emit(self.candidate)

    def training_failed(self, text: str) -> None:
        """Cancelled or failed: nothing changed; Start may be pressed again."""
        self.busy = False
        self.status.setText(self.tr("{text} The active model is unchanged.").format(text=text))
        self.start_button.setEnabled(True)
        self.cancel_button.setVisible(False)

    def show_outcome(self, outcome: RetrainOutcome, plot_path: str | None) -> None:
        """The candidate and the active model side by side: recommendation, table, note and chart."""
        self.busy = False
        comparison = outcome.comparison
        candidate: TrainingOutcome = outcome.candidate
        self.candidate = candidate.version
        self.status.setText(
            self.tr(
                "Candidate {version} trained on {photos} photos "
                "({tags} tags). Activate it, or discard it (closing keeps it, inactive, "
                "in Model > Versions)."
            ).format(version=self.candidate, photos=candidate.n_training_rows, tags=candidate.n_tags)
        )
        rec = outcome.recommendation
        self.recommendation.setText(
            self.tr("<b>Recommendation: {verdict}.</b> {reason}").format(
                verdict=rec.verdict, reason=rec.reason
            )
        )
        self.recommendation.setAccessibleName(
            self.tr("Recommendation: {verdict}. {reason}").format(verdict=rec.verdict, reason=rec.reason)
        )
        self.recommendation.setVisible(True)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Figure"),
                self.tr("Active\n{version}").format(version=comparison.active_version),
                self.tr("Candidate\n{version}").format(version=self.candidate),
                self.tr("What it means"),
            ]
        )
        for row, name in enumerate(COMPARED):
            a, c = comparison.active.get(name, float("nan")), comparison.candidate.get(name, float("nan"))
            words, meaning = explain(name)
            cells = (f"{words} ({name})", f"{a:.3f}", f"{c:.3f}", meaning)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(meaning)
                if col == 2 and c > a:
                    item.setToolTip(self.tr("better than the active model"))
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
                if pixmap.height() > PLOT_HEIGHT:
                    pixmap = pixmap.scaledToHeight(PLOT_HEIGHT, Qt.TransformationMode.SmoothTransformation)
                self.plot.setPixmap(pixmap)
                self.plot.setMinimumSize(pixmap.size())
                self.plot.setVisible(True)
        self.start_button.setVisible(False)
        self.cancel_button.setVisible(False)
        for b in (self.activate_button, self.discard_button):
            b.setVisible(True)
            b.setEnabled(True)
        (self.activate_button if rec.activate else self.close_button).setDefault(True)
        self.fit_content()

    def fit_content(self) -> None:
        """As tall as the content wants (the scroll area's own hint is small), at most the screen's height."""
        content = self.content_area.widget()
        wanted = (
            (content.sizeHint().height() if content is not None else 0)
            + self.buttons.sizeHint().height()
            + 60
        )
        height = min(self.maximumHeight(), wanted)
        self.resize(max(self.width(), 760), height)
        self._keep_on_screen(height)

    def _keep_on_screen(self, height: int) -> None:
        """Grown after it was placed: move it up so that its buttons stay on the screen."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None or not self.isVisible():
            return
        available = screen.availableGeometry()
        frame = self.frameGeometry()
        border = max(0, frame.height() - self.geometry().height())
        bottom = frame.top() + height + border
        if bottom > available.bottom():
            self.move(frame.left(), max(available.top(), available.bottom() - height - border))

    def decision_failed(self, text: str) -> None:
        self.status.setText(text)
        self.activate_button.setEnabled(True)
        self.discard_button.setEnabled(True)

    def decision_done(self, text: str) -> None:
        self.decided = True
        self.status.setText(text)
        self.accept()

"""The jobs panel: every background job in plain words, one bar each, a steady time estimate, Cancel.

A view of ``gui.background.BackgroundJobs``: a row appears for each submitted job, follows its
``changed`` signal, offers Cancel while it runs and Dismiss once it ended (finished rows also go
when "Clear finished" is pressed). Any controller that has the ``BackgroundJobs`` can submit.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from heritage_tagger.gui.background import CANCELLED, DONE, FAILED, BackgroundJobs, Job

BAR_SCALE = 1000


class JobRow(QFrame):
    """One job: title and words, its bar and time left, Cancel (then Dismiss)."""

    dismissed = Signal(object)  # JobRow

    def __init__(self, job: Job, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.job = job
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName("jobRow")
        self.title = QLabel(f"<b>{job.title}</b>")
        self.words = QLabel("")
        self.words.setWordWrap(True)
        self.words.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bar = QProgressBar()
        self.bar.setRange(0, BAR_SCALE)
        self.bar.setAccessibleName(job.title)
        self.time_left = QLabel("")
        self.time_left.setMinimumWidth(150)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop {job}").format(job=job.title.lower()))
        self.dismiss_button = QPushButton(self.tr("Dismiss"))
        self.dismiss_button.hide()
        self.cancel_button.clicked.connect(job.cancel)
        self.dismiss_button.clicked.connect(lambda: self.dismissed.emit(self))
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.time_left)
        top.addWidget(self.cancel_button)
        top.addWidget(self.dismiss_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.bar)
        layout.addWidget(self.words)
        job.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        job = self.job
        if job.active:
            self.words.setText(f"{job.headline}: {job.detail}" if job.detail else job.headline)
            self.bar.setRange(0, 0 if job.indeterminate else BAR_SCALE)
            if not job.indeterminate:
                self.bar.setValue(round(job.fraction * BAR_SCALE))
            self.time_left.setText(job.time_left)
            self.cancel_button.setEnabled(job.state == "running")
            return
        self.bar.setRange(0, BAR_SCALE)
        self.bar.setValue(BAR_SCALE if job.state == DONE else round(job.fraction * BAR_SCALE))
        prefix = {DONE: self.tr("Finished"), CANCELLED: self.tr("Cancelled"), FAILED: self.tr("Failed")}.get(
            job.state, ""
        )
        words = (
            job.outcome
            if job.outcome.startswith(prefix)
            else self.tr("{state}: {outcome}").format(state=prefix, outcome=job.outcome)
        )
        self.words.setText(words)
        self.time_left.setText("")
        self.cancel_button.hide()
        self.dismiss_button.show()
        if QAccessible.isActive():
            QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self.words, f"{job.title}: {words}"))


class JobsPanel(QWidget):
    """The rows of ``jobs``; ``job_added`` when a new one appears (the window shows the panel then)."""

    job_added = Signal()

    def __init__(self, jobs: BackgroundJobs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.jobs = jobs
        self.rows: list[JobRow] = []
        self.empty = QLabel(
            self.tr("No job is running. Training, retraining, imports and exports appear here.")
        )
        self.empty.setWordWrap(True)
        self.clear_button = QPushButton(self.tr("Clear finished"))
        self.clear_button.clicked.connect(self.clear_finished)
        inner = QWidget()
        self.list = QVBoxLayout(inner)
        self.list.setContentsMargins(0, 0, 0, 0)
        self.list.addStretch(1)
        self.list.addWidget(self.empty)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setAccessibleName(self.tr("Jobs"))
        scroll.setWidget(inner)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)
        self.setMinimumHeight(170)  # two jobs at a time without scrolling
        jobs.added.connect(self.add)
        self._tick = QTimer(self, interval=1000)  # the time left counts down between reports too
        self._tick.timeout.connect(self._refresh_running)
        self._tick.start()

    def add(self, job: Job) -> JobRow:
        row = JobRow(job)
        row.dismissed.connect(self.remove)
        self.rows.append(row)
        self.list.insertWidget(0, row)  # the newest on top, where it is seen
        self.empty.hide()
        self.job_added.emit()
        return row

    def row_for(self, job: Job) -> JobRow | None:
        return next((r for r in self.rows if r.job is job), None)

    def remove(self, row: JobRow) -> None:
        if row.job.active:
            return
        self.rows.remove(row)
        self.list.removeWidget(row)
        row.deleteLater()
        self.jobs.jobs = [j for j in self.jobs.jobs if j is not row.job]
        self.empty.setVisible(not self.rows)

    def clear_finished(self) -> None:
        for row in [r for r in self.rows if not r.job.active]:
            self.remove(row)

    def _refresh_running(self) -> None:
        for row in self.rows:
            if row.job.active and not row.job.indeterminate:
                row.time_left.setText(row.job.time_left)

"""Review > Photos for a tag: the catalogue's photos that do not carry a tag yet, the most likely first.

The search (``services.tag_search.photos_for_tag``) is model work: a background job in a worker process
(``services.model_jobs.search_tag``), its progress and Cancel in the jobs panel. A and R decide on the
selected photo through the review controller (written in order, Ctrl+Z undoes), offered as the search's
live suggestion (source "model:search"); Enter or a double click shows the photo in the browser.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from heritage_tagger.gui.background import BackgroundJobs, Job, JobSpec, ProcessJob
from heritage_tagger.gui.browse_controller import BrowseController
from heritage_tagger.gui.controller import CatalogueHolder, Controller
from heritage_tagger.gui.filter_bar import tag_completer
from heritage_tagger.gui.i18n import QT_TRANSLATE_NOOP
from heritage_tagger.gui.review_controller import ReviewController
from heritage_tagger.gui.workers import TaskRunner
from heritage_tagger.services import model_jobs
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.review import Offered

if TYPE_CHECKING:
    from heritage_tagger.services.tag_search import TagMatch, TagSearch

KIND = "tag-search"  # one search at a time
LIMIT = 50
SOURCE = "model:search"  # what a decision taken here records as the suggestion's source
HEADERS = [QT_TRANSLATE_NOOP("TagSearchDialog", "Probability"), QT_TRANSLATE_NOOP("TagSearchDialog", "Likely"),
           QT_TRANSLATE_NOOP("TagSearchDialog", "Identifier"), QT_TRANSLATE_NOOP("TagSearchDialog", "Title"),
           QT_TRANSLATE_NOOP("TagSearchDialog", "Status")]  # fmt: skip
TITLE, STATUS = 3, 4
STATES = {"accept": QT_TRANSLATE_NOOP("TagSearchDialog", "accepted"), "reject": QT_TRANSLATE_NOOP("TagSearchDialog", "rejected"),
          "suggested": QT_TRANSLATE_NOOP("TagSearchDialog", "already suggested")}  # fmt: skip


class TagSearchDialog(QDialog):
    """The window: the tag, Find, the ranked photos; A, R and Enter act on the selected row."""

    find_requested = Signal(str, int)  # the tag, the import batch searched (-1: every photo)
    cancel_requested = Signal()
    decide_requested = Signal(object, str)  # TagMatch, "accept" or "reject"
    show_requested = Signal(int)  # record id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Photos for a tag"))
        self.search: TagSearch | None = None
        self.decided: dict[int, str] = {}  # record id: "accept" or "reject", decided here
        self.edit = QLineEdit(placeholderText=self.tr("A tag the model knows, e.g. procession"))
        self.edit.setAccessibleName(self.tr("Tag"))
        self.edit.setCompleter(tag_completer(self.edit))
        self.find_button, self.cancel_button = QPushButton(self.tr("&Find")), QPushButton(self.tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.message = QLabel(
            self.tr("Name a tag and press Enter: the photos that do not carry it yet, most likely first.")
        )
        self.summary = QLabel("")  # photos read, unreadable, the model that ranks them
        for label, name in ((self.message, "tagSearchMessage"), (self.summary, "tagSearchSummary")):
            label.setObjectName(name)
            label.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setAccessibleName(self.tr("Photos for the tag"))
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in HEADERS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        self.accept_button = QPushButton(self.tr("&Accept (A)"))
        self.reject_button = QPushButton(self.tr("&Reject (R)"))
        close = QPushButton(self.tr("Close"))
        keys = ((("A",), lambda: self.decide("accept")), (("R",), lambda: self.decide("reject")),
                (("Return", "Enter"), self._show_current))  # fmt: skip
        for sequences, slot in keys:
            action = QAction(self.table)
            action.setShortcuts([QKeySequence(k) for k in sequences])
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(slot)
            self.table.addAction(action)
        self.edit.returnPressed.connect(self._find)
        self.find_button.clicked.connect(self._find)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.accept_button.clicked.connect(lambda: self.decide("accept"))
        self.reject_button.clicked.connect(lambda: self.decide("reject"))
        self.table.doubleClicked.connect(lambda _: self._show_current())
        close.clicked.connect(self.close)
        tag_label = QLabel(self.tr("&Tag:"))
        tag_label.setBuddy(self.edit)
        self.scope = QComboBox()  # every photo, or one import batch's (the filter bar's when it has one)
        self.scope.setAccessibleName(self.tr("Search in"))
        self.set_batches([])
        scope_label = QLabel(self.tr("&In:"))
        scope_label.setBuddy(self.scope)
        top, bottom, layout = QHBoxLayout(), QHBoxLayout(), QVBoxLayout(self)
        for widget in (tag_label, self.edit, scope_label, self.scope, self.find_button, self.cancel_button):
            top.addWidget(widget, 1 if widget is self.edit else 0)
        for button in (self.accept_button, self.reject_button, close):
            bottom.addWidget(button)
        bottom.insertStretch(2, 1)
        for button in (self.find_button, self.cancel_button, self.accept_button, self.reject_button, close):
            button.setAutoDefault(False)  # Enter finds in the field and shows the photo in the table
        layout.addLayout(top)
        for part, stretch in ((self.message, 0), (self.summary, 0), (self.table, 1)):
            layout.addWidget(part, stretch)
        layout.addLayout(bottom)
        self.resize(760, 560)

    def set_vocabulary(self, labels: list[str]) -> None:
        model = self.edit.completer().model()
        model.setStringList(labels)  # type: ignore[attr-defined]  # the QStringListModel of tag_completer

    def set_batches(self, batches: list[tuple[int, str]], current: int | None = None) -> None:
        """Every photo, then each import batch (id, label); ``current`` (else the one shown) selected."""
        keep = self.scope.currentData() if current is None else current
        self.scope.clear()
        self.scope.addItem(self.tr("All photos"), -1)
        for batch_id, label in batches:
            self.scope.addItem(label, batch_id)
        self.scope.setCurrentIndex(max(0, self.scope.findData(keep)))

    def _find(self) -> None:
        tag = " ".join(self.edit.text().split())
        if tag and self.find_button.isEnabled():
            self.find_requested.emit(tag, int(self.scope.currentData()))

    def searching(self, job: Job) -> None:
        """A search runs: nothing to decide on until it answers."""
        self.search, self.decided = None, {}
        self.table.setRowCount(0)
        self.summary.setText("")
        self.find_button.setEnabled(False)
        self.cancel_button.setEnabled(True)

        def changed() -> None:
            if job.active and self.search is None:
                done = "" if job.indeterminate else f" {round(job.fraction * 100)}%"
                self.message.setText(self.tr("Reading photos…") + done)

        job.changed.connect(changed)
        changed()

    def show_problem(self, text: str) -> None:
        """The search failed or was cancelled: said in words, a new one can start."""
        self.find_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.message.setText(text)

    def show_search(self, search: TagSearch) -> None:
        self.show_problem("")
        self.search = search
        self.summary.setText(
            self.tr("{searched} photos read, {unreadable} could not be read. Ranked by model {version}: {served_by}.").format(
                searched=f"{search.searched:,}", unreadable=f"{search.unreadable:,}",
                version=search.model_version, served_by=search.ranked_by,
            )
        )  # fmt: skip
        if not search.matches:
            self.message.setText(self.tr("Every photo carries this tag already, or had it rejected."))
            return
        self.message.setText(
            self.tr(
                "The {n} photos most likely to show “{tag}” that do not carry it yet ({likely} reach the "
                "suggestions' threshold, ✓). A accepts the tag, R rejects it, Enter shows the photo."
            ).format(n=len(search.matches), tag=search.tag, likely=search.confident)
        )
        self.table.setRowCount(len(search.matches))
        for row, match in enumerate(search.matches):
            cells = (f"{match.probability:.3f}", "✓" * match.confident, match.identifier, match.title, "")
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 1 and match.confident:
                    item.setToolTip(self.tr("Reaches the threshold the suggestions use"))
                self.table.setItem(row, col, item)
            self._show_status(row)
        self.table.selectRow(0)
        self.table.setFocus()

    def _show_status(self, row: int) -> None:
        if self.search is None or (item := self.table.item(row, STATUS)) is None:
            return
        match = self.search.matches[row]
        verb = self.decided.get(match.record_id, "suggested" if match.suggested else "")
        item.setText(self.tr(STATES[verb]) if verb else "")

    def current_match(self) -> TagMatch | None:
        row = self.table.currentRow()
        if self.search is None or not 0 <= row < len(self.search.matches):
            return None
        return self.search.matches[row]

    def decide(self, verb: str) -> None:
        """A or R on the selected photo: the row says so at once, the selection moves to the next row."""
        match, row = self.current_match(), self.table.currentRow()
        self.table.setFocus()
        if match is None:
            return
        if match.record_id in self.decided:
            self.message.setText(self.tr("This photo is decided already (Ctrl+Z in the main window undoes)."))
            return
        self.decided[match.record_id] = verb
        self._show_status(row)
        self.decide_requested.emit(match, verb)
        if row + 1 < self.table.rowCount():
            self.table.selectRow(row + 1)

    def undecided(self, record_id: int, text: str) -> None:
        """A decision was not written: the row as it was, and why."""
        self.decided.pop(record_id, None)
        for row, match in enumerate(self.search.matches if self.search is not None else []):
            if match.record_id == record_id:
                self._show_status(row)
        self.message.setText(text)

    def _show_current(self) -> None:
        match = self.current_match()
        if match is not None:
            self.show_requested.emit(match.record_id)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.activateWindow()
        (self.table if self.search is not None and self.search.matches else self.edit).setFocus()


class TagSearchController(Controller):
    """Opens the window, runs its searches as background jobs and hands its decisions to the review."""

    def __init__(self, runner: TaskRunner, holder: CatalogueHolder, background: BackgroundJobs,
                 review: ReviewController, browse: BrowseController, parent: QWidget) -> None:  # fmt: skip
        super().__init__(runner, holder, parent)
        self.background, self.review, self.browse, self.dialog_parent = background, review, browse, parent
        self.dialog: TagSearchDialog | None = None
        self.job: Job | None = None
        self._pending: list[int] = []  # record ids whose decisions are being written, in order (one writer)
        self._searched_in: Catalogue | None = None  # the catalogue the results are of
        review.decided.connect(self._decided)
        review.error.connect(self._failed)
        review.stale.connect(lambda record_id, text: self._failed(text, record_id))

    def open(self) -> TagSearchDialog:
        """Review > Photos for a tag: one window, raised again when already open."""
        if self.dialog is None:
            self.dialog = TagSearchDialog(self.dialog_parent)
            self.dialog.setModal(False)
            self.dialog.find_requested.connect(self.find)
            self.dialog.cancel_requested.connect(lambda: self.job.cancel() if self.job is not None else None)
            self.dialog.decide_requested.connect(self._decide)
            self.dialog.show_requested.connect(self.browse.open_record)
        self.dialog.set_vocabulary(self.browse.vocabulary)
        shown = self.browse.filter_bar.batch.currentData()  # the batch being browsed, if any
        self.dialog.set_batches(self.browse.batches, None if shown is None or shown < 0 else int(shown))
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog

    def find(self, tag: str, batch_id: int = -1) -> Job | None:
        """Rank the photos for ``tag`` (of import batch ``batch_id``; -1: all) in a worker process."""
        dialog, cat = self.dialog, self.catalogue_or_say()
        if dialog is None or cat is None:
            return None
        title = self.tr("Finding photos for “{tag}”").format(tag=tag)

        def done(search: TagSearch) -> None:
            self._searched_in = cat
            dialog.show_search(search)

        def failed(text: str) -> None:
            cancelled = text == QCoreApplication.translate("BackgroundJobs", "Cancelled.")
            dialog.show_problem(self.tr("The search was cancelled.") if cancelled else text)

        options = {"tag": tag, "limit": LIMIT, "batch_id": None if batch_id < 0 else batch_id}
        spec: JobSpec[TagSearch] = JobSpec(
            title, ProcessJob(model_jobs.SEARCH_TAG, options), done, failed, kind=KIND,
            done_text=lambda s: self.tr("Finished: {n} photos ranked for “{tag}”.").format(n=len(s.matches), tag=s.tag),
        )  # fmt: skip
        self.job = self.background.submit(spec)
        if self.job is None:
            dialog.show_problem(self.tr("A search is already running (see the Jobs panel)."))
        else:
            dialog.searching(self.job)
        return self.job

    def _decide(self, match: TagMatch, verb: str) -> None:
        dialog = self.dialog
        search = dialog.search if dialog is not None else None
        if dialog is None or search is None:
            return
        if self.holder.catalogue is not self._searched_in:
            dialog.undecided(match.record_id, self.tr("Another catalogue is open: find the photos again."))
            return
        self._pending.append(match.record_id)
        offered = Offered(search.tag, match.probability, search.model_version, SOURCE)
        decide = self.review.accept if verb == "accept" else self.review.reject
        decide(match.record_id, search.tag, offered)

    def _decided(self, record_ids: list[int], text: str) -> None:
        mine = [rid for rid in record_ids if rid in self._pending]
        for rid in mine:
            self._pending.remove(rid)
        if mine and self.dialog is not None:
            self.dialog.message.setText(text)

    def _failed(self, text: str, record_id: int | None = None) -> None:
        """A decision was refused: the oldest of ours (decisions are written one at a time, in order)."""
        if not self._pending or (record_id is not None and record_id not in self._pending):
            return
        rid = record_id if record_id is not None else self._pending[0]
        self._pending.remove(rid)
        if self.dialog is not None:
            self.dialog.undecided(rid, text)

"""The main window: filter bar and browser, detail pane, suggestion panel, menus and keyboard review."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QImage, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QSplitter, QVBoxLayout, QWidget

from heritage_tagger.gui import jobs, model_jobs
from heritage_tagger.gui.browser_model import RecordTableModel
from heritage_tagger.gui.detail_pane import DetailPane
from heritage_tagger.gui.filter_bar import FilterBar
from heritage_tagger.gui.images import ThumbnailCache, load_image
from heritage_tagger.gui.message_bar import MessageBar
from heritage_tagger.gui.preferences import Preferences
from heritage_tagger.gui.review_controller import ReviewController
from heritage_tagger.gui.review_keys import ReviewKeysMixin
from heritage_tagger.gui.shortcuts import SHORTCUTS
from heritage_tagger.gui.suggestion_loader import SuggestionLoaderMixin
from heritage_tagger.gui.suggestion_panel import SuggestionPanel
from heritage_tagger.gui.suggestions import PanelCache
from heritage_tagger.gui.views import BrowserViews
from heritage_tagger.gui.workers import TaskRunner, describe_error
from heritage_tagger.services import browse
from heritage_tagger.services.browse import ModelInfo, RecordDetails
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.locks import open_in_window

LARGE_IMAGE = 1600


class MainWindow(SuggestionLoaderMixin, ReviewKeysMixin, QMainWindow):
    catalogue_opened = Signal(object)  # Catalogue
    details_shown = Signal(int)
    suggestions_shown = Signal(int)  # record id (panel filled, or says why not)
    message = Signal(str)  # every status or error message, for tests and logs

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.prefs = Preferences.load(settings)
        self.runner = TaskRunner(self)
        self.runner.error.connect(self.show_error)
        self.catalogue: Catalogue | None = None
        self.model_info: ModelInfo | None = None
        self.current_id: int | None = None
        self.details: RecordDetails | None = None
        self.vocabulary: list[str] = []
        self.panel_cache = PanelCache()
        self._prefetching = False
        self._suggest_for: int | None = None
        self.thumbnails = ThumbnailCache(self.runner, self.prefs.thumbnail_size, parent=self)
        self.model = RecordTableModel(self.runner, self.thumbnails, self)
        self.review = ReviewController(self.runner, self.prefs.reviewer, self)
        self._build()
        self._connect()
        self.setWindowTitle("Heritage Tagger")
        self.resize(1400, 900)
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = settings.value("window/splitter")
        if isinstance(state, QByteArray):
            self.splitter.restoreState(state)

    # --- layout --------------------------------------------------------------------------
    def _build(self) -> None:
        self.filter_bar = FilterBar()
        self.browser = BrowserViews(self.model, self.prefs.thumbnail_size)
        self.count_label = QLabel("")
        self.count_label.setObjectName("countLabel")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(0)
        left_layout.addWidget(self.filter_bar)
        left_layout.addWidget(self.browser, 1)
        self.detail = DetailPane()
        self.panel = SuggestionPanel()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        for widget in (left, self.detail, self.panel):
            self.splitter.addWidget(widget)
        self.splitter.setSizes([540, 440, 420])
        self.splitter.setChildrenCollapsible(False)
        self.retrain_bar = MessageBar("Retrain…")
        self.retrain_bar.action.clicked.connect(lambda: model_jobs.retrain(self))
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.retrain_bar)
        central_layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.statusBar().addPermanentWidget(self.count_label)
        self.commands: dict[str, QAction] = {}  # by Shortcut.name (not "actions": QWidget.actions() exists)
        self.export_csv = self.export_dc = self.train_action = self.versions_action = self.about_action = (
            QAction()
        )
        self.retrain_action = QAction()
        review_widgets = [
            self.browser.grid,
            self.browser.table,
            self.detail.tags,
            self.detail.image,
            self.panel,
        ]
        for s in SHORTCUTS:
            action = QAction(s.text, self)
            action.setShortcuts([QKeySequence(k) for k in s.keys])
            action.setToolTip(s.help)
            if s.review:
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                for widget in review_widgets:
                    widget.addAction(action)
            else:
                self.addAction(action)
            self.commands[s.name] = action
        self.commands["undo"].setEnabled(False)
        self.commands["redo"].setEnabled(False)
        jobs.build_menus(self)

    def _connect(self) -> None:
        a = self.commands
        for name, slot in (
            ("accept", self.accept_focused),
            ("reject", self.reject_focused),
            ("accept_all", self.accept_all),
            ("add_tag", lambda: jobs.add_tag(self)),
            ("remove_tag", self.remove_focused),
            ("next", lambda: self.browser.step(1)),
            ("previous", lambda: self.browser.step(-1)),
        ):
            a[name].triggered.connect(lambda _=False, slot=slot: self._review_key(slot))
        a["undo"].triggered.connect(self.review.undo)
        a["redo"].triggered.connect(self.review.redo)
        a["find"].triggered.connect(lambda: self.filter_bar.text.setFocus())
        a["quit"].triggered.connect(self.close)
        self.filter_bar.changed.connect(self.model.set_filter)
        self.filter_bar.view_toggled.connect(self.browser.show_grid)
        self.model.loaded.connect(self._loaded)
        self.model.failed.connect(self.show_error)
        self.browser.current_record.connect(self.select_record)
        self.detail.field_edited.connect(self.save_field)
        self.panel.neighbour_clicked.connect(self.open_record)
        self.panel.train_requested.connect(lambda: jobs.train(self))
        self.review.decided.connect(self._decided)
        self.review.failed.connect(self.show_error)
        self.review.history_changed.connect(self._history_changed)
        self.thumbnails.ready.connect(self._thumbnail_ready)

    def _history_changed(self, can_undo: bool, can_redo: bool) -> None:
        self.commands["undo"].setEnabled(can_undo)
        self.commands["redo"].setEnabled(can_redo)

    # --- messages ------------------------------------------------------------------------
    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)
        self.message.emit(text)

    def show_error(self, text: str) -> None:
        self.statusBar().showMessage("⚠ " + text, 15000)
        self.message.emit(text)

    def offer_retraining(self, text: str) -> None:
        """A non-blocking bar above the browser with a "Retrain…" button (periodic retraining)."""
        self.retrain_bar.show_message(text)
        self.message.emit(text)

    def check_retrain_due(self) -> None:
        """At start-up: offer retraining when the Preferences' periodic retraining says it is due."""
        model_jobs.check_retrain_due(self)

    # --- catalogue -----------------------------------------------------------------------
    def open_path(self, path: Path | str, *, create: bool = True) -> None:
        """Open a catalogue in a worker (schema upgrade included); errors appear in the window."""
        self.show_status(f"Opening {path}…")

        def failed(exc: BaseException) -> None:
            text = describe_error(exc)
            self.show_error(text)
            self.panel.show_message(text)

        old = self.catalogue
        self.runner.run(
            lambda: open_in_window(path, create=create, replacing=old), self.set_catalogue, failed
        )

    def set_catalogue(self, catalogue: Catalogue) -> None:
        old, self.catalogue = self.catalogue, catalogue
        self.setWindowTitle(f"Heritage Tagger — {catalogue.path.name}")
        self.current_id = None
        self.details = None
        self.panel_cache.clear()
        self.detail.clear()
        self.panel.show_message("Select a photo to see its suggestions.")
        self.review.set_catalogue(catalogue)
        self.model.set_catalogue(catalogue)
        self.refresh_lists()
        self.refresh_model_info()
        if old is not None and old is not catalogue:
            old.close()
        self.catalogue_opened.emit(catalogue)

    def refresh_lists(self) -> None:
        cat = self.catalogue
        if cat is None:
            return

        def done(result: tuple[list[str], list[str], list[tuple[int, str]]]) -> None:
            self.vocabulary, locations, batches = result
            self.filter_bar.set_vocabulary(self.vocabulary)
            self.filter_bar.set_locations(locations)
            self.filter_bar.set_batches(batches)

        self.runner.run(
            lambda: (browse.tag_vocabulary(cat), browse.locations(cat), browse.batches(cat)), done
        )

    def refresh_model_info(self) -> None:
        cat = self.catalogue
        if cat is not None:
            self.runner.run(lambda: browse.active_model(cat), self._model_info)

    def _model_info(self, info: ModelInfo | None) -> None:
        if info != self.model_info:
            self.panel_cache.clear()
        self.model_info = info
        if self.current_id is not None:
            self.load_suggestions(self.current_id)

    def _loaded(self, total: int) -> None:
        self.count_label.setText(f"{total:,} photos")
        if self.catalogue is not None and self.statusBar().currentMessage().startswith("Opening"):
            self.show_status(f"Opened {self.catalogue.path}.")
        if total and self.browser.current_row() < 0 and self.current_id is None:
            self.browser.select_row(0)
        elif not total:
            self.detail.clear()
            self.panel.show_message("No photo matches the filters.")

    # --- selection -----------------------------------------------------------------------
    def open_record(self, record_id: int) -> None:
        row = self.model.row_for_record(record_id)
        if row is not None:
            self.browser.select_row(row)
        else:
            self.select_record(record_id)

    def select_record(self, record_id: int) -> None:
        if self.catalogue is None:
            return
        changed = record_id != self.current_id
        self.current_id = record_id
        self.load_details(record_id, with_image=changed)
        if changed:
            self.load_suggestions(record_id)

    def load_details(self, record_id: int, *, with_image: bool = True) -> None:
        cat = self.catalogue
        assert cat is not None

        def done(details: RecordDetails) -> None:
            if record_id != self.current_id:
                return
            self.details = details
            self.detail.show_details(details)
            self.panel.update_states(details.tags_by_label)
            self.details_shown.emit(record_id)
            if with_image:
                self._load_image(details)

        def failed(exc: BaseException) -> None:
            if record_id == self.current_id:
                self.show_error(describe_error(exc))

        self.runner.run(lambda: browse.record_details(cat, record_id), done, failed)

    def _load_image(self, details: RecordDetails) -> None:
        rec = details.record
        paths = [Path(rec.source_path)] if rec.source_path else []
        paths.append(details.thumbnail)
        if not rec.source_path and not rec.sha256:
            self.detail.image.show_message("This record has no picture.")
            return
        self.detail.image.show_message("Loading…")

        def done(image: QImage) -> None:
            if rec.id == self.current_id:
                size = f"{rec.width}×{rec.height}" if rec.width else f"{image.width()}×{image.height()}"
                self.detail.image.show_image(image, f"{rec.identifier}  ·  {size}")

        def failed(exc: BaseException) -> None:
            if rec.id == self.current_id:
                self.detail.image.show_message(describe_error(exc))
                if rec.source_path:  # a record catalogued without a file is not an error
                    self.show_error(f"{rec.identifier}: {describe_error(exc)}")

        self.runner.run(lambda: load_image(paths, LARGE_IMAGE), done, failed, pool="images")

    def _decided(self, record_ids: list[int], text: str) -> None:
        self.show_status(text)
        self.model.refresh_records(record_ids)
        if self.current_id in record_ids:
            self.load_details(self.current_id, with_image=False)
            self.panel.advance()

    def save_field(self, record_id: int, name: str, value: str) -> None:
        cat = self.catalogue
        if cat is None:
            return

        def done(_: str) -> None:
            self.show_status(f"Saved {name}.")
            self.model.refresh_records([record_id])

        self.runner.run(
            lambda: browse.update_field(cat, record_id, name, value), done,
            lambda exc: self.show_error(f"Could not save {name}: {describe_error(exc)}"), pool="write",
        )  # fmt: skip

    # --- preferences and closing -----------------------------------------------------------
    def apply_preferences(self, prefs: Preferences) -> None:
        self.prefs = prefs
        prefs.save(self.settings)
        self.review.reviewer = prefs.reviewer
        if prefs.thumbnail_size != self.thumbnails.size:
            self.thumbnails.set_size(prefs.thumbnail_size)
            self.browser.grid.set_thumb_size(prefs.thumbnail_size)
        self.show_status(f"Preferences saved (reviewer: {prefs.reviewer}).")

    def closeEvent(self, event: QCloseEvent) -> None:
        if (
            self.review.in_flight
            and QMessageBox.question(
                self, "Decisions still saving", "Some decisions are still being written. Quit anyway?"
            )
            != QMessageBox.StandardButton.Yes
        ):
            event.ignore()
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.sync()
        self.runner.shutdown()
        if self.catalogue is not None:
            self.catalogue.close()
        super().closeEvent(event)

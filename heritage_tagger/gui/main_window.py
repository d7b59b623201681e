"""The main window: lays out the widgets and composes the controllers that give them behaviour.

Browsing (``BrowseController``), the suggestion panel (``SuggestionLoader``), reviewing
(``ReviewController``), imports and exports (``JobsController``) and the Model menu
(``ModelJobsController``) each get what they use in their constructor and talk back by signals;
this class wires those signals, shows messages, opens catalogues and keeps the preferences.
On a team catalogue ``TeamWatcher`` refreshes what teammates change ("updated by" in the status
bar) and a decision refused as stale is said in the bar above the browser.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from heritage_tagger import __version__
from heritage_tagger.domain.location import describe_location, is_server_url
from heritage_tagger.gui.appearance import AppearanceFollower
from heritage_tagger.gui.background import BackgroundJobs
from heritage_tagger.gui.batch_edit import BatchEditController
from heritage_tagger.gui.browse_controller import BrowseController
from heritage_tagger.gui.browser_model import RecordTableModel
from heritage_tagger.gui.controller import CatalogueHolder, Controller
from heritage_tagger.gui.demo import DemoController
from heritage_tagger.gui.detail_pane import DetailPane
from heritage_tagger.gui.dialogs.guide_dialog import GuideDialog, open_guide
from heritage_tagger.gui.dialogs.preferences_dialog import PreferencesDialog
from heritage_tagger.gui.dialogs.shortcuts_dialog import ShortcutsDialog
from heritage_tagger.gui.dialogs.tag_search_dialog import TagSearchController
from heritage_tagger.gui.dialogs.team_dialog import TeamCatalogueDialog
from heritage_tagger.gui.filter_bar import FilterBar
from heritage_tagger.gui.i18n import QT_TRANSLATE_NOOP
from heritage_tagger.gui.images import ThumbnailCache
from heritage_tagger.gui.jobs import JobsController
from heritage_tagger.gui.jobs_panel import JobsPanel
from heritage_tagger.gui.menus import build_menus, menu_actions
from heritage_tagger.gui.message_bar import MessageBar
from heritage_tagger.gui.model_jobs import ModelJobsController
from heritage_tagger.gui.preferences import Preferences
from heritage_tagger.gui.review_controller import ReviewController
from heritage_tagger.gui.saved_searches import (
    SavedSearchesController,
    SavedSearchesPanel,
    saved_searches_dock,
)
from heritage_tagger.gui.shortcuts import SHORTCUTS
from heritage_tagger.gui.suggestion_loader import SuggestionLoader
from heritage_tagger.gui.suggestion_panel import SuggestionPanel
from heritage_tagger.gui.team_watch import TeamWatcher
from heritage_tagger.gui.views import BrowserViews
from heritage_tagger.gui.vocabulary_controller import VocabularyController
from heritage_tagger.gui.workers import TaskRunner, describe_error
from heritage_tagger.services.browse import ModelInfo, RecordDetails
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.locks import open_in_window

ABOUT = QT_TRANSLATE_NOOP(
    "MainWindow",
    "<b>Heritage Tagger {version}</b><p>Suggests subject tags for heritage photograph collections "
    "from the photos' visual neighbours (collective knowledge), and records every review decision.</p>",
)


class MainWindow(QMainWindow):
    catalogue_opened = Signal(object)  # Catalogue
    message = Signal(str)  # every status or error message, for tests and logs

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.prefs = Preferences.load(settings)  # one object, shared by the controllers
        self.runner = TaskRunner(self)
        self.runner.error.connect(self.show_error)
        self.holder = CatalogueHolder(self.runner, self)
        self.background = BackgroundJobs(self.runner, self.holder, self)  # any controller may submit a job
        self.thumbnails = ThumbnailCache(self.runner, self.prefs.thumbnail_size, parent=self)
        self.model = RecordTableModel(self.runner, self.thumbnails, self)
        self._build()
        self.browse = BrowseController(
            self.runner, self.holder, self.model, self.browser, self.filter_bar, self.detail, self
        )
        self.browse.reviewer = lambda: self.prefs.reviewer  # field edits are logged for the reviewer
        self.suggestions = SuggestionLoader(
            self.runner, self.holder, self.browse, self.panel, self.model, self.thumbnails, self
        )
        self.review = ReviewController(
            self.runner, self.holder, self.browse, self.suggestions, self.panel, self.detail, self.prefs, self
        )
        self.batch_edit = BatchEditController(
            self.runner, self.holder, self.background, self.browse, self.review, self
        )
        self.jobs = JobsController(self.runner, self.holder, self.background, self.prefs, self, settings)
        self.model_jobs = ModelJobsController(self.runner, self.holder, self.background, self.prefs, self)
        self.tag_search = TagSearchController(
            self.runner, self.holder, self.background, self.review, self.browse, self
        )
        self.vocabulary = VocabularyController(
            self.runner, self.holder, self.prefs, self.browse, self.detail, self.filter_bar, self
        )
        self.team = TeamWatcher(self.runner, self.holder, self.prefs, self)
        self.demo = DemoController(
            self.runner, self.holder, self.background, self.model_jobs, self.open_path, self
        )
        self.saved_searches = SavedSearchesController(
            self.runner,
            self.holder,
            self.filter_bar,
            self.saved_panel,
            self.commands["save_search"],
            self,
            self,
        )
        self.appearance = AppearanceFollower(self.prefs.theme, self.prefs.text_size, self)
        self.appearance.set_preferences(self.prefs.theme, self.prefs.text_size)
        self.preferences_dialog: PreferencesDialog | None = None
        self.team_dialog: TeamCatalogueDialog | None = None
        self.guide_dialog: GuideDialog | None = None
        self.close_box: QMessageBox | None = None
        self._close_confirmed = False
        self._connect()
        self.setWindowTitle("Heritage Tagger")
        self.resize(1400, 900)
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = settings.value("window/splitter")
        if isinstance(state, QByteArray):
            self.splitter.restoreState(state)
        # the photos have the focus from the start, so that J, K, A and R review at once (the search
        # field, first in the tab order, took them as text: seen under Xvfb); Ctrl+F goes to the search
        self.browser.view.setFocus()

    # --- what the controllers hold, read-only (scripts/bench_gui.py and the screenshot read these) ---
    @property
    def catalogue(self) -> Catalogue | None:
        return self.holder.catalogue

    @property
    def model_info(self) -> ModelInfo | None:
        return self.holder.model_info

    @property
    def current_id(self) -> int | None:
        return self.browse.current_id

    @property
    def details(self) -> RecordDetails | None:
        return self.browse.details

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
        self.retrain_bar = MessageBar(self.tr("Retrain…"))
        self.team_bar = MessageBar(
            self.tr("OK")
        )  # a decision refused because a teammate changed the tag first
        self.team_bar.label.setObjectName("teamMessage")
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.team_bar)
        central_layout.addWidget(self.retrain_bar)
        central_layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self.jobs_panel = JobsPanel(self.background)
        self.jobs_dock = QDockWidget(self.tr("Jobs"), self)
        self.jobs_dock.setObjectName("jobsDock")
        self.jobs_dock.setWidget(self.jobs_panel)
        self.jobs_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.jobs_dock)
        self.jobs_dock.hide()
        self.jobs_panel.job_added.connect(self.jobs_dock.show)
        self.saved_panel = SavedSearchesPanel()
        self.saved_dock = saved_searches_dock(self, self.saved_panel)
        self.team_label = QLabel("")  # "Updated by bob: accepted “Barns” on ..." (team catalogues)
        self.team_label.setObjectName("teamLabel")
        self.team_label.setMinimumWidth(
            1
        )  # a long note is cut (whole in its tooltip), never widens the window
        self.team_label.setMaximumWidth(560)
        self.statusBar().addPermanentWidget(self.team_label)
        self.statusBar().addPermanentWidget(self.count_label)
        # every action by name: those of gui/shortcuts.py, then the menu-only ones of gui/menus.py
        # (not "actions": QWidget.actions() exists)
        self.commands: dict[str, QAction] = {}
        review_widgets = [
            self.browser.grid,
            self.browser.table,
            self.detail.tags,
            self.detail.image,
            self.panel,
        ]
        for s in SHORTCUTS:
            action = QAction(QCoreApplication.translate("Shortcuts", s.text), self)
            action.setShortcuts([QKeySequence(k) for k in s.keys])
            action.setToolTip(QCoreApplication.translate("Shortcuts", s.help))
            if s.review:
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                for widget in review_widgets:
                    widget.addAction(action)
            else:
                self.addAction(action)
            self.commands[s.name] = action
        QWidget.setTabOrder(self.browser.grid, self.browser.table)  # one Tab from the browser to the panel
        QWidget.setTabOrder(self.browser.table, self.panel)
        self.commands.update(menu_actions(self))
        self.commands["jobs"] = self.jobs_dock.toggleViewAction()
        self.commands["jobs"].setText(self.tr("&Jobs"))
        self.commands["saved_searches"] = self.saved_dock.toggleViewAction()
        self.commands["saved_searches"].setText(self.tr("&Saved searches"))
        self.commands["undo"].setEnabled(False)
        self.commands["redo"].setEnabled(False)
        build_menus(self.menuBar(), self.commands)

    def _connect(self) -> None:
        a, review, browse = self.commands, self.review, self.browse
        for name, slot in (
            ("accept", review.accept_current),
            ("reject", review.reject_current),
            ("accept_all", review.accept_proposed),
            ("reject_all", review.reject_proposed),
            ("mark_reviewed", review.mark_reviewed),
            ("add_tag", review.add_tag),
            ("remove_tag", review.remove_current),
            ("next", lambda: self.browser.step(1)),
            ("previous", lambda: self.browser.step(-1)),
        ):
            a[name].triggered.connect(lambda _=False, slot=slot: self._review_key(slot))
        a["undo"].triggered.connect(review.undo)
        a["redo"].triggered.connect(review.redo)
        a["find"].triggered.connect(lambda: self.filter_bar.text.setFocus())
        a["quit"].triggered.connect(self.close)
        a["open"].triggered.connect(lambda: self.choose_catalogue(create=False))
        a["new"].triggered.connect(lambda: self.choose_catalogue(create=True))
        a["connect"].triggered.connect(lambda: self.connect_team())
        a["import"].triggered.connect(lambda: self.jobs.import_folder())
        a["export"].triggered.connect(lambda: self.jobs.ask_export(self.model.filter, browse.selected_ids()))
        vocabulary = self.vocabulary
        a["vocabularies"].triggered.connect(lambda: vocabulary.manager("vocabularies"))
        a["link_tags"].triggered.connect(lambda: vocabulary.manager("links"))
        a["merge_variants"].triggered.connect(lambda: vocabulary.manager("variants"))
        a["filter_concept"].triggered.connect(lambda: vocabulary.manager("concepts"))
        a["train"].triggered.connect(lambda: self.model_jobs.train())
        a["retrain"].triggered.connect(lambda: self.model_jobs.retrain())
        a["versions"].triggered.connect(lambda: self.model_jobs.versions())
        a["queue"].triggered.connect(lambda: self.browse.open_catalogue_queue())
        a["tag_search"].triggered.connect(lambda: self.tag_search.open())
        a["preferences"].triggered.connect(lambda: self.edit_preferences())
        a["shortcuts"].triggered.connect(lambda: ShortcutsDialog(self).open())
        a["demo"].triggered.connect(lambda: self.demo.open_demo())
        self.catalogue_opened.connect(self.demo.catalogue_opened)
        self.demo.records_added.connect(browse.reload)
        self.demo.show_record.connect(browse.open_record)
        a["guide"].triggered.connect(lambda: self.show_guide())
        a["zoom_in"].triggered.connect(lambda: self.detail.image.zoom(1.25))
        a["zoom_out"].triggered.connect(lambda: self.detail.image.zoom(0.8))
        a["zoom_fit"].triggered.connect(lambda: self.detail.image.fit())
        a["about"].triggered.connect(
            lambda: QMessageBox.about(
                self, self.tr("About Heritage Tagger"), self.tr(ABOUT).format(version=__version__)
            )
        )
        controllers: tuple[Controller, ...] = (
            browse,
            review,
            self.jobs,
            self.model_jobs,
            self.tag_search,
            vocabulary,
            self.team,
            self.demo,
            self.saved_searches,
            self.batch_edit,
        )
        for controller in controllers:
            controller.status.connect(self.show_status)
            controller.error.connect(self.show_error)
        self.model.loaded.connect(self._loaded)
        self.model.counted.connect(
            lambda total: self.count_label.setText(self.tr("{total} photos").format(total=f"{total:,}"))
        )
        browse.nothing_matches.connect(
            lambda: self.panel.show_message(self.tr("No photo matches the filters."))
        )
        self.panel.neighbour_clicked.connect(browse.open_record)
        self.panel.train_requested.connect(lambda: self.model_jobs.train())
        review.decided.connect(self._decided)
        review.history_changed.connect(self._history_changed)
        review.stale.connect(self._stale)
        self.team.changed.connect(self._changed_by_team)
        self.team.timer.timeout.connect(self.saved_searches.refresh)  # a teammate's saved searches
        self.jobs.records_added.connect(browse.reload)
        self.jobs.queue_ready.connect(lambda batch_id: browse.open_queue(batch_id, self.prefs.queue_order))
        self.jobs.suggestions_stale.connect(self.suggestions.clear_cache)
        self.model_jobs.model_changed.connect(self.suggestions.clear_cache)
        review.add_tag_opened.connect(vocabulary.attach_add_tag)
        a["batch_edit"].triggered.connect(lambda: self.batch_edit.open_dialog())
        self.batch_edit.dialog_opened.connect(lambda dialog: vocabulary.attach(dialog.completer))
        vocabulary.changed.connect(self._vocabulary_changed)
        self.model_jobs.suggestions_rewritten.connect(self.model.reload)
        self.model_jobs.retrain_offered.connect(self.offer_retraining)
        self.retrain_bar.action.clicked.connect(lambda: self.model_jobs.retrain())

    def _vocabulary_changed(self) -> None:
        """Tags were linked, merged or unlinked: lists, the selected photo and its suggestions again."""
        self.suggestions.clear_cache()
        self.browse.reload()
        current = self.browse.current_id
        if current is not None:
            self.browse.load_details(current, with_image=False)
            self.suggestions.load(current)

    def _review_key(self, slot: Callable[[], object]) -> None:
        """Single-key review actions never fire while a dialog of this window is open."""
        if QApplication.activeModalWidget() is None:
            slot()

    def _history_changed(self, can_undo: bool, can_redo: bool) -> None:
        self.commands["undo"].setEnabled(can_undo)
        self.commands["redo"].setEnabled(can_redo)

    def _loaded(self, _rows: int) -> None:
        if self.holder.catalogue is not None and self.statusBar().currentMessage().startswith(
            self.tr("Opening {where}…").partition("{")[0]
        ):
            self.show_status(self.tr("Opened {name}.").format(name=self.holder.catalogue.name))

    def _decided(self, record_ids: list[int], text: str) -> None:
        self.show_status(text)
        self.browse.refresh_records(record_ids)

    def _stale(self, record_id: int, text: str) -> None:
        """A decision refused because a teammate changed the tag first: say so, show the current state."""
        self.team_bar.show_message("⚠ " + text)
        self.show_error(text)
        self.browse.refresh_records([record_id])

    def _changed_by_team(self, record_ids: list[int], note: str) -> None:
        """Teammates decided on these records: refresh them, and say who ("updated by")."""
        self.team_label.setText(note)
        self.team_label.setToolTip(note)
        self.message.emit(note)
        self.browse.refresh_records(record_ids)

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

    # --- catalogue -----------------------------------------------------------------------
    def choose_catalogue(self, *, create: bool) -> None:
        """File > Open / New: ask for the file, then open it."""
        cat = self.holder.catalogue
        start = str(cat.path.parent) if cat else ""
        if create:
            path, _ = QFileDialog.getSaveFileName(
                self, self.tr("New catalogue"), start, self.tr("Catalogues (*.sqlite)")
            )
            if path and not path.endswith(".sqlite"):
                path += ".sqlite"
        else:
            path, _ = QFileDialog.getOpenFileName(
                self, self.tr("Open catalogue"), start, self.tr("Catalogues (*.sqlite);;All files (*)")
            )
        if path:
            self.open_path(path, create=create)

    def connect_team(self) -> TeamCatalogueDialog:
        """File > Connect to a team catalogue: ask for the connection string (and media folder), then open it."""
        url = self.prefs.catalogue_path if is_server_url(self.prefs.catalogue_path) else ""
        dialog = TeamCatalogueDialog(url, self.prefs.media_root, self)
        dialog.accepted.connect(lambda: self.open_path(dialog.url(), media_root=dialog.media_root()))
        dialog.open()
        self.team_dialog = dialog
        return dialog

    def open_path(
        self, path: Path | str, *, create: bool = True, media_root: Path | str | None = None
    ) -> None:
        """Open a catalogue in a worker (schema upgrade included); errors appear in the window.

        ``path`` may be a team catalogue's connection string; ``media_root`` (else Preferences) is
        where this computer reaches its media folder.
        """
        self.show_status(self.tr("Opening {where}…").format(where=describe_location(path)))
        self.suggestions.prepare(path)  # its model loads in the suggestion process meanwhile
        if media_root is None and is_server_url(path) and self.prefs.media_root:
            media_root = self.prefs.media_root

        def failed(exc: BaseException) -> None:
            text = describe_error(exc)
            self.show_error(text)
            self.panel.show_message(text)

        old = self.catalogue
        self.runner.run(
            lambda: open_in_window(path, create=create, replacing=old, media_root=media_root),
            self.set_catalogue,
            failed,
        )

    def set_catalogue(self, catalogue: Catalogue) -> None:
        old = self.holder.replace(catalogue)
        catalogue.user = self.prefs.reviewer  # a training's lock says who trains
        self._apply_target_precision(catalogue)
        title = catalogue.name if catalogue.team else catalogue.path.name
        self.setWindowTitle(f"Heritage Tagger — {title}")
        self.team_label.setText("")
        self.team_bar.hide()
        self.suggestions.reset(self.tr("Select a photo to see its suggestions."))
        self.review.reset()
        self.vocabulary.reset()
        self.browse.set_catalogue(catalogue)
        self.filter_bar.set_concept(None)  # a concept of the other catalogue (reloads only when one was set)
        self.holder.refresh_model()
        self.team.watch(catalogue)
        self.saved_searches.refresh()
        if old is not None and old is not catalogue:
            old.close()
        self.catalogue_opened.emit(catalogue)

    # --- preferences and closing -----------------------------------------------------------
    def close_question(self) -> str | None:
        """What closing now would interrupt, in words (None: nothing)."""
        running = self.background.running()
        if running:
            names = ", ".join(
                f"{j.title.lower()} ({round(j.fraction * 100)}%)" if not j.indeterminate else j.title.lower()
                for j in running
            )
            return self.tr(
                "Still running: {names}. Quit anyway? The jobs are cancelled: the active model stays as it "
                "was, and what an import or the review queue's suggestions finished is kept."
            ).format(names=names)
        if self.review.in_flight:
            return self.tr("Some decisions are still being written. Quit anyway?")
        return None

    def ask_to_close(self, question: str) -> QMessageBox:
        """Ask (without blocking) whether to quit anyway; Yes closes the window."""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Quit Heritage Tagger?"), question, parent=self)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)

        def answered(button: int) -> None:
            if button == QMessageBox.StandardButton.Yes:
                self._close_confirmed = True
                self.close()

        box.finished.connect(answered)
        box.open()
        self.close_box = box
        return box

    def show_guide(self) -> GuideDialog:
        """Help > User guide (F1): one window, raised again when already open."""
        if self.guide_dialog is None:
            self.guide_dialog = open_guide(self)
        else:
            self.guide_dialog.show()
            self.guide_dialog.raise_()
            self.guide_dialog.activateWindow()
        return self.guide_dialog

    def edit_preferences(self) -> PreferencesDialog:
        dialog = PreferencesDialog(self.prefs, self)
        dialog.accepted.connect(lambda: self.apply_preferences(dialog.result_preferences()))
        dialog.open()
        self.preferences_dialog = dialog
        return dialog

    def apply_preferences(self, prefs: Preferences) -> None:
        self.prefs.update(prefs)
        self.prefs.save(self.settings)
        if self.holder.catalogue is not None:
            self.holder.catalogue.user = self.prefs.reviewer
            if self._apply_target_precision(self.holder.catalogue):
                self.suggestions.clear_cache()
                if self.current_id is not None:
                    self.suggestions.load(self.current_id)
        self.appearance.set_preferences(self.prefs.theme, self.prefs.text_size)
        if self.prefs.thumbnail_size != self.thumbnails.size:
            self.thumbnails.set_size(self.prefs.thumbnail_size)
            self.browser.grid.set_thumb_size(self.prefs.thumbnail_size)
        self.show_status(self.tr("Preferences saved (reviewer: {name}).").format(name=self.prefs.reviewer))

    def _apply_target_precision(self, catalogue: Catalogue) -> bool:
        """The catalogue proposes tags at the preferred precision; whether that changed anything."""
        wanted = self.prefs.target_precision / 100
        model = catalogue.settings.model
        if model.target_precision == wanted:
            return False
        catalogue.settings = replace(catalogue.settings, model=replace(model, target_precision=wanted))
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        question = None if self._close_confirmed else self.close_question()
        if question is not None:
            event.ignore()
            self.ask_to_close(question)
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.settings.sync()
        self.shut_down()
        super().closeEvent(event)

    def shut_down(self) -> None:
        """Stop what the window started (jobs, the team watch, worker threads, the suggestions' process) and
        close the catalogue: on close, and after ``--screenshot`` (which never closes the window)."""
        self.background.cancel_all()
        self.team.stop()
        self.runner.shutdown()
        self.suggestions.close()
        self.holder.close()

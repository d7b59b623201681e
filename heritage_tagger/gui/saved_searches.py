"""Saved searches in the window: the "Saved searches" sidebar, their entries in the Search menu, and the
controller that saves the filter bar's filters under a name, applies, renames and deletes them.

The searches live in the catalogue (``services.saved_searches``), so a team catalogue shares them:
the list is read again when a catalogue opens, after every change made here, and on each of the team
watcher's polls (a teammate's new search appears within ``settings.TEAM_POLL_S``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QGridLayout,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from heritage_tagger.gui.controller import CatalogueHolder, Controller
from heritage_tagger.gui.filter_bar import FilterBar
from heritage_tagger.gui.workers import TaskRunner, describe_error
from heritage_tagger.services import saved_searches as service
from heritage_tagger.services.browse import BrowseFilter
from heritage_tagger.services.saved_searches import ResolvedSearch, SavedSearch, SearchNameTaken

ID_ROLE = Qt.ItemDataRole.UserRole
DOCK_WIDTH = 190  # the sidebar's first width (pixels): the browser, details and suggestions keep theirs


class SavedSearchesPanel(QWidget):
    """The sidebar's list and buttons; says what the librarian asks for by signals (the controller acts)."""

    apply_requested = Signal(int)  # a search's id
    rename_requested = Signal(int)
    delete_requested = Signal(int)
    save_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("savedSearchesPanel")
        self.list = QListWidget()
        self.list.setObjectName("savedSearchesList")
        self.list.setAccessibleName(self.tr("Saved searches"))
        self.list.setAccessibleDescription(self.tr("Click a saved search to show its photos"))
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.list.itemClicked.connect(lambda item: self.apply_requested.emit(int(item.data(ID_ROLE))))
        self.list.itemActivated.connect(lambda item: self.apply_requested.emit(int(item.data(ID_ROLE))))
        self.empty_text = self.tr("No saved searches yet: set the filters, then “Save current search…”.")
        self.list.setToolTip(self.empty_text)
        self.save_button = QPushButton(self.tr("Save current…"))
        self.save_button.setToolTip(self.tr("Save the current filters with a name"))
        self.rename_button = QPushButton(self.tr("Rename…"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.save_button.clicked.connect(self.save_requested)
        self.rename_button.clicked.connect(lambda: self._selected(self.rename_requested.emit))
        self.delete_button.clicked.connect(lambda: self._selected(self.delete_requested.emit))
        buttons = QGridLayout()  # two rows: the sidebar stays narrow beside the browser
        buttons.addWidget(self.save_button, 0, 0, 1, 2)
        buttons.addWidget(self.rename_button, 1, 0)
        buttons.addWidget(self.delete_button, 1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.list.installEventFilter(self)  # the list's own keys: F2 renames, Delete deletes (asks)
        self.list.currentItemChanged.connect(lambda *_: self._enable())
        self._enable()

    def show_searches(self, searches: list[SavedSearch]) -> None:
        """List ``searches`` (by name), keeping the selected one selected."""
        current = self.selected_id()
        self.list.clear()
        for search in searches:
            item = QListWidgetItem(search.name)
            item.setData(ID_ROLE, search.id)
            when = f"{search.updated_at:%Y-%m-%d %H:%M}" if search.updated_at else ""
            item.setToolTip(
                self.tr("Saved by {who} on {when}").format(who=search.created_by or "?", when=when)
            )
            self.list.addItem(item)
            if search.id == current:
                self.list.setCurrentItem(item)
        self.list.setToolTip("" if searches else self.empty_text)
        self._enable()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            emit = {
                Qt.Key.Key_F2: self.rename_requested.emit,
                Qt.Key.Key_Delete: self.delete_requested.emit,
            }.get(Qt.Key(event.key()))
            if emit is not None and event.modifiers() == Qt.KeyboardModifier.NoModifier:
                self._selected(emit)
                return True
        return super().eventFilter(watched, event)

    def selected_id(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(ID_ROLE)) if item is not None else None

    def _selected(self, emit: Callable[[int], object]) -> None:
        search_id = self.selected_id()
        if search_id is not None:
            emit(search_id)

    def _enable(self) -> None:
        chosen = self.list.currentItem() is not None
        self.rename_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def _context_menu(self, at: QPoint) -> None:
        item = self.list.itemAt(at)
        if item is None:
            return
        search_id = int(item.data(ID_ROLE))
        menu = QMenu(self)
        menu.addAction(self.tr("&Show these photos"), lambda: self.apply_requested.emit(search_id))
        menu.addAction(self.tr("&Rename…"), lambda: self.rename_requested.emit(search_id))
        menu.addAction(self.tr("&Delete"), lambda: self.delete_requested.emit(search_id))
        menu.popup(self.list.viewport().mapToGlobal(at))

    def reveal(self) -> None:
        """Show the sidebar this panel is in (after a search was saved)."""
        dock = self.parent()
        if isinstance(dock, QDockWidget):
            dock.show()


def saved_searches_dock(window: QMainWindow, panel: SavedSearchesPanel) -> QDockWidget:
    """The "Saved searches" sidebar on the window's left, hidden until shown (View menu) or a search is saved."""
    dock = QDockWidget(QCoreApplication.translate("SavedSearchesPanel", "Saved searches"), window)
    dock.setObjectName("savedSearchesDock")
    dock.setWidget(panel)
    dock.setFeatures(
        QDockWidget.DockWidgetFeature.DockWidgetClosable | QDockWidget.DockWidgetFeature.DockWidgetMovable
    )
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    window.resizeDocks([dock], [DOCK_WIDTH], Qt.Orientation.Horizontal)
    dock.hide()
    return dock


def suggested_name(flt: BrowseFilter) -> str:
    """A first name for a search: what was typed in it (the search text, the tag, the location)."""
    return next((v.strip() for v in (flt.text, flt.tag, flt.location) if v.strip()), "")


class SavedSearchesController(Controller):
    """Saves, lists, applies, renames and deletes the catalogue's saved searches; fills the panel and the menu."""

    searches_changed = Signal(list)  # list[SavedSearch], after each read of the list
    applied = Signal(str)  # a saved search's name: its filters are in the filter bar

    def __init__(
        self,
        runner: TaskRunner,
        holder: CatalogueHolder,
        filter_bar: FilterBar,
        panel: SavedSearchesPanel,
        save_action: QAction,
        window: QWidget,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(runner, holder, parent)
        self.filter_bar, self.panel, self.window = filter_bar, panel, window
        self.save_action = save_action
        self.searches: list[SavedSearch] = []
        self.menu_actions: list[QAction] = []
        self.name_dialog: QInputDialog | None = None  # the open dialogs, for tests
        self.question: QMessageBox | None = None
        self._last_applied: tuple[str, BrowseFilter] | None = None
        save_action.triggered.connect(lambda: self.save_current())
        panel.save_requested.connect(lambda: self.save_current())
        panel.apply_requested.connect(self.apply)
        panel.rename_requested.connect(lambda search_id: self.ask_rename(search_id))
        panel.delete_requested.connect(lambda search_id: self.ask_delete(search_id))

    # --- the list ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the catalogue's saved searches again (in a worker); no catalogue: none."""
        cat = self.holder.catalogue
        if cat is None:
            self._show([])
            return

        def done(found: list[SavedSearch]) -> None:
            if self.holder.catalogue is cat:
                self._show(found)

        self.runner.run(
            lambda: service.list_searches(cat),
            done,
            lambda exc: self.error.emit(
                self.tr("Could not read the saved searches: {error}").format(error=describe_error(exc))
            ),
        )

    def _show(self, searches: list[SavedSearch]) -> None:
        changed = searches != self.searches
        self.searches = searches
        if changed or not self.menu_actions:
            self.panel.show_searches(searches)
            self._fill_menu()
        self.searches_changed.emit(searches)

    def menu(self) -> QMenu | None:
        """The menu that holds "Save current search…" (the Search menu): the searches are listed below it."""
        return next((m for m in self.save_action.associatedObjects() if isinstance(m, QMenu)), None)

    def _fill_menu(self) -> None:
        menu = self.menu()
        for action in self.menu_actions:
            if menu is not None:
                menu.removeAction(action)
            action.deleteLater()
        self.menu_actions = []
        if menu is None:
            return
        separator = QAction(self)
        separator.setSeparator(True)
        self.menu_actions.append(separator)
        if not self.searches:
            none = QAction(self.tr("No saved searches yet"), self)
            none.setEnabled(False)
            self.menu_actions.append(none)
        for search in self.searches:
            action = QAction(search.name.replace("&", "&&"), self)
            action.setToolTip(
                self.tr("Show the photos of the saved search “{name}”").format(name=search.name)
            )
            action.triggered.connect(lambda _=False, search_id=search.id: self.apply(search_id))
            self.menu_actions.append(action)
        menu.addActions(self.menu_actions)

    def _find(self, search_id: int) -> SavedSearch | None:
        return next((s for s in self.searches if s.id == search_id), None)

    # --- apply -----------------------------------------------------------------------------------
    def apply(self, search_id: int) -> None:
        """Put the saved search's filters in the filter bar (the browser follows); say what was left out."""
        cat, search = self.catalogue_or_say(), self._find(search_id)
        if cat is None or search is None:
            return

        def done(resolved: ResolvedSearch) -> None:
            if self.holder.catalogue is not cat:
                return
            self.filter_bar.set_filter(resolved.filter, resolved.concept_path)
            self._last_applied = (resolved.name, resolved.filter)
            self.applied.emit(resolved.name)
            if resolved.missing:
                self.error.emit(self.missing_text(resolved))
            else:
                self.status.emit(self.tr("Showing the saved search “{name}”.").format(name=resolved.name))

        self.runner.run(lambda: service.resolve(cat, search), done, self._failed)

    def missing_text(self, resolved: ResolvedSearch) -> str:
        """What a saved search left out, in words."""
        gone, fields = [], []
        for m in resolved.missing:
            if m.kind == "tag":
                gone.append(self.tr("the tag “{0}”").format(m.what))
            elif m.kind == "concept":
                gone.append(self.tr("the concept “{0}”").format(m.what))
            elif m.kind == "batch":
                gone.append(self.tr("import batch {0}").format(m.what))
            else:
                fields.append(m.what)
        parts = []
        if gone:
            parts.append(
                self.tr("Saved search “{name}” shown without {parts}: no longer in the catalogue.").format(
                    name=resolved.name, parts=", ".join(gone)
                )
            )
        if fields:
            parts.append(
                self.tr("Saved search “{name}”: {fields} saved by a newer version, left out.").format(
                    name=resolved.name, fields=", ".join(fields)
                )
            )
        return " ".join(parts)

    # --- save ------------------------------------------------------------------------------------
    def save_current(self) -> QInputDialog | None:
        """Ask for a name, then save the filter bar's filters under it."""
        if self.catalogue_or_say() is None:
            return None
        flt = self.filter_bar.current()
        last = self._last_applied
        name = last[0] if last is not None and last[1] == flt else suggested_name(flt)
        dialog = self._ask_name(self.tr("Save current search"), self.tr("Name of the saved search:"), name)
        dialog.textValueSelected.connect(lambda text: self.save_as(text, flt))
        return dialog

    def _ask_name(self, title: str, label: str, name: str) -> QInputDialog:
        dialog = QInputDialog(self.window)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setTextValue(name)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.name_dialog = dialog
        return dialog

    def save_as(self, name: str, flt: BrowseFilter | None = None, *, replace: bool = False) -> None:
        """Save ``flt`` (default: the filter bar's) as ``name``; a name taken asks whether to replace it."""
        cat = self.catalogue_or_say()
        if cat is None:
            return
        if not name.strip():
            self.error.emit(self.tr("A saved search needs a name."))
            return
        flt = flt if flt is not None else self.filter_bar.current()

        def done(result: tuple[SavedSearch, bool]) -> None:
            search, replaced = result
            self._last_applied = (search.name, flt)
            text = (
                self.tr("Replaced the saved search “{name}”.")
                if replaced
                else self.tr("Saved the search “{name}”.")
            )
            self.status.emit(text.format(name=search.name))
            self.panel.reveal()
            self.refresh()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, SearchNameTaken) and not replace:
                self.confirm_replace(exc.name, flt)
            else:
                self._failed(exc)

        self.runner.run(
            lambda: service.save_search(cat, name, flt, replace=replace), done, failed, pool="write"
        )

    def confirm_replace(self, name: str, flt: BrowseFilter) -> QMessageBox:
        """Ask (without blocking) whether to replace the saved search ``name``; Yes saves over it."""
        box = self._ask(
            self.tr("Replace saved search?"),
            self.tr(
                "A saved search named “{name}” exists already. Replace its filters with the current ones?"
            ).format(name=name),
        )
        box.finished.connect(
            lambda button: (
                self.save_as(name, flt, replace=True) if button == QMessageBox.StandardButton.Yes else None
            )
        )
        return box

    def _ask(self, title: str, text: str) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self.window)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.question = box
        return box

    # --- rename and delete -----------------------------------------------------------------------
    def ask_rename(self, search_id: int) -> QInputDialog | None:
        search = self._find(search_id)
        if search is None:
            return None
        dialog = self._ask_name(self.tr("Rename saved search"), self.tr("New name:"), search.name)
        dialog.textValueSelected.connect(lambda text: self.rename(search_id, text))
        return dialog

    def rename(self, search_id: int, name: str) -> None:
        cat = self.catalogue_or_say()
        if cat is None:
            return
        if not name.strip():
            self.error.emit(self.tr("A saved search needs a name."))
            return

        def done(search: SavedSearch) -> None:
            self.status.emit(self.tr("Renamed the saved search to “{name}”.").format(name=search.name))
            self.refresh()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, SearchNameTaken):
                self.error.emit(
                    self.tr("A saved search named “{name}” exists already: choose another name.").format(
                        name=exc.name
                    )
                )
            else:
                self._failed(exc)
            self.refresh()

        self.runner.run(lambda: service.rename_search(cat, search_id, name), done, failed, pool="write")

    def ask_delete(self, search_id: int) -> QMessageBox | None:
        search = self._find(search_id)
        if search is None:
            return None
        box = self._ask(
            self.tr("Delete saved search?"),
            self.tr("Delete the saved search “{name}”? No photo or tag changes.").format(name=search.name),
        )
        box.finished.connect(
            lambda button: self.delete(search_id) if button == QMessageBox.StandardButton.Yes else None
        )
        return box

    def delete(self, search_id: int) -> None:
        cat, search = self.catalogue_or_say(), self._find(search_id)
        if cat is None:
            return
        name = search.name if search is not None else ""

        def done(_: bool) -> None:
            self.status.emit(self.tr("Deleted the saved search “{name}”.").format(name=name))
            self.refresh()

        self.runner.run(lambda: service.delete_search(cat, search_id), done, self._failed, pool="write")

    def _failed(self, exc: BaseException) -> None:
        self.error.emit(describe_error(exc))
        self.refresh()

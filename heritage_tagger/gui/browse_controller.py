"""Browsing: the catalogue's lists in the filter bar, paging, the selected record, its details and picture."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QImage

from heritage_tagger.gui.browser_model import RecordTableModel
from heritage_tagger.gui.controller import CatalogueHolder, Controller
from heritage_tagger.gui.detail_pane import DetailPane
from heritage_tagger.gui.filter_bar import FilterBar
from heritage_tagger.gui.images import load_image
from heritage_tagger.gui.preferences import default_reviewer
from heritage_tagger.gui.views import BrowserViews
from heritage_tagger.gui.workers import TaskRunner, describe_error
from heritage_tagger.services import browse
from heritage_tagger.services.browse import RecordDetails
from heritage_tagger.services.catalogue import Catalogue

LARGE_IMAGE = 1600
Lists = tuple[list[str], list[str], list[tuple[int, str]]]  # vocabulary, locations, batches


def _lists(catalogue: Catalogue) -> Lists:
    return browse.tag_vocabulary(catalogue), browse.locations(catalogue), browse.batches(catalogue)


def _field_words(name: str) -> str:
    """A record field's name as the detail pane labels it ("title" -> "Title", translated), in lower case."""
    return QCoreApplication.translate("DetailPane", name.capitalize()).lower()


class BrowseController(Controller):
    """Owns the selection (``current_id``, ``details``) and the collection's vocabulary."""

    record_changed = Signal(int)  # the selection moved to another record
    details_shown = Signal(int)  # the selected record's details are on screen
    nothing_matches = Signal()  # the filters match no record

    def __init__(
        self,
        runner: TaskRunner,
        holder: CatalogueHolder,
        table: RecordTableModel,
        browser: BrowserViews,
        filter_bar: FilterBar,
        detail: DetailPane,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(runner, holder, parent)
        self.table, self.browser, self.filter_bar, self.detail = table, browser, filter_bar, detail
        self.current_id: int | None = None
        self.details: RecordDetails | None = None
        # details requests issued, and the request whose answer is shown (an older answer never replaces it)
        self.details_requested = 0
        self.details_request_shown = 0
        self.vocabulary: list[str] = []
        self.batches: list[tuple[int, str]] = []  # (id, label) of the import batches, newest first
        self.reviewer: Callable[[], str] = default_reviewer  # whom field edits are logged for
        filter_bar.changed.connect(table.set_filter)
        filter_bar.view_toggled.connect(browser.show_grid)
        table.loaded.connect(self._loaded)
        table.failed.connect(self.error)
        browser.current_record.connect(self.select_record)
        detail.field_edited.connect(self.save_field)

    # --- the catalogue and its lists -----------------------------------------------------
    def set_catalogue(self, catalogue: Catalogue) -> None:
        """Show ``catalogue`` from its first page, nothing selected yet."""
        self.current_id = None
        self.details = None
        self.detail.clear()
        self.table.set_catalogue(catalogue)
        self.refresh_lists()

    def refresh_lists(self) -> None:
        """Tags (for completion), locations and import batches of the filter bar, read in a worker."""
        cat = self.holder.catalogue
        if cat is not None:
            self.runner.run(lambda: _lists(cat), self._show_lists)

    def _show_lists(self, lists: Lists) -> None:
        self.vocabulary, locations, self.batches = lists
        self.filter_bar.set_vocabulary(self.vocabulary)
        self.filter_bar.set_locations(locations)
        self.filter_bar.set_batches(self.batches)

    def reload(self) -> None:
        """Records were added: the browser and its lists again."""
        self.table.reload()
        self.refresh_lists()

    def open_queue(self, batch_id: int, order: str) -> None:
        """Refresh the lists, then show the batch as a review queue (services.review_queue.review_queue)."""
        cat = self.holder.catalogue
        if cat is None:
            return

        def done(lists: Lists) -> None:
            self._show_lists(lists)
            self.current_id = None  # the queue opens on its first photo
            if not self.filter_bar.show_queue(batch_id, order):
                self.table.reload()

        self.runner.run(lambda: _lists(cat), done)

    def open_catalogue_queue(self) -> None:
        """Review > Review queue: every photo not reviewed yet, needs attention first, from its first photo."""
        self.current_id = None  # the queue opens on its first photo
        if not self.filter_bar.show_catalogue_queue():
            self.table.reload()

    def _loaded(self, total: int) -> None:
        """A new listing: keep the selected photo when it is listed, else select the first one; "nothing
        matches" only when nothing is listed (never beside listed photos)."""
        if not total:
            self.current_id, self.details = None, None
            self.detail.clear()
            self.nothing_matches.emit()
            return
        row = self.table.row_for_record(self.current_id) if self.current_id is not None else None
        if row is None:
            self.current_id = None  # the next selection is a new record: its details and suggestions load
            row = 0
        if self.browser.current_row() != row:
            self.browser.select_row(row)

    # --- selection -----------------------------------------------------------------------
    def open_record(self, record_id: int) -> None:
        """Select ``record_id`` in the browser when it is listed, else show it without a row."""
        row = self.table.row_for_record(record_id)
        if row is not None:
            self.browser.select_row(row)
        else:
            self.select_record(record_id)

    def selected_ids(self) -> list[int]:
        """The selected photos' record ids in view order (the current photo alone when no other is selected)."""
        return self.browser.selected_ids()

    def select_record(self, record_id: int) -> None:
        if self.holder.catalogue is None:
            return
        changed = record_id != self.current_id
        self.current_id = record_id
        self.load_details(record_id, with_image=changed)
        if changed:
            self.record_changed.emit(record_id)

    def load_details(self, record_id: int, *, with_image: bool = True) -> None:
        cat = self.holder.catalogue
        if cat is None:
            return
        self.details_requested += 1
        request = self.details_requested

        def done(details: RecordDetails) -> None:
            if record_id != self.current_id or request < self.details_request_shown:
                return
            self.details_request_shown = request
            self.details = details
            self.detail.show_details(details)
            self.details_shown.emit(record_id)
            if with_image:
                self._load_image(details)

        def failed(exc: BaseException) -> None:
            if record_id == self.current_id:
                self.error.emit(describe_error(exc))

        self.runner.run(lambda: browse.record_details(cat, record_id), done, failed)

    def _load_image(self, details: RecordDetails) -> None:
        rec = details.record
        paths = [Path(rec.source_path)] if rec.source_path else []
        paths.append(details.thumbnail)
        if not rec.source_path and not rec.sha256:
            self.detail.image.show_message(self.tr("This record has no picture."))
            return
        self.detail.image.show_message(self.tr("Loading…"))

        def done(image: QImage) -> None:
            if rec.id == self.current_id:
                size = f"{rec.width}×{rec.height}" if rec.width else f"{image.width()}×{image.height()}"
                self.detail.image.show_image(image, f"{rec.identifier}  ·  {size}")

        def failed(exc: BaseException) -> None:
            if rec.id == self.current_id:
                self.detail.image.show_message(describe_error(exc))
                if rec.source_path:  # a record catalogued without a file is not an error
                    self.error.emit(f"{rec.identifier}: {describe_error(exc)}")

        self.runner.run(lambda: load_image(paths, LARGE_IMAGE), done, failed, pool="images")

    def refresh_records(self, record_ids: list[int]) -> bool:
        """Their tags changed: refresh their rows, and the details when one is selected (True then)."""
        self.table.refresh_records(record_ids)
        current = self.current_id
        if current is None or current not in record_ids:
            return False
        self.load_details(current, with_image=False)
        return True

    def save_field(self, record_id: int, name: str, value: str) -> None:
        cat, who = self.holder.catalogue, self.reviewer()
        if cat is None:
            return

        def done(_: str) -> None:
            self.status.emit(self.tr("Saved {field}.").format(field=_field_words(name)))
            self.table.refresh_records([record_id])

        self.runner.run(
            lambda: browse.update_field(cat, record_id, name, value, who), done,
            lambda exc: self.error.emit(
                self.tr("Could not save {field}: {error}").format(field=_field_words(name), error=describe_error(exc))
            ), pool="write",
        )  # fmt: skip

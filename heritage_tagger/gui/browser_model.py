"""The collection as a Qt table model: a snapshot of matching ids, rows fetched in pages by a worker."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QPixmap

from heritage_tagger.gui.i18n import QT_TRANSLATE_NOOP
from heritage_tagger.gui.images import ThumbnailCache
from heritage_tagger.gui.workers import TaskRunner
from heritage_tagger.services import browse
from heritage_tagger.services.browse import BrowseFilter, BrowseRow, Page, PageKey
from heritage_tagger.services.catalogue import Catalogue

PAGE = 400
MAX_PAGE = 2_000  # rows per page at most: what one append costs the GUI thread is bounded by it
RecordIdRole = Qt.ItemDataRole.UserRole + 1
RowRole = Qt.ItemDataRole.UserRole + 2
COLUMNS = [QT_TRANSLATE_NOOP("RecordTableModel", "Identifier"), QT_TRANSLATE_NOOP("RecordTableModel", "Title"), QT_TRANSLATE_NOOP("RecordTableModel", "Date"), QT_TRANSLATE_NOOP("RecordTableModel", "Location"), QT_TRANSLATE_NOOP("RecordTableModel", "Tags"), QT_TRANSLATE_NOOP("RecordTableModel", "Pending"), QT_TRANSLATE_NOOP("RecordTableModel", "Confidence"), QT_TRANSLATE_NOOP("RecordTableModel", "State")]  # fmt: skip
#: the State column's words (row.state)
STATE_WORDS = {s: s for s in (QT_TRANSLATE_NOOP("RecordTableModel", "pending"), QT_TRANSLATE_NOOP("RecordTableModel", "reviewed"), QT_TRANSLATE_NOOP("RecordTableModel", "untagged"), QT_TRANSLATE_NOOP("RecordTableModel", "catalogued"))}  # fmt: skip
STATE_COLOURS = {
    "pending": QColor(214, 150, 20),
    "reviewed": QColor(60, 150, 80),
    "untagged": QColor(150, 150, 150),
    "catalogued": QColor(80, 120, 180),
}

_Index = QModelIndex | QPersistentModelIndex


def _plain(page: Page) -> Page:
    """The page with its rows as exact tuples, made on the worker (the GUI thread only appends them)."""
    return replace(page, rows=[tuple(row) for row in page.rows])  # type: ignore[misc]


class RecordTableModel(QAbstractTableModel):
    """Adapts plain ``BrowseRow`` lists; never queries on the GUI thread.

    Sorted by identifier or date, rows come in keyset pages (``services.browse.page_after``: an
    index range scan, so the first page of a million records is as quick as of a hundred) and the
    number of matches is counted afterwards on its own worker (``counted``). Other orders page
    through a snapshot of the matching ids (``services.browse.ordered_ids``).
    """

    loaded = Signal(int)  # a new filter's first page arrived: rows matching known so far (0: nothing matches)
    counted = Signal(int)  # how many records match the filter (after the first page)
    page_loaded = Signal(int)  # rows now loaded
    failed = Signal(str)

    def __init__(self, runner: TaskRunner, thumbnails: ThumbnailCache, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner, self.thumbnails = runner, thumbnails
        self.catalogue: Catalogue | None = None
        self.filter = BrowseFilter()
        self._ids: list[int] = []  # the id snapshot (orders not paged by keyset)
        self._keyset = True
        self._after: PageKey | None = None  # keyset: the last loaded row's sort key
        self._complete = False  # keyset: the last page came back short
        self._count: int | None = None
        # plain tuples, not BrowseRow: the garbage collector untracks tuples of plain values, so
        # 100,000 loaded rows add nothing to the full collections that would pause the GUI
        self._rows: list[tuple[Any, ...]] = []
        self._fetched = 0  # how far into _ids pages were asked for
        self._fetching = False
        self._generation = 0
        self._row_of: dict[int, int] = {}
        self._rows_of_sha: dict[str, set[int]] = {}  # rows waiting for a thumbnail
        self.loading = False
        thumbnails.ready.connect(self._thumbnail_ready)

    # --- loading -------------------------------------------------------------------------
    def set_catalogue(self, catalogue: Catalogue | None) -> None:
        self.catalogue = catalogue
        self.reload()

    def set_filter(self, flt: BrowseFilter) -> None:
        self.filter = flt
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        self.beginResetModel()
        self._ids, self._rows, self._row_of, self._rows_of_sha = [], [], {}, {}
        self._fetched, self._fetching = 0, False
        self._after, self._complete, self._count = None, False, None
        self._keyset = browse.keyset(self.filter)
        self.endResetModel()
        if self.catalogue is None:
            return
        gen, cat, flt = self._generation, self.catalogue, self.filter
        self.loading = True
        if self._keyset:
            self.runner.run(
                lambda: _plain(browse.page_after(cat, flt, None, PAGE)),
                lambda page: self._first_page(gen, page),
                lambda exc: self._failed(gen, exc),
            )
            return

        def first_page() -> tuple[list[int], list[BrowseRow]]:
            ids = browse.ordered_ids(cat, flt)
            return ids, browse.rows_for_ids(cat, ids[:PAGE])

        self.runner.run(first_page, lambda res: self._first(gen, res), lambda exc: self._failed(gen, exc))

    def _failed(self, gen: int, exc: BaseException) -> None:
        if gen == self._generation:
            self.loading = self._fetching = False
            from heritage_tagger.gui.workers import describe_error

            self.failed.emit(describe_error(exc))

    def _first(self, gen: int, result: tuple[list[int], list[BrowseRow]]) -> None:
        if gen != self._generation:
            return
        self._ids, rows = result
        self._fetched = min(PAGE, len(self._ids))
        self._count = len(self._ids)
        self._append(rows)
        self.loading = False
        self.loaded.emit(len(self._ids))
        self.counted.emit(len(self._ids))

    def _first_page(self, gen: int, page: Page) -> None:
        if gen != self._generation:
            return
        self._take(page)
        self.loading = False
        self.loaded.emit(len(self._rows))
        if self._complete:  # everything is loaded: that is the count
            self._count = len(self._rows)
            self.counted.emit(self._count)
            return
        cat, flt = self.catalogue, self.filter
        if cat is not None:  # counting may scan an index of every record: on its own worker, afterwards
            self.runner.run(lambda: browse.count(cat, flt), lambda n: self._counted(gen, n), pool="count")

    def _counted(self, gen: int, total: int) -> None:
        if gen == self._generation:
            self._count = max(total, len(self._rows))
            self.counted.emit(self._count)

    def _take(self, page: Page) -> None:
        self._after, self._complete = page.after, page.complete
        self._append(page.rows)

    def _append(self, rows: list[BrowseRow] | list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        self._row_of.update({row[0]: i for i, row in enumerate(rows, start)})
        self._rows.extend(rows if type(rows[0]) is tuple else map(tuple, rows))
        self.endInsertRows()
        self.page_loaded.emit(len(self._rows))

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:
        if parent.isValid() or self._fetching or self.loading:
            return False
        return not self._complete if self._keyset else self._fetched < len(self._ids)

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:
        if not self.canFetchMore(parent) or self.catalogue is None:
            return
        self._fetching = True
        gen, cat, flt = self._generation, self.catalogue, self.filter
        # pages grow with what is loaded: a view re-lays out every row on each append, so
        # geometric pages keep the total layout work linear in the collection's size
        size = min(MAX_PAGE, max(PAGE, len(self._rows)))
        if self._keyset:
            after = self._after

            def took(page: Page) -> None:
                if gen == self._generation:
                    self._fetching = False
                    self._take(page)

            self.runner.run(
                lambda: _plain(browse.page_after(cat, flt, after, size)),
                took,
                lambda exc: self._failed(gen, exc),
            )
            return
        chunk = self._ids[self._fetched : self._fetched + size]
        self._fetched += len(chunk)

        def done(rows: list[BrowseRow]) -> None:
            if gen == self._generation:
                self._fetching = False
                self._append(rows)

        self.runner.run(lambda: browse.rows_for_ids(cat, chunk), done, lambda exc: self._failed(gen, exc))

    @property
    def fetching(self) -> bool:
        return self._fetching

    @property
    def total(self) -> int:
        """Records matching the filter: counted, or as many as are loaded until the count arrives."""
        return self._count if self._count is not None else len(self._rows)

    @property
    def fully_loaded(self) -> bool:
        if self.loading or self._fetching:
            return False
        return self._complete if self._keyset else self._fetched >= len(self._ids)

    def refresh_records(self, record_ids: list[int]) -> None:
        """Re-read some rows after a review decision (their counts and state changed)."""
        if self.catalogue is None:
            return
        wanted = [r for r in record_ids if r in self._row_of]
        if not wanted:
            return
        gen, cat = self._generation, self.catalogue

        def done(rows: list[BrowseRow]) -> None:
            if gen != self._generation:
                return
            for row in rows:
                i = self._row_of.get(row.id)
                if i is not None:
                    self._rows[i] = tuple(row)
                    self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))

        self.runner.run(lambda: browse.rows_for_ids(cat, wanted), done)

    # --- access --------------------------------------------------------------------------
    def row_for_record(self, record_id: int) -> int | None:
        return self._row_of.get(record_id)

    def record_at(self, row: int) -> BrowseRow | None:
        return BrowseRow._make(self._rows[row]) if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(COLUMNS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = BrowseRow._make(self._rows[index.row()])
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.identifier}\n{row.title}\n{row.date}  {row.location}"
        if role == Qt.ItemDataRole.ForegroundRole and col == 7:
            return STATE_COLOURS.get(row.state)
        if role == RecordIdRole:
            return row.id
        if role == RowRole:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (4, 5, 6):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def thumbnail(self, i: int) -> QPixmap | None:
        """Row ``i``'s thumbnail when decoded, else None (and a worker is asked for it)."""
        row = BrowseRow._make(self._rows[i])
        if not row.sha256 or self.catalogue is None:
            return None
        pixmap = self.thumbnails.get(
            row.sha256, browse.image_paths(self.catalogue, row.sha256, row.source_path)
        )
        if pixmap is None:
            self._rows_of_sha.setdefault(row.sha256, set()).add(i)
        return pixmap

    @staticmethod
    def _display(row: BrowseRow, col: int) -> str | int:
        if col == 0:
            return row.identifier
        if col == 1:
            return row.title
        if col == 2:
            return row.date
        if col == 3:
            return row.location
        if col == 4:
            return row.n_tags
        if col == 5:
            return row.n_suggested or ""
        if col == 6:
            return f"{row.confidence:.2f}" if row.confidence is not None else ""
        return (
            QCoreApplication.translate("RecordTableModel", row.state)
            if row.state in STATE_WORDS
            else row.state
        )

    def _thumbnail_ready(self, key: str) -> None:
        for i in self._rows_of_sha.pop(key, ()):
            idx = self.index(i, 0)
            self.dataChanged.emit(idx, idx, [Qt.ItemDataRole.DecorationRole])

"""The browser's two views on one model and one selection: a thumbnail grid and a table."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPixmap, QRegion, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from heritage_tagger.gui.browser_model import STATE_COLOURS, RecordTableModel

PLACEHOLDER = QColor(232, 228, 219)  # opaque: much cheaper to fill than a translucent colour


class GridDelegate(QStyledItemDelegate):
    """Paints a thumbnail, the identifier and a state dot; nothing here decodes images."""

    def __init__(self, thumb: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.thumb = thumb

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(self.thumb + 16, self.thumb + 34)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        # read the model in Python: QModelIndex.data() returning None over-releases None (PySide6 6.12, Python 3.11)
        model = index.model()
        assert isinstance(model, RecordTableModel)
        row = model.record_at(index.row())
        if row is None:
            return
        painter.save()
        rect: QRect = option.rect.adjusted(3, 3, -3, -3)
        palette: QPalette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(rect, palette.highlight().color())
        box = QRect(rect.left() + 5, rect.top() + 5, rect.width() - 10, self.thumb)
        pixmap = model.thumbnail(index.row())
        if isinstance(pixmap, QPixmap) and not pixmap.isNull():
            scaled = pixmap.size().scaled(box.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(0, 0, scaled.width(), scaled.height())
            target.moveCenter(box.center())
            painter.drawPixmap(target, pixmap)
        else:
            painter.fillRect(box, PLACEHOLDER)
        text_rect = QRect(rect.left() + 18, box.bottom() + 4, rect.width() - 22, 20)
        colour = STATE_COLOURS.get(row.state, QColor(120, 120, 120))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(rect.left() + 6, text_rect.center().y() - 4, 8, 8)
        painter.setPen(palette.highlightedText().color() if selected else palette.text().color())
        text = option.fontMetrics.elidedText(row.identifier, Qt.TextElideMode.ElideMiddle, text_rect.width())
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        painter.restore()


class GridView(QAbstractItemView):
    """A wrapping grid of equal tiles, laid out by arithmetic: tile ``i`` sits at column ``i % columns``
    of row ``i // columns``, so nothing is computed per item except the tiles on screen.

    A QListView lays out every item again whenever rows are appended, asking the (Python) model
    about each of them: with a million records that is millions of calls per page and a grid that
    stalls as it grows. Here appending rows only moves the scroll bar's end; painting, hit-testing
    and keyboard moves look at the visible tiles only. Pages are fetched a screen ahead of the end.
    """

    def __init__(self, thumb: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cell = QSize(thumb + 16, thumb + 34)
        # Ctrl/Shift+click, Shift+arrows and Ctrl+A select several photos (batch edit); the current
        # index stays the one photo shown and reviewed
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalScrollBar().valueChanged.connect(self._maybe_fetch)
        self.set_thumb_size(thumb)

    def set_thumb_size(self, thumb: int) -> None:
        self._delegate = GridDelegate(thumb, self)
        self.setItemDelegate(self._delegate)
        self._cell = QSize(thumb + 16, thumb + 34)
        self.verticalScrollBar().setSingleStep(max(20, thumb // 3))
        self.updateGeometries()
        self.viewport().update()

    # --- geometry ----------------------------------------------------------------------------
    def _count(self) -> int:
        model = self.model()
        return model.rowCount(self.rootIndex()) if model is not None else 0

    def columns(self) -> int:
        return max(1, self.viewport().width() // self._cell.width())

    def _tile(self, row: int) -> QRect:
        """Row ``row``'s tile in viewport coordinates."""
        cols = self.columns()
        return QRect(
            (row % cols) * self._cell.width(),
            (row // cols) * self._cell.height() - self.verticalOffset(),
            self._cell.width(),
            self._cell.height(),
        )

    def visible_rows(self) -> range:
        """The rows whose tiles are (partly) on screen."""
        cols, height = self.columns(), self._cell.height()
        top = self.verticalOffset() // height
        bottom = (self.verticalOffset() + self.viewport().height()) // height
        return range(top * cols, min(self._count(), (bottom + 1) * cols))

    def visualRect(self, index: QModelIndex | QPersistentModelIndex) -> QRect:
        if not index.isValid() or index.row() >= self._count():
            return QRect()
        return self._tile(index.row())

    def indexAt(self, point: QPoint) -> QModelIndex:
        model = self.model()
        if model is None or point.x() < 0 or point.x() >= self.columns() * self._cell.width():
            return QModelIndex()
        y = point.y() + self.verticalOffset()
        if y < 0:
            return QModelIndex()
        row = (y // self._cell.height()) * self.columns() + point.x() // self._cell.width()
        return model.index(row, 0, self.rootIndex()) if row < self._count() else QModelIndex()

    def scrollTo(
        self,
        index: QModelIndex | QPersistentModelIndex,
        hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
    ) -> None:
        if not index.isValid():
            return
        top = (index.row() // self.columns()) * self._cell.height()
        bar, height = self.verticalScrollBar(), self.viewport().height()
        if hint == QAbstractItemView.ScrollHint.PositionAtTop:
            bar.setValue(top)
        elif hint == QAbstractItemView.ScrollHint.PositionAtCenter:
            bar.setValue(top - (height - self._cell.height()) // 2)
        elif top < bar.value():
            bar.setValue(top)
        elif top + self._cell.height() > bar.value() + height:
            bar.setValue(top + self._cell.height() - height)

    def horizontalOffset(self) -> int:
        return 0

    def verticalOffset(self) -> int:
        return self.verticalScrollBar().value()

    def isIndexHidden(self, index: QModelIndex | QPersistentModelIndex) -> bool:
        return False

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        model, count = self.model(), self._count()
        if model is None or count == 0:
            return QModelIndex()
        current = self.currentIndex()
        row = current.row() if current.isValid() else 0
        cols = self.columns()
        page = max(1, self.viewport().height() // self._cell.height()) * cols
        action = QAbstractItemView.CursorAction
        step = {
            action.MoveLeft: -1, action.MovePrevious: -1, action.MoveRight: 1, action.MoveNext: 1,
            action.MoveUp: -cols, action.MoveDown: cols, action.MovePageUp: -page, action.MovePageDown: page,
        }.get(cursorAction)  # fmt: skip
        if cursorAction == action.MoveHome:
            row = 0
        elif cursorAction == action.MoveEnd:
            row = count - 1
        elif step is not None and current.isValid():
            row += step
        row = max(0, min(count - 1, row))
        return model.index(row, 0, self.rootIndex())

    def _row_near(self, point: QPoint) -> int:
        """The row of the tile at ``point`` (viewport coordinates), clamped into the grid (a point past the
        right edge or below the last tile counts as the nearest tile)."""
        cols, count = self.columns(), self._count()
        x = max(0, min(point.x(), cols * self._cell.width() - 1))
        y = max(0, point.y() + self.verticalOffset())
        row = (y // self._cell.height()) * cols + x // self._cell.width()
        return max(0, min(count - 1, row))

    def setSelection(self, rect: QRect, command: QItemSelectionModel.SelectionFlag) -> None:
        """Select the tiles from ``rect``'s first corner to its second in reading order, as ONE range.

        Qt passes a press as a 1x1 rectangle, and a Shift+click, a drag or a Shift+arrow as the
        rectangle from the anchor tile's centre to the new point, first corner first (not normalised).
        A range is one QItemSelectionRange whatever its length: selecting 100,000 loaded tiles asks
        the model nothing per row (QListView would test every item against the rectangle).
        """
        model, selection = self.model(), self.selectionModel()
        if model is None or selection is None or self._count() == 0:
            return
        first, last = sorted((self._row_near(rect.topLeft()), self._row_near(rect.bottomRight())))
        root = self.rootIndex()
        top = model.index(first, 0, root)
        bottom = model.index(last, model.columnCount(root) - 1, root)
        selection.select(QItemSelection(top, bottom), command)

    def visualRegionForSelection(self, selection: QItemSelection) -> QRegion:
        region = QRegion()
        shown = self.visible_rows()
        for i in range(selection.count()):
            item = selection.at(i)
            for row in range(max(item.top(), shown.start), min(item.bottom() + 1, shown.stop)):
                region += self._tile(row)
        return region

    def updateGeometries(self) -> None:
        rows = -(-self._count() // self.columns())
        bar = self.verticalScrollBar()
        bar.setPageStep(self.viewport().height())
        bar.setRange(0, max(0, rows * self._cell.height() - self.viewport().height()))
        super().updateGeometries()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.updateGeometries()

    def rowsInserted(self, parent: QModelIndex | QPersistentModelIndex, start: int, end: int) -> None:
        super().rowsInserted(parent, start, end)
        self.updateGeometries()  # one range change, whatever the number of rows
        if start < self.visible_rows().stop + self.columns():
            self.viewport().update()

    def dataChanged(
        self,
        topLeft: QModelIndex | QPersistentModelIndex,
        bottomRight: QModelIndex | QPersistentModelIndex,
        roles: Sequence[int] = (),
    ) -> None:
        shown = self.visible_rows()
        if topLeft.row() < shown.stop and bottomRight.row() >= shown.start:
            self.viewport().update()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().scroll(dx, dy)

    def _maybe_fetch(self, value: int) -> None:
        """Ask for the next page while a screen of loaded tiles is still ahead (the model ignores
        the request while one is on its way)."""
        model, bar = self.model(), self.verticalScrollBar()
        if (
            model is not None
            and value >= bar.maximum() - 2 * bar.pageStep()
            and model.canFetchMore(self.rootIndex())
        ):
            model.fetchMore(self.rootIndex())

    def paintEvent(self, event: QPaintEvent) -> None:
        model = self.model()
        if model is None:
            return
        painter = QPainter(self.viewport())
        try:
            option = QStyleOptionViewItem()
            self.initViewItemOption(option)
            selection, current = self.selectionModel(), self.currentIndex()
            focus = self.hasFocus()
            exposed = event.rect()
            for row in self.visible_rows():
                rect = self._tile(row)
                if not rect.intersects(exposed):
                    continue
                index = model.index(row, 0, self.rootIndex())
                option.rect = rect
                option.state = QStyle.StateFlag.State_Enabled
                if selection is not None and selection.isSelected(index):
                    option.state |= QStyle.StateFlag.State_Selected
                if focus and index == current:
                    option.state |= QStyle.StateFlag.State_HasFocus
                self.itemDelegate().paint(painter, option, index)
        finally:
            painter.end()


class TableView(QTableView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setIconSize(QSize(28, 28))
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(30)
        self.horizontalHeader().setStretchLastSection(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)


class BrowserViews(QStackedWidget):
    """Grid and table sharing one selection model; emits the current record id."""

    current_record = Signal(int)

    def __init__(self, model: RecordTableModel, thumb: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.grid = GridView(thumb)
        self.table = TableView()
        self.grid.setModel(model)
        self.table.setModel(model)
        self.grid.setAccessibleName(self.tr("Photos (thumbnail grid)"))
        self.table.setAccessibleName(self.tr("Photos (table)"))
        for view in (self.grid, self.table):
            view.setAccessibleDescription(
                self.tr("J and K move between photos; A, R, Enter review the suggestions")
            )
        self.table.setSelectionModel(self.grid.selectionModel())
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(1, 220)
        for col, width in ((0, 112), (2, 70), (3, 104), (4, 44), (5, 62), (6, 84), (7, 76)):
            self.table.setColumnWidth(col, width)
        self.addWidget(self.grid)
        self.addWidget(self.table)
        self.grid.selectionModel().currentChanged.connect(self._current_changed)
        self._pending_row: int | None = None
        model.page_loaded.connect(self._page_loaded)
        model.modelReset.connect(lambda: setattr(self, "_pending_row", None))

    def show_grid(self, grid: bool) -> None:
        self.setCurrentWidget(self.grid if grid else self.table)
        current = self.grid.selectionModel().currentIndex()
        if current.isValid():
            self.view.scrollTo(current)

    @property
    def view(self) -> QAbstractItemView:
        return self.grid if self.currentWidget() is self.grid else self.table

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            row = self.model.record_at(current.row())
            if row is not None:
                self.current_record.emit(row.id)

    def select_row(self, row: int) -> bool:
        if not 0 <= row < self.model.rowCount():
            return False
        index = self.model.index(row, 0)
        sel = self.grid.selectionModel()
        sel.setCurrentIndex(index, sel.SelectionFlag.ClearAndSelect | sel.SelectionFlag.Rows)
        self.view.scrollTo(index)
        return True

    def selected_ids(self) -> list[int]:
        """The record ids of the selected photos in view order; the current photo alone when no other is
        selected (nothing when there is no current photo). Reads the selection's ranges, never the rows
        that are not loaded."""
        rows: set[int] = set()
        selection = self.grid.selectionModel().selection()
        for i in range(selection.count()):
            item = selection.at(i)
            rows.update(range(item.top(), item.bottom() + 1))
        current = self.current_row()
        if not rows - {current}:
            rows = {current} if current >= 0 else set()
        out = []
        for row in sorted(rows):
            record = self.model.record_at(row)
            if record is not None:
                out.append(record.id)
        return out

    def current_row(self) -> int:
        index = self.grid.selectionModel().currentIndex()
        return index.row() if index.isValid() else -1

    def step(self, delta: int) -> bool:
        """Move the selection by ``delta`` photos (J/K); past the loaded rows, the next page is fetched first."""
        row = self.current_row() + delta if self.current_row() >= 0 else 0
        if row >= self.model.rowCount() and (self.model.canFetchMore() or self.model.fetching):
            self._pending_row = row
            self.model.fetchMore()
            return False
        return self.select_row(max(0, min(row, self.model.rowCount() - 1)))

    def _page_loaded(self, _rows: int) -> None:
        if self._pending_row is not None and self._pending_row < self.model.rowCount():
            row, self._pending_row = self._pending_row, None
            self.select_row(row)

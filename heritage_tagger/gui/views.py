"""The browser's two views on one model and one selection: a thumbnail grid and a table."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QListView,
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


class GridView(QListView):
    def __init__(self, thumb: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # a wrapping list with uniform items lays 100,000 tiles out in milliseconds; IconMode
        # re-lays every item out on each page appended, which grows quadratically
        self.setViewMode(QListView.ViewMode.ListMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setLayoutMode(QListView.LayoutMode.Batched)  # long re-layouts spread over many event-loop turns
        self.setBatchSize(2000)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSpacing(2)
        self.set_thumb_size(thumb)

    def set_thumb_size(self, thumb: int) -> None:
        self._delegate = GridDelegate(thumb, self)
        self.setItemDelegate(self._delegate)
        self.setGridSize(QSize(thumb + 16, thumb + 34))
        self.verticalScrollBar().setSingleStep(max(20, thumb // 3))


class TableView(QTableView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
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

"""The suggestion panel: model tags as bars (with where each came from, and "no confident suggestion"), neighbour
tags with their photos, relevance of carried tags, concepts named in the text when there is no model yet,
and the review cursor drawn on exactly one of their rows (``gui/review_cursor.py``).

The panel is one focus stop: its lists never take the keyboard themselves. With the panel
focused, Up/Down move the cursor within a list, Left/Right and Tab/Shift+Tab between the lists
(Tab past the last list leaves the panel); a click puts the cursor on the row clicked. The row
under the cursor is the only highlighted row, marked ▶, and the line above the lists says in
words what it is and what A, R and Delete would do to it; screen readers hear that line when
the cursor moves.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QBrush,
    QColor,
    QFocusEvent,
    QFont,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from heritage_tagger.domain.records import TagState
from heritage_tagger.gui.appearance import readable
from heritage_tagger.gui.i18n import QT_TRANSLATE_NOOP
from heritage_tagger.gui.review_cursor import CARRIED, MODEL, NEIGHBOURS, Lists, ReviewCursor, Spot
from heritage_tagger.gui.suggestions import PanelData

LabelRole = Qt.ItemDataRole.UserRole + 1
ValueRole = Qt.ItemDataRole.UserRole + 2
MaxRole = Qt.ItemDataRole.UserRole + 3
CURSOR_MARK = "▶ "
CURSOR_BACKGROUND = QColor(255, 214, 102)  # amber: unlike any selection or state colour
MODEL_HEADERS = [
    QT_TRANSLATE_NOOP("SuggestionPanel", "Model suggestion"),
    QT_TRANSLATE_NOOP("SuggestionPanel", "Probability"),
    QT_TRANSLATE_NOOP("SuggestionPanel", "State"),
]
VOCABULARY_HEADERS = [
    QT_TRANSLATE_NOOP("SuggestionPanel", "Named in its text"),
    QT_TRANSLATE_NOOP("SuggestionPanel", "Found in"),
    QT_TRANSLATE_NOOP("SuggestionPanel", "State"),
]
SOURCE_TEXT = {
    "caption": QT_TRANSLATE_NOOP("SuggestionPanel", "caption"),
    "neighbours": QT_TRANSLATE_NOOP("SuggestionPanel", "similar photos"),
}  # shown after a model tag ("image": nothing)
SOURCE_TIP = {
    "image": QT_TRANSLATE_NOOP("SuggestionPanel", "From the photo"),
    "neighbours": QT_TRANSLATE_NOOP("SuggestionPanel", "From the tags of similar photos"),
    "caption": QT_TRANSLATE_NOOP(
        "SuggestionPanel", "Named in, or suggested by, the record's title, description or location"
    ),
}
STATE_MARK = {
    TagState.ACCEPTED: (QT_TRANSLATE_NOOP("SuggestionPanel", "✓ accepted"), QColor(40, 140, 70)),
    TagState.CATALOGUED: (QT_TRANSLATE_NOOP("SuggestionPanel", "✓ carried"), QColor(70, 110, 170)),
    TagState.REJECTED: (QT_TRANSLATE_NOOP("SuggestionPanel", "✗ rejected"), QColor(170, 60, 60)),
    TagState.SUGGESTED: (QT_TRANSLATE_NOOP("SuggestionPanel", "pending"), QColor(200, 130, 0)),
}


class BarDelegate(QStyledItemDelegate):
    """A horizontal bar for a value (relative to the column's maximum) with the number on it."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        value = index.data(ValueRole)  # always set (-1: no value): data() returning None over-releases None
        if not isinstance(value, float) or value < 0:
            super().paint(painter, option, index)
            return
        top = index.data(MaxRole) or 1.0
        full: QRect = option.rect
        rect = QRect(full.left() + 2, full.top() + 5, max(10, full.width() - 42), full.height() - 10)
        painter.save()
        painter.fillRect(rect, QColor(0, 0, 0, 22))
        bar = QRect(rect)
        bar.setWidth(max(1, int(rect.width() * min(1.0, float(value) / top))))
        painter.fillRect(bar, QColor(72, 126, 176))
        painter.setPen(option.palette.text().color())
        text_rect = QRect(rect.right() + 4, full.top(), 36, full.height())
        painter.drawText(
            text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, f"{value:.2f}"
        )
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width(), max(hint.height(), 22))


class SuggestionTree(QTreeWidget):
    """One of the panel's lists; never takes the keyboard (the panel does), reports clicks on rows."""

    row_clicked = Signal(str)  # label

    def __init__(self, name: str, headers: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.setHeaderLabels(headers)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setItemDelegateForColumn(1, BarDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        if len(headers) > 2:
            header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.setStretchLastSection(False)
        self._size_columns()

    def _size_columns(self) -> None:
        """The bar and state columns follow the text size, but leave the tag's name at least half the width."""
        char = max(1, self.fontMetrics().averageCharWidth())
        width = max(1, self.viewport().width())
        header = self.header()
        header.resizeSection(1, min(17 * char, int(width * 0.3)))
        if self.columnCount() > 2:
            header.resizeSection(2, min(12 * char, int(width * 0.2)))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._size_columns()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._size_columns()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        item = self.itemAt(event.position().toPoint())
        if item is not None:
            self.row_clicked.emit(item.data(0, LabelRole))
        event.accept()  # the cursor decides what is current, not the click

    def current_label(self) -> str | None:
        item = self.currentItem()
        return item.data(0, LabelRole) if item is not None else None

    def items(self) -> list[QTreeWidgetItem]:
        """The rows, top to bottom (this tree is flat)."""
        found = (self.topLevelItem(i) for i in range(self.topLevelItemCount()))
        return [item for item in found if item is not None]

    def item_for(self, label: str) -> QTreeWidgetItem | None:
        return next((item for item in self.items() if item.data(0, LabelRole) == label), None)


class SuggestionPanel(QWidget):
    neighbour_clicked = Signal(int)
    train_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: PanelData | None = None
        self.states: dict[str, TagState] = {}
        self.review_cursor: ReviewCursor | None = None
        self._stored_for: int | None = None  # the photo whose stored suggestions are shown (no live model)
        self.header = QLabel()
        self.header.setObjectName("panelHeader")
        self.header.setWordWrap(True)
        self.message = QLabel(wordWrap=True)
        self.message.setObjectName("panelMessage")
        self.train_button = QPushButton(self.tr("Train model…"))
        self.train_button.clicked.connect(self.train_requested)
        self.train_button.hide()
        self.cursor_line = QLabel("")
        self.cursor_line.setObjectName("cursorLine")
        self.cursor_line.setWordWrap(True)
        self.cursor_line.setAccessibleName(self.tr("Current suggestion"))
        self.model_tree = SuggestionTree(MODEL, [self.tr(h) for h in MODEL_HEADERS])
        self.neighbour_tree = SuggestionTree(
            NEIGHBOURS, [self.tr("Neighbours' tags"), self.tr("Relevance"), self.tr("State")]
        )
        self.existing_tree = SuggestionTree(CARRIED, [self.tr("Tags it carries"), self.tr("Relevance"), ""])
        self.trees = {MODEL: self.model_tree, NEIGHBOURS: self.neighbour_tree, CARRIED: self.existing_tree}
        self.thumbs = QListWidget()
        self.thumbs.setViewMode(QListWidget.ViewMode.IconMode)
        self.thumbs.setFlow(QListWidget.Flow.LeftToRight)
        self.thumbs.setWrapping(False)
        self.thumbs.setIconSize(QSize(64, 64))
        self.thumbs.setGridSize(QSize(84, 92))
        self.thumbs.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.thumbs.setFixedHeight(104)
        self.thumbs.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.thumbs_label = QLabel(self.tr("Neighbours behind these suggestions (click one to open it)"))
        self.thumbs_label.setObjectName("sectionLabel")
        self.thumbs_label.setWordWrap(True)
        self.thumbs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.thumbs.setToolTip(
            self.tr("The visual neighbours behind these suggestions; click one to open it")
        )
        self.thumbs.setAccessibleName(self.tr("Neighbour photos behind these suggestions"))
        self.thumbs.itemClicked.connect(lambda item: self.neighbour_clicked.emit(item.data(LabelRole)))
        for tree in self.trees.values():
            tree.row_clicked.connect(lambda label, tree=tree: self._clicked(tree, label))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("Suggestions"))
        self.model_tree.setAccessibleName(self.tr("Model suggestions"))
        self.neighbour_tree.setAccessibleName(self.tr("Neighbours' tags"))
        self.existing_tree.setAccessibleName(self.tr("Tags the photo carries"))
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.train_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.cursor_line)
        layout.addWidget(self.model_tree, 3)
        layout.addWidget(self.neighbour_tree, 2)
        layout.addWidget(self.thumbs_label)
        layout.addWidget(self.thumbs)
        layout.addWidget(self.existing_tree, 2)
        self.filler = QWidget()
        layout.addWidget(self.filler, 1)
        self.show_message(self.tr("Select a photo to see its suggestions."))

    # --- the cursor -------------------------------------------------------------------------
    def set_cursor_model(self, cursor: ReviewCursor) -> None:
        """Draw ``cursor``; keys and clicks on the panel move it."""
        self.review_cursor = cursor
        cursor.moved.connect(self.show_cursor)

    def _clicked(self, tree: SuggestionTree, label: str) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        if self.review_cursor is not None:
            self.review_cursor.place(tree.name, label)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        cursor, key = self.review_cursor, Qt.Key(event.key())
        moves = {
            Qt.Key.Key_Up: lambda c: c.step_row(-1),
            Qt.Key.Key_Down: lambda c: c.step_row(1),
            Qt.Key.Key_Left: lambda c: c.step_list(-1),
            Qt.Key.Key_Right: lambda c: c.step_list(1),
        }
        if cursor is not None and key in moves and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            moves[key](cursor)
            event.accept()
            return
        super().keyPressEvent(event)

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab / Shift+Tab move the cursor between the lists; past the last one, focus leaves the panel."""
        if (
            self.hasFocus()
            and self.review_cursor is not None
            and self.review_cursor.step_list(1 if next else -1)
        ):
            return True
        return super().focusNextPrevChild(next)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self._announce()

    def show_cursor(self, spot: Spot | None) -> None:
        """Mark ``spot``'s row (the only highlighted row of the three lists) and say what it is."""
        cursor = self.review_cursor
        if cursor is not None and cursor.states is not None and cursor.record_id == self._record_id():
            self.states = dict(cursor.states)
            for tree in self.trees.values():
                self._apply_states(tree)
        for name, tree in self.trees.items():
            for item in tree.items():
                self._mark(
                    item, on=spot is not None and spot.list == name and item.data(0, LabelRole) == spot.label
                )
            target = tree.item_for(spot.label) if spot is not None and spot.list == name else None
            if target is not None:
                tree.setCurrentItem(target)
                target.setSelected(True)
                tree.scrollToItem(target)
            else:
                tree.clearSelection()
                tree.setCurrentIndex(QModelIndex())
        self.cursor_line.setVisible(self._showing_lists())
        text = cursor.describe() if cursor is not None else ""
        self.cursor_line.setText(
            self.tr("<b>Current:</b> {text}").format(text=text) if spot is not None else text
        )
        self.cursor_line.setAccessibleDescription(text)
        self._announce()

    def _announce(self) -> None:
        if self.review_cursor is not None and self.hasFocus() and QAccessible.isActive():
            QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(self, self.review_cursor.describe()))

    def _mark(self, item: QTreeWidgetItem, *, on: bool) -> None:
        text = item.data(0, Qt.ItemDataRole.UserRole + 4) or item.text(0)
        item.setData(0, Qt.ItemDataRole.UserRole + 4, text)
        item.setText(0, CURSOR_MARK + text if on else text)
        for col in range(item.columnCount()):
            item.setBackground(col, QBrush(CURSOR_BACKGROUND) if on else QBrush())
        font = QFont(item.font(0))
        font.setUnderline(on)
        item.setFont(0, font)

    def _record_id(self) -> int | None:
        return self.data.record_id if self.data is not None else self._stored_for

    def _showing_lists(self) -> bool:
        return self.model_tree.isVisibleTo(self) or self.existing_tree.isVisibleTo(self)

    # --- states --------------------------------------------------------------------------
    def show_message(self, text: str, *, offer_training: bool = False) -> None:
        self.data = None
        self._stored_for = None
        self.header.setText(self.tr("<b>Suggestions</b>"))
        self.message.setText(text)
        self.message.show()
        self.train_button.setVisible(offer_training)
        for w in (self.model_tree, self.neighbour_tree, self.existing_tree, self.thumbs):
            w.clear()
            w.setVisible(False)
        self.thumbs_label.setVisible(False)
        self.cursor_line.setVisible(False)
        self.filler.setVisible(True)

    def show_stored(self, lists: Lists, states: dict[str, TagState]) -> None:
        """No live model for this photo (the message above says why): its stored suggestions and carried tags."""
        self._stored_for = lists.record_id
        self.states = dict(states)
        self.model_tree.setHeaderLabels([self.tr("Stored suggestion"), self.tr("Score"), self.tr("State")])
        rows = [(e.label, e.score if e.score is not None else -1.0) for e in lists.entries.get(MODEL, [])]
        self._fill(self.model_tree, rows, 1.0, {e.label for e in lists.entries.get(MODEL, []) if e.proposed})
        self.existing_tree.clear()
        for e in lists.entries.get(CARRIED, []):
            item = QTreeWidgetItem([e.label, "", ""])
            item.setData(0, LabelRole, e.label)
            item.setData(1, ValueRole, -1.0)
            self.existing_tree.addTopLevelItem(item)
        for w in (self.model_tree, self.existing_tree):
            w.setVisible(True)
        self.filler.setVisible(False)

    def show_data(self, data: PanelData, states: dict[str, TagState], thumbs: dict[int, QPixmap]) -> None:
        self.data = data
        self._stored_for = None
        self.states = dict(states)
        self.message.hide()
        self.train_button.hide()
        for w in (self.model_tree, self.neighbour_tree, self.existing_tree, self.thumbs):
            w.setVisible(True)
        self.thumbs_label.setVisible(bool(data.neighbours))
        self.filler.setVisible(False)
        if data.source == "vocabulary":
            self._show_vocabulary(data)
            return
        unsure = (
            "<br><span style='color:{colour}'>{text}</span>".format(
                colour=readable(QColor(176, 90, 0)).name(),
                text=self.tr("No confident suggestion: this photo needs a person"),
            )
            if data.no_confident_suggestion
            else ""
        )
        self.header.setText(
            self.tr(
                "<b>Suggestions</b><br><span style='color:gray'>model {version} · {backbone}</span>"
            ).format(version=data.model_version, backbone=data.backbone)
            + unsure
        )
        self.header.setToolTip(
            self.tr("Model version {version}, backbone {backbone}").format(
                version=data.model_version, backbone=data.backbone
            )
            + ("\n" + self.tr("Served by: {who}").format(who=data.served_by) if data.served_by else "")
        )
        self.model_tree.setHeaderLabels([self.tr(h) for h in MODEL_HEADERS])
        self._fill(
            self.model_tree, [(lbl, s) for lbl, s in data.model_tags], 1.0, set(data.proposed), data.sources
        )
        top = max((s for _, s, _ in data.neighbour_tags), default=1.0) or 1.0
        self._fill(self.neighbour_tree, [(lbl, s) for lbl, s, _ in data.neighbour_tags], top, set())
        self.existing_tree.clear()
        best = max((r for _, r, _ in data.existing if r is not None), default=1.0) or 1.0
        for label, rel, low in data.existing:
            item = QTreeWidgetItem(
                [label, "" if rel is not None else self.tr("not in model"), self.tr("⚠ check") if low else ""]
            )
            item.setData(0, LabelRole, label)
            item.setData(1, ValueRole, float(rel) if rel is not None else -1.0)
            item.setData(1, MaxRole, float(best))
            self._name(item, label)
            if low:
                item.setForeground(2, QBrush(readable(QColor(190, 90, 0))))
                item.setToolTip(0, self.tr("Low relevance to what the neighbours carry: worth a second look"))
            self.existing_tree.addTopLevelItem(item)
        self.thumbs.clear()
        for n in data.neighbours:
            thumb = QListWidgetItem(n.identifier)
            thumb.setData(LabelRole, n.record_id)
            thumb.setToolTip(
                self.tr("{identifier} (similarity {similarity})").format(
                    identifier=n.identifier, similarity=f"{n.similarity:.2f}"
                )
            )
            pixmap = thumbs.get(n.record_id)
            if pixmap is not None:
                thumb.setIcon(pixmap)
            self.thumbs.addItem(thumb)
        self.show_cursor(self.review_cursor.spot if self.review_cursor is not None else None)

    def set_thumbnail(self, record_id: int, pixmap: QPixmap) -> None:
        for i in range(self.thumbs.count()):
            item = self.thumbs.item(i)
            if item.data(LabelRole) == record_id:
                item.setIcon(pixmap)

    def _fill(
        self,
        tree: SuggestionTree,
        rows: list[tuple[str, float]],
        top: float,
        proposed: set[str],
        sources: dict[str, str] | None = None,
    ) -> None:
        tree.clear()
        for label, score in rows:
            source = (sources or {}).get(label, "")
            suffix = f"  ({self.tr(SOURCE_TEXT[source])})" if source in SOURCE_TEXT else ""
            item = QTreeWidgetItem([label + suffix, "", ""])
            item.setData(0, LabelRole, label)
            item.setData(1, ValueRole, float(score))
            item.setData(1, MaxRole, float(top))
            self._name(
                item,
                label,
                label in proposed,
                suffix=suffix,
                source_tip=self.tr(SOURCE_TIP[source]) if source in SOURCE_TIP else "",
            )
            tree.addTopLevelItem(item)
        self._apply_states(tree)

    def _name(
        self,
        item: QTreeWidgetItem,
        label: str,
        proposed: bool = False,
        *,
        suffix: str = "",
        source_tip: str = "",
    ) -> None:
        """The row's text: the concept's preferred label when the tag is linked (URI and path on hover),
        then where the suggestion came from (``suffix``, said in full by ``source_tip``)."""
        found = self.data.concepts.get(label) if self.data is not None else None
        preferred = found.concept.label if found is not None else label
        shown = preferred + suffix
        tips = [source_tip] if source_tip else []
        if found is not None:
            tips.append(f"{found.path()}\n{found.concept.uri}\n({found.concept.vocabulary})")
            if label != preferred:
                tips.append(self.tr("The catalogue's tag: {label}").format(label=label))
        if proposed:
            font = QFont(item.font(0))
            font.setBold(True)
            item.setFont(0, font)
            shown = f"● {shown}"
            tips.append(self.tr("Proposed: Enter accepts every proposed tag, Shift+R rejects them all"))
        item.setText(0, shown)
        if tips:
            item.setToolTip(0, "\n".join(tips))

    def _show_vocabulary(self, data: PanelData) -> None:
        """No model yet: the concepts the photo's own text names, in the model list's place."""
        self.header.setText(
            self.tr(
                "<b>Suggestions from the vocabulary</b><br><span style='color:gray'>no model yet: concepts "
                "named in the photo's title, description or location</span>"
            )
        )
        self.header.setToolTip(
            self.tr("Train a model to get suggestions from the photos' visual neighbours too")
        )
        for w in (self.neighbour_tree, self.existing_tree, self.thumbs, self.thumbs_label):
            w.setVisible(False)
        self.train_button.setVisible(True)
        tree = self.model_tree
        tree.setHeaderLabels([self.tr(h) for h in VOCABULARY_HEADERS])
        tree.clear()
        for label in data.proposed:
            item = QTreeWidgetItem([label, data.found_in.get(label, ""), ""])
            item.setData(0, LabelRole, label)
            item.setData(1, ValueRole, -1.0)  # no bar: a caption match has no probability
            item.setToolTip(1, data.found_in.get(label, ""))
            self._name(item, label, True)
            tree.addTopLevelItem(item)
        if not data.proposed:
            self.message.setText(
                self.tr("Its title, description and location name no concept of the vocabularies.")
            )
            self.message.show()
        self._apply_states(tree)
        self.show_cursor(self.review_cursor.spot if self.review_cursor is not None else None)

    def _apply_states(self, tree: SuggestionTree) -> None:
        if tree is self.existing_tree:
            return
        for item in tree.items():
            state = self.states.get(item.data(0, LabelRole))
            text, colour = STATE_MARK.get(state, ("", QColor(0, 0, 0))) if state else ("", QColor(0, 0, 0))
            text = self.tr(text) if text else ""
            item.setText(2, text)
            item.setForeground(2, QBrush(readable(colour)))
            font = QFont(item.font(0))
            font.setStrikeOut(state is TagState.REJECTED)
            item.setFont(0, font)

    def is_open(self, label: str) -> bool:
        return self.states.get(label) in (None, TagState.SUGGESTED)

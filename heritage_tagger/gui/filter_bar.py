"""The filter bar above the browser: free text, tag (carried, or suggested too), location (any part of it),
state, batch and sort; and the review queue of the whole catalogue (not reviewed yet, needs attention first)."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QStyledItemDelegate,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from heritage_tagger.gui.i18n import QT_TRANSLATE_NOOP
from heritage_tagger.services.browse import BrowseFilter, RecordState, SortKey

STATE_LABELS = {
    RecordState.ALL: QT_TRANSLATE_NOOP("FilterBar", "All photos"),
    RecordState.NEEDS_REVIEW: QT_TRANSLATE_NOOP("FilterBar", "Not reviewed yet"),
    RecordState.UNTAGGED: QT_TRANSLATE_NOOP("FilterBar", "Untagged"),
    RecordState.PENDING: QT_TRANSLATE_NOOP("FilterBar", "Pending suggestions"),
    RecordState.REVIEWED: QT_TRANSLATE_NOOP("FilterBar", "Reviewed"),
}
SORT_LABELS = {
    SortKey.IDENTIFIER: QT_TRANSLATE_NOOP("FilterBar", "Identifier"),
    SortKey.DATE: QT_TRANSLATE_NOOP("FilterBar", "Date"),
    SortKey.CONFIDENCE: QT_TRANSLATE_NOOP("FilterBar", "Model confidence"),
    SortKey.ATTENTION: QT_TRANSLATE_NOOP("FilterBar", "Needs attention first"),
}
#: the review queue's order (services.review_queue.review_queue "least_confident"): the highest pending
#: score, lowest first, photos with nothing pending last; browse's confidence sort reversed
QUEUE = "queue"
QUEUE_LABEL = QT_TRANSLATE_NOOP("FilterBar", "Queue: least confident first")
#: Preferences' review queue orders (services.review_queue.QUEUE_ORDERS) -> (sort combo data, reversed)
QUEUE_SORTS: dict[str, tuple[str, bool]] = {
    "needs_attention": (SortKey.ATTENTION.value, False),
    "least_confident": (QUEUE, False),
    "most_confident": (SortKey.CONFIDENCE.value, False),
    "identifier": (SortKey.IDENTIFIER.value, False),
}


def tag_completer(parent: QWidget) -> QCompleter:
    completer = QCompleter(QStringListModel(parent), parent)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    return completer


def plain_popup(combo: QComboBox) -> None:
    """A drop-down list that shows every entry whole (never "Adirond… (N.Y.)") and draws the current one
    like the selection of any other list (the style sheet's menu-like popup drew it as a blank row)."""
    combo.setItemDelegate(QStyledItemDelegate(combo))
    view = combo.view()
    view.setTextElideMode(Qt.TextElideMode.ElideNone)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)


def fit_popup(combo: QComboBox) -> None:
    """Make the popup as wide as its widest entry (the combo box itself stays narrow)."""
    metrics = combo.fontMetrics()
    widest = max((metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count())), default=0)
    combo.view().setMinimumWidth(widest + 40)


def _toggle_button(text: str, tip: str, *, checked: bool = False) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.setCheckable(True)
    button.setChecked(checked)
    return button


class FilterBar(QWidget):
    changed = Signal(object)  # BrowseFilter
    view_toggled = Signal(bool)  # True: grid

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLineEdit(placeholderText=self.tr("Search title, description, location"))
        self.text.setClearButtonEnabled(True)
        self.tag = QLineEdit(placeholderText=self.tr("Tag"))
        self.tag.setClearButtonEnabled(True)
        self.tag.setToolTip(self.tr("Photos that carry this tag (catalogued or accepted)"))
        self.tag_completer = tag_completer(self)
        self.tag.setCompleter(self.tag_completer)
        self.tag_suggested = QCheckBox(self.tr("or suggested"))
        self.tag_suggested.setToolTip(
            self.tr("Also photos for which the tag is only a suggestion still waiting for review")
        )
        self.location = QComboBox()
        self.location.setEditable(True)
        location_edit = self.location.lineEdit()
        assert location_edit is not None  # editable combo boxes have one
        location_edit.setPlaceholderText(self.tr("Any location"))
        location_edit.setClearButtonEnabled(True)
        self.location.setToolTip(
            self.tr('Photos whose location contains these letters, in any case ("calif")')
        )
        self.location.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.location.setCurrentIndex(-1)
        self.state = QComboBox()
        for state, label in STATE_LABELS.items():
            self.state.addItem(self.tr(label), state)
        self.batch = QComboBox()
        self.batch.addItem(
            self.tr("All batches"), -1
        )  # not None: currentData() returning None over-releases it
        self.sort = QComboBox()
        for key, label in SORT_LABELS.items():
            self.sort.addItem(self.tr("Sort: {order}").format(order=self.tr(label)), key)
        self.sort.addItem(self.tr(QUEUE_LABEL), QUEUE)
        self.descending = _toggle_button("↓", self.tr("Reverse the order"))
        # a concept filter (Vocabulary > Filter by concept, the detail pane's broader path): click clears it
        self.concept = QToolButton()
        self.concept.setObjectName("conceptFilter")
        self.concept.hide()
        self.concept.clicked.connect(lambda: self.set_concept(None))
        self._concept_id: int | None = None
        self.grid_button = _toggle_button(self.tr("Grid"), self.tr("Thumbnail grid"), checked=True)
        self.table_button = _toggle_button(self.tr("Table"), self.tr("Table"))
        self.text.setAccessibleName(self.tr("Search the photos"))
        self.tag.setAccessibleName(self.tr("Filter by tag"))
        self.location.setAccessibleName(self.tr("Filter by location"))
        self.state.setAccessibleName(self.tr("Filter by review state"))
        self.batch.setAccessibleName(self.tr("Filter by import batch"))
        self.sort.setAccessibleName(self.tr("Sort order"))
        self.descending.setAccessibleName(self.tr("Reverse the order"))
        self.concept.setAccessibleName(self.tr("Concept filter (press to clear it)"))
        self.grid_button.setAccessibleName(self.tr("Show a thumbnail grid"))
        self.table_button.setAccessibleName(self.tr("Show a table"))
        self.grid_button.clicked.connect(lambda: self._toggle(True))
        self.table_button.clicked.connect(lambda: self._toggle(False))
        for w in (self.text, self.tag):
            w.setMinimumWidth(80)
        for combo, letters in ((self.location, 6), (self.state, 10), (self.batch, 6), (self.sort, 11)):
            plain_popup(combo)
            combo.setMinimumContentsLength(letters)  # "Not reviewed yet", "Sort: Needs attention first"
            fit_popup(combo)
        row1, row2 = QHBoxLayout(), QHBoxLayout()
        row1.addWidget(self.text, 5)
        row1.addWidget(self.tag, 2)
        row1.addWidget(self.tag_suggested)
        row1.addWidget(self.location, 2)
        row1.addWidget(self.concept)
        row2.addWidget(self.state, 2)
        row2.addWidget(self.batch, 2)
        row2.addWidget(self.sort, 2)
        row2.addWidget(self.descending)
        row2.addSpacing(6)
        row2.addWidget(self.grid_button)
        row2.addWidget(self.table_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 2)
        layout.setSpacing(4)
        layout.addLayout(row1)
        layout.addLayout(row2)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self._emit)
        self.text.textChanged.connect(self._debounce.start)
        self.tag.editingFinished.connect(self._emit)
        self.tag.textChanged.connect(lambda text: None if text else self._emit())  # the clear button
        self.tag_completer.activated.connect(lambda _: self._emit())
        self.tag_suggested.toggled.connect(self._emit)
        self.location.currentTextChanged.connect(self._debounce.start)
        for combo in (self.state, self.batch, self.sort):
            combo.currentIndexChanged.connect(self._emit)
        self.descending.toggled.connect(self._emit)
        self._last = BrowseFilter()

    def _toggle(self, grid: bool) -> None:
        self.grid_button.setChecked(grid)
        self.table_button.setChecked(not grid)
        self.view_toggled.emit(grid)

    def set_vocabulary(self, labels: list[str]) -> None:
        model = self.tag_completer.model()
        assert isinstance(model, QStringListModel)
        model.setStringList(labels)

    def set_locations(self, names: list[str]) -> None:
        """The catalogue's locations, whole, with no blank entry; what is typed stays."""
        current = self.location.currentText()
        self.location.blockSignals(True)
        self.location.clear()
        self.location.addItems(names)
        index = self.location.findText(current) if current else -1
        self.location.setCurrentIndex(index)
        if index < 0:
            self.location.setEditText(current)
        self.location.blockSignals(False)
        fit_popup(self.location)

    def set_batches(self, batches: list[tuple[int, str]]) -> None:
        current = self.batch.currentData()
        self.batch.blockSignals(True)
        self.batch.clear()
        self.batch.addItem(self.tr("All batches"), -1)
        for bid, label in batches:
            self.batch.addItem(label, bid)
        i = self.batch.findData(current)
        self.batch.setCurrentIndex(max(0, i))
        self.batch.blockSignals(False)
        fit_popup(self.batch)

    def set_concept(self, concept_id: int | None, path: str = "") -> None:
        """Show only photos carrying a tag linked to the concept or to one below it (None: any)."""
        self._show_concept(concept_id, path)
        self._emit()

    def _show_concept(self, concept_id: int | None, path: str) -> None:
        self._concept_id = concept_id
        self.concept.setText(f"⊂ {path.rpartition(' › ')[2]}  ✕" if concept_id is not None else "")
        self.concept.setToolTip(
            self.tr("Photos with {path} or a narrower concept; click to show every photo again").format(
                path=path
            )
        )
        self.concept.setVisible(concept_id is not None)

    def show_queue(self, batch_id: int, order: str = "needs_attention") -> bool:
        """Show one batch as a review queue in ``order`` (other filters cleared); False when nothing changed."""
        sort, reverse = QUEUE_SORTS.get(order, QUEUE_SORTS["needs_attention"])
        return self._show(BrowseFilter(batch_id=batch_id, descending=reverse), sort=sort)

    def show_catalogue_queue(self) -> bool:
        """Review > Review queue: every photo not reviewed yet, needs attention first (other filters cleared)."""
        return self._show(BrowseFilter(state=RecordState.NEEDS_REVIEW, sort=SortKey.ATTENTION))

    def set_filter(self, flt: BrowseFilter, concept_path: str = "") -> bool:
        """Show ``flt`` in every field (a saved search; ``concept_path``: its concept's broader path);
        False when the filter did not change."""
        return self._show(flt, concept_path)

    def _show(self, flt: BrowseFilter, concept_path: str = "", sort: str | None = None) -> bool:
        """Set every field to ``flt`` at once (``sort``: the sort box's entry, when not ``flt.sort``'s)."""
        widgets = (
            self.text, self.tag, self.tag_suggested, self.location, self.state, self.batch, self.sort,
            self.descending,
        )  # fmt: skip
        for w in widgets:
            w.blockSignals(True)
        self.text.setText(flt.text)
        self.tag.setText(flt.tag)
        self.tag_suggested.setChecked(flt.tag_suggested)
        self._show_concept(flt.concept_id, concept_path)
        self.location.setCurrentIndex(self.location.findText(flt.location) if flt.location else -1)
        self.location.setEditText(flt.location)
        self.state.setCurrentIndex(self.state.findData(RecordState(flt.state)))
        batch_id = flt.batch_id
        i = self.batch.findData(batch_id if batch_id is not None else -1)
        if i < 0:
            self.batch.addItem(f"#{batch_id}", batch_id)
            i = self.batch.count() - 1
        self.batch.setCurrentIndex(i)
        self.sort.setCurrentIndex(self.sort.findData(sort if sort is not None else SortKey(flt.sort).value))
        self.descending.setChecked(flt.descending)
        for w in widgets:
            w.blockSignals(False)
        self._debounce.stop()
        before = self._last
        self._emit()
        return self._last != before

    def current(self) -> BrowseFilter:
        queue = self.sort.currentData() == QUEUE
        return BrowseFilter(
            text=self.text.text(),
            tag=self.tag.text(),
            tag_suggested=self.tag_suggested.isChecked(),
            location=self.location.currentText(),
            state=RecordState(self.state.currentData()),
            batch_id=None if self.batch.currentData() == -1 else self.batch.currentData(),
            concept_id=self._concept_id,
            sort=SortKey.CONFIDENCE if queue else SortKey(self.sort.currentData()),
            descending=not self.descending.isChecked() if queue else self.descending.isChecked(),
        )

    def _emit(self) -> None:
        flt = self.current()
        if flt != self._last:
            self._last = flt
            self.changed.emit(flt)

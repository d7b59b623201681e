"""The vocabulary manager's tabs for tags: links to concepts (the unlinked ones listed for review),
variant merges (preview, merge, undo) and a concept browser; views that emit requests."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from heritage_tagger.domain.vocabulary import ConceptDetails, LabelConcept
from heritage_tagger.gui.concept_completion import ConceptCompleter, Entry

if TYPE_CHECKING:
    from heritage_tagger.services.tag_links import LinkReport
    from heritage_tagger.services.tag_merge import MergeRecord
    from heritage_tagger.vocab.variants import VariantGroup

TAG_ROLE = Qt.ItemDataRole.UserRole + 1  # the tag label of a row
URI_ROLE = Qt.ItemDataRole.UserRole + 2  # a candidate concept's URI
GROUP_ROLE = Qt.ItemDataRole.UserRole + 3  # a variant group's index
SHOWN = 500  # tags listed per kind (the CLI's --json has them all)


def _tree(headers: list[str]) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setHeaderLabels(headers)
    tree.setUniformRowHeights(True)
    header = tree.header()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setStretchLastSection(False)
    return tree


def _row(texts: list[str], tag: str = "", uri: str = "") -> QTreeWidgetItem:
    """A row with both roles set ("" for none): reading a role never set over-releases None in PySide6."""
    item = QTreeWidgetItem(texts)
    item.setData(0, TAG_ROLE, tag)
    item.setData(0, URI_ROLE, uri)
    return item


def _buttons(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for w in widgets:
        row.addWidget(w)
    row.addStretch(1)
    return row


class LinksTab(QWidget):
    """Link the catalogue's tags to concepts; list those left unlinked or ambiguous; link one by hand."""

    link_requested = Signal(bool)  # relink
    link_tag_requested = Signal(str, object)  # tag label, concept URI (None: unlink)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.relink = QCheckBox(self.tr("Recompute every link (unlinks tags that no longer match)"))
        self.link_button = QPushButton(self.tr("Link tags now"))
        self.link_button.clicked.connect(lambda: self.link_requested.emit(self.relink.isChecked()))
        self.summary = QLabel(
            self.tr("Link tags to match the catalogue's tags against the vocabularies' labels.")
        )
        self.summary.setWordWrap(True)
        self.tree = _tree([self.tr("Tag"), self.tr("Photos"), self.tr("Concept")])
        self.tree.setAccessibleName(self.tr("Tags and their concepts"))
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.tree.currentItemChanged.connect(lambda *_: self._selected())
        self.search = QLineEdit(placeholderText=self.tr("Find a concept for the selected tag…"))
        self.search.setAccessibleName(self.tr("Find a concept for the selected tag"))
        self.completer = ConceptCompleter(self.search, self)
        self.completer.chosen.connect(self._chosen)
        self.chosen: Entry | None = None
        self.link_one = QPushButton(self.tr("Link the selected tag"))
        self.link_one.clicked.connect(self._link_one)
        self.unlink = QPushButton(self.tr("Unlink it"))
        self.unlink.clicked.connect(self._unlink)
        layout = QVBoxLayout(self)
        layout.addLayout(_buttons(self.link_button, self.relink))
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(
            QLabel(self.tr("A tag left unlinked: pick a candidate concept above, or find one here:"))
        )
        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        row.addWidget(self.link_one)
        row.addWidget(self.unlink)
        layout.addLayout(row)
        self._selected()

    def show_report(self, report: LinkReport) -> None:
        words = self.tr("Linked {linked} tags now; {kept} were linked before.").format(
            linked=report.linked, kept=report.kept
        )
        if report.changed and report.changed != report.linked:
            words += self.tr(" {n} links changed.").format(n=report.changed)
        words += self.tr(" {ambiguous} name several concepts, {unlinked} tags on photos match none").format(
            ambiguous=len(report.ambiguous), unlinked=len(report.unlinked)
        ) + (
            self.tr(" ({n} more are on no photo).").format(n=report.unused_unlinked)
            if report.unused_unlinked
            else "."
        )
        self.summary.setText(words)
        self.tree.clear()
        if report.ambiguous:
            top = _row(
                [
                    self.tr("Name several concepts ({n_ambiguous})").format(
                        n_ambiguous=len(report.ambiguous)
                    ),
                    "",
                    "",
                ]
            )
            self.tree.addTopLevelItem(top)
            for tag in report.ambiguous[:SHOWN]:
                item = _row(
                    [
                        tag.label,
                        str(tag.records),
                        self.tr("{n_candidates} candidates").format(n_candidates=len(tag.candidates)),
                    ],
                    tag.label,
                )
                top.addChild(item)
                for concept in tag.candidates:
                    child = _row([f"→ {concept.label}", "", concept.uri], tag.label, concept.uri)
                    child.setToolTip(
                        0,
                        self.tr("Link “{label}” to {label2} ({vocabulary})").format(
                            label=tag.label, label2=concept.label, vocabulary=concept.vocabulary
                        ),
                    )
                    item.addChild(child)
                item.setExpanded(True)
            top.setExpanded(True)
        if report.unlinked:
            top = _row(
                [
                    self.tr("Match no concept ({n_unlinked}), most used first").format(
                        n_unlinked=len(report.unlinked)
                    ),
                    "",
                    "",
                ]
            )
            self.tree.addTopLevelItem(top)
            for count in report.unlinked[:SHOWN]:
                item = _row([count.label, str(count.records), ""], count.label)
                top.addChild(item)
            top.setExpanded(True)

    def selected_tag(self) -> tuple[str, str | None] | None:
        """(tag label, candidate URI when a candidate row is selected) of the selected row."""
        item = self.tree.currentItem()
        if item is None or not item.data(0, TAG_ROLE):
            return None
        uri = item.data(0, URI_ROLE)
        return str(item.data(0, TAG_ROLE)), str(uri) if uri else None

    def _selected(self) -> None:
        found = self.selected_tag()
        self.link_one.setEnabled(found is not None and (found[1] is not None or self.chosen is not None))
        self.unlink.setEnabled(found is not None)

    def _chosen(self, entry: Entry) -> None:
        self.chosen = entry if entry.concept is not None else None
        self._selected()

    def _link_one(self) -> None:
        found = self.selected_tag()
        if found is None:
            return
        label, uri = found
        if uri is None and self.chosen is not None and self.chosen.concept is not None:
            uri = self.chosen.concept.concept.uri
        if uri is not None:
            self.link_tag_requested.emit(label, uri)

    def _unlink(self) -> None:
        found = self.selected_tag()
        if found is not None:
            self.link_tag_requested.emit(found[0], None)


class VariantsTab(QWidget):
    """Variants of one tag ("woman", "Women", "Women."): preview, merge the checked groups, undo a merge."""

    preview_requested = Signal()
    merge_requested = Signal(list)  # the checked VariantGroups
    undo_requested = Signal(int)  # merge id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.groups: list[VariantGroup] = []
        self.find_button = QPushButton(self.tr("Find variants"))
        self.find_button.clicked.connect(self.preview_requested)
        self.summary = QLabel(self.tr("Find variants to see which tags are forms of one another."))
        self.summary.setWordWrap(True)
        self.tree = _tree([self.tr("Kept tag ← its variants"), self.tr("Photos"), self.tr("Why")])
        self.tree.setAccessibleName(self.tr("Tag variants to merge"))
        self.merge = QPushButton(self.tr("Merge the checked groups"))
        self.merge.setEnabled(False)
        self.merge.clicked.connect(self._merge)
        self.merges = _tree([self.tr("Merge"), self.tr("When"), self.tr("By"), self.tr("State")])
        self.merges.setAccessibleName(self.tr("Merges made"))
        self.undo = QPushButton(self.tr("Undo the selected merge"))
        self.undo.setEnabled(False)
        self.undo.clicked.connect(self._undo)
        layout = QVBoxLayout(self)
        layout.addLayout(_buttons(self.find_button))
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 3)
        layout.addLayout(_buttons(self.merge))
        layout.addWidget(
            QLabel(self.tr("Merges done (each is logged as decisions and can be undone as a whole):"))
        )
        layout.addWidget(self.merges, 1)
        layout.addLayout(_buttons(self.undo))

    def show_groups(self, groups: list[VariantGroup]) -> None:
        self.groups = groups
        self.tree.clear()
        for i, group in enumerate(groups):
            new = "" if group.target_exists else self.tr("  (the concept's preferred label, a new tag)")
            top = QTreeWidgetItem([f"{group.target}{new}", str(group.records), ""])
            top.setToolTip(1, self.tr("Photos carrying one of its variants: they get the kept tag instead"))
            top.setData(0, GROUP_ROLE, i)
            top.setFlags(top.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            top.setCheckState(0, Qt.CheckState.Checked)
            for v in group.variants:
                child = QTreeWidgetItem([f"← {v.label}", str(v.records), v.reason])
                child.setData(0, GROUP_ROLE, i)
                top.addChild(child)
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)
        n = sum(len(g.variants) for g in groups)
        self.summary.setText(
            self.tr(
                "{groups} groups, {n} variant tags. Uncheck a group to leave it as it is; the photos "
                "carrying a variant get the kept tag instead."
            ).format(groups=len(groups), n=n)
            if groups
            else self.tr("No variants: every tag is its own.")
        )
        self.merge.setEnabled(bool(groups))

    def checked(self) -> list[VariantGroup]:
        out = []
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item is not None and item.checkState(0) == Qt.CheckState.Checked:
                out.append(self.groups[int(item.data(0, GROUP_ROLE))])
        return out

    def _merge(self) -> None:
        chosen = self.checked()
        if chosen:
            self.merge_requested.emit(chosen)

    def show_merges(self, merges: list[MergeRecord]) -> None:
        self.merges.clear()
        for m in merges:
            what = "; ".join(f"{', '.join(v)} → {t}" for t, v in m.groups)
            item = QTreeWidgetItem(
                [
                    f"#{m.id}: {what}",
                    f"{m.at:%Y-%m-%d %H:%M}",
                    m.reviewer,
                    self.tr("undone") if m.undone else self.tr("merged"),
                ]
            )
            item.setData(0, GROUP_ROLE, m.id)
            item.setToolTip(
                0, self.tr("{what}\n{decisions} decisions logged").format(what=what, decisions=m.decisions)
            )
            self.merges.addTopLevelItem(item)
        self.undo.setEnabled(any(not m.undone for m in merges))

    def _undo(self) -> None:
        item = self.merges.currentItem()
        if item is None and self.merges.topLevelItemCount():
            item = self.merges.topLevelItem(0)  # the latest
        if item is not None:
            self.undo_requested.emit(int(item.data(0, GROUP_ROLE)))


class ConceptsTab(QWidget):
    """Find a concept, see its labels and neighbours, show the photos with it or a narrower one."""

    concept_requested = Signal(int)
    filter_requested = Signal(int, str)  # concept id, path

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(placeholderText=self.tr("Type a label: preferred or alternative…"))
        self.search.setAccessibleName(self.tr("Find a concept by its label"))
        self.completer = ConceptCompleter(self.search, self)
        self.completer.chosen.connect(self._chosen)
        self.details = QTextBrowser()
        self.details.setAccessibleName(self.tr("The concept's details"))
        self.details.setOpenLinks(False)
        self.details.anchorClicked.connect(self._anchor)
        self.shown: ConceptDetails | None = None
        self.path = ""
        self.filter = QPushButton(self.tr("Show the photos with this concept (and narrower ones)"))
        self.filter.setEnabled(False)
        self.filter.clicked.connect(self._filter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.details, 1)
        layout.addLayout(_buttons(self.filter))

    def _chosen(self, entry: Entry) -> None:
        if entry.concept is not None:
            self.concept_requested.emit(entry.concept.concept.id)

    def _anchor(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("concept:"):
            self.concept_requested.emit(int(text.partition(":")[2]))

    def show_concept(self, details: ConceptDetails, path: LabelConcept) -> None:
        self.shown, self.path = details, path.path()

        def links(concepts: list) -> str:
            return ", ".join(f"<a href='concept:{c.id}'>{escape(c.label)}</a>" for c in concepts) or "—"

        c = details.concept
        labels = "<br>".join(
            f"{kind.value}: {escape(text)}{f' @{lang}' if lang else ''}"
            for kind, text, lang in details.labels
        )
        self.details.setHtml(
            f"<h3>{escape(c.label)}</h3><p style='color:gray'>{escape(c.uri)}<br>{escape(c.vocabulary)}</p>"
            + self.tr(
                "<p><b>Path:</b> {path}</p><p><b>Broader:</b> {broader}<br>"
                "<b>Narrower:</b> {narrower}<br><b>Related:</b> {related}</p>"
                "<p><b>Labels</b><br>{labels}</p>"
            ).format(
                path=escape(path.path()),
                broader=links(details.broader),
                narrower=links(details.narrower),
                related=links(details.related),
                labels=labels,
            )
        )
        self.filter.setEnabled(True)

    def _filter(self) -> None:
        if self.shown is not None:
            self.filter_requested.emit(self.shown.concept.id, self.path)

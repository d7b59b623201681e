"""Vocabulary > Vocabularies…: the catalogue's vocabularies (import, enable/disable, remove), its tags'
links to concepts, variant merges and a concept browser, with the running job's progress and Cancel.

A view: it emits requests and ``gui/vocabulary_controller.py`` runs them in a worker. It is not
modal, so the main window stays usable while a long import runs; closing it while a job runs only
hides it (the job goes on and says in the status bar when it is done).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from heritage_tagger.domain.progress import Progress
from heritage_tagger.domain.vocabulary import VocabularyInfo
from heritage_tagger.gui.dialogs.vocabulary_tabs import ConceptsTab, LinksTab, VariantsTab
from heritage_tagger.gui.i18n import QT_TRANSLATE_NOOP

FILE_FILTER = QT_TRANSLATE_NOOP(
    "VocabulariesTab",
    "Vocabularies (*.ttl *.rdf *.xml *.owl *.nt *.tsv *.txt *.csv);;SKOS Turtle (*.ttl);;"
    "SKOS RDF/XML (*.rdf *.xml *.owl);;N-Triples (*.nt);;TSV (*.tsv *.txt);;CSV (*.csv);;All files (*)",
)
TABS = ("vocabularies", "links", "variants", "concepts")


class VocabulariesTab(QWidget):
    """The catalogue's vocabularies, with Import, Enable/Disable and Remove."""

    import_requested = Signal(str, str, str, bool, bool)  # path, name, language, replace, link
    active_requested = Signal(str, bool)  # name, active
    remove_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vocabularies: list[VocabularyInfo] = []
        self.table = QTreeWidget()
        self.table.setHeaderLabels(
            [
                self.tr("Vocabulary"),
                self.tr("Concepts"),
                self.tr("Language"),
                self.tr("Format"),
                self.tr("State"),
            ]
        )
        self.table.setRootIsDecorated(False)
        self.table.setAccessibleName(self.tr("Vocabularies"))
        self.table.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.currentItemChanged.connect(lambda *_: self._selected())
        self.name = QLineEdit(placeholderText=self.tr("its title, else the file's name"))
        self.language = QLineEdit(placeholderText=self.tr("the file's most common, e.g. en"))
        self.replace = QCheckBox(self.tr("Replace a vocabulary of the same name (tags stay linked by URI)"))
        self.link = QCheckBox(self.tr("Link the catalogue's tags to its concepts afterwards"))
        self.link.setChecked(True)
        self.import_button = QPushButton(self.tr("Import a vocabulary file…"))
        self.import_button.clicked.connect(lambda: self.ask_import())
        self.toggle = QPushButton(self.tr("Disable"))
        self.toggle.clicked.connect(self._toggle)
        self.remove = QPushButton(self.tr("Remove…"))
        self.remove.clicked.connect(lambda: self.request_remove())
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Language"), self.language)
        form.addRow("", self.replace)
        form.addRow("", self.link)
        buttons = QHBoxLayout()
        for b in (self.import_button, self.toggle, self.remove):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(QLabel(self.tr("<b>Import</b>: SKOS (Turtle, RDF/XML, N-Triples), TSV (&lt;URI&gt; tab label) "
                                        "or CSV (uri, pref_label, alt_labels, broader)")))  # fmt: skip
        layout.addLayout(form)
        self._selected()

    def show_vocabularies(self, found: list[VocabularyInfo]) -> None:
        current = self.selected()
        self.vocabularies = found
        self.table.clear()
        for v in found:
            state = self.tr("ready") if v.status == "ready" else self.tr("incomplete import")
            state += "" if v.is_active else self.tr(", disabled")
            item = QTreeWidgetItem(
                [v.name, f"{v.n_concepts:,}", v.language or self.tr("any"), v.format, state]
            )
            item.setToolTip(
                0,
                self.tr("{title}\n{scheme}\nfrom {source}").format(
                    title=v.title or v.name, scheme=v.scheme_uri or self.tr("no scheme URI"), source=v.source
                ),
            )
            self.table.addTopLevelItem(item)
            if current is not None and v.name == current.name:
                self.table.setCurrentItem(item)
        first = self.table.topLevelItem(0)
        if self.table.currentItem() is None and first is not None:
            self.table.setCurrentItem(first)
        self._selected()

    def selected(self) -> VocabularyInfo | None:
        item = self.table.currentItem()
        row = self.table.indexOfTopLevelItem(item) if item is not None else -1
        return self.vocabularies[row] if 0 <= row < len(self.vocabularies) else None

    def _selected(self) -> None:
        v = self.selected()
        self.toggle.setEnabled(v is not None)
        self.remove.setEnabled(v is not None)
        self.toggle.setText(self.tr("Enable") if v is not None and not v.is_active else self.tr("Disable"))

    def ask_import(self, path: str | None = None) -> None:
        """Ask for the file (unless given), then request its import with the options shown."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self, self.tr("Import a vocabulary"), "", self.tr(FILE_FILTER)
            )
        if path:
            self.import_requested.emit(
                path, self.name.text().strip(), self.language.text().strip(), self.replace.isChecked(),
                self.link.isChecked(),
            )  # fmt: skip

    def _toggle(self) -> None:
        v = self.selected()
        if v is not None:
            self.active_requested.emit(v.name, not v.is_active)

    def request_remove(self, confirm: bool = True) -> None:
        v = self.selected()
        if v is None:
            return
        if confirm:
            answer = QMessageBox.question(
                self, self.tr("Remove the vocabulary"),
                self.tr("Remove “{name}” ({n_concepts:,} concepts)? Tags linked to its concepts stay, unlinked.").format(name=v.name, n_concepts=v.n_concepts),
            )  # fmt: skip
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.remove_requested.emit(v.name)


class VocabularyDialog(QDialog):
    """The vocabulary manager; ``cancel_requested`` stops the running job."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Vocabularies"))
        self.resize(820, 620)
        self.vocabularies = VocabulariesTab()
        self.links = LinksTab()
        self.variants = VariantsTab()
        self.concepts = ConceptsTab()
        self.tabs = QTabWidget()
        for tab, title in (
            (self.vocabularies, self.tr("Vocabularies")),
            (self.links, self.tr("Tag links")),
            (self.variants, self.tr("Tag variants")),
            (self.concepts, self.tr("Concepts")),
        ):
            self.tabs.addTab(tab, title)
        self.job_label = QLabel()
        self.job_label.setObjectName("vocabularyJob")
        self.job_label.setWordWrap(True)
        self.bar = QProgressBar()
        self.cancel = QPushButton(self.tr("Cancel"))
        self.cancel.clicked.connect(self._cancel)
        job = QHBoxLayout()
        job.addWidget(self.job_label, 2)
        job.addWidget(self.bar, 1)
        job.addWidget(self.cancel)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(job)
        layout.addWidget(close)
        self.running = False
        self.job_finished("")

    def show_tab(self, name: str) -> None:
        self.tabs.setCurrentIndex(TABS.index(name) if name in TABS else 0)

    # --- the running job -----------------------------------------------------------------------
    def job_started(self, title: str) -> None:
        self.running = True
        for tab in (self.vocabularies, self.links, self.variants):
            tab.setEnabled(False)
        self.job_label.setText(self.tr("{title}…").format(title=title))
        self.bar.setRange(0, 0)
        self.bar.show()
        self.cancel.setEnabled(True)
        self.cancel.show()

    def job_progress(self, p: Progress) -> None:
        if not self.running:
            return
        if p.total:
            self.bar.setRange(0, p.total)
            self.bar.setValue(min(p.done, p.total))
        else:
            self.bar.setRange(0, 0)
        detail = (
            self.tr(": {done} of {total}").format(done=f"{p.done:,}", total=f"{p.total:,}") if p.total else ""
        )
        self.job_label.setText(f"{p.stage}{detail}" + (f" · {p.message[:60]}" if p.message else ""))

    def job_finished(self, text: str) -> None:
        self.running = False
        for tab in (self.vocabularies, self.links, self.variants):
            tab.setEnabled(True)
        self.job_label.setText(text)
        self.bar.hide()
        self.cancel.hide()

    def _cancel(self) -> None:
        self.cancel.setEnabled(False)
        self.job_label.setText(self.tr("Cancelling: finishing the current step…"))
        self.cancel_requested.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)  # hidden only: a running job goes on and reports in the status bar

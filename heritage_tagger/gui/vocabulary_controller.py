"""Vocabulary menu and what vocabularies add elsewhere: the manager dialog's requests (import, link,
merge, undo, enable/disable, remove, concept look-up) run in workers, long ones with progress and
Cancel; concept completion for any ``ConceptCompleter`` (the add-tag dialog's too); the selected tag's
concept and broader path under the detail pane's tags; the browser filtered by a concept."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from heritage_tagger.domain.errors import CancelledError
from heritage_tagger.domain.progress import CancelToken, ProgressCallback
from heritage_tagger.domain.vocabulary import LabelConcept
from heritage_tagger.gui.browse_controller import BrowseController
from heritage_tagger.gui.concept_completion import ConceptCompleter
from heritage_tagger.gui.controller import CatalogueHolder, Controller
from heritage_tagger.gui.detail_pane import DetailPane
from heritage_tagger.gui.dialogs.add_tag_dialog import AddTagDialog
from heritage_tagger.gui.dialogs.vocabulary_dialog import VocabularyDialog
from heritage_tagger.gui.filter_bar import FilterBar
from heritage_tagger.gui.i18n import QT_TRANSLATE_NOOP
from heritage_tagger.gui.preferences import Preferences
from heritage_tagger.gui.workers import JobFunction, TaskRunner, describe_error
from heritage_tagger.services import tag_links, tag_merge
from heritage_tagger.services import vocab_suggesting as suggesting
from heritage_tagger.services import vocabularies as vocab
from heritage_tagger.services.catalogue import Catalogue

if TYPE_CHECKING:
    from heritage_tagger.domain.vocabulary import Concept, ConceptDetails, VocabularyInfo
    from heritage_tagger.services.tag_links import LinkReport
    from heritage_tagger.services.tag_merge import MergeRecord, MergeReport
    from heritage_tagger.services.vocabularies import VocabularyImportReport
    from heritage_tagger.vocab.variants import VariantGroup

T = TypeVar("T")
Imported = tuple["VocabularyImportReport", "LinkReport | None", bool]  # report, links, linking cancelled


#: the nouns ``count`` says, singular and plural, for lupdate (context "Count")
COUNT_WORDS = (
    QT_TRANSLATE_NOOP("Count", "tag"), QT_TRANSLATE_NOOP("Count", "tags"),
    QT_TRANSLATE_NOOP("Count", "concept"), QT_TRANSLATE_NOOP("Count", "concepts"),
    QT_TRANSLATE_NOOP("Count", "label"), QT_TRANSLATE_NOOP("Count", "labels"),
    QT_TRANSLATE_NOOP("Count", "variant tag"), QT_TRANSLATE_NOOP("Count", "variant tags"),
    QT_TRANSLATE_NOOP("Count", "kept tag"), QT_TRANSLATE_NOOP("Count", "kept tags"),
    QT_TRANSLATE_NOOP("Count", "photo"), QT_TRANSLATE_NOOP("Count", "photos"),
    QT_TRANSLATE_NOOP("Count", "group"), QT_TRANSLATE_NOOP("Count", "groups"),
    QT_TRANSLATE_NOOP("Count", "photo tag"), QT_TRANSLATE_NOOP("Count", "photo tags"),
)  # fmt: skip


def count(n: int, word: str, plural: str | None = None) -> str:
    """ "1 photo", "2 photos" (the noun translated in the context "Count")."""
    return f"{n:,} {QCoreApplication.translate('Count', word if n == 1 else plural or word + 's')}"


def link_words(report: LinkReport) -> str:
    return QCoreApplication.translate(
        "VocabularyController",
        "linked {tags} to concepts ({unlinked} on photos match none, {ambiguous} name several)",
    ).format(tags=count(report.linked, "tag"), unlinked=len(report.unlinked), ambiguous=len(report.ambiguous))


class VocabularyController(Controller):
    """Owns the vocabulary manager (``dialog``) and the vocabulary's part of the detail pane."""

    changed = Signal()  # tags, links or vocabularies changed: lists, details and suggestions are stale

    def __init__(
        self,
        runner: TaskRunner,
        holder: CatalogueHolder,
        prefs: Preferences,
        selection: BrowseController,
        detail: DetailPane,
        filter_bar: FilterBar,
        parent: QWidget,
    ) -> None:
        super().__init__(runner, holder, parent)
        self.prefs, self.selection, self.detail, self.filter_bar = prefs, selection, detail, filter_bar
        self.dialog_parent = parent
        self.dialog: VocabularyDialog | None = None
        self.token: CancelToken | None = None  # the running long job's
        self.record_concepts: dict[str, LabelConcept] = {}
        self._record_id: int | None = None
        selection.details_shown.connect(self.show_record_concepts)
        detail.tags.currentRowChanged.connect(lambda _: self._tag_selected())
        detail.concept_path.concept_clicked.connect(self.filter_by_concept)

    # --- the manager dialog --------------------------------------------------------------------
    def manager(self, tab: str = "vocabularies") -> VocabularyDialog | None:
        """Vocabulary > Vocabularies… (and the other items: each opens its tab)."""
        if self.catalogue_or_say() is None:
            return None
        if self.dialog is None:
            self.dialog = self._build_dialog()
        self.dialog.show_tab(tab)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        self.refresh()
        return self.dialog

    def _build_dialog(self) -> VocabularyDialog:
        d = VocabularyDialog(self.dialog_parent)
        d.cancel_requested.connect(self.cancel)
        d.vocabularies.import_requested.connect(self.import_file)
        d.vocabularies.active_requested.connect(self.set_active)
        d.vocabularies.remove_requested.connect(self.remove)
        d.links.link_requested.connect(self.link)
        d.links.link_tag_requested.connect(self.link_tag)
        d.variants.preview_requested.connect(self.preview)
        d.variants.merge_requested.connect(self.confirm_merge)
        d.variants.undo_requested.connect(self.undo_merge)
        d.concepts.concept_requested.connect(self.show_concept)
        d.concepts.filter_requested.connect(self.filter_by_concept)
        for completer in (d.links.completer, d.concepts.completer):
            self.attach(completer)
        return d

    def refresh(self) -> None:
        """The vocabularies and the merges done, read again."""
        cat, dialog = self.holder.catalogue, self.dialog
        if cat is None or dialog is None:
            return

        def read() -> tuple[list[VocabularyInfo], list[MergeRecord]]:
            return vocab.list_vocabularies(cat), tag_merge.list_merges(cat)

        def done(found: tuple[list[VocabularyInfo], list[MergeRecord]]) -> None:
            dialog.vocabularies.show_vocabularies(found[0])
            dialog.variants.show_merges(found[1])

        self.runner.run(read, done, lambda exc: self.error.emit(describe_error(exc)))

    def reset(self) -> None:
        """Another catalogue: the manager starts afresh and nothing of the old one is shown."""
        if self.dialog is not None and not self.dialog.running:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
        self.record_concepts = {}
        self.detail.concept_path.show_concept(None)

    # --- long jobs -----------------------------------------------------------------------------
    def _long(self, title: str, work: JobFunction[T], done: Callable[[T], str], cancelled: str) -> bool:
        """Run ``work`` on the heavy worker with the dialog's progress and Cancel; False when one runs."""
        dialog = self.dialog
        if dialog is None:
            return False
        if self.token is not None:
            self.error.emit(self.tr("A vocabulary job is running: wait for it, or cancel it."))
            return False
        token = self.token = CancelToken()
        dialog.job_started(title)

        def ok(result: T) -> None:
            self.token = None
            text = done(result)
            dialog.job_finished(text)
            self.status.emit(text)
            self.changed.emit()
            self.refresh()

        def failed(exc: BaseException) -> None:
            self.token = None
            stopped = isinstance(exc, CancelledError)
            text = (
                cancelled
                if stopped
                else self.tr("{title}: {error}").format(title=title, error=describe_error(exc))
            )
            dialog.job_finished(text)
            (self.status if stopped else self.error).emit(text)
            self.changed.emit()
            self.refresh()

        self.runner.run(work, ok, failed, pool="heavy", on_progress=dialog.job_progress, cancel=token)
        return True

    def cancel(self) -> None:
        if self.token is not None:
            self.token.cancel()

    def import_file(self, path: str, name: str = "", language: str = "", replace: bool = False,
                    link: bool = True) -> bool:  # fmt: skip
        """Import a SKOS/TSV/CSV file, then (with ``link``) link the catalogue's tags to it."""
        cat = self.catalogue_or_say()
        if cat is None:
            return False

        def work(progress: ProgressCallback, cancel: CancelToken) -> Imported:
            report = vocab.import_vocabulary(
                cat, path, name=name or None, language=language or None, replace=replace, link=False,
                progress=progress, cancel=cancel,
            )  # fmt: skip
            if not link:
                return report, None, False
            try:
                return report, tag_links.link_tags(cat, progress=progress, cancel=cancel), False
            except CancelledError:
                return report, None, True

        def done(result: Imported) -> str:
            report, links, stopped = result
            v = report.vocabulary
            text = (
                self.tr("Replaced the vocabulary “{name}”: {concepts}, {labels}")
                if report.replaced
                else self.tr("Imported the vocabulary “{name}”: {concepts}, {labels}")
            ).format(
                name=v.name, concepts=count(report.concepts, "concept"), labels=count(report.labels, "label")
            )
            if links is not None and self.dialog is not None:
                self.dialog.links.show_report(links)
                text += f"; {link_words(links)}"
            if stopped:
                text += self.tr("; linking was cancelled (Tag links > Link tags now finishes it)")
            return text + "."

        return self._long(
            self.tr("Importing the vocabulary"),
            work,
            done,
            self.tr("Import cancelled: the vocabulary was not added."),
        )

    def link(self, relink: bool = False) -> bool:
        cat = self.catalogue_or_say()
        if cat is None:
            return False

        def work(progress: ProgressCallback, cancel: CancelToken) -> LinkReport:
            return tag_links.link_tags(cat, relink=relink, progress=progress, cancel=cancel)

        def done(report: LinkReport) -> str:
            if self.dialog is not None:
                self.dialog.links.show_report(report)
            return link_words(report).capitalize() + "."

        return self._long(
            self.tr("Linking tags"),
            work,
            done,
            self.tr("Linking cancelled: the tags linked so far stay linked."),
        )

    def confirm_merge(self, groups: list[VariantGroup]) -> None:
        n = sum(len(g.variants) for g in groups)
        records = sum(g.records for g in groups)
        answer = QMessageBox.question(
            self.dialog or self.dialog_parent, self.tr("Merge tag variants"),
            self.tr("Merge {variants} into {kept} ({photos} with a variant)? Every change is logged; Undo in "
                    "this tab reverses the whole merge.").format(
                variants=count(n, "variant tag"), kept=count(len(groups), "kept tag"), photos=count(records, "photo")
            ),
        )  # fmt: skip
        if answer == QMessageBox.StandardButton.Yes:
            self.merge(groups)

    def merge(self, groups: list[VariantGroup]) -> bool:
        cat = self.catalogue_or_say()
        if cat is None:
            return False
        who = self.prefs.reviewer

        def work(progress: ProgressCallback, cancel: CancelToken) -> MergeReport:
            return tag_merge.merge(cat, groups, who, progress=progress, cancel=cancel)

        def done(report: MergeReport) -> str:
            self.preview(announce=False)
            return self.tr(
                "Merged {groups} of tag variants (merge #{merge_id}): {moved} moved, {gone} gone. "
                "Undo in Tag variants."
            ).format(
                groups=count(report.groups, "group"), merge_id=report.merge_id,
                moved=count(report.records, "photo tag"), gone=count(len(report.removed_tags), "variant tag"),
            )  # fmt: skip

        return self._long(
            self.tr("Merging tag variants"), work, done, self.tr("Merge cancelled: nothing was changed.")
        )

    def undo_merge(self, merge_id: int) -> bool:
        cat = self.catalogue_or_say()
        if cat is None:
            return False
        who = self.prefs.reviewer

        def work(progress: ProgressCallback, cancel: CancelToken) -> MergeReport:
            return tag_merge.undo_merge(cat, who, merge_id)

        def done(report: MergeReport) -> str:
            self.preview(announce=False)
            return self.tr("Undid merge #{merge_id}: {photos} with their tags back.").format(
                merge_id=report.merge_id, photos=count(report.records, "photo")
            )

        return self._long(
            self.tr("Undoing the merge"),
            work,
            done,
            QCoreApplication.translate("BackgroundJobs", "Cancelled."),
        )

    # --- quick requests ------------------------------------------------------------------------
    def _quick(self, fn: Callable[[Catalogue], T], done: Callable[[T], str], *, write: bool = True) -> None:
        cat = self.catalogue_or_say()
        if cat is None:
            return

        def ok(result: T) -> None:
            text = done(result)
            if text:
                self.status.emit(text)
            if write:
                self.changed.emit()
                self.refresh()

        self.runner.run(
            lambda: fn(cat),
            ok,
            lambda exc: self.error.emit(describe_error(exc)),
            pool="write" if write else "read",
        )

    def set_active(self, name: str, active: bool) -> None:
        self._quick(
            lambda c: vocab.set_active(c, name, active),
            lambda v: (
                self.tr("The vocabulary “{name}” is in use.")
                if v.is_active
                else self.tr("The vocabulary “{name}” is set aside.")
            ).format(name=v.name),
        )

    def remove(self, name: str) -> None:
        self._quick(
            lambda c: vocab.remove_vocabulary(c, name),
            lambda v: self.tr("Removed the vocabulary “{name}”; its tags stay, unlinked.").format(
                name=v.name
            ),
        )

    def link_tag(self, label: str, uri: str | None) -> None:
        def done(concept: Concept | None) -> str:
            if concept is None:
                return self.tr("“{label}” is no longer linked to a concept.").format(label=label)
            return self.tr("Linked “{label}” to {label2} <{uri}>.").format(
                label=label, label2=concept.label, uri=concept.uri
            )

        self._quick(lambda c: tag_links.link_tag(c, label, uri), done)

    def preview(self, announce: bool = True) -> None:
        """The variant groups, read again (said in the status bar when ``announce``)."""
        dialog = self.dialog
        if dialog is None:
            return

        def done(groups: list[VariantGroup]) -> str:
            dialog.variants.show_groups(groups)
            return (
                self.tr("{groups} of tag variants found.").format(groups=count(len(groups), "group"))
                if announce
                else ""
            )

        self._quick(tag_merge.preview, done, write=False)

    def show_concept(self, concept_id: int) -> None:
        dialog = self.dialog
        if dialog is None:
            return

        def read(c: Catalogue) -> tuple[ConceptDetails, LabelConcept]:
            details = vocab.concept_details(c, concept_id)
            path = vocab.broader_path(c, concept_id)
            return details, LabelConcept(details.concept.label, details.concept, tuple(path))

        def done(found: tuple[ConceptDetails, LabelConcept]) -> str:
            dialog.concepts.show_concept(*found)
            return self.tr("Concept {path}.").format(path=found[1].path())

        self._quick(read, done, write=False)

    # --- completion, the detail pane, the filter -------------------------------------------------
    def attach(self, completer: ConceptCompleter) -> None:
        """Answer ``completer``'s look-ups with the vocabularies' concepts (in a worker)."""
        completer.looks_up = True

        def wanted(prefix: str) -> None:
            cat = self.holder.catalogue
            if cat is not None:
                self.runner.run(
                    lambda: suggesting.complete_concepts(cat, prefix),
                    lambda found: completer.show_entries(prefix, found),
                    lambda exc: self.error.emit(describe_error(exc)),
                )

        completer.wanted.connect(wanted)

    def attach_add_tag(self, dialog: AddTagDialog) -> None:
        self.attach(dialog.completer)

    def show_record_concepts(self, record_id: int) -> None:
        """The record's details are shown: read its tags' concepts, then mark them in the tag list."""
        details, cat = self.selection.details, self.holder.catalogue
        if details is None or cat is None or details.record.id != record_id:
            return
        labels = [t.label for t in details.record.tags]

        def done(found: dict[str, LabelConcept]) -> None:
            if self.selection.current_id != record_id:
                return
            self._record_id, self.record_concepts = record_id, found
            for row, tag in enumerate(self.detail.tags.tags):
                item = self.detail.tags.item(row)
                concept = found.get(tag.label)
                if item is not None and concept is not None:
                    item.setToolTip(f"{concept.path()}\n{concept.concept.uri}")
            self._tag_selected()

        self.runner.run(lambda: suggesting.label_concepts(cat, labels), done)

    def _tag_selected(self) -> None:
        label = self.detail.tags.current_label()
        same = self._record_id is not None and self._record_id == self.detail.record_id
        found = self.record_concepts.get(label) if label is not None and same else None
        self.detail.concept_path.show_concept(found)

    def filter_by_concept(self, concept_id: int, path: str = "") -> None:
        """Show only the photos carrying a tag linked to the concept or to a narrower one."""
        self.filter_bar.set_concept(concept_id, path)
        self.status.emit(
            self.tr("Showing the photos with {concept} or a narrower concept.").format(
                concept=path or self.tr("the concept")
            )
        )

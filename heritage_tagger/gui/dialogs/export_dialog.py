"""File > Export…: format, which records (whole catalogue, current filter, selected photos, a batch), options, output."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSettings
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from heritage_tagger.services.export_request import BrowseFilter, ExportRequest, RecordScope, ScopeKind

CONTEXT = "ExportDialog"
#: format value -> its name in the format list
FORMATS = {
    "csv": QT_TRANSLATE_NOOP("ExportDialog", "CSV (spreadsheet)"),
    "dc-xml": QT_TRANSLATE_NOOP("ExportDialog", "Dublin Core XML (oai_dc)"),
    "dc-jsonld": QT_TRANSLATE_NOOP("ExportDialog", "DC terms JSON-LD (subjects with URIs)"),
    "xmp": QT_TRANSLATE_NOOP("ExportDialog", "XMP sidecars (one file per photo)"),
}
SUFFIXES = {"csv": ".csv", "dc-xml": ".xml", "dc-jsonld": ".jsonld"}
SCOPES = (ScopeKind.ALL, ScopeKind.FILTER, ScopeKind.SELECTION, ScopeKind.BATCH)
KEY = "export/"  # QSettings group of the last choices


@dataclass(frozen=True)
class ExportContext:
    """What the window knows when the dialog opens: its filter, the selected photos, the import batches."""

    browse_filter: BrowseFilter = field(default_factory=BrowseFilter)
    filter_count: int | None = None  # None: not counted yet
    selected_ids: tuple[int, ...] = ()
    batches: tuple[tuple[int, str], ...] = ()  # (id, label), newest first
    total: int | None = None  # records in the catalogue


STATE_WORDS = {
    "untagged": QT_TRANSLATE_NOOP("ExportDialog", "untagged"),
    "pending": QT_TRANSLATE_NOOP("ExportDialog", "with pending suggestions"),
    "needs_review": QT_TRANSLATE_NOOP("ExportDialog", "not reviewed yet"),
    "reviewed": QT_TRANSLATE_NOOP("ExportDialog", "reviewed"),
}
SHORT = 60  # characters of a filter's description shown beside its radio button (all of it on hover)


def filter_words(flt: BrowseFilter) -> str:
    """What a browser filter asks for, in a few words ("" for none: every photo)."""
    parts = []
    if flt.text.strip():
        parts.append(
            QCoreApplication.translate("ExportDialog", "text “{text}”").format(text=flt.text.strip())
        )
    if flt.tag.strip():
        tag = (
            QCoreApplication.translate("ExportDialog", "tag or suggestion “{tag}”")
            if flt.tag_suggested
            else QCoreApplication.translate("ExportDialog", "tag “{tag}”")
        )
        parts.append(tag.format(tag=flt.tag.strip()))
    if flt.location.strip():
        parts.append(
            QCoreApplication.translate("ExportDialog", "location “{place}”").format(
                place=flt.location.strip()
            )
        )
    if str(flt.state) in STATE_WORDS:
        parts.append(QCoreApplication.translate(CONTEXT, str(STATE_WORDS[str(flt.state)])))
    if flt.batch_id is not None:
        parts.append(QCoreApplication.translate("ExportDialog", "batch #{id}").format(id=flt.batch_id))
    if flt.concept_id is not None:
        parts.append(QCoreApplication.translate("ExportDialog", "a concept and those under it"))
    return ", ".join(parts)


def format_name(fmt: str) -> str:
    return QCoreApplication.translate(CONTEXT, str(FORMATS.get(fmt, fmt)))


class ExportDialog(QDialog):
    """The export's choices; ``request()`` is the ``ExportRequest`` they make (None while incomplete)."""

    def __init__(
        self,
        context: ExportContext,
        settings: QSettings | None = None,
        fmt: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context, self.settings = context, settings
        self._wanted_scope: ScopeKind | None = None
        self.setWindowTitle(self.tr("Export"))
        self.format = QComboBox()
        for value in FORMATS:
            self.format.addItem(format_name(value), value)
        self.format.setAccessibleName(self.tr("Format"))
        # which records
        self.scope_group = QButtonGroup(self)
        self.scope_all = QRadioButton(self.tr("Whole catalogue"))
        self.scope_filter = QRadioButton(self.tr("Current filter"))
        self.scope_selection = QRadioButton(self.tr("Selected photos"))
        self.scope_batch = QRadioButton(self.tr("Imported batch:"))
        self.batch = QComboBox()
        self.batch.setAccessibleName(self.tr("Imported batch"))
        for kind, button in zip(SCOPES, self.scope_buttons(), strict=True):
            self.scope_group.addButton(button)
            button.setObjectName(f"scope_{kind.value}")
        self.scope_all.setChecked(True)
        # options
        self.suggestions = QCheckBox(self.tr("Include pending suggestions (with their scores)"))
        self.excel_safe = QCheckBox(
            self.tr("Excel-safe (UTF-8 mark; cells that look like formulas are quoted)")
        )
        self.base_uri = QLineEdit()
        self.base_uri.setAccessibleName(self.tr("Base URI"))
        self.base_uri.setPlaceholderText(
            self.tr("Optional: https://example.org/records/ gives each record a URI")
        )
        self.beside = QCheckBox(self.tr("Write each sidecar beside its image"))
        self.output = QLineEdit()
        self.output.setAccessibleName(self.tr("Output"))
        self.browse_button = QPushButton(self.tr("Browse…"))
        self.browse_button.setAccessibleName(self.tr("Browse for the output"))
        self.browse_button.clicked.connect(self._browse)
        self.error = QLabel("")
        self.error.setObjectName("exportError")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.export_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.export_button.setText(self.tr("Export"))
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        self.format.currentIndexChanged.connect(self._format_changed)
        self.beside.toggled.connect(self._update_enabled)
        self.scope_group.buttonToggled.connect(lambda *_: self._update_enabled())
        self.set_counts(context.filter_count, context.batches, context.total)
        self._restore(fmt)
        self._format_changed()
        self.setMinimumWidth(600)

    def _lay_out(self) -> None:
        scopes = QWidget()
        grid = QGridLayout(scopes)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.scope_all, 0, 0, 1, 2)
        grid.addWidget(self.scope_filter, 1, 0, 1, 2)
        grid.addWidget(self.scope_selection, 2, 0, 1, 2)
        grid.addWidget(self.scope_batch, 3, 0)
        grid.addWidget(self.batch, 3, 1)
        grid.setColumnStretch(1, 1)
        output = QWidget()
        row = QHBoxLayout(output)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.output, 1)
        row.addWidget(self.browse_button)
        form = QFormLayout(self)
        self.output_label = QLabel(self.tr("Output file"))
        self.output_label.setBuddy(self.output)
        base_label = QLabel(self.tr("Base URI"))
        base_label.setBuddy(self.base_uri)
        format_label = QLabel(self.tr("&Format"))
        format_label.setBuddy(self.format)
        form.addRow(format_label, self.format)
        form.addRow(self.tr("Photos"), scopes)
        form.addRow(self.suggestions)
        form.addRow(self.excel_safe)
        form.addRow(base_label, self.base_uri)
        form.addRow(self.beside)
        form.addRow(self.output_label, output)
        form.addRow(self.error)
        form.addRow(self.buttons)

    def scope_buttons(self) -> tuple[QRadioButton, ...]:
        return (self.scope_all, self.scope_filter, self.scope_selection, self.scope_batch)

    # --- what the window knows ---------------------------------------------------------------
    def set_counts(
        self, filter_count: int | None, batches: tuple[tuple[int, str], ...] | list[tuple[int, str]],
        total: int | None = None,
    ) -> None:  # fmt: skip
        """Show how many photos each scope holds (the filter is counted in a worker) and the batches."""
        if total is not None:
            self.scope_all.setText(self.tr("Whole catalogue ({n} photos)").format(n=f"{total:,}"))
        if filter_count is None:
            text = self.tr("Current filter (counting…)")
        else:
            text = self.tr("Current filter ({n} photos)").format(n=f"{filter_count:,}")
        words = filter_words(self.context.browse_filter)
        if words:
            short = words if len(words) <= SHORT else words[: SHORT - 1] + "…"
            text = self.tr("{scope}: {filter}").format(scope=text, filter=short)
        self.scope_filter.setText(text)
        self.scope_filter.setToolTip(words or self.tr("No filter: every photo"))
        self.scope_filter.setAccessibleDescription(words or self.tr("No filter: every photo"))
        selected = len(self.context.selected_ids)
        self.scope_selection.setText(self.tr("Selected photos ({n})").format(n=selected))
        self.scope_selection.setEnabled(selected > 0)
        chosen = self.batch.currentData()
        self.batch.clear()
        for batch_id, label in batches:
            self.batch.addItem(label, batch_id)
        if chosen is not None and self.batch.findData(chosen) >= 0:
            self.batch.setCurrentIndex(self.batch.findData(chosen))
        self.scope_batch.setEnabled(self.batch.count() > 0)
        if self._wanted_scope is not None and self.set_scope(self._wanted_scope):
            self._wanted_scope = None
        checked = self.scope_group.checkedButton()
        if checked is None or not checked.isEnabled():
            self.scope_all.setChecked(True)
        self._update_enabled()

    # --- choices -----------------------------------------------------------------------------
    @property
    def fmt(self) -> str:
        return str(self.format.currentData())

    def scope_kind(self) -> ScopeKind:
        for kind, button in zip(SCOPES, self.scope_buttons(), strict=True):
            if button.isChecked():
                return kind
        return ScopeKind.ALL

    def set_scope(self, kind: ScopeKind | str) -> bool:
        """Choose a scope; False when it is not available (no selection, no batch)."""
        button = dict(zip(SCOPES, self.scope_buttons(), strict=True))[ScopeKind(kind)]
        if not button.isEnabled():
            return False
        button.setChecked(True)
        return True

    def scope(self) -> RecordScope:
        kind = self.scope_kind()
        if kind is ScopeKind.FILTER:
            return RecordScope.matching(self.context.browse_filter)
        if kind is ScopeKind.SELECTION:
            return RecordScope.selected(self.context.selected_ids)
        if kind is ScopeKind.BATCH and self.batch.currentData() is not None:
            return RecordScope.batch(int(self.batch.currentData()))
        return RecordScope()

    def _format_changed(self) -> None:
        fmt = self.fmt
        text = self.output.text().strip()
        if fmt == "xmp":
            self.output_label.setText(self.tr("Folder"))
            if Path(text).suffix in SUFFIXES.values():
                self.output.setText(str(Path(text).parent))
        else:
            self.output_label.setText(self.tr("Output file"))
            suffix = SUFFIXES[fmt]
            if text and Path(text).suffix in SUFFIXES.values():
                self.output.setText(str(Path(text).with_suffix(suffix)))
            elif text and Path(text).suffix == "":
                self.output.setText(str(Path(text) / f"catalogue{suffix}"))
        self._update_enabled()

    def _update_enabled(self) -> None:
        """Options that do not apply to the chosen format are disabled (their values are kept)."""
        fmt = self.fmt
        self.suggestions.setEnabled(fmt != "xmp")
        self.excel_safe.setEnabled(fmt == "csv")
        self.base_uri.setEnabled(fmt == "dc-jsonld")
        self.beside.setEnabled(fmt == "xmp")
        writes_output = fmt != "xmp" or not self.beside.isChecked()
        self.output.setEnabled(writes_output)
        self.browse_button.setEnabled(writes_output)
        self.batch.setEnabled(self.scope_batch.isEnabled() and self.scope_batch.isChecked())

    def _browse(self) -> None:
        current = self.output.text().strip()
        if self.fmt == "xmp":
            folder = QFileDialog.getExistingDirectory(self, self.tr("Folder for the XMP sidecars"), current)
            if folder:
                self.output.setText(folder)
            return
        suffix = SUFFIXES[self.fmt]
        start = current or str(Path.home() / f"catalogue{suffix}")
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export to"), start, self.tr("{name} files (*{suffix})").format(
                name=format_name(self.fmt), suffix=suffix)
        )  # fmt: skip
        if path:
            self.output.setText(path if Path(path).suffix else path + suffix)

    def request(self) -> ExportRequest | None:
        """The export the choices make; None (and the reason shown) when the output is missing."""
        fmt = self.fmt
        text = self.output.text().strip()
        if fmt == "xmp" and self.beside.isChecked():
            output: Path | None = None
        elif not text:
            self.error.setText(
                self.tr("Choose a folder for the sidecars.")
                if fmt == "xmp"
                else self.tr("Choose a file to export to.")
            )
            return None
        else:
            output = Path(text).expanduser()
            if fmt != "xmp" and output.is_dir():
                self.error.setText(self.tr("{path} is a folder: choose a file name.").format(path=output))
                return None
            if fmt != "xmp" and not output.parent.is_dir():
                self.error.setText(self.tr("The folder {path} does not exist.").format(path=output.parent))
                return None
        return ExportRequest(
            format=fmt,
            output=output,
            scope=self.scope(),
            include_suggestions=fmt != "xmp" and self.suggestions.isChecked(),
            excel_safe=fmt == "csv" and self.excel_safe.isChecked(),
            base_uri=(self.base_uri.text().strip() or None) if fmt == "dc-jsonld" else None,
        )

    def _try_accept(self) -> None:
        if self.request() is None:
            return
        self._remember()
        self.accept()

    # --- the last choices (QSettings) ---------------------------------------------------------
    def _restore(self, fmt: str | None) -> None:
        s = self.settings
        if s is None:
            if fmt is not None:
                self.format.setCurrentIndex(max(0, self.format.findData(fmt)))
            return
        wanted = fmt or str(s.value(KEY + "format", "csv"))
        self.format.setCurrentIndex(max(0, self.format.findData(wanted)))
        kind = str(s.value(KEY + "scope", ScopeKind.ALL.value))
        if kind in {k.value for k in SCOPES} and not self.set_scope(kind):
            self._wanted_scope = ScopeKind(kind)  # a batch: chosen once the batches are listed
        self.suggestions.setChecked(_flag(s.value(KEY + "include_suggestions")))
        self.excel_safe.setChecked(_flag(s.value(KEY + "excel_safe")))
        self.beside.setChecked(_flag(s.value(KEY + "beside")))
        self.base_uri.setText(str(s.value(KEY + "base_uri", "") or ""))
        self.output.setText(str(s.value(KEY + f"output/{self.fmt}", "") or ""))

    def _remember(self) -> None:
        s = self.settings
        if s is None:
            return
        s.setValue(KEY + "format", self.fmt)
        s.setValue(KEY + "scope", self.scope_kind().value)
        s.setValue(KEY + "include_suggestions", self.suggestions.isChecked())
        s.setValue(KEY + "excel_safe", self.excel_safe.isChecked())
        s.setValue(KEY + "beside", self.beside.isChecked())
        s.setValue(KEY + "base_uri", self.base_uri.text().strip())
        s.setValue(KEY + f"output/{self.fmt}", self.output.text().strip())
        s.sync()


def _flag(value: object) -> bool:
    """A QSettings boolean (INI files give back "true"/"false" strings)."""
    return value is True or str(value).lower() in ("true", "1")

"""Export use case: stream the catalogue's records out of the database into an exporter (CSV, DC XML, JSON-LD)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TextIO

from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.domain.records import TagState
from heritage_tagger.export import ExportError, ExportFormat, atomic_text_file, parse_format, write_records
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.cleanup import export_note
from heritage_tagger.services.records import count_records, iter_records

PROGRESS_EVERY = 500
UTF8_BOM = "\ufeff"


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote and where."""

    format: str
    output: str
    records: int
    subjects: int
    suggestions: int

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def exported_states(include_suggestions: bool) -> frozenset[TagState]:
    """Tag states read for an export: catalogued and accepted, plus suggested on request; never rejected."""
    states = {TagState.CATALOGUED, TagState.ACCEPTED}
    if include_suggestions:
        states.add(TagState.SUGGESTED)
    return frozenset(states)


def _refuse_catalogue_files(catalogue: Catalogue, output: Path) -> None:
    """Refuse an output path that is the catalogue itself (or its WAL files) or inside its workspace."""
    target = output.expanduser().resolve()
    own = {
        catalogue.path,
        *(catalogue.path.with_name(catalogue.path.name + s) for s in ("-wal", "-shm", "-journal")),
    }
    if target in own:
        raise ExportError(f"Cannot export to {output}: that is the catalogue's own database file.")
    if target.is_relative_to(catalogue.workspace.root.resolve()):
        raise ExportError(f"Cannot export to {output}: that is inside the catalogue's workspace folder.")


def export_catalogue(
    catalogue: Catalogue,
    fmt: ExportFormat | str,
    output: Path | str | TextIO,
    include_suggestions: bool = False,
    excel_safe: bool = False,
    *,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
    chunk_size: int = 500,
) -> ExportSummary:
    """Export every record of ``catalogue`` in ``fmt`` to ``output`` (a file path, or an open text stream).

    A file is written beside its target and moved into place only when complete, so a failure
    or a cancellation never leaves a half-written export (an existing file stays as it was).
    Records are read in chunks of ``chunk_size``, so memory stays bounded for large catalogues.
    ``excel_safe`` (CSV only) neutralises formula-like cells and starts the file with a UTF-8
    byte-order mark, which Excel needs to read non-ASCII text correctly.
    """
    fmt = parse_format(fmt)
    if isinstance(output, str | Path):
        _refuse_catalogue_files(catalogue, Path(output))
    states = exported_states(include_suggestions)
    bom = UTF8_BOM if (fmt is ExportFormat.CSV and excel_safe) else ""
    stage = f"Exporting {fmt.value}"
    with catalogue.session() as session:
        total = count_records(session)
        progress(Progress(stage, 0, total))

        def on_record(done: int) -> None:
            if cancel is not None:
                cancel.check()
            if done % PROGRESS_EVERY == 0 or done == total:
                progress(Progress(stage, done, total))

        def write(stream: TextIO) -> ExportSummary:
            stream.write(bom)
            counts = write_records(
                fmt,
                iter_records(session, states=states, chunk_size=chunk_size),
                stream,
                include_suggestions=include_suggestions,
                excel_safe=excel_safe,
                on_record=on_record,
            )
            return ExportSummary(
                format=fmt.value,
                output=str(output)
                if isinstance(output, str | Path)
                else str(getattr(stream, "name", "<stream>")),
                records=counts.records,
                subjects=counts.subjects,
                suggestions=counts.suggestions,
            )

        if isinstance(output, str | Path):
            with (
                export_note(catalogue) as remember,
                atomic_text_file(output, encoding="utf-8", newline="", on_temp=remember) as stream,
            ):
                summary = write(stream)
        else:
            try:
                summary = write(output)
                output.flush()
            except OSError as exc:
                name = getattr(output, "name", None)
                name = "standard output" if name in (None, "<stdout>") else name
                raise ExportError(f"Cannot write the export to {name}: {exc.strerror or exc}.") from exc
    progress(Progress(stage, summary.records, total, f"{summary.records} records"))
    return summary

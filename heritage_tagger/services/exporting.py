"""Export use case: stream the catalogue's records out of the database into an exporter (CSV, DC XML,
JSON-LD, XMP sidecars), each chunk of records completed with its subjects' concept URIs, preferred
labels and broader paths, their provenance from the decisions log, and the date's ISO 8601 / EDTF form."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TextIO

from heritage_tagger.db import records as record_rows
from heritage_tagger.db import vocabularies as vdb
from heritage_tagger.db.engine import Session
from heritage_tagger.db.records import count_records, iter_records
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.domain.records import Record, TagState
from heritage_tagger.export import (
    ExportError,
    ExportFormat,
    atomic_text_file,
    check_base_uri,
    parse_format,
    write_records,
)
from heritage_tagger.export.xmp import write_sidecars
from heritage_tagger.ingest.dates import edtf_date
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.cleanup import export_note
from heritage_tagger.services.export_request import FORMAT_NAMES, ExportRequest, RecordScope
from heritage_tagger.services.provenance import provenance_for, provenance_of
from heritage_tagger.services.vocabularies import broader_paths

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
    skipped: list[tuple[str, str]] = field(default_factory=list)  # XMP: (identifier, reason)

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


def _chunks(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    chunk: list[Record] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _with_files(catalogue: Catalogue, records: Iterable[Record]) -> Iterator[Record]:
    """Records whose image paths are the files on this computer (a team catalogue's are relative to its media root)."""
    for record in records:
        yield dataclasses.replace(record, source_path=catalogue.file_path(record.source_path))


def completed_records(session: Session, records: Iterable[Record], chunk_size: int = 500) -> Iterator[Record]:
    """``records`` with what exports add: each tag's concept (URI, preferred label, broader labels) or
    its own ``tags.uri``, each tag's provenance, the record's normalised date and last change."""
    for chunk in _chunks(records, chunk_size):
        ids = [r.id for r in chunk if r.id is not None]
        labels = list({t.label for r in chunk for t in r.tags})
        links = vdb.tag_concepts(session, labels)
        paths = broader_paths(session, [c for _, c, _ in links.values() if c is not None])
        found = provenance_for(session, ids)
        updated = record_rows.updated_at(session, ids)
        for record in chunk:
            tags = []
            for tag in record.tags:
                uri, concept_id, pref = links.get(tag.label, (None, None, None))
                broader = tuple(c.label for c in paths.get(concept_id, [])) if concept_id is not None else ()
                prov = (
                    provenance_of(found, record.id or 0, tag.label, tag.state, tag.model_version)
                    if tag.state in (TagState.CATALOGUED, TagState.ACCEPTED)
                    else None
                )
                tags.append(
                    dataclasses.replace(tag, uri=uri, concept_label=pref, broader=broader, provenance=prov)
                )
            yield dataclasses.replace(
                record,
                tags=tags,
                date_normalised=edtf_date(record.date),
                updated_at=updated.get(record.id or 0),
            )


def export_catalogue(
    catalogue: Catalogue,
    fmt: ExportFormat | str,
    output: Path | str | TextIO | None,
    include_suggestions: bool = False,
    excel_safe: bool = False,
    *,
    base_uri: str | None = None,
    oai_pmh: bool = False,
    bom: bool = False,
    scope: RecordScope | None = None,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
    chunk_size: int = 500,
) -> ExportSummary:
    """``run_export`` with the request's fields as arguments (the whole catalogue unless ``scope``)."""
    request = ExportRequest(
        format=parse_format(fmt).value,
        output=output,
        scope=scope or RecordScope(),
        include_suggestions=include_suggestions,
        excel_safe=excel_safe,
        base_uri=base_uri,
        oai_pmh=oai_pmh,
        bom=bom,
    )
    return run_export(catalogue, request, progress=progress, cancel=cancel, chunk_size=chunk_size)


def run_export(
    catalogue: Catalogue,
    request: ExportRequest,
    *,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
    chunk_size: int = 500,
) -> ExportSummary:
    """Export the records of ``request.scope`` in ``request.format`` to ``request.output``.

    A file is written beside its target and moved into place only when complete, so a failure
    or a cancellation never leaves a half-written export (an existing file stays as it was).
    Records are read in chunks of ``chunk_size`` (the scope is a condition of that same query), so
    memory stays bounded for large catalogues. ``excel_safe`` (CSV only) neutralises formula-like
    cells and starts the file with a UTF-8 byte-order mark, which Excel needs to read non-ASCII
    text correctly; ``bom`` adds the mark alone (any text format). ``base_uri`` (default:
    ``settings.export.base_uri``) gives JSON-LD records an ``@id`` and names the OAI-PMH repository;
    ``oai_pmh`` wraps dc-xml as a ``ListRecords`` response. For ``xmp``, ``output`` is the folder that
    receives one sidecar per record, or None to write each beside its image; sidecars not ours are
    never overwritten.
    """
    fmt = parse_format(request.format)
    output, scope = request.output, request.scope
    base = check_base_uri(
        catalogue.settings.export.base_uri if request.base_uri is None else request.base_uri
    )
    if fmt is ExportFormat.XMP:
        if output is not None and not isinstance(output, str | Path):
            raise ExportError("XMP sidecars go into a folder (or beside the images), not to a stream.")
        folder = None if output is None else Path(output)
        return _export_xmp(catalogue, folder, scope, progress, cancel, chunk_size)
    if output is None or output == "":
        raise ExportError(f"Give a file to export {fmt.value} to.")
    if isinstance(output, str | Path):
        _refuse_catalogue_files(catalogue, Path(output))
    include_suggestions, excel_safe = request.include_suggestions, request.excel_safe
    states = exported_states(include_suggestions)
    mark = UTF8_BOM if request.bom or (fmt is ExportFormat.CSV and excel_safe) else ""
    stage = f"Exporting {FORMAT_NAMES.get(fmt.value, fmt.value)}"
    with catalogue.session() as session:
        total = count_records(session, scope)
        progress(Progress(stage, 0, total, f"0 of {total} records"))
        on_record = _progress_every(stage, total, progress, cancel)

        def write(stream: TextIO) -> ExportSummary:
            stream.write(mark)
            records = completed_records(
                session,
                _with_files(
                    catalogue, iter_records(session, states=states, chunk_size=chunk_size, scope=scope)
                ),
                chunk_size,
            )
            counts = write_records(
                fmt,
                records,
                stream,
                include_suggestions=include_suggestions,
                excel_safe=excel_safe,
                base_uri=base,
                oai_pmh=request.oai_pmh,
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


def _progress_every(
    stage: str, total: int, progress: ProgressCallback, cancel: CancelToken | None
) -> Callable[[int], None]:
    """An ``on_record`` callback: checks ``cancel`` at every record, reports every ``PROGRESS_EVERY``."""

    def on_record(done: int) -> None:
        if cancel is not None:
            cancel.check()
        if done % PROGRESS_EVERY == 0 or done == total:
            progress(Progress(stage, done, total, f"{done} of {total} records"))

    return on_record


def _export_xmp(
    catalogue: Catalogue,
    folder: Path | None,
    scope: RecordScope,
    progress: ProgressCallback,
    cancel: CancelToken | None,
    chunk_size: int,
) -> ExportSummary:
    if folder is not None:
        _refuse_catalogue_files(catalogue, folder)
    stage = "Writing XMP sidecars"
    with catalogue.session() as session:
        total = count_records(session, scope)
        progress(Progress(stage, 0, total, f"0 of {total} records"))
        on_record = _progress_every(stage, total, progress, cancel)
        states = exported_states(False)
        records = completed_records(
            session,
            _with_files(catalogue, iter_records(session, states=states, chunk_size=chunk_size, scope=scope)),
            chunk_size,
        )
        result = write_sidecars(records, folder, on_record=on_record)
    progress(Progress(stage, total, total, f"{result.written} sidecars"))
    return ExportSummary(
        format=ExportFormat.XMP.value,
        output=str(folder) if folder is not None else "beside the images",
        records=result.written,
        subjects=result.subjects,
        suggestions=0,
        skipped=result.skipped,
    )

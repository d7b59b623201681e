"""CSV, Dublin Core (oai_dc XML, DC terms JSON-LD) and XMP sidecar export from plain domain records."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TextIO

from heritage_tagger.domain.records import Record
from heritage_tagger.export.atomic import ExportError, atomic_text_file
from heritage_tagger.export.common import ExportCounts, ExportFormat, check_base_uri
from heritage_tagger.export.csv_export import write_csv
from heritage_tagger.export.dc_jsonld import write_dc_jsonld
from heritage_tagger.export.dc_xml import write_dc_xml

__all__ = [
    "ExportCounts",
    "ExportError",
    "ExportFormat",
    "atomic_text_file",
    "check_base_uri",
    "parse_format",
    "write_records",
]


def parse_format(fmt: ExportFormat | str) -> ExportFormat:
    """``fmt`` as an :class:`ExportFormat`, or an :class:`ExportError` naming the formats there are."""
    try:
        return ExportFormat(fmt)
    except ValueError:
        names = ", ".join(f.value for f in ExportFormat)
        raise ExportError(f"Unknown export format {fmt!r}; choose one of {names}.") from None


def write_records(
    fmt: ExportFormat | str,
    records: Iterable[Record],
    stream: TextIO,
    *,
    include_suggestions: bool = False,
    excel_safe: bool = False,
    base_uri: str = "",
    oai_pmh: bool = False,
    on_record: Callable[[int], None] | None = None,
) -> ExportCounts:
    """Write ``records`` (consumed once, as they come) to ``stream`` in ``fmt``; CSV needs ``newline=""``.

    ``excel_safe`` applies to CSV only (XML and JSON-LD are not opened by spreadsheets as formulas);
    ``base_uri`` to JSON-LD (record ``@id``) and the OAI-PMH wrapper; ``oai_pmh`` to dc-xml. XMP
    sidecars are files, not a stream: see :func:`heritage_tagger.export.xmp.write_sidecars`.
    """
    fmt = parse_format(fmt)
    base_uri = check_base_uri(base_uri)
    if fmt is ExportFormat.XMP:
        raise ExportError("XMP sidecars are written one file per record into a folder, not to one stream.")
    if fmt is ExportFormat.CSV:
        return write_csv(
            records,
            stream,
            include_suggestions=include_suggestions,
            excel_safe_cells=excel_safe,
            on_record=on_record,
        )
    if fmt is ExportFormat.DC_XML:
        return write_dc_xml(
            records, stream, include_suggestions=include_suggestions, oai_pmh=oai_pmh, base_uri=base_uri,
            on_record=on_record,
        )  # fmt: skip
    return write_dc_jsonld(
        records, stream, include_suggestions=include_suggestions, base_uri=base_uri, on_record=on_record
    )

"""What one export is asked to do (format, output, scope, options): the value the CLI and the GUI both build."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from heritage_tagger.domain.browse import BrowseFilter, RecordState
from heritage_tagger.domain.scope import RecordScope, ScopeKind

__all__ = ["FORMAT_NAMES", "BrowseFilter", "ExportRequest", "RecordScope", "RecordState", "ScopeKind"]

#: export format value -> its name in plain words (progress and messages)
FORMAT_NAMES = {
    "csv": "CSV",
    "dc-xml": "Dublin Core XML (oai_dc)",
    "dc-jsonld": "DC terms JSON-LD",
    "xmp": "XMP sidecars",
}


@dataclass(frozen=True)
class ExportRequest:
    """One export: run it with ``services.exporting.run_export``.

    ``output`` is the file to write (or an open text stream); for ``xmp`` the folder that receives
    the sidecars, or None to write each beside its image. ``excel_safe`` is for CSV only (formula-like
    cells neutralised, a UTF-8 byte-order mark first); ``bom`` adds the mark alone; ``base_uri``
    (None: the catalogue's setting) gives JSON-LD records an ``@id``; ``oai_pmh`` wraps dc-xml as an
    OAI-PMH response. XMP sidecars carry subjects only, never suggestions.
    """

    format: str
    output: Path | str | TextIO | None
    scope: RecordScope = field(default_factory=RecordScope)
    include_suggestions: bool = False
    excel_safe: bool = False
    base_uri: str | None = None
    oai_pmh: bool = False
    bom: bool = False

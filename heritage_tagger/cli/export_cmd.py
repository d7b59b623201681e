"""``heritage-tagger export``: the catalogue as CSV, Dublin Core XML (oai_dc), DC terms JSON-LD or XMP sidecars."""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from heritage_tagger.services.export_request import RecordScope

NAME = "export"
HELP = "export the catalogue as CSV, Dublin Core XML (oai_dc), Dublin Core terms JSON-LD or XMP sidecars"
FORMATS = ("csv", "dc-xml", "dc-jsonld", "xmp")
SHOW_SKIPPED = 20


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        required=True,
        choices=FORMATS,
        help="csv: dcterms: columns, several values joined with '|', then the date's ISO 8601/EDTF form, "
        "subject URIs and each subject's provenance; "
        "dc-xml: one oai_dc:dc per record inside <records><record> (or an OAI-PMH response with --oai-pmh); "
        "dc-jsonld: a JSON-LD @graph with the DC terms context, linked subjects as {@id, skos:prefLabel}; "
        "xmp: one .xmp sidecar per record (dc, lr:hierarchicalSubject, photoshop, Iptc4xmpCore) into "
        "the --output folder",
    )
    parser.add_argument(
        "--output",
        metavar="PATH",
        help="file to write ('-' for standard output); written to a temporary file beside it and "
        "moved into place when complete, so a failed export leaves no half-written file. "
        "For xmp: the folder that receives the sidecars (created if missing)",
    )
    parser.add_argument(
        "--beside-images",
        action="store_true",
        help="xmp only, instead of --output: write each sidecar beside its image (photo.jpg -> photo.xmp); "
        "a sidecar that Heritage Tagger did not write is never replaced (the record is skipped, with the reason)",
    )
    parser.add_argument(
        "--base-uri",
        metavar="URI",
        help="records' URIs are this followed by the identifier: the JSON-LD @id and the OAI-PMH "
        "repository (default: $HERITAGE_TAGGER_BASE_URI; none: JSON-LD records have no @id)",
    )
    parser.add_argument(
        "--oai-pmh",
        action="store_true",
        help="dc-xml only: wrap the records as an OAI-PMH ListRecords response (header with an oai: "
        "identifier and datestamp, metadata with the oai_dc:dc)",
    )
    parser.add_argument(
        "--bom",
        action="store_true",
        help="start the file with a UTF-8 byte-order mark (Excel needs it to read accents correctly)",
    )
    parser.add_argument(
        "--include-suggestions",
        action="store_true",
        help="also export pending suggestions with their scores, apart from the subjects: "
        "CSV column 'suggested' ('tag (0.82)'), JSON-LD 'ht:suggestedSubject', and in XML "
        "<suggested score=...> beside each oai_dc:dc (oai_dc itself has no place for them). "
        "By default only catalogued and accepted tags are exported; rejected tags never are",
    )
    scope = parser.add_argument_group(
        "scope",
        "export only some records (default: the whole catalogue); several options: records matching all",
    )
    scope.add_argument("--batch", type=int, metavar="ID", help="only the records that import batch ID added")
    scope.add_argument(
        "--tag", metavar="LABEL", help="only records carrying this tag (catalogued or accepted)"
    )
    scope.add_argument(
        "--state",
        choices=("untagged", "pending", "needs_review", "reviewed"),
        help="only records in this review state (as the browser's state filter)",
    )
    scope.add_argument(
        "--text", metavar="TEXT", help="only records whose title, description or location has TEXT"
    )
    scope.add_argument(
        "--location", metavar="TEXT", help="only records whose location contains TEXT (any case)"
    )
    parser.add_argument(
        "--excel-safe",
        action="store_true",
        help="CSV only: prefix ' to cells that a spreadsheet would run as a formula (starting with "
        "= + - @ tab or CR; numbers such as -33.86 are kept) and start the file with a UTF-8 BOM",
    )


def scope_of(args: argparse.Namespace) -> RecordScope:
    """The records the scope options ask for: a batch alone, a browser filter, or the whole catalogue."""
    from heritage_tagger.services.export_request import BrowseFilter, RecordScope, RecordState

    text, tag, location = (getattr(args, n, None) or "" for n in ("text", "tag", "location"))
    state, batch = getattr(args, "state", None), getattr(args, "batch", None)
    if not (text or tag or location or state):
        return RecordScope() if batch is None else RecordScope.batch(batch)
    flt = BrowseFilter(
        text=text, tag=tag, location=location, batch_id=batch, state=RecordState(state or "all")
    )
    return RecordScope.matching(flt)


def run(args: argparse.Namespace) -> int:
    from heritage_tagger.cli.common import ConsoleProgress, open_from_args
    from heritage_tagger.domain.errors import ExportError
    from heritage_tagger.services.export_request import ExportRequest
    from heritage_tagger.services.exporting import run_export

    if args.excel_safe and args.format != "csv":
        print(
            f"heritage-tagger: note: --excel-safe changes CSV only; ignored for {args.format}.",
            file=sys.stderr,
        )
    if args.oai_pmh and args.format != "dc-xml":
        print(
            f"heritage-tagger: note: --oai-pmh changes dc-xml only; ignored for {args.format}.",
            file=sys.stderr,
        )
    if args.format == "xmp":
        return _run_xmp(args)
    if args.beside_images:
        raise ExportError("--beside-images is for --format xmp only.")
    if not args.output:
        raise ExportError("Give the file to write with --output PATH ('-' for standard output).")
    to_stdout = args.output == "-"
    progress = ConsoleProgress(sys.stderr)

    def request(output: str | TextIO) -> ExportRequest:
        return ExportRequest(
            format=args.format, output=output, scope=scope_of(args),
            include_suggestions=args.include_suggestions, excel_safe=args.excel_safe,
            base_uri=args.base_uri, oai_pmh=args.oai_pmh, bom=args.bom,
        )  # fmt: skip

    with open_from_args(args, create=False) as catalogue:
        if to_stdout:
            stream = _stdout_text()
            try:
                summary = run_export(catalogue, request(stream), progress=progress)
            finally:
                with contextlib.suppress(OSError, ValueError):  # a closed pipe is reported above
                    stream.flush()
                    if isinstance(stream, io.TextIOWrapper) and stream is not sys.stdout:
                        stream.detach()
        else:
            summary = run_export(catalogue, request(args.output), progress=progress)
    progress.close()
    message = f"Exported {summary.records} records ({summary.subjects} subjects"
    if args.include_suggestions:
        message += f", {summary.suggestions} suggestions"
    message += f") as {summary.format} to {'standard output' if to_stdout else summary.output}."
    print(message, file=sys.stderr if to_stdout else sys.stdout)
    return 0


def _run_xmp(args: argparse.Namespace) -> int:
    from heritage_tagger.cli.common import ConsoleProgress, open_from_args
    from heritage_tagger.domain.errors import ExportError
    from heritage_tagger.services.export_request import ExportRequest
    from heritage_tagger.services.exporting import run_export

    if bool(args.output) == args.beside_images or args.output == "-":
        raise ExportError("For xmp give either --output FOLDER or --beside-images.")
    if args.include_suggestions:
        print(
            "heritage-tagger: note: XMP sidecars carry subjects only; suggestions are not written.",
            file=sys.stderr,
        )
    progress = ConsoleProgress(sys.stderr)
    request = ExportRequest(
        format="xmp", output=None if args.beside_images else args.output, scope=scope_of(args)
    )
    with open_from_args(args, create=False) as catalogue:
        summary = run_export(catalogue, request, progress=progress)
    progress.close()
    print(f"Wrote {summary.records} XMP sidecars ({summary.subjects} subjects) {'into ' if args.output else ''}"
          f"{summary.output}.")  # fmt: skip
    if summary.skipped:
        print(f"{len(summary.skipped)} records were skipped:")
        for identifier, reason in summary.skipped[:SHOW_SKIPPED]:
            print(f"  {identifier}: {reason}")
        if len(summary.skipped) > SHOW_SKIPPED:
            print(f"  ... and {len(summary.skipped) - SHOW_SKIPPED} more")
    return 0


def _stdout_text() -> TextIO:
    """Standard output as UTF-8 text with no newline translation (CSV writes its own CRLF)."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        return sys.stdout
    return io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=True)

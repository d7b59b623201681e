"""``heritage-tagger export``: the catalogue as CSV, Dublin Core XML (oai_dc) or DC terms JSON-LD."""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from typing import TextIO

NAME = "export"
HELP = "export the catalogue as CSV, Dublin Core XML (oai_dc) or Dublin Core terms JSON-LD"
FORMATS = ("csv", "dc-xml", "dc-jsonld")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        required=True,
        choices=FORMATS,
        help="csv: dcterms: columns, several values joined with '|'; "
        "dc-xml: one oai_dc:dc per record inside <records><record>; "
        "dc-jsonld: a JSON-LD @graph with the DC terms context",
    )
    parser.add_argument(
        "--output",
        required=True,
        metavar="PATH",
        help="file to write ('-' for standard output); written to a temporary file beside it and "
        "moved into place when complete, so a failed export leaves no half-written file",
    )
    parser.add_argument(
        "--include-suggestions",
        action="store_true",
        help="also export pending suggestions with their scores, apart from the subjects: "
        "CSV column 'suggested' ('tag (0.82)'), JSON-LD 'ht:suggestedSubject', and in XML "
        "<suggested score=...> beside each oai_dc:dc (oai_dc itself has no place for them). "
        "By default only catalogued and accepted tags are exported; rejected tags never are",
    )
    parser.add_argument(
        "--excel-safe",
        action="store_true",
        help="CSV only: prefix ' to cells that a spreadsheet would run as a formula (starting with "
        "= + - @ tab or CR; numbers such as -33.86 are kept) and start the file with a UTF-8 BOM",
    )


def run(args: argparse.Namespace) -> int:
    from heritage_tagger.cli.common import ConsoleProgress, open_from_args
    from heritage_tagger.services.exporting import export_catalogue

    if args.excel_safe and args.format != "csv":
        print(
            f"heritage-tagger: note: --excel-safe changes CSV only; ignored for {args.format}.",
            file=sys.stderr,
        )
    to_stdout = args.output == "-"
    progress = ConsoleProgress(sys.stderr)
    with open_from_args(args, create=False) as catalogue:
        if to_stdout:
            stream = _stdout_text()
            try:
                summary = export_catalogue(
                    catalogue,
                    args.format,
                    stream,
                    args.include_suggestions,
                    args.excel_safe,
                    progress=progress,
                )
            finally:
                with contextlib.suppress(OSError, ValueError):  # a closed pipe is reported above
                    stream.flush()
                    if isinstance(stream, io.TextIOWrapper) and stream is not sys.stdout:
                        stream.detach()
        else:
            summary = export_catalogue(
                catalogue,
                args.format,
                args.output,
                args.include_suggestions,
                args.excel_safe,
                progress=progress,
            )
    progress.close()
    message = f"Exported {summary.records} records ({summary.subjects} subjects"
    if args.include_suggestions:
        message += f", {summary.suggestions} suggestions"
    message += f") as {summary.format} to {'standard output' if to_stdout else summary.output}."
    print(message, file=sys.stderr if to_stdout else sys.stdout)
    return 0


def _stdout_text() -> TextIO:
    """Standard output as UTF-8 text with no newline translation (CSV writes its own CRLF)."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        return sys.stdout
    return io.TextIOWrapper(buffer, encoding="utf-8", newline="", write_through=True)

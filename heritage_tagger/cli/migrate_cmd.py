"""``heritage-tagger migrate-catalogue SRC DEST``: copy a catalogue between an SQLite file and a PostgreSQL server."""

from __future__ import annotations

import argparse

NAME = "migrate-catalogue"
HELP = (
    "copy a catalogue into a new one: an SQLite file to a team catalogue on PostgreSQL, or back "
    "(every row, the decisions log verified, and the thumbnails, features and models)"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="SRC", help="the catalogue to copy: a file or a postgresql:// URL")
    parser.add_argument(
        "dest", metavar="DEST", help="the new (or empty) catalogue: a file or a postgresql:// URL"
    )
    parser.add_argument(
        "--media-root",
        metavar="DIR",
        default=argparse.SUPPRESS,  # also accepted before the command; never overwritten with None here
        help="the shared media folder of a team catalogue DEST (recorded in it)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def run(args: argparse.Namespace) -> int:
    from heritage_tagger.cli.common import ConsoleProgress, print_json
    from heritage_tagger.services.migrating import migrate_catalogue

    progress = ConsoleProgress()
    try:
        report = migrate_catalogue(args.source, args.dest, media_root=args.media_root, progress=progress)
    finally:
        progress.close()
    if args.json:
        print_json(report.as_dict())
        return 0
    print(f"Copied {report.source} into {report.dest}; every count matches the source:")
    width = max(len(name) for name in report.rows)
    for name, n in report.rows.items():
        print(f"  {name:<{width}}  {n:>9,}")
    print(
        f"The decisions log is intact: {report.rows.get('decisions', 0):,} entries, the same in both "
        f"(SHA-256 {report.decisions_digest[:16]}…)."
    )
    print(f"{report.files_copied:,} thumbnail, feature and model files copied.")
    if report.outside_media_root:
        shown = ", ".join(report.outside_media_root[:5]) + (
            " …" if len(report.outside_media_root) > 5 else ""
        )
        print(
            f"{len(report.outside_media_root):,} records have their image outside the team's media folder "
            f"({shown}): move the images under it so that every member can open them."
        )
    return 0

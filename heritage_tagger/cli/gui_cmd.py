"""``heritage-tagger gui``: open the desktop app (or render a screenshot of it and exit)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

NAME = "gui"
HELP = "open the desktop app to browse the collection and review suggested tags"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--screenshot", metavar="OUT.png", type=Path, help="render the window to this PNG and exit"
    )
    parser.add_argument(
        "--select", metavar="RECORD_ID", type=int, help="the record to select (with --screenshot)"
    )
    parser.add_argument("--size", metavar="WxH", default="1400x900", help="window size for --screenshot")
    parser.add_argument(
        "--settings",
        metavar="FILE.ini",
        type=Path,
        help="keep preferences in this file instead of the user's",
    )


def run(args: argparse.Namespace) -> int:
    from heritage_tagger.gui import app as gui_app
    from heritage_tagger.settings import CATALOGUE_ENV, default_catalogue_location

    try:
        width, height = (int(v) for v in args.size.lower().split("x"))
    except ValueError:
        print(f"heritage-tagger: --size wants WIDTHxHEIGHT, not {args.size!r}")
        return 2
    catalogue = args.catalogue or None
    if catalogue is None and not os.environ.get(CATALOGUE_ENV):
        catalogue = gui_app.saved_catalogue_path(args.settings) or None
    catalogue = catalogue or default_catalogue_location()
    return gui_app.run_gui(
        catalogue,
        screenshot=args.screenshot,
        select=args.select,
        size=(width, height),
        settings_path=args.settings,
    )

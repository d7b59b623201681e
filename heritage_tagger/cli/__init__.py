"""The command line: ``heritage-tagger [--catalogue PATH|URL] [--media-root DIR] COMMAND ...``.

Each command lives in its own module ``heritage_tagger/cli/<name>_cmd.py`` exposing
``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``. Modules import
their heavy dependencies inside ``run`` so that ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType

from heritage_tagger import __version__
from heritage_tagger.domain.errors import HeritageTaggerError

_ORDER = [
    "import", "export", "stats", "train", "suggest", "evaluate", "gui", "models", "retrain", "vocab",
    "migrate-catalogue",
]  # fmt: skip


def _command_modules() -> list[ModuleType]:
    modules = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.endswith("_cmd"):
            modules.append(importlib.import_module(f"{__name__}.{info.name}"))

    def order(module: ModuleType) -> tuple[int, str]:
        name = module.NAME
        return (_ORDER.index(name) if name in _ORDER else len(_ORDER), name)

    return sorted(modules, key=order)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="heritage-tagger",
        description="Catalogue heritage photographs and review suggested subject tags.",
    )
    parser.add_argument("--version", action="version", version=f"heritage-tagger {__version__}")
    parser.add_argument(
        "--catalogue",
        metavar="PATH|URL",
        help="catalogue file, or a team catalogue's postgresql://USER@HOST/DATABASE (default: "
        "$HERITAGE_TAGGER_CATALOGUE, else catalogue.sqlite in the user's data directory)",
    )
    parser.add_argument(
        "--media-root",
        metavar="DIR",
        help="a team catalogue's shared media folder: recorded when the catalogue has none yet, else where "
        "this computer reaches it (default: $HERITAGE_TAGGER_MEDIA_ROOT, else as recorded)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    for stream in (sys.stdout, sys.stderr):  # a name that is not UTF-8 is printed, never a crash
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        return int(args._run(args) or 0)
    except HeritageTaggerError as exc:
        print(f"heritage-tagger: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("heritage-tagger: interrupted; finished work is saved and the job can resume.", file=sys.stderr)
        return 130
    except Exception as exc:
        from heritage_tagger.services.catalogue import librarian_message

        message = librarian_message(exc, getattr(args, "catalogue", None))
        if message is None:
            raise
        print(f"heritage-tagger: {message}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

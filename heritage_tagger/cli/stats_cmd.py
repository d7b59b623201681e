"""``heritage-tagger stats``: counts of records, tags, tag states, decisions, batches and model versions."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from heritage_tagger.services.stats import CatalogueStats

NAME = "stats"
HELP = "show what the catalogue holds: records, tags, tags by state, decisions, import batches, models"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")


def format_stats(stats: CatalogueStats) -> str:
    """The statistics as aligned lines of plain text, for a terminal."""
    width = 24

    def detail(counts: dict[str, int]) -> str:
        parts = [f"{key} {n}" for key, n in counts.items() if n]
        return f"   ({', '.join(parts)})" if parts else ""

    active = stats.active_model
    lines = [
        f"Catalogue: {stats.catalogue}",
        f"{'Records':<{width}}{stats.records:>8}   ({stats.records_without_tags} without tags)",
        f"{'Tags':<{width}}{stats.tags:>8}   ({stats.tags_in_use} in use)",
        "Tags on records, by state:",
        *(f"  {state:<{width - 2}}{n:>8}" for state, n in stats.record_tags.items()),
        f"{'Decisions':<{width}}{stats.decisions:>8}{detail(stats.decisions_by_action)}",
        f"{'Import batches':<{width}}{stats.import_batches:>8}{detail(stats.import_batches_by_status)}",
        f"{'Model versions':<{width}}{stats.model_versions:>8}   "
        + (
            f"(active: {active.version}, {active.backbone}, {active.created_at})"
            if active
            else "(none active)"
        ),
    ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from heritage_tagger.cli.common import open_from_args, print_json
    from heritage_tagger.services.stats import catalogue_stats

    with open_from_args(args, create=False) as catalogue:
        stats = catalogue_stats(catalogue)
    if args.json:
        print_json(stats.as_dict())
    else:
        print(format_stats(stats))
    return 0

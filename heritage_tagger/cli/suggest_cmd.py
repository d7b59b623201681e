"""``heritage-tagger suggest``: the active model's tags for a catalogued record or an image file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

NAME = "suggest"
HELP = "suggest tags for a record (its identifier or numeric id) or an image file"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "target", metavar="RECORD_ID|IMAGE_PATH", help="a record's identifier or id, or an image file"
    )
    parser.add_argument("--json", action="store_true", help="print the suggestions as JSON")
    parser.add_argument("--top", type=int, default=10, help="model tags to print (text output; JSON has all)")


SOURCE_WORDS = {"image": "photo", "neighbours": "similar photos", "caption": "caption"}


def format_suggestions(data: dict[str, Any], top: int) -> str:
    lines = [f"{data['identifier']}  (model {data['model_version']}, {data['backbone']})"]
    if data.get("served_by"):
        lines.append(
            f"Served by: {data['served_by']}" + ("; read the record's text" if data.get("read_text") else "")
        )
    threshold = data.get("threshold")
    if data.get("no_confident_suggestion"):
        lines.append(
            "No confident suggestion: no tag reaches the threshold"
            + (
                f" {threshold:.2f}"
                if threshold is not None
                else " (none reached the target precision on validation)"
            )
            + "; this photo needs a person."
        )
    else:
        lines.append(
            f"Proposing {len(data['proposed'])} (at most {data['propose_count']}, probability at least {threshold:.2f}):"
        )
    lines.append("Model tags (calibrated probability, source; * = proposed):")
    for item in data["model_tags"][:top]:
        mark = "*" if item.get("proposed") else " "
        source = SOURCE_WORDS.get(item.get("source", "image"), item.get("source", ""))
        lines.append(f"  {mark} {item['tag']:<32} {item['probability']:.3f}  {source}")
    if data["neighbour_tags"]:
        lines.append("Neighbour tags:")
        for item in data["neighbour_tags"][:top]:
            who = ", ".join(n["identifier"] or str(n["record_id"]) for n in item["neighbours"][:3])
            lines.append(f"    {item['tag']:<32} {item['score']:.3f}  from {who}")
    if data["existing_tags"]:
        lines.append("Relevance of the tags it carries:")
        for item in data["existing_tags"]:
            rel = (
                "outside the model's vocabulary" if item["relevance"] is None else f"{item['relevance']:.3f}"
            )
            lines.append(f"    {item['tag']:<32} {rel}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from heritage_tagger.cli.common import open_from_args, print_json
    from heritage_tagger.domain.errors import CatalogueError
    from heritage_tagger.services.suggesting import suggest_for_image, suggest_for_record

    with open_from_args(args, create=False) as catalogue:
        try:
            result = suggest_for_record(catalogue, args.target)
        except CatalogueError:
            if not Path(args.target).is_file():
                raise
            result = suggest_for_image(catalogue, args.target)
        data = result.as_dict()
    if args.json:
        print_json(data)
    else:
        print(format_suggestions(data, args.top))
    return 0

"""``heritage-tagger suggest``: the active model's tags for a catalogued record or an image file, or with
``--tag`` the catalogue's photos that suit a tag (``services.tag_search``)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

NAME = "suggest"
HELP = (
    "suggest tags for a record (its identifier or numeric id) or an image file; with no model yet, the "
    "vocabulary's concepts its title, description and location name; with --tag TAG, the photos that "
    "do not carry TAG yet, the most likely first"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "target", metavar="RECORD_ID|IMAGE_PATH", nargs="?",
        help="a record's identifier or id, or an image file",
    )  # fmt: skip
    parser.add_argument(
        "--tag", metavar="TAG",
        help="instead: the catalogue's photos that neither carry nor had rejected TAG, the most likely first",
    )  # fmt: skip
    parser.add_argument("--limit", type=int, default=20, help="photos to list with --tag (default 20)")
    parser.add_argument("--batch", type=int, metavar="ID", help="with --tag: only this import batch's photos")
    parser.add_argument("--json", action="store_true", help="print the suggestions as JSON")
    parser.add_argument("--top", type=int, default=10, help="model tags to print (text output; JSON has all)")
    parser.add_argument(
        "--accept", action="append", metavar="TAG", default=[],
        help="accept this suggested tag for the record (its tag or preferred label; repeatable)",
    )  # fmt: skip
    parser.add_argument("--reviewer", help="who the decisions are logged for (default: your user name)")


def offered(data: dict[str, Any], wanted: str) -> tuple[str, float | None, str | None, str] | None:
    """(tag, score, model version, source) of the suggestion named ``wanted`` (its tag or preferred label)."""
    low = wanted.casefold()
    groups = (("vocabulary_tags", None, "vocabulary"), ("model_tags", "probability", "model"),
              ("neighbour_tags", "score", "neighbours"))  # fmt: skip
    for group, score, source in groups:
        for item in data.get(group, []):
            names = {item["tag"].casefold(), (item.get("label") or "").casefold()}
            if low in names:
                value = item.get(score) if score else None
                return item["tag"], value, data.get("model_version"), source
    return None


def accept(catalogue: Any, data: dict[str, Any], labels: list[str], reviewer: str) -> list[str]:
    """Accept the suggestions named by ``labels`` for the record; the lines saying so."""
    from heritage_tagger.domain.errors import HeritageTaggerError
    from heritage_tagger.services import review
    from heritage_tagger.services.vocab_suggesting import label_concepts

    if data.get("record_id") is None:
        raise HeritageTaggerError("--accept needs a record of the catalogue, not an image file.")
    lines = []
    for wanted in labels:
        found = offered(data, wanted)
        if found is None:
            raise HeritageTaggerError(f"{wanted!r} is not among the suggestions for {data['identifier']}.")
        tag, score, version, source = found
        review.accept(
            catalogue, data["record_id"], tag, reviewer, review.Offered(tag, score, version, source)
        )
        concept = label_concepts(catalogue, [tag]).get(tag)
        where = f" ({concept.path()} <{concept.concept.uri}>)" if concept is not None else ""
        lines.append(f"Accepted {tag!r} for {data['identifier']}{where}.")
    return lines


def _shown(item: dict[str, Any]) -> str:
    """A tag as printed: its concept's preferred label when that differs ("woman → Women")."""
    label = item.get("label")
    return f"{item['tag']} → {label}" if label and label != item["tag"] else item["tag"]


def format_vocabulary(data: dict[str, Any], top: int) -> str:
    lines = [f"{data['identifier']}  (no model yet: concepts its own text names)"]
    if not data["vocabulary_tags"]:
        lines.append("  Its title, description and location name no concept of the catalogue's vocabularies.")
    for item in data["vocabulary_tags"][:top]:
        path = " › ".join([*item["broader"], item["tag"]])
        lines.append(f'    {path:<40} {item["field"]}: "{item["phrase"]}"')
    return "\n".join(lines)


SOURCE_WORDS = {"image": "photo", "neighbours": "similar photos", "caption": "caption"}


def format_suggestions(data: dict[str, Any], top: int) -> str:
    if data.get("source") == "vocabulary":
        return format_vocabulary(data, top)
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
        at_least = f", probability at least {threshold:.2f}" if threshold is not None else ""
        lines.append(f"Proposing {len(data['proposed'])} (at most {data['propose_count']}{at_least}):")
    lines.append("Model tags (calibrated probability, source; * = proposed):")
    for item in data["model_tags"][:top]:
        mark = "*" if item.get("proposed") else " "
        source = SOURCE_WORDS.get(item.get("source", "image"), item.get("source", ""))
        lines.append(f"  {mark} {_shown(item):<32} {item['probability']:.3f}  {source}")
    if data["neighbour_tags"]:
        lines.append("Neighbour tags:")
        for item in data["neighbour_tags"][:top]:
            who = ", ".join(n["identifier"] or str(n["record_id"]) for n in item["neighbours"][:3])
            lines.append(f"    {_shown(item):<32} {item['score']:.3f}  from {who}")
    if data["existing_tags"]:
        lines.append("Relevance of the tags it carries:")
        for item in data["existing_tags"]:
            rel = (
                "outside the model's vocabulary" if item["relevance"] is None else f"{item['relevance']:.3f}"
            )
            lines.append(f"    {_shown(item):<32} {rel}")
    return "\n".join(lines)


def format_search(found: Any) -> str:
    """The ``--tag`` search as printed."""
    lines = [
        f"Photos for “{found.tag}”, ranked by model {found.model_version}: {found.ranked_by}.",
        f"Read {found.searched:,} photos that do not carry it"
        + (f" ({found.unreadable:,} could not be read)" if found.unreadable else "")
        + f"; {found.confident} of the {len(found.matches)} listed reach the suggestions' threshold (*).",
    ]
    for m in found.matches:
        mark = "*" if m.confident else " "
        note = "  (already suggested)" if m.suggested else ""
        lines.append(f"  {mark} {m.probability:.3f}  {m.identifier:<20} {m.title[:60]}{note}")
    if not found.matches:
        lines.append("  Every photo carries it already, or had it rejected.")
    return "\n".join(lines)


def _search(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from heritage_tagger.cli.common import open_from_args, print_json
    from heritage_tagger.services.tag_search import photos_for_tag

    with open_from_args(args, create=False) as catalogue:
        found = photos_for_tag(catalogue, args.tag, limit=max(1, args.limit), batch_id=args.batch)
    if args.json:
        print_json({**asdict(found), "confident": found.confident})
    else:
        print(format_search(found))
    return 0


def run(args: argparse.Namespace) -> int:
    from heritage_tagger.cli.common import default_reviewer, open_from_args, print_json
    from heritage_tagger.domain.errors import CatalogueError, HeritageTaggerError, ModelNotTrainedError

    if args.tag is not None:
        if args.target is not None or args.accept:
            raise HeritageTaggerError("--tag lists photos for a tag: give it without a record or --accept.")
        return _search(args)
    if args.target is None:
        raise HeritageTaggerError("Name a record, an image file, or a tag (--tag TAG).")
    from heritage_tagger.services.suggesting import suggest_for_image, suggest_for_record
    from heritage_tagger.services.vocab_suggesting import prediction_dict, suggest_from_vocabulary

    with open_from_args(args, create=False) as catalogue:
        try:
            try:
                result = suggest_for_record(catalogue, args.target)
            except CatalogueError:
                if not Path(args.target).is_file():
                    raise
                result = suggest_for_image(catalogue, args.target)
            data = prediction_dict(catalogue, result)
        except ModelNotTrainedError:
            try:  # no model yet: the vocabulary's concepts the record's own text names
                found = suggest_from_vocabulary(catalogue, args.target)
            except CatalogueError:
                found = None
            if found is None or not found.has_vocabulary:
                raise
            data = found.as_dict()
        if args.accept:
            for line in accept(catalogue, data, args.accept, args.reviewer or default_reviewer()):
                print(line)
            return 0
    if args.json:
        print_json(data)
    else:
        print(format_suggestions(data, args.top))
    return 0

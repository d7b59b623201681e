"""``heritage-tagger vocab import|list|remove|enable|disable|match|link|merge``: controlled vocabularies."""

from __future__ import annotations

import argparse
import sys
from typing import Any

NAME = "vocab"
HELP = "import SKOS/TSV/CSV vocabularies, match labels, link tags to concepts and merge tag variants"
SHOW = 20


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="vocab_action", metavar="ACTION")
    imp = sub.add_parser("import", help="import a vocabulary file and link the catalogue's tags to it")
    imp.add_argument("file", metavar="FILE", help="SKOS (.ttl, .rdf/.xml, .nt), TSV (<URI> TAB label) or CSV "
                     "(uri,pref_label,alt_labels,broader)")  # fmt: skip
    imp.add_argument(
        "--format",
        choices=("turtle", "rdfxml", "ntriples", "tsv", "csv"),
        help="when the suffix does not say",
    )
    imp.add_argument(
        "--name", help="the vocabulary's name in the catalogue (default: its title, else the file name)"
    )
    imp.add_argument("--language", help="language of the labels to match and show, e.g. en (default: the file's most "
                     "common; TSV/CSV labels get this language)")  # fmt: skip
    imp.add_argument(
        "--replace", action="store_true", help="replace a vocabulary of the same name (links move along)"
    )
    imp.add_argument(
        "--no-link", action="store_true", help="do not link the catalogue's tags after the import"
    )
    imp.add_argument("--json", action="store_true", help="print the report as JSON")
    listing = sub.add_parser("list", help="the catalogue's vocabularies")
    listing.add_argument("--json", action="store_true")
    remove = sub.add_parser("remove", help="remove a vocabulary (its tags stay, unlinked)")
    remove.add_argument("name", metavar="NAME")
    for action, text in (
        ("enable", "use a vocabulary for matching again"),
        ("disable", "set a vocabulary aside"),
    ):
        sub.add_parser(action, help=text).add_argument("name", metavar="NAME")
    match = sub.add_parser(
        "match", help="the concepts whose labels match TEXT (case, punctuation, plurals ignored)"
    )
    match.add_argument("text", metavar="TEXT")
    match.add_argument("--limit", type=int, default=10)
    match.add_argument("--json", action="store_true")
    link = sub.add_parser("link", help="link unlinked tags to concepts and list those left for review")
    link.add_argument(
        "--relink", action="store_true", help="recompute every tag's link (unlinks tags that no longer match)"
    )
    link.add_argument(
        "--tag", metavar="LABEL", help="link this one tag by hand (with --concept URI, or --unlink)"
    )
    link.add_argument("--concept", metavar="URI")
    link.add_argument("--unlink", action="store_true")
    link.add_argument(
        "--show", type=int, default=SHOW, metavar="N", help=f"list at most N tags per kind (default {SHOW})"
    )
    link.add_argument("--json", action="store_true")
    merge = sub.add_parser(
        "merge", help="merge tag variants (case, plural, trailing punctuation, alternative label)"
    )
    merge.add_argument(
        "--preview", action="store_true", help="show the groups that would be merged; change nothing"
    )
    merge.add_argument(
        "--only", action="append", metavar="TARGET", help="merge only the group kept as TARGET (repeatable)"
    )
    merge.add_argument("--into", metavar="TARGET", help="merge the VARIANT tags given into TARGET")
    merge.add_argument("variants", nargs="*", metavar="VARIANT")
    merge.add_argument(
        "--undo", nargs="?", const=0, type=int, metavar="ID", help="undo the latest merge (or merge ID)"
    )
    merge.add_argument("--list", action="store_true", help="list the merges done so far")
    merge.add_argument("--reviewer", default=None, help="who is logged as merging (default: your user name)")
    merge.add_argument("--json", action="store_true")


def run(args: argparse.Namespace) -> int:
    from heritage_tagger.cli.common import open_from_args

    action = getattr(args, "vocab_action", None)
    if action is None:
        print(
            "heritage-tagger: say what to do: vocab import|list|remove|enable|disable|match|link|merge",
            file=sys.stderr,
        )
        return 2
    with open_from_args(args, create=action == "import") as catalogue:
        handler = {"import": _import, "list": _list, "remove": _remove, "enable": _enable, "disable": _enable,
                   "match": _match, "link": _link, "merge": _merge}[action]  # fmt: skip
        return handler(catalogue, args)


def _link_lines(report: Any, show: int) -> list[str]:
    lines = [
        f"Linked {report.linked} tags to concepts"
        + (f" ({report.kept} were linked already)." if report.kept else ".")
    ]
    if report.ambiguous:
        lines.append(f"{len(report.ambiguous)} tags name several concepts and were left unlinked "
                     "(link them with `vocab link --tag LABEL --concept URI`):")  # fmt: skip
        for tag in report.ambiguous[:show]:
            lines.append(
                f"  {tag.label} ({tag.records} records): "
                + "; ".join(f"{c.label} <{c.uri}>" for c in tag.candidates)
            )
    if report.unlinked:
        lines.append(f"{len(report.unlinked)} tags on records match no concept (most used first):")
        lines.extend(f"  {t.label} ({t.records})" for t in report.unlinked[:show])
        if len(report.unlinked) > show:
            lines.append(f"  ... and {len(report.unlinked) - show} more (--show N, or --json for all)")
    if report.unused_unlinked:
        lines.append(
            f"{report.unused_unlinked} more unlinked tags are on no record (only suggested or rejected)."
        )
    return lines


def _link_json(report: Any) -> dict[str, Any]:
    return {
        "linked": report.linked, "kept": report.kept, "changed": report.changed,
        "unlinked": [{"tag": t.label, "records": t.records} for t in report.unlinked],
        "unused_unlinked": report.unused_unlinked,
        "ambiguous": [{"tag": t.label, "records": t.records, "concepts": [{"uri": c.uri, "label": c.label} for c in t.candidates]}
                      for t in report.ambiguous],
    }  # fmt: skip


def _import(catalogue: Any, args: argparse.Namespace) -> int:
    from heritage_tagger.cli.common import ConsoleProgress, print_json
    from heritage_tagger.services.vocabularies import import_vocabulary

    progress = ConsoleProgress(sys.stderr)
    try:
        report = import_vocabulary(
            catalogue, args.file, args.format, name=args.name, language=args.language, replace=args.replace,
            link=not args.no_link, progress=progress,
        )  # fmt: skip
    finally:
        progress.close()
    v = report.vocabulary
    if args.json:
        print_json({
            "vocabulary": {"name": v.name, "title": v.title, "scheme": v.scheme_uri, "language": v.language,
                           "format": v.format},
            "concepts": report.concepts, "labels": report.labels, "relations": report.relations,
            "external_relations": report.external_relations, "replaced": report.replaced, "warnings": report.warnings,
            "link": _link_json(report.link) if report.link else None,
        })  # fmt: skip
        return 0
    verb = "Replaced" if report.replaced else "Imported"
    print(f"{verb} vocabulary {v.name!r}: {report.concepts} concepts, {report.labels} labels, "
          f"{report.relations} broader/related links (labels matched in {v.language or 'any language'}).")  # fmt: skip
    if report.external_relations:
        print(f"{report.external_relations} links point outside this vocabulary; they are kept by URI.")
    for warning in report.warnings:
        print(f"note: {warning}")
    if report.link is not None:
        print("\n".join(_link_lines(report.link, SHOW)))
    return 0


def _list(catalogue: Any, args: argparse.Namespace) -> int:
    from heritage_tagger.cli.common import print_json
    from heritage_tagger.services.vocabularies import list_vocabularies

    found = list_vocabularies(catalogue)
    if args.json:
        print_json([v.__dict__ for v in found])
        return 0
    if not found:
        print("No vocabulary yet: `heritage-tagger vocab import FILE` adds one.")
        return 0
    for v in found:
        state = (
            "" if v.status == "ready" else " [incomplete import: remove it or import again with --replace]"
        )
        state += "" if v.is_active else " [disabled]"
        print(f"{v.name}: {v.n_concepts} concepts, {v.format}, language {v.language or '-'}, imported "
              f"{v.imported_at:%Y-%m-%d %H:%M}{state}\n    {v.scheme_uri or 'no scheme URI'}  from {v.source}")  # fmt: skip
    return 0


def _remove(catalogue: Any, args: argparse.Namespace) -> int:
    from heritage_tagger.services.vocabularies import remove_vocabulary

    info = remove_vocabulary(catalogue, args.name)
    print(f"Removed vocabulary {info.name!r} ({info.n_concepts} concepts); its tags stay, unlinked.")
    return 0


def _enable(catalogue: Any, args: argparse.Namespace) -> int:
    from heritage_tagger.services.vocabularies import set_active

    info = set_active(catalogue, args.name, args.vocab_action == "enable")
    print(
        f"Vocabulary {info.name!r} is {'used for matching' if info.is_active else 'set aside (not matched)'}."
    )
    return 0


def _match(catalogue: Any, args: argparse.Namespace) -> int:
    from heritage_tagger.cli.common import print_json
    from heritage_tagger.services.vocabularies import broader_path, match

    found = match(catalogue, args.text, limit=args.limit)
    if args.json:
        print_json([{"uri": m.concept.uri, "pref_label": m.concept.label, "matched_label": m.label, "kind": m.kind.value,
                     "how": m.how.value, "language": m.lang, "vocabulary": m.concept.vocabulary,
                     "broader": [c.label for c in broader_path(catalogue, m.concept.id)]} for m in found])  # fmt: skip
        return 0
    if not found:
        print(f"No concept matches {args.text!r}.")
        return 1
    for m in found:
        path = " > ".join([*(c.label for c in broader_path(catalogue, m.concept.id)), m.concept.label])
        via = "" if m.label == m.concept.label else f" (via {m.kind.value} label {m.label!r})"
        print(
            f"{m.concept.label}  <{m.concept.uri}>  [{m.concept.vocabulary}, {m.how.value} match{via}]\n    {path}"
        )
    return 0


def _link(catalogue: Any, args: argparse.Namespace) -> int:
    from heritage_tagger.cli.common import ConsoleProgress, print_json
    from heritage_tagger.domain.errors import VocabularyError
    from heritage_tagger.services.tag_links import link_tag, link_tags

    if args.tag is not None:
        if (args.concept is None) == (not args.unlink):
            raise VocabularyError("With --tag give either --concept URI or --unlink.")
        concept = link_tag(catalogue, args.tag, None if args.unlink else args.concept)
        print(
            f"Tag {args.tag!r} "
            + (f"is linked to {concept.label} <{concept.uri}>." if concept else "is unlinked.")
        )
        return 0
    progress = ConsoleProgress(sys.stderr)
    try:
        report = link_tags(catalogue, relink=args.relink, progress=progress)
    finally:
        progress.close()
    if args.json:
        print_json(_link_json(report))
    else:
        print("\n".join(_link_lines(report, args.show)))
    return 0


def _merge(catalogue: Any, args: argparse.Namespace) -> int:
    from heritage_tagger.cli.common import ConsoleProgress, default_reviewer, print_json
    from heritage_tagger.domain.errors import VocabularyError
    from heritage_tagger.services import tag_merge

    reviewer = args.reviewer or default_reviewer()
    if args.list:
        merges = tag_merge.list_merges(catalogue)
        if args.json:
            print_json([m.__dict__ for m in merges])
        for m in [] if args.json else merges:
            what = "; ".join(f"{' + '.join(v)} -> {t}" for t, v in m.groups)
            print(f"{m.id}: {m.at:%Y-%m-%d %H:%M} by {m.reviewer}{' (undone)' if m.undone else ''}: {what}")
        return 0
    if args.undo is not None:
        report = tag_merge.undo_merge(catalogue, reviewer, args.undo or None)
        print(f"Undid merge {report.merge_id}: {len(report.decisions)} decisions reversed.")
        return 0
    if args.into:
        groups = [tag_merge.explicit_group(catalogue, args.into, args.variants)]
    else:
        if args.variants:
            raise VocabularyError("Name the tag to keep with --into TARGET when you list variants.")
        groups = tag_merge.preview(catalogue)
        if args.only:
            wanted = set(args.only)
            groups = [g for g in groups if g.target in wanted]
            missing = wanted - {g.target for g in groups}
            if missing:
                raise VocabularyError(
                    f"No variant group is kept as {sorted(missing)[0]!r} (see `vocab merge --preview`)."
                )
    if args.json and args.preview:
        print_json([{"target": g.target, "new_tag": not g.target_exists, "concept_id": g.concept_id,
                     "variants": [{"tag": v.label, "records": v.records, "reason": v.reason} for v in g.variants]}
                    for g in groups])  # fmt: skip
        return 0
    for g in groups:
        new = " (new tag)" if not g.target_exists else ""
        variants = ", ".join(f"{v.label!r} [{v.reason}, {v.records} records]" for v in g.variants)
        print(f"{g.target!r}{new} <- {variants}")
    if args.preview:
        print(
            f"{len(groups)} groups would be merged. Run without --preview to merge them (undo: vocab merge --undo)."
        )
        return 0
    if not groups:
        print("No tag variants to merge.")
        return 0
    progress = ConsoleProgress(sys.stderr)
    try:
        report = tag_merge.merge(catalogue, groups, reviewer, progress=progress)
    finally:
        progress.close()
    print(f"Merge {report.merge_id}: {report.groups} groups, {report.records} record tags, "
          f"{len(report.decisions)} decisions logged by {reviewer}; removed tags: {', '.join(report.removed_tags) or 'none'}. "
          "Undo with `heritage-tagger vocab merge --undo`.")  # fmt: skip
    return 0

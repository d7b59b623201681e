"""``heritage-tagger evaluate``: every method on the same folds of a collection, a table like seed 000's Table 1."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "evaluate"
HELP = (
    "measure the collective model against the papers' baselines on a manifest folder (or the catalogue): "
    "prints a markdown table, writes results.json and plots"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from heritage_tagger.services.evaluating import default_methods

    methods = default_methods()
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--dataset", metavar="DIR", type=Path, help="a folder with records.csv and images/")
    source.add_argument(
        "--catalogue-data",
        action="store_true",
        help="evaluate on the catalogue's records (the default when --catalogue is given and --dataset is not)",
    )
    parser.add_argument(
        "--methods",
        default=",".join(methods),
        help=f"comma-separated methods (default: all: {','.join(methods)})",
    )
    scheme = parser.add_mutually_exclusive_group()
    scheme.add_argument("--folds", type=int, metavar="K", help="K-fold cross-validation (default: 3)")
    scheme.add_argument("--repeats", type=int, metavar="R", help="R random 2:1 splits instead of folds")
    scheme.add_argument("--hash-split", action="store_true", help="seed 000's single deterministic 2:1 split")
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the folds and of every method (default 0)"
    )
    parser.add_argument("--backbone", default=None, help="backbone name (default: auto, the best available)")
    parser.add_argument(
        "--cache", type=Path, metavar="DIR", help="feature cache folder (default: in the user data dir)"
    )
    parser.add_argument(
        "--threshold", type=float, help="score a tag must exceed to be proposed (default: settings)"
    )
    parser.add_argument(
        "--word-vectors",
        metavar="glove|catalogue|FILE",
        help="glove: GloVe 6B 50-d (the default); catalogue: trained per fold on the training records' text "
        "only; or a word2vec/fastText/GloVe file",
    )
    parser.add_argument("--threads", type=int, default=1, help="torch threads while fitting (default 1)")
    parser.add_argument("--no-plots", action="store_true", help="skip the figures")
    parser.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="folder for table.md, results.json, plots"
    )


def run(args: argparse.Namespace) -> int:
    from heritage_tagger.cli.common import ConsoleProgress
    from heritage_tagger.services.evaluating import (
        EvaluationOptions,
        dataset_from_folder,
        known_methods,
        run_evaluation,
    )
    from heritage_tagger.settings import DEFAULT_BACKBONE

    methods = tuple(m.strip() for m in args.methods.split(",") if m.strip())
    known = known_methods()
    unknown = [m for m in methods if m not in known]
    if unknown:
        print(
            f"heritage-tagger: unknown methods {', '.join(unknown)}; known: {', '.join(known)}",
            file=sys.stderr,
        )
        return 2
    if args.dataset is not None:
        data = dataset_from_folder(args.dataset)
    elif args.catalogue_data or args.catalogue:
        from heritage_tagger.cli.common import open_from_args
        from heritage_tagger.services.evaluating import dataset_from_catalogue

        with open_from_args(args, create=False) as catalogue:
            data = dataset_from_catalogue(catalogue)
    else:
        print("heritage-tagger: give --dataset DIR, or --catalogue PATH / --catalogue-data", file=sys.stderr)
        return 2
    for warning in data.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    folds = None if (args.repeats or args.hash_split) else (args.folds or 3)
    options = EvaluationOptions(
        out=args.out,
        methods=methods,
        folds=folds,
        repeats=args.repeats,
        seed=args.seed,
        backbone=args.backbone or DEFAULT_BACKBONE,
        cache=args.cache,
        threads=args.threads,
        threshold=args.threshold,
        word_vectors=args.word_vectors,
        plots=not args.no_plots,
    )
    progress = ConsoleProgress()
    try:
        table = run_evaluation(data, options, progress)
    finally:
        progress.close()
    sys.stdout.write(table)
    return 0

"""``heritage-tagger synth N``: add N synthetic records (for scale work), optionally with tiny images."""

from __future__ import annotations

import argparse
import time

NAME = "synth"
HELP = "add N synthetic records with metadata and tags (scale tests and benchmarks)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("n", type=int, help="how many records (up to 1,000,000 without images)")
    parser.add_argument(
        "--images", nargs="?", type=int, const=2000, default=0, metavar="K",
        help="generate small images and thumbnails for the first K records (default K: 2000)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=0)


def run(args: argparse.Namespace) -> int:
    from heritage_tagger.cli.common import ConsoleProgress, open_from_args, print_json
    from heritage_tagger.services.synthetic import generate

    if args.n < 0 or args.images < 0:
        print("heritage-tagger: N and K must not be negative")
        return 2
    progress = ConsoleProgress()
    start = time.perf_counter()
    with open_from_args(args) as catalogue:
        summary = generate(
            catalogue, args.n, images=min(args.images, args.n), seed=args.seed, progress=progress
        )
    progress.close()
    print_json({**summary.__dict__, "seconds": round(time.perf_counter() - start, 2)})
    return 0

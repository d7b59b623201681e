"""Batch edit at scale: one transaction over N selected records (add a tag, append to a field, undo), and the
same tag added one decision at a time (``services.review.add``) on the same number of records, side by side.

    PYTHONPATH=$PWD python scripts/bench_batch_edit.py --records 1000 10000
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from heritage_tagger.services import batch_edit, review, synthetic
from heritage_tagger.services.batch_edit import BatchOperation
from heritage_tagger.services.browse import BrowseFilter, ordered_ids
from heritage_tagger.services.catalogue import open_catalogue

T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[T, float]:
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def run(n: int, root: Path) -> None:
    with open_catalogue(root / f"bench-{n}.sqlite") as cat:
        synthetic.generate(cat, n + 200, seed=1)
        ids = ordered_ids(cat, BrowseFilter())
        batch, single = ids[:n], ids[n : n + 200]
        result, add = timed(
            lambda: batch_edit.apply(cat, batch, BatchOperation.ADD_TAG, "bench tag", "bench")
        )
        undo_ids = [d.id or 0 for d in reversed(result.decisions)]
        _, undo = timed(lambda: batch_edit.undo(cat, undo_ids, [], "bench"))
        _, append = timed(
            lambda: batch_edit.apply(
                cat, batch, BatchOperation.APPEND_FIELD, "bench note", "bench", field_name="description"
            )
        )
        _, one_by_one = timed(lambda: [review.add(cat, i, "bench tag", "bench") for i in single])
        per_batch = add / n * 1000
        per_single = one_by_one / len(single) * 1000
        print(
            f"{n:>7,} records: add tag {add:6.2f} s ({per_batch:.2f} ms/record), undo {undo:6.2f} s, "
            f"append field {append:6.2f} s; one decision at a time {per_single:.2f} ms/record "
            f"(batch/single per record: {per_batch / per_single:.2f})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.records:
            run(n, Path(tmp))


if __name__ == "__main__":
    main()

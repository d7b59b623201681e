"""Benchmark choose_pairs (eqs. 1-3 and pair choice) on a synthetic catalogue: time and peak RSS."""

from __future__ import annotations

import argparse
import resource
import sys
import time

import numpy as np


def synthetic_records(
    n: int,
    vocabulary: int = 5000,
    n_locations: int = 300,
    dominant: float = 0.3,
    empty: float = 0.01,
    seed: int = 0,
) -> tuple[list[frozenset[str]], list[str | None]]:
    """Zipf-distributed description words (5-15 per record), 300 locations, one holding 30%,
    and 1% of records with neither description nor location."""
    rng = np.random.default_rng(seed)
    ranks = np.arange(1, vocabulary + 1, dtype=np.float64)
    p = 1.0 / ranks
    p /= p.sum()
    lengths = rng.integers(5, 16, size=n)
    draws = rng.choice(vocabulary, size=int(lengths.sum()), p=p)
    word_sets: list[frozenset[str]] = []
    pos = 0
    for length in lengths:
        word_sets.append(frozenset(f"w{k}" for k in draws[pos : pos + length]))
        pos += length
    locations: list[str | None] = [
        "Dominant City" if rng.random() < dominant else f"Place {rng.integers(1, n_locations)}"
        for _ in range(n)
    ]
    for i in rng.choice(n, size=int(n * empty), replace=False):  # records catalogued with nothing
        word_sets[i], locations[i] = frozenset(), None
    return word_sets, locations


def peak_rss_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    from heritage_tagger.text.metasim import choose_pairs

    t0 = time.perf_counter()
    word_sets, locations = synthetic_records(args.records, seed=args.seed)
    t1 = time.perf_counter()
    rss_before = peak_rss_mib()
    cpu = time.process_time()
    pairs = choose_pairs(word_sets, locations, n_pos=1, n_neg=2, lam=0.85, seed=args.seed)
    t2 = time.perf_counter()
    cpu = time.process_time() - cpu
    n_pos = int((pairs.label == 1).sum())
    n_neg = int((pairs.label == 0).sum())
    mean_pos = float(pairs.similarity[pairs.label == 1].mean()) if n_pos else float("nan")
    mean_neg = float(pairs.similarity[pairs.label == 0].mean()) if n_neg else float("nan")
    print(f"records                 {args.records}")
    print(f"generate records        {t1 - t0:.1f} s")
    print(f"choose_pairs            {t2 - t1:.1f} s wall, {cpu:.1f} s CPU")
    print(f"pairs                   {len(pairs)} ({n_pos} positive, {n_neg} negative)")
    print(f"mean metasim            positive {mean_pos:.3f}, negative {mean_neg:.3f}")
    print(f"without metadata        {pairs.n_without_metadata}")
    print(f"without positive        {pairs.n_without_positive}")
    print(f"peak RSS before pairs   {rss_before:.0f} MiB")
    print(f"peak RSS overall        {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()

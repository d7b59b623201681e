"""Pool several ``evaluate`` runs of one collection (other seeds, so other folds) into one table.

    for s in 0 1 2 3 4; do
        heritage-tagger evaluate --dataset ../shared/datasets/loc-jfp24 --folds 3 --seed $s \\
            --methods logreg,multicnn,melfc,ccaknn,aaam,collective,product --no-plots --out /tmp/seeds/loc/$s
    done
    python scripts/pool_evaluations.py /tmp/seeds/loc/*/results.json --ours product

On a collection of a few dozen photos one 3-fold run is a noisy draw: a test fold of 8 photos moves a
method's mAP by several hundredths. Pooling the folds of several seeds gives each method's mean over
every fold with its standard error, and for ``--ours`` the paired per-fold difference to every other
method (mean, standard error, folds won) and to the best baseline on each metric (ours and the methods that read test metadata left out), which is the
"never worse than the best baseline minus 0.01" check of issue 11 on more than three folds.
Only the top-3 protocol's imAP and mAP are pooled; every run must be of the same collection.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

METRICS = ("imAP", "mAP")


def _mean_se(values: list[float]) -> tuple[float, float]:
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return mean, float("nan")
    var = sum((v - mean) ** 2 for v in values) / (n - 1)
    return mean, math.sqrt(var / n)


def pooled_folds(paths: list[Path]) -> tuple[str, dict[str, dict[str, list[float]]]]:
    """Per method and metric, the values of every fold of every run (in the same fold order)."""
    folds: dict[str, dict[str, list[float]]] = {}
    names = set()
    for path in paths:
        result = json.loads(path.read_text(encoding="utf-8"))
        names.add(str(result["dataset"]["name"]))
        for method, entry in result["methods"].items():
            for fold in entry.get("folds_top3", []):
                for metric in METRICS:
                    folds.setdefault(method, {m: [] for m in METRICS})[metric].append(float(fold[metric]))
    if len(names) > 1:
        raise SystemExit(f"these runs are of different collections: {sorted(names)}")
    return next(iter(names)), folds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", nargs="+", type=Path, help="results.json of each run")
    parser.add_argument("--ours", default="product", help="the method compared with every other one")
    parser.add_argument(
        "--not-baselines",
        default="collective,product,product-text,ltn,ltwin",
        help="methods left out of 'the best baseline' (ours, and those that read test metadata)",
    )
    args = parser.parse_args()
    name, folds = pooled_folds(args.results)
    counts = {len(v["imAP"]) for v in folds.values()}
    print(f"{name}: {len(args.results)} runs, {max(counts)} folds pooled\n")
    print("| method | folds | imAP (± s.e.) | mAP (± s.e.) |")
    print("|---|---|---|---|")
    for method, values in folds.items():
        cells = [f"{m:.3f} ± {se:.3f}" for m, se in (_mean_se(values[k]) for k in METRICS)]
        print(f"| {method} | {len(values['imAP'])} | {cells[0]} | {cells[1]} |")
    ours = folds.get(args.ours)
    if ours is None:
        raise SystemExit(f"{args.ours} is not among the pooled methods")
    others = {m: v for m, v in folds.items() if m != args.ours and len(v["imAP"]) == len(ours["imAP"])}
    print(f"\nPaired per-fold difference, {args.ours} minus each method (mean ± s.e., folds won):\n")
    print("| method | Δ imAP | Δ mAP |")
    print("|---|---|---|")
    for method, values in others.items():
        cells = []
        for k in METRICS:
            diffs = [a - b for a, b in zip(ours[k], values[k], strict=True)]
            mean, se = _mean_se(diffs)
            cells.append(f"{mean:+.3f} ± {se:.3f} ({sum(d > 0 for d in diffs)}/{len(diffs)})")
        print(f"| {method} | {cells[0]} | {cells[1]} |")
    print()
    skip = {m.strip() for m in args.not_baselines.split(",")}
    baselines = {m: v for m, v in others.items() if m not in skip}
    for k in METRICS:
        best = max(baselines, key=lambda m: _mean_se(others[m][k])[0])
        gap = _mean_se(ours[k])[0] - _mean_se(baselines[best][k])[0]
        verdict = "within 0.01 or above" if gap >= -0.01 else "more than 0.01 below"
        print(
            f"{k}: best baseline {best} {_mean_se(baselines[best][k])[0]:.3f}; {args.ours} {gap:+.3f}: {verdict}"
        )


if __name__ == "__main__":
    main()

"""The product model for photos alone with and without its own order for "which photos suit a tag".

    python scripts/compare_tag_order.py --dataset ../shared/datasets/loc-jfp24 --seeds 0 1 2 3 4
    python scripts/compare_tag_order.py --dataset ../shared/datasets/loc-jfp24 --set gx_scale=none

For each seed, ``evaluate``'s protocol (3 folds, top-3) runs the product model twice, with
``ModelSettings.tag_order`` on and off, on the same cached features and folds; the script prints
each setting's imAP and mAP over every fold of every seed and the paired per-fold difference (mean,
standard error, folds won). With it on, ``evaluate`` reads mAP from the tag search's order
(``annotator.tag_order``); off, from the suggestion scores. imAP is the suggestions' either way, so
its difference is zero unless something else moved. ``--set NAME=VALUE`` changes another
``ModelSettings`` field in both runs (``gx_scale=none``: the paper's raw GX into the network; see
docs/evaluation, stop 23).
"""

from __future__ import annotations

import argparse
import io
import json
import math
import tempfile
from dataclasses import replace
from pathlib import Path


def _folds(out: Path) -> list[tuple[float, float]]:
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return [(f["imAP"], f["mAP"]) for f in results["methods"]["product"]["folds_top3"]]


def _settings_changes(pairs: list[str]) -> dict[str, object]:
    """``NAME=VALUE`` pairs as ``ModelSettings`` changes, each value read as its field's default is
    typed (bool, int, float; anything else as text)."""
    from heritage_tagger.settings import ModelSettings

    defaults = ModelSettings()
    changes: dict[str, object] = {}
    for pair in pairs:
        name, _, text = pair.partition("=")
        if not hasattr(defaults, name):
            raise SystemExit(f"--set {pair}: ModelSettings has no field {name!r}")
        default = getattr(defaults, name)
        if isinstance(default, bool):
            changes[name] = text.strip().lower() in ("1", "true", "yes", "on")
        elif isinstance(default, (int, float)):
            changes[name] = type(default)(text)
        else:
            changes[name] = text
    return changes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, required=True, help="a folder with records.csv and images/")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--backbone", default="efficientnet_lite0")
    parser.add_argument("--set", nargs="*", default=[], metavar="NAME=VALUE", help="other ModelSettings")
    args = parser.parse_args()
    changes = _settings_changes(args.set)
    if "tag_order" in changes:
        parser.error("--set tag_order: the script runs it both on and off")

    from heritage_tagger.evaluation.benchmark import BenchmarkOptions, run_benchmark
    from heritage_tagger.evaluation.dataset import read_manifest_folder

    data = read_manifest_folder(args.dataset)
    rows: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    with tempfile.TemporaryDirectory() as tmp:
        for seed in args.seeds:
            for on in (True, False):
                out = Path(tmp) / f"{seed}-{on}"
                options = BenchmarkOptions(
                    out=out, methods=("product",), folds=3, seed=seed, backbone=args.backbone, plots=False
                )
                options = replace(options, settings=replace(options.settings, tag_order=on, **changes))
                run_benchmark(data, options, log=io.StringIO())
                rows[on] += _folds(out)
                print(f"seed {seed}, tag order {'on' if on else 'off'}: done", flush=True)
    n = len(rows[True])
    for i, metric in enumerate(("imAP", "mAP")):
        on = [r[i] for r in rows[True]]
        off = [r[i] for r in rows[False]]
        diff = [a - b for a, b in zip(on, off, strict=True)]
        mean = sum(diff) / n
        se = math.sqrt(sum((d - mean) ** 2 for d in diff) / (n - 1) / n) if n > 1 else float("nan")
        print(
            f"{metric}: with the tag order {sum(on) / n:.3f}, without {sum(off) / n:.3f}; "
            f"difference {mean:+.4f} ± {se:.4f} (standard error), {sum(d > 0 for d in diff)}/{n} folds up"
        )


if __name__ == "__main__":
    main()

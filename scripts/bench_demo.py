"""The demo collection's first use, timed step by step, as the window runs it (each step in a fresh process).

    .venv/bin/python scripts/bench_demo.py [--workdir DIR] [--epochs 30 10]

1. ``services.demo.prepare_demo``: copy the 40 shipped photos and import them into a new catalogue.
2. ``services.demo.train_demo`` (EfficientNet-Lite0; torch import, features, fit, calibration) with
   each ``--epochs`` value, side by side, each on a fresh copy of the imported catalogue (features
   not cached) in a child process, like the window's training job.
3. The first suggestion in a fresh process (what the window's suggestion process does after the
   training: import the model's libraries, load the bundle, suggest for one photo shipped untagged).
Prints the seconds of each step; the sum of 1 + 2 (default epochs) + 3 is the work between the
click on "Try the demo collection" and the first suggestion, without the window's own overheads.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STEP = """
import sys, time
from pathlib import Path
t = time.perf_counter()
from heritage_tagger.services import demo
from heritage_tagger.services.catalogue import open_catalogue
path = Path(sys.argv[2])
if sys.argv[1] == "train":
    from heritage_tagger.services.training import train_catalogue
    with open_catalogue(path) as cat:
        epochs = int(sys.argv[3])
        train_catalogue(cat, backbone=demo.DEMO_BACKBONE, epochs=epochs)
else:
    from heritage_tagger.services.suggesting import suggest_for_record
    with open_catalogue(path) as cat:
        prediction = suggest_for_record(cat, int(sys.argv[3]))
        assert prediction.model_tags
print(time.perf_counter() - t)
"""


def _step(*args: str) -> float:
    """Wall seconds of one step in a child process (its CPU seconds printed beside: steadier on a busy machine)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        [sys.executable, "-c", STEP, *args], check=True, capture_output=True, text=True, cwd=ROOT
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    wall = float(out.stdout.strip().splitlines()[-1])
    print(f"  ({args[0]}: {wall:.1f} s wall, {cpu:.1f} s CPU)")
    return wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--epochs", type=int, nargs="+", default=[30, 10])
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="bench-demo-"))
    from heritage_tagger.services.demo import prepare_demo

    source = work / "imported" / "demo.sqlite"
    started = time.perf_counter()
    status = prepare_demo(source)
    prepared = time.perf_counter() - started
    print(f"prepare (copy + import {status.records} photos): {prepared:.1f} s")
    trained: Path | None = None
    seconds_of: dict[int, float] = {}
    for epochs in args.epochs:
        copy = work / f"epochs-{epochs}"
        shutil.copytree(source.parent, copy)
        shutil.rmtree(copy / "demo.heritage" / "features", ignore_errors=True)
        seconds = seconds_of[epochs] = _step("train", str(copy / "demo.sqlite"), str(epochs))
        print(f"train, {epochs} epochs (fresh process, features computed): {seconds:.1f} s")
        trained = trained or copy / "demo.sqlite"
    assert trained is not None and status.first_untagged is not None
    first = _step("suggest", str(trained), str(status.first_untagged))
    print(f"first suggestion in a fresh process: {first:.1f} s")
    total = prepared + seconds_of[args.epochs[0]] + first
    print(f"prepare + train ({args.epochs[0]} epochs) + first suggestion: {total:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

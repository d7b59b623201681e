"""Training cost against the collection's size: every stage at N = 3,000 ... 100,000 synthetic records.

    PYTHONPATH=. .venv/bin/python scripts/bench_scale.py --sizes 3000 10000 30000 100000 \
        [--device cpu] [--dim 1280] [--tags 257] [--out scale.json] [--keep DIR]
    PYTHONPATH=. .venv/bin/python scripts/bench_scale.py --sizes 30000 --latency-of DIR/v0001-synthetic-30000

Each size runs in its own process (so its peak RSS is its own): synthetic catalogue data with
cached features (``bench_engine.synthetic``: clustered 1280-d features, Zipf tags, topic words and
200 places), ``annotator.fit.fit_collective`` with the default ``ModelSettings``, the bundle saved
and loaded, and the suggestion latency of the loaded predictor for 300 catalogued records. Per
stage it records wall and CPU seconds (CPU is steadier on a shared machine) and the peak RSS
sampled every 20 ms. The table printed at the end gives each stage's seconds per size and its
growth exponent ``b`` of ``time ~ N^b`` (least squares on log-log over the sizes; 1 is linear, 2
quadratic), with the load average before and after each run. A line per stage goes to stderr as
the stage ends, so a run stopped at a deadline still tells how far it got.

``--latency-of`` loads a bundle ``--keep`` left and measures only the suggestion latency, searching
a few queries on one OpenMP thread (as the app does, ``knowledge.index.ONE_THREAD_UP_TO``) and on
all of them (as before), alternated in three rounds in one process: a ratio side by side.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from heritage_tagger.domain.progress import Progress  # noqa: E402

STAGES = ("pairs", "metric", "neighbours", "relevance", "summary", "network", "label quantity")


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_s() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


class Meter:
    """A progress callback summing wall and CPU seconds per stage; peak RSS sampled every 20 ms."""

    def __init__(self) -> None:
        self.stage: str | None = None
        self.since, self.cpu_since = time.perf_counter(), cpu_s()
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.peak: dict[str, float] = {}
        self.overall_peak = rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            now = rss_mb()
            self.overall_peak = max(self.overall_peak, now)
            if self.stage is not None:
                self.peak[self.stage] = max(self.peak.get(self.stage, 0.0), now)
            time.sleep(0.02)

    def __call__(self, p: Progress) -> None:
        if p.stage != self.stage:
            self.switch(p.stage)

    def switch(self, stage: str | None) -> None:
        now, cpu = time.perf_counter(), cpu_s()
        if self.stage is not None:
            self.wall[self.stage] = self.wall.get(self.stage, 0.0) + now - self.since
            self.cpu[self.stage] = self.cpu.get(self.stage, 0.0) + cpu - self.cpu_since
            if stage != self.stage:  # a stage ended: say so now, so a run stopped at a deadline still tells
                print(
                    f"  {self.stage}: {now - self.since:,.1f} s wall, {cpu - self.cpu_since:,.1f} CPU s, "
                    f"peak RSS {self.peak.get(self.stage, rss_mb()):,.0f} MiB, load {os.getloadavg()[0]:.1f}",
                    file=sys.stderr,
                    flush=True,
                )
        self.stage, self.since, self.cpu_since = stage, now, cpu

    def close(self) -> dict[str, dict[str, float]]:
        self.switch(None)
        self._stop.set()
        self._thread.join()
        return {
            s: {
                "wall_s": round(self.wall[s], 2),
                "cpu_s": round(self.cpu.get(s, 0.0), 2),
                "peak_rss_mb": round(self.peak.get(s, 0.0), 1),
            }
            for s in self.wall
        }


def run_one(n: int, dim: int, n_tags: int, device: str, keep: Path | None = None) -> dict[str, Any]:
    """One size, in this process (``keep``: a folder to leave the bundle in, for a later look)."""
    from bench_engine import synthetic

    from heritage_tagger.annotator.bundle import write_bundle
    from heritage_tagger.annotator.fit import fit_collective
    from heritage_tagger.annotator.persist import model_contents
    from heritage_tagger.annotator.predictor import Predictor
    from heritage_tagger.settings import ModelSettings
    from heritage_tagger.vision.devices import resolve_device

    out: dict[str, Any] = {"records": n, "load_before": os.getloadavg(), "rss_start_mb": round(rss_mb(), 1)}
    data = synthetic(n, dim, n_tags)
    meter = Meter()
    t, c = time.perf_counter(), cpu_s()
    model = fit_collective(
        **data, settings=ModelSettings(), progress=meter, device=str(resolve_device(device))
    )
    out["fit_wall_s"], out["fit_cpu_s"] = round(time.perf_counter() - t, 1), round(cpu_s() - c, 1)
    with tempfile.TemporaryDirectory(prefix="ht-scale-") as tmp:
        meter.switch("saving")
        bundle = write_bundle(
            (keep or Path(tmp)) / f"v0001-synthetic-{n}",
            model_contents(model, {"backbone": {"name": "synthetic"}, "feature_dim": dim}),
        )
        meter.switch("loading")
        predictor = Predictor.load(bundle)
        out["stages"] = meter.close()
        out["bundle_files_mb"] = {
            p.name: round(p.stat().st_size / 2**20, 2) for p in sorted(bundle.iterdir())
        }
        out["bundle_mb"] = round(sum(out["bundle_files_mb"].values()), 1)
    out["peak_rss_mb"] = round(meter.overall_peak, 1)
    out["index"] = predictor.model.neighbour_index.describe()
    out["model"] = {"m": model.m, "gx_mode": model.gx_mode, "metrics": model.metrics}
    out["suggestion_latency"] = suggestion_latency(predictor, data)
    out["load_after"] = os.getloadavg()
    return out


def suggestion_latency(predictor: Any, data: dict[str, Any], rounds: int = 1) -> dict[str, float]:
    """Seconds per suggestion for 300 catalogued records (one warm-up first), as percentiles."""
    from bench_engine import percentiles

    n = len(data["features"])
    rows = np.random.default_rng(1).choice(n, size=min(n, 300), replace=False)
    predictor.predict_features(data["features"][rows[0]], training_row=int(rows[0]))
    times = []
    for _ in range(rounds):
        for r in rows:
            t = time.perf_counter()
            predictor.predict_features(
                data["features"][r], training_row=int(r), existing_tags=[data["tag_labels"][0]]
            )
            times.append(time.perf_counter() - t)
    return percentiles(times)


def latency_of(bundle: Path, n: int, dim: int, n_tags: int) -> dict[str, Any]:
    """A kept bundle's suggestion latency with a few queries' search on one OpenMP thread (as the app
    searches) and on all of them (as before), alternated in three rounds in this one process."""
    from bench_engine import synthetic

    from heritage_tagger.annotator.predictor import Predictor
    from heritage_tagger.knowledge import index

    data = synthetic(n, dim, n_tags)
    predictor = Predictor.load(bundle)
    out: dict[str, Any] = {
        "records": n,
        "load_before": os.getloadavg(),
        "index": predictor.model.neighbour_index.describe(),
    }
    default = index.ONE_THREAD_UP_TO
    runs: dict[str, list[dict[str, float]]] = {"one thread": [], "all threads": []}
    for _ in range(3):
        for name, limit in (("one thread", default), ("all threads", 0)):
            index.ONE_THREAD_UP_TO = limit
            runs[name].append(suggestion_latency(predictor, data))
    index.ONE_THREAD_UP_TO = default
    out["latency"] = runs
    out["load_after"] = os.getloadavg()
    return out


def exponent(sizes: list[int], seconds: list[float]) -> float | None:
    """Least-squares slope of log(seconds) on log(N)."""
    pts = [(math.log(n), math.log(s)) for n, s in zip(sizes, seconds, strict=True) if s > 0]
    if len(pts) < 2:
        return None
    xs, ys = np.array([p[0] for p in pts]), np.array([p[1] for p in pts])
    return float(np.polyfit(xs, ys, 1)[0])


def table(results: list[dict[str, Any]]) -> str:
    sizes = [r["records"] for r in results]
    head = "| stage | " + " | ".join(f"N = {n:,}" for n in sizes) + " | exponent |"
    lines = [head, "|" + " --- |" * (len(sizes) + 2)]
    names = [s for s in (*STAGES, "saving", "loading") if any(s in r["stages"] for r in results)]
    for key, label in (("wall_s", "s"), ("cpu_s", "CPU s")):
        for stage in names:
            values = [r["stages"].get(stage, {}).get(key, 0.0) for r in results]
            b = exponent(sizes, values)
            cells = " | ".join(f"{v:,.1f}" for v in values)
            lines.append(f"| {stage} ({label}) | {cells} | {'' if b is None else f'{b:.2f}'} |")
        total = [r["fit_wall_s" if key == "wall_s" else "fit_cpu_s"] for r in results]
        b = exponent(sizes, total)
        cells = " | ".join(f"**{v:,.1f}**" for v in total)
        lines.append(f"| whole fit ({label}) | {cells} | {'' if b is None else f'{b:.2f}'} |")
    rss = [r["peak_rss_mb"] for r in results]
    lines.append(
        "| peak RSS (MiB) | " + " | ".join(f"{v:,.0f}" for v in rss) + f" | {exponent(sizes, rss) or 0:.2f} |"
    )
    lines.append("| bundle (MiB) | " + " | ".join(f"{r['bundle_mb']:,.1f}" for r in results) + " | |")
    lines.append(
        "| suggestion p95 (ms) | "
        + " | ".join(f"{r['suggestion_latency']['p95_ms']:.1f}" for r in results)
        + " | |"
    )
    lines.append("| index | " + " | ".join(str(r["index"].get("kind")) for r in results) + " | |")
    lines.append(
        "| load average (1 min) before / after | "
        + " | ".join(f"{r['load_before'][0]:.1f} / {r['load_after'][0]:.1f}" for r in results)
        + " | |"
    )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[3000, 10000, 30000, 100000])
    parser.add_argument("--dim", type=int, default=1280)
    parser.add_argument("--tags", type=int, default=257)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--keep", type=Path, help="leave each size's bundle in this folder")
    parser.add_argument(
        "--latency-of",
        type=Path,
        metavar="BUNDLE",
        help="only the suggestion latency of a kept bundle (--sizes: its N)",
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: run one size, print JSON
    args = parser.parse_args()
    if args.one:
        result = run_one(args.one, args.dim, args.tags, args.device, args.keep)
        print("RESULT " + json.dumps(result), flush=True)
        return 0
    if args.latency_of:
        print(json.dumps(latency_of(args.latency_of, args.sizes[0], args.dim, args.tags), indent=1))
        return 0
    results = []
    for n in args.sizes:
        print(f"N = {n:,} ...", file=sys.stderr, flush=True)
        cmd = [sys.executable, __file__, "--one", str(n), "--dim", str(args.dim), "--tags", str(args.tags)]
        # the child's stderr (a line per stage as it ends) passes through; its stdout carries the result
        cmd += ["--device", args.device] + (["--keep", str(args.keep)] if args.keep else [])
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)
        line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
        if proc.returncode != 0 or line is None:
            print(proc.stdout[-2000:], file=sys.stderr)
            return 1
        result = json.loads(line[len("RESULT ") :])
        print(json.dumps(result), file=sys.stderr, flush=True)
        results.append(result)
        if args.out:
            args.out.write_text(json.dumps(results, indent=2))
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())

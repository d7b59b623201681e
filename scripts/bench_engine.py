"""Benchmark the engine: per-stage training time and peak memory, feature throughput, suggestion latency.

Usage:
    .venv/bin/python scripts/bench_engine.py --dataset ../shared/datasets/documerica --synthetic 30000 \
        --out bench_engine.json

Part 1 imports the dataset into a temporary catalogue, trains with the real backbone
(``--backbone``, default efficientnet_lite0) and times every stage, the feature extraction
against the bare backbone forward pass on the same number of images, and suggestion latency
for catalogued records (features cached, predictor loaded once) and for new image files.
Part 2 runs the stages after feature extraction on a synthetic catalogue of ``--synthetic``
records (clustered random features, Zipf-distributed tags, words and places), then saves and
loads the bundle and measures suggestion latency for its records. Peak memory is the highest
resident set size sampled every 20 ms while a stage runs (the whole process, torch included).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from heritage_tagger.domain.progress import Progress


def rss_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class StageMeter:
    """A progress callback that sums wall time per stage and samples the peak RSS during each."""

    def __init__(self) -> None:
        self.stage: str | None = None
        self.since = time.perf_counter()
        self.seconds: dict[str, float] = {}
        self.peak: dict[str, float] = {}
        self.order: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            stage = self.stage
            if stage is not None:
                self.peak[stage] = max(self.peak.get(stage, 0.0), rss_mb())
            time.sleep(0.02)

    def __call__(self, p: Progress) -> None:
        if p.stage != self.stage:
            self._switch(p.stage)

    def _switch(self, stage: str | None) -> None:
        now = time.perf_counter()
        if self.stage is not None:
            self.seconds[self.stage] = self.seconds.get(self.stage, 0.0) + now - self.since
            print(
                f"  {self.stage}: {now - self.since:.1f} s (peak RSS {self.peak.get(self.stage, 0.0):.0f} MB)",
                file=sys.stderr,
                flush=True,
            )
        self.stage, self.since = stage, now
        if stage is not None and stage not in self.order:
            self.order.append(stage)
        if stage is not None:
            self.peak[stage] = max(self.peak.get(stage, 0.0), rss_mb())

    def close(self) -> dict[str, dict[str, float]]:
        self._switch(None)
        self._stop.set()
        self._thread.join()
        return {
            s: {"seconds": round(self.seconds.get(s, 0.0), 3), "peak_rss_mb": round(self.peak.get(s, 0.0), 1)}
            for s in self.order
        }


def percentiles(values: list[float]) -> dict[str, float]:
    ms = sorted(v * 1000 for v in values)
    return {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 2),
        "p95_ms": round(ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))], 2),
        "max_ms": round(ms[-1], 2),
    }


def bench_dataset(folder: Path, backbone_name: str, device: str, work: Path) -> dict[str, Any]:
    from heritage_tagger.services.catalogue import open_catalogue
    from heritage_tagger.services.importing import import_folder
    from heritage_tagger.services.suggesting import active_predictor, suggest_for_image, suggest_for_record
    from heritage_tagger.services.training import train_catalogue
    from heritage_tagger.vision.backbones import load_backbone
    from heritage_tagger.vision.features import embed_images, read_image

    out: dict[str, Any] = {"dataset": str(folder)}
    catalogue = open_catalogue(work / "bench.sqlite")
    t = time.perf_counter()
    summary = import_folder(catalogue, folder)
    out["import_seconds"] = round(time.perf_counter() - t, 2)
    out["records"] = summary.imported
    backbone = load_backbone(backbone_name, device)
    meter = StageMeter()
    t = time.perf_counter()
    outcome = train_catalogue(
        catalogue, backbone=backbone_name, device=device, progress=meter, loaded_backbone=backbone
    )
    out["train_seconds"] = round(time.perf_counter() - t, 2)
    out["stages"] = meter.close()
    out["model"] = {
        "version": outcome.version,
        "m": outcome.m,
        "gx_mode": outcome.gx_mode,
        "metrics": outcome.metrics,
    }
    # feature throughput: the features stage (decode + transform + forward + cache) against the bare forward
    import torch

    n = summary.imported
    extraction = out["stages"].get("features", {}).get("seconds", 0.0)
    size = backbone.spec.input_size
    batch = torch.randn(32, 3, size, size, device=backbone.device)
    if backbone.device.type == "cpu":
        batch = batch.contiguous(memory_format=torch.channels_last)
    with torch.inference_mode():
        backbone.module(batch[:2])
        t = time.perf_counter()
        done = 0
        while done < n:
            k = min(32, n - done)
            backbone.module(batch[:k])
            done += k
        if backbone.device.type == "cuda":
            torch.cuda.synchronize()
        bare = time.perf_counter() - t
    out["feature_throughput"] = {
        "images": n,
        "extraction_images_per_s": round(n / extraction, 2) if extraction else None,
        "bare_forward_images_per_s": round(n / bare, 2),
        "ratio": round(bare / extraction, 3) if extraction else None,
    }
    # suggestion latency for catalogued records: features cached, predictor loaded once
    from sqlalchemy import select

    from heritage_tagger.db.tables import Record

    with catalogue.session() as session:
        ids = [r for r in session.scalars(select(Record.identifier).order_by(Record.id))]
    predictor, _ = active_predictor(catalogue)
    suggest_for_record(catalogue, ids[0])  # warm the caches (feature store memmap, spaCy)
    times = []
    for identifier in ids:
        t = time.perf_counter()
        suggest_for_record(catalogue, identifier)
        times.append(time.perf_counter() - t)
    out["latency_catalogued_record"] = percentiles(times)
    # new image files: backbone forward plus the rest
    images = sorted(folder.glob("images/*.jpg"))[:30]
    suggest_for_image(catalogue, images[0])
    total, forward = [], []
    for path in images:
        t = time.perf_counter()
        suggest_for_image(catalogue, path)
        total.append(time.perf_counter() - t)
        t = time.perf_counter()
        embed_images(predictor.backbone(), [read_image(path, backbone.spec.resize_size)])
        forward.append(time.perf_counter() - t)
    out["latency_new_image"] = percentiles(total)
    out["latency_new_image_decode_and_forward_only"] = percentiles(forward)
    out["latency_new_image_rest"] = percentiles(
        [max(0.0, a - b) for a, b in zip(total, forward, strict=True)]
    )
    catalogue.close()
    return out


def synthetic(n: int, dim: int, n_tags: int, seed: int = 0) -> dict[str, Any]:
    """Clustered features, Zipf tag frequencies (1-5 tags a record), topic words and 200 places."""
    from heritage_tagger.text.word_vectors import WordVectors

    rng = np.random.default_rng(seed)
    freq = 1.0 / np.arange(1, n_tags + 1) ** 0.8
    freq /= freq.sum()
    centres = rng.normal(size=(n_tags, dim)).astype(np.float32)
    y = np.zeros((n, n_tags), np.float32)
    features = np.empty((n, dim), np.float32)
    words: list[frozenset[str]] = []
    for i in range(n):
        tags = rng.choice(n_tags, size=int(rng.integers(1, 6)), replace=False, p=freq)
        y[i, tags] = 1
        features[i] = centres[tags].mean(axis=0) + rng.normal(scale=0.8, size=dim)
        words.append(
            frozenset({f"w{t}" for t in tags} | {f"x{int(v)}" for v in rng.integers(0, 5000, size=4)})
        )
    np.maximum(features, 0, out=features)  # like ReLU/pooled backbone features
    locations = [f"place {int(v)}" for v in rng.integers(0, 200, size=n)]
    labels = [f"tag {chr(97 + t % 26)}{t}" for t in range(n_tags)]
    vectors = WordVectors(
        [f"{chr(97 + t % 26)}{t}" for t in range(n_tags)] + ["tag"], rng.normal(size=(n_tags + 1, 100))
    )
    return dict(
        features=features, word_sets=words, locations=locations, Y=y, tag_labels=labels, word_vectors=vectors
    )


def bench_synthetic(n: int, dim: int, n_tags: int, device: str, work: Path) -> dict[str, Any]:
    from heritage_tagger.annotator.bundle import write_bundle
    from heritage_tagger.annotator.fit import fit_collective
    from heritage_tagger.annotator.persist import model_contents
    from heritage_tagger.annotator.predictor import Predictor
    from heritage_tagger.settings import ModelSettings
    from heritage_tagger.vision.devices import resolve_device

    out: dict[str, Any] = {"records": n, "feature_dim": dim, "tags": n_tags}
    t = time.perf_counter()
    data = synthetic(n, dim, n_tags)
    out["generate_seconds"] = round(time.perf_counter() - t, 2)
    meter = StageMeter()
    t = time.perf_counter()
    model = fit_collective(
        **data, settings=ModelSettings(), progress=meter, device=str(resolve_device(device))
    )
    out["fit_seconds"] = round(time.perf_counter() - t, 2)
    meter._switch("saving")
    bundle = write_bundle(
        work / "v0001-synthetic",
        model_contents(model, {"backbone": {"name": "synthetic"}, "feature_dim": dim}),
    )
    meter._switch("loading")
    predictor = Predictor.load(bundle)
    out["stages"] = meter.close()
    out["bundle_mb"] = round(sum(p.stat().st_size for p in bundle.iterdir()) / 2**20, 1)
    out["model"] = {"m": model.m, "gx_mode": model.gx_mode, "metrics": model.metrics}
    rng = np.random.default_rng(1)
    rows = rng.choice(n, size=300, replace=False)
    predictor.predict_features(data["features"][rows[0]], training_row=int(rows[0]))
    times = []
    for r in rows:
        t = time.perf_counter()
        predictor.predict_features(
            data["features"][r], training_row=int(r), existing_tags=[data["tag_labels"][0]]
        )
        times.append(time.perf_counter() - t)
    out["latency_catalogued_record_predictor"] = percentiles(times)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dataset", type=Path, help="a folder with images/ and records.csv")
    parser.add_argument("--backbone", default="efficientnet_lite0")
    parser.add_argument(
        "--synthetic", type=int, default=0, help="records of the synthetic catalogue (0: skip)"
    )
    parser.add_argument(
        "--dim", type=int, default=1280, help="synthetic feature size (efficientnet_lite0: 1280)"
    )
    parser.add_argument("--tags", type=int, default=257, help="synthetic tag vocabulary (the paper's: 257)")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--out", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()
    import torch

    from heritage_tagger.vision.devices import resolve_device

    report: dict[str, Any] = {
        "machine": {
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "torch": torch.__version__,
            "device": str(resolve_device(args.device)),
            "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
            "load_average": os.getloadavg(),
        }
    }
    with tempfile.TemporaryDirectory(prefix="ht-bench-") as tmp:
        work = Path(tmp)
        if args.dataset:
            report["dataset"] = bench_dataset(args.dataset.resolve(), args.backbone, args.device, work)
            print(json.dumps(report["dataset"], indent=2), flush=True)
        if args.synthetic:
            report["synthetic"] = bench_synthetic(args.synthetic, args.dim, args.tags, args.device, work)
            print(json.dumps(report["synthetic"], indent=2), flush=True)
    if args.out:
        args.out.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

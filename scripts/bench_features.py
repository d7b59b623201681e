"""Feature-extraction throughput: bare backbone forward vs files-on-disk -> FeatureStore, and a cached rerun.

    .venv/bin/python scripts/bench_features.py [--images DIR] [--backbone efficientnet_lite0] [--device cpu]
        [--batch-size 32] [--workers auto|N] [--sweep]

Each measurement runs ``--repeat`` times, interleaved, and the best is kept; CPU seconds per image
(this process and its DataLoader workers) are printed too, being less sensitive than wall-clock time
to other programs on a shared machine. ``--sweep`` also times 0/1/2 DataLoader workers, NCHW
against channels_last and other batch sizes, to choose the defaults in vision/devices.py.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from heritage_tagger.vision.backbones import LoadedBackbone, load_backbone
from heritage_tagger.vision.devices import cpu_count, default_num_workers
from heritage_tagger.vision.feature_store import FeatureStore
from heritage_tagger.vision.features import ImageItem, extract_features, read_image

DEFAULT_IMAGES = Path(__file__).resolve().parents[2] / "shared" / "datasets" / "documerica" / "images"


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (DataLoader workers), user + system."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@dataclass
class Timing:
    """Best-of-N wall-clock throughput and the CPU seconds per image of that run."""

    rate: float = 0.0
    cpu_ms: float = float("inf")

    def add(self, n: int, wall: float, cpu: float) -> None:
        self.rate = max(self.rate, n / wall)
        self.cpu_ms = min(self.cpu_ms, 1000 * cpu / n)

    def __str__(self) -> str:
        return f"{self.rate:8.1f} images/s  {self.cpu_ms:7.1f} CPU-ms/image"


def bare_forward(
    backbone: LoadedBackbone, tensors: list, batch_size: int, timing: Timing, channels_last: bool
) -> None:
    """The backbone alone on pre-decoded, pre-transformed tensors."""
    import torch

    batches = [torch.stack(tensors[i : i + batch_size]) for i in range(0, len(tensors), batch_size)]
    if channels_last:
        batches = [b.contiguous(memory_format=torch.channels_last) for b in batches]
    with torch.inference_mode():
        backbone.module(batches[0][:2].to(backbone.device))  # warm-up
        if backbone.device.type == "cuda":
            torch.cuda.synchronize()
        wall, cpu = time.perf_counter(), _cpu_seconds()
        for b in batches:
            backbone.module(b.to(backbone.device)).cpu()
        if backbone.device.type == "cuda":
            torch.cuda.synchronize()
        timing.add(len(tensors), time.perf_counter() - wall, _cpu_seconds() - cpu)


def end_to_end(
    backbone: LoadedBackbone, items: list[ImageItem], batch_size: int, workers: int | None, timing: Timing
) -> None:
    """From files on disk to rows in an empty FeatureStore."""
    with tempfile.TemporaryDirectory() as root:
        store = FeatureStore(root, backbone.space_key, backbone.feature_dim)
        wall, cpu = time.perf_counter(), _cpu_seconds()
        result = extract_features(backbone, items, store, batch_size=batch_size, num_workers=workers)
        timing.add(len(items), time.perf_counter() - wall, _cpu_seconds() - cpu)
        assert result.computed == len(items) and not result.failed


def main() -> None:
    import torch

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=Path, default=DEFAULT_IMAGES)
    parser.add_argument("--backbone", default="efficientnet_lite0")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--workers", default="auto")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each measurement, interleaved; best is kept"
    )
    parser.add_argument("--sweep", action="store_true")
    args = parser.parse_args()

    paths = sorted(
        p for p in args.images.iterdir() if p.suffix.lower() in {".jpg", ".jpeg", ".png", ".tif", ".tiff"}
    )
    items = [ImageItem(hashlib.sha256(p.read_bytes()).hexdigest(), p) for p in paths]
    backbone = load_backbone(args.backbone, device=args.device)
    workers = None if args.workers == "auto" else int(args.workers)
    chosen = default_num_workers(backbone.device, len(items)) if workers is None else workers
    print(f"{len(items)} images from {args.images}; backbone {backbone.name} on {backbone.device}; "
          f"batch {args.batch_size}; torch threads {torch.get_num_threads()}; workers {chosen}; "
          f"best of {args.repeat}; load average before {os.getloadavg()[0]:.1f}")  # fmt: skip

    tensors = [backbone.transform(read_image(p, backbone.spec.resize_size)) for p in paths]
    channels_last = backbone.device.type == "cpu"
    bare, e2e = Timing(), Timing()
    default_threads = torch.get_num_threads()
    # the bare forward gets the better of all cores and the thread count extraction itself uses
    thread_counts = sorted(
        {default_threads, max(1, cpu_count() - chosen)} if channels_last else {default_threads}
    )
    for _ in range(args.repeat):
        for threads in thread_counts:
            torch.set_num_threads(threads)
            bare_forward(backbone, tensors, args.batch_size, bare, channels_last)
        torch.set_num_threads(default_threads)
        end_to_end(backbone, items, args.batch_size, workers, e2e)
    print(f"bare backbone forward:        {bare}  (best of {thread_counts} torch threads)")
    print(f"end-to-end extract_features:  {e2e}")
    print(
        f"ratio end-to-end / bare:      {e2e.rate / bare.rate:.2f} by wall clock, {bare.cpu_ms / e2e.cpu_ms:.2f} by CPU time"
    )

    with tempfile.TemporaryDirectory() as root:
        store = FeatureStore(root, backbone.space_key, backbone.feature_dim)
        first = extract_features(backbone, items, store, batch_size=args.batch_size, num_workers=workers)
        cached = Timing()
        for _ in range(args.repeat):
            wall, cpu = time.perf_counter(), _cpu_seconds()
            again = extract_features(
                backbone, items, FeatureStore(root, backbone.space_key, backbone.feature_dim)
            )
            cached.add(len(items), time.perf_counter() - wall, _cpu_seconds() - cpu)
        assert again.cached == len(items) and np.array_equal(first.features, again.features)
    print(f"second run, all cached:       {cached}")
    print(
        f"load average after {os.getloadavg()[0]:.1f} (this machine is shared: wall-clock figures vary with it)"
    )

    if args.sweep:
        print("-- sweep --")
        for w in (0, 1, 2):
            t = Timing()
            for _ in range(args.repeat):
                end_to_end(backbone, items, args.batch_size, w, t)
            print(f"end-to-end, {w} workers:       {t}")
        if backbone.device.type == "cpu" and torch.get_num_threads() > 1:
            threads, t = torch.get_num_threads(), Timing()
            torch.set_num_threads(1)
            for _ in range(args.repeat):
                bare_forward(backbone, tensors, args.batch_size, t, channels_last)
            torch.set_num_threads(threads)
            print(f"bare forward, 1 torch thread: {t}")
        if backbone.device.type == "cpu":
            t = Timing()
            backbone.module.to(memory_format=torch.contiguous_format)
            for _ in range(args.repeat):
                bare_forward(backbone, tensors, args.batch_size, t, channels_last=False)
            print(f"bare forward, NCHW (no channels_last): {t}")
            backbone.module.to(memory_format=torch.channels_last)
        for bs in (8, 64):
            t = Timing()
            for _ in range(args.repeat):
                bare_forward(backbone, tensors, bs, t, channels_last)
            print(f"bare forward, batch {bs}:      {t}")


if __name__ == "__main__":
    main()

"""CPU time of the backbones side by side: features of the same photos, each backbone in turn, repeated.

    python scripts/bench_backbones.py /work/shared/datasets/documerica/images --backbones \\
        efficientnet_lite0,efficientnet_lite2 --repeats 3 --threads 2

Images are decoded and resized once per backbone (its own transform) outside the timing; the timing
is the forward pass only, in batches of ``--batch``, best of ``--repeats`` rounds interleaved so that
a busy machine slows every backbone alike. Prints milliseconds per image and the ratio to the first.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from heritage_tagger.vision.backbones import load_backbone


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--backbones", default="efficientnet_lite0,efficientnet_lite2")
    parser.add_argument("--limit", type=int, default=64)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    import torch
    from PIL import Image

    torch.set_num_threads(args.threads)
    paths = sorted(p for p in args.folder.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png"))[
        : args.limit
    ]
    images = [Image.open(p).convert("RGB") for p in paths]
    names = [n.strip() for n in args.backbones.split(",") if n.strip()]
    loaded = {n: load_backbone(n, device="cpu") for n in names}
    batches = {
        n: [
            torch.stack([b.transform(im) for im in images[i : i + args.batch]]).contiguous(
                memory_format=torch.channels_last
            )
            for i in range(0, len(images), args.batch)
        ]
        for n, b in loaded.items()
    }
    best = {n: float("inf") for n in names}
    with torch.inference_mode():
        for n in names:  # warm-up
            loaded[n].module(batches[n][0])
        for _ in range(args.repeats):
            for n in names:
                started = time.perf_counter()
                for batch in batches[n]:
                    loaded[n].module(batch)
                best[n] = min(best[n], time.perf_counter() - started)
    first = best[names[0]]
    print(
        f"{len(images)} images from {args.folder}, batch {args.batch}, {args.threads} torch threads, best of {args.repeats}"
    )
    for n in names:
        spec = loaded[n].spec
        print(
            f"{n:20s} {spec.input_size} px  {1000 * best[n] / len(images):7.1f} ms/image  "
            f"x{best[n] / first:.2f} of {names[0]}"
        )


if __name__ == "__main__":
    main()

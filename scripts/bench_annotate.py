"""Batch annotation throughput against the bare backbone forward pass, and the time of a full retrain.

    .venv/bin/python scripts/bench_annotate.py [--train-on DIR] [--annotate DIR] [--backbone efficientnet_lite0]
        [--device cpu] [--epochs N] [--synthetic 3000] [--skip-retrain] [--workdir DIR]

1. A fresh catalogue imports ``--train-on`` (loc-jfp24) and trains a model on it.
2. The bare forward pass: the ``--annotate`` photos (documerica, 100) decoded and transformed in
   memory first (not timed), then only the backbone's forward pass, in batches: images/s.
3. End to end: ``import_and_annotate`` on the same folder, from files on disk to suggestions
   committed in the catalogue (hashing, metadata, thumbnails, decoding, features, model, writes):
   images/s, and the annotation stage alone (features + model + writes) as reported by the job.
   The model and its backbone are loaded once before (a one-off cost, printed apart; the app
   keeps them loaded); the bare forward pass is timed before and after, best kept.
4. A synthetic catalogue of ``--synthetic`` records with generated photos: a first training (with
   feature extraction), twenty review decisions, then the timed ``retraining.retrain`` (comparison
   model + candidate, features already cached) and its activation.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (DataLoader workers)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def bare_forward(
    backbone_name: str, device: str, folder: Path, batch_size: int, repeat: int = 2
) -> tuple[float, float]:
    """Best images/s (over 1 and all torch threads) and least CPU-ms per image of the forward pass alone."""
    import torch

    from heritage_tagger.vision.backbones import load_backbone
    from heritage_tagger.vision.features import _forward, read_image

    backbone = load_backbone(backbone_name, device)
    paths = sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".png", ".tif"))
    tensors = [backbone.transform(read_image(p, backbone.spec.resize_size)) for p in paths]
    _forward(backbone, torch.stack(tensors[:batch_size]))  # warm-up
    best, cpu_ms = 0.0, float("inf")
    threads = torch.get_num_threads()
    for n_threads in sorted({1, threads}):
        torch.set_num_threads(n_threads)
        for _ in range(repeat):
            start, cpu = time.perf_counter(), cpu_seconds()
            for i in range(0, len(tensors), batch_size):
                _forward(backbone, torch.stack(tensors[i : i + batch_size]))
            best = max(best, len(tensors) / (time.perf_counter() - start))
            cpu_ms = min(cpu_ms, 1000 * (cpu_seconds() - cpu) / len(tensors))
    torch.set_num_threads(threads)
    return best, cpu_ms


def annotate_benchmark(args: argparse.Namespace, work: Path) -> None:
    from heritage_tagger.services.annotating import import_and_annotate
    from heritage_tagger.services.catalogue import open_catalogue
    from heritage_tagger.services.importing import import_folder
    from heritage_tagger.services.suggesting import active_predictor
    from heritage_tagger.services.training import train_catalogue

    with open_catalogue(work / "annotate.sqlite") as cat:
        t0 = time.perf_counter()
        first = import_folder(cat, args.train_on)
        outcome = train_catalogue(cat, backbone=args.backbone, device=args.device, epochs=args.epochs)
        print(f"trained {outcome.version} on {first.imported} photos of {args.train_on.name} "
              f"({outcome.backbone}) in {time.perf_counter() - t0:.1f} s")  # fmt: skip
        bare, bare_cpu = bare_forward(
            outcome.backbone, args.device, args.annotate, cat.settings.model.batch_size
        )
        t0 = time.perf_counter()
        predictor, _ = active_predictor(cat)  # loaded once per process (the GUI keeps it)
        predictor.backbone()
        load = time.perf_counter() - t0
        t0, c0 = time.perf_counter(), cpu_seconds()
        imported, report = import_and_annotate(cat, args.annotate)
        wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
        bare_after, bare_cpu_after = bare_forward(
            outcome.backbone, args.device, args.annotate, cat.settings.model.batch_size
        )
        bare, bare_cpu = max(bare, bare_after), min(bare_cpu, bare_cpu_after)
        with sqlite3.connect(cat.path) as db:
            covered = db.execute(
                "SELECT count(DISTINCT t.record_id) FROM record_tags t JOIN records r ON r.id = t.record_id "
                "WHERE t.state = 'suggested' AND r.batch_id = ?",
                (imported.batch_id,),
            ).fetchone()[0]
    n = imported.imported
    end_to_end = n / wall
    stage = report.annotated / report.seconds if report.seconds else 0.0
    print(f"photos imported and annotated: {n}; with stored suggestions: {covered}; "
          f"suggestions: {report.suggestions}; unreadable: {len(report.failed)}")  # fmt: skip
    e2e_cpu = 1000 * cpu / max(1, n)
    print(
        f"bare {outcome.backbone} forward pass (best before/after): {bare:7.1f} images/s {bare_cpu:7.1f} CPU-ms/image"
    )
    print(f"end to end (import + annotate, disk->db): {end_to_end:7.1f} images/s {e2e_cpu:7.1f} CPU-ms/image")
    print(
        f"ratio end to end / bare forward: {end_to_end / bare:.2f} by wall clock, {bare_cpu / e2e_cpu:.2f} by CPU time"
    )
    print(f"loading the model and its backbone once (not in the figures above): {load:.2f} s")
    print(f"annotation stage alone (features+model+db): {stage:7.1f} images/s  ratio {stage / bare:.2f}")


def retrain_benchmark(args: argparse.Namespace, work: Path) -> None:
    from heritage_tagger.services import review, synthetic
    from heritage_tagger.services.catalogue import open_catalogue
    from heritage_tagger.services.retraining import activate_candidate, retrain
    from heritage_tagger.services.training import train_catalogue

    with open_catalogue(work / "synthetic.sqlite") as cat:
        t0 = time.perf_counter()
        synthetic.generate(cat, args.synthetic, images=args.synthetic, seed=1)
        print(
            f"synthetic catalogue of {args.synthetic} records with photos: {time.perf_counter() - t0:.1f} s"
        )
        t0 = time.perf_counter()
        first = train_catalogue(cat, backbone=args.backbone, device=args.device, epochs=args.epochs)
        print(
            f"first training (features extracted): {time.perf_counter() - t0:.1f} s, {first.n_training_rows} rows"
        )
        with sqlite3.connect(cat.path) as db:
            pending = db.execute(
                "SELECT t.record_id, g.label FROM record_tags t JOIN tags g ON g.id = t.tag_id "
                "WHERE t.state = 'suggested' ORDER BY t.record_id LIMIT 20"
            ).fetchall()
        for i, (rid, label) in enumerate(pending):
            (review.accept if i % 2 == 0 else review.reject)(cat, rid, label, "bench")
        t0 = time.perf_counter()
        outcome = retrain(cat, device=args.device, epochs=args.epochs)
        trained = time.perf_counter() - t0
        t0 = time.perf_counter()
        _, refreshed = activate_candidate(cat, outcome.candidate.version)
        activated = time.perf_counter() - t0
    print(f"retrain of {args.synthetic} records after {outcome.decisions_since} decisions "
          f"(comparison model + candidate): {trained:.1f} s; activation + re-suggesting "
          f"{refreshed.annotated} records: {activated:.1f} s")  # fmt: skip
    print(outcome.comparison.table(outcome.candidate.version))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train-on", type=Path, default=DATASETS / "loc-jfp24")
    parser.add_argument("--annotate", type=Path, default=DATASETS / "documerica")
    parser.add_argument("--backbone", default="efficientnet_lite0")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--epochs", type=int, default=None, help="default: the settings' 30")
    parser.add_argument("--synthetic", type=int, default=3000)
    parser.add_argument("--skip-retrain", action="store_true")
    parser.add_argument("--skip-annotate", action="store_true")
    parser.add_argument("--workdir", type=Path, default=None, help="default: a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-annotate-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        if not args.skip_annotate:
            annotate_benchmark(args, work)
        if not args.skip_retrain:
            retrain_benchmark(args, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""One evaluation end to end: prepare tags, extract (cached) backbone features once, split, run, report, plot."""

from __future__ import annotations

import hashlib
import sys
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import numpy as np

from heritage_tagger.domain.errors import HeritageTaggerError
from heritage_tagger.domain.progress import CancelToken, ProgressCallback, null_progress
from heritage_tagger.evaluation.dataset import EvalDataset, PreparedData, fingerprint, prepare
from heritage_tagger.evaluation.protocol import Split, hash_split, kfold_splits, repeated_splits
from heritage_tagger.settings import DEFAULT_BACKBONE, ModelSettings, user_data_dir

if TYPE_CHECKING:
    from heritage_tagger.evaluation.runner import EvaluationResult

DEFAULT_METHODS = (
    "random",
    "knn",
    "logreg",
    "multicnn",
    "melfc",
    "tagprop",
    "ccaknn",
    "aaam",
    "collective",
    "product",
    "product-text",
    "ltn",
    "ltwin",
)


@dataclass
class BenchmarkOptions:
    out: Path
    methods: tuple[str, ...] = DEFAULT_METHODS
    folds: int | None = 3
    repeats: int | None = None
    seed: int = 0
    backbone: str = DEFAULT_BACKBONE
    cache: Path | None = None
    threads: int = 1
    threshold: float | None = None
    word_vectors: str | None = None
    plots: bool = True
    settings: ModelSettings = field(default_factory=ModelSettings)


def default_cache() -> Path:
    """Feature cache shared by evaluation runs: ``<user data dir>/evaluation-cache/features``."""
    return user_data_dir() / "evaluation-cache" / "features"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def extract(
    data: EvalDataset, backbone_name: str, cache: Path, progress: ProgressCallback, cancel: CancelToken | None
) -> tuple[np.ndarray, list[int], dict[str, Any]]:
    """Backbone features of every record (cached on disk by image SHA-256); failed record positions."""
    from heritage_tagger.annotator.backbones import load_backbone
    from heritage_tagger.annotator.features import ImageItem, features_for

    backbone = load_backbone(backbone_name, device="cpu")
    items = [ImageItem(_sha256(p), p) for p in data.image_paths]
    started = time.perf_counter()
    batch_size = ModelSettings().batch_size
    result = features_for(items, backbone, cache, batch_size=batch_size, progress=progress, cancel=cancel)
    info = {
        "name": backbone.name,
        "checksum": backbone.checksum,
        "space_key": backbone.space_key,
        "feature_dim": backbone.feature_dim,
        "note": backbone.note,
        "device": str(backbone.device),
        "computed": result.computed,
        "cached": result.cached,
        "seconds": round(time.perf_counter() - started, 2),
    }
    return result.features, sorted(result.failed), info


def per_tag_out_of_fold(
    prepared: PreparedData, result: EvaluationResult
) -> dict[str, dict[str, float | None]]:
    """Per method, each tag's AP over the records scored out of fold (None for tags with no positive), on
    the order each tag's photos are shown in (``MethodResult.tag_scores``)."""
    from heritage_tagger.evaluation.metrics import per_tag_ap

    out: dict[str, dict[str, float | None]] = {}
    for m in result.methods:
        scores = m.tag_scores
        if scores is None or not m.folds:
            continue
        ok = np.isfinite(scores).all(axis=1)
        ap = per_tag_ap(prepared.Y[ok], scores[ok])
        out[m.name] = {
            t: (None if not np.isfinite(a) else round(float(a), 4))
            for t, a in zip(prepared.vocabulary, ap, strict=True)
        }
    return out


def make_splits(prepared: PreparedData, options: BenchmarkOptions) -> list[Split]:
    n = len(prepared.data)
    if options.repeats:
        return repeated_splits(n, options.repeats, options.seed)
    if options.folds:
        return kfold_splits(n, options.folds, options.seed)
    return [hash_split(prepared.data.ids)]


def run_benchmark(
    data: EvalDataset,
    options: BenchmarkOptions,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
    log: TextIO | None = None,
) -> tuple[str, dict[str, Any]]:
    """Evaluate every method on ``data``; writes table.md, results.json and plots to ``options.out``."""
    log = log if log is not None else sys.stderr  # resolved per call, not at import
    from heritage_tagger.evaluation.plots import write_plots
    from heritage_tagger.evaluation.report import results_json, write_report
    from heritage_tagger.evaluation.runner import run_evaluation

    started = time.perf_counter()
    settings = options.settings
    if options.word_vectors == "glove":
        settings = replace(settings, word_vectors="glove", word_vector_path=None)
    elif options.word_vectors == "catalogue":
        settings = replace(settings, word_vectors="catalogue", word_vector_path=None)
    elif options.word_vectors:
        settings = replace(settings, word_vector_path=options.word_vectors)
    settings = replace(settings, seed=options.seed)
    tagged = data.subset([i for i, t in enumerate(data.tags) if any(x.strip() for x in t)])
    if len(tagged) == 0:
        raise HeritageTaggerError(
            f"No record of {data.name} carries a tag: there is nothing to evaluate against."
        )
    print(
        f"{data.name}: {len(data)} records, {len(tagged)} tagged; extracting features...",
        file=log,
        flush=True,
    )
    features, failed, backbone = extract(
        tagged, options.backbone, options.cache or default_cache(), progress, cancel
    )
    if failed:
        print(f"{len(failed)} images could not be read; their records are left out", file=log)
    good = [i for i in range(len(tagged)) if i not in set(failed)]
    prepared = prepare(tagged.subset(good), settings.tag_min_fraction, settings.tag_min_count)
    prepared.stats["records_read"] = len(data)
    prepared.stats["records_untagged"] = len(data) - len(tagged)
    prepared.stats["unreadable_images"] = len(failed)
    n, t = prepared.Y.shape
    print(
        f"{n} records and {t} tags survive the tag threshold (>= {prepared.stats['min_records_per_tag']} records)",
        file=log,
    )
    if n < 6 or t < 2:
        raise HeritageTaggerError(
            f"Only {n} records and {t} tags survive the frequency threshold: too few to evaluate."
        )
    X = features[good][[tagged.subset(good).ids.index(r) for r in prepared.data.ids]]
    if options.threads:
        import torch

        torch.set_num_threads(options.threads)
    splits = make_splits(prepared, options)
    result = run_evaluation(
        prepared,
        X,
        list(options.methods),
        splits,
        settings,
        options.threshold,
        progress=progress,
        cancel=cancel,
        log=log,
    )
    elapsed = time.perf_counter() - started
    protocol = {
        "scheme": "repeats" if options.repeats else "folds" if options.folds else "hash 2:1",
        "folds": options.folds if not options.repeats else None,
        "repeats": options.repeats,
        "seed": options.seed,
        "top_k": settings.top_k,
        "threshold": settings.threshold if options.threshold is None else options.threshold,
        "tag_min_fraction": settings.tag_min_fraction,
        "tag_min_count": settings.tag_min_count,
        "validation_fraction": settings.validation_fraction,
    }
    context = {
        "per_tag_ap_out_of_fold": per_tag_out_of_fold(prepared, result),
        "dataset": {
            "name": data.name,
            "source": data.source,
            "fingerprint": fingerprint(prepared),
            **prepared.stats,
        },
        "vocabulary": prepared.vocabulary,
        "backbone": backbone,
        "protocol": protocol,
        "settings": {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(settings).items()},
        "seconds_total": round(elapsed, 1),
    }
    caption = (
        f"{data.name}: {n} records, {t} tags, backbone {backbone['name']} "
        f"({backbone['space_key']}), {protocol['scheme']} seed {options.seed}"
    )
    table = write_report(options.out, result, context, caption)
    if options.plots:
        written = write_plots(prepared, result, options.out)
        print("plots: " + ", ".join(str(p) for p in written), file=log)
    return table, results_json(result, context)

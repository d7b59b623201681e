"""Fit the collective model on every tagged record of a manifest folder and print its validation choices as JSON.

    python scripts/fit_on_dataset.py ../shared/datasets/loc-jfp24 [--cache DIR]

EfficientNet-Lite0 features (cached by image SHA-256 in --cache), word vectors trained on the
records' own text, default ModelSettings, one torch thread. Used to check that a refactor leaves
the trained model as it was: the numbers are the model's own validation figures and choices.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/evalcache"))
    args = parser.parse_args()
    import torch

    from heritage_tagger.annotator.fit import fit_collective
    from heritage_tagger.evaluation.benchmark import extract
    from heritage_tagger.evaluation.dataset import prepare, read_manifest_folder
    from heritage_tagger.evaluation.runner import fold_word_vectors
    from heritage_tagger.settings import ModelSettings
    from heritage_tagger.text.lemmatise import token_set

    torch.set_num_threads(1)
    data = read_manifest_folder(args.dataset)
    tagged = data.subset([i for i, t in enumerate(data.tags) if any(x.strip() for x in t)])
    features, failed, _ = extract(tagged, "efficientnet_lite0", args.cache, lambda p: None, None)
    good = [i for i in range(len(tagged)) if i not in set(failed)]
    settings = ModelSettings()
    prepared = prepare(tagged.subset(good), settings.tag_min_fraction, settings.tag_min_count)
    X = features[good][[tagged.subset(good).ids.index(r) for r in prepared.data.ids]]
    vectors = fold_word_vectors(prepared, np.arange(len(prepared.data)), settings)
    d = prepared.data
    started = time.perf_counter()
    model = fit_collective(
        X, [token_set(a or b) for a, b in zip(d.descriptions, d.titles, strict=True)], list(d.locations),
        prepared.Y, prepared.vocabulary, vectors, settings,
    )  # fmt: skip
    keys = ("model_imap", "network_imap", "neighbour_imap", "knn_raw_imap", "knn_k", "blend_weight",
            "blend_source", "neighbour_ap_raw", "neighbour_ap_adapter")  # fmt: skip
    out = {k: model.metrics[k] for k in keys if k in model.metrics}
    out.update(
        gx_mode=model.gx_mode,
        m=model.m,
        epochs=model.hyperparameters["network_epochs"],
        quantity=model.hyperparameters["quantity"],
        relevance_sum=round(float(model.relevance.sum()), 3),
        seconds=round(time.perf_counter() - started, 1),
    )
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

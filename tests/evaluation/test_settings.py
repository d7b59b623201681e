"""The evaluation passes its ModelSettings on: top_k and threshold change the table, and the methods
that take settings are fitted with them."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from heritage_tagger.evaluation.dataset import EvalDataset, prepare
from heritage_tagger.evaluation.protocol import kfold_splits
from heritage_tagger.evaluation.runner import run_evaluation
from heritage_tagger.settings import ModelSettings


def _overall(settings: ModelSettings, n: int = 24) -> tuple[float, float]:
    """(OP, OR) of KNN over 3 folds of three clustered classes."""
    rng = np.random.default_rng(0)
    tags = [["harbour", "boat"], ["field"], ["brick", "street"]]
    data = EvalDataset("t", [f"r{i}" for i in range(n)], [Path(f"/x/{i}.jpg") for i in range(n)],
                       [""] * n, [""] * n, [""] * n, [tags[i % 3] for i in range(n)])  # fmt: skip
    centres = rng.normal(size=(3, 6))
    features = np.stack([centres[i % 3] + 0.3 * rng.normal(size=6) for i in range(n)]).astype(np.float32)
    result = run_evaluation(prepare(data), features, ["knn"], kfold_splits(n, 3), settings, log=io.StringIO())
    summary = result.methods[0].summary()
    return summary["OP"]["mean"], summary["OR"]["mean"]


def test_top_k_and_threshold_change_the_decisions() -> None:
    op3, or3 = _overall(ModelSettings(top_k=3))
    op1, or1 = _overall(ModelSettings(top_k=1))
    assert op1 > op3 and or1 < or3  # fewer proposals: higher precision, lower recall
    # KNN scores are vote fractions (at most 1, plus a tiny frequency prior): above them, nothing is proposed
    assert _overall(ModelSettings(top_k=3, threshold=1.01)) == (0.0, 0.0)


def test_the_methods_that_take_model_settings_get_the_evaluations() -> None:
    """The product model, the collective model and MeL+Fc are fitted with the settings the evaluation
    was given (a switch such as ``tag_order`` reaches them), unless a method was given its own."""
    from heritage_tagger.evaluation.runner import method_params_for

    settings = ModelSettings(tag_order=False, top_k=2)
    for name in ("product", "product-text", "collective", "melfc"):
        assert method_params_for(name, settings, {})["settings"] is settings
    assert "settings" not in method_params_for("knn", settings, {"knn": {"m": 5}})
    own = ModelSettings(tag_order=True)
    assert method_params_for("product", settings, {"product": {"settings": own}})["settings"] is own

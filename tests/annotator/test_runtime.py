"""The numpy runtime of a loaded model: the same outputs as the torch modules, no torch import needed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from heritage_tagger.annotator.network import build_annotation_net, build_quantity_head, predict_module
from heritage_tagger.annotator.runtime import numpy_module, run


def _weights(module: object) -> dict[str, np.ndarray]:
    return {k: v.detach().numpy() for k, v in module.state_dict().items()}  # type: ignore[attr-defined]


def test_numpy_modules_match_torch() -> None:
    import torch

    rng = np.random.default_rng(0)
    gx = rng.normal(size=(7, 12)).astype(np.float32)
    gs = rng.normal(size=(7, 5)).astype(np.float32)
    torch.manual_seed(0)
    net = build_annotation_net(12, 5, 4, h1=9, h2=3)
    quantity = build_quantity_head(17, 6)
    quantity.train()  # dropout is active while training: the runtime always evaluates in eval mode
    fast_net, fast_quantity = numpy_module(_weights(net), "net"), numpy_module(_weights(quantity), "quantity")
    assert fast_net is not None and fast_quantity is not None
    np.testing.assert_allclose(
        run(fast_net, (gx, gs), "cpu"), predict_module(net, (gx, gs), "cpu"), atol=1e-5
    )
    np.testing.assert_allclose(
        run(fast_quantity, (gx, gs), "cpu"), predict_module(quantity, (gx, gs), "cpu"), atol=1e-5
    )
    assert run(net, (gx, gs), "cpu").shape == (7, 4)  # a torch module still runs through torch
    assert set(fast_net.state_dict()) == set(_weights(net))


def test_an_unknown_architecture_stays_with_torch() -> None:
    weights = _weights(build_annotation_net(4, 3, 2))
    weights["text.weight"] = np.zeros((2, 2), np.float32)  # a branch this runtime does not know
    assert numpy_module(weights, "net") is None
    assert numpy_module({}, "quantity") is None


def test_a_catalogued_photos_suggestion_needs_no_torch(fitted: tuple, tmp_path: Path) -> None:
    from heritage_tagger.annotator.bundle import write_bundle
    from heritage_tagger.annotator.persist import model_contents

    data, model, _ = fitted
    bundle = write_bundle(tmp_path / "v0001", model_contents(model, {"backbone": {"name": "tiny"}}))
    np.save(tmp_path / "features.npy", data["features"][:3])
    script = (
        "import sys, numpy as np\n"
        "from heritage_tagger.annotator.predictor import Predictor\n"
        f"p = Predictor.load({str(bundle)!r})\n"
        f"f = np.load({str(tmp_path / 'features.npy')!r})\n"
        "out = p.predict_features(f[1], training_row=1, existing_tags=[p.model.tag_labels[0]])\n"
        "print(out.model_tags[0][0], 'torch' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120,
        env={**__import__("os").environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )  # fmt: skip
    top, torch_loaded = result.stdout.split()
    assert torch_loaded == "False", result.stdout
    probs, _ = model.predict(data["features"][1:2], np.array([1]))
    assert top == model.tag_labels[int(np.argmax(probs[0]))]


@pytest.mark.parametrize("kind", ["net", "quantity"])
def test_missing_weights_are_not_guessed(kind: str) -> None:
    assert numpy_module({"visual.weight": np.zeros((1, 1), np.float32)}, kind) is None

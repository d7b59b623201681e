"""The numpy runtime of a loaded model: the same outputs as the torch modules, no torch import needed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

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


def test_the_three_branch_network_matches_torch_with_and_without_text() -> None:
    """The product model's network (text branch, lexical pathway, GX scaled) gives torch's logits, for
    records with text and for image-only rows (torch then feeds the text branch zeros)."""
    import torch

    rng = np.random.default_rng(1)
    gx, gs = rng.normal(size=(6, 12)).astype(np.float32), rng.normal(size=(6, 5)).astype(np.float32)
    gt = rng.normal(size=(6, 8)).astype(np.float32)
    lexical = (rng.random((6, 4)) < 0.4).astype(np.float32)
    torch.manual_seed(1)
    net = build_annotation_net(12, 5, 4, h1=9, h2=3, text_dim=8, h3=7, gx_scale=3.5, text_dropout=0.5)
    with torch.no_grad():
        net.lexical_weight.fill_(1.7)  # type: ignore[operator]
    fast = numpy_module(_weights(net), "net", {"gx_scale": 3.5, "text_dropout": 0.5})
    assert fast is not None and getattr(fast, "text_dim", 0) == 8
    net.train()  # text dropout is active while training: the runtime always evaluates in eval mode
    np.testing.assert_allclose(
        run(fast, (gx, gs, gt, lexical), "cpu"), predict_module(net, (gx, gs, gt, lexical), "cpu"), atol=1e-5
    )
    np.testing.assert_allclose(run(fast, (gx, gs), "cpu"), predict_module(net, (gx, gs), "cpu"), atol=1e-5)
    assert not np.allclose(run(fast, (gx, gs, gt, lexical), "cpu"), run(fast, (gx, gs), "cpu"))
    # the GX scale is read from the manifest's record: without it the logits differ
    unscaled = numpy_module(_weights(net), "net")
    assert unscaled is not None and not np.allclose(
        run(unscaled, (gx, gs), "cpu"), run(fast, (gx, gs), "cpu")
    )


def test_the_mlp_probe_matches_torch() -> None:
    import torch

    from heritage_tagger.annotator.mlp import predict_logits, two_layer

    torch.manual_seed(2)
    module = two_layer(10, 6, 4)
    x = np.random.default_rng(2).normal(size=(5, 10)).astype(np.float32)
    fast = numpy_module(_weights(module), "mlp")
    assert fast is not None
    np.testing.assert_allclose(run(fast, (x,), "cpu"), predict_logits(module, [x]), atol=1e-5)


def test_an_unknown_architecture_stays_with_torch() -> None:
    weights = _weights(build_annotation_net(4, 3, 2))
    weights["extra.weight"] = np.zeros((2, 2), np.float32)  # a branch this runtime does not know
    assert numpy_module(weights, "net") is None
    text_net = _weights(build_annotation_net(4, 3, 2, text_dim=2, h3=3))
    del text_net["lexical_weight"]  # a text branch without the lexical pathway: not a known network
    assert numpy_module(text_net, "net") is None
    assert numpy_module({}, "quantity") is None
    assert numpy_module({"0.weight": np.zeros((1, 1), np.float32)}, "mlp") is None


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


def test_a_product_bundles_suggestions_run_in_numpy(clusters: Any, tmp_path: Path) -> None:
    """The product model (text branch, calibration, thresholds, sources), loaded in a fresh process:
    a photo without text is answered without importing torch, and a record with its caption gets the
    probabilities and sources of the model just trained, from numpy networks. (Reading a caption
    lemmatises it with spaCy, whose thinc imports torch when it is installed: not the network's doing.)"""
    from heritage_tagger.annotator.bundle import write_bundle
    from heritage_tagger.annotator.persist import product_contents
    from heritage_tagger.annotator.predictor import Predictor, RecordText
    from heritage_tagger.annotator.product import fit_product
    from heritage_tagger.annotator.text_inputs import encode_texts
    from heritage_tagger.settings import ModelSettings
    from heritage_tagger.vocab.lexicon import Lexicon

    data = clusters(30, seed=5)
    tags = data["tag_labels"]
    captions = [RecordText(f"A {tags[int(np.flatnonzero(y)[0])]} today", "", "") for y in data["Y"]]
    texts = encode_texts(captions, data["word_vectors"], Lexicon.of_labels(tags))
    settings = ModelSettings(
        epochs=2, neighbour_grid=(3,), batch_size=8, hidden_visual=8, hidden_semantic=8, hidden_text=4,
        probe_max_epochs=4,
    )  # fmt: skip
    product = fit_product(**data, settings=settings, texts=texts, record_ids=np.arange(30))
    assert product.collective.text_dim > 0
    bundle = write_bundle(tmp_path / "v1", product_contents(product, {"version": "v1"}, data["word_vectors"]))
    np.save(tmp_path / "features.npy", data["features"][:3])
    script = (
        "import sys, json, numpy as np\n"
        "from heritage_tagger.annotator.predictor import Predictor, RecordText\n"
        f"p = Predictor.load({str(bundle)!r})\n"
        f"f = np.load({str(tmp_path / 'features.npy')!r})\n"
        "alone = p.predict_features(f[2], training_row=2)\n"
        "torch_alone = 'torch' in sys.modules\n"
        "out = p.predict_features(f[1], training_row=1, text=RecordText('A boat today', '', ''))\n"
        "print(json.dumps({'tags': out.model_tags, 'read_text': out.read_text, 'sources': out.sources,\n"
        "    'alone': alone.model_tags, 'torch': torch_alone, 'net': type(p.model.net).__module__}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=180,
        env={**__import__("os").environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )  # fmt: skip
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["torch"] is False and answer["net"] == "heritage_tagger.annotator.runtime", result.stdout
    here = Predictor(product, {"version": "v1"}, word_vectors=data["word_vectors"])
    with_text = here.predict_features(
        data["features"][1], training_row=1, text=RecordText("A boat today", "", "")
    )
    alone = here.predict_features(data["features"][2], training_row=2)
    assert answer["read_text"] is True and answer["sources"] == with_text.sources
    for got, want in ((answer["tags"], with_text.model_tags), (answer["alone"], alone.model_tags)):
        assert sorted(t for t, _ in got) == sorted(t for t, _ in want)
        np.testing.assert_allclose(dict(got)[tags[0]], dict(want)[tags[0]], atol=1e-5)
        np.testing.assert_allclose(sorted(p for _, p in got), sorted(p for _, p in want), atol=1e-5)

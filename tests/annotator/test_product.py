"""The product model: the text branch, the probes, the choice per kind of record, calibration, the bundle."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from heritage_tagger.annotator.product import MODES, ProductModel, fit_product
from heritage_tagger.annotator.text_inputs import RecordText, TextInputs, encode_texts
from heritage_tagger.settings import ModelSettings
from heritage_tagger.vocab.lexicon import Lexicon

SETTINGS = ModelSettings(
    epochs=2, neighbour_grid=(3,), batch_size=8, hidden_visual=8, hidden_semantic=8, hidden_text=4,
    probe_max_epochs=6,
)  # fmt: skip
TAGS = ["boat", "tree", "house", "street"]


def texts_for(data: dict[str, Any], named: float, seed: int) -> list[RecordText]:
    """Captions that name one of each row's tags for a share ``named`` of the rows, else say nothing useful."""
    rng = np.random.default_rng(seed)
    out = []
    for row in data["Y"]:
        tags = [TAGS[t] for t in np.flatnonzero(row)]
        text = f"A {tags[0]} seen today" if rng.random() < named else "An old photograph"
        out.append(RecordText(text, text, ""))
    return out


def blurred(data: dict[str, Any], seed: int) -> dict[str, Any]:
    """The clustered rows with their features drowned in noise: the photo alone says little."""
    rng = np.random.default_rng(seed)
    features = data["features"] + rng.normal(0, 6, size=data["features"].shape).astype(np.float32)
    return {**data, "features": features}


@pytest.fixture(scope="module")
def product_fit(clusters: Callable[..., dict[str, Any]]) -> tuple[dict[str, Any], ProductModel, TextInputs]:
    data = blurred(clusters(40, seed=3), 0)
    lexicon = Lexicon.of_labels(TAGS)
    texts = encode_texts(texts_for(data, 0.8, 0), data["word_vectors"], lexicon)
    product = fit_product(**data, settings=SETTINGS, texts=texts, record_ids=np.arange(40))
    return data, product, texts


def test_both_kinds_of_record_get_a_choice_calibration_and_curve(
    product_fit: tuple[dict[str, Any], ProductModel, TextInputs],
) -> None:
    _, product, _ = product_fit
    assert set(product.modes) == set(MODES)
    assert product.collective.text_dim == 2 * 8  # caption and location embeddings (8-d test vectors)
    for mode in product.modes.values():
        assert mode.choice.weights and abs(sum(mode.choice.weights.values()) - 1) < 1e-6
        assert {"collective", "logreg", "multicnn", "knn"} <= set(mode.choice.candidates)
        assert mode.calibrator.method in ("none", "temperature", "platt", "isotonic")
        assert mode.curve.thresholds == sorted(mode.curve.thresholds)
        assert {"imAP", "mAP", "threshold", "proposed_precision"} <= set(mode.report)
    assert "lexical" in product.modes["text"].choice.candidates  # captions that name tags are a candidate
    report = product.metrics["modes"]["text"]
    assert report["imAP"] > product.metrics["modes"]["image"]["imAP"]  # captions help on validation


def test_scores_read_the_text_of_records_that_have_some(
    product_fit: tuple[dict[str, Any], ProductModel, TextInputs], clusters: Callable[..., dict[str, Any]]
) -> None:
    _, product, _ = product_fit
    new = blurred(clusters(12, seed=8), 1)
    named = encode_texts(texts_for(new, 1.0, 5), new["word_vectors"], Lexicon.of_labels(TAGS))
    with_text, counts, read, _ = product.scores(new["features"], text=named)
    alone, _, read_none, _ = product.scores(new["features"])
    assert with_text.shape == (12, 4) and counts.shape == (12,) and read.all() and not read_none.any()
    assert np.all((with_text >= 0) & (with_text <= 1)) and not np.allclose(with_text, alone)
    first = [TAGS.index(t.caption.split()[1]) for t in texts_for(new, 1.0, 5)]
    assert np.mean(with_text.argmax(axis=1) == np.array(first)) > np.mean(
        alone.argmax(axis=1) == np.array(first)
    )
    for mode in MODES:
        threshold = product.threshold(mode, 0.5)
        assert threshold == math.inf or 0 <= threshold <= 1


def test_without_record_text_there_is_no_text_branch(clusters: Callable[..., dict[str, Any]]) -> None:
    data = clusters(20, seed=4)
    texts = encode_texts(texts_for(data, 1.0, 1), data["word_vectors"], Lexicon.of_labels(TAGS))
    off = fit_product(**data, settings=dataclasses.replace(SETTINGS, record_text=False), texts=texts)
    assert off.collective.text_dim == 0 and set(off.modes) == {"image"}


def test_the_bundle_keeps_the_product_model_and_old_bundles_serve_the_collective_model(
    product_fit: tuple[dict[str, Any], ProductModel, TextInputs], tmp_path: Path
) -> None:
    from heritage_tagger.annotator.bundle import read_bundle, write_bundle
    from heritage_tagger.annotator.persist import model_contents, product_contents, product_from_contents

    data, product, texts = product_fit
    write_bundle(tmp_path / "v1", product_contents(product, {"version": "v1"}, data["word_vectors"]))
    loaded = product_from_contents(read_bundle(tmp_path / "v1"))
    a = product.scores(data["features"][:6], text=texts.rows(range(6)))[0]
    b = loaded.scores(data["features"][:6], text=texts.rows(range(6)))[0]
    np.testing.assert_allclose(a, b, atol=1e-5)
    assert loaded.modes["text"].choice.weights == product.modes["text"].choice.weights
    assert loaded.threshold("image", 0.5) == product.threshold("image", 0.5)
    # a bundle written before the product model: the collective model alone, every ranked tag passes
    write_bundle(tmp_path / "old", model_contents(product.collective, {"version": "old"}))
    old = product_from_contents(read_bundle(tmp_path / "old"))
    assert set(old.modes) == {"image"} and old.threshold("image", 0.9) == 0.0
    assert old.modes["image"].choice.weights == {"collective": 1.0}


def test_the_loaded_product_model_runs_in_numpy_with_torchs_scores(
    product_fit: tuple[dict[str, Any], ProductModel, TextInputs], tmp_path: Path
) -> None:
    """Loaded on the CPU the product model's networks (three-branch net, quantity head, Multi-CNN probe)
    run in numpy (annotator.runtime); every component, the calibrated scores and the counts equal those
    of the same bundle loaded in torch, for records with text and without."""
    from torch import nn

    from heritage_tagger.annotator.bundle import read_bundle, write_bundle
    from heritage_tagger.annotator.persist import product_contents, product_from_contents
    from heritage_tagger.annotator.probes import mlp_cv

    data, product, texts = product_fit
    if product.mlp is None:  # not chosen on this data: give the bundle one, to compare it too
        folds = product.collective.held_out.folds  # type: ignore[union-attr]
        probe = mlp_cv(data["features"], data["Y"], folds, hidden=8, max_epochs=3).probe
        product = dataclasses.replace(product, mlp=probe)
    write_bundle(tmp_path / "v1", product_contents(product, {"version": "v1"}, data["word_vectors"]))
    fast = product_from_contents(read_bundle(tmp_path / "v1"))
    slow = product_from_contents(read_bundle(tmp_path / "v1"), use_numpy=False)
    assert fast.collective.text_dim == slow.collective.text_dim > 0
    assert fast.mlp is not None and slow.mlp is not None
    for module in (fast.collective.net, fast.collective.quantity, fast.mlp.module):
        assert module is not None and not isinstance(module, nn.Module)
    assert isinstance(slow.collective.net, nn.Module) and isinstance(slow.mlp.module, nn.Module)
    x, rows = data["features"][:8], texts.rows(range(8))
    np.testing.assert_allclose(fast.mlp.scores(x), slow.mlp.scores(x), atol=1e-5)
    for text in (rows, None):
        a, b = fast.components(x, text=text), slow.components(x, text=text)
        for kind in ("image", "text"):
            mine, theirs = getattr(a, kind), getattr(b, kind)
            assert set(mine) == set(theirs)
            for name in mine:
                np.testing.assert_allclose(mine[name], theirs[name], atol=1e-5, err_msg=f"{kind}/{name}")
        np.testing.assert_array_equal(a.counts, b.counts)
        np.testing.assert_allclose(fast.scores(x, text=text)[0], slow.scores(x, text=text)[0], atol=1e-5)
    with_text = fast.scores(x, text=rows)
    assert with_text[2].all() and not np.allclose(with_text[0], fast.scores(x)[0])  # the text is read


def test_the_photos_for_a_tag_order_survives_its_bundle_and_leaves_the_suggestions_alone(
    clusters: Callable[..., dict[str, Any]], tmp_path: Path
) -> None:
    """``ModelSettings.tag_order`` (on by default): photos alone get an order for "which photos suit this
    tag", saved with the bundle, served the same after loading and said in plain words; the suggestions
    (which tags suit this photo) are the same as a model fitted without it."""
    from heritage_tagger.annotator.bundle import read_bundle, write_bundle
    from heritage_tagger.annotator.persist import product_contents, product_from_contents

    data = blurred(clusters(40, seed=3), 0)
    product = fit_product(**data, settings=SETTINGS)
    order = product.modes["image"].order
    assert order is not None and set(order.weights) <= {"collective", "logreg"}
    assert "for which photos suit a tag" in product.modes["image"].describe()
    x = data["features"][:12]
    search = product.scores(x, for_tags=True)[0]
    assert not np.allclose(search, product.scores(x)[0])  # the search's own order
    write_bundle(tmp_path / "v1", product_contents(product, {"version": "v1"}, data["word_vectors"]))
    loaded = product_from_contents(read_bundle(tmp_path / "v1"))
    assert loaded.modes["image"].order is not None
    np.testing.assert_allclose(loaded.scores(x, for_tags=True)[0], search, atol=1e-5)
    np.testing.assert_allclose(loaded.scores(x)[0], product.scores(x)[0], atol=1e-5)
    without = fit_product(**data, settings=dataclasses.replace(SETTINGS, tag_order=False))
    assert without.modes["image"].order is None
    np.testing.assert_allclose(without.scores(x)[0], product.scores(x)[0], atol=1e-6)
    np.testing.assert_allclose(without.scores(x, for_tags=True)[0], without.scores(x)[0])

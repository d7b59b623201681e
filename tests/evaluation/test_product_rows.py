"""The product model's rows in an evaluation: image only (test text hidden), with the record's text, what is
proposed after calibration, paired differences and the reliability plot."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from heritage_tagger.evaluation.dataset import EvalDataset, prepare
from heritage_tagger.evaluation.protocol import kfold_splits
from heritage_tagger.evaluation.report import markdown_tables, results_json
from heritage_tagger.evaluation.runner import SUGGESTIONS_MAP, run_evaluation
from heritage_tagger.settings import ModelSettings

FAST = ModelSettings(
    epochs=2, neighbour_grid=(3,), batch_size=8, hidden_visual=8, hidden_semantic=8, hidden_text=4,
    probe_max_epochs=5, word_vectors="catalogue", word_vector_size=8,
)  # fmt: skip
TAGS = ["harbour", "field", "brick", "tower"]


def collection(n: int = 24, seed: int = 0) -> tuple[EvalDataset, np.ndarray]:
    """Records whose photos say little (noise around weak class centres) and whose captions name their tag."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(len(TAGS), 16))
    data = EvalDataset("toy", [], [], [], [], [], [])
    features = []
    for i in range(n):
        tag = TAGS[i % len(TAGS)]
        features.append(centres[i % len(TAGS)] * 0.3 + rng.normal(size=16))
        caption = f"A {tag} in the old town" if i % 3 else "An old photograph"
        data.ids.append(f"r{i}")
        data.image_paths.append(Path(f"/nonexistent/{i}.jpg"))
        data.titles.append(caption)
        data.descriptions.append(caption)
        data.locations.append("")
        data.tags.append([tag.capitalize()])
    return data, np.asarray(features, dtype=np.float32)


def test_product_rows_hide_test_text_from_the_image_row_and_report_proposals(tmp_path: Path) -> None:
    from heritage_tagger.evaluation.plots import reliability_plot

    data, X = collection()
    prepared = prepare(data)
    assert prepared.Y.shape == (24, 4)
    methods = ["knn", "product", "product-text"]
    params = {"product": {"settings": FAST}, "product-text": {"settings": FAST}}
    result = run_evaluation(
        prepared, X, methods, kfold_splits(24, 3, 0), FAST, method_params=params, log=io.StringIO()
    )
    by_name = {m.name: m for m in result.methods}
    image, text = by_name["product"], by_name["product-text"]
    assert not image.uses_test_metadata and text.uses_test_metadata
    assert len(image.folds) == len(text.folds) == 3 and not image.errors and not text.errors
    assert image.summary()["imAP"]["mean"] < text.summary()["imAP"]["mean"]  # the captions name the tags
    assert len(text.folds_proposed) == 3 and not by_name["knn"].folds_proposed
    for fold in text.folds_proposed:
        assert {"OP", "OR", "ECE", "none", "per image"} <= set(fold) and 0 <= fold["none"] <= 1
    # mAP is read from the tag search's order where the model has one, the suggestions' own kept beside it
    for method in (image, text):
        for fold, lq, chosen in zip(method.folds, method.folds_lq, method.chosen, strict=True):
            has_order = "image" in (chosen["orders"] or {})
            assert (SUGGESTIONS_MAP in fold) == (SUGGESTIONS_MAP in lq) == has_order
    assert any(SUGGESTIONS_MAP in fold for fold in image.folds)
    assert not any(SUGGESTIONS_MAP in fold for fold in by_name["knn"].folds)
    # per-tag figures (AP per tag, PR curves) read the same order as mAP
    assert image.searched is not None and image.tag_scores is image.searched
    assert not np.allclose(image.searched, image.scores) and np.isfinite(image.searched).all()
    assert by_name["knn"].searched is None and by_name["knn"].tag_scores is by_name["knn"].scores
    table = markdown_tables(result)
    assert "What is proposed after calibration" in table and "Paired per-fold differences" in table
    assert "### Two orders" in table and "- Product model (image only): mAP " in table
    assert "| Product model with the record's text |" in table
    payload = results_json(result, {})
    assert payload["methods"]["product-text"]["proposed"]["ECE"]["mean"] >= 0
    assert payload["methods"]["knn"]["proposed"] is None
    assert reliability_plot(prepared, result, tmp_path / "reliability.png") == tmp_path / "reliability.png"
    assert (tmp_path / "reliability.png").stat().st_size > 1000

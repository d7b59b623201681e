"""Every model setting is read by the code that trains: changing it changes the trained model or its output."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from heritage_tagger.annotator.fit import fit_collective
from heritage_tagger.annotator.model import CollectiveModel
from heritage_tagger.settings import ModelSettings

# small and quick: 20 clustered rows (5 folds), tiny layers, few epochs
BASE = ModelSettings(epochs=2, neighbour_grid=(3,), batch_size=8, hidden_visual=8, hidden_semantic=8)
N = 20


@pytest.fixture(scope="module")
def fit(clusters: Callable[..., dict[str, Any]]) -> Callable[..., CollectiveModel]:
    """``fit(**changes)``: a model fitted with BASE changed by ``changes`` (the unchanged one is fitted once)."""
    cache: dict[tuple[tuple[str, object], ...], CollectiveModel] = {}

    def _fit(**changes: object) -> CollectiveModel:
        key = tuple(sorted(changes.items()))
        if key not in cache:
            settings = dataclasses.replace(BASE, **changes)  # type: ignore[arg-type]
            cache[key] = fit_collective(**clusters(N), settings=settings)
        return cache[key]

    return _fit


def weights(model: CollectiveModel) -> np.ndarray:
    """Every weight of the annotation network, flattened."""
    return np.concatenate([v.detach().cpu().numpy().ravel() for v in model.net.state_dict().values()])


def head_runs(model: CollectiveModel) -> list[tuple[object, ...]]:
    """What the metric-head training did in each fold: pairs, last epoch's pair loss."""
    return [(h["pairs"], h["pair_loss"]) for h in model.hyperparameters["metric_head"]]


def test_w2v_distance_scale_changes_tag_similarity(fit: Callable[..., CollectiveModel]) -> None:
    median, raw = fit(), fit(w2v_distance_scale="none")
    assert not np.allclose(median.tag_similarity, raw.tag_similarity)


def test_alpha_word_vectors_changes_tag_similarity(fit: Callable[..., CollectiveModel]) -> None:
    assert not np.allclose(fit().tag_similarity, fit(alpha_word_vectors=0.0).tag_similarity)


def test_relevance_normalisation_changes_relevance_and_is_kept(fit: Callable[..., CollectiveModel]) -> None:
    collection, image = fit(), fit(relevance_normalisation="image")
    assert collection.relevance_scale.normalisation == "collection"
    assert image.relevance_scale.normalisation == "image"
    assert not np.allclose(collection.relevance, image.relevance)
    # per image: each image's best-supported tag gets the top score of both terms, 2
    y = image.labels.astype(bool)
    assert np.allclose(image.relevance.max(axis=1), 2.0) and np.all(image.relevance[~y] == 0)


def test_lambda_location_changes_the_metric_learning_pairs(fit: Callable[..., CollectiveModel]) -> None:
    assert head_runs(fit()) != head_runs(fit(lambda_location=0.0))


def test_pair_counts_change_the_pairs(fit: Callable[..., CollectiveModel]) -> None:
    base = [pairs for pairs, _ in head_runs(fit())]
    assert [pairs for pairs, _ in head_runs(fit(n_positive=2))] != base
    assert [pairs for pairs, _ in head_runs(fit(n_negative=3))] != base


def test_contrastive_margin_changes_the_pair_loss(fit: Callable[..., CollectiveModel]) -> None:
    assert head_runs(fit()) != head_runs(fit(contrastive_margin=0.3))


def test_neighbour_grid_and_neighbours_choose_m(fit: Callable[..., CollectiveModel]) -> None:
    assert fit().m == 3 and fit(neighbour_grid=(4,)).m == 4
    # an empty grid falls back to the single value ``neighbours``
    assert fit(neighbour_grid=(), neighbours=2).m == 2


def test_hidden_sizes_shape_the_networks(fit: Callable[..., CollectiveModel]) -> None:
    model = fit(hidden_visual=12, hidden_semantic=6)
    state = model.net.state_dict()
    assert state["visual.weight"].shape[0] == 12 and state["semantic.weight"].shape[0] == 6
    base = fit().net.state_dict()
    assert base["visual.weight"].shape[0] == 8 and base["semantic.weight"].shape[0] == 8


def test_optimizer_and_its_schedule(fit: Callable[..., CollectiveModel]) -> None:
    sgd = fit(optimizer="sgd")
    assert fit().hyperparameters["schedule"] == "adam" and sgd.hyperparameters["schedule"] == "sgd"
    assert not np.allclose(weights(fit()), weights(sgd))
    # the paper's schedule runs exactly ``epochs`` epochs, its learning rate stepped by lr_step_epochs/lr_gamma
    paper = {"optimizer": "sgd", "epochs": 3, "learning_rate": 0.5}
    assert fit(**paper).metrics["network_history"]["epochs_run"] == 3

    def last_loss(**changes: object) -> float:
        return float(fit(**paper, **changes).metrics["network_history"]["train_loss_last"])

    assert last_loss() != last_loss(lr_step_epochs=1)
    assert last_loss(lr_step_epochs=1) != last_loss(lr_step_epochs=1, lr_gamma=0.5)


def test_learning_rate_batch_size_epochs_and_seed_change_the_network(
    fit: Callable[..., CollectiveModel],
) -> None:
    base = weights(fit())
    for changes in ({"learning_rate": 0.01}, {"batch_size": 4}, {"seed": 1}):
        assert not np.allclose(base, weights(fit(**changes))), changes
    assert (
        fit(epochs=6).metrics["network_history"]["epochs_run"]
        != fit().metrics["network_history"]["epochs_run"]
    )


def test_validation_fraction_sizes_the_hold_out(clusters: Callable[..., dict[str, Any]]) -> None:
    data = clusters(150, dim=4)  # 150 rows and more: one hold-out split instead of K folds
    small = dataclasses.replace(BASE, epochs=1, validation_fraction=0.2)
    assert fit_collective(**data, settings=small).metrics["validation_rows"] == 30
    larger = dataclasses.replace(small, validation_fraction=0.3)
    assert fit_collective(**data, settings=larger).metrics["validation_rows"] == 45


# ---- settings read by the training pipeline (images, vocabulary, word vectors, backbone, device)


def test_tag_thresholds_choose_the_vocabulary(training_data: Any) -> None:
    from heritage_tagger.annotator.pipeline import TrainingRefused, vocabulary_for

    assert len(vocabulary_for(training_data, ModelSettings()).labels) == 6
    with pytest.raises(TrainingRefused):  # each tag is on 5 of 15 records
        vocabulary_for(training_data, ModelSettings(tag_min_count=6))
    with pytest.raises(TrainingRefused):
        vocabulary_for(training_data, ModelSettings(tag_min_fraction=0.5))


def test_word_vector_settings(
    training_data: Any, write_vectors: Callable[[dict[str, list[float]]], Path]
) -> None:
    from heritage_tagger.annotator.pipeline import sentences_for
    from heritage_tagger.text.word_vectors import word_vectors_for

    sentences = sentences_for(training_data)
    glove, source = word_vectors_for(sentences, ModelSettings())  # the default: GloVe 6B 50-d
    assert glove.dim == 50 and "GloVe" in source and glove.source.kind == "glove"
    catalogue = ModelSettings(word_vectors="catalogue", word_vector_size=6)
    trained, source = word_vectors_for(sentences, catalogue)
    assert trained.dim == 6 and "trained" in source and trained.source.kind == "catalogue"
    assert word_vectors_for(sentences, dataclasses.replace(catalogue, word_vector_size=10))[0].dim == 10
    path = write_vectors({"barn": [1.0, 0.0], "farm": [0.0, 1.0], "tree": [1.0, 1.0]})
    from_file, source = word_vectors_for(sentences, ModelSettings(word_vector_path=str(path)))
    assert "file" in source and from_file.word("tree") is not None
    limited, _ = word_vectors_for(sentences, ModelSettings(word_vector_path=str(path), word_vector_limit=2))
    assert limited.word("barn") is not None and limited.word("tree") is None


def test_backbone_device_and_batch_size_are_read_by_train(training_data: Any, tmp_path: Path) -> None:
    from heritage_tagger.annotator.pipeline import train
    from heritage_tagger.annotator.vocabulary import build_vocabulary
    from heritage_tagger.domain.errors import HeritageTaggerError

    settings = ModelSettings(
        backbone="tiny", device="cpu", epochs=1, neighbour_grid=(3,), batch_size=4, word_vector_size=8,
        hidden_visual=8, hidden_semantic=8,
    )  # fmt: skip
    batches: list[int] = []
    result = train(
        training_data, settings, tmp_path / "features", tmp_path / "v1",
        progress=lambda p: batches.append(p.done) if p.stage == "features" else None,
    )  # fmt: skip
    assert result.manifest["backbone"]["name"] == "tiny"
    assert batches[1:] == [4, 8, 12, 15]  # features extracted 4 images at a time
    assert build_vocabulary(training_data.tags).labels == result.model.tag_labels
    with pytest.raises(HeritageTaggerError, match="no backbone called"):
        train(
            training_data,
            dataclasses.replace(settings, backbone="resnet9000"),
            tmp_path / "f",
            tmp_path / "v2",
        )
    with pytest.raises(HeritageTaggerError, match="not a device name"):
        train(training_data, dataclasses.replace(settings, device="abacus"), tmp_path / "f", tmp_path / "v3")


# ---- settings of the product model (the record's text, the probes, calibration, the threshold)


def _texts(data: dict[str, Any]) -> Any:
    from heritage_tagger.annotator.text_inputs import RecordText, encode_texts
    from heritage_tagger.vocab.lexicon import Lexicon

    captions = [" and ".join(sorted(words)) for words in data["word_sets"]]
    texts = [RecordText(c, c, "a" if i % 2 else "") for i, c in enumerate(captions)]
    return encode_texts(texts, data["word_vectors"], Lexicon.of_labels(data["tag_labels"]))


def test_text_branch_settings_shape_and_train_it(clusters: Callable[..., dict[str, Any]]) -> None:
    data = clusters(N)
    texts = _texts(data)

    def fitted(**changes: object) -> CollectiveModel:
        return fit_collective(**data, settings=dataclasses.replace(BASE, **changes), texts=texts)  # type: ignore[arg-type]

    base, wider = fitted(hidden_text=4), fitted(hidden_text=6)
    assert (
        base.net.state_dict()["text.weight"].shape[0] == 4
        and wider.net.state_dict()["text.weight"].shape[0] == 6
    )
    assert float(base.net.text_dropout) == BASE.text_dropout
    assert not np.allclose(weights(base), weights(fitted(hidden_text=4, text_dropout=0.0)))
    assert fit_collective(**data, settings=BASE).text_dim == 0  # no texts: the paper's two branches


def test_gx_scale_and_tag_vector_norm(fit: Callable[..., CollectiveModel]) -> None:
    assert fit().net.gx_scale == pytest.approx(np.sqrt(16)) and fit(gx_scale="none").net.gx_scale == 1.0
    assert not np.allclose(weights(fit()), weights(fit(gx_scale="none")))
    unit, raw = fit().tag_vectors, fit(tag_vectors="none").tag_vectors
    assert np.allclose(np.linalg.norm(unit, axis=1), 1.0) and not np.allclose(unit, raw)


@pytest.fixture(scope="module")
def product(clusters: Callable[..., dict[str, Any]]) -> Callable[..., Any]:
    """``product(**changes)``: a product model fitted on noisy clustered rows with captions."""
    from heritage_tagger.annotator.product import fit_product

    data = clusters(N, seed=2)
    rng = np.random.default_rng(0)
    data["features"] = data["features"] + rng.normal(0, 5, size=data["features"].shape).astype(np.float32)
    texts = _texts(data)
    cache: dict[tuple[tuple[str, object], ...], Any] = {}
    quick = dataclasses.replace(BASE, probe_max_epochs=4, hidden_text=4)

    def _fit(**changes: object) -> Any:
        key = tuple(sorted(changes.items()))
        if key not in cache:
            settings = dataclasses.replace(quick, **changes)  # type: ignore[arg-type]
            cache[key] = fit_product(**data, settings=settings, texts=texts)
        return cache[key]

    return _fit


def test_calibration_setting_picks_the_method(product: Callable[..., Any]) -> None:
    assert product(calibration="isotonic").modes["image"].calibrator.method in ("isotonic", "none")
    assert product(calibration="none").modes["image"].calibrator.method == "none"
    assert product(calibration="platt").modes["image"].calibrator.method in ("platt", "none")


def test_target_precision_moves_the_threshold(product: Callable[..., Any]) -> None:
    low = product(calibration="none", target_precision=0.2).metrics["modes"]["image"]
    high = product(calibration="none", target_precision=0.95).metrics["modes"]["image"]
    assert low["target_precision"] == 0.2 and high["target_precision"] == 0.95
    assert low["threshold"] is not None and (
        high["threshold"] is None or high["threshold"] > low["threshold"]
    )


def test_record_text_and_probe_epochs(product: Callable[..., Any]) -> None:
    assert set(product(calibration="none").modes) == {"image", "text"}
    assert set(product(calibration="none", record_text=False).modes) == {"image"}
    assert product(calibration="none", probe_max_epochs=2).metrics["multicnn"]["epochs"] <= 2

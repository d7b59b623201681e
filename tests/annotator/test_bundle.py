"""fit_collective on arrays, saved as a bundle and loaded again: identical predictions, tampering refused."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from heritage_tagger.annotator.bundle import (
    ARRAYS,
    CHECKSUMS,
    MANIFEST,
    read_bundle,
    sha256_file,
    write_bundle,
)
from heritage_tagger.annotator.fit import fit_collective
from heritage_tagger.annotator.persist import model_contents
from heritage_tagger.annotator.predictor import Predictor
from heritage_tagger.domain.errors import BundleError, CancelledError
from heritage_tagger.domain.progress import CancelToken, Progress
from heritage_tagger.knowledge.relevance import new_image_relevance
from heritage_tagger.settings import ModelSettings


@pytest.fixture
def bundle(fitted: tuple, tmp_path: Path) -> Path:
    _, model, _ = fitted
    manifest = {"backbone": {"name": "tiny", "checksum": "0" * 64}, "feature_dim": 16}
    return write_bundle(tmp_path / "v0001-20260101T0000", model_contents(model, manifest))


def test_fit_reports_every_stage_and_records_its_choices(fitted: tuple) -> None:
    data, model, stages = fitted
    for stage in ("pairs", "metric", "neighbours", "relevance", "summary", "network", "label quantity"):
        assert stage in stages
    assert model.m in (3, 6) and model.gx_mode in ("raw", "adapter")
    m = model.metrics
    assert {"model_imap", "knn_raw_imap", "network_imap", "neighbour_imap", "blend_weight"} <= set(m)
    assert m["model_imap"] >= max(m["network_imap"], m["neighbour_imap"]) - 1e-9  # the blend is chosen
    assert m["model_imap"] > 0.7  # the clusters are easy
    assert m["model_imap"] >= m["knn_raw_imap"]  # never worse than plain KNN on validation
    # relevance is zero off the image's tags and positive on them
    assert np.all(model.relevance[data["Y"] == 0] == 0) and np.all(model.relevance[data["Y"] == 1] > 0)


def test_training_rows_are_not_their_own_neighbours(fitted: tuple) -> None:
    data, model, _ = fitted
    gx = model.visual(data["features"][:5])
    hood = model.neighbourhood(gx, np.arange(5))
    for row in range(5):
        assert row not in hood.rows[row]
    assert 0 in model.neighbourhood(gx).rows[0]  # without exclusion it is its own nearest


def test_saved_and_loaded_bundle_predicts_identically(fitted: tuple, bundle: Path) -> None:
    data, model, _ = fitted
    predictor = Predictor.load(bundle)
    probs, counts = model.predict(data["features"], np.arange(len(data["features"])))
    probs2, counts2 = predictor.model.predict(data["features"], np.arange(len(data["features"])))
    # loaded, the networks run in numpy (annotator.runtime): the same to float32 rounding
    np.testing.assert_allclose(probs, probs2, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(counts, counts2)
    tags = data["tag_labels"]
    p = predictor.predict_features(data["features"][3], training_row=3, existing_tags=[tags[0], "unknown"])
    assert [t for t, _ in p.model_tags] == [tags[i] for i in np.argsort(-probs2[3], kind="stable")]
    assert p.model_version == bundle.name and p.backbone == "tiny"
    assert 1 <= p.propose_count <= 2
    scores = [n.score for n in p.neighbour_tags]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    assert all(rid != 103 for n in p.neighbour_tags for rid, _ in n.neighbours)
    rel = dict(p.existing_tags)
    assert rel["unknown"] is None
    assert rel[tags[0]] == pytest.approx(float(model.relevance[3, 0]))


def test_new_image_relevance_follows_eq_10_on_the_training_scale(fitted: tuple) -> None:
    data, model, _ = fitted
    predictor = Predictor(model, {"version": "x", "backbone": {"name": "tiny"}})
    p = predictor.predict_features(data["features"][0] + 0.01, existing_tags=data["tag_labels"])
    values = dict(p.existing_tags)
    assert all(v is not None and 0.0 <= v <= 2.0 for v in values.values())


def test_damaged_arrays_are_refused(bundle: Path) -> None:
    raw = bytearray((bundle / ARRAYS).read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    (bundle / ARRAYS).write_bytes(bytes(raw))
    with pytest.raises(
        BundleError, match=rf"model bundle {bundle.name} is damaged: arrays.npz does not match its checksum"
    ):
        Predictor.load(bundle)


def test_tampered_manifest_is_refused(bundle: Path) -> None:
    manifest = json.loads((bundle / MANIFEST).read_text())
    manifest["tags"][0] = "something else"
    (bundle / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(BundleError, match=r"manifest\.json does not match its checksum"):
        read_bundle(bundle)


def test_missing_file_and_wrong_format_are_refused(bundle: Path, tmp_path: Path) -> None:
    other = tmp_path / "copy"
    shutil.copytree(bundle, other)
    (bundle / "index.faiss").unlink()
    with pytest.raises(BundleError, match=r"index\.faiss is missing"):
        read_bundle(bundle)
    manifest = json.loads((other / MANIFEST).read_text())
    manifest["format_version"] = 99
    (other / MANIFEST).write_text(json.dumps(manifest))
    sums = json.loads((other / CHECKSUMS).read_text())
    sums[MANIFEST] = sha256_file(other / MANIFEST)
    (other / CHECKSUMS).write_text(json.dumps(sums))
    with pytest.raises(BundleError, match="format version 99"):
        read_bundle(other)


def test_bundle_is_written_atomically(fitted: tuple, tmp_path: Path) -> None:
    _, model, _ = fitted
    target = tmp_path / "v0002"
    write_bundle(target, model_contents(model, {"backbone": {"name": "tiny"}}))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v0002"]
    with pytest.raises(BundleError, match="already exists"):
        write_bundle(target, model_contents(model, {}))


@pytest.mark.parametrize("stage", ["pairs", "metric", "relevance", "network", "label quantity"])
def test_fit_can_be_cancelled_at_each_stage(
    stage: str, clusters: Callable[..., dict], fit_settings: ModelSettings
) -> None:
    token = CancelToken()

    def progress(p: Progress) -> None:
        if p.stage == stage:
            token.cancel()

    with pytest.raises(CancelledError):
        fit_collective(**clusters(20), settings=fit_settings, progress=progress, cancel=token)


def test_a_model_blended_with_knn_votes_round_trips(fitted: tuple, tmp_path: Path) -> None:
    import dataclasses

    data, model, _ = fitted
    blended = dataclasses.replace(model, blend_source="knn", blend_weight=0.5, knn_k=3, index=model.index)
    rows = np.arange(len(data["features"]))
    probs, _ = blended.predict(data["features"], rows)
    assert not np.allclose(probs, model.predict(data["features"], rows)[0])
    path = write_bundle(tmp_path / "v0003", model_contents(blended, {"backbone": {"name": "tiny"}}))
    loaded = Predictor.load(path).model
    assert loaded.blend_source == "knn" and loaded.knn_k == 3
    np.testing.assert_allclose(loaded.predict(data["features"], rows)[0], probs, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("knn_k", [2, 7])
def test_one_search_serves_the_neighbourhood_and_the_knn_votes(
    fitted: tuple, knn_k: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A suggestion scans the training vectors once: the m neighbours and the knn_k voters (fewer or more
    than m) come from one search of GX, and give what separate searches give."""
    import dataclasses

    data, model, _ = fitted
    raw = dataclasses.replace(
        model,
        gx_mode="raw",
        head_state={},
        raw_features=None,
        blend_source="knn",
        blend_weight=0.5,
        knn_k=knn_k,
    )
    features, rows = data["features"], np.arange(len(data["features"]))
    gx = raw.visual(features)
    wide = raw.search(gx, rows, knn=True)
    assert wide.rows.shape[1] == max(raw.m, knn_k)
    separate = raw.neighbourhood(gx, rows)
    np.testing.assert_array_equal(wide.first(raw.m).rows, separate.rows)
    np.testing.assert_allclose(wide.first(raw.m).phi, separate.phi)
    np.testing.assert_array_equal(raw.knn_votes(features, gx, rows, wide), raw.knn_votes(features, gx, rows))
    calls = []
    nearest = raw.neighbour_index.nearest
    monkeypatch.setattr(
        raw.neighbour_index, "nearest", lambda *a, **k: calls.append(a[1]) or nearest(*a, **k)
    )
    raw.predict(features, rows)
    assert calls == [max(raw.m, knn_k)]


def _rewrite_manifest(bundle: Path, change: Callable[[dict], None]) -> None:
    """Edit a bundle's manifest and re-sign it, as an older (or newer) version would have written it."""
    manifest = json.loads((bundle / MANIFEST).read_text())
    change(manifest)
    (bundle / MANIFEST).write_text(json.dumps(manifest))
    sums = json.loads((bundle / CHECKSUMS).read_text())
    sums[MANIFEST] = sha256_file(bundle / MANIFEST)
    (bundle / CHECKSUMS).write_text(json.dumps(sums))


def test_a_bundle_from_before_the_normalisation_was_recorded_loads_as_collection(bundle: Path) -> None:
    assert json.loads((bundle / MANIFEST).read_text())["relevance_normalisation"] == "collection"
    _rewrite_manifest(bundle, lambda m: m.pop("relevance_normalisation"))
    assert Predictor.load(bundle).model.relevance_scale.normalisation == "collection"


def test_an_unknown_normalisation_is_refused_in_plain_words(bundle: Path) -> None:
    _rewrite_manifest(bundle, lambda m: m.update(relevance_normalisation="per-moon"))
    with pytest.raises(BundleError, match=r"relevance_normalisation = 'per-moon'.*retrain the model"):
        Predictor.load(bundle)


def test_image_normalisation_round_trips_and_scores_a_new_image_per_image(
    clusters: Callable[..., dict], fit_settings: ModelSettings, tmp_path: Path
) -> None:
    import dataclasses

    data = clusters(20)
    settings = dataclasses.replace(fit_settings, relevance_normalisation="image")
    model = fit_collective(**data, settings=settings)
    path = write_bundle(tmp_path / "v0004", model_contents(model, {"backbone": {"name": "tiny"}}))
    loaded = Predictor.load(path)
    assert loaded.model.relevance_scale == model.relevance_scale
    assert loaded.model.relevance_scale.normalisation == "image"
    features = data["features"][0] + 0.01
    p = loaded.predict_features(features, existing_tags=data["tag_labels"])
    values = [v for _, v in p.existing_tags]
    # eq. 10 for a new image, each term divided by this image's own maximum (each at most 1)
    hood = loaded.model.neighbourhood(loaded.model.visual(features))
    rows = list(range(len(values)))
    args = (rows, hood.rows[0], loaded.model.labels, loaded.model.tag_similarity)
    assert values == pytest.approx(new_image_relevance(*args, loaded.model.relevance_scale).tolist())
    assert max(values) <= 2.0 + 1e-6 and max(values) >= 1.0
    collection = dataclasses.replace(loaded.model.relevance_scale, normalisation="collection")
    assert not np.allclose(values, new_image_relevance(*args, collection))


def test_lemmas_of_an_older_lemmatiser_are_recomputed(fitted: tuple) -> None:
    """Bundles trained before the heading-aware lemmatiser get lemmas the catalogue's tags.lemma match."""
    from heritage_tagger.text.lemmatise import LEMMATISER_VERSION, lemmatise_tag

    _, model, _ = fitted
    old = {"version": "x", "backbone": {"name": "tiny"}, "tag_lemmas": ["stale"] * len(model.tag_labels)}
    predictor = Predictor(model, old)
    assert predictor.manifest["tag_lemmas"] == [lemmatise_tag(t) for t in model.tag_labels]
    assert predictor.manifest["lemmatiser_version"] == LEMMATISER_VERSION
    assert old["tag_lemmas"] == ["stale"] * len(model.tag_labels)  # the caller's manifest is not changed
    current = {**old, "lemmatiser_version": LEMMATISER_VERSION}
    assert Predictor(model, current).manifest["tag_lemmas"] == ["stale"] * len(model.tag_labels)


def test_gx_is_stored_once_and_older_bundles_still_load(fitted: tuple, tmp_path: Path) -> None:
    data, model, _ = fitted
    contents = model_contents(model, {"backbone": {"name": "tiny"}})
    gx_bytes = model.gx.astype(np.float32).nbytes
    assert contents.arrays["gx"].nbytes == gx_bytes
    assert len(contents.index_bytes) < gx_bytes / 4  # the index file holds no copy of GX
    assert contents.manifest["index"]["kind"] == "exact"
    new = write_bundle(tmp_path / "v0003", contents)
    loaded = Predictor.load(new).model
    np.testing.assert_array_equal(loaded.gx, model.gx)
    assert not loaded.gx.flags.owndata  # a view of the index's vectors: GX held once in memory too
    # a bundle written before issue 15 kept the whole faiss index (GX inside) in index.faiss
    contents.index_bytes = model.neighbour_index.serialize()
    old = write_bundle(tmp_path / "v0004", contents)
    probs, _ = model.predict(data["features"][:6], np.arange(6))
    probs_old, _ = Predictor.load(old).model.predict(data["features"][:6], np.arange(6))
    np.testing.assert_allclose(probs, probs_old, rtol=1e-5, atol=1e-6)
    contents.index_bytes = model.neighbour_index.structure().replace(b'"rows": 40', b'"rows": 41')
    broken = write_bundle(tmp_path / "v0005", contents)
    with pytest.raises(BundleError, match="damaged"):
        Predictor.load(broken)

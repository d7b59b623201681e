"""Training a model on a tiny generated catalogue: stages, refusals, cancellation, lock, versions."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.factories import add_records, fast_settings


@pytest.fixture
def tiny_catalogue(tmp_path: Path, make_image: Callable[..., Path]) -> object:
    from heritage_tagger.services.catalogue import open_catalogue

    cat = open_catalogue(tmp_path / "cat.sqlite", settings=fast_settings())
    cat.record_ids = add_records(cat, make_image, tmp_path / "images", untagged=2)  # type: ignore[attr-defined]
    yield cat
    cat.close()


def _versions(catalogue: object) -> list[tuple[str, bool]]:
    from heritage_tagger.services.model_versions import list_versions

    return [(v.version, v.is_active) for v in list_versions(catalogue)]  # type: ignore[arg-type]


def test_train_registers_an_active_version_with_a_complete_bundle(tiny_catalogue: object) -> None:
    from heritage_tagger.annotator.bundle import verify_bundle
    from heritage_tagger.services.training import train_catalogue

    stages: list[str] = []
    outcome = train_catalogue(
        tiny_catalogue, backbone="tiny", device="cpu", progress=lambda p: stages.append(p.stage)
    )
    for stage in (
        "features",
        "pairs",
        "metric",
        "word vectors",
        "relevance",
        "summary",
        "network",
        "label quantity",
        "saving",
    ):
        assert stage in stages, stage
    assert _versions(tiny_catalogue) == [(outcome.version, True)]
    assert outcome.version.startswith("v0001-") and outcome.n_training_rows == 24 and outcome.n_records == 26
    verify_bundle(outcome.bundle_path)
    manifest = json.loads((outcome.bundle_path / "manifest.json").read_text())
    assert manifest["backbone"]["name"] == "tiny" and len(manifest["backbone"]["checksum"]) == 64
    assert sorted(manifest["tags"]) == ["Barns", "Boats", "Farms", "Forests", "Harbors", "Trees"]
    assert manifest["m"] == outcome.m and manifest["gx_mode"] in ("raw", "adapter")
    assert {"model_imap", "knn_raw_imap"} <= set(manifest["metrics"]) and len(manifest["fingerprint"]) == 64
    # untagged records got features too (the cache holds every record)
    features = list(tiny_catalogue.workspace.features.iterdir())  # type: ignore[attr-defined]
    assert len((features[0] / "keys.txt").read_text().split()) == 26
    # a second training gets the next number and becomes the only active one
    second = train_catalogue(tiny_catalogue, backbone="tiny", device="cpu")
    assert second.version.startswith("v0002-")
    assert _versions(tiny_catalogue) == [(second.version, True), (outcome.version, False)]


def test_rejected_and_suggested_tags_are_never_trained_on(
    tmp_path: Path, make_image: Callable[..., Path]
) -> None:
    from heritage_tagger.db.tagging import get_or_create_tags, set_record_tag
    from heritage_tagger.domain.records import TagState
    from heritage_tagger.services.catalogue import open_catalogue
    from heritage_tagger.services.training import load_training_data

    with open_catalogue(tmp_path / "c.sqlite", settings=fast_settings()) as cat:
        ids = add_records(
            cat,
            make_image,
            tmp_path / "img",
            rejected={0: "Rejected tag", 1: "Rejected tag", 2: "Rejected tag"},
        )
        with cat.session() as session:
            tag = get_or_create_tags(session, ["Pending"])["Pending"]
            for rid in ids[:5]:
                set_record_tag(session, rid, tag, TagState.SUGGESTED, score=0.9)
            accepted = get_or_create_tags(session, ["Accepted one"])["Accepted one"]
            for rid in ids[:3]:
                set_record_tag(session, rid, accepted, TagState.ACCEPTED)
        data = load_training_data(cat)
    labels = {label for tags in data.tags for label, _ in tags}
    assert "Rejected tag" not in labels and "Pending" not in labels
    assert "Accepted one" in labels


def test_rare_tags_are_dropped_and_reported(tiny_catalogue: object) -> None:
    from heritage_tagger.db.tagging import get_or_create_tags, set_record_tag
    from heritage_tagger.domain.records import TagState
    from heritage_tagger.services.training import train_catalogue

    with tiny_catalogue.session() as session:  # type: ignore[attr-defined]
        tag = get_or_create_tags(session, ["Lighthouse"])["Lighthouse"]
        set_record_tag(session, tiny_catalogue.record_ids[0], tag, TagState.CATALOGUED)  # type: ignore[attr-defined]
    outcome = train_catalogue(tiny_catalogue, backbone="tiny", device="cpu")
    assert ("Lighthouse", 1) in outcome.dropped_tags
    assert "Lighthouse" not in json.loads((outcome.bundle_path / "manifest.json").read_text())["tags"]


def test_refuses_to_train_without_enough_tagged_records(
    tmp_path: Path, make_image: Callable[..., Path]
) -> None:
    from heritage_tagger.services.catalogue import open_catalogue
    from heritage_tagger.services.training import train_catalogue

    with open_catalogue(tmp_path / "c.sqlite", settings=fast_settings()) as cat:
        add_records(cat, make_image, tmp_path / "img", per_class=2)
        with pytest.raises(Exception, match="Not enough tagged photos to train a model: 6 records"):
            train_catalogue(cat, backbone="tiny", device="cpu")
        assert _versions(cat) == []


def test_cancelling_leaves_the_active_model_as_it_was(tiny_catalogue: object) -> None:
    from heritage_tagger.db.tables import Job
    from heritage_tagger.domain.errors import CancelledError
    from heritage_tagger.domain.progress import CancelToken
    from heritage_tagger.services.training import train_catalogue

    first = train_catalogue(tiny_catalogue, backbone="tiny", device="cpu")
    stages = ["features", "metric", "network", "saving"]
    for stage in stages:
        token = CancelToken()

        def progress(p: object, stage: str = stage, token: CancelToken = token) -> None:
            if p.stage == stage:  # type: ignore[attr-defined]
                token.cancel()

        with pytest.raises(CancelledError):
            train_catalogue(tiny_catalogue, backbone="tiny", device="cpu", progress=progress, cancel=token)
        assert _versions(tiny_catalogue) == [(first.version, True)], stage
        bundles = [p.name for p in tiny_catalogue.workspace.bundles.iterdir()]  # type: ignore[attr-defined]
        assert bundles == [first.version], stage
        assert not list(tiny_catalogue.workspace.locks.iterdir())  # type: ignore[attr-defined]
    with tiny_catalogue.session() as session:  # type: ignore[attr-defined]
        assert [j.status for j in session.query(Job).order_by(Job.id)] == ["done"] + ["cancelled"] * len(
            stages
        )


def test_a_second_training_is_refused_while_one_holds_the_lock(tiny_catalogue: object) -> None:
    from heritage_tagger.services.training import TrainingLockedError, train_catalogue, training_lock

    with training_lock(tiny_catalogue):
        with pytest.raises(TrainingLockedError, match="Another training of this catalogue is running"):
            train_catalogue(tiny_catalogue, backbone="tiny", device="cpu")
    # a lock left behind by a process that no longer exists is taken over
    lock = tiny_catalogue.workspace.locks / "training.lock"  # type: ignore[attr-defined]
    lock.write_text(json.dumps({"pid": 2**22 + 12345, "since": "yesterday"}))
    with training_lock(tiny_catalogue) as path:
        assert json.loads(path.read_text())["pid"] != 2**22 + 12345
    assert not lock.exists()


def test_versions_activate_and_remove(tiny_catalogue: object) -> None:
    import shutil

    from heritage_tagger.services import model_versions as mv
    from heritage_tagger.services.training import train_catalogue

    first = train_catalogue(tiny_catalogue, backbone="tiny", device="cpu")
    copy = tiny_catalogue.workspace.bundles / "v0002-20990101T0000"  # type: ignore[attr-defined]
    shutil.copytree(first.bundle_path, copy)
    with tiny_catalogue.session() as session:  # type: ignore[attr-defined]
        mv.register_version(
            session,
            version=copy.name,
            bundle_path=copy,
            backbone="tiny",
            weights_checksum="",
            n_records=1,
            n_tags=1,
            n_decisions=0,
            metrics={},
            activate=False,
        )
    assert mv.active_version(tiny_catalogue).version == first.version  # type: ignore[union-attr]
    mv.activate(tiny_catalogue, "v0002")
    assert _versions(tiny_catalogue) == [(copy.name, True), (first.version, False)]
    with pytest.raises(mv.ModelVersionError, match="is the active one"):
        mv.remove(tiny_catalogue, copy.name)
    mv.remove(tiny_catalogue, first.version)
    assert not first.bundle_path.exists() and _versions(tiny_catalogue) == [(copy.name, True)]
    with pytest.raises(mv.ModelVersionError, match="no model version"):
        mv.activate(tiny_catalogue, "v0009")

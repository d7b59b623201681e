"""Issue 14, failures 7-8: a copied catalogue uses its own model; tampered weights are refused before activation."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.factories import copy_catalogue
from tests.reliability.helpers import (
    assert_clean_failure,
    json_out,
    needs_mount,
    query,
    read_only_view,
    run,
    snapshot,
)

pytestmark = pytest.mark.slow


def plain_copy(catalogue: Path, dest: Path, name: str | None = None) -> Path:
    """What a librarian does: copy the catalogue file and its .heritage folder, nothing else."""
    name = name or catalogue.stem
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / f"{name}.sqlite"
    with (
        contextlib.closing(sqlite3.connect(catalogue)) as source,
        contextlib.closing(sqlite3.connect(target)) as copy,
    ):
        source.backup(copy)  # the committed pages, WAL included
    shutil.copytree(catalogue.with_name(catalogue.stem + ".heritage"), dest / f"{name}.heritage")
    return target


@pytest.fixture
def original(trained_catalogue_template: Path, tmp_path: Path) -> Path:
    return copy_catalogue(trained_catalogue_template, tmp_path / "original")


def active(catalogue: Path) -> dict:
    versions = json_out(run(catalogue, "models", "list", "--json"))
    (row,) = [v for v in versions if v["is_active"]]
    return row


def test_7_a_catalogue_moved_elsewhere_uses_its_own_model(original: Path, tmp_path: Path) -> None:
    moved = plain_copy(original, tmp_path / "moved")
    version = active(original)["version"]
    shutil.rmtree(original.with_name("cat.heritage"))  # the original is gone (a restored backup, a new PC)
    assert Path(active(moved)["bundle_path"]) == moved.with_name("cat.heritage") / "models" / version
    data = json_out(run(moved, "suggest", "REC-0-00", "--json"))
    assert data["model_version"] == version and data["model_tags"]


def test_7_a_renamed_copy_beside_the_original_never_reads_the_original(
    original: Path, tmp_path: Path
) -> None:
    copy = plain_copy(original, original.parent, name="copy")
    version = active(original)["version"]
    assert Path(active(copy)["bundle_path"]) == original.parent / "copy.heritage" / "models" / version
    shutil.rmtree(original.with_name("cat.heritage") / "models")  # the copy must not have been using them
    assert json_out(run(copy, "suggest", "REC-0-01", "--json"))["model_version"] == version


def test_7_stored_paths_are_relative_to_the_catalogue_folder(original: Path) -> None:
    (stored,) = query(original, "SELECT bundle_path FROM model_versions")
    assert stored[0].startswith("cat.heritage/models/v0001-") and not os.path.isabs(stored[0])


class _Payload:
    """Unpickling this would create a marker file: the proof that no pickle ever runs."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return (Path.touch, (self.marker,))


def tamper(bundle: Path, marker: Path) -> None:
    """Weights replaced by a pickle, and every checksum recomputed so that they all match."""
    (bundle / "weights.safetensors").write_bytes(pickle.dumps(_Payload(marker)))
    sums = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(bundle.iterdir())
        if p.name != "CHECKSUMS.json"
    }
    (bundle / "CHECKSUMS.json").write_text(json.dumps(sums, indent=2, sort_keys=True), "utf-8")


def test_8_tampered_weights_give_a_bundle_error_and_no_pickle_runs(original: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pickle-ran"
    tamper(Path(active(original)["bundle_path"]), marker)
    result = run(original, "suggest", "REC-0-00")
    assert_clean_failure(
        result, "is damaged or was tampered with: weights.safetensors is not a safetensors file"
    )
    assert not marker.exists()


def test_8_models_activate_reads_the_bundle_before_saying_it_is_active(
    original: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "pickle-ran"
    first = active(original)
    second = Path(first["bundle_path"]).with_name("v0002-20260101T0000")
    shutil.copytree(first["bundle_path"], second)
    with contextlib.closing(sqlite3.connect(original)) as db:  # a second version, as a retrain registers it
        db.execute(
            "INSERT INTO model_versions (version, bundle_path, backbone, weights_checksum, n_records, n_tags, "
            "n_decisions, metrics_json, created_at, is_active) SELECT 'v0002-20260101T0000', ?, backbone, "
            "weights_checksum, n_records, n_tags, n_decisions, metrics_json, created_at, 0 FROM model_versions",
            (str(second),),
        )
        db.commit()
    tamper(second, marker)
    result = run(original, "models", "activate", "v0002")
    assert_clean_failure(result, "model bundle v0002-20260101T0000 is damaged or was tampered with")
    assert "is now active" not in result.stdout
    assert active(original)["version"] == first["version"]  # the active model stays as it was
    assert not marker.exists()
    assert json_out(run(original, "suggest", "REC-0-00", "--json"))["model_version"] == first["version"]


@needs_mount
def test_suggest_works_on_a_catalogue_on_a_read_only_disk(original: Path, tmp_path: Path) -> None:
    folder = original.parent
    before = snapshot(folder)
    with read_only_view(folder, tmp_path / "mnt") as mnt:
        data = json_out(run(mnt / "cat.sqlite", "suggest", "REC-0-00", "--json"))
        assert data["model_tags"]
    assert snapshot(folder) == before

"""Fixtures of the annotator tests: tiny clustered training arrays, one fitted model, tiny images for the pipeline."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from heritage_tagger.settings import ModelSettings

TAGS = ["boat", "tree", "house", "street"]
SETTINGS = ModelSettings(epochs=3, neighbour_grid=(3, 6), batch_size=16, hidden_visual=32, hidden_semantic=16)

Clusters = Callable[..., dict[str, Any]]


def _clusters(n: int = 40, seed: int = 0, dim: int = 16) -> dict[str, Any]:
    """Rows drawn around one centre per tag; descriptions name the tags, locations alternate."""
    from heritage_tagger.text.word_vectors import WordVectors

    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(len(TAGS), dim)) * 3
    y = np.zeros((n, len(TAGS)), np.float32)
    feats = np.zeros((n, dim), np.float32)
    for i in range(n):
        tags = rng.choice(len(TAGS), size=1 + i % 2, replace=False)
        y[i, tags] = 1
        feats[i] = centres[tags].mean(axis=0) + rng.normal(size=dim)
    words = [frozenset(TAGS[t] for t in np.flatnonzero(row)) for row in y]
    vectors = WordVectors([*TAGS, "other"], rng.normal(size=(5, 8)))
    return dict(
        features=feats,
        word_sets=words,
        locations=["a" if i % 2 else "b" for i in range(n)],
        Y=y,
        tag_labels=TAGS,
        word_vectors=vectors,
    )


@pytest.fixture(scope="session")
def clusters() -> Clusters:
    """``clusters(n=40, seed=0, dim=16)``: keyword arguments of ``fit_collective`` for clustered rows."""
    return _clusters


@pytest.fixture(scope="session")
def fit_settings() -> ModelSettings:
    """Small, quick settings for fitting on the clustered rows."""
    return SETTINGS


@pytest.fixture(scope="session")
def fitted() -> tuple[dict[str, Any], Any, list[str]]:
    """(data, model, progress stages) of one model fitted on 40 clustered rows (record ids 100-139)."""
    from heritage_tagger.annotator.fit import fit_collective

    data = _clusters()
    stages: list[str] = []
    model = fit_collective(
        **data, settings=SETTINGS, record_ids=np.arange(100, 140), progress=lambda p: stages.append(p.stage)
    )
    return data, model, stages


# three visual classes: colour, description, location, tags
CLASSES = [
    ((200, 40, 30), "red barn by the farm road", "Farm", ["Barns", "Farms"]),
    ((30, 160, 40), "green trees in the forest park", "Forest", ["Forests", "Trees"]),
    ((40, 60, 210), "blue harbour with boats at sea", "Harbour", ["Harbors", "Boats"]),
]


@pytest.fixture(scope="session")
def training_data(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A ``TrainingData`` of 15 records with tiny generated images (5 per class), two tags each."""
    from PIL import Image, ImageDraw

    from heritage_tagger.annotator.pipeline import TrainingData

    folder = tmp_path_factory.mktemp("images")
    data = TrainingData([], [], [], [], [], [], [])
    for c, (colour, description, location, tags) in enumerate(CLASSES):
        for k in range(5):
            shade = tuple(max(0, min(255, v + 9 * k - 18)) for v in colour)
            image = Image.new("RGB", (40, 32), shade)
            ImageDraw.Draw(image).rectangle([k * 3, k * 2, k * 3 + 8, k * 2 + 6], fill=(255, 255, 255))
            path = folder / f"img{c}_{k}.png"
            image.save(path)
            data.record_ids.append(len(data.record_ids) + 1)
            data.sha256s.append(hashlib.sha256(path.read_bytes()).hexdigest())
            data.image_paths.append(str(path))
            data.titles.append(f"Photo {c}-{k}")
            data.descriptions.append(description)
            data.locations.append(location)
            data.tags.append([(t, t.lower().rstrip("s")) for t in tags])
    return data


@pytest.fixture
def write_vectors(tmp_path: Path) -> Callable[[dict[str, list[float]]], Path]:
    """Write a word2vec text file (header line, then ``word v1 v2 ...``) and return its path."""

    def _write(vectors: dict[str, list[float]]) -> Path:
        dim = len(next(iter(vectors.values())))
        lines = [f"{len(vectors)} {dim}"] + [
            f"{w} {' '.join(str(v) for v in vec)}" for w, vec in vectors.items()
        ]
        path = tmp_path / "vectors.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return _write

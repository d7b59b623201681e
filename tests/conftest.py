"""Shared fixtures: an offscreen Qt platform, a fresh catalogue, and tiny generated images."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_NUM_THREADS", "2")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the real user's data directory or catalogue from a test."""
    data = tmp_path_factory.mktemp("userdata")
    monkeypatch.setenv("HERITAGE_TAGGER_DATA_DIR", str(data))
    monkeypatch.delenv("HERITAGE_TAGGER_CATALOGUE", raising=False)
    monkeypatch.setenv("HERITAGE_TAGGER_MODELS", str(data / "models"))


@pytest.fixture
def catalogue_path(tmp_path: Path) -> Path:
    return tmp_path / "catalogue.sqlite"


@pytest.fixture
def catalogue(catalogue_path: Path) -> Iterator[object]:
    from heritage_tagger.services.catalogue import open_catalogue

    cat = open_catalogue(catalogue_path)
    yield cat
    cat.close()


@pytest.fixture
def make_image() -> Callable[..., Path]:
    """Write a small generated image: ``make_image(path, colour=(r, g, b), size=(w, h), fmt=None)``."""
    from PIL import Image, ImageDraw

    def _make(
        path: Path,
        colour: tuple[int, int, int] = (120, 80, 40),
        size: tuple[int, int] = (48, 32),
        fmt: str | None = None,
        pattern: int = 0,
    ) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        image = Image.new("RGB", size, colour)
        draw = ImageDraw.Draw(image)
        # a small pattern so that different seeds give different content (and hashes)
        w, h = size
        draw.rectangle([pattern % w, (pattern * 7) % h, min(w - 1, pattern % w + 8), min(h - 1, (pattern * 7) % h + 6)], fill=(255 - colour[0], 255 - colour[1], 255 - colour[2]))
        image.save(path, format=fmt)
        return path

    return _make

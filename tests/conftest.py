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
    """Write a small generated image: ``make_image(path, colour=(r, g, b), size=(w, h), fmt=None, pattern=0)``."""
    from tests.factories import write_image

    return write_image


@pytest.fixture
def fast_settings() -> Callable[..., object]:
    """``fast_settings(**model_changes) -> Settings``: a model that trains in a second or two."""
    from tests.factories import fast_settings as factory

    return factory


@pytest.fixture(scope="session")
def trained_catalogue_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The one tiny trained model of the test session: a catalogue of 24 tagged records (3 classes)
    and 2 untagged ones, with an active tiny-backbone model. Never open it for writing: copy it
    with ``copy_catalogue`` (or use ``trained``)."""
    from tests.factories import build_trained_catalogue

    return build_trained_catalogue(tmp_path_factory.mktemp("trained-template"))


@pytest.fixture
def copy_catalogue() -> Callable[[Path, Path], Path]:
    """``copy_catalogue(template_path, dest_folder) -> path``: a copy with its own workspace and bundles."""
    from tests.factories import copy_catalogue as copy

    return copy


@pytest.fixture
def trained(trained_catalogue_template: Path, tmp_path: Path) -> Iterator[object]:
    """A fresh, open copy of the session's trained catalogue (fast model settings)."""
    from heritage_tagger.services.catalogue import open_catalogue
    from tests.factories import copy_catalogue, fast_settings

    cat = open_catalogue(
        copy_catalogue(trained_catalogue_template, tmp_path / "cat"), settings=fast_settings()
    )
    yield cat
    cat.close()


@pytest.fixture
def new_photos(make_image: Callable[..., Path]) -> Callable[..., Path]:
    """``new_photos(folder, per_class=4) -> folder``: new photos of the three classes of the trained catalogue."""
    from tests.factories import new_photos as write

    def _write(folder: Path, per_class: int = 4) -> Path:
        return write(folder, make_image, per_class)

    return _write

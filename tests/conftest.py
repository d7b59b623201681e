"""Shared fixtures: an offscreen Qt platform, a fresh catalogue, and tiny generated images.

``--engine=postgresql`` makes the catalogue fixtures (``catalogue_location``, ``catalogue``,
``trained``) team catalogues on a PostgreSQL server, a fresh database per test
(``HERITAGE_TAGGER_TEST_POSTGRES`` names the server, see ``tests/postgres.py``); tests marked
``postgresql`` run only then. SQLite is the default.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("OMP_NUM_THREADS", "2")

# CI (CI=1, as .ci/run sets) draws Hypothesis's examples from a fixed seed, so that a run on the same
# commit gives the same verdict; a developer's run draws new ones and keeps finding new cases.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--engine",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="engine of the catalogues the catalogue fixtures make: sqlite (default) or postgresql "
        "(a fresh database per test on the server $HERITAGE_TAGGER_TEST_POSTGRES names)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "postgresql: needs a PostgreSQL server (runs with --engine=postgresql)"
    )
    config.addinivalue_line(
        "markers", "sqlite_only: about SQLite files themselves (skipped with --engine=postgresql)"
    )
    config.stash[_DATABASES] = 0
    if config.getoption("--engine") == "postgresql":
        from tests.postgres import check_server

        try:
            check_server()
        except Exception as exc:
            raise pytest.UsageError(f"--engine=postgresql: cannot reach the test server: {exc}") from exc


_ENGINE_FIXTURES = frozenset({"catalogue_location", "new_database"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With --engine=postgresql only the tests whose catalogues come from the engine's fixtures run (the rest
    make SQLite files of their own, which the SQLite run covers); without it, none marked ``postgresql``."""
    engine = config.getoption("--engine")
    for item in items:
        if engine != "postgresql" and item.get_closest_marker("postgresql"):
            item.add_marker(pytest.mark.skip(reason="needs --engine=postgresql and a server"))
        if engine == "postgresql" and item.get_closest_marker("sqlite_only"):
            item.add_marker(pytest.mark.skip(reason="about SQLite files; runs with --engine=sqlite"))
        elif engine == "postgresql" and not _ENGINE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(
                pytest.mark.skip(reason="makes its own SQLite catalogue; runs with --engine=sqlite")
            )


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if config.getoption("--engine") == "postgresql":
        terminalreporter.write_line(
            f"{config.stash[_DATABASES]} PostgreSQL databases were made for the tests (one per test that "
            "used a catalogue fixture or new_database)."
        )


_DATABASES = pytest.StashKey[int]()


@pytest.fixture(scope="session")
def engine_name(pytestconfig: pytest.Config) -> str:
    """The engine of the catalogue fixtures: "sqlite" or "postgresql" (``--engine``)."""
    return str(pytestconfig.getoption("--engine"))


@pytest.fixture
def new_database(pytestconfig: pytest.Config) -> Iterator[Callable[[], str]]:
    """``new_database() -> URL``: a fresh, empty PostgreSQL database on the test server, dropped after the test."""
    from tests.postgres import create_database, drop_database

    made: list[str] = []

    def make() -> str:
        if pytestconfig.getoption("--engine") != "postgresql":
            pytest.skip("needs --engine=postgresql and a server")
        url = create_database()
        made.append(url)
        pytestconfig.stash[_DATABASES] += 1
        return url

    yield make
    for url in made:
        drop_database(url)


@pytest.fixture
def catalogue_location(
    engine_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, new_database: Callable[[], str]
) -> Path | str:
    """Where a fresh catalogue goes: a file in ``tmp_path``, or (``--engine=postgresql``) a new database's URL
    with its media root in ``tmp_path / "media"`` (``HERITAGE_TAGGER_MEDIA_ROOT``)."""
    if engine_name != "postgresql":
        return tmp_path / "catalogue.sqlite"
    monkeypatch.setenv("HERITAGE_TAGGER_MEDIA_ROOT", str(tmp_path / "media"))
    return new_database()


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
def catalogue(catalogue_location: Path | str) -> Iterator[object]:
    from heritage_tagger.services.catalogue import open_catalogue

    cat = open_catalogue(catalogue_location)
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
def trained(
    trained_catalogue_template: Path, tmp_path: Path, engine_name: str, catalogue_location: Path | str
) -> Iterator[object]:
    """A fresh, open copy of the session's trained catalogue (fast model settings); with
    ``--engine=postgresql`` a team catalogue made from it by ``migrate-catalogue``."""
    from heritage_tagger.services.catalogue import open_catalogue
    from tests.factories import copy_catalogue, fast_settings

    if engine_name == "postgresql":
        from heritage_tagger.services.migrating import migrate_catalogue

        migrate_catalogue(trained_catalogue_template, catalogue_location)
        location: Path | str = catalogue_location
    else:
        location = copy_catalogue(trained_catalogue_template, tmp_path / "cat")
    cat = open_catalogue(location, settings=fast_settings())
    yield cat
    cat.close()


@pytest.fixture
def new_photos(make_image: Callable[..., Path]) -> Callable[..., Path]:
    """``new_photos(folder, per_class=4) -> folder``: new photos of the three classes of the trained catalogue."""
    from tests.factories import new_photos as write

    def _write(folder: Path, per_class: int = 4) -> Path:
        return write(folder, make_image, per_class)

    return _write

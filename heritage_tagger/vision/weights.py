"""Finding, checksumming and safely loading pretrained weight files (never unpickling objects)."""

from __future__ import annotations

import hashlib
import logging
import os
import sys
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from heritage_tagger.domain.errors import HeritageTaggerError
from heritage_tagger.settings import models_dir

if TYPE_CHECKING:
    import torch

log = logging.getLogger(__name__)

VGG16_FILE = "vgg16-397923af.pth"  # torchvision's IMAGENET1K_V1 file name
WEIGHT_SUFFIXES = (".pth", ".pt", ".safetensors")


class WeightsError(HeritageTaggerError):
    """Pretrained weights are missing, unreadable or do not fit the network."""


def torch_hub_checkpoints() -> Path:
    """torch's download cache (``torch.hub.get_dir()/checkpoints``), where torchvision keeps weights.

    Asked of torch when it is already imported (``torch.hub.set_dir`` may have moved it), else
    computed as torch does (``$TORCH_HOME/hub``, default ``$XDG_CACHE_HOME/torch`` or
    ``~/.cache/torch``), so that looking for weights never imports torch.
    """
    hub = sys.modules.get("torch.hub")
    if hub is not None:
        return Path(hub.get_dir()) / "checkpoints"
    torch_home = os.environ.get("TORCH_HOME")
    if not torch_home:
        cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        torch_home = os.path.join(cache, "torch")
    return Path(torch_home).expanduser() / "hub" / "checkpoints"


def search_folders() -> list[Path]:
    """Where weight files are looked for, in order: the models folder, then torch's cache."""
    return [models_dir(), torch_hub_checkpoints()]


def find_weights(prefix: str, preferred: str | None = None) -> Path | None:
    """The first ``preferred`` file, else any ``prefix*.pth|.pt|.safetensors``, in ``search_folders()``."""
    for folder in search_folders():
        if not folder.is_dir():
            continue
        if preferred and (folder / preferred).is_file():
            return folder / preferred
        candidates = sorted(
            p
            for p in folder.iterdir()
            if p.is_file() and p.name.startswith(prefix) and p.suffix in WEIGHT_SUFFIXES
        )
        # "vgg16_bn-..." is another architecture: only names continuing with "-", "_" + digits or "." fit
        candidates = [p for p in candidates if not p.name[len(prefix) :].startswith("_bn")]
        if candidates:
            return candidates[0]
    return None


def find_vgg16_weights() -> Path | None:
    """VGG16's ImageNet state dict, in the models folder or torch's cache, or None."""
    return find_weights("vgg16", VGG16_FILE)


def missing_vgg16_message() -> str:
    folders = " or ".join(str(f) for f in search_folders())
    return (
        "VGG16's ImageNet weights were not found. Put torchvision's file "
        f"{VGG16_FILE} (or any vgg16*.pth / vgg16*.safetensors state dict) in {folders}, "
        "or, where the network allows, download it once with "
        "heritage_tagger.vision.weights.download_vgg16_weights()."
    )


@lru_cache(maxsize=32)
def _sha256_cached(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """SHA-256 of a file (remembered per path, size and modification time within this process)."""
    stat = path.stat()
    return _sha256_cached(str(path.resolve()), stat.st_size, stat.st_mtime_ns)


def state_dict_sha256(state: Mapping[str, torch.Tensor]) -> str:
    """SHA-256 over names, shapes, dtypes and bytes of a state dict, in key order (stable across loads)."""
    import torch

    digest = hashlib.sha256()
    for key, tensor in state.items():
        t = tensor.detach().cpu().contiguous()
        digest.update(f"{key}:{tuple(t.shape)}:{t.dtype}\n".encode())
        if t.numel():
            digest.update(t.reshape(-1).view(torch.uint8).numpy().tobytes())
    return digest.hexdigest()


def load_state_dict_file(path: Path) -> dict[str, torch.Tensor]:
    """A state dict from ``.safetensors`` or a torch file read with ``weights_only=True``."""
    import torch

    try:
        if path.suffix == ".safetensors":
            from safetensors.torch import load_file

            state: object = load_file(str(path), device="cpu")
        else:
            state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:
        raise WeightsError(f"The weight file {path} cannot be read ({type(exc).__name__}: {exc}).") from exc
    if isinstance(state, Mapping) and "state_dict" in state and isinstance(state["state_dict"], Mapping):
        state = state["state_dict"]
    if not isinstance(state, Mapping) or not all(hasattr(v, "shape") for v in state.values()):
        raise WeightsError(f"The weight file {path} does not hold a state dict of tensors.")
    return dict(state)


def load_into(module: torch.nn.Module, state: Mapping[str, torch.Tensor], source: Path | str) -> None:
    """Load a state dict strictly, turning a mismatch into a plain-words error."""
    try:
        module.load_state_dict(state, strict=True)
    except RuntimeError as exc:
        first = str(exc).splitlines()[0:3]
        raise WeightsError(
            f"The weights in {source} do not fit the {type(module).__name__} network: {' '.join(first)}"
        ) from exc


def download_vgg16_weights(target_dir: Path | None = None) -> Path:
    """Download torchvision's VGG16 ImageNet weights into the models folder (only when asked)."""
    import torch
    from torchvision.models import VGG16_Weights

    folder = target_dir or models_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / VGG16_FILE
    if target.is_file():
        return target
    try:
        state = VGG16_Weights.IMAGENET1K_V1.get_state_dict(progress=True)
    except Exception as exc:
        raise WeightsError(
            f"VGG16's weights could not be downloaded ({type(exc).__name__}: {exc}). "
            f"Without network access, copy {VGG16_FILE} into {folder} by hand."
        ) from exc
    partial = target.with_suffix(".part")
    torch.save(state, partial)
    partial.replace(target)
    log.info("VGG16 weights saved to %s", target)
    return target

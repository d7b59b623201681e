"""The backbones and devices as the layers above see them (services, gui, cli reach vision/ only through here).

``backbone_choices()`` and ``best_backbone()`` look for weight files without importing torch, so a
dialog may call them on the GUI thread; ``load_backbone`` and ``device_kind`` import torch.
"""

from __future__ import annotations

from heritage_tagger.settings import AUTO, DEFAULT_BACKBONE, DEFAULT_DEVICE
from heritage_tagger.vision.backbones import (
    BackboneChoice,
    BackboneError,
    LoadedBackbone,
    available_backbones,
    backbone_choices,
    best_available,
    load_backbone,
)
from heritage_tagger.vision.devices import DEVICE_CHOICES, DeviceError, resolve_device
from heritage_tagger.vision.weights import VGG16_FILE, WeightsError

__all__ = [
    "AUTO",
    "DEFAULT_BACKBONE",
    "DEFAULT_DEVICE",
    "DEVICE_CHOICES",
    "VGG16_FILE",
    "BackboneChoice",
    "BackboneError",
    "DeviceError",
    "LoadedBackbone",
    "WeightsError",
    "available_backbones",
    "backbone_choices",
    "best_backbone",
    "device_kind",
    "load_backbone",
]


def best_backbone() -> BackboneChoice | None:
    """What ``"auto"`` will use (the first available backbone), with its weight file; None when none is."""
    spec = best_available()
    if spec is None:
        return None
    return BackboneChoice(spec.name, spec.label, True, "", spec.weights_path())


def device_kind(name: str = DEFAULT_DEVICE) -> str:
    """``"cuda"`` or ``"cpu"``: where work asked for on ``name`` runs (DeviceError for a device that
    does not exist here). Imports torch: call it off the GUI thread."""
    return resolve_device(name).type

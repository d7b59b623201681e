"""The backbones as the layers above annotator see them (a facade over vision/backbones.py)."""

from __future__ import annotations

from heritage_tagger.vision.backbones import LoadedBackbone, available_backbones, load_backbone
from heritage_tagger.vision.devices import resolve_device
from heritage_tagger.vision.weights import find_vgg16_weights

__all__ = ["LoadedBackbone", "available_backbones", "find_vgg16_weights", "load_backbone", "resolve_device"]

"""The backbones as the layers above annotator see them (a facade over vision/backbones.py)."""

from __future__ import annotations

from heritage_tagger.vision.backbones import LoadedBackbone, available_backbones, load_backbone

__all__ = ["LoadedBackbone", "available_backbones", "load_backbone"]

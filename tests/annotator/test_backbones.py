"""annotator.backbones: what the layers above use to list, pick and load backbones and devices."""

from __future__ import annotations

from pathlib import Path

import pytest

from heritage_tagger.annotator import backbones
from heritage_tagger.settings import AUTO, ModelSettings


def test_defaults_are_the_settings_ones() -> None:
    assert backbones.DEFAULT_BACKBONE == ModelSettings().backbone == AUTO
    assert backbones.DEFAULT_DEVICE == ModelSettings().device == AUTO
    assert backbones.DEVICE_CHOICES[0] == AUTO and "cpu" in backbones.DEVICE_CHOICES


def test_best_backbone_is_what_auto_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch-home"))  # no VGG16 weights anywhere
    best = backbones.best_backbone()
    assert best is not None and best.name == "efficientnet_lite0" and best.weights_path is not None
    assert [c.name for c in backbones.backbone_choices()][:1] == [AUTO]
    assert backbones.available_backbones() == ["efficientnet_lite0", "efficientnet_lite2"]


def test_device_kind() -> None:
    import torch

    assert backbones.device_kind("cpu") == "cpu"
    assert backbones.device_kind() == ("cuda" if torch.cuda.is_available() else "cpu")
    with pytest.raises(backbones.DeviceError):
        backbones.device_kind("abacus")


def test_unknown_backbone_is_refused_in_plain_words() -> None:
    with pytest.raises(backbones.BackboneError, match="choose one of: auto"):
        backbones.load_backbone("resnet9000", device="cpu")

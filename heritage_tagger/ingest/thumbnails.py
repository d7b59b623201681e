"""Thumbnail cache: one JPEG per image content (SHA-256) in the catalogue's workspace, written atomically."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from PIL import Image, ImageOps

from heritage_tagger.settings import WorkspacePaths

THUMBNAIL_QUALITY = 85


def thumbnail_path(workspace: WorkspacePaths, sha256: str) -> Path:
    """Where the thumbnail of the image with this SHA-256 lives (it may not exist yet)."""
    return workspace.thumbnails / sha256[:2] / f"{sha256}.jpg"


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode == "RGB":
        return image
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        grey = image.convert("I") if image.mode.startswith("I;16") else image
        extrema = grey.getextrema()
        low, high = float(extrema[0]), float(extrema[1])  # type: ignore[arg-type]
        scale = 255.0 / (high - low) if high > low else 1.0
        grey = grey.point(lambda v: (v - low) * scale)
        return grey.convert("L").convert("RGB")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def make_thumbnail(image: Image.Image, size: int) -> Image.Image:
    """An RGB copy, upright by its EXIF orientation, whose longer side is at most ``size``."""
    upright = ImageOps.exif_transpose(image) or image
    thumb = _to_rgb(upright)
    if thumb is image:
        thumb = thumb.copy()
    thumb.thumbnail((size, size), Image.Resampling.LANCZOS)
    return thumb


def write_thumbnail(image: Image.Image, destination: Path, size: int) -> Path:
    """Write the thumbnail to ``destination`` through a temporary file and ``os.replace``."""
    if destination.exists():
        return destination  # same content, same name: already made
    destination.parent.mkdir(parents=True, exist_ok=True)
    thumb = make_thumbnail(image, size)
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=".jpg", dir=destination.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            thumb.save(fh, format="JPEG", quality=THUMBNAIL_QUALITY)
        os.replace(tmp_name, destination)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    return destination

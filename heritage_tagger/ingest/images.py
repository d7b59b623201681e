"""Image checks before import: readable, a supported format, complete, not a decompression bomb."""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from heritage_tagger.domain.errors import ImportFileError
from heritage_tagger.ingest.formats import MIME_BY_FORMAT, PILLOW_FORMATS, read_head, sniff_mime

_OTHER_IMAGES = {b"GIF8": "GIF", b"BM": "BMP", b"\x00\x00\x01\x00": "ICO", b"8BPS": "Photoshop (PSD)"}
_ORIENTATION = 0x0112


@dataclass
class CheckedImage:
    """A fully decoded image with its displayed size and MIME type; close it when done."""

    image: Image.Image
    width: int
    height: int
    mime: str

    def close(self) -> None:
        self.image.close()


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "the file cannot be read (permission denied)"
    if isinstance(exc, FileNotFoundError):
        return "the file no longer exists (moved or deleted during the import?)"
    if isinstance(exc, IsADirectoryError):
        return "this is a folder, not a file"
    return f"the file cannot be read ({exc.strerror or exc})"


def hash_file(path: Path) -> str:
    """SHA-256 of the file's content; ImportFileError when it cannot be read."""
    try:
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError as exc:
        raise ImportFileError(_os_reason(exc)) from exc


def _unsupported_reason(head: bytes, path: Path) -> str:
    for magic, name in _OTHER_IMAGES.items():
        if head.startswith(magic):
            return f"this is a {name} image; only JPEG, PNG, TIFF and WebP are accepted"
    named = f" although it is named {path.suffix}" if path.suffix else ""
    return f"this is not an image{named} (its content is not JPEG, PNG, TIFF or WebP)"


def _bomb_reason(width: int, height: int, max_pixels: int) -> str:
    return (
        f"the image is too large to open safely ({width} × {height} = {width * height:,} pixels, "
        f"the limit is {max_pixels:,}): it may be a decompression bomb"
    )


def check_image(path: Path, max_pixels: int, draft_to: int | None = None) -> CheckedImage:
    """Open and fully decode ``path``; ImportFileError with a plain reason when it cannot be imported.

    ``draft_to``: a JPEG is decoded at the smallest of libjpeg's scales (1/2, 1/4, 1/8) whose both
    sides are still at least ``draft_to`` pixels (``read_image`` does the same for the backbone):
    every byte of the file is still decoded, so a truncated or damaged file is refused just the
    same, in a fraction of the time. ``width``/``height`` are always the full image's.
    """
    try:
        size = path.stat().st_size
        head = read_head(path) if size else b""
    except OSError as exc:
        raise ImportFileError(_os_reason(exc)) from exc
    if size == 0:
        raise ImportFileError("the file is empty (0 bytes)")
    if sniff_mime(head) is None:
        raise ImportFileError(_unsupported_reason(head, path))
    image: Image.Image | None = None
    previous_limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = max_pixels  # Pillow warns above this and refuses above twice it
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path, formats=list(PILLOW_FORMATS))
            width, height = image.size
            if width * height > max_pixels:
                raise ImportFileError(_bomb_reason(width, height, max_pixels))
            if draft_to and image.format == "JPEG":
                image.draft("RGB", (draft_to, draft_to))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        _close(image)
        raise ImportFileError(
            f"the image is too large to open safely: it may be a decompression bomb ({exc})"
        ) from exc
    except ImportFileError:
        _close(image)
        raise
    except UnidentifiedImageError as exc:
        raise ImportFileError("the image cannot be decoded (its header is damaged)") from exc
    except (PermissionError, FileNotFoundError) as exc:
        _close(image)
        raise ImportFileError(_os_reason(exc)) from exc
    except OSError as exc:
        _close(image)
        reason = str(exc)
        lowered = reason.lower()
        if "truncated" in lowered or "broken data stream" in lowered:
            raise ImportFileError(
                f"the image is truncated: the file ends before the picture does ({reason})"
            ) from exc
        raise ImportFileError(f"the image is damaged and cannot be decoded ({reason})") from exc
    except (ValueError, SyntaxError, EOFError, IndexError, TypeError, MemoryError) as exc:
        _close(image)
        raise ImportFileError(f"the image is damaged and cannot be decoded ({exc})") from exc
    finally:
        Image.MAX_IMAGE_PIXELS = previous_limit  # a process-wide setting: leave it as found
    assert image is not None
    mime = MIME_BY_FORMAT.get(image.format or "", "")
    if not mime:
        _close(image)
        raise ImportFileError(f"this is a {image.format} image; only JPEG, PNG, TIFF and WebP are accepted")
    try:
        orientation = image.getexif().get(_ORIENTATION, 1)
    except (ValueError, SyntaxError, OSError, TypeError):
        orientation = 1
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    return CheckedImage(image=image, width=width, height=height, mime=mime)


def _close(image: Image.Image | None) -> None:
    if image is not None:
        image.close()

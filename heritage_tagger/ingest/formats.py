"""The image formats import accepts, recognised by content (magic bytes) rather than by name."""

from __future__ import annotations

from pathlib import Path

# Pillow format name -> MIME type of the formats the catalogue accepts
MIME_BY_FORMAT: dict[str, str] = {
    "JPEG": "image/jpeg",
    "MPO": "image/jpeg",  # multi-picture JPEG (some cameras); Pillow reads it as JPEG
    "PNG": "image/png",
    "TIFF": "image/tiff",
    "WEBP": "image/webp",
}
PILLOW_FORMATS: tuple[str, ...] = ("JPEG", "PNG", "TIFF", "WEBP")
IMAGE_EXTENSIONS: frozenset[str] = frozenset(
    {".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".tif", ".tiff", ".webp"}
)
HEAD_BYTES = 16


def sniff_mime(head: bytes) -> str | None:
    """The MIME type of an accepted image format from its first bytes, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "image/tiff"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def has_image_extension(path: Path) -> bool:
    return path.suffix.lower() in IMAGE_EXTENSIONS


def read_head(path: Path) -> bytes:
    """The first bytes of a file (raises OSError when it cannot be read)."""
    with path.open("rb") as fh:
        return fh.read(HEAD_BYTES)

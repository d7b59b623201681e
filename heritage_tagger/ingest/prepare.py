"""Everything import learns about one image file before it touches the catalogue (no database here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image, ImageOps

from heritage_tagger.domain.text import REPLACEMENT, sanitise
from heritage_tagger.ingest.dates import parse_date_sort
from heritage_tagger.ingest.embedded import read_embedded
from heritage_tagger.ingest.images import check_image
from heritage_tagger.ingest.metadata import MergedMetadata, Metadata, merge_metadata
from heritage_tagger.ingest.sidecar import SidecarError, find_sidecar, read_sidecar
from heritage_tagger.ingest.thumbnails import write_thumbnail

if TYPE_CHECKING:
    from heritage_tagger.vision.features import CropSpec


@dataclass
class PreparedImage:
    """A checked image, its merged metadata and thumbnail, ready to become a record."""

    path: Path
    identifier: str  # the manifest id, else the sidecar id, else the file name without its extension
    sha256: str
    width: int
    height: int
    mime: str
    metadata: MergedMetadata
    date_sort: str | None
    thumbnail: Path | None
    warnings: list[str] = field(default_factory=list)
    pixels: np.ndarray | None = None  # the backbone's input (HWC uint8) when a CropSpec was given


def prepare_image(
    path: Path,
    sha256: str,
    manifest_metadata: Metadata | None,
    *,
    max_pixels: int,
    thumbnail_size: int,
    thumbnail_to: Path,
    crop: CropSpec | None = None,
) -> PreparedImage:
    """Check and decode the image once, read sidecar and embedded metadata, merge, write the
    thumbnail, and with ``crop`` cut the backbone's input out of the same decoded picture.

    A JPEG is decoded at the reduced scale the thumbnail (and the backbone) need; with the default
    sizes (thumbnail 256, backbone shorter side 256) the backbone's pixels are exactly those a
    later extraction from the file would give. Raises ImportFileError (with the reason) when the
    image itself cannot be imported; broken metadata only adds warnings.
    """
    warnings: list[str] = []
    sidecar: Metadata | None = None
    sidecar_path = find_sidecar(path)
    if sidecar_path is not None:
        try:
            sidecar, sidecar_warnings = read_sidecar(sidecar_path)
            warnings += sidecar_warnings
        except SidecarError as exc:
            warnings.append(f"{exc}; the image was imported without it")
    draft_to = max(thumbnail_size, crop.resize_size) if crop is not None else thumbnail_size
    checked = check_image(path, max_pixels, draft_to)
    pixels: np.ndarray | None = None
    try:
        embedded, embedded_warnings = read_embedded(checked.image)
        warnings += embedded_warnings
        thumbnail: Path | None = None
        try:
            thumbnail = write_thumbnail(checked.image, thumbnail_to, thumbnail_size)
        except (OSError, ValueError) as exc:
            warnings.append(f"no thumbnail could be made ({exc})")
        if crop is not None:
            pixels = _backbone_pixels(checked.image, crop)
    finally:
        checked.close()
    metadata = merge_metadata(manifest_metadata, sidecar, embedded)
    metadata.warnings = warnings
    identifier = metadata.identifier
    if not identifier:
        identifier, change = sanitise(path.stem)
        if change:  # a name with bytes that are not UTF-8 (or control characters)
            identifier = identifier.strip() or f"image-{sha256[:12]}"
            what = "is not valid UTF-8" if REPLACEMENT in identifier else f"has control characters ({change})"
            warnings.append(
                f"the file name {what}; it was catalogued as {identifier!r} (the file keeps its exact name)"
            )
    return PreparedImage(
        path=path,
        identifier=identifier,
        sha256=sha256,
        width=checked.width,
        height=checked.height,
        mime=checked.mime,
        metadata=metadata,
        date_sort=parse_date_sort(metadata.date) if metadata.date else None,
        thumbnail=thumbnail,
        warnings=warnings,
        pixels=pixels,
    )


def _backbone_pixels(image: Image.Image, crop: CropSpec) -> np.ndarray | None:
    """The backbone's input from the decoded image, as ``vision.features.read_image`` + ``backbone_crop``
    make it from the file (upright by EXIF, RGB); None when that cannot be done (features then come
    from the file later)."""
    from heritage_tagger.vision.features import backbone_crop

    try:
        upright = ImageOps.exif_transpose(image) or image
        return backbone_crop(upright.convert("RGB"), crop.resize_size, crop.input_size)
    except (OSError, ValueError):
        return None

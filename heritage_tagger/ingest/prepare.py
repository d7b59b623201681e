"""Everything import learns about one image file before it touches the catalogue (no database here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from heritage_tagger.domain.text import REPLACEMENT, sanitise
from heritage_tagger.ingest.dates import parse_date_sort
from heritage_tagger.ingest.embedded import read_embedded
from heritage_tagger.ingest.images import check_image
from heritage_tagger.ingest.metadata import MergedMetadata, Metadata, merge_metadata
from heritage_tagger.ingest.sidecar import SidecarError, find_sidecar, read_sidecar
from heritage_tagger.ingest.thumbnails import write_thumbnail


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


def prepare_image(
    path: Path,
    sha256: str,
    manifest_metadata: Metadata | None,
    *,
    max_pixels: int,
    thumbnail_size: int,
    thumbnail_to: Path,
) -> PreparedImage:
    """Check and decode the image, read sidecar and embedded metadata, merge, write the thumbnail.

    Raises ImportFileError (with the reason) when the image itself cannot be imported;
    broken metadata only adds warnings.
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
    checked = check_image(path, max_pixels)
    try:
        embedded, embedded_warnings = read_embedded(checked.image)
        warnings += embedded_warnings
        thumbnail: Path | None = None
        try:
            thumbnail = write_thumbnail(checked.image, thumbnail_to, thumbnail_size)
        except (OSError, ValueError) as exc:
            warnings.append(f"no thumbnail could be made ({exc})")
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
    )

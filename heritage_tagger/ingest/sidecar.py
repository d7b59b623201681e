"""Per-image JSON sidecars: ``photo.jpg.json`` or ``photo.json`` with the manifest's field names."""

from __future__ import annotations

import json
from pathlib import Path

from heritage_tagger.domain.text import display_path
from heritage_tagger.ingest.metadata import Metadata, clean_text, sanitise_metadata, split_tags

MAX_SIDECAR_BYTES = 4 * 1024 * 1024
_FIELDS = {
    "id": "identifier",
    "identifier": "identifier",
    "title": "title",
    "description": "description",
    "location": "location",
    "date": "date",
    "creator": "creator",
    "rights": "rights",
}


class SidecarError(ValueError):
    """A sidecar exists but cannot be used; the message says why in plain words."""


def find_sidecar(image: Path) -> Path | None:
    """``photo.jpg.json`` if it exists, else ``photo.json``, else None."""
    for candidate in (image.with_name(image.name + ".json"), image.with_suffix(".json")):
        if candidate.is_file():
            return candidate
    return None


def read_sidecar(path: Path) -> tuple[Metadata, list[str]]:
    """The sidecar's metadata and warnings about fields it had to ignore; SidecarError if unusable."""
    try:
        size = path.stat().st_size
        if size > MAX_SIDECAR_BYTES:
            raise SidecarError(f"the sidecar {path.name} is too large ({size} bytes)")
        raw = path.read_bytes()
    except OSError as exc:
        raise SidecarError(f"the sidecar {path.name} cannot be read ({exc.strerror or exc})") from exc
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise SidecarError(f"the sidecar {path.name} is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise SidecarError(
            f"the sidecar {path.name} is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
        ) from exc
    if not isinstance(data, dict):
        raise SidecarError(f"the sidecar {path.name} holds a JSON {type(data).__name__}, not an object")
    metadata = Metadata(source="sidecar")
    warnings: list[str] = []
    for key, value in data.items():
        name = str(key).strip().lower()
        if name in _FIELDS:
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                setattr(metadata, _FIELDS[name], clean_text(str(value)))
            elif value is not None:
                warnings.append(f"the sidecar {path.name} field {key!r} is not text; it was ignored")
        elif name in ("tags", "subjects", "keywords"):
            if isinstance(value, str):
                metadata.tags = split_tags(value) or None
            elif isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
                metadata.tags = split_tags(value) or None
            elif value is not None:
                warnings.append(
                    f"the sidecar {path.name} field {key!r} is not a list of tags; it was ignored"
                )
    sanitise_metadata(metadata, f"the sidecar {display_path(path.name)}", warnings)
    return metadata, warnings

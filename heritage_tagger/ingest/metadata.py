"""Catalogue metadata of one image from one source, and the rule that merges the sources."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields

from heritage_tagger.domain.text import sanitise

TEXT_FIELDS: tuple[str, ...] = ("identifier", "title", "description", "location", "date", "creator", "rights")
TAG_SEPARATOR = "|"


@dataclass
class Metadata:
    """Fields as catalogued; empty text means "not given". ``tags`` is None when the source has none."""

    identifier: str = ""
    title: str = ""
    description: str = ""
    location: str = ""
    date: str = ""
    creator: str = ""
    rights: str = ""
    tags: list[str] | None = None
    source: str = ""

    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in TEXT_FIELDS) and not self.tags


@dataclass
class MergedMetadata(Metadata):
    """The merged fields plus where the tags came from (``manifest``, ``sidecar``, ``embedded``)."""

    tag_source: str = ""
    warnings: list[str] = field(default_factory=list)


def clean_text(value: str) -> str:
    """Surrounding whitespace removed; inner line breaks kept (descriptions may have paragraphs)."""
    return value.strip()


def sanitise_metadata(
    metadata: Metadata, where: str, warnings: list[str], names: dict[str, str] | None = None
) -> Metadata:
    """Make every text field and tag of ``metadata`` safe to store (see ``domain.text.sanitise``), in place.

    Each field that had to change adds a warning ``"{where}, {field}: {what was changed}"``;
    ``names`` renames fields as the source calls them (a manifest's ``id`` column).
    """
    names = names or {}
    for name in TEXT_FIELDS:
        text, change = sanitise(getattr(metadata, name))
        if change:
            setattr(metadata, name, text.strip())
            warnings.append(f"{where}, {names.get(name, name)}: {change}")
    if metadata.tags:
        changes = []
        labels = []
        for label in metadata.tags:
            text, change = sanitise(label)
            labels.append(text)
            if change:
                changes.append(change)
        if changes:
            metadata.tags = split_tags(labels) or None
            warnings.append(f"{where}, {names.get('tags', 'tags')}: {'; '.join(changes)}")
    return metadata


def split_tags(value: str | Sequence[object]) -> list[str]:
    """Tags from ``"a|b|c"`` or a list, whitespace collapsed, empties and repeats dropped, order kept."""
    items = value.split(TAG_SEPARATOR) if isinstance(value, str) else [str(v) for v in value]
    seen: set[str] = set()
    tags = []
    for item in items:
        label = " ".join(item.split())
        if label and label not in seen:
            seen.add(label)
            tags.append(label)
    return tags


def merge_metadata(*sources: Metadata | None) -> MergedMetadata:
    """Field by field, the first source (manifest, then sidecar, then embedded) that gives a value wins.

    Tags are taken whole from the first source that has any; embedded keywords therefore
    count only when neither the manifest nor the sidecar gives tags.
    """
    merged = MergedMetadata()
    present = [s for s in sources if s is not None]
    for item in fields(Metadata):
        if item.name in ("tags", "source"):
            continue
        for source in present:
            value = getattr(source, item.name)
            if value:
                setattr(merged, item.name, value)
                break
    for source in present:
        if source.tags:
            merged.tags = list(source.tags)
            merged.tag_source = source.source
            break
    return merged

"""A saved search: the browser's filter under a name, and its stable, versioned JSON form.

The JSON is a dict with ``"version": 1`` and one key per filter field, keys sorted, pure ASCII
(unpaired surrogates and NUL typed into the filter bar survive both engines' text columns). A
newer app's keys are ignored; a value this version does not understand (a newer state or sort,
a wrong type) falls back to the field's default and is named in ``ignored``. The concept is kept
by URI and label besides its id, so a saved search survives a vocabulary imported again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from heritage_tagger.domain.browse import BrowseFilter, RecordState, SortKey
from heritage_tagger.domain.errors import CatalogueError

FORMAT_VERSION = 1
MAX_NAME = 255


@dataclass(frozen=True)
class SavedSearch:
    """One row of ``saved_searches``: the filter still as JSON (``decode`` reads it)."""

    id: int
    name: str
    filter_json: str
    created_by: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True)
class ConceptRef:
    """The concept a filter names, as saved: its id then, its URI and label (to find it again)."""

    id: int
    uri: str = ""
    label: str = ""


@dataclass(frozen=True)
class DecodedFilter:
    """What a saved search's JSON says: the filter (with the concept id saved), the concept as saved,
    and the fields whose values were not understood (left at their defaults)."""

    filter: BrowseFilter
    concept: ConceptRef | None = None
    ignored: tuple[str, ...] = field(default_factory=tuple)


class SavedSearchFormatError(ValueError):
    """The text is not a saved search's JSON at all."""


class SearchNameTaken(CatalogueError):
    """Another saved search has this name (save without replacing, rename)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"A saved search named “{name}” exists already.")
        self.name = name


class SavedSearchGone(CatalogueError):
    """The saved search is no longer in the catalogue (a teammate deleted it)."""

    def __init__(self, name: str = "") -> None:
        super().__init__(
            f"The saved search “{name}” is no longer in the catalogue."
            if name
            else "The saved search is no longer in the catalogue."
        )
        self.name = name


def encode(flt: BrowseFilter, concept: ConceptRef | None = None) -> str:
    """``flt`` as the stable JSON text of a saved search (``concept``: the one ``flt.concept_id`` names)."""
    data: dict[str, Any] = {
        "version": FORMAT_VERSION,
        "text": flt.text,
        "tag": flt.tag,
        "tag_suggested": flt.tag_suggested,
        "location": flt.location,
        "state": RecordState(flt.state).value,
        "batch_id": flt.batch_id,
        "concept": None,
        "sort": SortKey(flt.sort).value,
        "descending": flt.descending,
    }
    if flt.concept_id is not None:
        ref = concept if concept is not None and concept.id == flt.concept_id else ConceptRef(flt.concept_id)
        data["concept"] = {"id": ref.id, "uri": ref.uri, "label": ref.label}
    return json.dumps(data, sort_keys=True, ensure_ascii=True, separators=(",", ":"))


def _optional_int(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError
    return value


def decode(text: str) -> DecodedFilter:
    """Read a saved search's JSON (any version); ``SavedSearchFormatError`` when it is not one."""
    try:
        data = json.loads(text)
    except (ValueError, TypeError) as exc:
        raise SavedSearchFormatError(f"not JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise SavedSearchFormatError("not a JSON object")
    ignored: list[str] = []
    values: dict[str, Any] = {}

    def take(key: str, convert: Any) -> None:
        if key not in data or (data[key] is None and key != "batch_id"):
            return
        try:
            values[key] = None if data[key] is None else convert(data[key])
        except (TypeError, ValueError):
            ignored.append(key)

    def text_of(value: Any) -> str:
        if not isinstance(value, str):
            raise TypeError
        return value

    def flag(value: Any) -> bool:
        if not isinstance(value, bool):
            raise TypeError
        return value

    for key in ("text", "tag", "location"):
        take(key, text_of)
    for key in ("tag_suggested", "descending"):
        take(key, flag)
    take("state", RecordState)
    take("sort", SortKey)
    take("batch_id", _optional_int)
    concept: ConceptRef | None = None
    raw = data.get("concept")
    if raw is not None:
        try:
            if not isinstance(raw, dict):
                raise TypeError
            concept = ConceptRef(
                id=0 if raw.get("id") is None else (_optional_int(raw.get("id")) or 0),
                uri=text_of(raw.get("uri", "")),
                label=text_of(raw.get("label", "")),
            )
            if not concept.id and not concept.uri:
                raise ValueError
            values["concept_id"] = concept.id or None
        except (TypeError, ValueError):
            ignored.append("concept")
    return DecodedFilter(BrowseFilter(**values), concept, tuple(ignored))

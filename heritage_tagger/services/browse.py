"""The collection browser's use cases: paged, filtered records as plain rows, a record's details, edits.

No Qt and no ORM objects come out of here; the queries live in ``db.browse``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from heritage_tagger.db import browse as queries
from heritage_tagger.db import field_edits, review_marks
from heritage_tagger.db import records as record_rows
from heritage_tagger.domain.browse import BrowseFilter, BrowseRow, Page, PageKey, RecordState, SortKey
from heritage_tagger.domain.errors import CatalogueError
from heritage_tagger.domain.records import Record, TagState
from heritage_tagger.domain.text import sanitise
from heritage_tagger.ingest.dates import parse_date_sort
from heritage_tagger.ingest.thumbnails import thumbnail_path
from heritage_tagger.services.catalogue import Catalogue

__all__ = [
    "EDITABLE_FIELDS",
    "BrowseFilter",
    "BrowseRow",
    "ModelInfo",
    "Page",
    "PageKey",
    "RecordDetails",
    "RecordState",
    "SortKey",
    "active_model",
    "batches",
    "count",
    "image_paths",
    "keyset",
    "locations",
    "ordered_ids",
    "page",
    "page_after",
    "record_details",
    "rows_for_ids",
    "tag_vocabulary",
    "update_field",
]

#: metadata fields a librarian may edit, by domain name -> column name
EDITABLE_FIELDS = {
    "title": "title",
    "description": "description",
    "location": "location",
    "date": "date_text",
    "creator": "creator",
    "rights": "rights",
}


@dataclass(frozen=True)
class ModelInfo:
    version: str
    backbone: str
    created: str
    served_by: str = ""  # which model serves suggestions, in plain words (services.model_versions.served_by)


@dataclass
class RecordDetails:
    """A record with its tags (every state) and where its pictures are."""

    record: Record
    thumbnail: Path
    batch: str = ""
    tags_by_label: dict[str, TagState] = field(default_factory=dict)
    reviewed_by: str = ""  # "Mark photo reviewed": who (empty: not marked) and when
    reviewed_at: datetime | None = None


def ordered_ids(catalogue: Catalogue, flt: BrowseFilter) -> list[int]:
    """Every matching record id in display order (a snapshot the browser pages through)."""
    with catalogue.session() as session:
        return queries.ordered_ids(session, flt)


def count(catalogue: Catalogue, flt: BrowseFilter) -> int:
    with catalogue.session() as session:
        return queries.count(session, flt)


def keyset(flt: BrowseFilter) -> bool:
    """Whether the browser pages ``flt``'s order by keyset (``page_after``) or through ``ordered_ids``."""
    return queries.keyset(flt)


def page_after(catalogue: Catalogue, flt: BrowseFilter, after: PageKey | None, limit: int) -> Page:
    """The ``limit`` rows after the row whose key is ``after`` (None: the first page), by keyset:
    an index range scan whatever the collection's size (identifier and date orders)."""
    with catalogue.session() as session:
        return queries.page_after(session, flt, after, limit)


def page(catalogue: Catalogue, flt: BrowseFilter, offset: int, limit: int) -> list[BrowseRow]:
    """Rows ``offset`` .. ``offset + limit`` of the filtered, sorted collection."""
    with catalogue.session() as session:
        return queries.page(session, flt, offset, limit)


def rows_for_ids(catalogue: Catalogue, ids: list[int]) -> list[BrowseRow]:
    """Browser rows for ``ids`` in the same order (ids no longer in the catalogue are left out)."""
    with catalogue.session() as session:
        return queries.rows(session, ids)


def record_details(catalogue: Catalogue, record_id: int) -> RecordDetails:
    """The record with its tags in every state; a clear error when it is gone."""
    with catalogue.session() as session:
        record = record_rows.get_record(session, record_id)
        if record is None:
            raise CatalogueError(f"Record {record_id} is no longer in the catalogue.")
        folder = queries.batch_folder(session, record.batch_id) if record.batch_id is not None else None
        batch = f"#{record.batch_id} {Path(folder).name}" if folder is not None else ""
        mark = review_marks.review_mark(session, record_id)
        return RecordDetails(
            record=dataclasses.replace(record, source_path=catalogue.file_path(record.source_path)),
            thumbnail=thumbnail_path(catalogue.workspace, record.sha256),
            batch=batch,
            tags_by_label={t.label: t.state for t in record.tags},
            reviewed_by=mark.reviewer if mark else "",
            reviewed_at=mark.at if mark else None,
        )


def update_field(catalogue: Catalogue, record_id: int, name: str, value: str, reviewer: str) -> str:
    """Save one metadata field (the date also updates its sortable form) and, when it changed, log the
    edit in ``field_edits`` under ``reviewer`` (same transaction); returns the stored value."""
    column = EDITABLE_FIELDS.get(name)
    if column is None:
        raise CatalogueError(f"The field {name!r} cannot be edited.")
    value = sanitise(value)[0].strip()  # typed or pasted text: no NUL, controls or lone surrogates
    changes: dict[str, str | None] = {column: value}
    if name == "date":
        changes["date_sort"] = parse_date_sort(value)
    with catalogue.session() as session:
        before = record_rows.column_value(session, record_id, column)
        if before is None or not record_rows.update_record(session, record_id, changes):
            raise CatalogueError(f"Record {record_id} is no longer in the catalogue.")
        if before != value:
            field_edits.record_edit(session, record_id, name, before, value, reviewer)
    return value


def tag_vocabulary(catalogue: Catalogue) -> list[str]:
    """Every tag label of the collection, most used first (for completion)."""
    with catalogue.session() as session:
        return queries.tag_vocabulary(session)


def locations(catalogue: Catalogue, limit: int = 2000) -> list[str]:
    with catalogue.session() as session:
        return queries.locations(session, limit)


def batches(catalogue: Catalogue) -> list[tuple[int, str]]:
    """Import batches as (id, short label), newest first."""
    with catalogue.session() as session:
        found = queries.batches(session)
    return [(bid, f"#{bid} {Path(folder).name} ({started:%Y-%m-%d})") for bid, folder, started in found]


def active_model(catalogue: Catalogue) -> ModelInfo | None:
    """The active model for the window's header (services.model_versions decides which one is active)."""
    from heritage_tagger.services.model_versions import active_version, served_by

    info = active_version(catalogue)
    if info is None:
        return None
    return ModelInfo(
        version=info.version,
        backbone=info.backbone,
        created=f"{info.created_at:%Y-%m-%d %H:%M}",
        served_by=served_by(info.metrics),
    )


def image_paths(catalogue: Catalogue, sha256: str, source_path: str) -> list[Path]:
    """Where to read a picture from: its cached thumbnail first, then the source file."""
    paths = [thumbnail_path(catalogue.workspace, sha256)] if sha256 else []
    if source_path:
        paths.append(Path(catalogue.file_path(source_path)))
    return paths

"""What the collection browser asks for and gets: the filter, the sort order and one row per record."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, NamedTuple


class RecordState(enum.StrEnum):
    """The review state filter (the rules: ``db/review_state.py``)."""

    ALL = "all"
    UNTAGGED = "untagged"  # no catalogued or accepted tag
    PENDING = "pending"  # at least one suggestion waits for review
    NEEDS_REVIEW = "needs_review"  # not reviewed yet: the review queue
    REVIEWED = "reviewed"  # marked reviewed, or decided on with nothing pending


class SortKey(enum.StrEnum):
    IDENTIFIER = "identifier"
    DATE = "date"
    CONFIDENCE = "confidence"  # the highest pending suggestion score
    ATTENTION = "attention"  # needs attention first: needs a person, then the most uncertain proposals


@dataclass(frozen=True)
class BrowseFilter:
    """What the filter bar asks for; empty fields do not filter."""

    text: str = ""
    tag: str = ""  # a tag the record carries (catalogued or accepted) ...
    tag_suggested: bool = False  # ... or, when True, also one only suggested to it
    location: str = ""  # a part of the location, any case
    state: RecordState = RecordState.ALL
    batch_id: int | None = None
    concept_id: int | None = None  # carries a tag linked to this concept or to one below it
    sort: SortKey = SortKey.IDENTIFIER
    descending: bool = False


class BrowseRow(NamedTuple):
    """One record as the browser shows it in the grid and the table.

    A tuple of plain values on purpose: the garbage collector stops tracking such tuples, so a
    browser holding 100,000 rows adds nothing to the full collections that would pause the GUI.
    """

    id: int
    identifier: str
    title: str
    date: str
    location: str
    sha256: str
    source_path: str
    n_tags: int = 0
    n_suggested: int = 0
    n_reviewed: int = 0
    confidence: float | None = None
    marked: bool = False  # a person marked the photo reviewed

    @property
    def state(self) -> str:
        if self.marked:
            return RecordState.REVIEWED.value
        if self.n_suggested:
            return RecordState.PENDING.value
        if self.n_reviewed:
            return RecordState.REVIEWED.value
        if not self.n_tags:
            return RecordState.UNTAGGED.value
        return "catalogued"


PageKey = tuple[Any, ...]  # the sort values of the last row of a page (keyset paging)


@dataclass(frozen=True)
class Page:
    """One page of the browser: its rows, the key to ask for the next page with, and whether it was the last."""

    rows: list[BrowseRow] = field(default_factory=list)
    after: PageKey | None = None
    complete: bool = True

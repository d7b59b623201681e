"""Which records a job reads: the whole catalogue, the browser's filter, chosen record ids or one import batch."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from heritage_tagger.domain.browse import BrowseFilter


class ScopeKind(enum.StrEnum):
    ALL = "all"
    FILTER = "filter"  # the records the browser's filter matches
    SELECTION = "selection"  # chosen record ids
    BATCH = "batch"  # the records one import batch added


@dataclass(frozen=True)
class RecordScope:
    """A restriction of the catalogue's records; build one with the class methods."""

    kind: ScopeKind = ScopeKind.ALL
    browse_filter: BrowseFilter | None = None
    record_ids: tuple[int, ...] = ()
    batch_id: int | None = None

    @classmethod
    def everything(cls) -> RecordScope:
        return cls()

    @classmethod
    def matching(cls, flt: BrowseFilter) -> RecordScope:
        return cls(ScopeKind.FILTER, browse_filter=flt)

    @classmethod
    def selected(cls, record_ids: Iterable[int]) -> RecordScope:
        ids = tuple(sorted({int(i) for i in record_ids}))
        return cls(ScopeKind.SELECTION, record_ids=ids)

    @classmethod
    def batch(cls, batch_id: int) -> RecordScope:
        return cls(ScopeKind.BATCH, batch_id=int(batch_id))

    @property
    def is_everything(self) -> bool:
        return self.kind is ScopeKind.ALL

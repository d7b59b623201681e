"""Records, tags, suggestions and decisions as plain dataclasses."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime


class TagState(enum.StrEnum):
    """The current state of a tag on a record."""

    CATALOGUED = "catalogued"  # came with the record (manifest, sidecar, embedded keywords)
    ACCEPTED = "accepted"  # a reviewer accepted a suggestion or added the tag
    REJECTED = "rejected"  # a reviewer rejected it; never used as a positive for training
    SUGGESTED = "suggested"  # proposed by a model, pending review


class DecisionAction(enum.StrEnum):
    """What a reviewer (or the auto-accept rule) did; logged append-only."""

    ACCEPT = "accept"
    REJECT = "reject"
    ADD = "add"
    REMOVE = "remove"
    UNDO = "undo"  # a compensating entry: restores the state before the decision it names


@dataclass
class Record:
    """One photograph and its catalogue metadata."""

    identifier: str
    title: str = ""
    description: str = ""
    location: str = ""
    date: str = ""
    creator: str = ""
    rights: str = ""
    source_path: str = ""
    sha256: str = ""
    mime_type: str = ""
    width: int | None = None
    height: int | None = None
    id: int | None = None
    batch_id: int | None = None
    tags: list[RecordTag] = field(default_factory=list)


@dataclass(frozen=True)
class RecordTag:
    """A tag on a record with its state (and score when a model suggested it)."""

    label: str
    state: TagState
    score: float | None = None
    source: str = ""
    model_version: str | None = None


@dataclass(frozen=True)
class Suggestion:
    """A tag proposed for a photo with the model's probability."""

    label: str
    score: float
    source: str = "model"


@dataclass(frozen=True)
class Decision:
    """One entry of the append-only decisions log."""

    record_id: int
    label: str
    action: DecisionAction
    reviewer: str
    previous_state: TagState | None
    new_state: TagState | None
    score: float | None = None
    model_version: str | None = None
    created_at: datetime | None = None
    id: int | None = None
    reverts_id: int | None = None
    merge_label: str | None = None  # a variant merge: the variant absorbed, or the tag it went into


@dataclass(frozen=True)
class SkippedFile:
    """A file the import could not take, with the reason in plain words."""

    path: str
    reason: str


@dataclass
class ImportSummary:
    """What an import did: counts plus every skipped file with its reason."""

    batch_id: int | None = None
    imported: int = 0
    duplicates: int = 0
    skipped: list[SkippedFile] = field(default_factory=list)
    resumed: bool = False
    imported_record_ids: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "batch_id": self.batch_id,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "skipped": [{"path": s.path, "reason": s.reason} for s in self.skipped],
            "resumed": self.resumed,
            "warnings": self.warnings,
        }

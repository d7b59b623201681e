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
    REVIEW = "review"  # the whole photo marked reviewed (a record-level entry: its label is empty)


class FieldEditAction(enum.StrEnum):
    """What happened to a metadata field; logged in ``field_edits`` (revision 0009)."""

    EDIT = "edit"  # a person set the field (the detail pane, or a batch's set/append)
    UNDO = "undo"  # a batch undone: the field back to what it was
    REDO = "redo"  # an undone batch redone: the field as the batch left it


@dataclass(frozen=True)
class FieldEdit:
    """One logged change of a record's metadata field (``field``: a key of ``services.browse.EDITABLE_FIELDS``).

    ``group`` ties together the edits of one batch and the undo and redo of it (a single edit has its own).
    """

    record_id: int
    field: str
    before: str | None
    after: str | None
    action: FieldEditAction
    group: str
    reviewer: str
    created_at: datetime | None = None
    id: int | None = None


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
    date_normalised: str | None = None  # ISO 8601 / EDTF form of ``date`` where it parses (exports)
    updated_at: datetime | None = None


@dataclass(frozen=True)
class MergeStep:
    """A variant merge a tag went through: the variant's label, who merged it and when."""

    variant: str
    reviewer: str
    at: datetime | None


@dataclass(frozen=True)
class Provenance:
    """Where a tag on a record came from: catalogued, or which decision gave it its state (and merges since)."""

    state: TagState
    action: DecisionAction | None = None  # None: catalogued with the record, no decision since
    reviewer: str = ""
    at: datetime | None = None
    model_version: str | None = None
    merges: tuple[MergeStep, ...] = ()

    def describe(self) -> str:
        """E.g. "accepted by ann 2026-05-01T10:22:00Z (model v0003)", "catalogued; merged from 'woman' by bob ..."."""
        if self.action is None or self.state is TagState.CATALOGUED:
            text = self.state.value  # came with the record
        else:
            verb = {DecisionAction.ACCEPT: "accepted", DecisionAction.ADD: "added"}.get(
                self.action, self.state.value
            )
            text = f"{verb} by {self.reviewer}" if self.reviewer else verb
            if self.at is not None:
                text += f" {_iso(self.at)}"
            if self.model_version:
                text += f" (model {self.model_version})"
        for step in self.merges:
            text += f"; merged from {step.variant!r} by {step.reviewer}" + (
                f" {_iso(step.at)}" if step.at else ""
            )
        return text


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat() + ("Z" if moment.tzinfo is None else "")


@dataclass(frozen=True)
class RecordTag:
    """A tag on a record with its state (and score when a model suggested it).

    Exports fill the rest: the concept the tag is linked to (URI, preferred label, broader labels
    from the top down) and the tag's provenance on this record.
    """

    label: str
    state: TagState
    score: float | None = None
    source: str = ""
    model_version: str | None = None
    uri: str | None = None
    concept_label: str | None = None
    broader: tuple[str, ...] = ()
    provenance: Provenance | None = None
    version: int = 0  # of the state row: a decision on it names the version the reviewer saw


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


PAST_TENSE = {
    "accept": "accepted",
    "reject": "rejected",
    "add": "added",
    "remove": "removed",
    "undo": "undid",
}


def when_text(moment: datetime | None) -> str:
    """ " at 10:42:03" today, " on 2026-05-01 10:42" before; ``moment`` is UTC as the catalogue stores it."""
    if moment is None:
        return ""
    from datetime import UTC

    local = moment.replace(tzinfo=UTC).astimezone() if moment.tzinfo is None else moment.astimezone()
    today = datetime.now().astimezone().date()
    return f" at {local:%H:%M:%S}" if local.date() == today else f" on {local:%Y-%m-%d %H:%M}"


def decision_sentence(reviewer: str, action: str, label: str, identifier: str, at: datetime | None) -> str:
    """What a reviewer did, in words: "bob rejected “Barns” on REC-0012 at 10:42:03"."""
    verb = PAST_TENSE.get(action, action)
    what = f"“{label}”" if action != "undo" else f"a decision on “{label}”"
    return f"{reviewer} {verb} {what} on {identifier}{when_text(at)}"

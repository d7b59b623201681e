"""SQLAlchemy 2.0 typed tables of the catalogue (see DESIGN.md, data model)."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote_from_bytes, unquote_to_bytes

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, object_session, relationship

TAG_STATES = ("catalogued", "accepted", "rejected", "suggested")
DECISION_ACTIONS = ("accept", "reject", "add", "remove", "undo", "review")
FIELD_EDIT_ACTIONS = ("edit", "undo", "redo")
JOB_STATES = ("running", "done", "failed", "cancelled")
LABEL_KINDS = ("pref", "alt", "hidden")
RELATION_KINDS = ("broader", "related")
VOCABULARY_STATES = ("importing", "ready")
SUGGESTION_OUTCOMES = ("proposed", "nothing_new", "no_confident_suggestion")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


_SURROGATE = re.compile("[\ud800-\udfff]")
_ENCODED = "file://"


class PathText(TypeDecorator[str]):
    """A file path stored losslessly as text, even when its name has bytes that are not UTF-8.

    Python spells such names with surrogate escapes (``os.fsdecode``); they are stored as a
    percent-encoded ``file://`` form (pure ASCII) and read back as the same string, so the
    file opens again. Every other path is stored as it is (a real path never starts with
    ``file://``; one that does is encoded too, so the mapping stays one-to-one).
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        if value is None:
            return None
        value = os.fspath(value)
        if _SURROGATE.search(value) or value.startswith(_ENCODED):
            return _ENCODED + quote_from_bytes(os.fsencode(value), safe="/:")
        return value

    def process_result_value(self, value: Any, dialect: Any) -> str | None:
        if value is None or not value.startswith(_ENCODED):
            return value
        return os.fsdecode(unquote_to_bytes(value[len(_ENCODED) :]))


class Base(DeclarativeBase):
    pass


class ImportBatch(Base):
    """One run of import over a folder; resumable through its job."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    folder: Mapped[str] = mapped_column(PathText)
    manifest_path: Mapped[str | None] = mapped_column(PathText)
    status: Mapped[str] = mapped_column(String(16), default="running")
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    n_imported: Mapped[int] = mapped_column(Integer, default=0)
    n_duplicates: Mapped[int] = mapped_column(Integer, default=0)
    n_skipped: Mapped[int] = mapped_column(Integer, default=0)
    report_json: Mapped[str | None] = mapped_column(Text)


class Record(Base):
    """A photograph with its catalogue metadata; unique by file content."""

    __tablename__ = "records"
    __table_args__ = (
        Index("ix_records_date_identifier", "date_sort", "identifier"),  # keyset pages by date
        Index("ix_records_batch_identifier", "batch_id", "identifier"),  # an import batch's pages
        Index("ix_records_location", "location"),  # the filter bar's list of places
        Index("ix_records_reviewed_at", "reviewed_at"),  # the review-state filters (db.review_state)
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    identifier: Mapped[str] = mapped_column(String(255), unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(Text, default="")
    date_text: Mapped[str] = mapped_column(Text, default="")
    date_sort: Mapped[str | None] = mapped_column(String(10))
    creator: Mapped[str] = mapped_column(Text, default="")
    rights: Mapped[str] = mapped_column(Text, default="")
    source_path: Mapped[str] = mapped_column(PathText, default="")
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    mime_type: Mapped[str] = mapped_column(String(64), default="")
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    # "Mark photo reviewed" (revision 0005): a person looked at the photo and is done with it
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    reviewed_by: Mapped[str | None] = mapped_column(String(255))

    tags: Mapped[list[RecordTag]] = relationship(
        back_populates="record", cascade="all, delete-orphan", passive_deletes=True
    )


class Tag(Base):
    """A subject tag as librarians write it, with its lemma form."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(255), unique=True)
    lemma: Mapped[str] = mapped_column(String(255), index=True, default="")
    uri: Mapped[str | None] = mapped_column(Text)  # a URI known without a vocabulary (exported if unlinked)
    concept_id: Mapped[int | None] = mapped_column(ForeignKey("concepts.id", ondelete="SET NULL"), index=True)


class ModelVersion(Base):
    """A trained model bundle registered with the catalogue; exactly one is active."""

    __tablename__ = "model_versions"
    __table_args__ = (
        Index(
            "ix_model_versions_one_active",
            "is_active",
            unique=True,
            sqlite_where=text("is_active = 1"),
            postgresql_where=text("is_active"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(64), unique=True)
    bundle_path: Mapped[str] = mapped_column(Text)
    backbone: Mapped[str] = mapped_column(String(64))
    weights_checksum: Mapped[str] = mapped_column(String(64), default="")
    n_records: Mapped[int] = mapped_column(Integer, default=0)
    n_tags: Mapped[int] = mapped_column(Integer, default=0)
    n_decisions: Mapped[int] = mapped_column(Integer, default=0)
    metrics_json: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    is_active: Mapped[bool] = mapped_column(Boolean, default=False)


class RecordTag(Base):
    """The current state of one tag on one record."""

    __tablename__ = "record_tags"
    __table_args__ = (
        UniqueConstraint("record_id", "tag_id", name="uq_record_tags_record_tag"),
        CheckConstraint(
            "state IN ('catalogued', 'accepted', 'rejected', 'suggested')",
            name="ck_record_tags_state",
        ),
        Index("ix_record_tags_state", "state"),
        Index("ix_record_tags_tag", "tag_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(16))
    score: Mapped[float | None] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(32), default="")
    model_version_id: Mapped[int | None] = mapped_column(ForeignKey("model_versions.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    # raised by one on every change (db/tagging.py's mapper events); every ORM UPDATE and DELETE of
    # the row says ``WHERE version = <the version read>``, so two writers never overwrite each other
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))

    record: Mapped[Record] = relationship(back_populates="tags")
    tag: Mapped[Tag] = relationship()
    model_version: Mapped[ModelVersion | None] = relationship()

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # noqa: RUF012


@event.listens_for(RecordTag, "before_update")
def _raise_version(_mapper: Any, _connection: Any, target: RecordTag) -> None:
    """Every change of a state row raises its version (the ORM's WHERE names the one read)."""
    session = object_session(target)
    if session is not None and session.is_modified(target, include_collections=False):
        target.version = (target.version or 0) + 1


class SuggestionOutcome(Base):
    """What the model answered the last time it was asked for a record's suggestions (batch annotation,
    re-suggestion): ``proposed`` (pending suggestions stored), ``nothing_new`` (its confident tags
    were all decided already) or ``no_confident_suggestion`` (nothing reached the threshold: the
    photo needs a person). One row per record, replaced each time."""

    __tablename__ = "suggestion_outcomes"
    __table_args__ = (
        CheckConstraint(
            "outcome IN ('proposed', 'nothing_new', 'no_confident_suggestion')",
            name="ck_suggestion_outcomes_outcome",
        ),
        Index("ix_suggestion_outcomes_outcome", "outcome"),
    )

    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(32))
    n_proposed: Mapped[int] = mapped_column(Integer, default=0)
    best_score: Mapped[float | None] = mapped_column(Float)  # the most probable tag's probability
    threshold: Mapped[float | None] = mapped_column(Float)  # what a tag had to reach (None: unreachable)
    read_text: Mapped[bool] = mapped_column(Boolean, default=False)
    model_version_id: Mapped[int | None] = mapped_column(ForeignKey("model_versions.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Decision(Base):
    """Append-only log of every review decision (triggers forbid UPDATE and DELETE)."""

    __tablename__ = "decisions"
    __table_args__ = (
        CheckConstraint(
            "action IN ('accept', 'reject', 'add', 'remove', 'undo', 'review')", name="ck_decisions_action"
        ),
        Index("ix_decisions_record", "record_id"),
        Index("ix_decisions_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(Integer)  # no FK: history outlives records
    tag_label: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(16))
    previous_state: Mapped[str | None] = mapped_column(String(16))
    new_state: Mapped[str | None] = mapped_column(String(16))
    reviewer: Mapped[str] = mapped_column(String(255))
    score: Mapped[float | None] = mapped_column(Float)
    model_version: Mapped[str | None] = mapped_column(String(64))
    reverts_id: Mapped[int | None] = mapped_column(Integer)
    # a variant merge: on the kept tag's entry the variant it absorbed, on the variant's the tag it went into
    merge_label: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class FieldEdit(Base):
    """Log of every change of a record's metadata field (revision 0009): the detail pane's edits, a batch's
    set/append, and the undo and redo of a batch, which share the batch's ``group_key``."""

    __tablename__ = "field_edits"
    __table_args__ = (
        CheckConstraint("action IN ('edit', 'undo', 'redo')", name="ck_field_edits_action"),
        Index("ix_field_edits_record", "record_id"),
        Index("ix_field_edits_group", "group_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    field_name: Mapped[str] = mapped_column(String(32))  # a key of services.browse.EDITABLE_FIELDS
    value_before: Mapped[str | None] = mapped_column(Text)
    value_after: Mapped[str | None] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(8))
    group_key: Mapped[str] = mapped_column(String(32))
    reviewer: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Job(Base):
    """A long job's state and cursor, committed as it goes so it can resume."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(16), default="running")
    params_json: Mapped[str] = mapped_column(Text, default="{}")
    cursor_json: Mapped[str] = mapped_column(Text, default="{}")
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id", ondelete="SET NULL"))
    pid: Mapped[int | None] = mapped_column(Integer)
    host: Mapped[str | None] = mapped_column(String(255))  # the computer ``pid`` runs on (None: before 0006)
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)


class Vocabulary(Base):
    """A controlled vocabulary imported into the catalogue (SKOS, TSV or CSV file)."""

    __tablename__ = "vocabularies"
    __table_args__ = (CheckConstraint("status IN ('importing', 'ready')", name="ck_vocabularies_status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    scheme_uri: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(16), default="")  # labels matched and shown
    source: Mapped[str] = mapped_column(Text, default="")
    format: Mapped[str] = mapped_column(String(16), default="")
    status: Mapped[str] = mapped_column(String(16), default="importing")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    n_concepts: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Concept(Base):
    """A SKOS concept: URI, scheme and display label (its preferred label in the vocabulary's language)."""

    __tablename__ = "concepts"
    __table_args__ = (
        UniqueConstraint("vocabulary_id", "uri", name="uq_concepts_vocabulary_uri"),
        Index("ix_concepts_uri", "uri"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vocabulary_id: Mapped[int] = mapped_column(ForeignKey("vocabularies.id", ondelete="CASCADE"))
    uri: Mapped[str] = mapped_column(String(1024))
    scheme_uri: Mapped[str | None] = mapped_column(Text)
    label: Mapped[str] = mapped_column(Text, default="")


class ConceptLabel(Base):
    """A preferred, alternative or hidden label of a concept in one language, with its match keys."""

    __tablename__ = "concept_labels"
    __table_args__ = (
        CheckConstraint("kind IN ('pref', 'alt', 'hidden')", name="ck_concept_labels_kind"),
        Index("ix_concept_labels_concept", "concept_id"),
        Index("ix_concept_labels_norm", "norm"),
        Index("ix_concept_labels_lemma", "lemma"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    concept_id: Mapped[int] = mapped_column(ForeignKey("concepts.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(16), default="")
    kind: Mapped[str] = mapped_column(String(8))
    norm: Mapped[str] = mapped_column(String(255))  # vocab.normalise.label_key
    lemma: Mapped[str] = mapped_column(String(255))  # vocab.normalise.lemma_key


class ConceptRelation(Base):
    """``concept skos:broader|skos:related target``; narrower is the inverse of broader."""

    __tablename__ = "concept_relations"
    __table_args__ = (
        CheckConstraint("kind IN ('broader', 'related')", name="ck_concept_relations_kind"),
        UniqueConstraint("concept_id", "kind", "target_uri", name="uq_concept_relations"),
        Index("ix_concept_relations_target", "target_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    concept_id: Mapped[int] = mapped_column(ForeignKey("concepts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    target_uri: Mapped[str] = mapped_column(String(1024))
    target_id: Mapped[int | None] = mapped_column(ForeignKey("concepts.id", ondelete="CASCADE"))


class CatalogueProperty(Base):
    """A setting that belongs to the catalogue itself (a team catalogue's ``media_root`` and ``catalogue_id``)."""

    __tablename__ = "catalogue_properties"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(PathText)


class TeamLock(Base):
    """Who holds a team-wide lock (training) and since when; the lock itself is a PostgreSQL advisory lock.

    A row whose advisory lock is free is a leftover of a process that ended and is overwritten.
    """

    __tablename__ = "team_locks"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(String(255))
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    token: Mapped[str] = mapped_column(String(32))
    since: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SavedSearch(Base):
    """The browser's filters kept under a name (revision 0008); ``filter_json`` is ``domain.saved_search``'s."""

    __tablename__ = "saved_searches"
    __table_args__ = (UniqueConstraint("name", name="uq_saved_searches_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    filter_json: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

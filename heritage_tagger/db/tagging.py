"""Tags and their state on records: the vocabulary (get or create), one tag's state row, setting a state.

Every state row carries a ``version`` (``tables.RecordTag``), raised by one on every change. The
ORM says ``WHERE version = <the version read>`` in every UPDATE and DELETE of a row, so a writer
that read a row another transaction has changed since finds no row to change; :func:`set_tag_state`
and :func:`set_record_tag` turn that (and two writers creating the same row) into a
``StaleStateError`` that names the other decision. A reviewer's decision also passes the version
the reviewer saw (``expected``; 0: the tag was not on the record), checked by :func:`check_version`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import case, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from heritage_tagger.db import vocabularies
from heritage_tagger.db.tables import Decision, ModelVersion, Record, RecordTag, Tag, utcnow
from heritage_tagger.domain.errors import StaleStateError
from heritage_tagger.domain.records import TagState, decision_sentence
from heritage_tagger.domain.text import sanitise
from heritage_tagger.text.lemmatise import lemmatise_tag
from heritage_tagger.vocab.variants import TagUsage

CARRIED = (TagState.CATALOGUED.value, TagState.ACCEPTED.value)

ABSENT = 0  # the version of a tag that is not on the record


def clean_label(label: str) -> str:
    """A tag label as stored: control characters removed (``domain.text.sanitise``), surrounding and
    repeated whitespace removed, case kept."""
    return " ".join(sanitise(label)[0].split())


def _insert_ignoring_duplicates(session: Session) -> Any:
    """``INSERT ... ON CONFLICT DO NOTHING`` into ``tags`` in this engine's dialect (SQLite and PostgreSQL)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(Tag).on_conflict_do_nothing(index_elements=["label"])
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(Tag).on_conflict_do_nothing(index_elements=["label"])


def get_or_create_tags(session: Session, labels: Iterable[str], *, link: bool = False) -> dict[str, Tag]:
    """Tags by cleaned label, creating missing ones (with their lemma) in ``session``; with ``link``, a
    new tag is linked to the concept its label names in the catalogue's vocabularies (when one does).

    A label another reviewer creates at the same moment is taken, not a duplicate-key error.
    """
    wanted = {clean_label(label) for label in labels}
    wanted.discard("")
    if not wanted:
        return {}
    found = {tag.label: tag for tag in session.scalars(select(Tag).where(Tag.label.in_(wanted)))}
    missing = sorted(wanted - found.keys())
    if missing:
        link = link and vocabularies.has_usable(session)
        rows = [
            {
                "label": x,
                "lemma": lemmatise_tag(x),
                "concept_id": vocabularies.concept_named(session, x) if link else None,
            }
            for x in missing
        ]
        session.execute(_insert_ignoring_duplicates(session), rows)
        found.update((tag.label, tag) for tag in session.scalars(select(Tag).where(Tag.label.in_(missing))))
    return found


def _new_version(session: Session, record_id: int, label: str) -> int:
    """The version of a state row created now: one more than the decisions ever logged on the tag.

    A row removed (an undone addition) and created again so never repeats a version a reviewer saw.
    """
    logged = session.scalar(
        select(func.count(Decision.id)).where(Decision.record_id == record_id, Decision.tag_label == label)
    )
    return int(logged or 0) + 1


def set_record_tag(
    session: Session,
    record_id: int,
    tag: Tag,
    state: TagState,
    *,
    score: float | None = None,
    source: str = "",
    model_version_id: int | None = None,
) -> RecordTag:
    """Create or update the state of ``tag`` on a record and return the row."""
    row = session.scalar(
        select(RecordTag).where(RecordTag.record_id == record_id, RecordTag.tag_id == tag.id)
    )
    if row is None:
        row = RecordTag(record_id=record_id, tag_id=tag.id, state=state.value)
        session.add(row)
    row.state = state.value
    row.score = score
    row.source = source
    row.model_version_id = model_version_id
    row.updated_at = utcnow()
    with _compare_and_set(session, record_id, tag.label):
        session.flush()
    return row


def tag_state_row(session: Session, record_id: int, label: str) -> RecordTag | None:
    """The state row of the tag ``label`` on a record, or None when the record has no such tag."""
    return session.scalar(
        select(RecordTag)
        .join(Tag, Tag.id == RecordTag.tag_id)
        .where(RecordTag.record_id == record_id, Tag.label == label)
    )


def version_of(row: RecordTag | None) -> int:
    """The version of a state row (``ABSENT`` when the tag is not on the record)."""
    return row.version if row is not None else ABSENT


def record_exists(session: Session, record_id: int) -> bool:
    return session.get(Record, record_id) is not None


def check_version(session: Session, record_id: int, label: str, expected: int | None) -> None:
    """Raise StaleStateError when the tag's state is no longer the version ``expected`` (None: no check).

    The row read stays in the session until it closes: the caller's later reads of it give the
    state checked here (not a newer one another transaction commits meanwhile), and its write
    says ``WHERE version = expected``, so the whole decision is a compare-and-set on that version.
    """
    if expected is None:
        return
    row = tag_state_row(session, record_id, label)
    if version_of(row) != expected:
        raise stale_state_error(session, record_id, label)
    if row is not None:
        session.info.setdefault("ht_checked_rows", []).append(row)  # a strong reference: the map is weak


def set_tag_state(
    session: Session,
    record_id: int,
    label: str,
    state: TagState | None,
    *,
    score: float | None,
    source: str,
    version: str | None,
    expected: int | None = None,
) -> None:
    """Put ``label`` on a record in ``state`` (None: take it off), with the score, source and model version.

    A compare-and-set: refused with StaleStateError when the row is not at version ``expected``
    (the version the reviewer saw; None: the version read here), or when another transaction
    changes (or creates) it before this one commits.
    """
    row = tag_state_row(session, record_id, label)
    if expected is not None and version_of(row) != expected:
        raise stale_state_error(session, record_id, label)
    if state is None:
        if row is not None:
            session.delete(row)
            with _compare_and_set(session, record_id, label):
                session.flush()
        return
    if row is None:
        tag = get_or_create_tags(session, [label], link=True)[label]  # an accepted or added tag: its concept
        row = RecordTag(
            record_id=record_id,
            tag_id=tag.id,
            state=state.value,
            version=_new_version(session, record_id, label),
        )
        session.add(row)
    row.state = state.value
    row.score = score
    row.source = source
    row.model_version_id = (
        session.scalar(select(ModelVersion.id).where(ModelVersion.version == version)) if version else None
    )
    row.updated_at = utcnow()
    with _compare_and_set(session, record_id, label):
        session.flush()


def tag_by_label(session: Session, label: str) -> Tag | None:
    """The tag with exactly this (cleaned) label."""
    return session.scalar(select(Tag).where(Tag.label == label))


def tag_usage(session: Session) -> list[TagUsage]:
    """Every tag with the records carrying it (catalogued or accepted), those catalogued, and its concept."""
    carried = func.sum(case((RecordTag.state.in_(CARRIED), 1), else_=0))
    catalogued = func.sum(case((RecordTag.state == TagState.CATALOGUED.value, 1), else_=0))
    rows = session.execute(
        select(Tag.id, Tag.label, func.coalesce(carried, 0), func.coalesce(catalogued, 0), Tag.concept_id)
        .outerjoin(RecordTag, RecordTag.tag_id == Tag.id)
        .group_by(Tag.id, Tag.label, Tag.concept_id)
        .order_by(Tag.id)
    ).all()
    return [TagUsage(i, label, int(n), int(c), concept) for i, label, n, c, concept in rows]


def rows_of_tag(session: Session, tag_id: int) -> list[RecordTag]:
    """Every record's state row of one tag."""
    return list(session.scalars(select(RecordTag).where(RecordTag.tag_id == tag_id)))


def rows_beside(session: Session, tag_id: int, other_tag_id: int) -> dict[int, RecordTag]:
    """The state rows of ``tag_id`` on the records that also carry ``other_tag_id``, by record id."""
    shared = select(RecordTag.record_id).where(RecordTag.tag_id == other_tag_id)
    rows = session.scalars(
        select(RecordTag).where(RecordTag.tag_id == tag_id, RecordTag.record_id.in_(shared))
    )
    return {r.record_id: r for r in rows}


def delete_tag_if_unused(session: Session, tag_id: int) -> bool:
    """Delete the tag when no record has it in any state; whether it was deleted."""
    used = session.scalar(select(func.count()).select_from(RecordTag).where(RecordTag.tag_id == tag_id))
    if used:
        return False
    session.execute(delete(Tag).where(Tag.id == tag_id))
    return True


@contextmanager
def _compare_and_set(session: Session, record_id: int, label: str) -> Iterator[None]:
    """A flush that lost a race (the row changed, or was created, by another transaction) as StaleStateError."""
    try:
        yield
    except StaleDataError as exc:
        raise stale_state_error(session, record_id, label, fresh=True) from exc
    except IntegrityError as exc:
        if "record_tags" not in str(exc.orig) and "uq_record_tags" not in str(exc.orig):
            raise
        raise stale_state_error(session, record_id, label, fresh=True) from exc


def stale_state_error(
    session: Session, record_id: int, label: str, *, fresh: bool = False
) -> StaleStateError:
    """The refusal of a decision on a state that changed: who changed it, how, when, and what it is now.

    ``fresh``: read through a connection of its own (the session's transaction failed and
    cannot be read through any more).
    """
    if fresh:
        bind = session.get_bind()
        with Session(bind=bind) as other:
            return stale_state_error(other, record_id, label)
    row = tag_state_row(session, record_id, label)
    last = session.scalar(
        select(Decision)
        .where(Decision.record_id == record_id, Decision.tag_label == label)
        .order_by(Decision.id.desc())
        .limit(1)
    )
    record = session.scalar(select(Record.identifier).where(Record.id == record_id)) or f"#{record_id}"
    now = f"it is now {row.state}" if row is not None else "it is no longer on the record"
    if last is not None:
        said = decision_sentence(last.reviewer, last.action, label, record, last.created_at)
    else:
        said = f"“{label}” on {record} was changed by another process"
    message = (
        f"{said}, after you last saw it ({now}). Your decision was not saved; "
        "the view now shows the current state, so decide again if you still want to."
    )
    return StaleStateError(message, record_id, label)

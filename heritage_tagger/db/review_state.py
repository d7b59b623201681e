"""Where a record stands in review, as SQL expressions: pending, reviewed, needs a person, attention order.

One home for these rules: the browser's state filter and "needs attention first" sort
(``db.browse``) and the whole-catalogue suggestion job (``db.suggestions``) all use them.

- *pending*: the record holds a model suggestion waiting for a decision.
- *reviewed*: a person marked the photo reviewed ("Mark photo reviewed"), or decided on at
  least one of its tags and nothing is pending any more.
- *needs a person*: nothing can be proposed for it, so only a librarian can tag it: an untagged
  photo with no pending suggestion, or one the model had no confident suggestion for
  (:func:`no_confident_suggestion`, the outcome the calibrated suggestions store per record).
- *attention*: the order of the review queue, highest first: 2 for a photo that needs a
  person, else the uncertainty of its most uncertain pending proposal (``1 - |2p - 1|``: 1 at
  p = 0.5, 0 at p = 0 or 1; a proposal without a score counts as 1), else -1 (nothing pending).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, case, exists, func, select
from sqlalchemy.orm import InstrumentedAttribute

from heritage_tagger.db import tables
from heritage_tagger.domain.records import TagState

CARRIED = (TagState.CATALOGUED.value, TagState.ACCEPTED.value)
DECIDED_BY_REVIEW = (TagState.ACCEPTED.value, TagState.REJECTED.value)
SUGGESTED = TagState.SUGGESTED.value
NO_CONFIDENT = "no_confident_suggestion"  # a ``suggestion_outcomes.outcome`` (tables.SUGGESTION_OUTCOMES)
NEEDS_PERSON = 2.0
NOTHING_PENDING = -1.0


def pending() -> ColumnElement[bool]:
    R, RT = tables.Record, tables.RecordTag
    return exists().where(RT.record_id == R.id, RT.state == SUGGESTED)


def carried() -> ColumnElement[bool]:
    R, RT = tables.Record, tables.RecordTag
    return exists().where(RT.record_id == R.id, RT.state.in_(CARRIED))


def marked() -> ColumnElement[bool]:
    return tables.Record.reviewed_at.is_not(None)


def reviewed() -> ColumnElement[bool]:
    """Marked reviewed, or decided on with nothing left pending."""
    R, RT = tables.Record, tables.RecordTag
    decided = exists().where(RT.record_id == R.id, RT.state.in_(DECIDED_BY_REVIEW))
    return marked() | (decided & ~pending())


def needs_review() -> ColumnElement[bool]:
    """Not reviewed yet (see :func:`reviewed`): what the review queue holds."""
    return ~reviewed()


def no_confident_suggestion() -> ColumnElement[bool]:
    """The model's last answer for the record was "no confident suggestion" (``suggestion_outcomes``,
    revision 0004): such a photo needs a person and heads the review queue."""
    R, SO = tables.Record, tables.SuggestionOutcome
    return exists().where(SO.record_id == R.id, SO.outcome == NO_CONFIDENT)


def needs_person() -> ColumnElement[bool]:
    return no_confident_suggestion() | (~carried() & ~pending())


def uncertainty(
    score: ColumnElement[float | None] | InstrumentedAttribute[float | None],
) -> ColumnElement[float]:
    """``1 - |2p - 1|`` of a suggestion's probability; 1 when it has no score."""
    return func.coalesce(1.0 - func.abs(2.0 * score - 1.0), 1.0)


def with_attention(stmt: Select) -> tuple[Select, ColumnElement[float]]:
    """``stmt`` (selecting from ``records``) joined to each record's most uncertain pending proposal,
    and the attention key to order by (highest first)."""
    R, RT = tables.Record, tables.RecordTag
    most = (
        select(RT.record_id, func.max(uncertainty(RT.score)).label("unc"))
        .where(RT.state == SUGGESTED)
        .group_by(RT.record_id)
        .subquery()
    )
    stmt = stmt.outerjoin(most, most.c.record_id == R.id)
    person = no_confident_suggestion() | (most.c.unc.is_(None) & ~carried())
    key = case((person, NEEDS_PERSON), (most.c.unc.is_not(None), most.c.unc), else_=NOTHING_PENDING)
    return stmt, key

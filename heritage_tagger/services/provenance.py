"""Where each tag on a record came from, read from the decisions log (undo and merges followed)."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable

from heritage_tagger.db.decisions import decisions_of_records
from heritage_tagger.db.engine import Session
from heritage_tagger.domain.records import Decision, DecisionAction, MergeStep, Provenance, TagState


def fold(decisions: Iterable[Decision]) -> dict[tuple[int, str], Provenance]:
    """Replay ``decisions`` (oldest first) into the provenance of each (record id, tag label) they leave carried.

    An ``undo`` restores the provenance from before the decision it reverts; the kept tag's entry of a
    merge takes the variant's provenance (logged just before the variant's removal) plus the merge step.
    """
    current: dict[tuple[int, str], Provenance | None] = {}
    before: dict[int, Provenance | None] = {}
    for d in decisions:
        key = (d.record_id, d.label)
        if d.id is not None:
            before[d.id] = current.get(key)
        if d.action is DecisionAction.UNDO:
            current[key] = before.get(d.reverts_id) if d.reverts_id is not None else None
        elif d.new_state is None:
            current[key] = None
        elif d.merge_label and d.action is not DecisionAction.REMOVE:
            source = current.get((d.record_id, d.merge_label)) or Provenance(state=d.new_state)
            step = MergeStep(d.merge_label, d.reviewer, d.created_at)
            current[key] = dataclasses.replace(source, state=d.new_state, merges=(*source.merges, step))
        else:
            current[key] = Provenance(d.new_state, d.action, d.reviewer, d.created_at, d.model_version)
    return {k: v for k, v in current.items() if v is not None}


def provenance_for(session: Session, record_ids: Collection[int]) -> dict[tuple[int, str], Provenance]:
    """:func:`fold` over the decisions of ``record_ids`` (one query)."""
    return fold(decisions_of_records(session, record_ids))


def provenance_of(found: dict[tuple[int, str], Provenance], record_id: int, label: str, state: TagState,
                  model_version: str | None = None) -> Provenance:  # fmt: skip
    """The folded provenance when it agrees with the tag's current state, else the state alone."""
    held = found.get((record_id, label))
    if held is not None and held.state is state:
        return held
    return Provenance(state=state, model_version=model_version if state is TagState.ACCEPTED else None)

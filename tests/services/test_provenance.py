"""Provenance folded from the decisions log: decisions, undo, merges; described in plain words."""

from __future__ import annotations

from datetime import datetime

from heritage_tagger.domain.records import Decision, DecisionAction, Provenance, TagState
from heritage_tagger.services.provenance import fold, provenance_of

A = DecisionAction
S = TagState
T1, T2, T3 = datetime(2026, 5, 1, 10, 22), datetime(2026, 5, 2, 9, 0), datetime(2026, 6, 1, 8, 30)


def d(i: int, label: str, action: A, prev: S | None, new: S | None, who: str = "ann", at: datetime = T1,
      version: str | None = None, reverts: int | None = None, merge: str | None = None) -> Decision:  # fmt: skip
    return Decision(1, label, action, who, prev, new, None, version, at, i, reverts, merge)


def test_accept_then_undo_then_redo() -> None:
    log = [d(1, "ship", A.ACCEPT, S.SUGGESTED, S.ACCEPTED, version="v0003")]
    assert fold(log)[(1, "ship")].describe() == "accepted by ann 2026-05-01T10:22:00Z (model v0003)"
    log.append(d(2, "ship", A.UNDO, S.ACCEPTED, S.SUGGESTED, at=T2, reverts=1))
    assert (1, "ship") not in fold(log)  # back to a suggestion: nothing carried
    log.append(d(3, "ship", A.ACCEPT, S.SUGGESTED, S.ACCEPTED, who="bob", at=T3))
    assert fold(log)[(1, "ship")].reviewer == "bob"


def test_undo_of_a_remove_restores_the_earlier_provenance() -> None:
    log = [
        d(1, "ship", A.ADD, None, S.ACCEPTED),
        d(2, "ship", A.REMOVE, S.ACCEPTED, S.REJECTED, who="bob", at=T2),
        d(3, "ship", A.UNDO, S.REJECTED, S.ACCEPTED, who="bob", at=T3, reverts=2),
    ]
    assert fold(log)[(1, "ship")].describe() == "added by ann 2026-05-01T10:22:00Z"


def test_a_merge_carries_the_variant_provenance_with_the_merge_step() -> None:
    log = [
        d(1, "woman", A.ACCEPT, S.SUGGESTED, S.ACCEPTED, version="v0003"),
        d(2, "Women", A.ADD, None, S.ACCEPTED, who="bob", at=T3, merge="woman"),
        d(3, "woman", A.REMOVE, S.ACCEPTED, None, who="bob", at=T3, merge="Women"),
    ]
    found = fold(log)
    assert (1, "woman") not in found
    assert found[(1, "Women")].describe() == (
        "accepted by ann 2026-05-01T10:22:00Z (model v0003); merged from 'woman' by bob 2026-06-01T08:30:00Z"
    )
    catalogued = fold([d(1, "Women", A.ADD, None, S.CATALOGUED, who="bob", merge="women")])
    assert (
        catalogued[(1, "Women")].describe() == "catalogued; merged from 'women' by bob 2026-05-01T10:22:00Z"
    )


def test_state_disagreeing_with_the_log_falls_back_to_the_state() -> None:
    found = fold([d(1, "ship", A.REJECT, S.SUGGESTED, S.REJECTED)])
    assert provenance_of(found, 1, "ship", S.ACCEPTED, "v1") == Provenance(S.ACCEPTED, model_version="v1")
    assert provenance_of({}, 1, "harbour", S.CATALOGUED).describe() == "catalogued"

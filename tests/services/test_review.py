"""Review decisions: every one logged append-only; undo compensates; rejected stays rejected."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from heritage_tagger.db import tables
from heritage_tagger.domain.records import DecisionAction, TagState
from heritage_tagger.services import browse, review
from heritage_tagger.services.review import Offered, ReviewError, ReviewHistory


@pytest.fixture
def record_id(catalogue) -> int:
    from heritage_tagger.db.tagging import get_or_create_tags, set_record_tag

    with catalogue.session() as s:
        rec = tables.Record(identifier="R1", sha256="a" * 64, title="Harbour")
        s.add(rec)
        s.flush()
        tags = get_or_create_tags(s, ["harbour", "ship", "church"])
        set_record_tag(s, rec.id, tags["harbour"], TagState.CATALOGUED)
        set_record_tag(s, rec.id, tags["ship"], TagState.SUGGESTED, score=0.8, source="model")
        set_record_tag(s, rec.id, tags["church"], TagState.SUGGESTED, score=0.3, source="model")
        return rec.id


def states(catalogue, record_id: int) -> dict[str, TagState]:
    return browse.record_details(catalogue, record_id).tags_by_label


def test_accept_then_undo_logs_both_and_restores_the_suggestion(catalogue, record_id):
    decision = review.accept(catalogue, record_id, "ship", "ada")
    assert decision.action is DecisionAction.ACCEPT
    assert decision.previous_state is TagState.SUGGESTED and decision.score == pytest.approx(0.8)
    assert states(catalogue, record_id)["ship"] is TagState.ACCEPTED
    entry = review.undo(catalogue, decision.id, "ada")
    log = review.decisions_for(catalogue, record_id)
    assert [d.action for d in log] == [DecisionAction.ACCEPT, DecisionAction.UNDO]
    assert log[1].reverts_id == log[0].id and log[1].new_state is TagState.SUGGESTED
    assert log[0].reviewer == "ada" and log[0].created_at is not None
    assert states(catalogue, record_id)["ship"] is TagState.SUGGESTED
    details = browse.record_details(catalogue, record_id)
    ship = next(t for t in details.record.tags if t.label == "ship")
    assert ship.score == pytest.approx(0.8)
    redone = review.redo(catalogue, entry.id, "ada")
    assert redone.action is DecisionAction.ACCEPT
    assert states(catalogue, record_id)["ship"] is TagState.ACCEPTED
    assert len(review.decisions_for(catalogue, record_id)) == 3


def test_the_log_cannot_be_rewritten(catalogue, record_id):
    review.reject(catalogue, record_id, "church", "ada")
    with pytest.raises(Exception), catalogue.session() as s:  # noqa: B017 - the trigger's error type is the driver's
        s.execute(text("DELETE FROM decisions"))


def test_rejected_tags_stay_rejected(catalogue, record_id):
    review.reject(catalogue, record_id, "church", "ada")
    with pytest.raises(ReviewError, match="not a pending suggestion"):
        review.accept(catalogue, record_id, "church", "ada")
    # proposing it again live (a fresh prediction) does not revive it either
    decisions = review.accept_all(
        catalogue, record_id, [Offered("church", 0.9, None), Offered("ship", 0.8)], "ada"
    )
    assert [d.label for d in decisions] == ["ship"]
    assert states(catalogue, record_id)["church"] is TagState.REJECTED


def test_accepting_what_is_not_suggested_is_refused_clearly(catalogue, record_id):
    with pytest.raises(ReviewError, match=r"Cannot accept 'harbour'.*catalogued"):
        review.accept(catalogue, record_id, "harbour", "ada")
    with pytest.raises(ReviewError, match="not on this record"):
        review.accept(catalogue, record_id, "tram", "ada")
    assert review.decisions_for(catalogue) == []


def test_live_suggestion_is_stored_then_accepted(catalogue, record_id):
    d = review.accept(catalogue, record_id, "tram", "ada", Offered("tram", 0.6, None, "model"))
    assert d.previous_state is TagState.SUGGESTED and d.new_state is TagState.ACCEPTED
    review.undo(catalogue, d.id, "ada")
    assert states(catalogue, record_id)["tram"] is TagState.SUGGESTED


def test_add_creates_the_tag_and_remove_rejects_it(catalogue, record_id):
    d = review.add(catalogue, record_id, "  Theatre   foyer ", "ada")
    assert d.label == "Theatre foyer" and d.previous_state is None
    assert "Theatre foyer" in browse.tag_vocabulary(catalogue)
    with pytest.raises(ReviewError, match="already carries"):
        review.add(catalogue, record_id, "harbour", "ada")
    removed = review.remove(catalogue, record_id, "harbour", "ada")
    assert removed.previous_state is TagState.CATALOGUED
    assert states(catalogue, record_id)["harbour"] is TagState.REJECTED
    review.undo(catalogue, removed.id, "ada")
    assert states(catalogue, record_id)["harbour"] is TagState.CATALOGUED
    review.undo(catalogue, d.id, "ada")  # undo of an add takes the tag off again
    assert "Theatre foyer" not in states(catalogue, record_id)


def test_undo_refuses_when_the_tag_changed_since(catalogue, record_id):
    d = review.accept(catalogue, record_id, "ship", "ada")
    review.remove(catalogue, record_id, "ship", "bob")
    with pytest.raises(ReviewError, match="changed since"):
        review.undo(catalogue, d.id, "ada")


def test_history_undoes_accept_all_as_one_step(catalogue, record_id):
    history = ReviewHistory(catalogue, "ada")
    history.push(review.accept_all(catalogue, record_id, [Offered("ship"), Offered("church")], "ada"))
    assert states(catalogue, record_id)["church"] is TagState.ACCEPTED
    history.undo()
    assert states(catalogue, record_id)["ship"] is TagState.SUGGESTED
    assert states(catalogue, record_id)["church"] is TagState.SUGGESTED
    assert history.can_redo and not history.can_undo
    history.redo()
    assert states(catalogue, record_id)["ship"] is TagState.ACCEPTED
    with catalogue.session() as s:
        actions = list(s.scalars(select(tables.Decision.action).order_by(tables.Decision.id)))
    assert actions == ["accept", "accept", "undo", "undo", "accept", "accept"]


def test_reject_all_proposed_is_one_undoable_step(catalogue, record_id):
    offered = [Offered("ship", 0.8, None), Offered("church", 0.3, None), Offered("harbour", 0.9, None)]
    decisions = review.reject_all(catalogue, record_id, offered, "ada")
    assert [(d.label, d.action) for d in decisions] == [
        ("ship", DecisionAction.REJECT),
        ("church", DecisionAction.REJECT),
    ]  # the carried "harbour" is skipped, not rejected
    assert states(catalogue, record_id) == {
        "harbour": TagState.CATALOGUED,
        "ship": TagState.REJECTED,
        "church": TagState.REJECTED,
    }
    review.undo_group(catalogue, [d.id for d in reversed(decisions)], "ada")
    assert states(catalogue, record_id)["ship"] is TagState.SUGGESTED
    assert states(catalogue, record_id)["church"] is TagState.SUGGESTED


def test_mark_photo_reviewed_is_logged_undone_and_redone(catalogue, record_id):
    decision = review.mark_reviewed(catalogue, record_id, "ada")
    assert decision.action is DecisionAction.REVIEW and decision.label == ""
    details = browse.record_details(catalogue, record_id)
    assert details.reviewed_by == "ada" and details.reviewed_at is not None
    with pytest.raises(ReviewError, match="already marked reviewed by ada"):
        review.mark_reviewed(catalogue, record_id, "bob")
    assert states(catalogue, record_id)["ship"] is TagState.SUGGESTED  # pending suggestions stay
    entry = review.undo(catalogue, decision.id, "ada")
    assert entry.action is DecisionAction.UNDO and entry.reverts_id == decision.id
    assert browse.record_details(catalogue, record_id).reviewed_by == ""
    with pytest.raises(ReviewError, match="no longer marked"):
        review.undo(catalogue, decision.id, "ada")
    redone = review.redo(catalogue, entry.id, "bob")
    assert redone.action is DecisionAction.REVIEW
    assert browse.record_details(catalogue, record_id).reviewed_by == "bob"
    log = review.decisions_for(catalogue, record_id)
    assert [d.action for d in log] == [DecisionAction.REVIEW, DecisionAction.UNDO, DecisionAction.REVIEW]

"""Batch edit: one operation on many records in one transaction, logged as decisions, undone as one group."""

from __future__ import annotations

import pytest

from heritage_tagger.domain.errors import StaleStateError
from heritage_tagger.domain.records import DecisionAction, TagState
from heritage_tagger.services import batch_edit, browse, review
from heritage_tagger.services.batch_edit import BatchOperation, appended
from heritage_tagger.services.review import ReviewError
from tests.factories import add_tagged_record

S, C, A, R = TagState.SUGGESTED, TagState.CATALOGUED, TagState.ACCEPTED, TagState.REJECTED


@pytest.fixture
def ids(catalogue) -> list[int]:
    return [
        add_tagged_record(catalogue, "p1", {"barn": S, "horse": C}, location="Ohio"),
        add_tagged_record(catalogue, "p2", {"barn": C}, location=""),
        add_tagged_record(catalogue, "p3", {"barn": R, "horse": A}, location="Iowa"),
        add_tagged_record(catalogue, "p4", {"barn": S}, location="Ohio; farm"),
    ]


def tags(catalogue, record_id: int) -> dict[str, TagState]:
    return browse.record_details(catalogue, record_id).tags_by_label


def field_of(catalogue, record_id: int, name: str) -> str:
    record = browse.record_details(catalogue, record_id).record
    return str(getattr(record, name))


def test_add_tag_to_many_logs_one_decision_each_and_undoes_as_one(catalogue, ids):
    result = batch_edit.apply(catalogue, ids, BatchOperation.ADD_TAG, "  barn ", "ada")
    assert result.unchanged == [ids[1]]  # p2 already carries it
    assert [d.record_id for d in result.decisions] == [ids[0], ids[2], ids[3]]
    assert all(d.action is DecisionAction.ADD and d.reviewer == "ada" for d in result.decisions)
    assert {tags(catalogue, i)["barn"] for i in ids} == {A, C}
    entries = batch_edit.undo(catalogue, [d.id or 0 for d in reversed(result.decisions)], [], "ada")
    assert all(e.action is DecisionAction.UNDO for e in entries)
    assert [tags(catalogue, i)["barn"] for i in ids] == [S, C, R, S]
    batch_edit.redo(catalogue, [e.id or 0 for e in reversed(entries)], [], "ada")
    assert [tags(catalogue, i)["barn"] for i in ids] == [A, C, A, A]


def test_remove_and_accept_act_only_where_they_apply(catalogue, ids):
    removed = batch_edit.apply(catalogue, ids, BatchOperation.REMOVE_TAG, "horse", "ada")
    assert sorted(d.record_id for d in removed.decisions) == [ids[0], ids[2]]
    assert tags(catalogue, ids[0])["horse"] is R and tags(catalogue, ids[2])["horse"] is R
    accepted = batch_edit.apply(catalogue, ids, BatchOperation.ACCEPT_TAG, "barn", "bob")
    assert [d.record_id for d in accepted.decisions] == [ids[0], ids[3]]
    assert all(d.action is DecisionAction.ACCEPT and d.previous_state is S for d in accepted.decisions)
    assert [tags(catalogue, i)["barn"] for i in ids] == [A, C, R, A]
    log = review.decisions_for(catalogue)
    assert [d.action for d in log] == [DecisionAction.REMOVE] * 2 + [DecisionAction.ACCEPT] * 2


def test_set_and_append_a_field_then_undo_and_redo(catalogue, ids):
    result = batch_edit.apply(
        catalogue, ids, BatchOperation.APPEND_FIELD, "farm", "ada", field_name="location"
    )
    assert [field_of(catalogue, i, "location") for i in ids] == [
        "Ohio; farm",
        "farm",
        "Iowa; farm",
        "Ohio; farm",
    ]
    assert result.unchanged == [ids[3]] and len(result.fields) == 3 and not result.decisions
    batch_edit.undo(catalogue, [], result.fields, "ada")
    assert [field_of(catalogue, i, "location") for i in ids] == ["Ohio", "", "Iowa", "Ohio; farm"]
    batch_edit.redo(catalogue, [], result.fields, "ada")
    assert field_of(catalogue, ids[1], "location") == "farm"
    dated = batch_edit.apply(catalogue, ids[:3], BatchOperation.SET_FIELD, "1942", "ada", field_name="date")
    assert [field_of(catalogue, i, "date") for i in ids[:3]] == ["1942"] * 3
    assert len(dated.fields) == 3


def test_undo_refuses_when_a_field_changed_since_and_changes_nothing(catalogue, ids):
    result = batch_edit.apply(
        catalogue, ids[:3], BatchOperation.SET_FIELD, "Barns", "ada", field_name="title"
    )
    added = batch_edit.apply(catalogue, ids[:1], BatchOperation.ADD_TAG, "hay", "ada")
    browse.update_field(catalogue, ids[2], "title", "Changed by hand", "bob")
    with pytest.raises(ReviewError, match="changed since"):
        batch_edit.undo(catalogue, [added.decisions[0].id or 0], result.fields, "ada")
    assert [field_of(catalogue, i, "title") for i in ids[:2]] == ["Barns", "Barns"]
    assert tags(catalogue, ids[0])["hay"] is A  # the tag undo was rolled back with the rest


def test_bad_requests_are_refused_with_a_message(catalogue, ids):
    with pytest.raises(ReviewError, match="cannot be edited"):
        batch_edit.apply(catalogue, ids, BatchOperation.SET_FIELD, "x", "ada", field_name="identifier")
    with pytest.raises(ReviewError, match="at least one letter"):
        batch_edit.apply(catalogue, ids, BatchOperation.ADD_TAG, "  ", "ada")
    with pytest.raises(ReviewError, match="at least one photo"):
        batch_edit.apply(catalogue, [], BatchOperation.ADD_TAG, "barn", "ada")
    with pytest.raises(ReviewError, match="no longer in the catalogue"):
        batch_edit.apply(catalogue, [*ids, 999_999], BatchOperation.ADD_TAG, "cow", "ada")
    assert "cow" not in tags(catalogue, ids[0])  # all or none
    assert review.decisions_for(catalogue) == []


def test_a_tag_changed_since_it_was_seen_refuses_the_batch(catalogue, ids):
    seen = browse.record_details(catalogue, ids[0]).record.tags
    version = next(t.version for t in seen if t.label == "barn")
    review.reject(catalogue, ids[0], "barn", "bob")  # a teammate, after the reviewer looked
    with pytest.raises(StaleStateError):
        batch_edit.apply(
            catalogue, ids, BatchOperation.ACCEPT_TAG, "barn", "ada", seen={(ids[0], "barn"): version}
        )
    assert tags(catalogue, ids[3])["barn"] is S


def test_appending_twice_changes_nothing():
    assert appended("", "farm", "; ") == "farm"
    assert appended("Ohio", "farm", "; ") == "Ohio; farm"
    assert appended("Ohio; farm", "farm", "; ") == "Ohio; farm"
    assert appended("a, b", "c", ", ") == "a, b, c"


def test_progress_is_reported_and_a_cancel_rolls_everything_back(catalogue, ids, monkeypatch):
    from heritage_tagger.domain.errors import CancelledError
    from heritage_tagger.domain.progress import CancelToken

    monkeypatch.setattr(batch_edit, "REPORT_EVERY", 2)
    seen: list[tuple[int, int | None]] = []
    token = CancelToken()

    def report(p) -> None:
        seen.append((p.done, p.total))
        if p.done == 2:
            token.cancel()  # pressed while the third photo is due

    with pytest.raises(CancelledError):
        batch_edit.apply(catalogue, ids, BatchOperation.ADD_TAG, "hay", "ada", progress=report, cancel=token)
    assert seen == [(0, 4), (2, 4)]
    assert all("hay" not in tags(catalogue, i) for i in ids)  # the first two were rolled back
    assert review.decisions_for(catalogue) == []

"""Field edits are logged in ``field_edits``: a batch's set/append (one group), its undo and redo, a single edit."""

from __future__ import annotations

import pytest

from heritage_tagger.db import field_edits
from heritage_tagger.domain.records import FieldEditAction
from heritage_tagger.services import batch_edit, browse
from heritage_tagger.services.batch_edit import BatchOperation
from heritage_tagger.services.review import ReviewError
from tests.factories import add_tagged_record

EDIT, UNDO, REDO = FieldEditAction.EDIT, FieldEditAction.UNDO, FieldEditAction.REDO


@pytest.fixture
def ids(catalogue) -> list[int]:
    return [
        add_tagged_record(catalogue, "p1", {}, location="Ohio", title=""),
        add_tagged_record(catalogue, "p2", {}, location="", title=""),
        add_tagged_record(catalogue, "p3", {}, location="Ohio; farm", title=""),
    ]


def group_rows(catalogue, group: str) -> list[tuple[int, str, str | None, str | None, FieldEditAction, str]]:
    with catalogue.session() as session:
        found = field_edits.edits_of_group(session, group)
    return [(e.record_id, e.field, e.before, e.after, e.action, e.reviewer) for e in found]


def test_batch_append_logs_one_edit_per_changed_record_in_one_group(catalogue, ids):
    result = batch_edit.apply(
        catalogue, ids, BatchOperation.APPEND_FIELD, "farm", "ada", field_name="location"
    )
    assert result.group and {c.group for c in result.fields} == {result.group}
    assert group_rows(catalogue, result.group) == [
        (ids[0], "location", "Ohio", "Ohio; farm", EDIT, "ada"),
        (ids[1], "location", "", "farm", EDIT, "ada"),
    ]  # p3 already had "farm": unchanged, not logged
    with catalogue.session() as session:
        assert field_edits.edits_of_record(session, ids[2]) == []


def test_undo_and_redo_of_a_batch_are_logged_under_its_group(catalogue, ids):
    result = batch_edit.apply(
        catalogue, ids[:2], BatchOperation.SET_FIELD, "Barns", "ada", field_name="title"
    )
    batch_edit.undo(catalogue, [], result.fields, "bob")
    batch_edit.redo(catalogue, [], result.fields, "cy")
    assert group_rows(catalogue, result.group) == [
        (ids[0], "title", "", "Barns", EDIT, "ada"),
        (ids[1], "title", "", "Barns", EDIT, "ada"),
        (ids[1], "title", "Barns", "", UNDO, "bob"),  # undone newest first
        (ids[0], "title", "Barns", "", UNDO, "bob"),
        (ids[0], "title", "", "Barns", REDO, "cy"),
        (ids[1], "title", "", "Barns", REDO, "cy"),
    ]
    with catalogue.session() as session:
        history = field_edits.edits_of_record(session, ids[0])
    assert [(e.action, e.after) for e in history] == [(EDIT, "Barns"), (UNDO, ""), (REDO, "Barns")]
    assert all(e.created_at is not None and e.id for e in history)


def test_a_refused_undo_logs_nothing(catalogue, ids):
    result = batch_edit.apply(
        catalogue, ids[:2], BatchOperation.SET_FIELD, "Barns", "ada", field_name="title"
    )
    browse.update_field(catalogue, ids[1], "title", "By hand", "bob")
    with pytest.raises(ReviewError, match="changed since"):
        batch_edit.undo(catalogue, [], result.fields, "ada")
    assert [r[4] for r in group_rows(catalogue, result.group)] == [EDIT, EDIT]


def test_a_single_edit_is_logged_once_and_an_unchanged_save_not_at_all(catalogue, ids):
    browse.update_field(catalogue, ids[0], "date", " May 1972 ", "ada")
    browse.update_field(catalogue, ids[0], "date", "May 1972", "ada")  # the same text again
    browse.update_field(catalogue, ids[1], "date", "1950", "bob")
    with catalogue.session() as session:
        first = field_edits.edits_of_record(session, ids[0])
        second = field_edits.edits_of_record(session, ids[1])
    assert [(e.field, e.before, e.after, e.action, e.reviewer) for e in first] == [
        ("date", "", "May 1972", EDIT, "ada")
    ]
    assert len(second) == 1 and second[0].group != first[0].group  # each single edit has its own group
    assert group_rows(catalogue, first[0].group) == [(ids[0], "date", "", "May 1972", EDIT, "ada")]


def test_edits_go_with_their_record(catalogue, ids):
    browse.update_field(catalogue, ids[0], "title", "Gone soon", "ada")
    from heritage_tagger.db import tables

    with catalogue.session() as session:
        session.delete(session.get(tables.Record, ids[0]))
    with catalogue.session() as session:
        assert field_edits.edits_of_record(session, ids[0]) == []

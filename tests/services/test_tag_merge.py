"""Merging tag variants: previewed, applied in the stronger state, logged with merge labels, undone as one."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from heritage_tagger.db import tables
from heritage_tagger.domain.errors import CancelledError, VocabularyError
from heritage_tagger.domain.progress import CancelToken
from heritage_tagger.domain.records import DecisionAction, TagState
from heritage_tagger.services import review, tag_merge
from heritage_tagger.services import vocabularies as vocab
from tests.factories import add_tagged_record as add_record
from tests.vocab.samples import EX, write_skos


def states(catalogue) -> dict[tuple[str, str], str]:
    with catalogue.session() as s:
        rows = s.execute(
            select(tables.Record.identifier, tables.Tag.label, tables.RecordTag.state)
            .join(tables.RecordTag, tables.RecordTag.record_id == tables.Record.id)
            .join(tables.Tag, tables.Tag.id == tables.RecordTag.tag_id)
        )
        return {(r, t): st for r, t, st in rows}


def tag_labels(catalogue) -> set[str]:
    with catalogue.session() as s:
        return set(s.scalars(select(tables.Tag.label)))


@pytest.fixture
def variants(catalogue) -> dict[str, int]:
    ids = {
        "r1": add_record(catalogue, "r1", {"Women": TagState.CATALOGUED, "woman": TagState.SUGGESTED}),
        "r2": add_record(catalogue, "r2", {"woman": TagState.SUGGESTED}),
        "r3": add_record(catalogue, "r3", {"women": TagState.SUGGESTED}),
        "r4": add_record(catalogue, "r4", {"woman": TagState.SUGGESTED, "Women": TagState.SUGGESTED}),
        "r5": add_record(catalogue, "r5", {"Boats": TagState.CATALOGUED}),
    }
    review.accept(catalogue, ids["r1"], "woman", "ann")
    review.accept(catalogue, ids["r2"], "woman", "ann")
    review.reject(catalogue, ids["r4"], "woman", "ann")
    return ids


BEFORE = {
    ("r1", "Women"): "catalogued", ("r1", "woman"): "accepted", ("r2", "woman"): "accepted",
    ("r3", "women"): "suggested", ("r4", "woman"): "rejected", ("r4", "Women"): "suggested",
    ("r5", "Boats"): "catalogued",
}  # fmt: skip


def test_preview_groups_case_and_plural_variants_under_the_catalogued_form(catalogue, variants) -> None:
    assert states(catalogue) == BEFORE
    (group,) = tag_merge.preview(catalogue)
    assert group.target == "Women" and group.target_exists
    assert [(v.label, v.reason, v.records) for v in group.variants] == [
        ("woman", "plural", 2),
        ("women", "case", 0),
    ]
    assert states(catalogue) == BEFORE  # a preview changes nothing


def test_merge_keeps_the_stronger_state_logs_decisions_and_undoes(catalogue, variants) -> None:
    groups = tag_merge.preview(catalogue)
    report = tag_merge.merge(catalogue, groups, "bob")
    assert states(catalogue) == {
        ("r1", "Women"): "catalogued",  # catalogued beats the variant's accepted
        ("r2", "Women"): "accepted",  # moved
        ("r3", "Women"): "suggested",  # a pending suggestion moves silently
        ("r4", "Women"): "rejected",  # the reviewer's rejection beats a suggestion
        ("r5", "Boats"): "catalogued",
    }
    assert tag_labels(catalogue) == {"Women", "Boats"} and sorted(report.removed_tags) == ["woman", "women"]
    log = [d for d in review.decisions_for(catalogue) if d.reviewer == "bob"]
    assert {(d.record_id, d.label, d.action, d.merge_label) for d in log} == {
        (variants["r1"], "woman", DecisionAction.REMOVE, "Women"),
        (variants["r2"], "Women", DecisionAction.ADD, "woman"),
        (variants["r2"], "woman", DecisionAction.REMOVE, "Women"),
        (variants["r4"], "Women", DecisionAction.REJECT, "woman"),
        (variants["r4"], "woman", DecisionAction.REMOVE, "Women"),
    }
    assert sorted(report.decisions) == sorted(d.id for d in log)
    (listed,) = tag_merge.list_merges(catalogue)
    assert listed.groups == [("Women", ["woman", "women"])] and not listed.undone and listed.reviewer == "bob"

    tag_merge.undo_merge(catalogue, "bob")
    after = states(catalogue)
    assert after == {
        **{k: v for k, v in BEFORE.items() if k != ("r3", "women")},
        ("r3", "Women"): "suggested",
    }
    assert tag_merge.list_merges(catalogue)[0].undone
    with pytest.raises(VocabularyError, match="No merge to undo"):
        tag_merge.undo_merge(catalogue, "bob")


def test_undo_is_refused_whole_when_a_tag_changed_since(catalogue, variants) -> None:
    tag_merge.merge(catalogue, tag_merge.preview(catalogue), "bob")
    review.remove(catalogue, variants["r2"], "Women", "ann")
    merged = states(catalogue)
    with pytest.raises(VocabularyError, match=r"Cannot undo merge .* has changed since"):
        tag_merge.undo_merge(catalogue, "bob")
    assert states(catalogue) == merged


def test_cancelled_merge_changes_nothing(catalogue, variants) -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(CancelledError):
        tag_merge.merge(catalogue, tag_merge.preview(catalogue), "bob", cancel=token)
    assert states(catalogue) == BEFORE and tag_merge.list_merges(catalogue) == []


def test_alt_label_variants_fold_into_the_preferred_label_with_its_concept(catalogue, tmp_path: Path) -> None:
    add_record(catalogue, "r1", {"Females": TagState.CATALOGUED, "Moms": TagState.CATALOGUED})
    vocab.import_vocabulary(catalogue, write_skos(tmp_path))
    groups = {g.target: g for g in tag_merge.preview(catalogue)}
    assert set(groups) == {"Women", "Mothers"} and not groups["Women"].target_exists
    assert [(v.label, v.reason) for v in groups["Women"].variants] == [("Females", "alt label")]
    tag_merge.merge(catalogue, [groups["Women"]], "bob")
    assert states(catalogue) == {("r1", "Women"): "catalogued", ("r1", "Moms"): "catalogued"}
    tag_merge.undo_merge(catalogue, "bob")  # the recreated "Females" is linked again, and offered again
    assert {g.target for g in tag_merge.preview(catalogue)} == {"Women", "Mothers"}
    tag_merge.merge(catalogue, [g for g in tag_merge.preview(catalogue) if g.target == "Women"], "bob")
    with catalogue.session() as s:
        uri = s.scalar(
            select(tables.Concept.uri)
            .join(tables.Tag, tables.Tag.concept_id == tables.Concept.id)
            .where(tables.Tag.label == "Women")
        )
    assert uri == f"{EX}women"


def test_explicit_merge(catalogue, variants) -> None:
    group = tag_merge.explicit_group(catalogue, "Boats", ["women"])
    assert group.target == "Boats" and group.variants[0].reason == "alt label"
    with pytest.raises(VocabularyError, match="no tag 'Ships'"):
        tag_merge.explicit_group(catalogue, "Boats", ["Ships"])
    with pytest.raises(VocabularyError, match="at least one tag"):
        tag_merge.explicit_group(catalogue, "Boats", ["Boats"])
    with pytest.raises(VocabularyError, match="Nothing to merge"):
        tag_merge.merge(catalogue, [], "bob")

"""Suggestions from the active model: for a record, for an image file, and stored as `suggested` tags."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.factories import CLASSES, catalogue_sql, write_plain_image


def _active(catalogue: object) -> Any:
    from heritage_tagger.services.model_versions import require_active

    return require_active(catalogue)  # type: ignore[arg-type]


def _record_ids(catalogue: object) -> list[int]:
    with catalogue_sql(catalogue) as db:
        return [r[0] for r in db.execute("SELECT id FROM records ORDER BY id")]


def test_suggestions_for_a_catalogued_record(trained: object) -> None:
    from heritage_tagger.services.suggesting import suggest_for_record

    pred = suggest_for_record(trained, "REC-2-02")  # tagged Harbors and Boats
    probs = [p for _, p in pred.model_tags]
    assert probs == sorted(probs, reverse=True) and all(0.0 <= p <= 1.0 for p in probs)
    assert len(pred.model_tags) == 6 and 1 <= pred.propose_count <= 2
    assert pred.model_tags[0][0] in ("Harbors", "Boats")
    assert pred.neighbour_tags and pred.neighbour_tags[0].tag in ("Harbors", "Boats")
    for n in pred.neighbour_tags:  # a training record is never its own neighbour
        assert all(rid != pred.record_id for rid, _ in n.neighbours)
        assert all(0.0 < s <= 1.0 for _, s in n.neighbours)
    assert {t for t, _ in pred.existing_tags} == {"Harbors", "Boats"}
    assert all(r is not None and r > 0 for _, r in pred.existing_tags)
    assert pred.model_version == _active(trained).version and pred.backbone == "tiny"  # type: ignore[attr-defined]
    data = pred.as_dict()
    assert data["neighbour_tags"][0]["neighbours"][0]["identifier"].startswith("REC-2-")
    # by numeric id too
    assert suggest_for_record(trained, str(pred.record_id)).identifier == "REC-2-02"
    assert data["record_id"] == pred.record_id and data["identifier"] == "REC-2-02"


def test_most_records_get_their_own_class_on_top(trained: object) -> None:
    from heritage_tagger.services.suggesting import suggest_for_record

    hits = 0
    for c, (_, _, _, tags) in enumerate(CLASSES):
        for k in range(8):
            top = suggest_for_record(trained, f"REC-{c}-{k:02d}").model_tags[0][0]
            hits += top in tags
    assert hits >= 20, hits  # of 24; chance is 8


def test_suggestions_for_a_new_image_file(trained: object, tmp_path: Path) -> None:
    from heritage_tagger.services.suggesting import suggest_for_image

    path = write_plain_image(tmp_path / "new.png", colour=(30, 160, 40), pattern=5)  # type: ignore[attr-defined]
    pred = suggest_for_image(trained, path)
    assert pred.model_tags[0][0] in ("Forests", "Trees") and pred.existing_tags == []


def test_the_predictor_is_loaded_once_per_version(trained: object) -> None:
    from heritage_tagger.services.suggesting import active_predictor

    assert active_predictor(trained)[0] is active_predictor(trained)[0]


def test_no_model_yet(catalogue: object) -> None:
    from heritage_tagger.domain.errors import ModelNotTrainedError
    from heritage_tagger.services.suggesting import suggest_for_record

    with pytest.raises(ModelNotTrainedError, match="run `heritage-tagger train`"):
        suggest_for_record(catalogue, "anything")


def test_stored_suggestions_leave_reviewed_tags_alone(trained: object) -> None:
    from sqlalchemy import select

    from heritage_tagger.db.tables import RecordTag, Tag
    from heritage_tagger.db.tagging import get_or_create_tags, set_record_tag
    from heritage_tagger.domain.records import TagState
    from heritage_tagger.services.proposals import store_suggestions

    ids = _record_ids(trained)  # type: ignore[attr-defined]
    untagged = ids[8:10]  # the two untagged records of the first class
    with trained.session() as session:  # type: ignore[attr-defined]
        barns = get_or_create_tags(session, ["Barns"])["Barns"]
        set_record_tag(session, untagged[0], barns, TagState.REJECTED)

    def state() -> dict[tuple[int, str], tuple[str, int | None]]:
        with trained.session() as session:  # type: ignore[attr-defined]
            rows = session.execute(
                select(RecordTag.record_id, Tag.label, RecordTag.state, RecordTag.model_version_id).join(Tag)
            ).all()
        return {(r, label): (s, mv) for r, label, s, mv in rows}

    before = state()
    written = store_suggestions(trained, ids, chunk_size=7)
    after = state()
    assert written > 0
    for key, (st, _) in before.items():
        assert after[key][0] == st  # catalogued and rejected tags untouched
    new = {k: v for k, v in after.items() if k not in before}
    assert len(new) == written and all(
        s == "suggested" and mv == _active(trained).id  # type: ignore[attr-defined]
        for s, mv in new.values()
    )
    assert (untagged[0], "Barns") not in new  # rejected stays rejected
    assert any(r == untagged[1] for r, _ in new)
    # running it again replaces pending suggestions instead of piling them up
    assert store_suggestions(trained, ids) == written and state() == after

"""Which photos suit a tag (services.tag_search): the photos without it, the most likely first."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.factories import catalogue_sql


def _ids(catalogue: Any) -> dict[str, int]:
    with catalogue_sql(catalogue) as db:
        return {ident: rid for rid, ident in db.execute("SELECT id, identifier FROM records")}


def test_the_photos_without_a_tag_come_most_likely_first(trained: Any) -> None:
    from heritage_tagger.db.tagging import get_or_create_tags, set_record_tag
    from heritage_tagger.domain.records import TagState
    from heritage_tagger.services.suggesting import active_predictor
    from heritage_tagger.services.tag_search import photos_for_tag

    ids = _ids(trained)
    with trained.session() as session:  # a rejected "Farms" is not offered again
        tag = get_or_create_tags(session, ["Farms"])["Farms"]
        set_record_tag(session, ids["REC-1-01"], tag, TagState.REJECTED)
    seen: list[tuple[int, int]] = []
    found = photos_for_tag(trained, "farm", limit=30, progress=lambda p: seen.append((p.done, p.total)))
    assert found.tag == "Farms"  # named by its lemma
    names = [m.identifier for m in found.matches]
    # the red class's photos with Barns alone (odd k) and the two untagged red ones; no photo carrying Farms
    assert set(names[:6]) == {"REC-0-01", "REC-0-03", "REC-0-05", "REC-0-07", "REC-0-08", "REC-0-09"}
    assert not {"REC-0-00", "REC-0-02", "REC-1-01"} & set(names)
    assert len(names) == found.searched == 26 - 4 - 1 and found.unreadable == 0
    probs = [m.probability for m in found.matches]
    assert probs == sorted(probs, reverse=True) and all(0.0 <= p <= 1.0 for p in probs)
    predictor, _ = active_predictor(trained)  # every record has a title: read with its text
    threshold = predictor.product.threshold("text", trained.settings.model.target_precision)
    assert [m.confident for m in found.matches] == [m.probability >= threshold for m in found.matches]
    assert seen[-1] == (21, 21) and found.model_version
    assert found.ranked_by == predictor.ranks_photos_by and "photo only: " in found.ranked_by
    assert [m.identifier for m in photos_for_tag(trained, "Farms", limit=3).matches] == names[:3]


def test_a_batch_narrows_the_search_and_pending_suggestions_are_said(trained: Any) -> None:
    from heritage_tagger.db.tables import ImportBatch, Record
    from heritage_tagger.db.tagging import get_or_create_tags, set_record_tag
    from heritage_tagger.domain.records import TagState
    from heritage_tagger.services.tag_search import photos_for_tag

    ids = _ids(trained)
    in_batch = ["REC-2-01", "REC-2-03", "REC-1-05"]
    with trained.session() as session:
        tag = get_or_create_tags(session, ["Boats"])["Boats"]
        set_record_tag(session, ids["REC-2-01"], tag, TagState.SUGGESTED, score=0.7, source="model")
        batch = ImportBatch(folder="new", status="done")
        session.add(batch)
        session.flush()
        for name in in_batch:
            record = session.get(Record, ids[name])
            assert record is not None
            record.batch_id = batch.id
        batch_id = batch.id
    found = photos_for_tag(trained, "Boats", batch_id=batch_id)
    assert [m.identifier for m in found.matches] == ["REC-2-01", "REC-2-03", "REC-1-05"]
    assert found.searched == 3 and [m.suggested for m in found.matches] == [True, False, False]


def test_an_unknown_tag_is_named_with_the_closest_ones_and_a_cancel_stops_it(trained: Any) -> None:
    from heritage_tagger.domain.errors import CancelledError, HeritageTaggerError
    from heritage_tagger.domain.progress import CancelToken
    from heritage_tagger.services.tag_search import photos_for_tag

    with pytest.raises(HeritageTaggerError, match=r"not trained on the tag 'Barn owls'.*'Barns'"):
        photos_for_tag(trained, "Barn owls")
    token = CancelToken()
    token.cancel()
    with pytest.raises(CancelledError):
        photos_for_tag(trained, "Barns", cancel=token)


def test_the_cli_lists_the_photos_for_a_tag(trained: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from heritage_tagger.cli import main

    path = str(trained.location)
    trained.close()
    assert main(["--catalogue", path, "suggest", "--tag", "Trees", "--limit", "4"]) == 0
    out = capsys.readouterr().out
    assert (
        out.startswith("Photos for “Trees”, ranked by model v")
        and "Read 22 photos that do not carry it" in out
    )
    listed = re.findall(r"REC-\d-\d\d", out)
    assert len(listed) == 4 and all(ident.startswith("REC-1-") for ident in listed[:3])
    assert main(["--catalogue", path, "suggest", "--tag", "Trees", "REC-1-00"]) != 0
    assert "without a record" in capsys.readouterr().err

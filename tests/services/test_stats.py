"""Catalogue statistics on a real SQLite catalogue."""

from __future__ import annotations

import json

from heritage_tagger.db import tables
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.stats import catalogue_stats
from tests.factories import seed_catalogue


def test_empty_catalogue(catalogue: Catalogue) -> None:
    stats = catalogue_stats(catalogue)
    assert stats.records == stats.tags == stats.decisions == stats.import_batches == stats.model_versions == 0
    assert stats.record_tags == {"catalogued": 0, "accepted": 0, "rejected": 0, "suggested": 0}
    assert stats.active_model is None


def test_counts(catalogue: Catalogue) -> None:
    seed_catalogue(catalogue)
    with catalogue.session() as session:
        session.add_all(
            [
                tables.ImportBatch(folder="/a", status="done"),
                tables.ImportBatch(folder="/b", status="running"),
                tables.ModelVersion(version="m1", bundle_path="/m1", backbone="tiny"),
                tables.ModelVersion(
                    version="m2", bundle_path="/m2", backbone="efficientnet_lite0", is_active=True
                ),
                tables.Decision(record_id=1, tag_label="boats", action="accept", reviewer="ann"),
                tables.Decision(record_id=1, tag_label="rejected-tag", action="reject", reviewer="ann"),
                tables.Decision(record_id=3, tag_label="only-rejected", action="reject", reviewer="bob"),
            ]
        )
    stats = catalogue_stats(catalogue)
    assert stats.records == 3
    assert stats.records_without_tags == 1
    assert stats.tags == 5 and stats.tags_in_use == 2
    assert stats.record_tags == {"catalogued": 2, "accepted": 1, "rejected": 2, "suggested": 1}
    assert stats.decisions == 3
    assert stats.decisions_by_action == {
        "accept": 1,
        "reject": 2,
        "add": 0,
        "remove": 0,
        "undo": 0,
        "review": 0,
    }
    assert stats.import_batches == 2 and stats.import_batches_by_status == {"done": 1, "running": 1}
    assert stats.model_versions == 2
    assert stats.active_model is not None and stats.active_model.version == "m2"
    data = json.loads(json.dumps(stats.as_dict()))
    assert data["active_model"]["backbone"] == "efficientnet_lite0"
    assert data["record_tags"]["rejected"] == 2

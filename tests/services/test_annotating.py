"""Batch annotation on a tiny trained catalogue: every photo suggested, resume, queue, auto-accept, re-suggest."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from tests.factories import CLASSES, bomb_png, catalogue_sql, copy_catalogue, fast_settings

MakeImage = Callable[..., Path]
NewPhotos = Callable[..., Path]


def suggestion_counts(catalogue: object) -> dict[int, int]:
    """Record id -> number of suggested tags, for every record of the import batches."""
    with catalogue_sql(catalogue) as db:
        rows = db.execute(
            "SELECT r.id, count(t.id) FROM records r LEFT JOIN record_tags t "
            "ON t.record_id = r.id AND t.state = 'suggested' WHERE r.batch_id IS NOT NULL GROUP BY r.id"
        ).fetchall()
    return dict(rows)


def test_every_new_photo_gets_the_active_models_proposals(
    trained: object, tmp_path: Path, new_photos: NewPhotos
) -> None:
    from heritage_tagger.services.annotating import import_and_annotate
    from heritage_tagger.services.model_versions import active_version
    from heritage_tagger.services.suggesting import suggest_for_record

    folder = new_photos(tmp_path / "box")
    imported, report = import_and_annotate(trained, folder)
    assert imported.imported == 12 and report.total == 12 and report.annotated == 12
    assert not report.failed and not report.no_model and report.suggestions >= 12
    counts = suggestion_counts(trained)
    assert len(counts) == 12 and min(counts.values()) >= 1
    active = active_version(trained)
    assert active is not None and report.model_version == active.version
    with catalogue_sql(trained) as db:
        rows = db.execute(
            "SELECT r.identifier, g.label, t.score, t.model_version_id, t.source FROM record_tags t "
            "JOIN records r ON r.id = t.record_id JOIN tags g ON g.id = t.tag_id WHERE t.state = 'suggested'"
        ).fetchall()
        job = db.execute(
            "SELECT status, cursor_json, params_json FROM jobs WHERE kind = 'annotate'"
        ).fetchone()
    assert {mv for *_, mv, _ in rows} == {active.id}
    assert {src for *_, src in rows} <= {"model", "model:neighbours", "model:caption"}  # where each came from
    stored: dict[str, dict[str, float]] = {}
    for identifier, label, score, *_ in rows:
        stored.setdefault(identifier, {})[label] = score
    for identifier, tags in stored.items():  # the same tags and scores as a live suggestion
        live = suggest_for_record(trained, identifier)
        assert {t: pytest.approx(s, abs=1e-5) for t, s in live.proposed} == tags
    assert job[0] == "done" and json.loads(job[1])["done"] == 12
    assert json.loads(job[2])["folder"] == str(folder.resolve())
    # most photos get their own class's tag first
    best = {i: max(t, key=t.get) for i, t in stored.items()}
    hits = sum(best[f"new{c}_{k}"] in CLASSES[c][3] for c in range(3) for k in range(4))
    assert hits >= 8, best

    again, second = import_and_annotate(trained, folder)  # nothing new: no duplicates, nothing rewritten
    assert (again.imported, again.duplicates) == (0, 12) and second.total == 0
    assert suggestion_counts(trained) == counts


def test_cancelled_annotation_resumes_without_half_written_records(
    trained: object, tmp_path: Path, new_photos: NewPhotos
) -> None:
    from heritage_tagger.domain.errors import CancelledError
    from heritage_tagger.domain.progress import CancelToken, Progress
    from heritage_tagger.services.annotating import import_and_annotate

    settings = trained.settings  # type: ignore[attr-defined]
    trained.settings = replace(settings, import_=replace(settings.import_, commit_every=2))  # type: ignore[attr-defined]
    folder = new_photos(tmp_path / "box")
    token = CancelToken()

    saved: list[int] = []

    def progress(p: Progress) -> None:  # cancel once two chunks of 2 records are saved
        if p.stage == "annotating" and p.message.endswith("suggestions"):
            saved.append(p.done)
            if len(saved) == 2:
                token.cancel()

    with pytest.raises(CancelledError, match="Run the same command again to resume"):
        import_and_annotate(trained, folder, progress=progress, cancel=token)
    counts = suggestion_counts(trained)
    with catalogue_sql(trained) as db:
        status, cursor = db.execute("SELECT status, cursor_json FROM jobs WHERE kind = 'annotate'").fetchone()
    last = json.loads(cursor)["last_record_id"]
    assert status == "cancelled" and json.loads(cursor)["done"] == 4
    assert {r for r, n in counts.items() if n} == {r for r in counts if r <= last}  # whole records only

    imported, report = import_and_annotate(trained, folder)
    assert report.resumed and report.done_before == 4 and report.annotated == 8
    assert imported.duplicates == 12 and imported.imported == 0
    after = suggestion_counts(trained)
    assert len(after) == 12 and min(after.values()) >= 1
    assert {r: after[r] for r in counts if counts[r]} == {r: n for r, n in counts.items() if n}


def test_without_a_model_the_folder_is_imported_and_the_report_says_so(
    catalogue: object, tmp_path: Path, new_photos: NewPhotos
) -> None:
    from heritage_tagger.services.annotating import NO_MODEL, import_and_annotate

    imported, report = import_and_annotate(catalogue, new_photos(tmp_path / "box", 1))
    assert imported.imported == 3 and report.no_model and report.annotated == 0
    assert "heritage-tagger train" in NO_MODEL
    assert suggestion_counts(catalogue) == dict.fromkeys(imported.imported_record_ids, 0)


def test_a_folder_imported_before_any_model_is_annotated_by_the_same_command_later(
    trained_catalogue_template: Path, tmp_path: Path, new_photos: NewPhotos
) -> None:
    from heritage_tagger.services.annotating import import_and_annotate
    from heritage_tagger.services.catalogue import open_catalogue

    path = copy_catalogue(trained_catalogue_template, tmp_path / "cat")
    with sqlite3.connect(path) as db:
        db.execute("UPDATE model_versions SET is_active = 0")
    folder = new_photos(tmp_path / "box", 2)
    with open_catalogue(path, settings=fast_settings()) as cat:
        _, report = import_and_annotate(cat, folder)
        assert report.no_model and suggestion_counts(cat) == dict.fromkeys(suggestion_counts(cat), 0)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE model_versions SET is_active = 1")
    with open_catalogue(path, settings=fast_settings()) as cat:
        imported, report = import_and_annotate(cat, folder)
        assert imported.duplicates == 6 and report.resumed and report.annotated == 6
        assert len(suggestion_counts(cat)) == 6 and min(suggestion_counts(cat).values()) >= 1


def test_review_queue_orders_and_auto_accept(trained: object, tmp_path: Path, new_photos: NewPhotos) -> None:
    from heritage_tagger.services.annotating import import_and_annotate
    from heritage_tagger.services.review_queue import auto_accept, review_queue

    imported, _ = import_and_annotate(trained, new_photos(tmp_path / "box"))
    batch = imported.batch_id
    with catalogue_sql(trained) as db:
        best = dict(
            db.execute(
                "SELECT record_id, max(score) FROM record_tags WHERE state = 'suggested' GROUP BY record_id"
            ).fetchall()
        )
        names = dict(db.execute("SELECT id, identifier FROM records").fetchall())
    least = review_queue(trained, batch, "least_confident")
    assert [best[r] for r in least] == sorted(best[r] for r in least) and len(least) == 12
    with catalogue_sql(trained) as db:
        doubt = dict(  # the uncertainty of each record's most uncertain proposal
            db.execute(
                "SELECT record_id, max(1 - abs(2 * score - 1)) FROM record_tags WHERE state = 'suggested' "
                "GROUP BY record_id"
            ).fetchall()
        )
    attention = review_queue(trained, batch)  # the default: needs attention first
    assert [doubt[r] for r in attention] == sorted(doubt.values(), reverse=True) and len(attention) == 12
    most = review_queue(trained, batch, "most_confident")
    assert [best[r] for r in most] == sorted((best[r] for r in most), reverse=True)
    assert [names[r] for r in review_queue(trained, batch, "identifier")] == sorted(names[r] for r in least)
    with pytest.raises(Exception, match="Unknown review order"):
        review_queue(trained, batch, "random")

    threshold = sorted(best.values())[6]  # about half the records have a suggestion at or above it
    expected = sum(1 for s in _scores(trained) if s >= threshold)
    assert auto_accept(trained, batch, threshold) == expected > 0
    with catalogue_sql(trained) as db:
        decisions = db.execute(
            "SELECT reviewer, action, previous_state, new_state, score FROM decisions"
        ).fetchall()
        accepted = db.execute("SELECT count(*) FROM record_tags WHERE state = 'accepted'").fetchone()[0]
    assert accepted == len(decisions) == expected
    assert all(d[:4] == ("auto", "accept", "suggested", "accepted") and d[4] >= threshold for d in decisions)
    # fully accepted records have nothing pending: they go to the end of the queue
    assert set(review_queue(trained, batch)) == set(least)


def _scores(catalogue: object) -> list[float]:
    with catalogue_sql(catalogue) as db:
        return [r[0] for r in db.execute("SELECT score FROM record_tags WHERE state = 'suggested'")]


def test_auto_accept_while_annotating(trained: object, tmp_path: Path, new_photos: NewPhotos) -> None:
    from heritage_tagger.services.annotating import import_and_annotate

    _, report = import_and_annotate(trained, new_photos(tmp_path / "box"), auto_accept=0.000001)
    with catalogue_sql(trained) as db:
        states = db.execute(
            "SELECT state, count(*) FROM record_tags WHERE source LIKE 'model%' GROUP BY state"
        ).fetchall()
        n_auto = db.execute("SELECT count(*) FROM decisions WHERE reviewer = 'auto'").fetchone()[0]
    assert (
        states == [("accepted", report.suggestions)] and n_auto == report.auto_accepted == report.suggestions
    )


def test_resuggest_refreshes_only_pending_suggestions_of_older_models(
    trained: object, tmp_path: Path, new_photos: NewPhotos
) -> None:
    from heritage_tagger.services import review
    from heritage_tagger.services.annotating import import_and_annotate
    from heritage_tagger.services.model_versions import active_version, register_version
    from heritage_tagger.services.resuggesting import resuggest

    imported, _ = import_and_annotate(trained, new_photos(tmp_path / "box"))
    ids = imported.imported_record_ids
    with catalogue_sql(trained) as db:
        first = db.execute(
            "SELECT t.record_id, g.label FROM record_tags t JOIN tags g ON g.id = t.tag_id "
            "WHERE t.state = 'suggested' ORDER BY t.record_id"
        ).fetchall()
    review.accept(trained, first[0][0], first[0][1], "ann")
    review.reject(trained, first[-1][0], first[-1][1], "ann")
    old = active_version(trained)
    assert old is not None
    with trained.session() as session:  # type: ignore[attr-defined]
        new = register_version(
            session, version="v0002-test", bundle_path=old.bundle_path, backbone=old.backbone,
            weights_checksum=old.weights_checksum, n_records=1, n_tags=1, n_decisions=2, metrics={}, activate=True,
        )  # fmt: skip
        new_id = new.id
    with catalogue_sql(trained) as db:
        pending = db.execute(
            "SELECT count(DISTINCT record_id) FROM record_tags WHERE state = 'suggested'"
        ).fetchone()
    report = resuggest(trained, chunk_size=5)
    assert report.annotated == pending[0] >= len(ids) - 2 and report.model_version == "v0002-test"
    with catalogue_sql(trained) as db:
        rows = db.execute("SELECT record_id, state, model_version_id FROM record_tags").fetchall()
    assert {mv for _, state, mv in rows if state == "suggested"} == {new_id}
    assert {(r, s, mv) for r, s, mv in rows if s in ("accepted", "rejected")} == {
        (first[0][0], "accepted", old.id),
        (first[-1][0], "rejected", old.id),
    }
    assert resuggest(trained).total == 0  # nothing stale left


def test_bad_files_do_not_stop_the_annotation(
    trained: object, tmp_path: Path, make_image: MakeImage, new_photos: NewPhotos
) -> None:
    from heritage_tagger.services.annotating import annotate_batch
    from heritage_tagger.services.importing import import_folder

    folder = new_photos(tmp_path / "box", 2)
    good = make_image(folder / "cut.jpg", colour=(10, 200, 30))
    (folder / "corrupt.jpg").write_bytes(good.read_bytes()[:200])
    bomb_png(folder / "bomb.png")
    (folder / "noise.tif").write_bytes(b"II*\x00" + bytes(range(256)) * 4)
    vanishing = make_image(folder / "vanishing.png", colour=(200, 40, 30), pattern=41)
    imported = import_folder(trained, folder)
    skipped = {s.path for s in imported.skipped}
    assert {"corrupt.jpg", "bomb.png", "noise.tif"} <= skipped and imported.imported == 8
    vanishing.unlink()  # the file went away between import and annotation
    good.write_bytes(good.read_bytes()[:300])  # ... and this one was damaged
    report = annotate_batch(trained, imported.batch_id or 0, chunk_size=3)
    assert report.annotated == 8 and len(report.failed) == 2
    counts = suggestion_counts(trained)
    assert sorted(counts.values()).count(0) == 2 and min(n for n in counts.values() if n) >= 1


def test_each_new_photo_is_decoded_once(
    trained: object, tmp_path: Path, new_photos: NewPhotos, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import cuts the backbone's input out of the picture it decodes for its checks and the
    thumbnail; the features come from there, exactly as a later extraction from the file gives them.
    The proposals still go through the one suggestion writer (services.proposals): the records' own
    text is read, every record gets its suggestion_outcomes row with the calibrated threshold, and no
    stored suggestion is below it. On either engine (a team catalogue's paths are relative)."""
    import numpy as np

    from heritage_tagger.annotator.features import ImageItem
    from heritage_tagger.services.annotating import import_and_annotate
    from heritage_tagger.services.suggesting import active_predictor
    from heritage_tagger.vision import features as vision_features
    from heritage_tagger.vision.feature_store import FeatureStore
    from tests.factories import catalogue_sql

    media = getattr(trained, "media_root", None) or tmp_path
    folder = new_photos(media / "box")
    (folder / "records.csv").write_text(
        "file,title,description\n"
        + "".join(f"new{c}_{k}.png,New photo {c}-{k},{desc}\n" for c, desc in enumerate(
            ["red barn by the farm road", "green trees in the forest park", "blue harbour with boats"]
        ) for k in range(4)),
        encoding="utf-8",
    )  # fmt: skip

    def no_second_decode(*_: object, **__: object) -> None:
        raise AssertionError("a photo was decoded a second time")

    monkeypatch.setattr(vision_features, "read_image", no_second_decode)
    imported, report = import_and_annotate(trained, folder)  # type: ignore[arg-type]
    assert imported.imported == 12 and report.annotated == 12 and not report.failed
    assert sum(report.outcomes.values()) == 12
    monkeypatch.undo()
    predictor = active_predictor(trained)[0]  # type: ignore[arg-type]
    with catalogue_sql(trained) as db:
        images = db.execute(
            "SELECT sha256, source_path FROM records WHERE batch_id IS NOT NULL ORDER BY id"
        ).fetchall()
        outcomes = db.execute(
            "SELECT o.outcome, o.threshold, o.read_text FROM suggestion_outcomes o "
            "JOIN records r ON r.id = o.record_id WHERE r.batch_id IS NOT NULL"
        ).fetchall()
        below = db.execute(
            "SELECT count(*) FROM record_tags t JOIN suggestion_outcomes o ON o.record_id = t.record_id "
            "WHERE t.state = 'suggested' AND t.score < o.threshold - 1e-9"
        ).scalar()
    assert len(outcomes) == 12 and below == 0
    assert all(bool(read) for _, _, read in outcomes) == predictor.reads_text
    assert all(threshold is not None for _, threshold, _ in outcomes)
    backbone = predictor.backbone()
    store = FeatureStore.shared(trained.workspace.features, backbone.space_key, backbone.feature_dim)  # type: ignore[attr-defined]
    cached, present = store.get([sha for sha, _ in images])
    assert present.all()
    items = [ImageItem(sha, trained.file_path(path)) for sha, path in images]  # type: ignore[attr-defined]
    fresh = vision_features.extract_features(backbone, items)
    np.testing.assert_allclose(cached, fresh.features, rtol=1e-5, atol=1e-5)


def test_the_whole_catalogue_queue_skips_reviewed_records_and_resumes(trained: object) -> None:
    """After a training the catalogue holds no stored suggestion; the queue job stores the active model's
    proposals for every record not reviewed yet, skips reviewed ones, resumes after a cancel."""
    from heritage_tagger.domain.errors import CancelledError
    from heritage_tagger.domain.progress import CancelToken, Progress
    from heritage_tagger.services import review
    from heritage_tagger.services.model_versions import active_version
    from heritage_tagger.services.resuggesting import suggest_unreviewed

    with catalogue_sql(trained) as db:
        ids = [r for (r,) in db.execute("SELECT id FROM records ORDER BY id")]
        assert db.execute("SELECT count(*) FROM record_tags WHERE state = 'suggested'").fetchone() == (0,)
    marked = ids[0]
    review.mark_reviewed(trained, marked, "ada")  # a person is done with it: left alone
    token = CancelToken()

    def stop_after_first_chunk(p: Progress) -> None:
        if p.done >= 5:
            token.cancel()

    with pytest.raises(CancelledError, match="resume"):
        suggest_unreviewed(trained, stop_after_first_chunk, token, chunk_size=5)
    with catalogue_sql(trained) as db:
        status, cursor = db.execute(
            "SELECT status, cursor_json FROM jobs WHERE kind = 'suggest-queue'"
        ).fetchone()
    assert status == "cancelled" and json.loads(cursor)["done"] == 5  # the first chunk was kept
    report = suggest_unreviewed(trained, chunk_size=5)
    assert report.resumed and report.done_before == 5 and report.total == len(ids) - 1
    assert report.annotated == len(ids) - 1 - 5
    counts = suggestion_counts_all(trained)
    active = active_version(trained)
    assert active is not None
    with catalogue_sql(trained) as db:
        versions = {
            v for (v,) in db.execute("SELECT model_version_id FROM record_tags WHERE state = 'suggested'")
        }
        carried = set(db.execute(
            "SELECT t.record_id, g.label FROM record_tags t JOIN tags g ON g.id = t.tag_id "
            "WHERE t.state IN ('catalogued', 'accepted')"
        ).fetchall())  # fmt: skip
        pending = set(db.execute(
            "SELECT t.record_id, g.label FROM record_tags t JOIN tags g ON g.id = t.tag_id "
            "WHERE t.state = 'suggested'"
        ).fetchall())  # fmt: skip
    # the two untagged photos get proposals; the tagged ones' proposals are the tags they carry already
    untagged = set(ids) - {rid for rid, _ in carried}
    assert set(counts) == untagged and len(untagged) == 2
    assert versions == {active.id} and not (carried & pending)  # never a tag the record carries
    # a record decided on with nothing pending is reviewed: the next run leaves it (and its state) alone
    rid = min(untagged)
    for _, label in sorted(p for p in pending if p[0] == rid):
        review.reject(trained, rid, label, "ada")
    again = suggest_unreviewed(trained)
    assert rid not in suggestion_counts_all(trained) and again.suggestions == 0
    assert again.total == len(ids) - 3  # less the marked, the reviewed and the one already suggested for


def suggestion_counts_all(catalogue: object) -> dict[int, int]:
    with catalogue_sql(catalogue) as db:
        return dict(
            db.execute(
                "SELECT record_id, count(*) FROM record_tags WHERE state = 'suggested' GROUP BY record_id"
            ).fetchall()
        )

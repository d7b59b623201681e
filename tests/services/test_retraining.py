"""Retraining on a tiny catalogue: decisions since the active model, held-out comparison, lock, cancel, due check."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.factories import catalogue_sql, copy_catalogue, fast_settings, new_photos

MakeImage = Callable[..., Path]


@pytest.fixture
def reviewed(trained_catalogue_template: Path, tmp_path: Path, make_image: MakeImage) -> Iterator[object]:
    """The trained catalogue plus an annotated box of 12 new photos with reviewed suggestions."""
    from heritage_tagger.services import review
    from heritage_tagger.services.annotating import import_and_annotate
    from heritage_tagger.services.catalogue import open_catalogue

    cat = open_catalogue(
        copy_catalogue(trained_catalogue_template, tmp_path / "cat"), settings=fast_settings()
    )
    import_and_annotate(cat, new_photos(tmp_path / "box", make_image))
    with catalogue_sql(cat) as db:
        pending = db.execute(
            "SELECT t.record_id, g.label FROM record_tags t JOIN tags g ON g.id = t.tag_id "
            "WHERE t.state = 'suggested' ORDER BY t.record_id, t.score DESC"
        ).fetchall()
    first = sorted({rid for rid, _ in pending})[:8]  # the last 4 photos stay pending
    seen: set[int] = set()
    n = 0
    for rid, label in pending:  # accept each reviewed record's best suggestion, reject the others
        if rid in first:
            (review.reject if rid in seen else review.accept)(cat, rid, label, "librarian")
            seen.add(rid)
            n += 1
    cat.n_decisions = n  # type: ignore[attr-defined]
    yield cat
    cat.close()


def _active(catalogue: object) -> str:
    from heritage_tagger.services.model_versions import active_version

    info = active_version(catalogue)  # type: ignore[arg-type]
    assert info is not None
    return info.version


def test_decisions_since_the_active_model_and_the_due_check(reviewed: object) -> None:
    from heritage_tagger.db.tables import ModelVersion
    from heritage_tagger.services.retraining import decisions_since_active, retrain_due

    n, info = decisions_since_active(reviewed)
    assert n == reviewed.n_decisions >= 8 and info is not None  # type: ignore[attr-defined]
    assert retrain_due(reviewed, after_decisions=n).due
    status = retrain_due(reviewed, after_decisions=n + 1, every_days=3)
    assert not status.due and f"{n} decisions since {info.version}" in status.reason
    with reviewed.session() as session:  # type: ignore[attr-defined]
        row = session.get(ModelVersion, info.id)
        row.created_at = row.created_at - timedelta(days=4)
    # decisions logged before the (now older) model count too, and the age makes it due
    status = retrain_due(reviewed, after_decisions=None, every_days=3)
    assert status.due and "days old" in status.reason


def test_retrain_compares_on_held_out_records_and_registers_an_inactive_candidate(
    reviewed: object, tmp_path: Path
) -> None:
    from heritage_tagger.services.model_versions import headline_metrics, list_versions
    from heritage_tagger.services.retraining import COMPARED, recommend, retrain, save_plot

    before = _active(reviewed)
    stages: list[str] = []
    outcome = retrain(
        reviewed, epochs=2, device="cpu", min_unseen=1, progress=lambda p: stages.append(p.stage)
    )
    comparison = outcome.comparison
    assert outcome.decisions_since == reviewed.n_decisions  # type: ignore[attr-defined]
    assert {"active copy: network", "candidate copy: network", "network"} <= set(stages)
    assert _active(reviewed) == before and not outcome.candidate.active
    versions = {v.version: v for v in list_versions(reviewed)}
    assert set(versions) == {before, outcome.candidate.version}
    assert versions[outcome.candidate.version].metrics["held_out"]["candidate"] == comparison.candidate
    # a small catalogue: three folds, each scored by copies of both models trained without it
    assert comparison.method == "copy" and comparison.only_unseen and comparison.seen_by_active == 0
    assert comparison.folds == 3 and "neither model was trained on" in comparison.where()
    # the Versions list shows, for both versions, the figures the retrain dialog shows
    candidate_figures = headline_metrics(versions[outcome.candidate.version].metrics)
    active_figures = headline_metrics(versions[before].metrics)
    assert {n: candidate_figures[n] for n in COMPARED} == comparison.candidate
    assert {n: active_figures[n] for n in COMPARED} == comparison.active
    assert "neither model was trained on" in active_figures["measured_on"]
    rec = outcome.recommendation
    assert rec.activate == (recommend(comparison, outcome.decisions_since).activate) and rec.reason
    with catalogue_sql(reviewed) as db:
        tagged = {r for (r,) in db.execute(
            "SELECT DISTINCT record_id FROM record_tags WHERE state IN ('catalogued', 'accepted')"
        )}  # fmt: skip
    assert set(comparison.record_ids) <= tagged and len(comparison.record_ids) == len(
        set(comparison.record_ids)
    )
    assert len(comparison.record_ids) >= 0.8 * len(tagged)  # every tagged photo scored once
    assert all(0.0 <= v <= 1.0 for v in [*comparison.candidate.values(), *comparison.active.values()])
    assert comparison.active_version == before and "imAP" in comparison.table(outcome.candidate.version)
    # the candidate trains on catalogued + accepted tags: 24 catalogued records and 8 reviewed new ones
    assert outcome.candidate.n_training_rows == 32
    png = save_plot(comparison, outcome.candidate.version, tmp_path / "cmp.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_active_models_own_training_photos_never_flatter_it(reviewed: object) -> None:
    """Issue 13: the active model had been trained on most of the held-out photos (0.933 against 0.168
    on 39 photos, 33 of them its own). Its copy is trained without them, so nothing is flattered."""
    from heritage_tagger.annotator.predictor import Predictor
    from heritage_tagger.services.model_versions import active_version
    from heritage_tagger.services.retraining import retrain

    info = active_version(reviewed)
    assert info is not None
    own = Predictor.load(info.bundle_path).model
    outcome = retrain(reviewed, epochs=1, device="cpu", min_unseen=10_000)
    comparison = outcome.comparison
    trained_on = [rid for rid in comparison.record_ids if own.row_of(rid) is not None]
    assert len(trained_on) >= comparison.n_records // 2  # the situation of the issue ...
    assert comparison.method == "copy" and comparison.seen_by_active == 0  # ... and yet a fair comparison
    assert "optimistic" not in comparison.table(outcome.candidate.version)


def test_without_a_copy_of_the_active_model_its_advantage_is_disclosed(reviewed: object) -> None:
    """When too few of the active model's photos remain to train its copy, the active model itself is
    scored, and how many of the test photos it was trained on is said."""
    from heritage_tagger.services.retraining import retrain

    with catalogue_sql(reviewed) as db:
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("DELETE FROM records WHERE identifier LIKE 'REC-1-%' OR identifier LIKE 'REC-2-%'")
    outcome = retrain(reviewed, epochs=1, device="cpu", min_unseen=10_000)
    comparison = outcome.comparison
    assert comparison.method == "seen" and not comparison.only_unseen and comparison.seen_by_active > 0
    assert "the active model was trained on" in comparison.table(outcome.candidate.version)
    assert "optimistic" in comparison.where()
    rec = outcome.recommendation  # its figures are not trusted: the candidate learned from new decisions
    assert rec.activate and "flatter" in rec.reason


def test_a_large_catalogue_is_compared_on_one_hash_third() -> None:
    from heritage_tagger.services.comparison import _test_parts, comparison_folds

    assert comparison_folds(149) == 3 and comparison_folds(150) == 1
    names = [f"REC-{i}" for i in range(300)]
    (third,) = _test_parts(names, 1, 0)
    assert 70 < len(third) < 130
    folds = _test_parts(names[:60], 3, 0)
    assert sorted(j for part in folds for j in part) == list(range(60))


def test_the_recommendation_says_activate_or_keep_and_why() -> None:
    from heritage_tagger.services.comparison import Comparison, recommend

    def comparison(active: dict[str, float], candidate: dict[str, float], n: int = 40) -> Comparison:
        return Comparison(n, 0, True, 9, "v0001", candidate, active)

    better = recommend(comparison({"imAP": 0.50, "OF1": 0.40}, {"imAP": 0.62, "OF1": 0.41}))
    assert better.activate and "nearer the top" in better.reason and "0.62 against 0.50" in better.reason
    tie = recommend(comparison({"imAP": 0.50, "OF1": 0.40}, {"imAP": 0.505, "OF1": 0.40}), decisions_since=37)
    assert tie.activate and "as good as" in tie.reason and "37 decisions" in tie.reason
    worse = recommend(comparison({"imAP": 0.50, "OF1": 0.40}, {"imAP": 0.52, "OF1": 0.30}))
    assert (
        not worse.activate and "fewer right tags" in worse.reason and worse.verdict == "Keep the active model"
    )
    few = recommend(comparison({"imAP": 0.5, "OF1": 0.4}, {"imAP": 0.3, "OF1": 0.4}, n=6))
    assert not few.activate and "rough guide" in few.reason


def test_retrain_refuses_while_another_training_runs(reviewed: object) -> None:
    from heritage_tagger.services.retraining import retrain
    from heritage_tagger.services.training import TrainingLockedError, training_lock

    before = _active(reviewed)
    with training_lock(reviewed), pytest.raises(TrainingLockedError, match="Another training"):
        retrain(reviewed, epochs=1, device="cpu")
    assert _active(reviewed) == before


def test_a_cancelled_retrain_registers_nothing_and_keeps_the_active_model(reviewed: object) -> None:
    from heritage_tagger.domain.errors import CancelledError
    from heritage_tagger.domain.progress import CancelToken, Progress
    from heritage_tagger.services.model_versions import list_versions
    from heritage_tagger.services.retraining import retrain

    before = _active(reviewed)
    token = CancelToken()

    def progress(p: Progress) -> None:
        if p.stage == "network":  # the candidate's own training, after the comparison
            token.cancel()

    with pytest.raises(CancelledError):
        retrain(reviewed, epochs=2, device="cpu", progress=progress, cancel=token)
    assert [v.version for v in list_versions(reviewed)] == [before]
    with catalogue_sql(reviewed) as db:
        jobs = dict(db.execute("SELECT kind, status FROM jobs WHERE kind IN ('retrain', 'train')").fetchall())
    assert jobs == {"retrain": "cancelled", "train": "cancelled"}
    bundles = reviewed.workspace.bundles  # type: ignore[attr-defined]
    assert sorted(p.name for p in bundles.iterdir()) == [before]
    assert not (reviewed.workspace.root / "retrain-tmp").exists()  # type: ignore[attr-defined]


def test_activating_the_candidate_refreshes_pending_suggestions(reviewed: object) -> None:
    from heritage_tagger.services.retraining import activate_candidate, retrain

    outcome = retrain(reviewed, epochs=1, device="cpu")
    with catalogue_sql(reviewed) as db:
        frozen = db.execute(
            "SELECT record_id, tag_id, state, model_version_id FROM record_tags WHERE state != 'suggested'"
        ).fetchall()
    info, report = activate_candidate(reviewed, outcome.candidate.version)
    assert info.version == _active(reviewed) == outcome.candidate.version
    with catalogue_sql(reviewed) as db:
        versions = {
            r[0] for r in db.execute("SELECT model_version_id FROM record_tags WHERE state = 'suggested'")
        }
        after = db.execute(
            "SELECT record_id, tag_id, state, model_version_id FROM record_tags WHERE state != 'suggested'"
        ).fetchall()
    assert report.annotated > 0 and versions == {outcome.candidate.model_version_id}
    assert sorted(after) == sorted(frozen)  # catalogued, accepted and rejected tags untouched


def test_the_comparison_scores_what_the_app_would_suggest(trained: object) -> None:
    """Each side of the comparison is scored as the app suggests: the product model's calibrated
    probabilities, reading each record's title, description and location (not the collective network alone)."""
    import numpy as np

    from heritage_tagger.annotator.text_inputs import RecordText
    from heritage_tagger.services.comparison import _scores
    from heritage_tagger.services.features import ImageRef, features_for
    from heritage_tagger.services.suggesting import active_predictor

    predictor, _ = active_predictor(trained)  # type: ignore[arg-type]
    with catalogue_sql(trained) as db:
        rows = db.execute("SELECT id, sha256, source_path FROM records ORDER BY id LIMIT 6").fetchall()
    ids = [int(r[0]) for r in rows]
    features = features_for(trained, [ImageRef(r[1], r[2]) for r in rows], predictor).features  # type: ignore[arg-type]
    lemmas = [str(x) for x in predictor.manifest["tag_lemmas"]]
    columns = {lemma.lower(): c for c, lemma in enumerate(reversed(lemmas))}  # laid out in another order
    named = [RecordText("", "blue harbour with boats at sea", "Harbour")] * len(ids)
    got = _scores(predictor, features, ids, named, columns)
    self_rows = np.array([predictor.model.row_of(i) for i in ids], dtype=np.int64)
    served = predictor.product.scores(features, self_rows, predictor.encode(named))[0]
    for t, lemma in enumerate(lemmas):
        np.testing.assert_allclose(got[:, columns[lemma.lower()]], served[:, t], atol=1e-6)
    network, _ = predictor.model.predict(features, self_rows)  # what the comparison scored before
    assert not np.allclose(served, network, atol=0.01)

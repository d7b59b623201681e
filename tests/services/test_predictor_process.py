"""Suggestions computed in a helper process: the same as in this process, errors as they were raised, restarts."""

from __future__ import annotations

import os
import signal

import pytest

from tests.factories import catalogue_sql


def test_the_process_suggests_what_this_process_would(trained: object) -> None:
    from heritage_tagger.services.predictor_process import SuggestionProcess
    from heritage_tagger.services.suggesting import Prediction, suggest_for_record

    with catalogue_sql(trained) as db:
        identifiers = [r[0] for r in db.execute("SELECT identifier FROM records ORDER BY id LIMIT 3")]
    process = SuggestionProcess.of(trained)  # type: ignore[arg-type]
    try:
        process.start()
        assert process.warm() is not None and process.model_version is not None
        for identifier in identifiers:
            remote = process.suggest_for_record(identifier)
            local = suggest_for_record(trained, identifier)
            assert isinstance(remote, Prediction) and remote.identifier == identifier
            assert [t for t, _ in remote.model_tags[:5]] == [t for t, _ in local.model_tags[:5]]
            assert remote.model_tags[0][1] == pytest.approx(local.model_tags[0][1], abs=1e-5)
            assert remote.neighbour_identifiers == local.neighbour_identifiers
            assert remote.model_version == process.model_version
            # the whole Prediction of the product model comes back: sources, threshold, what serves
            assert remote.sources == local.sources and remote.served_by == local.served_by != ""
            assert remote.threshold == pytest.approx(local.threshold)
            assert remote.target_precision == local.target_precision
            assert remote.read_text == local.read_text
            assert remote.no_confident_suggestion == local.no_confident_suggestion
            assert [t for t, _ in remote.proposed] == [t for t, _ in local.proposed]
            assert remote.as_dict()["no_confident_suggestion"] == local.as_dict()["no_confident_suggestion"]
        pid = process.pid
        assert pid is not None and pid != os.getpid()
    finally:
        process.close()
    assert process.pid is None


def test_errors_come_back_as_they_were_raised_and_a_dead_process_is_replaced(trained: object) -> None:
    from heritage_tagger.domain.errors import CatalogueError, HeritageTaggerError
    from heritage_tagger.services.predictor_process import SuggestionProcess

    process = SuggestionProcess.of(trained)  # type: ignore[arg-type]
    try:
        with pytest.raises(CatalogueError, match="no record 'nonesuch'"):
            process.suggest_for_record("nonesuch")
        pid = process.pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        with pytest.raises(HeritageTaggerError, match="stopped unexpectedly"):
            process.suggest_for_record(1)
        assert process.suggest_for_record(1).record_id == 1  # a new child answers
        assert process.pid not in (None, pid)
    finally:
        process.close()


def test_a_catalogue_without_a_model_says_so(catalogue: object) -> None:
    """Also a team catalogue (--engine=postgresql): the child opens it by its connection string."""
    from heritage_tagger.domain.errors import ModelNotTrainedError
    from heritage_tagger.services.predictor_process import SuggestionProcess

    process = SuggestionProcess.of(catalogue)  # type: ignore[arg-type]
    assert process.location == catalogue.location and process.serves(catalogue)  # type: ignore[attr-defined]
    try:
        assert process.warm() is None
        with pytest.raises(ModelNotTrainedError):
            process.suggest_for_record(1)
    finally:
        process.close()


@pytest.mark.postgresql
def test_a_team_catalogue_is_opened_by_its_connection_string(trained: object) -> None:
    """A team catalogue (the trained catalogue migrated onto PostgreSQL, image paths relative to its media
    root): the helper process opens it by its postgresql:// URL with this computer's media root."""
    from heritage_tagger.services.predictor_process import SuggestionProcess
    from heritage_tagger.services.suggesting import suggest_for_record

    assert trained.team  # type: ignore[attr-defined]
    process = SuggestionProcess.of(trained)  # type: ignore[arg-type]
    try:
        assert isinstance(process.location, str) and process.location.startswith("postgresql")
        assert process.media_root == trained.media_root  # type: ignore[attr-defined]
        local = suggest_for_record(trained, 1)  # type: ignore[arg-type]
        remote = process.suggest_for_record(1)
        assert [t for t, _ in remote.model_tags[:5]] == [t for t, _ in local.model_tags[:5]]
        assert remote.sources == local.sources and remote.threshold == local.threshold
    finally:
        process.close()


def test_each_request_names_its_target_precision(trained: object) -> None:
    """Preferences change the target precision without a new process: a request carries it, and the
    process still serves the catalogue whose settings differ only in it."""
    from dataclasses import replace

    from heritage_tagger.services.predictor_process import SuggestionProcess
    from heritage_tagger.services.suggesting import suggest_for_record

    process = SuggestionProcess.of(trained)  # type: ignore[arg-type]
    try:
        for target in (0.0, 0.99):
            remote = process.suggest_for_record(1, target_precision=target)
            local = suggest_for_record(trained, 1, target_precision=target)  # type: ignore[arg-type]
            assert remote.target_precision == target and remote.threshold == pytest.approx(local.threshold)
            assert [t for t, _ in remote.proposed] == [t for t, _ in local.proposed]
        settings = trained.settings  # type: ignore[attr-defined]
        trained.settings = replace(settings, model=replace(settings.model, target_precision=0.9))  # type: ignore[attr-defined]
        assert process.serves(trained)  # type: ignore[arg-type]
        trained.settings = replace(settings, model=replace(settings.model, epochs=99))  # type: ignore[attr-defined]
        assert not process.serves(trained)  # type: ignore[arg-type]
        trained.settings = settings  # type: ignore[attr-defined]
    finally:
        process.close()

"""Suggestions computed in a helper process: the same as in this process, errors as they were raised, restarts."""

from __future__ import annotations

import os
import signal
import sqlite3

import pytest


def test_the_process_suggests_what_this_process_would(trained: object) -> None:
    from heritage_tagger.services.predictor_process import SuggestionProcess
    from heritage_tagger.services.suggesting import Prediction, suggest_for_record

    with sqlite3.connect(trained.path) as db:  # type: ignore[attr-defined]
        identifiers = [r[0] for r in db.execute("SELECT identifier FROM records ORDER BY id LIMIT 3")]
    process = SuggestionProcess(trained.path, trained.settings)  # type: ignore[attr-defined]
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
        pid = process.pid
        assert pid is not None and pid != os.getpid()
    finally:
        process.close()
    assert process.pid is None


def test_errors_come_back_as_they_were_raised_and_a_dead_process_is_replaced(trained: object) -> None:
    from heritage_tagger.domain.errors import CatalogueError, HeritageTaggerError
    from heritage_tagger.services.predictor_process import SuggestionProcess

    process = SuggestionProcess(trained.path, trained.settings)  # type: ignore[attr-defined]
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
    from heritage_tagger.domain.errors import ModelNotTrainedError
    from heritage_tagger.services.predictor_process import SuggestionProcess

    process = SuggestionProcess(catalogue.path, catalogue.settings)  # type: ignore[attr-defined]
    try:
        assert process.warm() is None
        with pytest.raises(ModelNotTrainedError):
            process.suggest_for_record(1)
    finally:
        process.close()

"""A team catalogue under faults (run with ``--engine=postgresql``): a training killed while it holds the team's
lock, a teammate's transaction holding rows past the busy timeout, processes creating one catalogue at once,
and the command line's messages for a server it cannot use."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from heritage_tagger.domain.errors import CatalogueBusyError, TrainingLockedError
from heritage_tagger.domain.records import TagState
from heritage_tagger.services import browse, review
from heritage_tagger.services.catalogue import open_catalogue
from tests.reliability.helpers import assert_clean_failure, child_env, read_until, run

pytestmark = pytest.mark.postgresql

HOLD_TRAINING = (
    "import sys\n"
    "from heritage_tagger.services.catalogue import open_catalogue\n"
    "from heritage_tagger.services.training import training_lock\n"
    "cat = open_catalogue(sys.argv[1], media_root=sys.argv[2])\n"
    "cat.user = 'kim'\n"
    "with training_lock(cat):\n"
    "    print('TRAINING', flush=True)\n"
    "    sys.stdin.readline()\n"
)


def test_a_killed_training_gives_the_teams_lock_back(
    catalogue_location: str, tmp_path: Path, engine_name: str
) -> None:
    media = tmp_path / "media"
    with open_catalogue(catalogue_location, media_root=media):
        pass
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD_TRAINING, catalogue_location, str(media)],
        env=child_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        read_until(child.stdout, "TRAINING")
        from heritage_tagger.services.training import training_lock

        with open_catalogue(catalogue_location) as cat:
            with pytest.raises(TrainingLockedError, match=f"kim started it at .*process {child.pid} on "):
                with training_lock(cat):
                    pass
            os.kill(child.pid, signal.SIGKILL)  # no release, no goodbye: the server ends its session
            child.wait(timeout=60)
            cat.user = "lee"
            with training_lock(cat) as path:  # taken over at once, no lock file to delete
                assert path is None
                with cat.engine.connect() as connection:
                    from sqlalchemy import text

                    rows = connection.execute(text("SELECT holder, pid FROM team_locks")).all()
                assert rows == [("lee", os.getpid())]
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=60)


HOLD_ROW = (
    "import sys\n"
    "from sqlalchemy import text\n"
    "from heritage_tagger.services.catalogue import open_catalogue\n"
    "cat = open_catalogue(sys.argv[1], media_root=sys.argv[2])\n"
    "with cat.engine.connect() as c:\n"
    "    c.execute(text(\"UPDATE record_tags SET score = 0.5 WHERE state = 'suggested'\"))\n"
    "    print('LOCKED', flush=True)\n"
    "    sys.stdin.readline()\n"
    "    c.rollback()\n"
)


def test_a_teammates_long_transaction_makes_a_decision_wait_then_fail_cleanly(
    catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from heritage_tagger.db.tables import Record
    from heritage_tagger.db.tagging import get_or_create_tags, set_record_tag

    with catalogue.session() as s:
        rec = Record(identifier="R-1", sha256="c" * 64)
        s.add(rec)
        s.flush()
        set_record_tag(s, rec.id, get_or_create_tags(s, ["Barns"])["Barns"], TagState.SUGGESTED, score=0.9)
        rid = rec.id
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD_ROW, catalogue.location, str(catalogue.media_root)],
        env=child_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdin is not None
        read_until(child.stdout, "LOCKED")
        monkeypatch.setenv("HERITAGE_TAGGER_BUSY_TIMEOUT", "1")
        with open_catalogue(catalogue.location) as impatient:
            with pytest.raises(
                CatalogueBusyError, match="is busy: another reviewer's change kept the same rows"
            ):
                review.accept(impatient, rid, "Barns", "ann", seen=1)
            assert browse.record_details(impatient, rid).tags_by_label["Barns"] is TagState.SUGGESTED
            child.stdin.write("done\n")
            child.stdin.flush()
            assert child.wait(timeout=60) == 0
            review.accept(impatient, rid, "Barns", "ann", seen=1)  # nothing was lost: it works now
            assert [d.reviewer for d in review.decisions_for(impatient, rid)] == ["ann"]
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=60)


CREATE = (
    "import sys\n"
    "from heritage_tagger.services.catalogue import open_catalogue\n"
    "print('READY', flush=True)\n"
    "sys.stdin.readline()\n"
    "open_catalogue(sys.argv[1], media_root=sys.argv[2]).close()\n"
    "print('OPENED', flush=True)\n"
)


def test_4_processes_creating_the_same_team_catalogue_do_not_race(
    new_database: Callable[[], str], tmp_path: Path
) -> None:
    url = new_database()
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CREATE, url, str(tmp_path / "media")],
            env=child_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for child in children:
        assert child.stdout is not None
        read_until(child.stdout, "READY")
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    results = [child.communicate(timeout=120) for child in children]
    assert [c.returncode for c in children] == [0] * 4, [err for _, err in results]
    with open_catalogue(url) as cat:
        from heritage_tagger.db.migrate import current_revision, head_revision
        from heritage_tagger.services.media import read_marker

        assert current_revision(cat.engine) == head_revision()
        assert cat.media_root == tmp_path / "media" and read_marker(tmp_path / "media") is not None


def test_the_command_line_says_what_is_wrong_with_a_server(
    new_database: Callable[[], str], tmp_path: Path
) -> None:
    url = new_database()
    assert_clean_failure(run(url, "stats"), "There is no catalogue in", url.rsplit("/", 1)[1])
    assert_clean_failure(run(url, "synth", "2"), "has no media folder yet", "--media-root FOLDER")
    missing = url.rsplit("/", 1)[0] + "/no_such_catalogue"
    assert_clean_failure(run(missing, "stats"), "does not exist on its server", "ask the administrator")
    assert run(url, "--media-root", tmp_path / "media", "synth", "2").returncode == 0
    result = run(url, "stats", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["records"] == 2

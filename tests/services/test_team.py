"""Reviewers on one catalogue never overwrite each other: tag states carry versions, a decision on a stale state
is refused naming the other reviewer's, writers race through a compare-and-set; one training at a time.

Every test here runs on SQLite, and with ``--engine=postgresql`` on a team catalogue: the two
"reviewers" are two catalogues opened on the same file or database, as two processes would.
"""

from __future__ import annotations

import os
import socket
import threading
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

from heritage_tagger.db import tables
from heritage_tagger.domain.errors import StaleStateError, TrainingLockedError
from heritage_tagger.domain.records import DecisionAction, TagState
from heritage_tagger.services import browse, review, team
from heritage_tagger.services.catalogue import Catalogue, open_catalogue
from heritage_tagger.services.review import Offered, ReviewError


@pytest.fixture
def record_id(catalogue: Catalogue) -> int:
    from heritage_tagger.db.tagging import get_or_create_tags, set_record_tag

    with catalogue.session() as s:
        rec = tables.Record(identifier="REC-7", sha256="b" * 64, title="Farm")
        s.add(rec)
        s.flush()
        tags = get_or_create_tags(s, ["Barns", "Farms", "Horses"])
        set_record_tag(s, rec.id, tags["Barns"], TagState.SUGGESTED, score=0.9, source="model")
        set_record_tag(s, rec.id, tags["Farms"], TagState.SUGGESTED, score=0.7, source="model")
        set_record_tag(s, rec.id, tags["Horses"], TagState.ACCEPTED, source="reviewer")
        return rec.id


@pytest.fixture
def teammate(catalogue: Catalogue) -> Iterator[Catalogue]:
    """The same catalogue opened a second time: another reviewer's program."""
    other = open_catalogue(catalogue.location)
    yield other
    other.close()


def seen(catalogue: Catalogue, record_id: int, label: str) -> int:
    """The version of the tag's state a reviewer sees in the record's details (0: not on the record)."""
    details = browse.record_details(catalogue, record_id)
    return next((t.version for t in details.record.tags if t.label == label), 0)


def states(catalogue: Catalogue, record_id: int) -> dict[str, TagState]:
    return browse.record_details(catalogue, record_id).tags_by_label


def test_every_change_raises_the_version(catalogue: Catalogue, record_id: int) -> None:
    before = seen(catalogue, record_id, "Barns")
    decision = review.accept(catalogue, record_id, "Barns", "ann", seen=before)
    assert seen(catalogue, record_id, "Barns") == before + 1
    review.undo(catalogue, decision.id or 0, "ann")
    assert seen(catalogue, record_id, "Barns") == before + 2
    assert seen(catalogue, record_id, "Cows") == 0


def test_a_decision_on_a_state_changed_since_is_refused_naming_the_other_decision(
    catalogue: Catalogue, teammate: Catalogue, record_id: int
) -> None:
    ann_saw = seen(catalogue, record_id, "Barns")
    review.reject(teammate, record_id, "Barns", "bob", seen=seen(teammate, record_id, "Barns"))
    with pytest.raises(StaleStateError) as refused:
        review.accept(catalogue, record_id, "Barns", "ann", seen=ann_saw)
    message = str(refused.value)
    assert "bob rejected “Barns” on REC-7 at " in message
    assert "it is now rejected" in message and "Your decision was not saved" in message
    assert refused.value.record_id == record_id and refused.value.label == "Barns"
    assert states(catalogue, record_id)["Barns"] is TagState.REJECTED
    log = review.decisions_for(catalogue, record_id)
    assert [(d.reviewer, d.action) for d in log] == [("bob", DecisionAction.REJECT)]


def test_no_silent_double_accept_of_a_live_suggestion(
    catalogue: Catalogue, teammate: Catalogue, record_id: int
) -> None:
    """Both reviewers see the model's live suggestion "Fields" (not stored yet, version 0); bob accepts first."""
    offered = Offered("Fields", 0.6, None)
    review.accept(teammate, record_id, "Fields", "bob", offered, seen=0)
    with pytest.raises(StaleStateError, match="bob accepted “Fields”"):
        review.accept(catalogue, record_id, "Fields", "ann", offered, seen=0)
    with pytest.raises(StaleStateError, match="bob accepted “Fields”"):
        review.add(catalogue, record_id, "Fields", "ann", seen=0)
    accepts = [d for d in review.decisions_for(catalogue, record_id) if d.label == "Fields"]
    assert [(d.reviewer, d.action) for d in accepts] == [("bob", DecisionAction.ACCEPT)]


def test_remove_and_accept_all_check_what_the_reviewer_saw(
    catalogue: Catalogue, teammate: Catalogue, record_id: int
) -> None:
    horses = seen(catalogue, record_id, "Horses")
    shown = {label: seen(catalogue, record_id, label) for label in ("Barns", "Farms")}
    review.remove(teammate, record_id, "Horses", "bob", seen=horses)
    with pytest.raises(StaleStateError, match="bob removed “Horses”"):
        review.remove(catalogue, record_id, "Horses", "ann", seen=horses)
    review.accept(teammate, record_id, "Farms", "bob", seen=shown["Farms"])
    offered = [Offered("Barns", 0.9), Offered("Farms", 0.7)]
    with pytest.raises(StaleStateError, match="bob accepted “Farms”"):
        review.accept_all(catalogue, record_id, offered, "ann", seen=shown)
    assert states(catalogue, record_id)["Barns"] is TagState.SUGGESTED  # all or nothing
    assert not [d for d in review.decisions_for(catalogue, record_id) if d.reviewer == "ann"]


def test_without_a_seen_version_decisions_work_as_before(catalogue: Catalogue, record_id: int) -> None:
    review.accept(catalogue, record_id, "Barns", "ann")
    with pytest.raises(ReviewError, match="not a pending suggestion"):
        review.accept(catalogue, record_id, "Barns", "ann")


def test_a_removed_tag_added_again_never_repeats_a_version(
    catalogue: Catalogue, teammate: Catalogue, record_id: int
) -> None:
    """ann sees "Cows" added by bob; bob undoes it and adds it again: ann's remove is refused, not applied."""
    added = review.add(teammate, record_id, "Cows", "bob", seen=0)
    ann_saw = seen(catalogue, record_id, "Cows")
    review.undo(teammate, added.id or 0, "bob")
    review.add(teammate, record_id, "Cows", "bob", seen=0)
    assert seen(catalogue, record_id, "Cows") != ann_saw
    with pytest.raises(StaleStateError, match="bob added “Cows”"):
        review.remove(catalogue, record_id, "Cows", "ann", seen=ann_saw)


def test_a_writer_that_read_a_row_before_another_changed_it_loses_the_compare_and_set(
    catalogue: Catalogue, teammate: Catalogue, record_id: int
) -> None:
    """The race inside two transactions: ann's transaction read "Barns" (suggested), bob's rejects it and
    commits, then ann's write says WHERE version = <the version read> and finds no row."""
    from heritage_tagger.db import tagging

    with pytest.raises(StaleStateError, match="bob rejected “Barns”"), catalogue.session() as session:
        row = tagging.tag_state_row(session, record_id, "Barns")
        assert row is not None and row.state == "suggested"
        review.reject(teammate, record_id, "Barns", "bob")
        tagging.set_tag_state(
            session, record_id, "Barns", TagState.ACCEPTED, score=row.score, source=row.source, version=None
        )
    assert states(catalogue, record_id)["Barns"] is TagState.REJECTED


def test_concurrent_reviewers_lose_no_update(catalogue: Catalogue, teammate: Catalogue) -> None:
    """Four threads (two per catalogue) accept or reject the same 30 suggestions, each on the version it read.

    Every decision that was saved is in the log; replayed per tag, each entry starts from the state
    the one before left (no lost update); no suggestion is decided twice; the tags' states are the
    log's last word.
    """
    from heritage_tagger.db.tagging import get_or_create_tags, set_record_tag

    with catalogue.session() as s:
        tags = get_or_create_tags(s, ["Barns"])
        ids = []
        for i in range(30):
            rec = tables.Record(identifier=f"C-{i:02d}", sha256=f"{i:064x}")
            s.add(rec)
            s.flush()
            set_record_tag(s, rec.id, tags["Barns"], TagState.SUGGESTED, score=0.5, source="model")
            ids.append(rec.id)
    outcomes: dict[str, list[str]] = defaultdict(list)
    lock = threading.Lock()

    def reviewer(cat: Catalogue, name: str, action: str) -> None:
        for rid in ids:
            try:
                version = seen(cat, rid, "Barns")
                if action == "accept":
                    review.accept(cat, rid, "Barns", name, seen=version)
                else:
                    review.reject(cat, rid, "Barns", name, seen=version)
                result = "saved"
            except (StaleStateError, ReviewError) as exc:
                result = type(exc).__name__
            except Exception as exc:  # noqa: BLE001 - a busy SQLite write is a refusal too, reported below
                result = f"other: {exc}"
            with lock:
                outcomes[name].append(result)

    threads = [
        threading.Thread(target=reviewer, args=(cat, name, action))
        for cat, name, action in (
            (catalogue, "ann", "accept"),
            (teammate, "bob", "reject"),
            (catalogue, "cy", "reject"),
            (teammate, "dee", "accept"),
        )
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    saved = sum(r == "saved" for results in outcomes.values() for r in results)
    assert all(not r.startswith("other") or "busy" in r for results in outcomes.values() for r in results)
    log = review.decisions_for(catalogue)
    assert len(log) == saved == len(ids)  # exactly one decision per suggestion won
    by_record: dict[int, list] = defaultdict(list)
    for d in log:
        by_record[d.record_id].append(d)
    for rid in ids:
        (decision,) = by_record[rid]
        assert decision.previous_state is TagState.SUGGESTED
        assert states(catalogue, rid)["Barns"] is decision.new_state


def test_teammates_changes_are_read_since_the_last_look(
    catalogue: Catalogue, teammate: Catalogue, record_id: int
) -> None:
    start = team.newest_decision_id(catalogue)
    review.accept(catalogue, record_id, "Farms", "ann")
    review.reject(teammate, record_id, "Barns", "bob")
    found = team.changes_since(catalogue, start, "ann")
    assert [(c.reviewer, c.label, c.action) for c in found.changes] == [("bob", "Barns", "reject")]
    assert found.record_ids == [record_id] and found.newest_id == team.newest_decision_id(catalogue)
    assert found.changes[0].note().startswith("Updated by bob: rejected “Barns” on REC-7 at ")
    assert team.changes_since(catalogue, found.newest_id, "ann").changes == []


def test_one_training_at_a_time_says_who_trains_and_since_when(
    catalogue: Catalogue, teammate: Catalogue
) -> None:
    from heritage_tagger.services.model_versions import activate
    from heritage_tagger.services.training import train_catalogue, training_lock

    catalogue.user, teammate.user = "ann", "bob"
    with training_lock(catalogue):
        with pytest.raises(TrainingLockedError) as refused:
            train_catalogue(teammate, backbone="tiny", device="cpu")
        message = str(refused.value)
        assert message.startswith("Another training of this catalogue is running: ann started it at ")
        assert f"on {socket.gethostname()})" in message and f"process {os.getpid()}" in message
        with pytest.raises(TrainingLockedError, match=r"ann started it .* Activate a model version when"):
            activate(teammate, "v0001-none")
    with training_lock(teammate):  # given back: the next one takes it
        pass


def test_a_job_of_another_computer_is_left_running(catalogue: Catalogue) -> None:
    from heritage_tagger.services.jobs import recover_stale_jobs

    with catalogue.session() as s:
        s.add_all(
            [
                tables.Job(kind="import", status="running", pid=2**22 + 7, host="teammates-pc"),
                tables.Job(kind="import", status="running", pid=2**22 + 7, host=socket.gethostname()),
                tables.Job(kind="import", status="running", pid=2**22 + 7, host=None),  # before 0006
            ]
        )
    assert recover_stale_jobs(catalogue) == 2
    with catalogue.session() as s:
        statuses = {j.host: j.status for j in s.query(tables.Job)}
    assert statuses == {"teammates-pc": "running", socket.gethostname(): "failed", None: "failed"}


def test_an_unreachable_server_is_one_sentence(tmp_path: Path) -> None:
    """No server needed: nothing listens on port 1."""
    from heritage_tagger.domain.errors import CatalogueError

    with pytest.raises(CatalogueError) as refused:
        open_catalogue("postgresql://ann:secret@127.0.0.1:1/photos", media_root=tmp_path)
    message = str(refused.value)
    assert message.startswith(
        "Cannot reach the server of the team catalogue postgresql://ann:***@127.0.0.1:1/photos"
    )
    assert "secret" not in message and "check that the server is running" in message


def test_a_checked_version_holds_for_the_whole_decision(
    catalogue: Catalogue, teammate: Catalogue, record_id: int
) -> None:
    """ann's decision checked the version she saw; bob's accept commits before her write: her reads in the
    same transaction still give the state she checked, and her write is refused, naming bob's decision."""
    import gc

    from heritage_tagger.db import tagging

    ann_saw = seen(catalogue, record_id, "Barns")
    with pytest.raises(StaleStateError, match="bob accepted “Barns”"), catalogue.session() as session:
        tagging.check_version(session, record_id, "Barns", ann_saw)
        review.accept(teammate, record_id, "Barns", "bob")
        gc.collect()
        row = tagging.tag_state_row(session, record_id, "Barns")
        assert row is not None and row.state == "suggested" and row.version == ann_saw
        tagging.set_tag_state(
            session, record_id, "Barns", TagState.REJECTED, score=None, source="", version=None
        )
    assert [d.reviewer for d in review.decisions_for(catalogue, record_id)] == ["bob"]


def test_without_the_driver_a_team_catalogue_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from heritage_tagger.domain.errors import CatalogueError

    monkeypatch.setitem(
        sys.modules, "psycopg", None
    )  # as if `pip install 'heritage-tagger[postgres]'` never ran
    with pytest.raises(CatalogueError, match=r"need the psycopg driver.*heritage-tagger\[postgres\]"):
        open_catalogue("postgresql://ann@127.0.0.1:1/photos", media_root=tmp_path)

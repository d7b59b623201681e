"""A team catalogue on PostgreSQL: its shared media root, paths relative to it, and moving a catalogue between
an SQLite file and a server with ``migrate_catalogue`` (run with ``--engine=postgresql``)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from heritage_tagger.domain.errors import CatalogueError
from heritage_tagger.domain.records import TagState
from heritage_tagger.services import browse, review
from heritage_tagger.services.catalogue import open_catalogue
from heritage_tagger.services.importing import import_folder
from heritage_tagger.services.media import MARKER, read_marker
from heritage_tagger.services.migrating import migrate_catalogue
from heritage_tagger.services.model_versions import active_version
from heritage_tagger.services.suggesting import suggest_for_record
from tests.factories import catalogue_sql, fast_settings

pytestmark = pytest.mark.postgresql


def test_a_new_team_catalogue_needs_a_media_root_and_records_it(
    new_database: Callable[[], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HERITAGE_TAGGER_MEDIA_ROOT", raising=False)
    url = new_database()
    with pytest.raises(CatalogueError, match="has no media folder yet: give the shared folder"):
        open_catalogue(url)
    share = tmp_path / "share" / "photos-media"
    with open_catalogue(url, media_root=share) as cat:
        assert cat.team and cat.media_root == share and cat.workspace.root == share
        assert cat.workspace.thumbnails == share / "thumbnails" and cat.path == share / MARKER
        marker = read_marker(share)
        assert marker is not None
    with open_catalogue(url) as again:  # recorded: found without being told
        assert again.media_root == share
    # another computer mounts the share elsewhere: its marker proves it is the same folder
    elsewhere = tmp_path / "mnt" / "team"
    elsewhere.parent.mkdir()
    elsewhere.symlink_to(share)
    with open_catalogue(url, media_root=elsewhere) as mounted:
        assert mounted.media_root == elsewhere
    stranger = tmp_path / "stranger"
    stranger.mkdir()
    with pytest.raises(CatalogueError, match=r"is not .* its media folder: the media folder of the team"):
        open_catalogue(url, media_root=stranger)
    shutil.move(share, tmp_path / "moved")  # the share is not mounted
    with pytest.raises(CatalogueError, match="is not reachable from this computer"):
        open_catalogue(url)


def test_a_media_folder_of_another_catalogue_is_refused(
    new_database: Callable[[], str], tmp_path: Path
) -> None:
    share = tmp_path / "share"
    with open_catalogue(new_database(), media_root=share):
        pass
    with pytest.raises(CatalogueError, match="already the media folder of another team catalogue"):
        open_catalogue(new_database(), media_root=share)


def test_images_under_the_media_root_are_stored_relative_to_it(
    catalogue, make_image: Callable[..., Path], tmp_path: Path
) -> None:
    root = catalogue.media_root
    inside = root / "images" / "box 12"
    for k in range(2):
        make_image(inside / f"p{k}.png", colour=(40 * k, 90, 120), pattern=k)
    outside = make_image(tmp_path / "elsewhere" / "q.png", colour=(200, 10, 10))
    import_folder(catalogue, inside)
    import_folder(catalogue, outside.parent)
    with catalogue_sql(catalogue) as db:
        stored = sorted(r[0] for r in db.execute("SELECT source_path FROM records"))
    assert stored == sorted(["images/box 12/p0.png", "images/box 12/p1.png", str(outside)])
    first = browse.ordered_ids(catalogue, browse.BrowseFilter())[0]
    details = browse.record_details(catalogue, first)
    assert Path(details.record.source_path).is_file()  # resolved on this computer
    assert Path(catalogue.file_path("images/box 12/p0.png")) == inside / "p0.png"


def test_migrate_to_postgresql_and_back_keeps_every_row_and_the_log(
    trained_catalogue_template: Path, new_database: Callable[[], str], tmp_path: Path
) -> None:
    url = new_database()
    there = migrate_catalogue(trained_catalogue_template, url, media_root=tmp_path / "media")
    assert there.rows["records"] == 26 and there.files_copied > 0
    with open_catalogue(url, settings=fast_settings()) as team:
        info = active_version(team)
        assert info is not None and info.bundle_path.is_relative_to(tmp_path / "media" / "models")
        rid = browse.ordered_ids(team, browse.BrowseFilter())[0]
        prediction = suggest_for_record(team, rid)  # the copied bundle and features work
        label, score = prediction.model_tags[0]
        offered = review.Offered(label, score, prediction.model_version)
        if browse.record_details(team, rid).tags_by_label.get(label) is None:
            review.accept(team, rid, label, "ann", offered, seen=0)
        review.add(team, rid, "Lighthouses", "bob", seen=0)
        log = review.decisions_for(team)
        with team.session() as s:  # ids continue after the copied ones
            from heritage_tagger.db import decisions

            assert decisions.latest_id(s) == len(log) >= 1
        n_record_tags = sum(len(browse.record_details(team, i).record.tags) for i in browse.ordered_ids(
            team, browse.BrowseFilter(state=browse.RecordState.ALL)))  # fmt: skip
    back = migrate_catalogue(url, tmp_path / "back" / "photos.sqlite")
    assert back.rows == {
        **there.rows,
        "tags": there.rows["tags"] + 1,  # "Lighthouses"
        "decisions": len(log),
        "record_tags": n_record_tags,
    }
    with open_catalogue(tmp_path / "back" / "photos.sqlite", settings=fast_settings()) as plain:
        assert not plain.team
        info = active_version(plain)
        assert (
            info is not None
            and info.bundle_path == tmp_path / "back" / "photos.heritage" / "models" / info.version
        )
        assert browse.record_details(plain, rid).tags_by_label["Lighthouses"] is TagState.ACCEPTED
        assert review.decisions_for(plain) == log  # the log, entry for entry
        suggest_for_record(plain, rid)


def test_migrate_refuses_a_destination_that_holds_a_catalogue(
    trained_catalogue_template: Path, new_database: Callable[[], str], tmp_path: Path
) -> None:
    url = new_database()
    migrate_catalogue(trained_catalogue_template, url, media_root=tmp_path / "media")
    with pytest.raises(CatalogueError, match=r"already holds a catalogue \(\d+ rows\).*nothing was changed"):
        migrate_catalogue(trained_catalogue_template, url)


def test_a_cancelled_migration_leaves_the_destination_empty(
    trained_catalogue_template: Path, new_database: Callable[[], str], tmp_path: Path
) -> None:
    from heritage_tagger.db.transfer import content_rows
    from heritage_tagger.domain.errors import CancelledError
    from heritage_tagger.domain.progress import CancelToken, Progress

    url = new_database()
    token = CancelToken()

    def progress(p: Progress) -> None:
        if p.stage == "copying rows" and p.message == "records":
            token.cancel()

    with pytest.raises(CancelledError):
        migrate_catalogue(
            trained_catalogue_template, url, media_root=tmp_path / "m", progress=progress, cancel=token
        )
    with open_catalogue(url) as cat:
        assert content_rows(cat.engine) == 0

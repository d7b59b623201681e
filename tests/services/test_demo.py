"""The demo collection shipped in the package: complete and small, and imported into its own catalogue."""

from __future__ import annotations

import csv
from pathlib import Path

from PIL import Image

from heritage_tagger.services import demo
from heritage_tagger.services.catalogue import open_catalogue
from heritage_tagger.services.stats import catalogue_stats
from heritage_tagger.settings import user_data_dir

FIELDS = ["id", "file", "title", "description", "location", "date", "creator", "tags"]


def test_the_sample_is_complete_and_within_its_limits() -> None:
    folder = demo.demo_sample_dir()
    with (folder / "records.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == FIELDS
        rows = list(reader)
    assert 20 <= len(rows) <= 40
    assert len({r["id"] for r in rows}) == len(rows)
    images = sorted((folder / "images").iterdir())
    assert sorted(folder / r["file"] for r in rows) == images  # every row's photo, and nothing else
    for path in images:
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image:
            assert (
                image.format == "JPEG" and max(image.size) <= 384 and min(image.size) >= 32
            )  # a panorama is 384 x 58
    total = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert total < 2_000_000
    untagged = [r for r in rows if not r["tags"]]
    assert 5 <= len(untagged) <= 10  # photos that need suggestions; the rest teach the model
    both = {r["id"].split("-")[0] for r in rows}
    assert both == {"epa", "loc"}
    rights = (folder / "RIGHTS.md").read_text(encoding="utf-8")
    assert "public domain" in rights and "Library of Congress" in rights
    assert all(f"`{r['id']}`" in rights for r in rows)  # the source of each photo


def test_the_demo_catalogue_is_created_in_the_data_dir_and_imported_once() -> None:
    path = demo.demo_catalogue_path()
    assert path.parent.parent == user_data_dir() and not path.exists()
    expected = demo.sample_records()
    status = demo.prepare_demo()
    assert status.path == path.resolve() and path.is_file()
    assert status.records == status.imported_now == len(expected)
    assert not status.has_model  # no model is shipped: the first use trains one
    photos = path.parent / "photos"
    assert (photos / "RIGHTS.md").is_file() and len(list((photos / "images").glob("*.jpg"))) == len(expected)
    with open_catalogue(path) as cat:
        stats = catalogue_stats(cat)
        assert stats.records_without_tags == sum(1 for r in expected if not r["tags"])
        assert stats.tags_in_use > 20
        from heritage_tagger.services.browse import record_details

        assert status.first_untagged is not None
        details = record_details(cat, status.first_untagged)
        assert details.record.identifier in {r["id"] for r in expected if not r["tags"]}
        assert not details.record.source_path.startswith(str(demo.demo_sample_dir()))  # never the package
    again = demo.prepare_demo()
    assert again.imported_now == 0 and again.records == len(expected)


def test_a_missing_sample_is_said_in_words(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(demo, "resources_dir", lambda: tmp_path)
    try:
        demo.demo_sample_dir()
    except demo.DemoError as exc:
        assert "missing from this installation" in str(exc)
    else:
        raise AssertionError("a missing sample must be refused")

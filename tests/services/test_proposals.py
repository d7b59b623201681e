"""What is proposed and stored: the record's text read, caption-named catalogue tags, "no confident
suggestion" recorded for the review queue, and what a new batch's tags look like to the model."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from tests.factories import CLASSES, catalogue_sql

MakeImage = Callable[..., Path]
NewPhotos = Callable[..., Path]


def write_batch(folder: Path, make_image: MakeImage) -> Path:
    """Four photos of the harbour class with a manifest: two catalogued "Lighthouses" (named in their
    captions), one whose caption names a lighthouse and has no tags, one with no text at all."""
    colour = CLASSES[2][0]
    folder.mkdir(parents=True, exist_ok=True)
    rows = [
        ("L1", "Lighthouse on the point", "Lighthouses|Boats"),
        ("L2", "The old lighthouse and boats", "Lighthouses"),
        ("L3", "A lighthouse at dusk", ""),
        ("L4", "", ""),
    ]
    with (folder / "records.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "file", "title", "description", "location", "date", "creator", "tags"])
        for k, (identifier, caption, tags) in enumerate(rows):
            make_image(folder / f"{identifier}.png", colour=colour, size=(40, 32), pattern=40 + k)
            writer.writerow([identifier, f"{identifier}.png", caption, caption, "", "", "", tags])
    return folder


def test_caption_named_catalogue_tags_are_candidates_with_their_source(
    trained: object, tmp_path: Path, make_image: MakeImage
) -> None:
    from heritage_tagger.services.annotating import import_and_annotate
    from heritage_tagger.services.suggesting import catalogue_lexicon, suggest_for_record

    folder = write_batch(tmp_path / "box", make_image)
    _, report = import_and_annotate(trained, folder)
    assert "Lighthouses" in catalogue_lexicon(trained).labels_in("lighthouses")  # the new tag is a candidate
    prediction = suggest_for_record(trained, "L3", target_precision=0.0)
    assert prediction.read_text
    tags = dict(prediction.model_tags)
    assert "Lighthouses" in tags and prediction.source_of("Lighthouses") == "caption"
    assert 0.0 < tags["Lighthouses"] < 1.0
    silent = suggest_for_record(trained, "L4", target_precision=0.0)
    assert not silent.read_text and "Lighthouses" not in dict(silent.model_tags)
    data = prediction.as_dict()
    assert {item["source"] for item in data["model_tags"]} <= {"image", "neighbours", "caption"}

    coverage = report.coverage
    assert coverage is not None and coverage.tags == 2  # Boats and Lighthouses came with the batch
    assert coverage.known_to_model == 1  # Boats is in the model's vocabulary, Lighthouses is new
    # Lighthouses is named in both its photos' captions; Boats is catalogued on L1, whose caption says nothing of boats
    assert coverage.named_in_captions == 1 and coverage.neither == 0
    assert coverage.assignments == 3 and coverage.assignments_named == 2
    assert report.as_dict()["coverage"]["tags"] == 2


def test_no_confident_suggestion_stores_nothing_and_is_recorded_for_the_queue(
    trained: object, tmp_path: Path, new_photos: NewPhotos
) -> None:
    from heritage_tagger.db import suggestions as queries
    from heritage_tagger.services.annotating import import_and_annotate

    settings = trained.settings  # type: ignore[attr-defined]
    trained.settings = replace(settings, model=replace(settings.model, target_precision=1.01))  # type: ignore[attr-defined]
    imported, report = import_and_annotate(trained, new_photos(tmp_path / "box", per_class=2))
    assert report.suggestions == 0 and report.outcomes == {"no_confident_suggestion": 6}
    assert report.as_dict()["no_confident_suggestion"] == 6
    with trained.session() as session:  # type: ignore[attr-defined]
        unsure = queries.records_with_outcome(session, "no_confident_suggestion", [imported.batch_id])
        assert sorted(unsure) == sorted(imported.imported_record_ids)
    with catalogue_sql(trained) as db:
        assert db.execute("SELECT count(*) FROM record_tags WHERE state = 'suggested'").scalar() == 0
        threshold = db.execute("SELECT DISTINCT threshold FROM suggestion_outcomes").fetchall()
    assert [tuple(row) for row in threshold] == [
        (None,)
    ]  # no probability reached 101% precision on validation

    trained.settings = settings  # type: ignore[attr-defined]
    from heritage_tagger.services.annotating import annotate_batch

    assert imported.batch_id is not None
    again = annotate_batch(trained, imported.batch_id)
    assert again.outcomes.get("no_confident_suggestion", 0) < 6  # the usual target proposes for some
    with catalogue_sql(trained) as db:
        scores = db.execute(
            "SELECT t.score, o.threshold FROM record_tags t JOIN suggestion_outcomes o ON o.record_id = t.record_id "
            "WHERE t.state = 'suggested'"
        ).fetchall()
    assert scores and all(score >= threshold for score, threshold in scores)  # nothing below its threshold


def test_a_vocabularys_concepts_are_candidates_named_by_any_of_their_labels(
    trained: object, tmp_path: Path, make_image: MakeImage
) -> None:
    """With a vocabulary active, the lexical pathway proposes a concept the catalogue has never used when a
    caption names it by its preferred or alternative label, and a tag linked to a concept is found by the
    concept's labels too; switching the vocabulary off takes its concepts out again."""
    from heritage_tagger.domain.records import TagState
    from heritage_tagger.services import tag_links
    from heritage_tagger.services import vocabularies as vocab
    from heritage_tagger.services.annotating import import_and_annotate
    from heritage_tagger.services.suggesting import catalogue_lexicon, suggest_for_record
    from tests.factories import add_tagged_record
    from tests.vocab.samples import write_skos

    before = catalogue_lexicon(trained)
    assert before.labels_in("Horse racing at the fair") == []
    vocab.import_vocabulary(trained, write_skos(tmp_path / "vocab"))
    add_tagged_record(trained, "w1", {"woman": TagState.CATALOGUED})
    tag_links.link_tags(trained)
    lexicon = catalogue_lexicon(trained)
    assert lexicon is not before  # rebuilt: the vocabulary and a tag changed
    assert lexicon.labels_in("Horse racing at the fair") == ["Horse racing"]
    assert lexicon.labels_in("Two females by the gate") == ["woman"]  # the catalogue's tag, by an alt label
    assert lexicon.labels_in("The USA pavilion") == ["United States"]

    folder = tmp_path / "box"
    folder.mkdir()
    make_image(folder / "H1.png", colour=CLASSES[0][0], size=(40, 32), pattern=7)
    (folder / "records.csv").write_text(
        "id,file,title,description,location,date,creator,tags\nH1,H1.png,Horse racing at the county fair,,,,,\n",
        encoding="utf-8",
    )
    import_and_annotate(trained, folder)
    prediction = suggest_for_record(trained, "H1", target_precision=0.0)
    assert "Horse racing" in dict(prediction.model_tags)
    assert prediction.source_of("Horse racing") == "caption"

    vocab.set_active(trained, "Example subjects", False)
    assert catalogue_lexicon(trained).labels_in("Horse racing at the fair") == []


def test_a_tag_the_record_carries_is_never_proposed_again(trained: object) -> None:
    """suggest_for_record: a confident tag the record already carries is shown, not proposed, and takes
    no other tag's place; the photo is then not 'no confident suggestion'."""
    from heritage_tagger.services.suggesting import suggest_for_record

    first = suggest_for_record(trained, 1, target_precision=0.0)
    carried = {t for t, _ in first.existing_tags}
    assert carried and not carried & {t for t, _ in first.proposed}
    top = [t for t, _ in first.model_tags[: first.propose_count]]
    assert [t for t, _ in first.proposed] == [t for t in top if t not in carried]
    if set(top) <= carried:
        assert not first.no_confident_suggestion

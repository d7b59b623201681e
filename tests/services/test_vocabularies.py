"""Vocabulary import into a catalogue (three SKOS syntaxes, TSV, CSV), replace, cancel, remove, look-up, links."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from heritage_tagger.db import tables
from heritage_tagger.domain.errors import CancelledError, VocabularyError
from heritage_tagger.domain.progress import CancelToken, Progress
from heritage_tagger.domain.records import TagState
from heritage_tagger.domain.vocabulary import LabelKind, MatchHow
from heritage_tagger.services import tag_links
from heritage_tagger.services import vocabularies as vocab
from tests.factories import add_tagged_record
from tests.vocab.samples import EX, N_CONCEPTS, write_csv, write_skos, write_tsv

add_record = add_tagged_record


def counts(catalogue) -> dict[str, int]:
    with catalogue.session() as s:
        return {
            t.__tablename__: s.scalar(select(func.count()).select_from(t)) or 0
            for t in (tables.Vocabulary, tables.Concept, tables.ConceptLabel, tables.ConceptRelation)
        }


def linked(catalogue) -> dict[str, str | None]:
    with catalogue.session() as s:
        rows = s.execute(
            select(tables.Tag.label, tables.Concept.uri).outerjoin(
                tables.Concept, tables.Concept.id == tables.Tag.concept_id
            )
        )
        return {label: uri for label, uri in rows}


@pytest.mark.parametrize("fmt", ["turtle", "xml", "nt"])
def test_skos_import_links_tags_and_reports_the_rest(catalogue, tmp_path: Path, fmt: str) -> None:
    add_record(
        catalogue,
        "r1",
        {"Women": TagState.CATALOGUED, "united states": TagState.ACCEPTED, "Boats": TagState.CATALOGUED},
    )
    add_record(
        catalogue,
        "r2",
        {"woman": TagState.ACCEPTED, "Mercury": TagState.CATALOGUED, "Boats": TagState.ACCEPTED},
    )
    add_record(catalogue, "r3", {"Moms": TagState.SUGGESTED, "Cats": TagState.REJECTED})
    seen: list[Progress] = []
    report = vocab.import_vocabulary(catalogue, write_skos(tmp_path, fmt), progress=seen.append)
    assert report.concepts == N_CONCEPTS and report.relations == 4 and report.external_relations == 0
    assert report.vocabulary.name == "Example subjects" and report.vocabulary.language == "en"
    assert report.vocabulary.status == "ready" and not report.replaced
    assert {"Saving concepts", "Saving the hierarchy", "Linking tags"} <= {p.stage for p in seen}
    links = linked(catalogue)
    assert links["Women"] == links["woman"] == f"{EX}women"  # plural and case
    assert links["united states"] == f"{EX}us"  # a name, matched without lemmas
    assert links["Moms"] == f"{EX}mothers"  # alt label; suggestions are linked too
    assert links["Cats"] == f"{EX}chat"
    assert links["Boats"] is None and links["Mercury"] is None
    link = report.link
    assert link is not None and link.linked == 5
    assert [(t.label, t.records) for t in link.unlinked] == [("Boats", 2)]
    assert [(a.label, sorted(c.uri for c in a.candidates)) for a in link.ambiguous] == [
        ("Mercury", [f"{EX}element", f"{EX}planet"])
    ]


def test_tsv_and_csv_imports_sit_side_by_side(catalogue, tmp_path: Path) -> None:
    tsv = vocab.import_vocabulary(catalogue, write_tsv(tmp_path), language="en")
    csv = vocab.import_vocabulary(catalogue, write_csv(tmp_path), name="Local subjects")
    assert (tsv.vocabulary.name, tsv.concepts) == ("subjects", 3)
    assert (csv.vocabulary.name, csv.concepts, csv.relations) == ("Local subjects", 4, 2)
    assert csv.warnings and "no URI" in csv.warnings[0]
    assert [v.name for v in vocab.list_vocabularies(catalogue)] == ["subjects", "Local subjects"]
    # the same concept in two vocabularies: the first imported wins, not ambiguous
    found = vocab.concept_for_label(catalogue, "females")
    assert found is not None and found.vocabulary == "subjects"
    assert [m.concept.vocabulary for m in vocab.match(catalogue, "Females")] == ["subjects", "Local subjects"]


def test_a_second_import_of_the_same_name_needs_replace_and_keeps_links(catalogue, tmp_path: Path) -> None:
    add_record(catalogue, "r1", {"Women": TagState.CATALOGUED})
    path = write_skos(tmp_path)
    vocab.import_vocabulary(catalogue, path)
    with pytest.raises(VocabularyError, match="already has a vocabulary named 'Example subjects'"):
        vocab.import_vocabulary(catalogue, path)
    again = vocab.import_vocabulary(catalogue, path, replace=True, link=False)
    assert again.replaced and len(vocab.list_vocabularies(catalogue)) == 1
    assert linked(catalogue)["Women"] == f"{EX}women"  # moved to the new concept of the same URI
    assert counts(catalogue)["concepts"] == N_CONCEPTS


def test_a_cancelled_import_leaves_nothing_and_the_old_vocabulary_intact(catalogue, tmp_path: Path) -> None:
    vocab.import_vocabulary(catalogue, write_skos(tmp_path))
    before = counts(catalogue)
    token = CancelToken()

    def cancel_while_saving(p: Progress) -> None:
        if p.stage == "Saving concepts":
            token.cancel()

    with pytest.raises(CancelledError):
        vocab.import_vocabulary(
            catalogue, write_skos(tmp_path), replace=True, progress=cancel_while_saving, cancel=token
        )
    assert counts(catalogue) == before
    assert [v.status for v in vocab.list_vocabularies(catalogue)] == ["ready"]


def test_remove_unlinks_tags_and_deletes_everything(catalogue, tmp_path: Path) -> None:
    add_record(catalogue, "r1", {"Women": TagState.CATALOGUED})
    vocab.import_vocabulary(catalogue, write_skos(tmp_path))
    removed = vocab.remove_vocabulary(catalogue, "Example subjects")
    assert removed.n_concepts == N_CONCEPTS
    assert counts(catalogue) == {
        "vocabularies": 0,
        "concepts": 0,
        "concept_labels": 0,
        "concept_relations": 0,
    }
    assert linked(catalogue) == {"Women": None}
    with pytest.raises(VocabularyError, match="No vocabulary named 'nope'"):
        vocab.remove_vocabulary(catalogue, "nope")


def test_look_up_completion_and_hierarchy(catalogue, tmp_path: Path) -> None:
    vocab.import_vocabulary(catalogue, write_skos(tmp_path))
    (best, *_) = vocab.match(catalogue, "U.S.A")
    assert best.concept.uri == f"{EX}us" and best.kind is LabelKind.HIDDEN and best.how is MatchHow.NORMALISED
    assert vocab.match(catalogue, "Horse racing")[0].how is MatchHow.EXACT
    assert vocab.concept_for_label(catalogue, "Mercury") is None  # ambiguous
    assert vocab.concept_for_label(catalogue, "zebras") is None
    mothers = vocab.concept_for_label(catalogue, "mother")
    assert mothers is not None and mothers.label == "Mothers"
    assert [c.label for c in vocab.broader_path(catalogue, mothers.id)] == ["People", "Women"]
    people = vocab.concept_for_label(catalogue, "People")
    assert people is not None
    closure = vocab.narrower_closure(catalogue, people.id)
    with catalogue.session() as s:
        uris = set(s.scalars(select(tables.Concept.uri).where(tables.Concept.id.in_(closure))))
    assert uris == {f"{EX}people", f"{EX}women", f"{EX}mothers", f"{EX}children"}
    details = vocab.concept_details(catalogue, mothers.id)
    assert (LabelKind.ALT, "Moms", "en") in details.labels and (
        LabelKind.PREF,
        "Mères",
        "fr",
    ) in details.labels
    assert [c.label for c in details.broader] == ["Women"] and [c.label for c in details.related] == [
        "Children"
    ]
    completed = vocab.complete(catalogue, "mo")
    assert [(m.concept.label, m.label) for m in completed] == [
        ("Mothers", "Mothers")
    ]  # one entry per concept
    assert [m.label for m in vocab.complete(catalogue, "u.s")] == []  # hidden labels are never offered
    merc = vocab.complete(catalogue, "Merc")
    assert {(m.concept.label, m.label, m.kind) for m in merc} == {
        ("Mercury (Planet)", "Mercury (Planet)", LabelKind.PREF),  # the preferred label when both match
        ("Mercury (Chemical element)", "Mercury (Chemical element)", LabelKind.PREF),
    }


def test_inactive_vocabularies_are_not_matched(catalogue, tmp_path: Path) -> None:
    vocab.import_vocabulary(catalogue, write_skos(tmp_path))
    vocab.set_active(catalogue, "Example subjects", False)
    assert vocab.match(catalogue, "Women") == []
    vocab.set_active(catalogue, "Example subjects", True)
    assert vocab.match(catalogue, "Women")


def test_relink_and_manual_link(catalogue, tmp_path: Path) -> None:
    add_record(catalogue, "r1", {"Mercury": TagState.CATALOGUED, "Women": TagState.CATALOGUED})
    vocab.import_vocabulary(catalogue, write_skos(tmp_path))
    concept = tag_links.link_tag(catalogue, "Mercury", f"{EX}planet")
    assert concept is not None and linked(catalogue)["Mercury"] == f"{EX}planet"
    again = tag_links.link_tags(catalogue)
    assert again.kept == 2 and again.linked == 0  # links are kept unless relink
    relinked = tag_links.link_tags(catalogue, relink=True)
    assert relinked.linked == 1 and linked(catalogue)["Mercury"] is None  # ambiguous again
    with pytest.raises(VocabularyError, match="no tag 'Nope'"):
        tag_links.link_tag(catalogue, "Nope", None)
    with pytest.raises(VocabularyError, match="No concept with the URI"):
        tag_links.link_tag(catalogue, "Women", "http://nowhere/1")


def test_record_import_links_its_new_tags(catalogue, tmp_path: Path, make_image) -> None:
    from heritage_tagger.services.importing import import_folder

    vocab.import_vocabulary(catalogue, write_skos(tmp_path / "v"))
    folder = tmp_path / "photos"
    make_image(folder / "a.png")
    make_image(folder / "b.png", colour=(10, 200, 30))
    (folder / "records.csv").write_text(
        "file,tags\na.png,women|Boats\nb.png,United States.\n", encoding="utf-8"
    )
    report = import_folder(catalogue, folder)
    assert report.imported == 2 and report.linked_tags == 2
    links = linked(catalogue)
    assert links == {"women": f"{EX}women", "United States.": f"{EX}us", "Boats": None}

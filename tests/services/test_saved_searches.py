"""Saved searches: the JSON form of every filter field, and save / list / replace / rename / delete / apply
on a real catalogue (SQLite, and PostgreSQL with --engine=postgresql)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heritage_tagger.domain.browse import BrowseFilter, RecordState, SortKey
from heritage_tagger.domain.errors import CatalogueError
from heritage_tagger.domain.records import TagState
from heritage_tagger.domain.saved_search import (
    ConceptRef,
    SavedSearch,
    SavedSearchFormatError,
    SavedSearchGone,
    SearchNameTaken,
    decode,
    encode,
)
from heritage_tagger.services import browse
from heritage_tagger.services import saved_searches as saved
from heritage_tagger.services import vocabularies as vocab
from tests.factories import add_tagged_record, catalogue_sql
from tests.strategies import any_text
from tests.vocab.samples import EX, write_csv

filters = st.builds(
    BrowseFilter,
    text=any_text,
    tag=any_text,
    tag_suggested=st.booleans(),
    location=any_text,
    state=st.sampled_from(RecordState),
    batch_id=st.none() | st.integers(min_value=1, max_value=2**31),
    concept_id=st.none() | st.integers(min_value=1, max_value=2**31),
    sort=st.sampled_from(SortKey),
    descending=st.booleans(),
)


@given(filters, any_text, any_text)
def test_every_filter_field_survives_the_json_form(flt: BrowseFilter, uri: str, label: str) -> None:
    concept = ConceptRef(flt.concept_id, uri, label) if flt.concept_id is not None else None
    stored = encode(flt, concept)
    assert stored.isascii() and "\x00" not in stored  # any text column of either engine takes it
    assert encode(flt, concept) == stored  # stable
    decoded = decode(stored)
    assert decoded.filter == flt and decoded.ignored == ()
    assert decoded.concept == concept


def test_a_newer_versions_keys_are_ignored_and_its_values_named() -> None:
    data = json.loads(encode(BrowseFilter(text="barn", state=RecordState.PENDING)))
    data.update(version=7, colour="sepia", sort="by_colour", descending="yes")
    decoded = decode(json.dumps(data))
    assert decoded.filter == BrowseFilter(text="barn", state=RecordState.PENDING)
    assert sorted(decoded.ignored) == ["descending", "sort"]
    assert decode('{"version": 1}').filter == BrowseFilter()
    for bad in ("", "not json", "[1, 2]", '"text"'):
        with pytest.raises(SavedSearchFormatError):
            decode(bad)


def test_save_list_replace_rename_delete(catalogue) -> None:
    catalogue.user = "ann"
    first, replaced = saved.save_search(catalogue, "  Harbour\x00 photos ", BrowseFilter(text="harbour"))
    assert (first.name, first.created_by, replaced) == ("Harbour photos", "ann", False)
    saved.save_search(catalogue, "barns", BrowseFilter(tag="Barns"))
    assert [s.name for s in saved.list_searches(catalogue)] == ["barns", "Harbour photos"]  # case ignored
    with pytest.raises(SearchNameTaken, match="Harbour photos"):
        saved.save_search(catalogue, "Harbour photos", BrowseFilter(text="boats"))
    catalogue.user = "bob"
    again, replaced = saved.save_search(catalogue, "Harbour photos", BrowseFilter(text="boats"), replace=True)
    assert replaced and again.id == first.id and again.created_by == "ann"
    assert decode(again.filter_json).filter == BrowseFilter(text="boats")
    with pytest.raises(SearchNameTaken):
        saved.rename_search(catalogue, first.id, "barns")
    assert saved.rename_search(catalogue, first.id, "Boats").name == "Boats"
    assert saved.rename_search(catalogue, first.id, "Boats").name == "Boats"  # its own name: no change
    for bad in ("", "   ", "\x00\x07", "x" * 256):
        with pytest.raises(CatalogueError, match="name"):
            saved.save_search(catalogue, bad, BrowseFilter())
    assert saved.delete_search(catalogue, first.id) is True
    assert saved.delete_search(catalogue, first.id) is False
    with pytest.raises(SavedSearchGone):
        saved.rename_search(catalogue, first.id, "Gone")
    assert [s.name for s in saved.list_searches(catalogue)] == ["barns"]


def test_text_any_engine_rejects_survives_the_catalogue(catalogue) -> None:
    """NUL, an unpaired surrogate and emoji typed into the filter bar come back as typed (PostgreSQL's text
    takes no NUL and no surrogate: the JSON is ASCII)."""
    flt = BrowseFilter(text="a\x00b \ud800 🙂 東京", location="Zürich", tag="x\u202ey")
    saved.save_search(catalogue, "odd", flt)
    (found,) = saved.list_searches(catalogue)
    assert decode(found.filter_json).filter == flt


def test_apply_checks_what_the_search_names(catalogue, tmp_path: Path) -> None:
    """Tag, concept (found again by URI after the vocabulary is imported again) and batch; what is gone is
    left out and named."""
    add_tagged_record(catalogue, "r1", {"Women": TagState.CATALOGUED}, location="Paris")
    add_tagged_record(catalogue, "r2", {"Mothers": TagState.CATALOGUED}, location="Lyon")
    add_tagged_record(catalogue, "r3", {"Barns": TagState.CATALOGUED})
    vocab.import_vocabulary(catalogue, write_csv(tmp_path), name="subjects")
    women = vocab.concept_by_uri(catalogue, f"{EX}women")
    assert women is not None
    flt = BrowseFilter(tag="Women", concept_id=women.id, sort=SortKey.DATE, descending=True)
    search, _ = saved.save_search(catalogue, "women", flt)
    resolved = saved.resolve(catalogue, search)
    assert resolved.filter == flt and resolved.missing == ()
    assert resolved.concept_path == "People › Women"
    assert [r.identifier for r in browse.page(catalogue, resolved.filter, 0, 10)] == ["r1"]
    concept_only = BrowseFilter(concept_id=women.id)  # narrower concepts too
    assert [r.identifier for r in browse.page(catalogue, concept_only, 0, 10)] == ["r1", "r2"]

    vocab.import_vocabulary(catalogue, write_csv(tmp_path), name="subjects again")
    vocab.remove_vocabulary(catalogue, "subjects")
    again = vocab.concept_by_uri(catalogue, f"{EX}women")
    assert again is not None and again.id != women.id
    resolved = saved.resolve(catalogue, search)
    assert resolved.filter.concept_id == again.id and resolved.missing == ()

    vocab.remove_vocabulary(catalogue, "subjects again")
    with catalogue_sql(catalogue) as db:
        db.execute("DELETE FROM record_tags")
        db.execute("DELETE FROM tags WHERE label = ?", ("Women",))
    gone, _ = saved.save_search(catalogue, "gone", BrowseFilter(batch_id=99, location="Paris"))
    resolved = saved.resolve(catalogue, search)
    assert resolved.filter == BrowseFilter(sort=SortKey.DATE, descending=True)
    assert resolved.missing == (saved.Missing("tag", "Women"), saved.Missing("concept", "Women"))
    resolved = saved.resolve(catalogue, gone)
    assert resolved.filter == BrowseFilter(location="Paris") and resolved.missing == (
        saved.Missing("batch", "#99"),
    )


def test_an_unreadable_search_is_a_clear_error(catalogue) -> None:
    broken = SavedSearch(id=1, name="broken", filter_json="{not json")
    with pytest.raises(CatalogueError, match="“broken” cannot be read"):
        saved.resolve(catalogue, broken)

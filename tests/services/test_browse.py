"""Browse queries: filters, sorts, pages, details, field edits, on a small synthetic catalogue."""

from __future__ import annotations

import pytest

from heritage_tagger.domain.errors import CatalogueError
from heritage_tagger.services import browse, review, synthetic
from heritage_tagger.services.browse import BrowseFilter, RecordState, SortKey


@pytest.fixture
def synth(catalogue):
    synthetic.generate(catalogue, 300, seed=1)
    return catalogue


def test_pages_cover_the_collection_in_order(synth):
    ids = browse.ordered_ids(synth, BrowseFilter())
    assert len(ids) == browse.count(synth, BrowseFilter()) == 300
    pages = [r.id for off in range(0, 300, 70) for r in browse.page(synth, BrowseFilter(), off, 70)]
    assert pages == ids
    idents = [r.identifier for r in browse.rows_for_ids(synth, ids)]
    assert idents == sorted(idents)


def test_filters(synth):
    harbour = browse.rows_for_ids(synth, browse.ordered_ids(synth, BrowseFilter(text="harbour")))
    assert harbour and all(
        "harbour" in (r.title + r.location).lower()
        or "harbour" in browse.record_details(synth, r.id).record.description.lower()
        for r in harbour
    )
    tagged = browse.ordered_ids(synth, BrowseFilter(tag="church"))
    assert tagged and all("church" in browse.record_details(synth, i).tags_by_label for i in tagged)
    loc = browse.ordered_ids(synth, BrowseFilter(location="cardiff"))
    assert loc and all(browse.record_details(synth, i).record.location == "Cardiff" for i in loc)
    untagged = browse.rows_for_ids(synth, browse.ordered_ids(synth, BrowseFilter(state=RecordState.UNTAGGED)))
    assert untagged and all(r.n_tags == 0 for r in untagged)
    pending = browse.rows_for_ids(synth, browse.ordered_ids(synth, BrowseFilter(state=RecordState.PENDING)))
    assert pending and all(r.n_suggested > 0 for r in pending)
    assert browse.count(synth, BrowseFilter(text="no such words")) == 0
    assert browse.count(synth, BrowseFilter(text="100%_")) == 0  # LIKE wildcards are escaped


def test_reviewed_state_follows_decisions(synth):
    assert browse.count(synth, BrowseFilter(state=RecordState.REVIEWED)) == 0
    row = browse.rows_for_ids(synth, browse.ordered_ids(synth, BrowseFilter(state=RecordState.PENDING))[:1])[
        0
    ]
    for label, state in browse.record_details(synth, row.id).tags_by_label.items():
        if state.value == "suggested":
            review.reject(synth, row.id, label, "ada")
    assert browse.ordered_ids(synth, BrowseFilter(state=RecordState.REVIEWED)) == [row.id]
    assert browse.rows_for_ids(synth, [row.id])[0].state == "reviewed"


def test_sorts(synth):
    by_conf = browse.rows_for_ids(synth, browse.ordered_ids(synth, BrowseFilter(sort=SortKey.CONFIDENCE)))
    scores = [r.confidence for r in by_conf if r.confidence is not None]
    assert scores == sorted(scores, reverse=True) and by_conf[-1].confidence is None
    least = browse.rows_for_ids(
        synth, browse.ordered_ids(synth, BrowseFilter(sort=SortKey.CONFIDENCE, descending=True))
    )
    assert least[0].confidence == min(scores)
    dates = [
        r.date for r in browse.rows_for_ids(synth, browse.ordered_ids(synth, BrowseFilter(sort=SortKey.DATE)))
    ]
    assert dates == sorted(dates)


def test_update_field_and_details(synth):
    rid = browse.ordered_ids(synth, BrowseFilter())[0]
    assert browse.update_field(synth, rid, "title", "  Quayside at dusk ", "ada") == "Quayside at dusk"
    browse.update_field(synth, rid, "date", "May 1972", "ada")
    details = browse.record_details(synth, rid)
    assert details.record.title == "Quayside at dusk" and details.record.date == "May 1972"
    ordered = browse.rows_for_ids(synth, browse.ordered_ids(synth, BrowseFilter(sort=SortKey.DATE)))
    at = [r.id for r in ordered].index(rid)  # the sortable date moved with the edit
    assert all(r.date <= "1972-05" for r in ordered[:at]) and all(
        r.date >= "1972-05" for r in ordered[at + 1 :]
    )
    with pytest.raises(CatalogueError, match="cannot be edited"):
        browse.update_field(synth, rid, "sha256", "x", "ada")
    with pytest.raises(CatalogueError, match="no longer"):
        browse.record_details(synth, 10_000)


def test_vocabulary_locations_batches(synth):
    vocab = browse.tag_vocabulary(synth)
    assert set(vocab) == set(synthetic.VOCABULARY)
    assert vocab[0] == "procession"  # most used first
    assert "Cardiff" in browse.locations(synth)
    assert len(browse.batches(synth)) == 1
    assert browse.active_model(synth) is None


def test_synthetic_images_and_thumbnails(catalogue):
    summary = synthetic.generate(catalogue, 12, images=5, seed=2)
    assert summary.images == 5
    rows = browse.rows_for_ids(catalogue, browse.ordered_ids(catalogue, BrowseFilter()))
    with_images = [r for r in rows if r.source_path]
    assert len(with_images) == 5
    for r in with_images:
        thumb, source = browse.image_paths(catalogue, r.sha256, r.source_path)
        assert thumb.is_file() and source.is_file()


@pytest.mark.parametrize(
    "flt",
    [
        BrowseFilter(text="harbour", sort=SortKey.DATE),
        BrowseFilter(tag="church", state=RecordState.PENDING, sort=SortKey.CONFIDENCE),
        BrowseFilter(location="Cardiff", state=RecordState.UNTAGGED, descending=True),
        BrowseFilter(batch_id=1, state=RecordState.REVIEWED),
        BrowseFilter(state=RecordState.NEEDS_REVIEW, sort=SortKey.ATTENTION),
        BrowseFilter(
            location="ARDI", tag="church", tag_suggested=True, sort=SortKey.ATTENTION, descending=True
        ),
    ],
)
def test_the_fast_id_snapshot_matches_the_paged_query(synth, flt):
    # ordered_ids reads the driver cursor directly; page() goes through the ORM: same rows, same order
    assert browse.ordered_ids(synth, flt) == [r.id for r in browse.page(synth, flt, 0, 1000)]
    assert len(browse.ordered_ids(synth, flt)) == browse.count(synth, flt)


def _key_order(rows, flt):
    """The keyset order, from the rows themselves: dated first by (date, identifier), then undated."""
    if flt.sort is SortKey.IDENTIFIER:
        return sorted(rows, key=lambda r: r[1], reverse=flt.descending)
    dated = sorted((r for r in rows if r[2] is not None), key=lambda r: (r[2], r[1]), reverse=flt.descending)
    undated = sorted((r for r in rows if r[2] is None), key=lambda r: r[1], reverse=flt.descending)
    return dated + undated


@pytest.mark.parametrize("sort", [SortKey.IDENTIFIER, SortKey.DATE])
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize(
    "flt",
    [
        BrowseFilter(),
        BrowseFilter(text="harbour"),
        BrowseFilter(tag="church"),
        BrowseFilter(location="Cardiff"),
        BrowseFilter(batch_id=1),
        BrowseFilter(state=RecordState.PENDING),
        BrowseFilter(state=RecordState.UNTAGGED),
        BrowseFilter(state=RecordState.NEEDS_REVIEW),
    ],
)
def test_keyset_pages_list_every_match_once_in_order(synth, flt, sort, descending):
    from dataclasses import replace

    from heritage_tagger.db.tables import Record

    for rid in browse.ordered_ids(synth, BrowseFilter())[::9]:  # some records without a sortable date
        browse.update_field(synth, rid, "date", "", "ada")
    flt = replace(flt, sort=sort, descending=descending)
    assert browse.keyset(flt)
    seen, after, pages = [], None, 0
    while True:
        page = browse.page_after(synth, flt, after, 23)
        seen += [r.id for r in page.rows]
        after, pages = page.after, pages + 1
        if page.complete:
            break
    with synth.session() as session:
        facts = {
            rid: (rid, ident, date)
            for rid, ident, date in session.query(Record.id, Record.identifier, Record.date_sort)
        }
    expected = [r[0] for r in _key_order([facts[i] for i in browse.ordered_ids(synth, flt)], flt)]
    assert seen == expected and len(seen) == browse.count(synth, flt) > 0
    assert pages == len(seen) // 23 + 1
    assert not browse.keyset(replace(flt, sort=SortKey.CONFIDENCE))
    assert not browse.keyset(replace(flt, sort=SortKey.ATTENTION))  # computed per record: id snapshot


@pytest.mark.parametrize("sort", [SortKey.IDENTIFIER, SortKey.DATE])
def test_keyset_pages_follow_the_concept_filter(catalogue, tmp_path, sort):
    """A concept filter (tags linked to the concept asked for or one below it) pages by keyset like
    every other filter, dated records first then the undated ones; on either engine."""
    from heritage_tagger.domain.records import TagState
    from heritage_tagger.services import tag_links
    from heritage_tagger.services import vocabularies as vocab
    from tests.factories import add_tagged_record
    from tests.vocab.samples import EX, write_skos

    vocab.import_vocabulary(catalogue, write_skos(tmp_path / "vocab"))
    ids = [
        add_tagged_record(
            catalogue,
            f"zz-{i:02d}",
            {"Moms" if i % 3 else "Boats": TagState.CATALOGUED},
            date_sort=None if i % 4 == 0 else f"19{i:02d}",
        )
        for i in range(30)
    ]
    tag_links.link_tags(catalogue)
    people = vocab.concept_by_uri(catalogue, f"{EX}people")
    flt = BrowseFilter(concept_id=people.id, sort=sort)
    seen, after = [], None
    while True:
        page = browse.page_after(catalogue, flt, after, 7)
        seen += [r.id for r in page.rows]
        after = page.after
        if page.complete:
            break
    moms = [rid for i, rid in enumerate(ids) if i % 3]  # Boats is not below People
    assert len(seen) == len(set(seen)) == browse.count(catalogue, flt) == len(moms) == 20
    if sort is SortKey.IDENTIFIER:
        assert seen == moms
    else:
        dated = [rid for i, rid in enumerate(ids) if i % 3 and i % 4]
        assert seen == dated + [rid for rid in moms if rid not in dated]


def _record(
    catalogue, ident: str, location: str = "", tags: dict[str, tuple[str, float | None]] | None = None
) -> int:
    from heritage_tagger.db import tables
    from heritage_tagger.db.tagging import get_or_create_tags, set_record_tag
    from heritage_tagger.domain.records import TagState

    with catalogue.session() as s:
        rec = tables.Record(identifier=ident, sha256=ident.ljust(64, "0"), location=location)
        s.add(rec)
        s.flush()
        found = get_or_create_tags(s, list(tags or {}))
        for label, (state, score) in (tags or {}).items():
            set_record_tag(s, rec.id, found[label], TagState(state), score=score, source="model")
        return rec.id


def test_the_tag_filter_matches_carried_tags_unless_suggestions_are_asked_for(catalogue):
    carried = _record(catalogue, "a", tags={"water": ("catalogued", None)})
    accepted = _record(catalogue, "b", tags={"water": ("accepted", 0.9)})
    guessed = _record(catalogue, "c", tags={"water": ("suggested", 0.4)})
    _record(catalogue, "d", tags={"water": ("rejected", 0.7)})
    assert browse.ordered_ids(catalogue, BrowseFilter(tag="water")) == [carried, accepted]
    assert browse.ordered_ids(catalogue, BrowseFilter(tag="water", tag_suggested=True)) == [
        carried,
        accepted,
        guessed,
    ]


def test_the_location_filter_matches_a_part_in_any_case(catalogue):
    diego = _record(catalogue, "a", location="San Diego (Calif.)")
    adirondack = _record(catalogue, "b", location="Adirondack Mountains (N.Y.)")
    assert browse.ordered_ids(catalogue, BrowseFilter(location="Calif")) == [diego]
    assert browse.ordered_ids(catalogue, BrowseFilter(location="calif")) == [diego]
    assert browse.ordered_ids(catalogue, BrowseFilter(location="n.y.")) == [adirondack]
    assert browse.ordered_ids(catalogue, BrowseFilter(location="%")) == []
    assert browse.locations(catalogue) == ["Adirondack Mountains (N.Y.)", "San Diego (Calif.)"]


def test_needs_review_and_the_attention_order(catalogue):
    untagged = _record(catalogue, "a-untagged")  # nothing proposed: needs a person first
    sure = _record(catalogue, "b-sure", tags={"sea": ("catalogued", None), "ship": ("suggested", 0.97)})
    doubtful = _record(catalogue, "c-doubtful", tags={"sea": ("suggested", 0.9), "boat": ("suggested", 0.55)})
    unscored = _record(catalogue, "d-unscored", tags={"sea": ("suggested", None)})
    agrees = _record(catalogue, "e-agrees", tags={"sea": ("catalogued", None)})  # all proposals carried
    decided = _record(catalogue, "f-decided", tags={"sea": ("accepted", 0.8)})
    queue = BrowseFilter(state=RecordState.NEEDS_REVIEW, sort=SortKey.ATTENTION)
    assert browse.ordered_ids(catalogue, queue) == [untagged, unscored, doubtful, sure, agrees]
    assert browse.ordered_ids(catalogue, BrowseFilter(state=RecordState.REVIEWED)) == [decided]
    review.mark_reviewed(catalogue, agrees, "ada")
    review.mark_reviewed(catalogue, sure, "ada")  # marked with a suggestion still pending
    assert browse.ordered_ids(catalogue, queue) == [untagged, unscored, doubtful]
    assert browse.ordered_ids(catalogue, BrowseFilter(state=RecordState.REVIEWED)) == [sure, agrees, decided]
    assert browse.rows_for_ids(catalogue, [agrees])[0].state == "reviewed"
    assert browse.rows_for_ids(catalogue, [sure])[0].state == "reviewed"


def test_a_photo_with_no_confident_suggestion_needs_a_person_first(catalogue):
    """The model's stored "no confident suggestion" (issue 11) puts a photo at the head of the queue,
    even when it carries tags (nothing pending: without the outcome it would come last)."""
    from heritage_tagger.db.suggestions import OutcomeRow, record_outcomes

    doubtful = _record(catalogue, "a-doubtful", tags={"boat": ("suggested", 0.55)})
    unsure = _record(catalogue, "b-unsure", tags={"sea": ("catalogued", None)})
    agrees = _record(catalogue, "c-agrees", tags={"sea": ("catalogued", None)})
    queue = BrowseFilter(state=RecordState.NEEDS_REVIEW, sort=SortKey.ATTENTION)
    assert browse.ordered_ids(catalogue, queue) == [doubtful, unsure, agrees]
    with catalogue.session() as s:
        record_outcomes(
            s,
            [
                OutcomeRow(unsure, "no_confident_suggestion", 0, 0.2, 0.5, False),
                OutcomeRow(agrees, "nothing_new", 0, 0.9, 0.5, False),
            ],
            None,
        )
    assert browse.ordered_ids(catalogue, queue) == [unsure, doubtful, agrees]
    review.mark_reviewed(catalogue, unsure, "ada")  # a person saw to it: it leaves the queue
    assert browse.ordered_ids(catalogue, queue) == [doubtful, agrees]

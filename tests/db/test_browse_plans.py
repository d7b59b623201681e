"""Every query of the collection browser, as the app runs it, is answered through an index (EXPLAIN QUERY PLAN).

Each browse function is called on a small catalogue while the SQL it sends is captured; each
statement is then explained by SQLite. A page never scans the records table or sorts it in a
temporary B-tree (the order comes from an index, so a page of a million records costs what a
page of a hundred does); record tags are only ever looked up by an index. The exceptions are
named below with their reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import event

from heritage_tagger.db import browse as queries
from heritage_tagger.domain.browse import BrowseFilter, RecordState, SortKey

FILTERS = [
    BrowseFilter(),
    BrowseFilter(batch_id=1),
    BrowseFilter(tag="church"),
    BrowseFilter(state=RecordState.PENDING),
    BrowseFilter(state=RecordState.UNTAGGED),
    BrowseFilter(state=RecordState.REVIEWED),
    BrowseFilter(state=RecordState.NEEDS_REVIEW),
    BrowseFilter(text="harbour"),
    BrowseFilter(location="Cardiff"),
    BrowseFilter(concept_id=-1),  # the fixture's broader concept (-1 here: its id is known there)
    BrowseFilter(concept_id=-1, tag="church", state=RecordState.PENDING),
]
CONCEPT = -1
FULL_SCAN = re.compile(r"\bSCAN (records|record_tags|r|rt|t)\b(?! USING)")  # a table read row by row
TEMP_SORT = "USE TEMP B-TREE FOR ORDER BY"


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A synthetic catalogue of 200 records, a few reviewed, with a vocabulary: the tag "church" is
    linked to the concept Women, whose broader concept People the concept filters ask for."""
    from heritage_tagger.db import vocabularies
    from heritage_tagger.db.tables import Tag
    from heritage_tagger.services import browse, review, synthetic
    from heritage_tagger.services import vocabularies as vocab
    from heritage_tagger.services.catalogue import open_catalogue
    from tests.vocab.samples import EX, write_skos

    folder = tmp_path_factory.mktemp("plans")
    catalogue = open_catalogue(folder / "c.sqlite")
    synthetic.generate(catalogue, 200, seed=3)
    vocab.import_vocabulary(catalogue, write_skos(folder / "vocab"))
    women, people = (vocab.concept_by_uri(catalogue, EX + name) for name in ("women", "people"))
    assert women is not None and people is not None
    with catalogue.session() as opened:
        church = opened.query(Tag.id).filter(Tag.label == "church").scalar()
        vocabularies.link_tags(opened, [(church, women.id)])
    global CONCEPT
    CONCEPT = people.id
    pending = browse.ordered_ids(catalogue, BrowseFilter(state=RecordState.PENDING))
    for rid in pending[:3]:  # a few reviewed photos
        for label, state in browse.record_details(catalogue, rid).tags_by_label.items():
            if state.value == "suggested":
                review.reject(catalogue, rid, label, "ada")
    with catalogue.session() as opened:
        yield opened
    catalogue.close()


@contextmanager
def captured(session: Any) -> Iterator[list[tuple[str, Any]]]:
    """The (SQL, parameters) of every statement the session's connection runs inside the block."""
    statements: list[tuple[str, Any]] = []
    engine = session.get_bind()

    def note(_conn: Any, _cursor: Any, sql: str, params: Any, _context: Any, _many: bool) -> None:
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):  # WITH RECURSIVE: the concept filter
            statements.append((sql, params))

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", note)


def plans(session: Any, call: Callable[[], object]) -> list[tuple[str, list[str]]]:
    """(SQL, plan lines) of each query ``call`` runs."""
    with captured(session) as statements:
        call()
    connection = session.connection()
    out = []
    for sql, params in statements:
        rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
        out.append((sql, [str(row[-1]) for row in rows]))
    assert out, "the call ran no query"
    return out


def assert_indexed(found: list[tuple[str, list[str]]], *, sorted_by_index: bool) -> None:
    for sql, lines in found:
        text = "\n".join(lines)
        assert not FULL_SCAN.search(text), f"full scan in\n{sql}\n{text}"
        if sorted_by_index:
            assert TEMP_SORT not in text, f"sorted in a temporary B-tree:\n{sql}\n{text}"


def _concept(flt: BrowseFilter) -> BrowseFilter:
    return replace(flt, concept_id=CONCEPT) if flt.concept_id == -1 else flt


def _snapshot_reads_marks(flt: BrowseFilter) -> bool:
    """The confidence and attention snapshots of a review-state filter (reviewed, needs review:
    ``db.review_state``, a photo's mark is ``records.reviewed_at``) read every record row: no index
    holds both the mark and the identifier they sort by, and they sort in a temporary B-tree anyway.
    They run in a worker; their counts and keyset pages do use ``ix_records_reviewed_at``."""
    return flt.state in (RecordState.REVIEWED, RecordState.NEEDS_REVIEW)


def _snapshot_indexed(found: list[tuple[str, list[str]]], flt: BrowseFilter) -> None:
    if _snapshot_reads_marks(flt):
        records_only = re.compile(r"\bSCAN (record_tags|rt|t)\b(?! USING)")
        for sql, lines in found:  # the proposals are still looked up by index
            assert not records_only.search("\n".join(lines)), (sql, lines)
        return
    assert_indexed(found, sorted_by_index=False)


def _inherent_scan(flt: BrowseFilter) -> bool:
    """A substring search (LIKE '%...%') cannot use an index: the page walks the order's index and
    filters as it goes (stopping after a page), a count reads every record."""
    return bool(flt.text.strip() or flt.location.strip())


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", [SortKey.IDENTIFIER, SortKey.DATE])
@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: repr(f)[13:60])
def test_keyset_pages_are_index_range_scans(
    session: Any, flt: BrowseFilter, sort: SortKey, descending: bool
) -> None:
    flt = replace(_concept(flt), sort=sort, descending=descending)
    first = queries.page_after(session, flt, None, 5)
    assert first.rows, "the fixture matches nothing for this filter"
    for after in (None, first.after):
        found = plans(session, lambda after=after: queries.page_after(session, flt, after, 5))
        page_queries = [(sql, lines) for sql, lines in found if "LIMIT" in sql]
        assert page_queries
        # an import batch sorted by date is the one page sorted after its rows are found (a batch is
        # a bounded set, found by ix_records_batch_identifier)
        assert_indexed(page_queries, sorted_by_index=not (flt.batch_id is not None and sort is SortKey.DATE))
        for sql, lines in page_queries:
            if not _inherent_scan(flt):
                assert any("USING" in line and "records" in line for line in lines), (sql, lines)
        assert_indexed(
            [q for q in found if q not in page_queries], sorted_by_index=False
        )  # the rows' details


@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: repr(f)[13:60])
def test_counts_read_an_index_unless_a_substring_is_searched(session: Any, flt: BrowseFilter) -> None:
    flt = _concept(flt)
    found = plans(session, lambda: queries.count(session, flt))
    if _inherent_scan(flt):
        return  # a count of a substring search reads every record (off the GUI thread, after the first page)
    assert_indexed(found, sorted_by_index=False)


def test_the_filter_bar_lists_and_rows_use_indexes(session: Any) -> None:
    ids = queries.ordered_ids(session, BrowseFilter())[:50]
    assert_indexed(plans(session, lambda: queries.rows(session, ids)), sorted_by_index=True)
    assert_indexed(plans(session, lambda: queries.locations(session)), sorted_by_index=True)
    assert_indexed(plans(session, lambda: queries.batches(session)), sorted_by_index=True)
    # every tag with how often it is used: one index look-up per tag, then the tags sorted by use
    assert_indexed(plans(session, lambda: queries.tag_vocabulary(session)), sorted_by_index=False)


@pytest.mark.parametrize("flt", FILTERS[:7], ids=lambda f: repr(f)[13:60])
def test_the_confidence_snapshot_reads_suggestions_by_index(session: Any, flt: BrowseFilter) -> None:
    """Confidence is computed per record, so that order pages through an id snapshot (in a worker):
    the best pending score per record comes from the suggested rows found by ix_record_tags_state."""
    found = plans(session, lambda: queries.ordered_ids(session, replace(flt, sort=SortKey.CONFIDENCE)))
    _snapshot_indexed(found, flt)


@pytest.mark.parametrize("flt", FILTERS[:7], ids=lambda f: repr(f)[13:60])
def test_the_attention_snapshot_reads_proposals_by_index(session: Any, flt: BrowseFilter) -> None:
    """'Needs attention first' (db.review_state) is computed per record from its pending proposals
    and the model's last outcome, so like confidence it is not a keyset order: it pages through an
    id snapshot (in a worker), sorted after the rows are found; the proposals are looked up by index."""
    flt = replace(flt, sort=SortKey.ATTENTION)
    assert not queries.keyset(flt)
    found = plans(session, lambda: queries.ordered_ids(session, flt))
    _snapshot_indexed(found, flt)

"""An export's chunks walk the records' primary key whatever the scope (EXPLAIN QUERY PLAN): no chunk
sorts the rest of a batch or a filter's matches in a temporary B-tree, so a scoped export of 100,000
records stays linear."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from heritage_tagger.db.records import iter_records
from heritage_tagger.domain.browse import BrowseFilter, RecordState
from heritage_tagger.domain.scope import RecordScope

SCOPES = [
    RecordScope(),
    RecordScope.batch(1),
    RecordScope.matching(BrowseFilter(batch_id=1)),
    RecordScope.matching(BrowseFilter(batch_id=1, tag="church", state=RecordState.PENDING)),
    RecordScope.matching(BrowseFilter(location="Cardiff", state=RecordState.UNTAGGED)),
    RecordScope.selected(range(1, 200, 3)),
]


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from heritage_tagger.services import synthetic
    from heritage_tagger.services.catalogue import open_catalogue

    catalogue = open_catalogue(tmp_path_factory.mktemp("scope-plans") / "c.sqlite")
    synthetic.generate(catalogue, 200, seed=3)  # one batch (id 1) of 200 records
    with catalogue.session() as opened:
        yield opened
    catalogue.close()


@pytest.mark.parametrize("scope", SCOPES, ids=lambda s: str(s.kind))
def test_scoped_chunks_walk_the_primary_key(session: Any, scope: RecordScope) -> None:
    statements: list[tuple[str, Any]] = []

    def note(_conn: Any, _cursor: Any, sql: str, params: Any, _context: Any, _many: bool) -> None:
        if sql.lstrip().upper().startswith("SELECT") and "FROM records" in sql:
            statements.append((sql, params))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", note)
    try:
        found = list(iter_records(session, chunk_size=20, scope=scope))
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert found and [r.id for r in found] == sorted(r.id for r in found)
    assert statements
    for sql, params in statements:
        plan = "\n".join(
            str(row[-1]) for row in session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params)
        )
        first = plan.splitlines()[0]
        assert "records USING INTEGER PRIMARY KEY" in first, f"{sql}\n{plan}"
        assert "TEMP B-TREE" not in plan, f"{sql}\n{plan}"

"""The review queue of an import batch (least or most confident first) and auto-accepting its surest suggestions."""

from __future__ import annotations

from heritage_tagger.db import browse as browse_queries
from heritage_tagger.db import suggestions as queries
from heritage_tagger.db.decisions import log_decision
from heritage_tagger.db.tables import utcnow
from heritage_tagger.domain.browse import BrowseFilter, SortKey
from heritage_tagger.domain.errors import HeritageTaggerError
from heritage_tagger.domain.records import DecisionAction, TagState
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.proposals import AUTO_REVIEWER

QUEUE_ORDERS = ("needs_attention", "least_confident", "most_confident", "identifier")


def review_queue(catalogue: Catalogue, batch_id: int, order: str = "needs_attention") -> list[int]:
    """Record ids of a batch in review order.

    ``needs_attention``: photos that need a person first, then by the uncertainty of their most
    uncertain pending proposal, then those with nothing pending (``db.review_state``, the same
    order as the browser's "Needs attention first"); ``least_confident``: by the highest pending suggestion score, lowest first; ``most_confident``
    the reverse; ``identifier``: by identifier. Records without a pending suggestion come last
    (nothing left to review), by identifier.
    """
    if order not in QUEUE_ORDERS:
        raise HeritageTaggerError(f"Unknown review order {order!r}; choose one of {', '.join(QUEUE_ORDERS)}.")
    with catalogue.session() as session:
        if order == "needs_attention":
            return browse_queries.ordered_ids(
                session, BrowseFilter(batch_id=batch_id, sort=SortKey.ATTENTION)
            )
        rows = queries.best_pending_scores(session, batch_id)
    if order == "identifier":
        return [r.id for r in sorted(rows, key=lambda r: r.identifier)]
    pending = [r for r in rows if r.best is not None]
    rest = sorted((r for r in rows if r.best is None), key=lambda r: r.identifier)
    sign = 1.0 if order == "least_confident" else -1.0
    pending.sort(key=lambda r: (sign * float(r.best or 0.0), r.identifier))
    return [r.id for r in pending + rest]


def auto_accept(catalogue: Catalogue, batch_id: int, threshold: float) -> int:
    """Accept the batch's pending model suggestions scored at or above ``threshold`` (reviewer "auto").

    One transaction; each acceptance is logged through db.decisions.log_decision, the one writer of the log.
    """
    if not 0.0 < threshold <= 1.0:
        raise HeritageTaggerError("The auto-accept threshold must be above 0 and at most 1.")
    with catalogue.session() as session:
        rows = queries.pending_at_least(session, batch_id, threshold)
        for tag_row, label, version in rows:
            tag_row.state = TagState.ACCEPTED.value
            tag_row.updated_at = utcnow()
            log_decision(
                session, tag_row.record_id, label, DecisionAction.ACCEPT, AUTO_REVIEWER,
                TagState.SUGGESTED, TagState.ACCEPTED, tag_row.score, version,
            )  # fmt: skip
        return len(rows)

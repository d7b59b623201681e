"""The one writer of stored model suggestions: what the model proposes for each record, and storing it.

The rule, the same for batch annotation, re-suggestion and ``store_suggestions``: a record's
proposals are the model's ``propose_count`` best tags for its photo, less those the record
already carries or had rejected (compared by label and lemma); no lower-ranked tag takes their
place, because the label-quantity head counts every tag of the photo. Storing replaces the
record's pending suggestions; catalogued, accepted and rejected tags are never touched.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from heritage_tagger.db import suggestions as queries
from heritage_tagger.db.decisions import log_decision
from heritage_tagger.db.engine import Session
from heritage_tagger.db.tagging import get_or_create_tags, set_record_tag
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.domain.records import DecisionAction, TagState
from heritage_tagger.services.catalogue import Catalogue

if TYPE_CHECKING:
    from heritage_tagger.annotator.predictor import Predictor

SOURCE = "model"
AUTO_REVIEWER = "auto"

Proposals = dict[int, list[tuple[str, float]]]  # record id -> (tag label, probability), best first


def propose(
    predictor: Predictor, features: np.ndarray, record_ids: Sequence[int], decided: dict[int, set[str]]
) -> Proposals:
    """Each record's proposals (see the module docstring), computed for all records in one batch."""
    model = predictor.model
    labels = model.tag_labels
    lemmas = [str(lemma).lower() for lemma in predictor.manifest.get("tag_lemmas") or labels]
    rows = [model.row_of(r) for r in record_ids]
    self_rows = np.array([-1 if r is None else r for r in rows], dtype=np.int64)
    probs, counts = model.predict(np.asarray(features, dtype=np.float32), self_rows)
    out: Proposals = {}
    for i, rid in enumerate(record_ids):
        skip = decided.get(int(rid), set())
        top = np.argsort(-probs[i], kind="stable")[: int(counts[i])]
        out[int(rid)] = [
            (labels[t], float(probs[i, t]))
            for t in top
            if lemmas[t] not in skip and labels[t].lower() not in skip
        ]
    return out


def write_proposals(
    session: Session,
    proposals: Proposals,
    version_id: int,
    version: str,
    auto_accept: float | None = None,
) -> tuple[int, int]:
    """Replace the records' pending suggestions with ``proposals`` inside the caller's transaction.

    Scores at or above ``auto_accept`` are stored as accepted and logged as decisions by "auto".
    Returns (written, auto-accepted).
    """
    if not proposals:
        return 0, 0
    queries.delete_pending(session, list(proposals))
    tags = get_or_create_tags(session, {label for p in proposals.values() for label, _ in p})
    written = accepted = 0
    for rid, proposed in proposals.items():
        for label, score in proposed:
            auto = auto_accept is not None and score >= auto_accept
            state = TagState.ACCEPTED if auto else TagState.SUGGESTED
            set_record_tag(
                session, rid, tags[label], state, score=score, source=SOURCE, model_version_id=version_id
            )
            written += 1
            if auto:
                accepted += 1
                log_decision(
                    session, rid, tags[label].label, DecisionAction.ACCEPT, AUTO_REVIEWER,
                    TagState.SUGGESTED, TagState.ACCEPTED, score, version,
                )  # fmt: skip
    session.flush()
    return written, accepted


def store_suggestions(
    catalogue: Catalogue,
    record_ids: Sequence[int],
    *,
    chunk_size: int = 200,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Store the active model's proposals for ``record_ids``, one transaction per chunk.

    A record whose photo cannot be read keeps what it had. Returns how many suggestions were written.
    """
    from heritage_tagger.services.features import features_for
    from heritage_tagger.services.suggesting import active_predictor

    predictor, info = active_predictor(catalogue)
    ids = list(dict.fromkeys(int(r) for r in record_ids))
    written = 0
    progress(Progress("suggesting", 0, len(ids)))
    for start in range(0, len(ids), chunk_size):
        if cancel is not None:
            cancel.check()
        with catalogue.session() as session:
            rows = queries.image_rows(session, ids[start : start + chunk_size])
        found = features_for(catalogue, rows, predictor, cancel=cancel)
        ok = [i for i in range(len(rows)) if i not in found.failed]
        if ok:
            with catalogue.session() as session:
                chosen = [rows[i].id for i in ok]
                proposals = propose(
                    predictor, found.features[ok], chosen, queries.decided_keys(session, chosen)
                )
                written += write_proposals(session, proposals, info.id, info.version)[0]
        progress(Progress("suggesting", min(len(ids), start + chunk_size), len(ids)))
    return written

"""The one writer of stored model suggestions: what the model proposes for each record, and storing it.

The rule, the same for batch annotation, re-suggestion and ``store_suggestions``: the model reads a
record's photo and, when it has any, its title, description and location; a record's proposals
are its ``propose_count`` most probable tags (the label-quantity head) whose calibrated probability
reaches the threshold chosen on validation for the target precision (``ModelSettings.
target_precision``), less those the record already carries or had rejected (compared by label and
lemma); no lower-ranked tag takes their place, because the label-quantity head counts every tag of
the photo. Tags of the catalogue that the caption names are candidates too (the lexical pathway).
Storing replaces the record's pending suggestions (catalogued, accepted and rejected tags are never
touched) and records the model's answer in ``suggestion_outcomes``: "proposed", "nothing_new" (its
confident tags were decided already) or "no_confident_suggestion" (nothing reached the threshold:
the photo needs a person; nothing is stored for it).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
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
    from heritage_tagger.annotator.predictor import Predictor, RecordText
    from heritage_tagger.vocab.lexicon import Lexicon

SOURCE = "model"  # stored suggestions' source starts with this
STORED_SOURCE = {"image": SOURCE, "caption": f"{SOURCE}:caption", "neighbours": f"{SOURCE}:neighbours"}
AUTO_REVIEWER = "auto"
PROPOSED, NOTHING_NEW, NO_CONFIDENT = "proposed", "nothing_new", "no_confident_suggestion"


@dataclass
class RecordProposals:
    """One record's proposals (label, calibrated probability, where it came from) and the model's answer."""

    tags: list[tuple[str, float, str]] = field(default_factory=list)
    outcome: str = NO_CONFIDENT
    best: float | None = None  # the most probable tag's probability
    threshold: float | None = None  # None: no probability reaches the target precision
    read_text: bool = False


Proposals = dict[int, RecordProposals]  # record id -> its proposals


def propose(
    predictor: Predictor,
    features: np.ndarray,
    record_ids: Sequence[int],
    decided: Mapping[int, set[str]],
    *,
    texts: Mapping[int, RecordText] | None = None,
    lexicon: Lexicon | None = None,
    target_precision: float | None = None,
) -> Proposals:
    """Each record's proposals (see the module docstring), computed for all records in one batch."""
    self_rows = predictor.model.self_rows(record_ids)
    record_texts = [None if texts is None else texts.get(int(r)) for r in record_ids]
    scored = predictor.score_batch(
        np.asarray(features, dtype=np.float32), self_rows, record_texts, lexicon, target_precision
    )
    out: Proposals = {}
    for rid, result in zip(record_ids, scored, strict=True):
        skip = decided.get(int(rid), set())
        confident = [(t, p) for t, p in result.tags[: result.count] if p >= result.threshold]
        fresh: list[tuple[str, float, str]] = [
            (t, p, str(result.sources.get(t, "image")))
            for t, p in confident
            if t.lower() not in skip and _lemma(predictor, t) not in skip
        ]
        outcome = PROPOSED if fresh else (NOTHING_NEW if confident else NO_CONFIDENT)
        out[int(rid)] = RecordProposals(
            fresh,
            outcome,
            result.tags[0][1] if result.tags else None,
            result.threshold if math.isfinite(result.threshold) else None,
            result.read_text,
        )
    return out


def _lemma(predictor: Predictor, label: str) -> str:
    from heritage_tagger.text.lemmatise import lemmatise_tag

    row = predictor.tag_row(label)
    lemmas = predictor.manifest.get("tag_lemmas")
    if row is not None and lemmas:
        return str(lemmas[row]).lower()
    return lemmatise_tag(label).lower()


def write_proposals(
    session: Session,
    proposals: Proposals,
    version_id: int,
    version: str,
    auto_accept: float | None = None,
) -> tuple[int, int]:
    """Replace the records' pending suggestions with ``proposals`` inside the caller's transaction,
    and record each record's outcome. Scores at or above ``auto_accept`` are stored as accepted and
    logged as decisions by "auto". Returns (written, auto-accepted)."""
    if not proposals:
        return 0, 0
    queries.delete_pending(session, list(proposals))
    tags = get_or_create_tags(session, {label for p in proposals.values() for label, _, _ in p.tags})
    written = accepted = 0
    for rid, proposed in proposals.items():
        for label, score, source in proposed.tags:
            auto = auto_accept is not None and score >= auto_accept
            state = TagState.ACCEPTED if auto else TagState.SUGGESTED
            set_record_tag(
                session, rid, tags[label], state, score=score,
                source=STORED_SOURCE.get(source, SOURCE), model_version_id=version_id,
            )  # fmt: skip
            written += 1
            if auto:
                accepted += 1
                log_decision(
                    session, rid, tags[label].label, DecisionAction.ACCEPT, AUTO_REVIEWER,
                    TagState.SUGGESTED, TagState.ACCEPTED, score, version,
                )  # fmt: skip
    outcomes = [
        queries.OutcomeRow(rid, p.outcome, len(p.tags), p.best, p.threshold, p.read_text)
        for rid, p in proposals.items()
    ]
    queries.record_outcomes(session, outcomes, version_id)
    session.flush()
    return written, accepted


def proposal_texts(session: Session, record_ids: Sequence[int]) -> dict[int, RecordText]:
    """The records' own text, as the model reads it."""
    from heritage_tagger.annotator.text_inputs import RecordText

    return {
        rid: RecordText(row.title, row.description, row.location)
        for rid, row in queries.record_texts(session, record_ids).items()
    }


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
    from heritage_tagger.services.suggesting import active_predictor, catalogue_lexicon

    predictor, info = active_predictor(catalogue)
    lexicon = catalogue_lexicon(catalogue)
    target = catalogue.settings.model.target_precision
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
                    predictor, found.features[ok], chosen, queries.decided_keys(session, chosen),
                    texts=proposal_texts(session, chosen), lexicon=lexicon, target_precision=target,
                )  # fmt: skip
                written += write_proposals(session, proposals, info.id, info.version)[0]
        progress(Progress("suggesting", min(len(ids), start + chunk_size), len(ids)))
    return written

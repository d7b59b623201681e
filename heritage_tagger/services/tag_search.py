"""Which photos suit a tag: the catalogue's photos that do not carry it yet, the most likely first.

The second question the active model answers (the first, which tags suit a photo, is the suggestion
panel's). A librarian names a tag ("procession") and gets the photos that neither carry it nor had
it rejected, ranked by the model's order for that tag (``annotator.tag_order``: each tag's photos in
the order of the blend that was best on held-out mAP, on the suggestions' calibrated scale), each
with its probability and whether it reaches the threshold the suggestions use. The model reads each
record's title, description and location as it does for suggestions. Photos are read in chunks from
the feature cache (a photo never seen is read from its file), with progress and cancelling; a photo
that cannot be read is counted and left out. Nothing is written: accepting a match is the review's.
"""

from __future__ import annotations

import difflib
import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass

from heritage_tagger.db import suggestions as queries
from heritage_tagger.domain.errors import HeritageTaggerError
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.services.catalogue import Catalogue

CHUNK = 500  # records read per step
DEFAULT_LIMIT = 50


@dataclass(frozen=True)
class TagMatch:
    """One photo the search found for the tag."""

    record_id: int
    identifier: str
    title: str
    probability: float  # calibrated, read like the suggestion panel's
    confident: bool  # reaches the threshold the suggestions use for this record
    suggested: bool  # the tag is already a pending suggestion of this record


@dataclass
class TagSearch:
    """The search's answer: the best ``limit`` matches, most likely first, and what was read."""

    tag: str  # the model's own label for the tag asked for
    matches: list[TagMatch]
    searched: int  # photos read
    unreadable: int  # photos whose image could not be read (left out)
    model_version: str
    ranked_by: str  # in plain words, which model orders the photos (Predictor.ranks_photos_by)

    @property
    def confident(self) -> int:
        return sum(m.confident for m in self.matches)


def model_tag(labels: Sequence[str], row: int | None, wanted: str) -> int:
    """``row`` (the vocabulary row of ``wanted``) or a plain message naming the closest tags."""
    if row is not None:
        return row
    close = difflib.get_close_matches(wanted, list(labels), n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise HeritageTaggerError(
        f"The active model was not trained on the tag {wanted!r}, so it cannot rank photos for it.{hint}"
    )


def photos_for_tag(
    catalogue: Catalogue,
    tag: str,
    *,
    limit: int = DEFAULT_LIMIT,
    batch_id: int | None = None,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> TagSearch:
    """The ``limit`` photos of the catalogue (or of batch ``batch_id``) that do not carry ``tag`` and
    suit it best (see the module docstring). ModelNotTrainedError when no model is active."""
    from heritage_tagger.services.features import features_for
    from heritage_tagger.services.proposals import proposal_texts
    from heritage_tagger.services.suggesting import active_predictor

    predictor, info = active_predictor(catalogue)
    labels = predictor.model.tag_labels
    row = model_tag(labels, predictor.tag_row(tag.strip()), tag.strip())
    label = labels[row]
    lemmas = predictor.manifest.get("tag_lemmas")
    keys = [label] + ([str(lemmas[row])] if lemmas else [])
    target = catalogue.settings.model.target_precision
    with catalogue.session() as session:
        total = queries.count_without_tag(session, keys, batch_id=batch_id)
    best: list[tuple[float, int, bool]] = []  # a min-heap of (probability, -record id, confident)
    searched = unreadable = after = 0
    progress(Progress("searching", 0, total, f"Reading photos for “{label}”"))
    while True:
        if cancel is not None:
            cancel.check()
        with catalogue.session() as session:
            ids = queries.records_without_tag(session, keys, batch_id=batch_id, after=after, limit=CHUNK)
            if not ids:
                break
            rows = queries.image_rows(session, ids)
            texts = proposal_texts(session, ids)
        after = ids[-1]
        found = features_for(catalogue, rows, predictor, cancel=cancel)
        ok = [i for i in range(len(rows)) if i not in found.failed]
        unreadable += len(rows) - len(ok)
        if ok:
            rids = [rows[i].id for i in ok]
            probs, thresholds = predictor.for_tag(
                row, found.features[ok], predictor.model.self_rows(rids), [texts.get(i) for i in rids], target
            )
            for rid, p, t in zip(rids, probs, thresholds, strict=True):
                item = (float(p), -rid, bool(math.isfinite(t) and p >= t))
                if len(best) < limit:
                    heapq.heappush(best, item)
                elif item > best[0]:
                    heapq.heapreplace(best, item)
        searched += len(rows)
        progress(Progress("searching", searched, total, f"Read {searched:,} of {total:,} photos"))
    ranked = sorted(best, reverse=True)
    ids = [-neg for _, neg, _ in ranked]
    with catalogue.session() as session:
        names = queries.titles(session, ids)
        pending = queries.pending_with_tag(session, ids, keys)
    matches = [
        TagMatch(rid, *names.get(rid, ("", "")), p, confident, rid in pending)
        for (p, _, confident), rid in zip(ranked, ids, strict=True)
    ]
    return TagSearch(
        label, matches, searched - unreadable, unreadable, info.version, predictor.ranks_photos_by
    )

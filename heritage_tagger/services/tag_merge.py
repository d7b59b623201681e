"""Merge tag variants ("woman" into "Women"): previewed, logged as decisions, undoable as one step.

Every record that carries a variant gets the kept tag instead, in the stronger of the two states
(catalogued > accepted > rejected > suggested). Each change of a catalogued, accepted or rejected
tag is logged through ``review.log_decision`` with ``merge_label`` (the kept tag's entry names the
variant, the variant's entry names the kept tag), so exports can trace provenance through a merge
and ``review.undo_group`` can reverse it. Pending suggestions move silently (they are not decisions).
A merge is recorded as a ``jobs`` row of kind ``vocab-merge`` holding its decision ids, which is
what ``undo_merge`` reverses. Variant tags left on no record are deleted; undo recreates them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from heritage_tagger.db import jobs as job_rows
from heritage_tagger.db import tables, tagging
from heritage_tagger.db import vocabularies as vdb
from heritage_tagger.db.engine import Session
from heritage_tagger.db.tagging import clean_label, get_or_create_tags
from heritage_tagger.domain.errors import VocabularyError
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.domain.records import DecisionAction, TagState
from heritage_tagger.services import review
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.vocab.variants import TagUsage, Variant, VariantGroup, find_variants, reason

JOB_KIND = "vocab-merge"
_STRENGTH = {TagState.SUGGESTED: 0, TagState.REJECTED: 1, TagState.ACCEPTED: 2, TagState.CATALOGUED: 3}


@dataclass
class MergeReport:
    """What a merge (or its undo) changed."""

    merge_id: int
    groups: int = 0
    records: int = 0  # record tags moved or folded
    decisions: list[int] = field(default_factory=list)
    removed_tags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class MergeRecord:
    """A merge as listed: when, by whom, what into what, and whether it was undone."""

    id: int
    at: datetime
    reviewer: str
    groups: list[tuple[str, list[str]]]
    decisions: int
    undone: bool


def tag_usage(session: Session) -> list[TagUsage]:
    """Every tag with the records carrying it (catalogued or accepted), those catalogued, and its concept."""
    return tagging.tag_usage(session)


def preview(catalogue: Catalogue) -> list[VariantGroup]:
    """The variant groups of the catalogue (nothing is changed)."""
    with catalogue.session() as session:
        tags = tag_usage(session)
        linked = {t.concept_id for t in tags if t.concept_id is not None}
        preferred = {cid: c.label for cid, c in vdb.concepts_by_id(session, linked).items()}
    return find_variants(tags, preferred)


def explicit_group(catalogue: Catalogue, target: str, variants: Sequence[str]) -> VariantGroup:
    """A group naming its own kept tag and variants (for ``vocab merge --into``); variants must exist."""
    target = clean_label(target)
    with catalogue.session() as session:
        usage = {t.label: t for t in tag_usage(session)}
    missing = [v for v in variants if clean_label(v) not in usage]
    if missing:
        raise VocabularyError(f"The catalogue has no tag {missing[0]!r}.")
    chosen = [usage[clean_label(v)] for v in variants if clean_label(v) != target]
    if not chosen:
        raise VocabularyError("Name at least one tag to merge into another.")
    held = usage.get(target)
    return VariantGroup(
        target,
        tuple(Variant(t.label, t.records, reason(t.label, target)) for t in chosen),
        held.concept_id if held is not None else None,
        target_exists=held is not None,
    )


def _fold(session: Session, group: VariantGroup, reviewer: str, report: MergeReport) -> None:
    target = get_or_create_tags(session, [group.target])[group.target]
    if group.concept_id is not None and target.concept_id is None:
        target.concept_id = group.concept_id
    for variant in group.variants:
        tag = tagging.tag_by_label(session, variant.label)
        if tag is None or tag.id == target.id:
            continue
        rows = tagging.rows_of_tag(session, tag.id)
        held = tagging.rows_beside(session, target.id, tag.id)
        for row in rows:
            report.records += 1
            state, kept = TagState(row.state), held.get(row.record_id)
            if state is TagState.SUGGESTED:
                if kept is None:
                    row.tag_id = target.id
                else:
                    session.delete(row)
                continue
            version = row.model_version.version if row.model_version is not None else None
            before = TagState(kept.state) if kept is not None else None
            takes_over = before is None or _STRENGTH[state] > _STRENGTH[before]
            if kept is None:
                row.tag_id = target.id  # keeps score, source and model version
            else:
                if takes_over:
                    kept.state, kept.score, kept.source = row.state, row.score, row.source
                    kept.model_version_id, kept.updated_at = row.model_version_id, tables.utcnow()
                session.delete(row)
            session.flush()
            if takes_over:  # the kept tag's change first, then the variant's removal
                action = DecisionAction.REJECT if state is TagState.REJECTED else DecisionAction.ADD
                entry = review.log_decision(
                    session, row.record_id, group.target, action, reviewer, before, state, row.score, version,
                    merge_label=variant.label,
                )  # fmt: skip
                report.decisions.append(entry.id or 0)
            entry = review.log_decision(
                session, row.record_id, variant.label, DecisionAction.REMOVE, reviewer, state,
                None, row.score, version, merge_label=group.target,
            )  # fmt: skip
            report.decisions.append(entry.id or 0)
        session.flush()
        if tagging.delete_tag_if_unused(session, tag.id):
            report.removed_tags.append(variant.label)


def merge(
    catalogue: Catalogue,
    groups: Sequence[VariantGroup],
    reviewer: str,
    *,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> MergeReport:
    """Apply ``groups`` in one transaction (all or nothing; a cancellation changes nothing)."""
    if not groups:
        raise VocabularyError("Nothing to merge.")
    with catalogue.session() as session:
        params = {"reviewer": reviewer, "groups": [
            {"target": g.target, "variants": [v.label for v in g.variants]} for g in groups
        ]}  # fmt: skip
        job = job_rows.open_job(session, JOB_KIND, params)
        report = MergeReport(merge_id=job.id)
        for i, group in enumerate(groups):
            if cancel is not None:
                cancel.check()
            _fold(session, group, reviewer, report)
            report.groups += 1
            progress(Progress("Merging tag variants", i + 1, len(groups), group.target))
        job_rows.close_job(job, job_rows.DONE, cursor={"decision_ids": report.decisions})
    return report


def list_merges(catalogue: Catalogue) -> list[MergeRecord]:
    """Every merge, newest first."""
    with catalogue.session() as session:
        out = []
        for job in job_rows.done_jobs(session, JOB_KIND):
            params, cursor = job_rows.load_json(job.params_json), job_rows.load_json(job.cursor_json)
            out.append(
                MergeRecord(
                    id=job.id, at=job.started_at, reviewer=str(params.get("reviewer", "")),
                    groups=[(g["target"], list(g["variants"])) for g in params.get("groups", [])],
                    decisions=len(cursor.get("decision_ids", [])), undone="undone" in cursor,
                )
            )  # fmt: skip
        return out


def undo_merge(catalogue: Catalogue, reviewer: str, merge_id: int | None = None) -> MergeReport:
    """Reverse a merge (the latest one not undone yet, unless ``merge_id`` names one) through
    ``review.undo_group``; refused as a whole when a tag it touched has changed since."""
    with catalogue.session() as session:
        jobs = [
            j
            for j in job_rows.done_jobs(session, JOB_KIND, merge_id)
            if "undone" not in job_rows.load_json(j.cursor_json)
        ]
        if not jobs:
            raise VocabularyError(
                f"No merge {merge_id} to undo." if merge_id is not None else "No merge to undo."
            )
        job_id, cursor = jobs[0].id, job_rows.load_json(jobs[0].cursor_json)
    ids = [int(i) for i in cursor.get("decision_ids", [])]
    try:
        entries = review.undo_group(catalogue, list(reversed(ids)), reviewer)
    except review.ReviewError as exc:
        raise VocabularyError(f"Cannot undo merge {job_id}: {exc}") from exc
    from heritage_tagger.services.tag_links import has_vocabulary, link_tags

    if has_vocabulary(catalogue):
        link_tags(catalogue)  # the variant tags undo recreated are linked again
    with catalogue.session() as session:
        job = job_rows.get_job(session, job_id)
        assert job is not None
        cursor["undone"] = {
            "by": reviewer,
            "at": tables.utcnow().isoformat(),
            "decision_ids": [e.id for e in entries],
        }
        job_rows.set_cursor(job, cursor)
    return MergeReport(
        merge_id=job_id, records=len({(e.record_id) for e in entries}), decisions=[e.id or 0 for e in entries]
    )

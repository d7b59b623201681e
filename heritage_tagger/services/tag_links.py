"""Link the catalogue's tags to vocabulary concepts by label; report what stays unlinked or ambiguous."""

from __future__ import annotations

from dataclasses import dataclass, field

from heritage_tagger.db import vocabularies as vdb
from heritage_tagger.db.tagging import clean_label, tag_by_label, tag_usage
from heritage_tagger.domain.errors import VocabularyError
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.domain.vocabulary import Concept
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.vocab.matching import choose, rank
from heritage_tagger.vocab.normalise import match_keys

CHUNK = 500


@dataclass(frozen=True)
class TagCount:
    """A tag and how many records carry it (catalogued or accepted)."""

    label: str
    records: int


@dataclass(frozen=True)
class AmbiguousTag:
    label: str
    records: int
    candidates: list[Concept]


@dataclass
class LinkReport:
    """What linking did: tags linked now, links kept, and the tags left for a person to look at."""

    linked: int = 0
    kept: int = 0
    unlinked_before: int = 0
    unlinked: list[TagCount] = field(default_factory=list)  # carried by records, most used first
    unused_unlinked: int = 0  # tags on no record (only suggested or rejected) left unlinked
    ambiguous: list[AmbiguousTag] = field(default_factory=list)
    changed: int = 0  # tags whose link changed (relink)

    @property
    def linked_total(self) -> int:
        return self.linked + self.kept


def has_vocabulary(catalogue: Catalogue) -> bool:
    """Whether the catalogue has an active, complete vocabulary to link tags to."""
    with catalogue.session() as session:
        return vdb.has_usable(session)


def link_tags(
    catalogue: Catalogue,
    *,
    relink: bool = False,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> LinkReport:
    """Link every unlinked tag (every tag with ``relink``) whose label names one concept.

    A tag links when its label equals a preferred, alternative or hidden label of a concept in an
    active vocabulary, ignoring case, punctuation and plurals. Tags naming two concepts of one
    vocabulary equally well are left unlinked and listed as ambiguous. With ``relink`` links are
    recomputed and tags that no longer match are unlinked. One transaction per chunk of tags.
    """
    report = LinkReport()
    with catalogue.session() as session:
        rows = [(t.id, t.label, t.concept_id, t.records) for t in tag_usage(session)]
    todo = [r for r in rows if relink or r[2] is None]
    report.kept = sum(1 for r in rows if not relink and r[2] is not None)
    report.unlinked_before = sum(1 for r in rows if r[2] is None)
    for start in range(0, len(todo), CHUNK):
        if cancel is not None:
            cancel.check()
        chunk = todo[start : start + CHUNK]
        keys = {tag_id: match_keys(label) for tag_id, label, _, _ in chunk}
        with catalogue.session() as session:
            found = vdb.labels_by_keys(session, set().union(*keys.values()))
            by_key: dict[str, list[vdb.LabelRow]] = {}
            for row in found:
                by_key.setdefault(row.norm, []).append(row)
                if row.lemma != row.norm:
                    by_key.setdefault(row.lemma, []).append(row)
            updates: list[tuple[int, int | None]] = []
            for tag_id, label, old, uses in chunk:
                rows_for = {id(r): r for k in keys[tag_id] for r in by_key.get(k, [])}.values()
                best, tied = choose(rank(label, [vdb.as_candidate(r) for r in rows_for]))
                new = best.candidate.concept_id if best is not None else None
                if new is not None:
                    report.linked += 1
                elif tied:
                    concepts = {r.concept_id: r for r in rows_for}
                    report.ambiguous.append(AmbiguousTag(label, int(uses), [
                        Concept(c.candidate.concept_id, concepts[c.candidate.concept_id].uri,
                                concepts[c.candidate.concept_id].concept_label,
                                concepts[c.candidate.concept_id].vocabulary)
                        for c in tied
                    ]))  # fmt: skip
                elif uses:
                    report.unlinked.append(TagCount(label, int(uses)))
                else:
                    report.unused_unlinked += 1
                if new != old:
                    updates.append((tag_id, new))
            report.changed += vdb.link_tags(session, updates)
        progress(Progress("Linking tags", min(len(todo), start + CHUNK), len(todo)))
    report.unlinked.sort(key=lambda t: (-t.records, t.label.casefold()))
    report.ambiguous.sort(key=lambda t: (-t.records, t.label.casefold()))
    return report


def link_tag(catalogue: Catalogue, label: str, uri: str | None) -> Concept | None:
    """Link one tag to the concept with ``uri`` by hand (``None`` unlinks it); returns the concept."""
    label = clean_label(label)
    with catalogue.session() as session:
        tag = tag_by_label(session, label)
        if tag is None:
            raise VocabularyError(f"The catalogue has no tag {label!r}.")
        concept = None
        if uri is not None:
            concept = vdb.concept_by_uri(session, uri)
            if concept is None:
                raise VocabularyError(f"No concept with the URI {uri} in the catalogue's vocabularies.")
        tag.concept_id = concept.id if concept is not None else None
        return concept

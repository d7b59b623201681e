"""Tag variants to merge: the same concept written with another case, plural, trailing punctuation or alt label.

Two sources of groups: tags linked to one concept, with the unlinked tags sharing a match key with
them (merged into the concept's preferred label), and other unlinked tags that share a match key (merged into the catalogue's own form: a label without trailing
punctuation, then the one catalogued on most records, then the most used one). Homographs such as "Glasses"/"Glass" share a lemma too,
which is why merges are previewed and applied group by group.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from heritage_tagger.text.lemmatise import strip_heading_punctuation
from heritage_tagger.vocab.normalise import label_key, match_keys

REASONS = ("case", "punctuation", "plural", "alt label")


@dataclass(frozen=True)
class TagUsage:
    """A catalogue tag with how many records carry it (catalogued or accepted) and its concept link."""

    id: int
    label: str
    records: int = 0
    catalogued: int = 0
    concept_id: int | None = None


@dataclass(frozen=True)
class Variant:
    label: str
    records: int
    reason: str  # one of REASONS


@dataclass(frozen=True)
class VariantGroup:
    """Tags to fold into ``target`` (which exists as a tag unless ``target_exists`` is false)."""

    target: str
    variants: tuple[Variant, ...]
    concept_id: int | None = None
    target_exists: bool = True

    @property
    def records(self) -> int:
        return sum(v.records for v in self.variants)


def reason(variant: str, target: str) -> str:
    """Why ``variant`` is a form of ``target``: the first of case, punctuation, plural, else alt label."""
    if variant.casefold() == target.casefold():
        return "case"
    if label_key(variant) == label_key(target):
        return "punctuation"
    if match_keys(variant) & match_keys(target):
        return "plural"
    return "alt label"


def _preference(tag: TagUsage) -> tuple[int, int, int, int, str]:
    tidy = strip_heading_punctuation(tag.label) == tag.label
    capital = tag.label[:1].isupper()
    return (0 if tidy else 1, -tag.catalogued, -tag.records, 0 if capital else 1, tag.label)


def _unlinked_groups(tags: Sequence[TagUsage]) -> list[list[TagUsage]]:
    parent = list(range(len(tags)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, tag in enumerate(tags):
        for key in match_keys(tag.label):
            if key in owner:
                parent[find(i)] = find(owner[key])
            else:
                owner[key] = i
    groups: dict[int, list[TagUsage]] = defaultdict(list)
    for i, tag in enumerate(tags):
        groups[find(i)].append(tag)
    return [g for g in groups.values() if len(g) > 1]


def find_variants(tags: Sequence[TagUsage], preferred: Mapping[int, str]) -> list[VariantGroup]:
    """Groups of variants in ``tags``; ``preferred`` maps a concept id to its preferred label."""
    by_label = {t.label: t for t in tags}
    out: list[VariantGroup] = []
    linked: dict[int, list[TagUsage]] = defaultdict(list)
    for tag in tags:
        if tag.concept_id is not None and tag.concept_id in preferred:
            linked[tag.concept_id].append(tag)
    # an unlinked tag whose keys meet those of exactly one concept's tags (or its preferred label) joins it
    key_concepts: dict[str, set[int]] = defaultdict(set)
    for concept_id, members in linked.items():
        for label in (preferred[concept_id], *(t.label for t in members)):
            for key in match_keys(label):
                key_concepts[key].add(concept_id)
    joined: set[int] = set()
    for tag in tags:
        if tag.concept_id is None or tag.concept_id not in preferred:
            found = set().union(*(key_concepts.get(k, set()) for k in match_keys(tag.label)))
            if len(found) == 1:
                linked[found.pop()].append(tag)
                joined.add(tag.id)
    for concept_id, members in linked.items():
        target = preferred[concept_id]
        holder = by_label.get(target)
        if holder is not None and holder.concept_id not in (None, concept_id):
            continue  # the preferred label is a tag linked elsewhere: leave both alone
        variants = tuple(
            Variant(t.label, t.records, reason(t.label, target))
            for t in sorted(members, key=_preference)
            if t.label != target
        )
        if variants:
            out.append(VariantGroup(target, variants, concept_id, target_exists=holder is not None))
    unlinked = [
        t for t in tags if (t.concept_id is None or t.concept_id not in preferred) and t.id not in joined
    ]
    taken = {g.target for g in out}
    for group in _unlinked_groups(unlinked):
        ordered = sorted(group, key=_preference)
        target = ordered[0].label
        if target in taken:
            continue
        variants = tuple(Variant(t.label, t.records, reason(t.label, target)) for t in ordered[1:])
        out.append(VariantGroup(target, variants, None, target_exists=True))
    out.sort(
        key=lambda g: (
            -(g.records + by_label[g.target].records if g.target in by_label else g.records),
            g.target,
        )
    )
    return out

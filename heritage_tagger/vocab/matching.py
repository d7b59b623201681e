"""Rank the concept labels found for a text: how well it matched, which label kind, which language."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from heritage_tagger.domain.vocabulary import LabelKind, MatchHow
from heritage_tagger.vocab.normalise import label_key, match_keys

_KIND_ORDER = {LabelKind.PREF: 0, LabelKind.ALT: 1, LabelKind.HIDDEN: 2}
_HOW_ORDER = {MatchHow.EXACT: 0, MatchHow.NORMALISED: 1, MatchHow.LEMMA: 2}


@dataclass(frozen=True)
class Candidate:
    """A label of a concept, as the database holds it (the caller's row type adapted)."""

    label: str
    kind: LabelKind
    lang: str
    norm: str
    lemma: str
    concept_id: int
    vocabulary_id: int
    vocabulary_language: str


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    how: MatchHow
    rank: tuple[int, int, int]  # (how, kind, language), lower is better


def language_ok(label_lang: str, vocabulary_language: str) -> bool:
    """Labels are matched in the vocabulary's language (and labels without one); other languages are kept
    for display but never matched, so that "chat" (French) does not link an English tag."""
    if not vocabulary_language or not label_lang:
        return True
    return label_lang.split("-")[0] == vocabulary_language.split("-")[0]


def rank(text: str, candidates: Iterable[Candidate]) -> list[Ranked]:
    """The candidates that match ``text`` (keys from :func:`match_keys`), best first; one entry per concept."""
    keys = match_keys(text)
    own = label_key(text)
    tidy = " ".join(text.split())
    best: dict[int, Ranked] = {}
    for cand in candidates:
        if not language_ok(cand.lang, cand.vocabulary_language):
            continue
        if " ".join(cand.label.split()) == tidy:
            how = MatchHow.EXACT
        elif cand.norm == own:
            how = MatchHow.NORMALISED
        elif cand.norm in keys or cand.lemma in keys:
            how = MatchHow.LEMMA
        else:
            continue
        lang_rank = 0 if cand.lang and cand.lang == cand.vocabulary_language else 1
        ranked = Ranked(cand, how, (_HOW_ORDER[how], _KIND_ORDER[cand.kind], lang_rank))
        held = best.get(cand.concept_id)
        if held is None or ranked.rank < held.rank:
            best[cand.concept_id] = ranked
    return sorted(best.values(), key=lambda r: (r.rank, r.candidate.vocabulary_id, r.candidate.concept_id))


def choose(ranked: list[Ranked]) -> tuple[Ranked | None, list[Ranked]]:
    """The concept to link and, when none can be chosen, the tied candidates.

    The best-ranked concept wins; an equally good concept in the same vocabulary makes the text
    ambiguous (homonyms such as "Mercury"), while one in a later-imported vocabulary does not (the
    first vocabulary is preferred).
    """
    if not ranked:
        return None, []
    top = ranked[0]
    tied = [
        r for r in ranked if r.rank == top.rank and r.candidate.vocabulary_id == top.candidate.vocabulary_id
    ]
    if len(tied) > 1:
        return None, tied
    return top, []

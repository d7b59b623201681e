"""Match keys, ranking of label candidates, hierarchy walks over cyclic and polyhierarchical edges."""

from __future__ import annotations

import pytest

from heritage_tagger.domain.vocabulary import LabelKind, MatchHow
from heritage_tagger.vocab.hierarchy import broader_paths, narrower_closure
from heritage_tagger.vocab.matching import Candidate, choose, rank
from heritage_tagger.vocab.normalise import label_key, lemma_key, match_keys


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("United States.", "united states"),
        ("  united   STATES ", "united states"),
        ("Parades & processions", "parades and processions"),
        ("Ford's Theatre", "fords theatre"),
        ("Ford’s Theatre", "fords theatre"),
        ("Women--Employment", "women employment"),
        ("Ｗomen", "women"),  # NFKC: fullwidth letters
        ("Vivandières", "vivandières"),  # accents are kept
    ],
)
def test_label_key_ignores_case_and_punctuation(text: str, key: str) -> None:
    assert label_key(text) == key


def test_lemma_keys_and_match_keys() -> None:
    assert lemma_key("Women") == lemma_key("woman") == "woman"
    assert lemma_key("United States.") == "united states"
    assert match_keys("Cherry Blossoms") >= {"cherry blossoms", "cherry blossom"}  # a name by case, or not
    assert match_keys("...") == frozenset()


def cand(
    label: str, concept: int, kind: LabelKind = LabelKind.PREF, lang: str = "en", vocab: int = 1
) -> Candidate:
    return Candidate(label, kind, lang, label_key(label), lemma_key(label), concept, vocab, "en")


def test_rank_prefers_exact_then_normalised_then_lemma_and_pref_over_alt() -> None:
    ranked = rank("Women", [cand("Woman", 1), cand("women", 2), cand("Women", 3, LabelKind.ALT)])
    assert [(r.candidate.concept_id, r.how) for r in ranked] == [
        (3, MatchHow.EXACT), (2, MatchHow.NORMALISED), (1, MatchHow.LEMMA)
    ]  # fmt: skip
    best, tied = choose(ranked)
    assert best is not None and best.candidate.concept_id == 3 and not tied


def test_other_languages_are_not_matched() -> None:
    assert rank("chat", [cand("Chat", 1, lang="fr")]) == []
    assert [r.candidate.concept_id for r in rank("chat", [cand("Chat", 1, lang="")])] == [1]


def test_homonyms_in_one_vocabulary_are_ambiguous_but_a_later_vocabulary_yields() -> None:
    same = rank("Mercury", [cand("Mercury", 1, LabelKind.ALT), cand("Mercury", 2, LabelKind.ALT)])
    best, tied = choose(same)
    assert best is None and {t.candidate.concept_id for t in tied} == {1, 2}
    two = rank(
        "Mercury", [cand("Mercury", 1, LabelKind.ALT, vocab=1), cand("Mercury", 2, LabelKind.ALT, vocab=2)]
    )
    best, tied = choose(two)
    assert best is not None and best.candidate.concept_id == 1 and not tied
    assert choose([]) == (None, [])


def test_broader_paths_follow_the_first_parent_and_stop_at_cycles() -> None:
    edges = {4: [3], 3: [2, 9], 2: [1], 1: [4]}  # 1 -> 4 closes a cycle; 3 has two parents

    def parents(ids: object) -> dict[int, list[int]]:
        return {i: edges[i] for i in ids if i in edges}  # type: ignore[attr-defined]

    paths = broader_paths([4, 2, 7], parents)
    assert paths[4] == [1, 2, 3]  # top down, the cycle back to 4 is cut
    assert paths[2] == [9, 3, 4, 1]  # at 3 the first parent is the start itself: the next one is taken
    assert paths[7] == []


def test_narrower_closure_visits_each_once() -> None:
    down = {1: [2, 3], 2: [4], 3: [4], 4: [1]}
    assert narrower_closure(1, lambda ids: {i: down.get(i, []) for i in ids}) == {1, 2, 3, 4}

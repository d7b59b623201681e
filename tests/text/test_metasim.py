"""Eqs. 1-3 on hand-computed examples, and pair choice against a brute-force dense computation."""

from __future__ import annotations

import numpy as np
import pytest

from heritage_tagger.domain.errors import CancelledError
from heritage_tagger.domain.progress import CancelToken, Progress
from heritage_tagger.text import metasim as ms
from heritage_tagger.text.lemmatise import token_set
from heritage_tagger.text.metasim import (
    MetadataSimilarity,
    choose_pairs,
    jaccard,
    location_indicator,
    metasim,
)


def test_jaccard_eq1() -> None:
    assert jaccard({"a", "b", "c"}, {"b", "c", "d"}) == pytest.approx(2 / 4)
    assert jaccard({"a"}, {"b"}) == 0.0
    assert jaccard(set(), set()) == 0.0
    assert jaccard({"a", "b"}, {"a", "b"}) == 1.0


def test_jaccard_on_lemmatised_descriptions() -> None:
    a = token_set("Opening of the Harbour Bridge")  # {opening, harbour, bridge}
    b = token_set("Crowds at the bridge opening ceremony")  # {crowd, bridge, opening, ceremony}
    assert {"harbour", "bridge"} <= a and "crowd" in b
    assert jaccard(a, b) == pytest.approx(2 / 5)


def test_location_indicator_eq2() -> None:
    assert location_indicator("Sydney ", "sydney") == 1.0
    assert location_indicator("Sydney", "Melbourne") == 0.0
    assert location_indicator("", "") == 0.0
    assert location_indicator(None, None) == 0.0


def test_metasim_eq3() -> None:
    a = {"harbour", "bridge", "opening"}
    b = {"bridge", "opening", "ceremony", "crowd"}
    assert metasim(a, b, "Sydney", "Sydney", lam=0.85) == pytest.approx(0.4 + 0.85)
    assert metasim(a, b, "Sydney", "Perth", lam=0.85) == pytest.approx(0.4)
    assert metasim(a, b, "Sydney", "Sydney", lam=0.5) == pytest.approx(0.9)


# 0: {a,b,c} X   1: {a,b,d} Y   2: {e,f} X   3: {g} Z   4: nothing   5: {h} W
# metasim: (0,1) = 2/4 = 0.5, (0,2) = 0 + 0.85 = 0.85, every other pair 0.
WORDS = [{"a", "b", "c"}, {"a", "b", "d"}, {"e", "f"}, {"g"}, set(), {"h"}]
PLACES = ["X", "Y", "x ", "Z", None, "W"]


def test_similarity_rows_match_hand_values() -> None:
    sim = MetadataSimilarity(WORDS, PLACES, lam=0.85)
    row0 = sim.rows(0, 1)[0]
    assert row0[1:] == pytest.approx([0.5, 0.85, 0.0, 0.0, 0.0])
    assert sim.pair(1, 0) == pytest.approx(0.5)
    assert sim.pair(3, 4) == 0.0
    assert list(sim.has_metadata) == [True, True, True, True, False, True]


def _pairs_of(pairs: ms.PairSet, anchor: int, label: float) -> set[int]:
    sel = (pairs.anchor == anchor) & (pairs.label == label)
    return set(pairs.other[sel].tolist())


def test_choose_pairs_hand_example() -> None:
    pairs = choose_pairs(WORDS, PLACES, n_pos=1, n_neg=2, lam=0.85, seed=0)
    assert pairs.anchor.dtype == np.int64 and pairs.other.dtype == np.int64
    assert pairs.label.dtype == np.float32
    assert _pairs_of(pairs, 0, 1.0) == {2}  # 0.85 beats 0.5
    assert _pairs_of(pairs, 0, 0.0) == {3, 5}  # the two at metasim 0 (4 has no metadata)
    assert _pairs_of(pairs, 1, 1.0) == {0}
    assert len(_pairs_of(pairs, 1, 0.0)) == 2 and _pairs_of(pairs, 1, 0.0) <= {2, 3, 5}
    assert _pairs_of(pairs, 2, 1.0) == {0}
    assert len(_pairs_of(pairs, 2, 0.0)) == 2 and _pairs_of(pairs, 2, 0.0) <= {1, 3, 5}
    # 3 and 5 are equally dissimilar to everyone: no pairs; 4 has no metadata: in no pair
    assert not np.isin(pairs.anchor, [3, 4, 5]).any()
    assert 4 not in pairs.other
    assert pairs.n_without_metadata == 1
    assert pairs.n_without_positive == 3
    assert pairs.similarity[pairs.label == 1] == pytest.approx([0.85, 0.5, 0.85])
    assert np.all(pairs.similarity[pairs.label == 0] == 0)


def test_choose_pairs_two_positives_and_lambda() -> None:
    pairs = choose_pairs(WORDS, PLACES, n_pos=2, n_neg=1, lam=0.85, seed=0)
    assert _pairs_of(pairs, 0, 1.0) == {1, 2}
    # with lambda 0.2 the location weighs less than the shared words
    pairs = choose_pairs(WORDS, PLACES, n_pos=1, n_neg=1, lam=0.2, seed=0)
    assert _pairs_of(pairs, 0, 1.0) == {1}


def test_ties_are_broken_by_the_seed() -> None:
    first = choose_pairs(WORDS, PLACES, seed=3)
    again = choose_pairs(WORDS, PLACES, seed=3)
    assert np.array_equal(first.other, again.other)
    choices = {tuple(sorted(_pairs_of(choose_pairs(WORDS, PLACES, seed=s), 1, 0.0))) for s in range(12)}
    assert len(choices) > 1


def _random_records(n: int, seed: int) -> tuple[list[set[str]], list[str | None]]:
    rng = np.random.default_rng(seed)
    vocab = [f"w{k}" for k in range(25)]
    p = 1.0 / np.arange(1, 26)
    p /= p.sum()
    words = [set(rng.choice(vocab, size=rng.integers(0, 6), p=p).tolist()) for _ in range(n)]
    places: list[str | None] = [None if rng.random() < 0.2 else f"P{rng.integers(0, 6)}" for _ in range(n)]
    return words, places


@pytest.mark.parametrize("block_elements", [8_000_000, 7 * 200])
def test_choose_pairs_matches_brute_force(monkeypatch: pytest.MonkeyPatch, block_elements: int) -> None:
    monkeypatch.setattr(ms, "_BLOCK_ELEMENTS", block_elements)
    words, places = _random_records(200, seed=1)
    n = len(words)
    dense = np.array(
        [[metasim(words[i], words[j], places[i], places[j], 0.85) for j in range(n)] for i in range(n)]
    )
    pairs = choose_pairs(words, places, n_pos=1, n_neg=2, lam=0.85, seed=7)
    assert np.allclose(pairs.similarity, dense[pairs.anchor, pairs.other], atol=1e-6)
    assert not np.any(pairs.anchor == pairs.other)
    assert all(words[j] or places[j] for j in pairs.other)  # no partner without metadata
    without_positive = 0
    for i in range(n):
        known = np.array([bool(w or p) for w, p in zip(words, places, strict=True)])
        known[i] = False
        row = dense[i, known]
        pos = dense[i, list(_pairs_of(pairs, i, 1.0))]
        neg = dense[i, list(_pairs_of(pairs, i, 0.0))]
        if not (words[i] or places[i]):
            assert pos.size == 0 and neg.size == 0
            without_positive += 1
            continue
        if row.max() > 0:
            assert pos.size == 1 and pos[0] == pytest.approx(row.max(), abs=1e-6)
        else:
            assert pos.size == 0
            without_positive += 1
        expected_neg = np.sort(row[row < row.max()])[:2]
        assert np.sort(neg) == pytest.approx(expected_neg, abs=1e-6)
    assert pairs.n_without_positive == without_positive
    assert pairs.n_without_metadata == sum(1 for w, p in zip(words, places, strict=True) if not w and not p)


def test_block_size_does_not_change_the_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    words, places = _random_records(120, seed=2)
    big = choose_pairs(words, places, seed=5)
    monkeypatch.setattr(ms, "_BLOCK_ELEMENTS", 5 * 120)
    small = choose_pairs(words, places, seed=5)
    assert np.array_equal(big.anchor, small.anchor)
    assert np.array_equal(big.other, small.other)
    assert np.array_equal(big.label, small.label)


def test_tiny_collections() -> None:
    assert len(choose_pairs([], [])) == 0
    assert len(choose_pairs([{"a"}], ["X"])) == 0
    two = choose_pairs([{"a"}, {"a", "b"}], [None, None])
    # one other image: it is the most similar and nothing is less similar
    assert two.label.tolist() == [1.0, 1.0] and two.other.tolist() == [1, 0]


def test_progress_and_cancel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ms, "_BLOCK_ELEMENTS", 10 * 50)
    words, places = _random_records(50, seed=3)
    reports: list[Progress] = []
    choose_pairs(words, places, progress=reports.append)
    assert reports[-1].done == reports[-1].total == 50 and len(reports) > 2
    token = CancelToken()
    token.cancel()
    with pytest.raises(CancelledError):
        choose_pairs(words, places, cancel=token)

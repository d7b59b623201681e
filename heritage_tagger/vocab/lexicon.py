"""Labels named in a caption: which candidate labels (tags, concept labels) a title or description mentions.

The candidates come from the caller (``LexiconEntry``: a label, its match keys, and a concept URI
when it names one), so the same matcher serves the catalogue's tags today and a vocabulary's
preferred and alternative labels tomorrow. A caption is cut into words by ``label_key`` (case,
punctuation and ``&`` folded) and every run of up to ``max_words`` consecutive words is looked up
as written ("cherry blossoms"), without possessives ("Lindbergh's" -> "lindbergh") and with each
word lemmatised ("cherry blossom"), against
the entries' keys (``vocab.normalise.match_keys``: the label's own key and its lemma keys). So
"Cherry Blossoms around the Tidal Basin" names "Cherry blossom", "Tidal Basin (Washington, D.C.)"
does not match "tidal basin" (the qualifier is part of the label) while "Tidal Basin" does, and a
multi-word label is found only as a whole phrase, never from its words scattered in the text.
Labels made only of stop words or of one or two letters are left out: they name nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from heritage_tagger.vocab.normalise import label_key, lemma_key, match_keys

MAX_WORDS = 8  # the longest label looked for, in words
_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b")


@dataclass(frozen=True)
class LexiconEntry:
    """One candidate label: what is proposed (``label``), the keys a caption phrase may match, and the
    concept it names when it comes from a vocabulary (None for a plain catalogue tag)."""

    label: str
    keys: frozenset[str]
    concept_uri: str | None = None

    @classmethod
    def for_label(
        cls, label: str, concept_uri: str | None = None, other_labels: Iterable[str] = ()
    ) -> LexiconEntry:
        """An entry matched by ``label`` and, for a concept, its ``other_labels`` (alternative labels)."""
        keys = set(match_keys(label))
        for other in other_labels:
            keys |= match_keys(other)
        return cls(label, frozenset(keys), concept_uri)


@dataclass(frozen=True)
class LexiconHit:
    """A label found in a caption: the entry's position, the words that named it and how they matched."""

    entry: int
    phrase: str  # the caption's words, as keyed
    lemmatised: bool  # matched only once its words were lemmatised ("blossoms" -> "blossom")
    words: int  # how many words the phrase has


@lru_cache(maxsize=65536)
def _word_lemma(word: str) -> str:
    return lemma_key(word) or word


def _meaningful(key: str) -> bool:
    from heritage_tagger.text.lemmatise import tokens

    return len(key.replace(" ", "")) > 2 and bool(tokens(key))


class Lexicon:
    """An index of candidate labels by match key; ``find(text)`` lists the labels a caption names."""

    def __init__(self, entries: Sequence[LexiconEntry], max_words: int = MAX_WORDS) -> None:
        self.entries = list(entries)
        self.max_words = max_words
        self._by_key: dict[str, list[int]] = {}
        for i, entry in enumerate(self.entries):
            for key in entry.keys:
                if key and _meaningful(key):
                    self._by_key.setdefault(key, []).append(i)
        self._longest = min(max_words, max((k.count(" ") + 1 for k in self._by_key), default=0))

    def __len__(self) -> int:
        return len(self.entries)

    @classmethod
    def of_labels(cls, labels: Iterable[str]) -> Lexicon:
        """A lexicon of plain labels (no concept): the catalogue's tags."""
        return cls([LexiconEntry.for_label(label) for label in dict.fromkeys(labels)])

    def find(self, text: str) -> list[LexiconHit]:
        """Every entry some phrase of ``text`` names (each entry once: the longest, plainest match)."""
        words = label_key(text or "").split()
        if not words or not self._by_key:
            return []
        bare = label_key(_POSSESSIVE.sub("", text)).split()
        if len(bare) != len(words):  # "'s" standing alone: keep the words as written
            bare = words
        lemmas = [_word_lemma(w) for w in bare]
        best: dict[int, LexiconHit] = {}
        for start in range(len(words)):
            for length in range(1, min(self._longest, len(words) - start) + 1):
                plain = " ".join(words[start : start + length])
                stripped = " ".join(bare[start : start + length])
                lemmatised = " ".join(lemmas[start : start + length])
                for key, is_lemma in ((plain, False), (stripped, False), (lemmatised, True)):
                    for entry in self._by_key.get(key, ()):
                        hit = LexiconHit(entry, plain, is_lemma and key != plain, length)
                        old = best.get(entry)
                        if old is None or (hit.words, not hit.lemmatised) > (old.words, not old.lemmatised):
                            best[entry] = hit
        return sorted(best.values(), key=lambda h: h.entry)

    def labels_in(self, text: str) -> list[str]:
        """The labels ``text`` names, in entry order."""
        return [self.entries[h.entry].label for h in self.find(text)]

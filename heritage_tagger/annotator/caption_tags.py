"""The lexical pathway's own confidence: how often a catalogue tag named in a record's caption is one of its tags.

A tag the model was never trained on (new in this batch, or too rare to learn) can still be proposed
when the caption names it (``vocab.lexicon``); its probability is the share of such matches that
were right on the training catalogue. That share is measured leaving each record out: a record's
caption counts only the labels some other record carries, so a heading used once cannot vouch for
itself. Labels are compared by lemma key (``vocab.normalise.lemma_key``: "Cherry Blossoms" and
"Cherry blossom" are one label). Matches of several words ("Tidal Basin") are counted apart from
one-word matches ("mural"), each share pulled towards the overall one by ``PRIOR_WEIGHT`` matches.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from heritage_tagger.annotator.text_inputs import RecordText
from heritage_tagger.vocab.lexicon import Lexicon, LexiconEntry, LexiconHit
from heritage_tagger.vocab.normalise import lemma_key

PRIOR_WEIGHT = 5.0
CLASSES = ("phrase", "word")


def hit_class(hit: LexiconHit) -> str:
    return "phrase" if hit.words >= 2 else "word"


@dataclass
class LexicalPrior:
    """Matches and right matches per class, and the probability they give a caption-named tag."""

    matches: dict[str, int] = field(default_factory=dict)
    right: dict[str, int] = field(default_factory=dict)

    def overall(self) -> float:
        n, k = sum(self.matches.values()), sum(self.right.values())
        return (k + 1.0) / (n + 2.0)

    def probability(self, cls: str) -> float:
        """The smoothed share right of matches of this class (``hit_class``)."""
        prior = self.overall()
        n, k = self.matches.get(cls, 0), self.right.get(cls, 0)
        return (k + PRIOR_WEIGHT * prior) / (n + PRIOR_WEIGHT)

    def as_dict(self) -> dict[str, Any]:
        return {
            "matches": dict(self.matches),
            "right": dict(self.right),
            "probability": {c: round(self.probability(c), 4) for c in CLASSES},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> LexicalPrior:
        data = data or {}
        return cls(
            {str(k): int(v) for k, v in dict(data.get("matches", {})).items()},
            {str(k): int(v) for k, v in dict(data.get("right", {})).items()},
        )


def lexical_prior(texts: Sequence[RecordText], labels: Sequence[Sequence[str]]) -> LexicalPrior:
    """Measure the lexical pathway on a catalogue: ``texts[i]`` and the labels record ``i`` carries."""
    keys = [{lemma_key(label) for label in record if label.strip()} for record in labels]
    usage = Counter(key for record in keys for key in record)
    display: dict[str, str] = {}
    for record in labels:
        for label in record:
            display.setdefault(lemma_key(label), label)
    order = sorted(k for k in display if k)
    lexicon = Lexicon([LexiconEntry.for_label(display[k]) for k in order])
    prior = LexicalPrior({c: 0 for c in CLASSES}, {c: 0 for c in CLASSES})
    for text, carried in zip(texts, keys, strict=True):
        if text.empty:
            continue
        for hit in lexicon.find(text.searchable()):
            key = order[hit.entry]
            if usage[key] - (1 if key in carried else 0) < 1:
                continue  # no other record carries it: it cannot vouch for itself
            cls = hit_class(hit)
            prior.matches[cls] += 1
            prior.right[cls] += int(key in carried)
    return prior

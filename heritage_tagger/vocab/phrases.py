"""The phrases of a caption that may name a concept: runs of up to a few words, longest first.

A caption ("Female students playing basketball, Western High School, Washington, D.C.") is cut at
white space; each run of one to ``max_words`` words, with the punctuation around it dropped, is a
phrase ("Washington, D.C.", "Western High School", "basketball"). Runs that start or end with a
small word ("of the", "the Library") or have fewer than three letters ("2 pm") name nothing and
are left out. :func:`claim` then keeps the longest phrases that matched, so that "Washington, D.C."
wins over "Washington" and a multi-word heading is never built from words scattered in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

MAX_WORDS = 6
_ABBREVIATION = re.compile(r"(?:^|[\s(])(?:[^\W\d_]\.)+$")  # "D.C.", "U.S.A.": the period is kept
_CLOSERS = {")": "(", "]": "["}
SMALL_WORDS = frozenset(
    """a an the and or nor but of in on at for with from by to as into onto upon over under about
    between during without against among through after before near its his her their our your my
    this that these those is are was were be been being has have had it he she they we you i
    who whom which what where when while some any all no not other another each""".split()
)


@dataclass(frozen=True)
class Phrase:
    """Words ``start`` .. ``start + words`` of a caption, as written (outer punctuation dropped)."""

    text: str
    start: int
    words: int

    @property
    def span(self) -> range:
        return range(self.start, self.start + self.words)


def _clean(text: str) -> str:
    """``text`` without the punctuation around it; an abbreviation's period and a bracket closing one
    opened inside stay ("Washington (D.C.)", not "Washington (D.C.")."""
    i, j = 0, len(text)
    while i < j and not text[i].isalnum():
        i += 1
    while j > i and not text[j - 1].isalnum():
        end = text[j - 1]
        kept = text[i : j - 1]
        if end in _CLOSERS and kept.count(_CLOSERS[end]) > kept.count(end):
            break
        if end == "." and _ABBREVIATION.search(text[i:j]):
            break
        j -= 1
    return text[i:j]


def phrases(text: str, max_words: int = MAX_WORDS) -> list[Phrase]:
    """Every phrase of ``text`` worth looking up, longest first, then in reading order."""
    raw = text.split()
    words = [_clean(w) for w in raw]
    out: list[Phrase] = []
    for length in range(min(max_words, len(words)), 0, -1):
        for start in range(len(words) - length + 1):
            run = words[start : start + length]
            if not run[0] or not run[-1]:
                continue  # a word of punctuation only ("-") at an edge
            low = [w.casefold() for w in run]
            if low[0] in SMALL_WORDS or low[-1] in SMALL_WORDS:
                continue
            if sum(ch.isalpha() for w in low for ch in w) < 3:
                continue  # "2 pm", "D.C." alone
            out.append(Phrase(_clean(" ".join(raw[start : start + length])), start, length))
    return out


def claim(found: Iterable[Phrase]) -> list[Phrase]:
    """The matched phrases to keep: longest first, none overlapping the words of one kept before."""
    taken: set[int] = set()
    kept: list[Phrase] = []
    for phrase in sorted(found, key=lambda p: (-p.words, p.start)):
        if taken.isdisjoint(phrase.span):
            kept.append(phrase)
            taken.update(phrase.span)
    return sorted(kept, key=lambda p: p.start)

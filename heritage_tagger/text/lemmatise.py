"""Lemmas with spaCy's English lookup lemmatiser (spacy-lookups-data); no trained pipeline needed."""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

_LOCK = threading.Lock()
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)


@lru_cache(maxsize=1)
def _pipeline() -> Language:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


def _lemmas(text: str) -> list[tuple[str, bool]]:
    """(lemma, is_stop) for each alphabetic word of ``text``, lower-cased first."""
    with _LOCK:  # spaCy's Language object is not documented as thread-safe
        doc = _pipeline()(text.lower())
    out = []
    for token in doc:
        if not token.is_alpha:
            continue
        lemma = token.lemma_ or token.text
        out.append((lemma, token.is_stop or lemma in _pipeline().Defaults.stop_words))
    return out


def tokens(text: str) -> list[str]:
    """Lower-case lemmas of the alphabetic words of ``text``, stop words removed (for eq. 1)."""
    if not text or not _WORD.search(text):
        return []
    return [lemma for lemma, stop in _lemmas(text) if not stop and len(lemma) > 1]


def token_set(text: str) -> frozenset[str]:
    """The set of description words ``v_i`` used by the Jaccard similarity."""
    return frozenset(tokens(text))


@lru_cache(maxsize=65536)
def lemmatise_tag(label: str) -> str:
    """A tag's dictionary form, e.g. "Theatre foyers" -> "theatre foyer" (stop words kept)."""
    words = [lemma for lemma, _ in _lemmas(label.strip())]
    return " ".join(words) if words else label.strip().lower()

"""Match keys for labels: case-, punctuation- and lemma-insensitive forms of a heading."""

from __future__ import annotations

import re
import unicodedata

from heritage_tagger.text.lemmatise import lemmatise_tag

KEY_LENGTH = 255  # keys are indexed columns (String(255))
_APOSTROPHES = re.compile(r"['’ʼ]")
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def label_key(text: str) -> str:
    """``text`` without case, punctuation or a trailing period: "United States." -> "united states",
    "Parades & processions" -> "parades and processions", "Ford's Theatre" -> "fords theatre"."""
    text = unicodedata.normalize("NFKC", text).replace("&", " and ")
    text = _NOT_WORD.sub(" ", _APOSTROPHES.sub("", text)).casefold()
    return " ".join(text.split())[:KEY_LENGTH]


def lemma_key(text: str) -> str:
    """:func:`label_key` of the heading's lemma ("Women" -> "woman", "Theatre foyers" -> "theatre foyer")."""
    return label_key(lemmatise_tag(unicodedata.normalize("NFKC", text)))


def label_keys(text: str) -> tuple[str, str]:
    """``(label_key(text), lemma_key(text))``, the second computed only when the lemma differs (imports)."""
    text = unicodedata.normalize("NFKC", text)
    norm = label_key(text)
    lemma = lemmatise_tag(text)
    return norm, norm if lemma == " ".join(text.lower().split()) else label_key(lemma)


def match_keys(text: str) -> frozenset[str]:
    """Every key under which ``text`` may find a label: its own key, its lemma key, and the lemma key
    of its lower-case form (so "Cherry Blossoms", which reads as a name, still finds "Cherry blossom")."""
    keys = {label_key(text), lemma_key(text), lemma_key(text.lower())}
    keys.discard("")
    return frozenset(keys)

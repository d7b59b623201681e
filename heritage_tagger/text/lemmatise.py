"""Lemmas with spaCy's English lookup lemmatiser (spacy-lookups-data); no trained pipeline needed.

Description words (:func:`tokens`) are lemmatised word by word. Tags are subject headings, so
:func:`lemmatise_tag` treats them as noun phrases: only the head noun is put in the singular
("Theatre foyers" -> "theatre foyer", "Women in art" -> "woman in art"), names are left alone
("United States." -> "united states", "Tidal Basin (Washington, D.C.)", "Pierce, Franklin"),
gerunds and "-ics" words are never turned into verbs ("Horse racing", "Politics"), and a
heading's trailing period (MARC punctuation) is dropped. A heading counts as a name when it has
a parenthetical qualifier, is inverted with a capitalised part after the comma, or capitalises
every content word of two or more ("Cherry Blossom Festival"). Lower-case input cannot show that
it is a name, so "united states" still becomes "united state"; matching against vocabularies
also compares labels without lemmas (``vocab.normalise``), so both find "United States".
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any

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


#: Bumped whenever :func:`lemmatise_tag` changes what it returns: stored lemmas (``tags.lemma``,
#: a model bundle's ``tag_lemmas``) made by an older version are recomputed.
LEMMATISER_VERSION = 2

_SUBDIVISION = re.compile(r"\s*--\s*|\s+[—–]\s+")
_QUALIFIER = re.compile(r"\([^()]*\)")
_TRAILING = re.compile(r"[\s.,;:/]+$")
_ABBREVIATION_END = re.compile(r"(?:^|[\s(])(?:[^\W\d_]\.)+$")  # "U.S.", "D.C.", an initial: "Charles H."
_PREPOSITIONS = frozenset(
    "of in on at for with from by to as under over about between into during without against "
    "among through after before upon near versus vs".split()
)
_COORDINATORS = frozenset({"and", "or", "&"})
_SMALL_WORDS = (
    _PREPOSITIONS
    | _COORDINATORS
    | frozenset("a an the de du des la le les von van der den di da del y et".split())
)
_IRREGULAR_PLURALS = frozenset("children feet teeth geese mice lice oxen criteria phenomena".split())
_NO_LEMMA_ENDINGS = ("ing", "ed", "ics", "ss")


@lru_cache(maxsize=1)
def _lookup() -> Mapping[str, str]:
    """spaCy's English lemma lookup table (word -> lemma), read straight from spacy-lookups-data: 0.1 s
    and 20 MB, where building a spaCy pipeline imports thinc (and torch) first."""
    import gzip
    import json

    import spacy_lookups_data

    for name in ("en_lemma_lookup.json.gz", "en_lemma_lookup.json"):
        source = spacy_lookups_data.get_file(name)
        if source.is_file():
            data = source.read_bytes()
            return json.loads(gzip.decompress(data) if name.endswith(".gz") else data)
    lemmatizer: Any = _pipeline().get_pipe("lemmatizer")
    table: Mapping[str, str] = lemmatizer.lookups.get_table("lemma_lookup")
    return table


def strip_heading_punctuation(label: str) -> str:
    """``label`` with whitespace collapsed and trailing punctuation removed ("United States." ->
    "United States"); the period of an abbreviation or initial is kept ("U.S.", "Nichols, Charles H.")."""
    text = " ".join(label.split())
    if _ABBREVIATION_END.search(text):
        return text
    return _TRAILING.sub("", text)


def _singular(word: str) -> str:
    """The singular of a plural noun (lower case); anything else is returned lower-cased as it is."""
    low = word.lower()
    if "-" in low:
        head, _, last = low.rpartition("-")
        return f"{head}-{_singular(last)}"
    if not low.isalpha() or len(low) < 3 or low.endswith(_NO_LEMMA_ENDINGS):
        return low
    if not (low.endswith("s") or low.endswith("men") or low in _IRREGULAR_PLURALS):
        return low
    lemma = str(_lookup().get(low, low))
    return lemma if lemma[:1] == low[:1] and len(lemma) <= len(low) + 1 else low


def _is_name(words: list[str]) -> bool:
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    return len(content) >= 2 and all(w[:1].isupper() or w[:1].isdigit() for w in content)


def _noun_phrase(text: str) -> str:
    """Singular head nouns of a (possibly coordinated) noun phrase, the rest lower-cased."""
    words = text.split()
    if not words or _is_name(words):
        return text.lower()
    out = [w.lower() for w in words]
    cut = next((i for i, w in enumerate(out) if w in _PREPOSITIONS and i > 0), len(out))
    heads = [i - 1 for i in range(1, cut) if out[i] in _COORDINATORS] + [cut - 1]
    for i in heads:
        if i >= 0 and out[i] not in _SMALL_WORDS:
            out[i] = _singular(words[i])
    return " ".join(out)


def _heading(part: str) -> str:
    if _QUALIFIER.search(part):
        return part.lower()  # "Mercury (Planet)", "Tidal Basin (Washington, D.C.)": a name
    main, comma, rest = part.partition(",")
    if comma and rest.strip()[:1].isupper():
        return part.lower()  # "Pierce, Franklin": an inverted name
    return _noun_phrase(main) + (comma + rest.lower() if comma else "")


@lru_cache(maxsize=65536)
def lemmatise_tag(label: str) -> str:
    """A tag's dictionary form for grouping, e.g. "Theatre foyers" -> "theatre foyer",
    "United States." -> "united states" (see the module docstring for the rules)."""
    text = strip_heading_punctuation(label)
    if not text:
        return ""
    return " -- ".join(_heading(p) for p in _SUBDIVISION.split(text) if p)

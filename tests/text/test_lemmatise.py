"""Tag lemmas: head nouns in the singular, names and multi-word headings kept whole, trailing periods dropped."""

from __future__ import annotations

import pytest

from heritage_tagger.text.lemmatise import lemmatise_tag, strip_heading_punctuation, tokens


@pytest.mark.parametrize(
    ("label", "lemma"),
    [
        ("Women", "woman"),
        ("woman", "woman"),
        ("Theatre foyers", "theatre foyer"),
        ("Press conferences", "press conference"),
        ("Children", "child"),
        ("Buses", "bus"),
        ("Women in art", "woman in art"),  # the head before the preposition, not the last word
        ("Bills of lading", "bill of lading"),
        ("Arts and crafts", "art and craft"),  # both heads of a coordination
        ("Parades & processions", "parade & procession"),
        ("Bridge-builders", "bridge-builder"),
        ("Women--Employment", "woman -- employment"),  # subdivisions each on their own
        ("Women -- Employment.", "woman -- employment"),
    ],
)
def test_plural_heads_become_singular(label: str, lemma: str) -> None:
    assert lemmatise_tag(label) == lemma


@pytest.mark.parametrize(
    ("label", "lemma"),
    [
        ("United States", "united states"),  # was "unite state"
        ("United States.", "united states"),  # the MARC period is dropped
        ("U.S. Capitol", "u.s. capitol"),
        ("U.S.", "u.s."),  # an abbreviation keeps its period
        ("Nichols, Charles H.", "nichols, charles h."),  # and so does an initial
        ("Washington (D.C.)", "washington (d.c.)"),
        ("Tidal Basin (Washington, D.C.)", "tidal basin (washington, d.c.)"),  # qualified: a name
        ("Pierce, Franklin", "pierce, franklin"),  # inverted personal name
        ("World War, 1939-1945", "world war, 1939-1945"),  # digits are kept
        ("Cherry Blossom Festival", "cherry blossom festival"),  # capitalised content words: a name
        ("Horse racing", "horse racing"),  # was "horse race"
        ("Fishing", "fishing"),  # was "fish"
        ("Politics", "politics"),  # was "politic"
        ("Clothing and dress", "clothing and dress"),
        ("Mass media", "mass media"),  # was "mass medium"
        ("GSA", "gsa"),
    ],
)
def test_names_and_non_plurals_are_left_alone(label: str, lemma: str) -> None:
    assert lemmatise_tag(label) == lemma


def test_lower_case_names_cannot_be_told_apart() -> None:
    # documented limitation: vocabulary matching also compares labels without lemmas
    assert lemmatise_tag("united states") == "united state"


def test_empty_and_punctuation_only() -> None:
    assert lemmatise_tag("") == ""
    assert lemmatise_tag(" ... ") == ""
    assert strip_heading_punctuation("  United   States. ") == "United States"
    assert strip_heading_punctuation("Smith, John,") == "Smith, John"


def test_description_tokens_still_lemmatise_every_word() -> None:
    assert tokens("The children were running to the buses") == ["child", "run", "bus"]

"""Caption phrases: runs of words with outer punctuation dropped, small-word edges left out, longest kept."""

from __future__ import annotations

from heritage_tagger.vocab.phrases import Phrase, claim, phrases


def texts(caption: str, max_words: int = 6) -> list[str]:
    return [p.text for p in phrases(caption, max_words)]


def test_runs_longest_first_with_outer_punctuation_dropped() -> None:
    found = texts("Female students playing basketball, Washington, D.C.", 3)
    assert found[0] == "Female students playing"  # longest first, in reading order
    assert "Washington, D.C." in found  # the comma inside a run stays, "D.C." keeps its periods
    assert "basketball" in found and "basketball," not in found
    assert found.index("Washington, D.C.") < found.index("Washington")


def test_small_words_at_the_edges_and_words_too_short_name_nothing() -> None:
    found = texts("A visit to the Library of Congress")
    assert "Library of Congress" in found and "visit" in found
    assert not any(t.split()[0].lower() in {"a", "to", "the", "of"} for t in found)
    assert not any(t.split()[-1].lower() in {"a", "to", "the", "of"} for t in found)
    assert texts("at 2 pm") == []  # no word of three letters
    assert texts("") == []


def test_claim_keeps_the_longest_phrases_that_do_not_overlap() -> None:
    washington_dc = Phrase("Washington, D.C.", 3, 2)
    washington = Phrase("Washington", 3, 1)
    basketball = Phrase("basketball", 2, 1)
    high_school = Phrase("High School", 5, 2)
    school = Phrase("School", 6, 1)
    kept = claim([washington, basketball, washington_dc, school, high_school])
    assert kept == [basketball, washington_dc, high_school]  # in reading order


def test_brackets_and_abbreviations_survive_the_trimming() -> None:
    assert "Washington (D.C.)" in texts("Washington (D.C.)")
    assert "D.C." not in texts("Washington (D.C.)")  # fewer than three letters alone
    assert texts("(Tidal Basin).")[0] == "Tidal Basin"
    assert texts("the school.")[0] == "school"
    assert "U.S.A." in texts("in the U.S.A.;")

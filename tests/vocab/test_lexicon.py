"""Labels named in a caption: whole phrases, plurals, possessives, punctuation; stop words and scattered words never."""

from __future__ import annotations

from heritage_tagger.vocab.lexicon import Lexicon, LexiconEntry

LABELS = [
    "Cherry blossoms",
    "Tidal Basin",
    "Native Americans",
    "Murals",
    "Spirit of St. Louis",
    "Charles Lindbergh",
    "Air and Space Museum",
    "Parades & processions",
    "United States.",
    "Washington (D.C.)",
    "The",
    "in",
    "boat",
]


def test_phrases_plurals_possessives_and_punctuation_are_found() -> None:
    lexicon = Lexicon.of_labels(LABELS)
    assert lexicon.labels_in("Cherry Blossoms around the Tidal Basin in Washington, D.C.") == [
        "Cherry blossoms",
        "Tidal Basin",
        "Washington (D.C.)",
    ]
    assert lexicon.labels_in("Mural showing Native Americans by artist Gerald Nailor") == [
        "Native Americans",
        "Murals",
    ]
    caption = 'Charles Lindbergh\'s "Spirit of St Louis" airplane at the Air and Space Museum'
    assert lexicon.labels_in(caption) == ["Spirit of St. Louis", "Charles Lindbergh", "Air and Space Museum"]
    assert lexicon.labels_in("Parades and processions in the United States; two boats") == [
        "Parades & processions",
        "United States.",
        "boat",
    ]


def test_a_multi_word_label_needs_its_whole_phrase_and_stop_words_name_nothing() -> None:
    lexicon = Lexicon.of_labels(LABELS)
    assert lexicon.labels_in("cherry trees in blossom, the basin at low tide") == []
    assert lexicon.labels_in("The in the in") == []
    assert lexicon.labels_in("") == [] and Lexicon([]).labels_in("boat") == []


def test_each_entry_is_found_once_with_its_best_match() -> None:
    lexicon = Lexicon.of_labels(["Boats"])  # keys "boats" and "boat"
    hits = lexicon.find("A boat, then boats, then more boats")
    assert len(hits) == 1 and hits[0].phrase == "boat" and not hits[0].lemmatised
    (only,) = Lexicon.of_labels(["Boat"]).find("two boats")  # found once its word is lemmatised
    assert only.lemmatised and only.phrase == "boats" and only.words == 1


def test_concept_entries_match_their_other_labels_and_keep_their_uri() -> None:
    entry = LexiconEntry.for_label("Women", "http://id.example/women", other_labels=["Females"])
    lexicon = Lexicon([entry, LexiconEntry.for_label("Bridges")])
    (hit,) = lexicon.find("Two females on a footpath")
    assert lexicon.entries[hit.entry].label == "Women"
    assert lexicon.entries[hit.entry].concept_uri == "http://id.example/women"
    assert lexicon.labels_in("the bridge and its women") == ["Women", "Bridges"]

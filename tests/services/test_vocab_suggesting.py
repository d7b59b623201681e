"""Suggestions in the vocabulary: concepts named in a record's text (no model needed), tags' concepts
and broader paths, completion, candidates for the lexical pathway, accepted tags storing their concept,
and the browser filtered by a concept with its narrower ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from heritage_tagger.domain.records import TagState
from heritage_tagger.domain.vocabulary import LabelKind, MatchHow
from heritage_tagger.services import browse, review, tag_links
from heritage_tagger.services import vocab_suggesting as vs
from heritage_tagger.services import vocabularies as vocab
from heritage_tagger.services.review import Offered
from tests.factories import add_tagged_record
from tests.vocab.samples import EX, write_skos


@pytest.fixture
def with_vocabulary(catalogue, tmp_path: Path):
    vocab.import_vocabulary(catalogue, write_skos(tmp_path))
    return catalogue


def concept_id(catalogue, uri: str) -> int:
    found = vocab.concept_by_uri(catalogue, uri)
    assert found is not None
    return found.id


def test_the_concepts_a_caption_names(with_vocabulary) -> None:
    cat = with_vocabulary
    rid = add_tagged_record(
        cat, "r1", {}, title="Two moms with their children at the horse races",
        description="Mercury rising over the U.S.A.; the children again", location="",
    )  # fmt: skip
    found = vs.suggest_from_vocabulary(cat, rid)
    assert found.has_vocabulary and found.identifier == "r1"
    by_label = {m.label: m for m in found.matches}
    # the preferred label is proposed, whatever label the words matched, each concept once
    assert list(by_label) == ["Mothers", "Children", "United States"]
    moms = by_label["Mothers"]
    assert (moms.field, moms.phrase, moms.matched, moms.kind) == ("title", "moms", "Moms", LabelKind.ALT)
    assert moms.concept.uri == f"{EX}mothers" and [c.label for c in moms.broader] == ["People", "Women"]
    assert by_label["Children"].field == "title"  # where it is first named
    assert by_label["United States"].kind is LabelKind.HIDDEN
    # "Mercury" names two concepts of one vocabulary: left out; "horse races" is not "Horse racing"
    assert not {"Mercury (Planet)", "Mercury (Chemical element)", "Horse racing"} & set(by_label)
    data = found.as_dict()
    assert data["source"] == "vocabulary" and data["model_version"] is None
    assert data["vocabulary_tags"][0] == {
        "tag": "Mothers", "uri": f"{EX}mothers", "vocabulary": "Example subjects", "broader": ["People", "Women"],
        "field": "title", "phrase": "moms", "matched_label": "Moms", "label_kind": "alt", "match": "normalised",
    }  # fmt: skip


def test_longest_phrase_wins_and_a_heading_is_never_built_from_scattered_words(with_vocabulary) -> None:
    cat = with_vocabulary
    rid = add_tagged_record(cat, "r1", {}, title="Horse racing in the United States", description="")
    assert [m.label for m in vs.suggest_from_vocabulary(cat, rid).matches] == [
        "Horse racing",
        "United States",
    ]
    rid = add_tagged_record(cat, "r2", {}, title="A horse, then racing; United and States")
    assert vs.suggest_from_vocabulary(cat, rid).matches == []


def test_concepts_the_record_carries_are_not_offered_again(with_vocabulary) -> None:
    cat = with_vocabulary
    rid = add_tagged_record(
        cat, "r1", {"woman": TagState.CATALOGUED, "Children": TagState.REJECTED}, title="Women and children"
    )
    tag_links.link_tags(cat)
    found = vs.suggest_from_vocabulary(cat, rid)
    # "woman" is linked to Women: not offered; a rejected tag is offered again (the panel shows its state)
    assert [m.label for m in found.matches] == ["Children"]


def test_without_a_vocabulary_nothing_is_matched(catalogue) -> None:
    rid = add_tagged_record(catalogue, "r1", {}, title="Women and children")
    found = vs.suggest_from_vocabulary(catalogue, rid)
    assert not found.has_vocabulary and found.matches == []
    with pytest.raises(Exception, match="no record"):
        vs.suggest_from_vocabulary(catalogue, "nope")


def test_a_disabled_vocabulary_names_nothing(with_vocabulary) -> None:
    cat = with_vocabulary
    rid = add_tagged_record(cat, "r1", {}, title="Women")
    vocab.set_active(cat, "Example subjects", False)
    assert not vs.suggest_from_vocabulary(cat, rid).has_vocabulary


def test_accepting_a_vocabulary_suggestion_stores_its_concept(with_vocabulary) -> None:
    cat = with_vocabulary
    rid = add_tagged_record(cat, "r1", {}, title="Two moms")
    match = vs.suggest_from_vocabulary(cat, rid).matches[0]
    review.accept(cat, rid, match.label, "ann", Offered(match.label, None, None, "vocabulary"))
    concepts = vs.label_concepts(cat, ["Mothers"])
    assert concepts["Mothers"].concept.uri == f"{EX}mothers"
    assert concepts["Mothers"].path() == "People › Women › Mothers"
    # a tag added by hand under an alternative label is linked to that concept too
    review.add(cat, rid, "USA", "ann")
    assert vs.label_concepts(cat, ["USA"])["USA"].concept.uri == f"{EX}us"
    # a label naming two concepts of one vocabulary stays unlinked; a label naming none too
    review.add(cat, rid, "Mercury", "ann")
    review.add(cat, rid, "Lighthouses", "ann")
    assert set(vs.label_concepts(cat, ["Mercury", "Lighthouses", "Mothers"])) == {"Mothers"}


def test_label_concepts_give_the_preferred_label_uri_and_path(with_vocabulary) -> None:
    cat = with_vocabulary
    add_tagged_record(cat, "r1", {"moms": TagState.CATALOGUED, "Boats": TagState.ACCEPTED})
    tag_links.link_tags(cat)
    found = vs.label_concepts(cat, ["moms", "Boats", "not a tag"])
    assert set(found) == {"moms"}
    assert found["moms"].concept.label == "Mothers" and found["moms"].label == "moms"
    assert vs.concept_fields(found["moms"]) == {
        "label": "Mothers", "uri": f"{EX}mothers", "broader": ["People", "Women"]
    }  # fmt: skip
    assert vs.concept_fields(None) == {"label": None, "uri": None, "broader": []}


def test_completion_on_preferred_and_alternative_labels_with_the_path(with_vocabulary) -> None:
    found = vs.complete_concepts(with_vocabulary, "mo")
    # "Moms" and "Mothers" both start so: one entry per concept, its preferred label
    assert [(f.label, f.concept.label, f.path()) for f in found] == [
        ("Mothers", "Mothers", "People › Women › Mothers")
    ]
    found = vs.complete_concepts(with_vocabulary, "fem")
    assert [(f.label, f.concept.label, f.path()) for f in found] == [("Females", "Women", "People › Women")]
    assert vs.complete_concepts(with_vocabulary, "zzz") == []


def test_lexical_candidates_carry_every_matching_key_and_the_uri(with_vocabulary) -> None:
    found = {c.label: c for c in vocab.lexical_candidates(with_vocabulary)}
    assert set(found) == {
        "People", "Women", "Mothers", "Children", "United States", "Horse racing", "Mercury (Planet)",
        "Mercury (Chemical element)", "Cats",
    }  # fmt: skip
    assert found["Women"].keys == {"women", "woman", "females", "female"}  # preferred and alternative
    assert found["Women"].concept_uri == f"{EX}women"
    assert {"usa", "u s a", "united states"} <= found["United States"].keys  # the hidden label too
    assert "chat" not in found["Cats"].keys  # a French label is not matched in an English vocabulary
    vocab.set_active(with_vocabulary, "Example subjects", False)
    assert vocab.lexical_candidates(with_vocabulary) == []


def test_filter_by_a_concept_includes_its_narrower_concepts(with_vocabulary) -> None:
    cat = with_vocabulary
    r1 = add_tagged_record(cat, "r1", {"woman": TagState.CATALOGUED})
    r2 = add_tagged_record(cat, "r2", {"Moms": TagState.ACCEPTED})
    r3 = add_tagged_record(cat, "r3", {"Children": TagState.CATALOGUED})
    add_tagged_record(cat, "r4", {"Mothers": TagState.REJECTED, "Women": TagState.SUGGESTED})
    add_tagged_record(cat, "r5", {"Boats": TagState.CATALOGUED})
    tag_links.link_tags(cat)

    def ids(uri: str) -> list[int]:
        return browse.ordered_ids(cat, browse.BrowseFilter(concept_id=concept_id(cat, uri)))

    assert ids(f"{EX}people") == [r1, r2, r3]  # rejected and merely suggested tags do not count
    assert ids(f"{EX}women") == [r1, r2]
    assert ids(f"{EX}mothers") == [r2]
    assert ids(f"{EX}us") == []
    flt = browse.BrowseFilter(concept_id=concept_id(cat, f"{EX}women"), text="r2")
    assert browse.count(cat, flt) == 1


def test_match_how_is_reported(with_vocabulary) -> None:
    rid = add_tagged_record(with_vocabulary, "r1", {}, title="People")
    (match,) = vs.suggest_from_vocabulary(with_vocabulary, rid).matches
    assert match.how is MatchHow.EXACT and match.kind is LabelKind.PREF

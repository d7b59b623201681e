"""Variant groups: case, plural, trailing punctuation and alt-label variants, and which form is kept."""

from __future__ import annotations

from heritage_tagger.vocab.variants import TagUsage, find_variants, reason


def test_reasons() -> None:
    assert reason("women", "Women") == "case"
    assert reason("United States.", "United States") == "punctuation"
    assert reason("woman", "Women") == "plural"
    assert reason("Females", "Women") == "alt label"


def test_unlinked_variants_keep_the_catalogue_form() -> None:
    tags = [
        TagUsage(1, "Women", records=1, catalogued=1),
        TagUsage(2, "woman", records=5),
        TagUsage(3, "women", records=2),
        TagUsage(4, "United States.", records=2, catalogued=2),
        TagUsage(5, "United States", records=1, catalogued=2),
        TagUsage(6, "Boats", records=3),
    ]
    groups = {g.target: g for g in find_variants(tags, {})}
    assert set(groups) == {"Women", "United States"}  # no trailing period, then catalogued, then records
    assert [(v.label, v.reason) for v in groups["Women"].variants] == [("woman", "plural"), ("women", "case")]
    assert [(v.label, v.reason) for v in groups["United States"].variants] == [
        ("United States.", "punctuation")
    ]
    assert all(g.target_exists and g.concept_id is None for g in groups.values())


def test_linked_variants_fold_into_the_preferred_label_even_when_it_is_not_a_tag_yet() -> None:
    tags = [
        TagUsage(1, "Females", records=2, concept_id=10),
        TagUsage(2, "woman", records=1, concept_id=10),
        TagUsage(3, "Mothers", records=1, concept_id=11),  # already the preferred label: nothing to do
        TagUsage(4, "Kids", records=1, concept_id=12),
        TagUsage(5, "Children", records=0, concept_id=13),  # the preferred label of 12 linked elsewhere
    ]
    groups = find_variants(tags, {10: "Women", 11: "Mothers", 12: "Children", 13: "Children (Law)"})
    by_target = {g.target: g for g in groups}
    assert set(by_target) == {"Women", "Children (Law)"}
    women = by_target["Women"]
    assert women.concept_id == 10 and not women.target_exists
    assert [(v.label, v.reason) for v in women.variants] == [("Females", "alt label"), ("woman", "plural")]


def test_an_unlinked_variant_joins_the_group_of_its_linked_form() -> None:
    tags = [
        TagUsage(1, "Women", records=1, catalogued=1, concept_id=10),
        TagUsage(2, "woman", records=2),  # unlinked (e.g. recreated by an undo)
        TagUsage(3, "Mercury", records=1),  # meets two concepts: left alone
        TagUsage(4, "Mercury (Planet)", records=1, concept_id=20),
        TagUsage(5, "Mercury (Element)", records=1, concept_id=21),
    ]
    groups = find_variants(tags, {10: "Women", 20: "Mercury (Planet)", 21: "Mercury (Element)"})
    assert [(g.target, [v.label for v in g.variants], g.concept_id) for g in groups] == [
        ("Women", ["woman"], 10)
    ]

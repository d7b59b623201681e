"""The review cursor's lists for a photo: built from a live prediction (the suggestion panel's data) or, with no
live model, from the suggestions stored with the photo's details."""

from __future__ import annotations

from heritage_tagger.domain.records import TagState
from heritage_tagger.gui.review_cursor import CARRIED, MODEL, NEIGHBOURS, Entry, Lists
from heritage_tagger.gui.suggestions import PanelData
from heritage_tagger.services.browse import RecordDetails

CARRIED_STATES = (TagState.CATALOGUED, TagState.ACCEPTED)


def lists_from_panel(data: PanelData) -> Lists:
    """The cursor's lists of a live prediction: the model's suggestions, the neighbours' tags, the carried tags;
    with no model yet, the concepts the photo's text names (``data.source == "vocabulary"``) in the model's list."""
    if data.source == "vocabulary":
        model = [Entry(label, None, True) for label in data.proposed]
    else:
        proposed = set(data.proposed)
        model = [Entry(label, score, label in proposed) for label, score in data.model_tags]
    return Lists(
        data.record_id,
        {
            MODEL: model,
            NEIGHBOURS: [Entry(label, score) for label, score, _ in data.neighbour_tags],
            CARRIED: [Entry(label, rel) for label, rel, _ in data.existing],
        },
        model_version=data.model_version,
        source=data.source,
    )


def lists_from_details(details: RecordDetails) -> Lists:
    """No live model: the suggestions stored for the photo (best first) and the tags it carries."""
    tags = details.record.tags
    pending = sorted(
        (t for t in tags if t.state is TagState.SUGGESTED), key=lambda t: (-(t.score or 0), t.label.lower())
    )
    carried = sorted((t for t in tags if t.state in CARRIED_STATES), key=lambda t: t.label.lower())
    return Lists(
        details.record.id or 0,
        {MODEL: [Entry(t.label, t.score, True) for t in pending], CARRIED: [Entry(t.label) for t in carried]},
        model_version=None,
        live=False,
    )

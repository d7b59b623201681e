"""The suggestion panel says where each model tag came from, and when nothing is confident enough."""

from __future__ import annotations

from heritage_tagger.gui.suggestion_panel import LabelRole, SuggestionPanel
from heritage_tagger.gui.suggestions import PanelData


def test_sources_and_no_confident_suggestion_are_shown(qtbot) -> None:  # type: ignore[no-untyped-def]
    panel = SuggestionPanel()
    qtbot.addWidget(panel)
    data = PanelData(
        record_id=1,
        model_version="v0001",
        backbone="tiny",
        model_tags=[("Lighthouses", 0.7), ("Boats", 0.4), ("Harbors", 0.2)],
        proposed=["Lighthouses"],
        sources={"Lighthouses": "caption", "Boats": "image", "Harbors": "neighbours"},
        served_by="the LogReg probe",
    )
    panel.show_data(data, {}, {})
    texts = [item.text(0) for item in panel.model_tree.items()]
    assert texts == ["● Lighthouses  (caption)", "Boats", "Harbors  (similar photos)"]
    assert "title, description" in panel.model_tree.items()[0].toolTip(0)
    assert [item.data(0, LabelRole) for item in panel.model_tree.items()] == [
        "Lighthouses",
        "Boats",
        "Harbors",
    ]
    assert "No confident" not in panel.header.text() and "LogReg" in panel.header.toolTip()
    panel.show_data(
        PanelData(record_id=2, model_version="v0001", backbone="tiny", model_tags=[("Boats", 0.1)],
                  no_confident_suggestion=True),
        {}, {},
    )  # fmt: skip
    assert "No confident suggestion" in panel.header.text()
    assert [item.text(0) for item in panel.model_tree.items()] == ["Boats"]  # nothing proposed (no ●)

"""Per-image JSON sidecars."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from heritage_tagger.ingest.sidecar import SidecarError, find_sidecar, read_sidecar


def test_find_prefers_full_name_then_stem(tmp_path: Path) -> None:
    image = tmp_path / "photo.jpg"
    assert find_sidecar(image) is None
    (tmp_path / "photo.json").write_text("{}")
    assert find_sidecar(image) == tmp_path / "photo.json"
    (tmp_path / "photo.jpg.json").write_text("{}")
    assert find_sidecar(image) == tmp_path / "photo.jpg.json"


@pytest.mark.parametrize("tags", [["Bridges", " Rivers ", "Bridges"], "Bridges|Rivers"])
def test_fields_and_tags_as_list_or_bar_string(tmp_path: Path, tags: object) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"id": 42, "title": " A bridge ", "location": "Pittsburgh", "tags": tags}))
    meta, warnings = read_sidecar(path)
    assert warnings == []
    assert (meta.identifier, meta.title, meta.location) == ("42", "A bridge", "Pittsburgh")
    assert meta.tags == ["Bridges", "Rivers"]
    assert meta.source == "sidecar"


def test_broken_sidecar_json_raises_with_position(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('{"title": "unfinished"')
    with pytest.raises(SidecarError, match=r"not valid JSON .*line 1"):
        read_sidecar(path)


def test_sidecar_that_is_not_an_object(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text("[1, 2]")
    with pytest.raises(SidecarError, match="not an object"):
        read_sidecar(path)


def test_wrong_field_types_are_warned_and_ignored(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"title": {"nested": 1}, "tags": [{"x": 1}], "description": "ok"}))
    meta, warnings = read_sidecar(path)
    assert meta.description == "ok" and meta.title == "" and meta.tags is None
    assert len(warnings) == 2

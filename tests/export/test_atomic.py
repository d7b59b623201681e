"""Atomic export files: complete or absent, never half-written; clear errors for bad destinations."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from heritage_tagger.export import ExportError, atomic_text_file


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_success_replaces_the_target(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old")
    with atomic_text_file(target, newline="") as stream:
        stream.write("new\r\n")
        assert target.read_text() == "old"  # nothing visible until complete
    assert target.read_bytes() == b"new\r\n"
    assert leftovers(tmp_path) == []


def test_an_error_midway_leaves_the_old_file_and_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "out.xml"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_text_file(target) as stream:
        stream.write("half")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert leftovers(tmp_path) == []


def test_disk_full_becomes_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "out.xml"
    target.write_text("old")
    with (
        pytest.raises(ExportError, match=r"Cannot write the export to .*out\.xml: No space left on device"),
        atomic_text_file(target) as stream,
    ):
        stream.write("half")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert target.read_text() == "old"
    assert leftovers(tmp_path) == []


def test_missing_folder_and_folder_target_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="does not exist"), atomic_text_file(tmp_path / "nope" / "out.csv"):
        pass
    with pytest.raises(ExportError, match="it is a folder"), atomic_text_file(tmp_path):
        pass

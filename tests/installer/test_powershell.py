"""install.ps1 and uninstall.ps1 cannot run here: they are parsed with tree-sitter's PowerShell grammar.

A syntax check only (the packages tree-sitter and tree-sitter-powershell; skipped without them):
it finds unbalanced braces, brackets and quotes, not wrong cmdlets or a Windows-only mistake.
"""

from __future__ import annotations

from pathlib import Path

import pytest

INSTALLER = Path(__file__).resolve().parents[2] / "installer"
SCRIPTS = ["install.ps1", "uninstall.ps1"]


@pytest.fixture(scope="module")
def parser():
    tree_sitter = pytest.importorskip("tree_sitter", reason="pip install tree-sitter tree-sitter-powershell")
    grammar = pytest.importorskip("tree_sitter_powershell", reason="pip install tree-sitter-powershell")
    return tree_sitter.Parser(tree_sitter.Language(grammar.language()))


def syntax_errors(parser, source: bytes) -> list[str]:
    errors = []

    def walk(node) -> None:
        if node.type == "ERROR" or node.is_missing:
            row, column = node.start_point
            errors.append(f"line {row + 1}, column {column + 1}: {node.text[:60]!r}")
        for child in node.children:
            walk(child)

    walk(parser.parse(source).root_node)
    return errors


@pytest.mark.parametrize("name", SCRIPTS)
def test_the_windows_scripts_parse(parser, name: str) -> None:
    assert syntax_errors(parser, (INSTALLER / name).read_bytes()) == []


def test_the_parser_does_find_mistakes(parser) -> None:
    broken = (INSTALLER / "uninstall.ps1").read_text().replace('"Removing Heritage Tagger:"', '"Removing', 1)
    assert syntax_errors(parser, broken.encode())
    assert syntax_errors(parser, b"if ($x -eq 1 {\n  Write-Host 'a'\n}\n")


def test_the_windows_installer_does_what_the_readme_says() -> None:
    install = (INSTALLER / "install.ps1").read_text()
    for needle in ("$env:LOCALAPPDATA", "CreateShortcut", "heritage-tagger.cmd", "--no-index", "--find-links",
                   "install-manifest.txt", "3.11"):  # fmt: skip
        assert needle in install
    uninstall = (INSTALLER / "uninstall.ps1").read_text()
    for needle in ("install-manifest.txt", "-Purge", "Read-Host"):
        assert needle in uninstall

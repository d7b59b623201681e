"""Text as it enters the catalogue: unpaired surrogates, NUL and control characters made safe, once."""

from __future__ import annotations

import os
import re

# C0 controls other than tab, line feed and carriage return; DEL; C1 controls; the two
# noncharacters XML 1.0 forbids. None of them is ever meant in a title, a tag or a caption.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_SURROGATES = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def _name(char: str) -> str:
    if char == "\x00":
        return "NUL"
    return f"U+{ord(char):04X}"


def sanitise(value: str) -> tuple[str, str | None]:
    """``value`` safe to store and export, and what was changed (None when nothing was).

    Unpaired surrogates (bytes that were not UTF-8, JSON ``\\ud800`` escapes) become U+FFFD;
    NUL, the other control characters (tab, line feed and carriage return kept) and U+FFFE/U+FFFF
    are removed. Everything else (right-to-left text, emoji, combining marks) is kept as written.
    """
    controls = _CONTROLS.findall(value)
    surrogates = _SURROGATES.findall(value)
    if not controls and not surrogates:
        return value, None
    text = _SURROGATES.sub(REPLACEMENT, _CONTROLS.sub("", value))
    parts = []
    if controls:
        names = sorted({_name(c) for c in controls})
        noun = "control character" if len(controls) == 1 else "control characters"
        parts.append(f"{len(controls)} {noun} ({', '.join(names)}) removed")
    if surrogates:
        noun = "invalid character" if len(surrogates) == 1 else "invalid characters"
        parts.append(f"{len(surrogates)} {noun} (not Unicode) replaced by {REPLACEMENT}")
    return text, "; ".join(parts)


def display_path(value: str | os.PathLike[str]) -> str:
    """A file name or path for messages: bytes that are not UTF-8 shown as ``\\xff``, nothing lost from view."""
    text = os.fspath(value)
    if not _SURROGATES.search(text):
        return text
    return os.fsencode(text).decode("utf-8", "backslashreplace")

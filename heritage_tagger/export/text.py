"""Text cleaning shared by the exporters: XML 1.0-safe characters, multi-value joining, Excel safety."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Characters XML 1.0 forbids (Char production): C0 controls other than tab, LF and CR, lone
# surrogates, U+FFFE and U+FFFF. They are removed from every export format, so that the same
# record reads the same in CSV, XML and JSON-LD. Tab, LF and CR are kept.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# A cell that a spreadsheet would run as a formula starts with one of these (fullwidth forms
# included: some Excel locales treat them like their ASCII twins).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")

MULTI_VALUE_SEPARATOR = "|"


def clean_text(value: str | None) -> str:
    """``value`` with the characters XML 1.0 forbids removed (NUL, most C0 controls, lone surrogates)."""
    if not value:
        return ""
    return _FORBIDDEN.sub("", value)


def join_values(values: Iterable[str]) -> str:
    """Join a multi-valued field with ``|``; a ``|`` or ``\\`` inside a value is escaped with ``\\``."""
    return MULTI_VALUE_SEPARATOR.join(
        v.replace("\\", "\\\\").replace(MULTI_VALUE_SEPARATOR, "\\" + MULTI_VALUE_SEPARATOR) for v in values
    )


def split_values(cell: str) -> list[str]:
    """The inverse of :func:`join_values` (for readers of our CSV, and for tests)."""
    if not cell:
        return []
    values: list[str] = []
    current: list[str] = []
    chars = iter(cell)
    for ch in chars:
        if ch == "\\":
            current.append(next(chars, ""))
        elif ch == MULTI_VALUE_SEPARATOR:
            values.append("".join(current))
            current = []
        else:
            current.append(ch)
    values.append("".join(current))
    return values


def is_number(cell: str) -> bool:
    """True for a plain decimal number such as ``-33.86``, ``+44`` or ``-5e3``."""
    return _NUMBER.fullmatch(cell) is not None


def excel_safe(cell: str) -> str:
    """Prefix ``'`` to a cell a spreadsheet would read as a formula; numbers are left as they are."""
    if cell.startswith(_FORMULA_START) and not is_number(cell):
        return "'" + cell
    return cell

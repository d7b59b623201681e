"""A sortable form (YYYY, YYYY-MM or YYYY-MM-DD) of the dates librarians write."""

from __future__ import annotations

import calendar
import re

_MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    _MONTHS[calendar.month_name[_number].lower()] = _number
    _MONTHS[calendar.month_abbr[_number].lower()] = _number
_MONTHS["sept"] = 9

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?![\d])")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:$|[T\s])")  # IPTC 2:55 CCYYMMDD
_YEAR = re.compile(r"(?<!\d)(1\d{3}|20\d{2})(?!\d)")
_WORD = re.compile(r"[a-z]+|\d+")
_PREFIX = re.compile(r"^(?:ca\.?|circa|c\.?|approximately|about|before|after|\[|\()\s*")


def _valid(year: int, month: int | None, day: int | None) -> bool:
    if month is None:
        return True
    if not 1 <= month <= 12:
        return False
    return day is None or 1 <= day <= calendar.monthrange(year, month)[1]


def _format(year: int, month: int | None = None, day: int | None = None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _iso(text: str) -> str | None:
    for pattern in (_COMPACT, _ISO):
        match = pattern.match(text)
        if not match:
            continue
        year = int(match.group(1))
        month = int(match.group(2)) if match.group(2) else None
        day = int(match.group(3)) if match.group(3) else None
        if _valid(year, month, day):
            return _format(year, month, day)
        return _format(year)  # "1920-1925" is a range: keep its first year
    return None


def parse_date_sort(text: str) -> str | None:
    """``"1899-01-01"``, ``"May 1972"``, ``"ca. 1920"``, ``"1935 Aug. 3"`` -> sortable text, else None."""
    cleaned = " ".join(text.strip().lower().split())
    cleaned = _PREFIX.sub("", cleaned)
    if not cleaned:
        return None
    words = _WORD.findall(cleaned)
    month_positions = [(i, _MONTHS[w]) for i, w in enumerate(words) if w in _MONTHS]
    if not month_positions:
        iso = _iso(cleaned)
        if iso is not None:
            return iso
    year_match = _YEAR.search(cleaned)
    if year_match is None:
        return None
    year = int(year_match.group(1))
    if not month_positions:
        return _format(year)
    position, month = month_positions[0]
    day = None
    for neighbour in (position + 1, position - 1):  # "Aug. 3", "3 August"
        if 0 <= neighbour < len(words) and words[neighbour].isdigit() and len(words[neighbour]) <= 2:
            day = int(words[neighbour])
            break
    if day is not None and not _valid(year, month, day):
        day = None
    return _format(year, month, day)

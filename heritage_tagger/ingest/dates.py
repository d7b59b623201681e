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


_UNKNOWN = re.compile(r"^(?:n\.?\s*a\.?|n\.?\s*d\.?|undated|unknown|no date|none|-+|\?+)$")
_APPROXIMATE = re.compile(r"^(?:ca\.?|circa|c\.|approximately|approx\.?|about|around)\s*")
_RANGE = re.compile(r"^(?:between\s+)?(\d{4})\s*(?:-|–|—|/|to|and)\s*(\d{4})$")
_DECADE = re.compile(r"^(\d{3})0s$")
_CENTURY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th) century$")
_OPEN = re.compile(r"^(before|after)\s+(.*)$")


def edtf_date(text: str) -> str | None:
    """The Extended Date/Time Format form of a catalogued date, or None when it does not parse.

    Level 0 where the text is a plain date ("1899-01-01", "May 1972" -> "1972-05"); level 1 for what
    librarians write around dates: "ca. 1920" -> "1920~", "1935?" / "[1935?]" -> "1935?", "1920-1925"
    -> "1920/1925", "1930s" -> "193X", "before 1920" -> "../1920", "19th century" -> "18XX".
    "NA", "n.d." and "undated" give None.
    """
    cleaned = " ".join(text.strip().lower().split()).strip("[]() ")
    if not cleaned or _UNKNOWN.match(cleaned):
        return None
    uncertain = "?" in cleaned
    cleaned = cleaned.replace("?", "").strip(" .[]()")
    approximate = bool(_APPROXIMATE.match(cleaned))
    cleaned = _APPROXIMATE.sub("", cleaned).strip()
    qualifier = "%" if uncertain and approximate else "?" if uncertain else "~" if approximate else ""
    if (opened := _OPEN.match(cleaned)) is not None:
        inner = edtf_date(opened.group(2))
        if inner is None or "/" in inner:
            return None
        return f"../{inner}" if opened.group(1) == "before" else f"{inner}/.."
    if (span := _RANGE.match(cleaned)) is not None:
        first, last = int(span.group(1)), int(span.group(2))
        if first < last:
            return f"{first:04d}{qualifier}/{last:04d}{qualifier}"
    if (decade := _DECADE.match(cleaned)) is not None:
        return f"{decade.group(1)}X{qualifier}"
    if (century := _CENTURY.match(cleaned)) is not None and 1 <= int(century.group(1)) <= 21:
        return f"{int(century.group(1)) - 1:02d}XX{qualifier}"
    found = parse_date_sort(cleaned)
    return None if found is None else found + qualifier

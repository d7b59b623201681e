"""The two plain-text vocabulary formats: TSV of subject-indexing tools and CSV with relations.

TSV (as Annif reads it): one concept per line, ``<URI>`` (angle brackets optional), a tab, its
preferred label, optionally more columns (a notation) that are ignored; ``#`` comments and blank
lines are skipped. A URI repeated on a later line adds that line's label as an alternative label.

CSV: a header ``uri,pref_label,alt_labels,broader`` (``alt_labels`` and ``broader`` optional,
several values joined with ``|``; ``broader`` holds URIs). UTF-8, a byte-order mark is allowed.
Labels in both take the language given on import ("" when none is given).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from heritage_tagger.domain.errors import VocabularyError
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.domain.vocabulary import LabelKind
from heritage_tagger.vocab.concept import ParsedConcept, ParsedVocabulary, VocabularyFormat

MAX_WARNINGS = 20
_CHECK_EVERY = 5000
CSV_COLUMNS = ("uri", "pref_label", "alt_labels", "broader")


def _lines(path: Path, progress: ProgressCallback, cancel: CancelToken | None) -> Iterator[tuple[int, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for number, line in enumerate(fh, start=1):
                if number % _CHECK_EVERY == 0:
                    if cancel is not None:
                        cancel.check()
                    progress(Progress("Reading the vocabulary", number, None, "lines read"))
                yield number, line
    except UnicodeDecodeError as exc:
        raise VocabularyError(f"{path.name} is not UTF-8 text ({exc.reason} at byte {exc.start}).") from exc


def _uri(text: str) -> str:
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1].strip()
    return text if text and " " not in text else ""


def _warn(parsed: ParsedVocabulary, bad: list[str], what: str) -> None:
    if bad:
        shown = "; ".join(bad[:MAX_WARNINGS]) + (
            f"; and {len(bad) - MAX_WARNINGS} more" if len(bad) > MAX_WARNINGS else ""
        )
        parsed.warnings.append(f"{len(bad)} {what} skipped: {shown}.")


def read_tsv(
    path: Path,
    *,
    language: str | None = None,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> ParsedVocabulary:
    """The concepts of a ``<URI>`` TAB label file."""
    lang = (language or "").lower()
    concepts: dict[str, ParsedConcept] = {}
    bad: list[str] = []
    for number, line in _lines(path, progress, cancel):
        text = line.rstrip("\r\n")
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        fields = text.split("\t")
        uri = _uri(fields[0])
        label = fields[1].strip() if len(fields) > 1 else ""
        if not uri or not label:
            bad.append(f"line {number} ({'no URI' if not uri else 'no label after the tab'})")
            continue
        concept = concepts.get(uri)
        if concept is None:
            concepts[uri] = concept = ParsedConcept(uri=uri)
            concept.add_label(LabelKind.PREF, label, lang)
        else:
            concept.add_label(LabelKind.ALT, label, lang)
    return _finish(path, VocabularyFormat.TSV, concepts, bad, "lines")


def read_csv(
    path: Path,
    *,
    language: str | None = None,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> ParsedVocabulary:
    """The concepts of a ``uri,pref_label,alt_labels,broader`` file."""
    lang = (language or "").lower()
    concepts: dict[str, ParsedConcept] = {}
    bad: list[str] = []
    reader = csv.reader(line for _, line in _lines(path, progress, cancel))
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        missing = [c for c in CSV_COLUMNS[:2] if c not in header]
        if missing:
            raise VocabularyError(
                f"{path.name} needs the columns {', '.join(CSV_COLUMNS)} (at least uri and pref_label); "
                f"its header is: {', '.join(header) or '(empty)'}."
            )
        col = {name: header.index(name) for name in CSV_COLUMNS if name in header}
        for row in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in row):
                continue

            def cell(name: str, row: list[str] = row) -> str:
                i = col.get(name)
                return row[i] if i is not None and i < len(row) else ""

            uri, label = _uri(cell("uri")), cell("pref_label").strip()
            if not uri or not label:
                bad.append(f"line {number} ({'no URI' if not uri else 'no pref_label'})")
                continue
            concept = concepts.setdefault(uri, ParsedConcept(uri=uri))
            concept.add_label(LabelKind.PREF, label, lang)
            for alt in cell("alt_labels").split("|"):
                concept.add_label(LabelKind.ALT, alt, lang)
            for broader in (_uri(b) for b in cell("broader").split("|")):
                if broader and broader != uri and broader not in concept.broader:
                    concept.broader.append(broader)
    except csv.Error as exc:
        raise VocabularyError(f"{path.name} is not valid CSV (line {reader.line_num}: {exc}).") from exc
    return _finish(path, VocabularyFormat.CSV, concepts, bad, "rows")


def _finish(
    path: Path, fmt: VocabularyFormat, concepts: dict[str, ParsedConcept], bad: list[str], unit: str
) -> ParsedVocabulary:
    if not concepts:
        detail = f" ({bad[0]})" if bad else ""
        raise VocabularyError(f"{path.name} has no concepts{detail}.")
    parsed = ParsedVocabulary(path=path, format=fmt, concepts=list(concepts.values()), title=path.stem)
    _warn(parsed, bad, unit)
    return parsed

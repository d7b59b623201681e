"""Read a vocabulary file of any supported format (chosen by name or by suffix)."""

from __future__ import annotations

from pathlib import Path

from heritage_tagger.domain.errors import VocabularyError
from heritage_tagger.domain.progress import CancelToken, ProgressCallback, null_progress
from heritage_tagger.vocab.concept import SUFFIXES, ParsedVocabulary, VocabularyFormat
from heritage_tagger.vocab.skos import read_skos
from heritage_tagger.vocab.tabular import read_csv, read_tsv

FORMAT_NAMES = {
    "turtle": VocabularyFormat.TURTLE,
    "ttl": VocabularyFormat.TURTLE,
    "rdfxml": VocabularyFormat.RDFXML,
    "xml": VocabularyFormat.RDFXML,
    "rdf": VocabularyFormat.RDFXML,
    "ntriples": VocabularyFormat.NTRIPLES,
    "nt": VocabularyFormat.NTRIPLES,
    "tsv": VocabularyFormat.TSV,
    "csv": VocabularyFormat.CSV,
}


def detect_format(path: Path, fmt: VocabularyFormat | str | None = None) -> VocabularyFormat:
    """``fmt`` when given (a name such as "turtle" or "nt"), else the format the file's suffix says."""
    if fmt:
        if isinstance(fmt, VocabularyFormat):
            return fmt
        found = FORMAT_NAMES.get(str(fmt).lower())
        if found is None:
            raise VocabularyError(
                f"Unknown vocabulary format {fmt!r}; choose one of {', '.join(sorted(FORMAT_NAMES))}."
            )
        return found
    found = SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise VocabularyError(
            f"Cannot tell the format of {path.name} from its suffix; give it with --format "
            f"(turtle, rdfxml, ntriples, tsv or csv)."
        )
    return found


def read_vocabulary(
    path: Path | str,
    fmt: VocabularyFormat | str | None = None,
    *,
    language: str | None = None,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> ParsedVocabulary:
    """Every concept of the vocabulary file ``path``; VocabularyError in plain words when it cannot be read."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise VocabularyError(f"No vocabulary file at {path}.")
    kind = detect_format(path, fmt)
    try:
        if kind.is_rdf:
            return read_skos(path, kind, language=language, progress=progress, cancel=cancel)
        reader = read_tsv if kind is VocabularyFormat.TSV else read_csv
        return reader(path, language=language, progress=progress, cancel=cancel)
    except OSError as exc:
        raise VocabularyError(f"Cannot read {path}: {exc.strerror or exc}.") from exc

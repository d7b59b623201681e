"""Read a manifest (records.csv: id,file,title,description,location,date,creator,tags)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from heritage_tagger.domain.errors import ManifestError
from heritage_tagger.ingest.metadata import Metadata, clean_text, split_tags

MANIFEST_NAME = "records.csv"
COLUMNS: tuple[str, ...] = ("id", "file", "title", "description", "location", "date", "creator", "tags")
OPTIONAL_COLUMNS: tuple[str, ...] = ("rights",)
REQUIRED_COLUMNS: tuple[str, ...] = ("file",)
_DELIMITERS = (",", ";", "\t")
_FIELD = {"id": "identifier"}  # manifest column -> Metadata field where the names differ


@dataclass(frozen=True)
class ManifestRow:
    """One row: the file it names (as written, relative to the manifest's folder) and its metadata."""

    line: int
    file: str
    metadata: Metadata

    def resolve(self, base: Path) -> Path:
        """The file's absolute path; Windows separators are accepted."""
        return (base / PurePosixPath(self.file.replace("\\", "/"))).resolve()


@dataclass
class Manifest:
    path: Path
    rows: list[ManifestRow] = field(default_factory=list)
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, reason) of unusable rows

    @property
    def base(self) -> Path:
        return self.path.parent


def decode_manifest(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings): UTF-8 (with or without BOM) or UTF-16 with BOM, else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16", []
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError as exc:
        where = f"byte {exc.start}"
    for encoding, label in (("cp1252", "Windows-1252"), ("latin-1", "Latin-1")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        warning = (
            f"The manifest {name} is not UTF-8 (first bad {where}); it was read as {label}. "
            "Check accented letters in the imported records, and save it as UTF-8 next time."
        )
        return text, encoding, [warning]
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def _normalise_header(name: str | None) -> str:
    return (name or "").strip().strip("\ufeff").strip().lower()


def _pick_dialect(text: str) -> tuple[str, list[str]]:
    first_line = text.split("\n", 1)[0]
    best = ","
    for delimiter in _DELIMITERS:
        header = [_normalise_header(h) for h in next(csv.reader([first_line], delimiter=delimiter), [])]
        if all(col in header for col in REQUIRED_COLUMNS):
            return delimiter, header
    header = [_normalise_header(h) for h in next(csv.reader([first_line], delimiter=best), [])]
    return best, header


def read_manifest(path: Path) -> Manifest:
    """Parse a manifest; raises ManifestError when it cannot be used at all."""
    path = Path(path).resolve()
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ManifestError(f"The manifest {path} does not exist.") from exc
    except IsADirectoryError as exc:
        raise ManifestError(f"The manifest {path} is a folder, not a CSV file.") from exc
    except OSError as exc:
        raise ManifestError(f"The manifest {path} cannot be read: {exc.strerror or exc}.") from exc
    text, encoding, warnings = decode_manifest(data, path.name)
    if not text.strip():
        raise ManifestError(f"The manifest {path} is empty.")
    delimiter, header = _pick_dialect(text)
    missing = [col for col in REQUIRED_COLUMNS if col not in header]
    if missing:
        raise ManifestError(
            f"The manifest {path.name} has no {', '.join(repr(m) for m in missing)} column. "
            f"Its first line names: {', '.join(h for h in header if h) or 'nothing'}. "
            f"Expected the columns {','.join(COLUMNS)} (only 'file' is required)."
        )
    manifest = Manifest(path=path, encoding=encoding, warnings=warnings)
    known = set(COLUMNS) | set(OPTIONAL_COLUMNS)
    ignored = [h for h in header if h and h not in known]
    if ignored:
        manifest.warnings.append(
            f"The manifest {path.name} has columns that were ignored: {', '.join(ignored)}."
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        next(reader)  # the header, already read
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            _add_row(manifest, header, values, reader.line_num)
            _warn_swallowed_rows(manifest, header, values, delimiter, reader.line_num)
    except csv.Error as exc:
        raise ManifestError(
            f"The manifest {path.name} cannot be parsed at line {reader.line_num}: {exc}."
        ) from exc
    return manifest


def _add_row(manifest: Manifest, header: list[str], values: list[str], line: int) -> None:
    if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
        manifest.warnings.append(
            f"{manifest.path.name} line {line} has more values than columns; the extra values were ignored."
        )
    row = {name: values[i] if i < len(values) else "" for i, name in enumerate(header) if name}
    file = row.get("file", "").strip()
    if not file:
        manifest.problems.append((line, "the manifest row names no file"))
        return
    metadata = Metadata(source="manifest")
    for column in (*COLUMNS, *OPTIONAL_COLUMNS):
        if column in ("file", "tags") or column not in row:
            continue
        setattr(metadata, _FIELD.get(column, column), clean_text(row[column]))
    tags = split_tags(row.get("tags", ""))
    metadata.tags = tags or None
    manifest.rows.append(ManifestRow(line=line, file=file, metadata=metadata))


def _warn_swallowed_rows(
    manifest: Manifest, header: list[str], values: list[str], delimiter: str, line: int
) -> None:
    """Warn when a quoted value spans lines that look like rows of their own (a stray double quote)."""
    needed = max(1, len(header) - 1)
    for name, value in zip(header, values, strict=False):
        inner = value.split("\n")[1:]
        if sum(1 for text in inner if text.count(delimiter) >= needed) >= 1:
            manifest.warnings.append(
                f"{manifest.path.name}, row ending at line {line}: the {name or 'unnamed'} value runs over "
                f"{len(inner) + 1} lines that look like separate rows; check for a stray double quote."
            )
            return

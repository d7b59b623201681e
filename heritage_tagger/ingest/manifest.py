"""Read a manifest (records.csv: id,file,title,description,location,date,creator,tags)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from heritage_tagger.domain.errors import ManifestError
from heritage_tagger.domain.text import sanitise
from heritage_tagger.ingest.formats import has_image_extension
from heritage_tagger.ingest.metadata import Metadata, clean_text, sanitise_metadata, split_tags

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


@dataclass(frozen=True)
class ManifestProblem:
    """A row that cannot be used: its line, why, and the file it names when that can be told."""

    line: int
    reason: str
    file: str | None = None


@dataclass
class Manifest:
    path: Path
    rows: list[ManifestRow] = field(default_factory=list)
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)
    problems: list[ManifestProblem] = field(default_factory=list)  # rows that cannot be used

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
    """Parse a manifest; raises ManifestError when it cannot be used at all.

    Each row is checked on its own: a row that cannot be used (no file, a file name with
    control characters, a value with a double quote that is never closed) becomes a problem
    naming its line and field, and the rows after it are read as usual.
    """
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
    _RowReader(manifest, header, delimiter, io.StringIO(text, newline="").readlines()).read()
    return manifest


class _Lines:
    """The manifest's physical lines for ``csv.reader``, with the position it has read up to."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.pos = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.pos >= len(self.lines):
            raise StopIteration
        self.pos += 1
        return self.lines[self.pos - 1]


class _RowReader:
    """Reads the rows after the header; a value whose quote is never closed costs its own row only."""

    def __init__(self, manifest: Manifest, header: list[str], delimiter: str, lines: list[str]) -> None:
        self.manifest = manifest
        self.header = header
        self.delimiter = delimiter
        self.lines = _Lines(lines)
        self.file_index = header.index("file")

    def read(self) -> None:
        lines = self.lines
        lines.pos = 1  # the header, already read
        while lines.pos < len(lines.lines):
            first = lines.pos
            reader = csv.reader(lines, delimiter=self.delimiter)
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                lines.pos = max(lines.pos, first + 1)
                self.manifest.problems.append(
                    ManifestProblem(first + 1, f"the row cannot be read ({exc}); it was skipped")
                )
                continue
            raw = lines.lines[first : lines.pos]
            if not any(v.strip() for v in values):
                continue
            column = self._unclosed_quote(values, raw)
            if column is not None:
                lines.pos = first + 1  # read the lines it swallowed again, as rows of their own
                ran = f"runs over line {first + 2}" if len(raw) > 1 else "runs to the end of the file"
                self.manifest.problems.append(
                    ManifestProblem(
                        first + 1,
                        f"the {column or 'unnamed'} value opens a double quote that is never closed (it {ran}); "
                        "the row was not used: close the quote and import again",
                        self._file_before(values, column),
                    )
                )
                continue
            if len(raw) > 1 and any(self._looks_like_row(line) for line in raw[1:]):
                self.manifest.warnings.append(
                    f"{self.manifest.path.name} line {first + 1}, {self._open_column(values) or 'unnamed'}: "
                    f"the value runs over {len(raw)} lines, some of which look like rows of their own; "
                    "check for a stray double quote."
                )
            _add_row(self.manifest, self.header, values, first + 1)

    def _unclosed_quote(self, values: list[str], raw: list[str]) -> str | None:
        """The column whose quoted value was never closed: it ran to the end of the file, or it ran
        over a line break and was then closed where no value can end (``"...ok"x``)."""
        try:
            list(csv.reader(raw, delimiter=self.delimiter, strict=True))
        except csv.Error as exc:
            if "unexpected end of data" in str(exc) or len(raw) > 1:
                return self._open_column(values)
        return None

    def _looks_like_row(self, line: str) -> bool:
        try:
            values = next(csv.reader([line], delimiter=self.delimiter), [])
        except csv.Error:
            return False
        if len(values) <= self.file_index or len(values) < len(self.header) - 1:
            return False
        file = values[self.file_index].strip()
        return bool(file) and "\n" not in file and (has_image_extension(Path(file)) or "." in file[-6:])

    def _open_column(self, values: list[str]) -> str:
        for name, value in zip(self.header, values, strict=False):
            if "\n" in value or "\r" in value:
                return name
        return self.header[min(len(values), len(self.header)) - 1]

    def _file_before(self, values: list[str], column: str) -> str | None:
        """The row's file when the broken value comes after the file column."""
        index = self.header.index(column) if column in self.header else -1
        if index <= self.file_index or len(values) <= self.file_index:
            return None
        return values[self.file_index].strip() or None


def _add_row(manifest: Manifest, header: list[str], values: list[str], line: int) -> None:
    name = manifest.path.name
    if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
        manifest.warnings.append(
            f"{name} line {line} has more values than columns; the extra values were ignored."
        )
    row = {column: values[i] if i < len(values) else "" for i, column in enumerate(header) if column}
    file, change = sanitise(row.get("file", "").strip())
    if change:
        manifest.problems.append(
            ManifestProblem(
                line, f"the file value has characters no file name can have ({change}); the row was skipped"
            )
        )
        return
    if not file:
        manifest.problems.append(ManifestProblem(line, "the manifest row names no file"))
        return
    metadata = Metadata(source="manifest")
    for column in (*COLUMNS, *OPTIONAL_COLUMNS):
        if column in ("file", "tags") or column not in row:
            continue
        setattr(metadata, _FIELD.get(column, column), clean_text(row[column]))
    tags = split_tags(row.get("tags", ""))
    metadata.tags = tags or None
    sanitise_metadata(metadata, f"{name} line {line}", manifest.warnings, names={"identifier": "id"})
    manifest.rows.append(ManifestRow(line=line, file=file, metadata=metadata))

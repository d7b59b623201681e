"""XMP sidecars: one ``.xmp`` per record for photo tools (Lightroom, darktable, digiKam, exiftool).

Each packet carries dc:title, dc:description, dc:creator (``; ``-separated creators), dc:rights,
dc:identifier, dc:date and photoshop:DateCreated (the date's plain ISO 8601 form, only where it
parses: an XMP date cannot hold "ca. 1920" or a range), Iptc4xmpCore:Location, dc:subject and
lr:hierarchicalSubject (``Broader|Narrower|Concept`` for tags linked to a vocabulary concept, the
label alone otherwise; a linked tag is written under its concept's preferred label in both, so that
photo tools see one keyword). Pending suggestions are never written.

Sidecars go into a folder (named after the record identifier) or, on request, beside each image
(``photo.jpg`` -> ``photo.xmp``, as Lightroom and exiftool look for them). A sidecar already there
is replaced only when Heritage Tagger wrote it (its packet carries ``ht:generator``); any other is
left alone and the record is reported as skipped with the reason.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from heritage_tagger.domain.errors import ExportError
from heritage_tagger.domain.records import Record
from heritage_tagger.export.atomic import atomic_text_file
from heritage_tagger.export.common import exported_tags, plain_date
from heritage_tagger.export.dc_xml import xml_attr, xml_text
from heritage_tagger.export.text import clean_text

GENERATOR = "heritage-tagger"
HT_NS = "urn:heritage-tagger:terms:"
NAMESPACES = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "lr": "http://ns.adobe.com/lightroom/1.0/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "ht": HT_NS,
}
_OURS = re.compile(rb'ht:generator\s*=\s*["\']heritage-tagger["\']')
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class XmpResult:
    """Sidecars written, subjects written, and each record skipped with the reason."""

    written: int = 0
    subjects: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (identifier, reason)


def _alt(name: str, value: str) -> str:
    return f'   <{name}><rdf:Alt><rdf:li xml:lang="x-default">{xml_text(value)}</rdf:li></rdf:Alt></{name}>\n'


def _list(name: str, container: str, values: list[str]) -> str:
    items = "".join(f"<rdf:li>{xml_text(v)}</rdf:li>" for v in values)
    return f"   <{name}><rdf:{container}>{items}</rdf:{container}></{name}>\n"


def subjects_and_paths(record: Record) -> tuple[list[str], list[str]]:
    """dc:subject keywords and lr:hierarchicalSubject paths of a record (catalogued and accepted tags)."""
    keywords: dict[str, None] = {}
    paths: dict[str, None] = {}
    for label, tag in zip(
        *(lambda t: (t.subjects, t.subject_tags))(exported_tags(record, False)), strict=True
    ):
        leaf = clean_text(tag.concept_label or label) if tag.uri else label
        keywords.setdefault(leaf, None)
        parts = [clean_text(p) for p in (*tag.broader, leaf)] if tag.uri else [leaf]
        paths.setdefault("|".join(p.replace("|", "/") for p in parts), None)
    return list(keywords), list(paths)


def xmp_packet(record: Record) -> str:
    """The XMP packet of one record (UTF-8 text, wrapped in ``<?xpacket?>``)."""
    keywords, paths = subjects_and_paths(record)
    date = plain_date(record.date_normalised)
    attrs = {"ht:generator": GENERATOR, "ht:recordIdentifier": record.identifier}
    if date:
        attrs["photoshop:DateCreated"] = date
    if record.location.strip():
        attrs["Iptc4xmpCore:Location"] = record.location
    if record.updated_at is not None:
        attrs["xmp:MetadataDate"] = record.updated_at.replace(microsecond=0).isoformat() + "Z"
    ns = "".join(f'\n    xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())
    attributes = "".join(f'\n    {name}="{xml_attr(value)}"' for name, value in attrs.items())
    body = [
        _alt("dc:title", record.title) if record.title.strip() else "",
        _alt("dc:description", record.description) if record.description.strip() else "",
        _list("dc:creator", "Seq", [c.strip() for c in record.creator.split("; ") if c.strip()])
        if record.creator.strip()
        else "",
        _alt("dc:rights", record.rights) if record.rights.strip() else "",
        f"   <dc:identifier>{xml_text(record.identifier)}</dc:identifier>\n",
        _list("dc:date", "Seq", [date]) if date else "",
        _list("dc:subject", "Bag", keywords) if keywords else "",
        _list("lr:hierarchicalSubject", "Bag", paths) if paths else "",
    ]
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Heritage Tagger">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        f'  <rdf:Description rdf:about=""{ns}{attributes}>\n'
        + "".join(body)
        + "  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n"
        + '<?xpacket end="w"?>\n'
    )


def is_ours(path: Path) -> bool:
    """Whether the sidecar at ``path`` was written by Heritage Tagger (and so may be replaced)."""
    try:
        with path.open("rb") as fh:
            return _OURS.search(fh.read(1 << 18)) is not None
    except OSError:
        return False


def folder_name(identifier: str, taken: set[str]) -> str:
    """A file name for a record's sidecar in a folder: its identifier made safe, unique ignoring case."""
    base = _UNSAFE_NAME.sub("_", identifier).strip("._")[:120] or "record"
    name = f"{base}.xmp"
    if name.lower() in taken:
        name = f"{base}-{hashlib.sha1(identifier.encode('utf-8')).hexdigest()[:8]}.xmp"
    taken.add(name.lower())
    return name


def write_sidecars(
    records: Iterable[Record],
    folder: Path | None,
    *,
    on_record: Callable[[int], None] | None = None,
) -> XmpResult:
    """Write one sidecar per record into ``folder`` (created if needed), or beside each image when
    ``folder`` is None; a record whose sidecar cannot or must not be written is skipped with a reason."""
    result = XmpResult()
    if folder is not None:
        folder = folder.expanduser()
        if folder.exists() and not folder.is_dir():
            raise ExportError(f"Cannot write XMP sidecars into {folder}: it is a file, not a folder.")
        try:
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise ExportError(f"Cannot create the folder {folder}: {exc.strerror or exc}.") from exc
    taken: set[str] = set()
    done = 0
    for record in records:
        done += 1
        target, reason = _target(record, folder, taken)
        if target is not None and target.exists() and not is_ours(target):
            target, reason = (
                None,
                f"{target} exists and was not written by Heritage Tagger; it was left alone",
            )
        if target is None:
            result.skipped.append((record.identifier, reason))
        else:
            try:
                with atomic_text_file(target, encoding="utf-8", newline="\n") as stream:
                    stream.write(xmp_packet(record))
                result.written += 1
                result.subjects += len(subjects_and_paths(record)[0])
            except ExportError as exc:
                result.skipped.append((record.identifier, str(exc)))
        if on_record is not None:
            on_record(done)
    return result


def _target(record: Record, folder: Path | None, taken: set[str]) -> tuple[Path | None, str]:
    if folder is not None:
        return folder / folder_name(record.identifier, taken), ""
    if not record.source_path:
        return None, "the record has no image file to put a sidecar beside"
    image = Path(record.source_path)
    if not image.is_file():
        return None, f"the image is not at {image} any more"
    sidecar = image.with_suffix(".xmp")
    key = str(sidecar).lower()
    if key in taken:
        return None, f"another record's image has the same sidecar name ({sidecar.name})"
    taken.add(key)
    return sidecar, ""

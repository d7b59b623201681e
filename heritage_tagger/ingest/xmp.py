"""Safe reading of an XMP packet: captions, keywords, places, date, creator, rights."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from heritage_tagger.ingest.metadata import Metadata, clean_text, split_tags

MAX_XMP_BYTES = 4 * 1024 * 1024
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
PHOTOSHOP = "http://ns.adobe.com/photoshop/1.0/"
IPTC_CORE = "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_UNSAFE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class XmpError(ValueError):
    """The XMP packet cannot be read; the message says why in plain words."""


def _values(element: ET.Element) -> list[str]:
    """Texts of a property: rdf:Alt (x-default first), rdf:Bag or rdf:Seq items, or the element's text."""
    for container in ("Alt", "Bag", "Seq"):
        holder = element.find(f"{{{RDF}}}{container}")
        if holder is not None:
            items = holder.findall(f"{{{RDF}}}li")
            if container == "Alt":
                items.sort(key=lambda li: li.get(XML_LANG, "") != "x-default")
            return [clean_text("".join(li.itertext())) for li in items if "".join(li.itertext()).strip()]
    text = clean_text("".join(element.itertext()))
    return [text] if text else []


def _properties(root: ET.Element) -> dict[str, list[str]]:
    """Every property of every rdf:Description, by ``{namespace}name``, as attributes or elements."""
    found: dict[str, list[str]] = {}
    for description in root.iter(f"{{{RDF}}}Description"):
        for name, value in description.attrib.items():
            if name.startswith("{") and not name.startswith(f"{{{RDF}}}") and value.strip():
                found.setdefault(name, []).append(clean_text(value))
        for child in description:
            values = _values(child)
            if values:
                found.setdefault(child.tag, []).extend(values)
    return found


def parse_xmp(packet: bytes | str) -> Metadata:
    """Metadata from an XMP packet; XmpError when it is too large, unsafe or not well-formed XML."""
    data = packet.encode("utf-8") if isinstance(packet, str) else bytes(packet)
    if len(data) > MAX_XMP_BYTES:
        raise XmpError(f"the embedded XMP is too large ({len(data)} bytes)")
    data = data.strip(b"\x00 \t\r\n")
    if _UNSAFE.search(data):
        raise XmpError("the embedded XMP declares a DOCTYPE or entities, which are refused for safety")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise XmpError(f"the embedded XMP is not well-formed XML ({exc})") from exc
    props = _properties(root)

    def first(*names: str) -> str:
        for name in names:
            if props.get(name):
                return props[name][0]
        return ""

    place = [first(f"{{{IPTC_CORE}}}Location"), first(f"{{{PHOTOSHOP}}}City")]
    place += [first(f"{{{PHOTOSHOP}}}State"), first(f"{{{PHOTOSHOP}}}Country")]
    subjects = props.get(f"{{{DC}}}subject", [])
    return Metadata(
        title=first(f"{{{DC}}}title", f"{{{PHOTOSHOP}}}Headline"),
        description=first(f"{{{DC}}}description"),
        location=", ".join(p for p in place if p),
        date=first(f"{{{PHOTOSHOP}}}DateCreated"),
        creator="; ".join(props.get(f"{{{DC}}}creator", [])),
        rights=first(f"{{{DC}}}rights"),
        tags=split_tags(subjects) or None,
        source="embedded",
    )

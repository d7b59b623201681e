"""Metadata embedded in the image file: IPTC-IIM (via Pillow) and XMP, XMP winning field by field."""

from __future__ import annotations

from PIL import Image, IptcImagePlugin

from heritage_tagger.ingest.metadata import Metadata, merge_metadata, sanitise_metadata, split_tags
from heritage_tagger.ingest.xmp import XmpError, parse_xmp

# IPTC-IIM datasets (record 2)
OBJECT_NAME, KEYWORDS, DATE_CREATED, BYLINE = (2, 5), (2, 25), (2, 55), (2, 80)
CITY, SUBLOCATION, PROVINCE, COUNTRY = (2, 90), (2, 92), (2, 95), (2, 101)
HEADLINE, COPYRIGHT, CAPTION = (2, 105), (2, 116), (2, 120)
CODED_CHARSET = (1, 90)
_UTF8_MARK = b"\x1b%G"


def _decode(value: bytes, utf8: bool) -> str:
    if utf8:
        return value.decode("utf-8", errors="replace").strip()
    try:
        return value.decode("utf-8").strip()
    except UnicodeDecodeError:
        return value.decode("cp1252", errors="replace").strip()


def parse_iptc(info: dict[tuple[int, int], bytes | list[bytes]]) -> Metadata:
    """Metadata from Pillow's IPTC dictionary (``IptcImagePlugin.getiptcinfo``)."""
    charset = info.get(CODED_CHARSET, b"")
    utf8 = _UTF8_MARK in (charset if isinstance(charset, bytes) else b"".join(charset))

    def all_of(key: tuple[int, int]) -> list[str]:
        value = info.get(key)
        items = [value] if isinstance(value, bytes) else list(value or [])
        return [text for text in (_decode(v, utf8) for v in items) if text]

    def one(key: tuple[int, int]) -> str:
        values = all_of(key)
        return values[0] if values else ""

    place = [one(SUBLOCATION), one(CITY), one(PROVINCE), one(COUNTRY)]
    return Metadata(
        title=one(HEADLINE) or one(OBJECT_NAME),
        description=one(CAPTION),
        location=", ".join(p for p in place if p),
        date=one(DATE_CREATED),
        creator="; ".join(all_of(BYLINE)),
        rights=one(COPYRIGHT),
        tags=split_tags(all_of(KEYWORDS)) or None,
        source="embedded",
    )


def _xmp_packet(image: Image.Image) -> bytes | str | None:
    packet = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp")
    if packet:
        return packet  # type: ignore[no-any-return]
    tags = getattr(image, "tag_v2", None)
    if tags is not None:
        value = tags.get(700)  # TIFF XMLPacket
        if value:
            return value if isinstance(value, bytes | str) else bytes(value)
    return None


def read_embedded(image: Image.Image) -> tuple[Metadata | None, list[str]]:
    """Embedded metadata of an opened image (None when there is none) and warnings about broken blocks."""
    warnings: list[str] = []
    sources: list[Metadata] = []
    packet = _xmp_packet(image)
    if packet:
        try:
            sources.append(parse_xmp(packet))
        except XmpError as exc:
            warnings.append(f"{exc}; it was ignored")
    try:
        iptc = IptcImagePlugin.getiptcinfo(image)  # type: ignore[arg-type]
    except (SyntaxError, ValueError, OSError, KeyError, IndexError, TypeError) as exc:
        warnings.append(f"the embedded IPTC block cannot be read ({exc}); it was ignored")
        iptc = None
    if iptc:
        sources.append(parse_iptc(iptc))
    sources = [s for s in sources if not s.is_empty()]
    if not sources:
        return None, warnings
    merged = merge_metadata(*sources)
    return (
        sanitise_metadata(
            Metadata(
                title=merged.title,
                description=merged.description,
                location=merged.location,
                date=merged.date,
                creator=merged.creator,
                rights=merged.rights,
                tags=merged.tags,
                source="embedded",
            ),
            "the embedded metadata",
            warnings,
        ),
        warnings,
    )

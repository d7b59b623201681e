"""Embedded IPTC-IIM and XMP metadata, written into test JPEG/TIFF/PNG files by the tests themselves."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from heritage_tagger.ingest.embedded import parse_iptc, read_embedded
from heritage_tagger.ingest.xmp import XmpError, parse_xmp
from tests.factories import jpeg_with_metadata, xmp_packet


def test_iptc_caption_keywords_and_place_from_a_jpeg(tmp_path: Path) -> None:
    path = jpeg_with_metadata(
        tmp_path / "iptc.jpg",
        iptc={
            (2, 5): ["Object name"],
            (2, 120): ["Tram on Pennsylvania Avenue"],
            (2, 25): ["Streetcars", "Avenues", "Streetcars"],
            (2, 92): ["Pennsylvania Avenue"],
            (2, 90): ["Washington"],
            (2, 101): ["United States"],
            (2, 55): ["19350803"],
            (2, 80): ["Harris & Ewing"],
        },
    )
    with Image.open(path) as image:
        meta, warnings = read_embedded(image)
    assert warnings == []
    assert meta is not None
    assert meta.description == "Tram on Pennsylvania Avenue"
    assert meta.title == "Object name"
    assert meta.tags == ["Streetcars", "Avenues"]
    assert meta.location == "Pennsylvania Avenue, Washington, United States"
    assert meta.date == "19350803"
    assert meta.creator == "Harris & Ewing"
    assert meta.source == "embedded"


def test_iptc_headline_wins_over_object_name_and_latin1_is_decoded() -> None:
    info = {(2, 5): b"Object", (2, 105): b"Headline", (2, 120): "Caf\u00e9 terrace".encode("cp1252")}
    meta = parse_iptc(info)
    assert meta.title == "Headline"
    assert meta.description == "Café terrace"


def test_xmp_description_subjects_and_places_from_a_jpeg(tmp_path: Path) -> None:
    packet = xmp_packet(
        description="Children in a garden",
        subjects=("Gardens", "Children"),
        city="Washington",
        sublocation="Mall",
    )
    path = jpeg_with_metadata(tmp_path / "xmp.jpg", xmp=packet)
    with Image.open(path) as image:
        meta, warnings = read_embedded(image)
    assert warnings == []
    assert meta is not None
    assert meta.description == "Children in a garden"
    assert meta.tags == ["Gardens", "Children"]
    assert meta.location == "Mall, Washington"


def test_xmp_wins_over_iptc_field_by_field(tmp_path: Path) -> None:
    path = jpeg_with_metadata(
        tmp_path / "both.jpg",
        iptc={(2, 120): ["IPTC caption"], (2, 25): ["iptc-tag"], (2, 90): ["Boston"]},
        xmp=xmp_packet(description="XMP caption"),
    )
    with Image.open(path) as image:
        meta, _ = read_embedded(image)
    assert meta is not None
    assert meta.description == "XMP caption"
    assert meta.tags == ["iptc-tag"]  # XMP has none, so the IPTC keywords stand
    assert meta.location == "Boston"


def test_xmp_in_png_and_tiff(tmp_path: Path) -> None:
    packet = xmp_packet(subjects=("Bridges",))
    png_info = PngImagePlugin.PngInfo()
    png_info.add_itxt("XML:com.adobe.xmp", packet.decode())
    Image.new("RGB", (8, 8)).save(tmp_path / "a.png", pnginfo=png_info)
    Image.new("RGB", (8, 8)).save(tmp_path / "a.tif", tiffinfo={700: packet})
    for name in ("a.png", "a.tif"):
        with Image.open(tmp_path / name) as image:
            meta, warnings = read_embedded(image)
        assert warnings == [], name
        assert meta is not None and meta.tags == ["Bridges"], name


def test_broken_xmp_gives_a_warning_not_an_error(tmp_path: Path) -> None:
    path = jpeg_with_metadata(tmp_path / "broken.jpg", xmp=b"<x:xmpmeta><rdf:RDF>unclosed")
    with Image.open(path) as image:
        meta, warnings = read_embedded(image)
    assert meta is None
    assert len(warnings) == 1 and "not well-formed XML" in warnings[0]


def test_xmp_with_entities_is_refused() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><x>&b;</x>'
    with pytest.raises(XmpError, match="refused for safety"):
        parse_xmp(bomb)


def test_xmp_too_large_is_refused() -> None:
    with pytest.raises(XmpError, match="too large"):
        parse_xmp(b"<x>" + b" " * (5 * 1024 * 1024) + b"</x>")


def test_image_without_metadata_has_none(tmp_path: Path, make_image) -> None:
    path = make_image(tmp_path / "plain.jpg")
    with Image.open(path) as image:
        assert read_embedded(image) == (None, [])

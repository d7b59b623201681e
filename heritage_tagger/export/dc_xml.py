"""Dublin Core XML export: one ``oai_dc:dc`` per record, written incrementally (never a whole tree).

Document shape (the container is ours; each ``oai_dc:dc`` is valid against ``oai_dc.xsd``)::

    <?xml version="1.0" encoding="UTF-8"?>
    <records xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
             xmlns:dc="http://purl.org/dc/elements/1.1/"
             xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
      <record>
        <oai_dc:dc xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd">
          <dc:title>...</dc:title> ... <dc:subject>one per tag</dc:subject> ...
        </oai_dc:dc>
        <suggested score="0.82">tag</suggested>   (only with include_suggestions)
      </record>
    </records>

oai_dc allows neither attributes (other than xml:lang) nor extra elements, so pending
suggestions go beside the ``oai_dc:dc`` in the container's ``<suggested>`` elements, never
into ``dc:subject``. Characters XML 1.0 forbids are removed (see ``export.text``); a carriage
return is written as ``&#13;`` so that it survives parsing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TextIO

from heritage_tagger.domain.records import Record
from heritage_tagger.export.common import DCMI_TYPE, ExportCounts, exported_tags, format_score
from heritage_tagger.export.text import clean_text

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC_SCHEMA_LOCATION = f"{OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"

_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#9;"}
)


def xml_text(value: str) -> str:
    """``value`` cleaned and escaped for element content."""
    return clean_text(value).translate(_TEXT_ESCAPES)


def xml_attr(value: str) -> str:
    """``value`` cleaned and escaped for a double-quoted attribute."""
    return clean_text(value).translate(_ATTR_ESCAPES)


def _record_xml(record: Record, subjects: list[str]) -> list[str]:
    """The lines of one ``oai_dc:dc`` element, DC elements in the DCMES order, empty ones left out."""
    fields: list[tuple[str, str]] = [
        ("title", record.title),
        ("creator", record.creator),
        *(("subject", s) for s in subjects),
        ("description", record.description),
        ("date", record.date),
        ("type", DCMI_TYPE),
        ("format", record.mime_type),
        ("identifier", record.identifier),
        ("coverage", record.location),
        ("rights", record.rights),
    ]
    lines = [f'    <oai_dc:dc xsi:schemaLocation="{OAI_DC_SCHEMA_LOCATION}">\n']
    for name, value in fields:
        text = xml_text(value or "")
        if text.strip():
            lines.append(f"      <dc:{name}>{text}</dc:{name}>\n")
    lines.append("    </oai_dc:dc>\n")
    return lines


def write_dc_xml(
    records: Iterable[Record],
    stream: TextIO,
    *,
    include_suggestions: bool = False,
    on_record: Callable[[int], None] | None = None,
) -> ExportCounts:
    """Write ``records`` as a Dublin Core XML document to ``stream`` (UTF-8) and return the counts."""
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(f'<records xmlns:oai_dc="{OAI_DC_NS}" xmlns:dc="{DC_NS}" xmlns:xsi="{XSI_NS}">\n')
    counts = ExportCounts()
    for record in records:
        tags = exported_tags(record, include_suggestions)
        lines = ["  <record>\n", *_record_xml(record, tags.subjects)]
        for label, score in tags.suggestions:
            lines.append(f'    <suggested score="{format_score(score)}">{xml_text(label)}</suggested>\n')
        lines.append("  </record>\n")
        stream.write("".join(lines))
        counts.records += 1
        counts.subjects += len(tags.subjects)
        counts.suggestions += len(tags.suggestions)
        if on_record is not None:
            on_record(counts.records)
    stream.write("</records>\n")
    return counts

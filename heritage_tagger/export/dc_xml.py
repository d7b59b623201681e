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
into ``dc:subject``; subjects stay text (oai_dc has no place for a URI). A date that parses gets a
second ``dc:date`` with its ISO 8601 / EDTF form. Characters XML 1.0 forbids are removed (see
``export.text``); a carriage return is written as ``&#13;`` so that it survives parsing.

With ``oai_pmh`` the same ``oai_dc:dc`` elements come in an OAI-PMH ``ListRecords`` response
instead (``OAI-PMH/ListRecords/record`` with a ``header`` holding an ``oai:`` identifier and the
record's datestamp, ``metadata`` holding the ``oai_dc:dc``, and suggestions in ``about``), as a
harvester would receive it; one document, no resumption token.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TextIO
from urllib.parse import quote, urlsplit

from heritage_tagger.domain.records import Record
from heritage_tagger.export.common import DCMI_TYPE, ExportCounts, exported_tags, format_score
from heritage_tagger.export.text import clean_text

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC_SCHEMA_LOCATION = f"{OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
OAI_PMH_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_PMH_SCHEMA_LOCATION = f"{OAI_PMH_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
HT_NS = "urn:heritage-tagger:terms:"
DEFAULT_REPOSITORY = "heritage-tagger.local"
_OAI_LOCAL_SAFE = "-_.!~*'();/?:@&=+$,"

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


def _record_xml(record: Record, subjects: list[str], indent: str = "    ") -> list[str]:
    """The lines of one ``oai_dc:dc`` element, DC elements in the DCMES order, empty ones left out."""
    normalised = record.date_normalised or ""
    extra_date = normalised if normalised and normalised != clean_text(record.date).strip() else ""
    fields: list[tuple[str, str]] = [
        ("title", record.title),
        ("creator", record.creator),
        *(("subject", s) for s in subjects),
        ("description", record.description),
        ("date", record.date),
        ("date", extra_date),
        ("type", DCMI_TYPE),
        ("format", record.mime_type),
        ("identifier", record.identifier),
        ("coverage", record.location),
        ("rights", record.rights),
    ]
    lines = [f'{indent}<oai_dc:dc xsi:schemaLocation="{OAI_DC_SCHEMA_LOCATION}">\n']
    for name, value in fields:
        if clean_text(value).strip():  # a value of spaces or line breaks alone is no value ("\r" too)
            lines.append(f"{indent}  <dc:{name}>{xml_text(value)}</dc:{name}>\n")
    lines.append(f"{indent}</oai_dc:dc>\n")
    return lines


def oai_identifier(identifier: str, base_uri: str = "") -> str:
    """``oai:<repository>:<local id>``: the repository is the base URI's host name (else a .local name)."""
    host = urlsplit(base_uri).hostname if base_uri else None
    repository = host if host and "." in host else DEFAULT_REPOSITORY
    return f"oai:{repository}:{quote(identifier, safe=_OAI_LOCAL_SAFE)}"


def _utc(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0).isoformat() + "Z"


def write_dc_xml(
    records: Iterable[Record],
    stream: TextIO,
    *,
    include_suggestions: bool = False,
    oai_pmh: bool = False,
    base_uri: str = "",
    response_date: datetime | None = None,
    on_record: Callable[[int], None] | None = None,
) -> ExportCounts:
    """Write ``records`` as a Dublin Core XML document to ``stream`` (UTF-8) and return the counts.

    ``oai_pmh`` wraps them as an OAI-PMH ``ListRecords`` response (``base_uri`` names the repository
    in the ``request`` element and in the ``oai:`` identifiers).
    """
    now = response_date or datetime.now(UTC)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    if oai_pmh:
        stream.write(
            f'<OAI-PMH xmlns="{OAI_PMH_NS}" xmlns:oai_dc="{OAI_DC_NS}" xmlns:dc="{DC_NS}" xmlns:xsi="{XSI_NS}" '
            f'xmlns:ht="{HT_NS}" xsi:schemaLocation="{OAI_PMH_SCHEMA_LOCATION}">\n'
            f"  <responseDate>{_utc(now)}</responseDate>\n"
            f'  <request verb="ListRecords" metadataPrefix="oai_dc">{xml_text(base_uri)}</request>\n'
            "  <ListRecords>\n"
        )
    else:
        stream.write(f'<records xmlns:oai_dc="{OAI_DC_NS}" xmlns:dc="{DC_NS}" xmlns:xsi="{XSI_NS}">\n')
    counts = ExportCounts()
    for record in records:
        tags = exported_tags(record, include_suggestions)
        suggested = [
            f'<ht:suggested score="{format_score(score)}">{xml_text(label)}</ht:suggested>' if oai_pmh
            else f'<suggested score="{format_score(score)}">{xml_text(label)}</suggested>'
            for label, score in tags.suggestions
        ]  # fmt: skip
        if oai_pmh:
            stamp = _utc(record.updated_at or now)
            lines = [
                "    <record>\n      <header>\n",
                f"        <identifier>{xml_text(oai_identifier(record.identifier, base_uri))}</identifier>\n",
                f"        <datestamp>{stamp}</datestamp>\n      </header>\n      <metadata>\n",
                *_record_xml(record, tags.subjects, indent="        "),
                "      </metadata>\n",
            ]
            if suggested:
                lines.append(
                    "      <about><ht:suggestions>" + "".join(suggested) + "</ht:suggestions></about>\n"
                )
            lines.append("    </record>\n")
        else:
            lines = ["  <record>\n", *_record_xml(record, tags.subjects)]
            lines.extend(f"    {item}\n" for item in suggested)
            lines.append("  </record>\n")
        stream.write("".join(lines))
        counts.records += 1
        counts.subjects += len(tags.subjects)
        counts.suggestions += len(tags.suggestions)
        if on_record is not None:
            on_record(counts.records)
    stream.write("  </ListRecords>\n</OAI-PMH>\n" if oai_pmh else "</records>\n")
    return counts

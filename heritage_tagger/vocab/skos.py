"""SKOS vocabularies (Turtle, RDF/XML, N-Triples) read with rdflib into a filtering sink, never a whole graph.

rdflib parses into a ``Store``; ours keeps only the statements SKOS import needs (types, labels,
SKOS-XL label forms, broader/narrower/related, schemes, titles, deprecation) in compact dictionaries,
so a 100,000-concept file needs tens of megabytes instead of a full in-memory graph, and the job can
be cancelled between statements. Concepts are the URIs typed ``skos:Concept`` or carrying a
``skos:prefLabel``; blank nodes, schemes and collections are not concepts.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from heritage_tagger.domain.errors import CancelledError, VocabularyError
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.domain.vocabulary import LabelKind
from heritage_tagger.vocab.concept import ParsedConcept, ParsedVocabulary, VocabularyFormat, tidy_label

SKOS = "http://www.w3.org/2004/02/skos/core#"
SKOSXL = "http://www.w3.org/2008/05/skos-xl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OWL_DEPRECATED = "http://www.w3.org/2002/07/owl#deprecated"
TITLES = (
    "http://purl.org/dc/terms/title",
    "http://purl.org/dc/elements/1.1/title",
    f"{SKOS}prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
)
_LABELS = {
    f"{SKOS}prefLabel": LabelKind.PREF,
    f"{SKOS}altLabel": LabelKind.ALT,
    f"{SKOS}hiddenLabel": LabelKind.HIDDEN,
}
_XL_LABELS = {
    f"{SKOSXL}prefLabel": LabelKind.PREF,
    f"{SKOSXL}altLabel": LabelKind.ALT,
    f"{SKOSXL}hiddenLabel": LabelKind.HIDDEN,
}
_RDFLIB_FORMATS = {
    VocabularyFormat.TURTLE: "turtle",
    VocabularyFormat.RDFXML: "xml",
    VocabularyFormat.NTRIPLES: "nt",
}
_CHECK_EVERY = 5000
_UNSAFE_XML = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class _Collected:
    """The SKOS statements of a file, by subject URI."""

    def __init__(self) -> None:
        self.types: dict[str, set[str]] = defaultdict(set)
        self.labels: dict[str, list[tuple[LabelKind, str, str]]] = defaultdict(list)
        self.xl_links: list[tuple[str, LabelKind, str]] = []  # (concept, kind, label node)
        self.xl_forms: dict[str, list[tuple[str, str]]] = defaultdict(list)  # label node -> (text, lang)
        self.broader: dict[str, list[str]] = defaultdict(list)
        self.related: dict[str, list[str]] = defaultdict(list)
        self.schemes: dict[str, str] = {}
        self.top_of: dict[str, str] = {}  # concept -> scheme (hasTopConcept / topConceptOf)
        self.titles: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.deprecated: set[str] = set()
        self.statements = 0


def _make_sink(collected: _Collected, progress: ProgressCallback, cancel: CancelToken | None) -> Any:
    from rdflib import BNode, Literal, URIRef
    from rdflib.store import Store

    class SkosSink(Store):  # type: ignore[misc]
        """An rdflib store that keeps the SKOS statements and drops the rest."""

        def add(self, triple: Any, context: Any = None, quoted: bool = False) -> None:
            s, p, o = triple
            collected.statements += 1
            if collected.statements % _CHECK_EVERY == 0:
                if cancel is not None:
                    cancel.check()
                progress(Progress("Reading the vocabulary", collected.statements, None, "statements read"))
            if isinstance(s, BNode) and str(p) != f"{SKOSXL}literalForm":
                return
            subject, predicate = str(s), str(p)
            if isinstance(o, Literal):
                text, lang = str(o), (o.language or "")
                if (kind := _LABELS.get(predicate)) is not None:
                    collected.labels[subject].append((kind, text, lang))
                elif predicate == f"{SKOSXL}literalForm":
                    collected.xl_forms[subject].append((text, lang))
                elif predicate in TITLES:
                    collected.titles[subject].append((text, lang))
                elif predicate == OWL_DEPRECATED and text.strip().lower() in ("true", "1"):
                    collected.deprecated.add(subject)
                return
            if not isinstance(o, URIRef | BNode):
                return
            target = str(o)
            if predicate == RDF_TYPE:
                collected.types[subject].add(target)
            elif predicate == f"{SKOS}broader":
                collected.broader[subject].append(target)
            elif predicate == f"{SKOS}narrower":
                collected.broader[target].append(subject)
            elif predicate == f"{SKOS}related":
                collected.related[subject].append(target)
            elif predicate == f"{SKOS}inScheme":
                collected.schemes.setdefault(subject, target)
            elif predicate == f"{SKOS}topConceptOf":
                collected.top_of.setdefault(subject, target)
            elif predicate == f"{SKOS}hasTopConcept":
                collected.top_of.setdefault(target, subject)
            elif (kind := _XL_LABELS.get(predicate)) is not None:
                collected.xl_links.append((subject, kind, target))

        # namespace bookkeeping the parsers call; prefixes are not needed
        def bind(self, prefix: Any, namespace: Any, override: bool = True) -> None:
            return None

        def namespace(self, prefix: Any) -> None:
            return None

        def prefix(self, namespace: Any) -> None:
            return None

        def namespaces(self) -> Any:
            return iter(())

    return SkosSink()


def _parse(path: Path, fmt: VocabularyFormat, collected: _Collected, progress: ProgressCallback,
           cancel: CancelToken | None) -> None:  # fmt: skip
    import xml.sax

    from rdflib import Graph
    from rdflib.exceptions import Error as RdflibError

    if fmt is VocabularyFormat.RDFXML:
        with path.open("rb") as fh:
            if _UNSAFE_XML.search(fh.read(1 << 16)):
                raise VocabularyError(
                    f"{path.name} declares a DOCTYPE or entities, which are refused for safety."
                )
    graph = Graph(store=_make_sink(collected, progress, cancel))
    try:
        with path.open("rb") as fh:
            graph.parse(source=fh, format=_RDFLIB_FORMATS[fmt], publicID=path.resolve().as_uri())
    except (CancelledError, VocabularyError):
        raise
    except (
        SyntaxError,
        ValueError,
        UnicodeDecodeError,
        RdflibError,
        xml.sax.SAXException,
        AssertionError,
    ) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise VocabularyError(f"{path.name} is not valid {fmt.value} RDF: {first[:300]}") from exc


def _title(collected: _Collected, scheme: str | None, language: str) -> str:
    titles = sorted(collected.titles.get(scheme or "", []))
    for wanted in (language, ""):
        for text, lang in titles:
            if lang.split("-")[0] == wanted:
                return tidy_label(text)
    return tidy_label(titles[0][0]) if titles else ""


def read_skos(
    path: Path,
    fmt: VocabularyFormat,
    *,
    language: str | None = None,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> ParsedVocabulary:
    """The concepts of a SKOS file; VocabularyError in plain words when it cannot be read."""
    collected = _Collected()
    _parse(path, fmt, collected, progress, cancel)
    concept_type, scheme_type = f"{SKOS}Concept", f"{SKOS}ConceptScheme"
    not_concepts = {f"{SKOS}ConceptScheme", f"{SKOS}Collection", f"{SKOS}OrderedCollection"}
    candidates = [s for s, types in collected.types.items() if concept_type in types]
    typed = set(candidates)
    candidates += [
        s for s, labels in collected.labels.items()
        if s not in typed and not (collected.types.get(s, set()) & not_concepts)
        and any(kind is LabelKind.PREF for kind, _, _ in labels)
    ]  # fmt: skip
    for subject, kind, node in collected.xl_links:
        for text, lang in collected.xl_forms.get(node, []):
            collected.labels[subject].append((kind, text, lang))
    schemes = [s for s, types in collected.types.items() if scheme_type in types]
    concepts: list[ParsedConcept] = []
    deprecated = 0
    for uri in candidates:
        if uri in collected.deprecated:
            deprecated += 1
            continue
        concept = ParsedConcept(uri=uri, scheme=collected.schemes.get(uri) or collected.top_of.get(uri))
        for kind, text, lang in collected.labels.get(uri, []):
            concept.add_label(kind, text, lang)
        concept.broader = list(dict.fromkeys(b for b in collected.broader.get(uri, []) if b != uri))
        concept.related = list(dict.fromkeys(r for r in collected.related.get(uri, []) if r != uri))
        concepts.append(concept)
    if not concepts:
        raise VocabularyError(
            f"{path.name} has no SKOS concepts (nothing typed skos:Concept or carrying a skos:prefLabel)."
        )
    scheme = schemes[0] if len(schemes) == 1 else None
    if scheme is None:
        used = {c.scheme for c in concepts if c.scheme}
        scheme = used.pop() if len(used) == 1 else None
    parsed = ParsedVocabulary(
        path=path, format=fmt, concepts=concepts, scheme_uri=scheme, skipped_deprecated=deprecated
    )
    parsed.title = _title(collected, scheme, parsed.main_language(language)) or path.stem
    unlabelled = sum(1 for c in concepts if not c.labels)
    if unlabelled:
        parsed.warnings.append(f"{unlabelled} concepts have no label; they are kept under their URI.")
    if deprecated:
        parsed.warnings.append(f"{deprecated} deprecated concepts (owl:deprecated) were left out.")
    return parsed

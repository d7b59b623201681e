"""Vocabulary use cases: import (chunked, cancellable), list, remove, label match, completion, hierarchy."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from heritage_tagger.db import tables
from heritage_tagger.db import vocabularies as vdb
from heritage_tagger.db.engine import Session
from heritage_tagger.domain.errors import VocabularyError
from heritage_tagger.domain.progress import CancelToken, Progress, ProgressCallback, null_progress
from heritage_tagger.domain.vocabulary import (
    Concept,
    ConceptDetails,
    ConceptMatch,
    LabelKind,
    LexicalCandidate,
    MatchHow,
    VocabularyInfo,
)
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.tag_links import LinkReport, link_tags
from heritage_tagger.vocab import hierarchy
from heritage_tagger.vocab.concept import ParsedConcept, ParsedVocabulary, VocabularyFormat
from heritage_tagger.vocab.matching import language_ok, rank
from heritage_tagger.vocab.normalise import label_key, label_keys, match_keys
from heritage_tagger.vocab.reader import read_vocabulary

CHUNK = 2000


@dataclass
class VocabularyImportReport:
    """What an import wrote, what it left out and which tags it linked."""

    vocabulary: VocabularyInfo
    concepts: int
    labels: int
    relations: int
    external_relations: int  # broader/related targets outside this vocabulary (kept by URI)
    replaced: bool
    warnings: list[str] = field(default_factory=list)
    link: LinkReport | None = None


def _english(lang: str, vocabulary_language: str) -> bool:
    effective = lang or vocabulary_language
    return not effective or effective.split("-")[0] == "en"


def _new_concept(concept: ParsedConcept, language: str) -> vdb.NewConcept:
    labels = []
    for kind, text, lang in concept.labels:
        norm, lemma = label_keys(text) if _english(lang, language) else (label_key(text),) * 2
        if norm:
            labels.append(vdb.NewLabel(kind, text, lang, norm, lemma or norm))
    return vdb.NewConcept(concept.uri[:1024], concept.scheme, concept.display_label(language), labels)


def _existing(session: Session, name: str) -> tables.Vocabulary | None:
    return vdb.vocabulary_by_name(session, name)


def _write(
    catalogue: Catalogue, vocabulary_id: int, parsed: ParsedVocabulary, language: str,
    progress: ProgressCallback, cancel: CancelToken | None,
) -> tuple[int, int, int]:  # fmt: skip
    """Concepts and labels in chunks (one transaction each), then relations; (labels, relations, external).

    A worker thread computes the next chunk's match keys (Python) while this one writes the current
    chunk (SQLite releases the GIL), which keeps both cores busy on a two-core machine.
    """
    ids: dict[str, int] = {}
    n_labels = 0
    concepts = list({c.uri: c for c in parsed.concepts}.values())
    total = len(concepts)

    def prepare(start: int) -> list[vdb.NewConcept]:
        return [_new_concept(c, language) for c in concepts[start : start + CHUNK]]

    starts = list(range(0, total, CHUNK))
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="vocab-keys") as pool:
        pending = pool.submit(prepare, starts[0]) if starts else None
        for i, start in enumerate(starts):
            assert pending is not None
            rows = pending.result()
            pending = pool.submit(prepare, starts[i + 1]) if i + 1 < len(starts) else None
            if cancel is not None:
                cancel.check()
            with catalogue.session() as session:
                ids.update(vdb.insert_concepts(session, vocabulary_id, rows))
            n_labels += sum(len(r.labels) for r in rows)
            progress(Progress("Saving concepts", min(total, start + CHUNK), total))
    relations: list[tuple[int, str, str, int | None]] = []
    for concept in concepts:
        for kind, targets in (("broader", concept.broader), ("related", concept.related)):
            relations.extend((ids[concept.uri], kind, t[:1024], ids.get(t)) for t in targets)
    relations = list({(c, k, u): (c, k, u, t) for c, k, u, t in relations}.values())
    external = sum(1 for r in relations if r[3] is None)
    for start in range(0, len(relations), CHUNK * 5):
        if cancel is not None:
            cancel.check()
        with catalogue.session() as session:
            vdb.insert_relations(session, relations[start : start + CHUNK * 5])
        progress(Progress("Saving the hierarchy", min(len(relations), start + CHUNK * 5), len(relations)))
    return n_labels, len(relations), external


def import_vocabulary(
    catalogue: Catalogue,
    path: Path | str,
    fmt: VocabularyFormat | str | None = None,
    *,
    name: str | None = None,
    language: str | None = None,
    replace: bool = False,
    link: bool = True,
    progress: ProgressCallback = null_progress,
    cancel: CancelToken | None = None,
) -> VocabularyImportReport:
    """Import a SKOS (Turtle, RDF/XML, N-Triples), TSV or CSV vocabulary into the catalogue.

    The file is read whole before anything is written; concepts are then written in chunks, each
    its own transaction, under a temporary name. Only when everything is written does the
    vocabulary get its name (replacing an older one of that name when ``replace``, with the tags
    linked to it moved to the new concepts of the same URI). A cancellation or failure removes
    what was written, and an older vocabulary stays as it was. With ``link`` the catalogue's
    unlinked tags are then matched against the labels.
    """
    parsed = read_vocabulary(path, fmt, language=language, progress=progress, cancel=cancel)
    chosen = (name or parsed.title or Path(path).stem).strip()[:200]
    if not chosen:
        raise VocabularyError("A vocabulary needs a name (give one with --name).")
    lang = parsed.main_language(language)
    with catalogue.session() as session:
        old = _existing(session, chosen)
        if old is not None and old.status == "ready" and not replace:
            raise VocabularyError(
                f"The catalogue already has a vocabulary named {chosen!r}; "
                "use --replace to import it again, or --name to import this one beside it."
            )
        row = vdb.add_vocabulary(
            session, name=f"{chosen} [importing {uuid.uuid4().hex[:8]}]", title=parsed.title,
            scheme_uri=parsed.scheme_uri, language=lang, source=str(Path(path).expanduser().resolve()),
            format=parsed.format.value, status="importing", is_active=True, n_concepts=0,
        )  # fmt: skip
        new_id = row.id
    try:
        n_labels, n_relations, external = _write(catalogue, new_id, parsed, lang, progress, cancel)
        if cancel is not None:
            cancel.check()
        with catalogue.session() as session:
            old = _existing(session, chosen)
            replaced = old is not None
            if old is not None:
                vdb.move_links(session, old.id, new_id)
                vdb.delete_vocabulary(session, old.id)
                session.flush()
            done = vdb.get_vocabulary(session, new_id)
            assert done is not None
            done.name, done.status, done.n_concepts = chosen, "ready", len({c.uri for c in parsed.concepts})
            info = vdb.vocabulary_info(done)
    except BaseException:
        with catalogue.session() as session:
            vdb.delete_vocabulary(session, new_id)
        raise
    report = VocabularyImportReport(
        vocabulary=info, concepts=info.n_concepts, labels=n_labels, relations=n_relations,
        external_relations=external, replaced=replaced, warnings=list(parsed.warnings),
    )  # fmt: skip
    if link:
        report.link = link_tags(catalogue, progress=progress, cancel=cancel)
    return report


def list_vocabularies(catalogue: Catalogue) -> list[VocabularyInfo]:
    """Every vocabulary of the catalogue, in import order (incomplete imports included)."""
    with catalogue.session() as session:
        return [vdb.vocabulary_info(r) for r in vdb.vocabularies(session)]


def _find(session: Session, name: str) -> tables.Vocabulary:
    row = _existing(session, name)
    if row is None:
        names = ", ".join(v.name for v in vdb.vocabularies(session)) or "none"
        raise VocabularyError(f"No vocabulary named {name!r} (the catalogue has: {names}).")
    return row


def remove_vocabulary(catalogue: Catalogue, name: str) -> VocabularyInfo:
    """Remove a vocabulary; tags linked to its concepts become unlinked (the tags themselves stay)."""
    with catalogue.session() as session:
        row = _find(session, name)
        info = vdb.vocabulary_info(row)
        vdb.delete_vocabulary(session, row.id)
    return info


def set_active(catalogue: Catalogue, name: str, active: bool) -> VocabularyInfo:
    """Use a vocabulary for matching and linking, or set it aside without removing it."""
    with catalogue.session() as session:
        row = _find(session, name)
        row.is_active = active
        session.flush()
        return vdb.vocabulary_info(row)


# ---------------------------------------------------------------- look-up (thin for the GUI)


def _matches(session: Session, text: str) -> list[ConceptMatch]:
    rows = vdb.labels_by_keys(session, match_keys(text))
    concepts = {
        r.concept_id: Concept(r.concept_id, r.uri, r.concept_label, r.vocabulary, r.scheme_uri) for r in rows
    }
    return [
        ConceptMatch(
            concepts[r.candidate.concept_id], r.candidate.label, r.candidate.kind, r.how, r.candidate.lang
        )
        for r in rank(text, [vdb.as_candidate(row) for row in rows])
    ]


def match(catalogue: Catalogue, text: str, limit: int = 10) -> list[ConceptMatch]:
    """Concepts with a label matching ``text`` (case-, punctuation- and lemma-insensitive), best first."""
    with catalogue.session() as session:
        return _matches(session, text)[:limit]


def concept_for_label(catalogue: Catalogue, text: str) -> Concept | None:
    """The one concept ``text`` names, or None when none does or it is ambiguous."""
    with catalogue.session() as session:
        found = vdb.concept_named(session, text)
        return None if found is None else vdb.concepts_by_id(session, [found]).get(found)


def concept_by_uri(catalogue: Catalogue, uri: str) -> Concept | None:
    with catalogue.session() as session:
        return vdb.concept_by_uri(session, uri)


def complete(catalogue: Catalogue, prefix: str, limit: int = 20) -> list[ConceptMatch]:
    """Preferred and alternative labels starting with ``prefix`` (case- and punctuation-insensitive),
    shortest first, one entry per concept (its preferred label first when both match)."""
    key = label_key(prefix)
    with catalogue.session() as session:
        rows = vdb.labels_by_prefix(session, key, limit)
    out: dict[int, ConceptMatch] = {}
    for r in rows:
        if not language_ok(r.lang, r.vocabulary_language):
            continue
        kind = LabelKind(r.kind)
        held = out.get(r.concept_id)
        if held is None or (held.kind is not LabelKind.PREF and kind is LabelKind.PREF):
            concept = Concept(r.concept_id, r.uri, r.concept_label, r.vocabulary, r.scheme_uri)
            out[r.concept_id] = ConceptMatch(concept, r.label, kind, MatchHow.NORMALISED, r.lang)
        if len(out) >= limit:
            break
    return list(out.values())


def broader_path(catalogue: Catalogue, concept_id: int) -> list[Concept]:
    """The broader concepts of ``concept_id`` from the top down (first broader where there are several)."""
    with catalogue.session() as session:
        chain = hierarchy.broader_paths([concept_id], lambda ids: vdb.parents(session, ids))[concept_id]
        found = vdb.concepts_by_id(session, chain)
        return [found[c] for c in chain if c in found]


def broader_paths(session: Session, concept_ids: Sequence[int]) -> dict[int, list[Concept]]:
    """:func:`broader_path` for many concepts inside the caller's session (one query per level)."""
    chains = hierarchy.broader_paths(set(concept_ids), lambda ids: vdb.parents(session, ids))
    found = vdb.concepts_by_id(session, {c for chain in chains.values() for c in chain})
    return {start: [found[c] for c in chain if c in found] for start, chain in chains.items()}


def narrower_closure(catalogue: Catalogue, concept_id: int) -> set[int]:
    """``concept_id`` and every concept below it (for a filter that includes narrower concepts)."""
    with catalogue.session() as session:
        return hierarchy.narrower_closure(concept_id, lambda ids: vdb.children(session, ids))


def concept_details(catalogue: Catalogue, concept_id: int) -> ConceptDetails:
    """A concept with its labels, broader, narrower and related concepts."""
    with catalogue.session() as session:
        found = vdb.concepts_by_id(session, [concept_id])
        if concept_id not in found:
            raise VocabularyError(f"Concept {concept_id} is not in the catalogue.")
        up = vdb.parents(session, [concept_id]).get(concept_id, [])
        down = vdb.children(session, [concept_id]).get(concept_id, [])
        side = vdb.related(session, concept_id)
        others = vdb.concepts_by_id(session, [*up, *down, *side])
        return ConceptDetails(
            concept=found[concept_id],
            labels=vdb.concept_labels(session, concept_id),
            broader=[others[c] for c in up if c in others],
            narrower=[others[c] for c in down if c in others],
            related=[others[c] for c in side if c in others],
        )


def lexical_candidates(catalogue: Catalogue) -> list[LexicalCandidate]:
    """Every concept of the active vocabularies as a candidate label for the lexical pathway: its
    preferred label, the match keys of its preferred, alternative and hidden labels in the vocabulary's
    language (and of labels without a language), and its URI. Keys are the stored ones
    (``vocab.normalise.label_keys``), so nothing is lemmatised again."""
    out: list[LexicalCandidate] = []
    current: tuple[int, str, str] | None = None
    keys: set[str] = set()
    with catalogue.session() as session:
        for cid, uri, label, lang, vocabulary_language, norm, lemma in vdb.label_keys_of_concepts(session):
            if current is None or current[0] != cid:
                if current is not None and keys:
                    out.append(LexicalCandidate(current[2], frozenset(keys), current[1], current[0]))
                current, keys = (cid, uri, label), set()
            if language_ok(lang, vocabulary_language):
                keys.update(k for k in (norm, lemma) if k)
    if current is not None and keys:
        out.append(LexicalCandidate(current[2], frozenset(keys), current[1], current[0]))
    return out


__all__ = [
    "VocabularyImportReport",
    "broader_path",
    "broader_paths",
    "complete",
    "concept_by_uri",
    "concept_details",
    "concept_for_label",
    "import_vocabulary",
    "lexical_candidates",
    "list_vocabularies",
    "match",
    "narrower_closure",
    "remove_vocabulary",
    "set_active",
]

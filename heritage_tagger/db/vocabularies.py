"""Vocabulary queries: bulk concept writes, label look-up by match key, hierarchy edges, tag links."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import NamedTuple, cast

from sqlalchemy import Select, Table, delete, func, insert, literal, or_, select, update
from sqlalchemy.orm import Session

from heritage_tagger.db import tables
from heritage_tagger.domain.vocabulary import Concept, LabelKind, VocabularyInfo
from heritage_tagger.vocab.matching import Candidate, choose, rank
from heritage_tagger.vocab.normalise import match_keys


class LabelRow(NamedTuple):
    """A concept label found by key, with its concept and vocabulary."""

    label: str
    kind: str
    lang: str
    norm: str
    lemma: str
    concept_id: int
    uri: str
    concept_label: str
    scheme_uri: str | None
    vocabulary_id: int
    vocabulary: str
    vocabulary_language: str


def as_candidate(row: LabelRow) -> Candidate:
    """A label row as the matcher sees it."""
    return Candidate(
        label=row.label, kind=LabelKind(row.kind), lang=row.lang, norm=row.norm, lemma=row.lemma,
        concept_id=row.concept_id, vocabulary_id=row.vocabulary_id, vocabulary_language=row.vocabulary_language,
    )  # fmt: skip


class NewLabel(NamedTuple):
    kind: LabelKind
    label: str
    lang: str
    norm: str
    lemma: str


class NewConcept(NamedTuple):
    uri: str
    scheme_uri: str | None
    label: str
    labels: Sequence[NewLabel]


def vocabulary_info(row: tables.Vocabulary) -> VocabularyInfo:
    return VocabularyInfo(
        id=row.id,
        name=row.name,
        title=row.title,
        scheme_uri=row.scheme_uri,
        language=row.language,
        source=row.source,
        format=row.format,
        status=row.status,
        is_active=row.is_active,
        n_concepts=row.n_concepts,
        imported_at=row.imported_at,
    )


def vocabulary_by_name(session: Session, name: str) -> tables.Vocabulary | None:
    return session.scalar(select(tables.Vocabulary).where(tables.Vocabulary.name == name))


def get_vocabulary(session: Session, vocabulary_id: int) -> tables.Vocabulary | None:
    return session.get(tables.Vocabulary, vocabulary_id)


def vocabularies(session: Session) -> list[tables.Vocabulary]:
    """Every vocabulary row in import order."""
    return list(session.scalars(select(tables.Vocabulary).order_by(tables.Vocabulary.id)))


def add_vocabulary(session: Session, **fields: object) -> tables.Vocabulary:
    """A new vocabulary row (flushed, so it has its id)."""
    row = tables.Vocabulary(**fields)
    session.add(row)
    session.flush()
    return row


def has_usable(session: Session) -> bool:
    """Whether an active, completely imported vocabulary exists."""
    found = session.scalar(
        select(tables.Vocabulary.id)
        .where(tables.Vocabulary.status == "ready", tables.Vocabulary.is_active.is_(True))
        .limit(1)
    )
    return found is not None


def state_key(session: Session) -> tuple[object, ...]:
    """Changes when a vocabulary is imported, replaced, switched on or off, or a tag is linked or
    unlinked: the key of caches built from the vocabularies' labels (the lexical pathway's)."""
    rows = session.execute(
        select(
            tables.Vocabulary.id, tables.Vocabulary.status, tables.Vocabulary.is_active,
            tables.Vocabulary.n_concepts, tables.Vocabulary.imported_at, tables.Vocabulary.language,
        ).order_by(tables.Vocabulary.id)
    )  # fmt: skip
    linked = session.scalar(select(func.count(tables.Tag.id)).where(tables.Tag.concept_id.is_not(None)))
    return (*(tuple(row) for row in rows), int(linked or 0))


def tag_concepts(
    session: Session, labels: Sequence[str]
) -> dict[str, tuple[str | None, int | None, str | None]]:
    """For each tag label: (the linked concept's URI or the tag's own URI, concept id, preferred label)."""
    out: dict[str, tuple[str | None, int | None, str | None]] = {}
    labels = list(labels)
    for start in range(0, len(labels), 500):
        rows = session.execute(
            select(
                tables.Tag.label, tables.Tag.uri, tables.Concept.id, tables.Concept.uri, tables.Concept.label
            )
            .outerjoin(tables.Concept, tables.Concept.id == tables.Tag.concept_id)
            .where(tables.Tag.label.in_(labels[start : start + 500]))
        )
        for label, own_uri, linked_id, concept_uri, pref_label in rows:
            out[label] = (concept_uri or own_uri, linked_id, pref_label)
    return out


def concept_from(row: tables.Concept, vocabulary: str) -> Concept:
    return Concept(id=row.id, uri=row.uri, label=row.label, vocabulary=vocabulary, scheme_uri=row.scheme_uri)


def insert_concepts(session: Session, vocabulary_id: int, concepts: Sequence[NewConcept]) -> dict[str, int]:
    """Write ``concepts`` and their labels in two statements; their ids by URI."""
    if not concepts:
        return {}
    # Core inserts: the ORM bulk path costs more than the SQL itself here
    concept_table, label_table = (
        cast(Table, tables.Concept.__table__),
        cast(Table, tables.ConceptLabel.__table__),
    )
    connection = session.connection()
    rows = connection.execute(
        insert(concept_table).returning(
            concept_table.c.id, concept_table.c.uri, sort_by_parameter_order=True
        ),
        [
            {"vocabulary_id": vocabulary_id, "uri": c.uri, "scheme_uri": c.scheme_uri, "label": c.label}
            for c in concepts
        ],
    ).all()
    ids = {uri: cid for cid, uri in rows}
    labels = [
        {"concept_id": ids[c.uri], "label": lab.label, "lang": lab.lang, "kind": lab.kind.value,
         "norm": lab.norm, "lemma": lab.lemma}
        for c in concepts
        for lab in c.labels
    ]  # fmt: skip
    if labels:
        connection.execute(insert(label_table), labels)
    return ids


def insert_relations(session: Session, rows: Sequence[tuple[int, str, str, int | None]]) -> None:
    """``(concept_id, kind, target_uri, target_id)`` rows; duplicates must be removed by the caller."""
    if rows:
        session.connection().execute(
            insert(cast(Table, tables.ConceptRelation.__table__)),
            [{"concept_id": c, "kind": k, "target_uri": u, "target_id": t} for c, k, u, t in rows],
        )


def labels_by_keys(session: Session, keys: Collection[str], *, only_ready: bool = True) -> list[LabelRow]:
    """Every label whose normalised or lemma key is in ``keys``, in active (and ready) vocabularies."""
    if not keys:
        return []
    keys = list(keys)
    stmt = (
        select(
            tables.ConceptLabel.label, tables.ConceptLabel.kind, tables.ConceptLabel.lang,
            tables.ConceptLabel.norm, tables.ConceptLabel.lemma, tables.Concept.id, tables.Concept.uri,
            tables.Concept.label, tables.Concept.scheme_uri, tables.Vocabulary.id, tables.Vocabulary.name,
            tables.Vocabulary.language,
        )
        .join(tables.Concept, tables.Concept.id == tables.ConceptLabel.concept_id)
        .join(tables.Vocabulary, tables.Vocabulary.id == tables.Concept.vocabulary_id)
        .where(or_(tables.ConceptLabel.norm.in_(keys), tables.ConceptLabel.lemma.in_(keys)))
        .where(tables.Vocabulary.is_active.is_(True))
    )  # fmt: skip
    if only_ready:
        stmt = stmt.where(tables.Vocabulary.status == "ready")
    return [LabelRow._make(row) for row in session.execute(stmt)]


def concept_named(session: Session, text: str) -> int | None:
    """The one concept whose label ``text`` is (case-, punctuation- and lemma-insensitive), or None when
    none is or two of one vocabulary are equally (the rule ``services.tag_links`` links tags by)."""
    best, _ = choose(rank(text, [as_candidate(r) for r in labels_by_keys(session, match_keys(text))]))
    return best.candidate.concept_id if best is not None else None


def label_keys_of_concepts(session: Session) -> Iterator[tuple[int, str, str, str, str, str, str]]:
    """``(concept id, URI, preferred label, label language, vocabulary language, norm, lemma)`` for every
    label of every active, ready vocabulary, concept by concept (streamed)."""
    stmt = (
        select(
            tables.Concept.id, tables.Concept.uri, tables.Concept.label, tables.ConceptLabel.lang,
            tables.Vocabulary.language, tables.ConceptLabel.norm, tables.ConceptLabel.lemma,
        )
        .join(tables.ConceptLabel, tables.ConceptLabel.concept_id == tables.Concept.id)
        .join(tables.Vocabulary, tables.Vocabulary.id == tables.Concept.vocabulary_id)
        .where(tables.Vocabulary.is_active.is_(True), tables.Vocabulary.status == "ready")
        .order_by(tables.Vocabulary.id, tables.Concept.id)
        .execution_options(yield_per=5000)
    )  # fmt: skip
    yield from session.execute(stmt)


def labels_by_prefix(session: Session, prefix: str, limit: int) -> list[LabelRow]:
    """Labels whose normalised key starts with ``prefix`` (an index range scan): the first ``4 * limit``
    in key order, then shortest first."""
    if not prefix:
        return []
    stmt = (
        select(
            tables.ConceptLabel.label, tables.ConceptLabel.kind, tables.ConceptLabel.lang,
            tables.ConceptLabel.norm, tables.ConceptLabel.lemma, tables.Concept.id, tables.Concept.uri,
            tables.Concept.label, tables.Concept.scheme_uri, tables.Vocabulary.id, tables.Vocabulary.name,
            tables.Vocabulary.language,
        )
        .join(tables.Concept, tables.Concept.id == tables.ConceptLabel.concept_id)
        .join(tables.Vocabulary, tables.Vocabulary.id == tables.Concept.vocabulary_id)
        .where(tables.ConceptLabel.norm >= prefix, tables.ConceptLabel.norm < prefix + "\U0010ffff")
        .where(tables.ConceptLabel.kind != LabelKind.HIDDEN.value)
        .where(tables.Vocabulary.is_active.is_(True), tables.Vocabulary.status == "ready")
        .order_by(tables.ConceptLabel.norm)  # the index's order: no sort of every match
        .limit(limit * 4)
    )  # fmt: skip
    rows = [LabelRow._make(row) for row in session.execute(stmt) if row[3].startswith(prefix)]
    return sorted(rows, key=lambda r: (len(r.norm), r.norm))


def concepts_by_id(session: Session, ids: Iterable[int]) -> dict[int, Concept]:
    ids = list(set(ids))
    if not ids:
        return {}
    rows = session.execute(
        select(tables.Concept, tables.Vocabulary.name)
        .join(tables.Vocabulary, tables.Vocabulary.id == tables.Concept.vocabulary_id)
        .where(tables.Concept.id.in_(ids))
    ).all()
    return {c.id: concept_from(c, name) for c, name in rows}


def concept_by_uri(session: Session, uri: str) -> Concept | None:
    row = session.execute(
        select(tables.Concept, tables.Vocabulary.name)
        .join(tables.Vocabulary, tables.Vocabulary.id == tables.Concept.vocabulary_id)
        .where(tables.Concept.uri == uri, tables.Vocabulary.status == "ready")
        .order_by(tables.Vocabulary.id)
        .limit(1)
    ).first()
    return concept_from(row[0], row[1]) if row else None


def parents(session: Session, ids: Collection[int]) -> dict[int, list[int]]:
    """Broader concepts of each of ``ids`` (inside the catalogue), lowest id first."""
    out: dict[int, list[int]] = defaultdict(list)
    if ids:
        rows = session.execute(
            select(tables.ConceptRelation.concept_id, tables.ConceptRelation.target_id)
            .where(tables.ConceptRelation.concept_id.in_(list(ids)), tables.ConceptRelation.kind == "broader")
            .where(tables.ConceptRelation.target_id.is_not(None))
            .order_by(tables.ConceptRelation.concept_id, tables.ConceptRelation.target_id)
        )
        for child, parent in rows:
            if parent is not None:
                out[child].append(parent)
    return dict(out)


def children(session: Session, ids: Collection[int]) -> dict[int, list[int]]:
    """Narrower concepts of each of ``ids``."""
    out: dict[int, list[int]] = defaultdict(list)
    if ids:
        rows = session.execute(
            select(tables.ConceptRelation.target_id, tables.ConceptRelation.concept_id)
            .where(tables.ConceptRelation.target_id.in_(list(ids)), tables.ConceptRelation.kind == "broader")
            .order_by(tables.ConceptRelation.target_id, tables.ConceptRelation.concept_id)
        )
        for parent, child in rows:
            if parent is not None:
                out[parent].append(child)
    return dict(out)


def related(session: Session, concept_id: int) -> list[int]:
    return list(
        session.scalars(
            select(tables.ConceptRelation.target_id).where(
                tables.ConceptRelation.concept_id == concept_id,
                tables.ConceptRelation.kind == "related",
                tables.ConceptRelation.target_id.is_not(None),
            )
        )
    )


def concept_labels(session: Session, concept_id: int) -> list[tuple[LabelKind, str, str]]:
    rows = session.execute(
        select(tables.ConceptLabel.kind, tables.ConceptLabel.label, tables.ConceptLabel.lang)
        .where(tables.ConceptLabel.concept_id == concept_id)
        .order_by(tables.ConceptLabel.id)
    )
    return [(LabelKind(k), label, lang) for k, label, lang in rows]


def tags_under(concept_id: int) -> Select[int]:
    """The ids of tags linked to ``concept_id`` or to a concept below it (a recursive query, for filters)."""
    R = tables.ConceptRelation
    below = select(literal(concept_id).label("id")).cte("below", recursive=True)
    below = below.union(select(R.concept_id).where(R.kind == "broader", R.target_id == below.c.id))
    return select(tables.Tag.id).where(tables.Tag.concept_id.in_(select(below.c.id)))


def link_tags(session: Session, links: Iterable[tuple[int, int | None]]) -> int:
    """Set ``tags.concept_id`` for ``(tag_id, concept_id)`` pairs; returns how many rows were written."""
    rows = [{"id": t, "concept_id": c} for t, c in links]
    if rows:
        session.execute(update(tables.Tag), rows)  # ORM bulk UPDATE by primary key
    return len(rows)


def move_links(session: Session, old_vocabulary_id: int, new_vocabulary_id: int) -> int:
    """Point tags linked to a concept of the old vocabulary at the new one's concept with the same URI."""
    old = {
        uri: cid
        for cid, uri in session.execute(
            select(tables.Concept.id, tables.Concept.uri).where(
                tables.Concept.vocabulary_id == old_vocabulary_id
            )
        )
    }
    linked = session.execute(
        select(tables.Tag.id, tables.Concept.uri)
        .join(tables.Concept, tables.Concept.id == tables.Tag.concept_id)
        .where(tables.Concept.vocabulary_id == old_vocabulary_id)
    ).all()
    if not linked or not old:
        return 0
    new: dict[str, int] = {}
    uris = list({uri for _, uri in linked})
    for start in range(0, len(uris), 500):
        new.update(
            (uri, cid)
            for cid, uri in session.execute(
                select(tables.Concept.id, tables.Concept.uri).where(
                    tables.Concept.vocabulary_id == new_vocabulary_id,
                    tables.Concept.uri.in_(uris[start : start + 500]),
                )
            )
        )
    return link_tags(session, [(tag_id, new.get(uri)) for tag_id, uri in linked])


def delete_vocabulary(session: Session, vocabulary_id: int) -> None:
    """Remove a vocabulary with its concepts, labels and relations; linked tags become unlinked."""
    concept_ids = select(tables.Concept.id).where(tables.Concept.vocabulary_id == vocabulary_id)
    session.execute(
        update(tables.Tag)
        .where(tables.Tag.concept_id.in_(concept_ids))
        .values(concept_id=None)
        .execution_options(synchronize_session=False)
    )
    for table in (tables.ConceptRelation, tables.ConceptLabel):
        session.execute(delete(table).where(table.concept_id.in_(concept_ids)))
    session.execute(delete(tables.ConceptRelation).where(tables.ConceptRelation.target_id.in_(concept_ids)))
    session.execute(delete(tables.Concept).where(tables.Concept.vocabulary_id == vocabulary_id))
    session.execute(delete(tables.Vocabulary).where(tables.Vocabulary.id == vocabulary_id))

"""Saved searches: the browser's filters kept under a name in the catalogue (a team catalogue shares them).

Qt-free: the GUI's sidebar and Search menu call these in workers. The JSON form is
``domain.saved_search``'s; applying a search checks that what it names (tag, concept, import
batch) is still in the catalogue, leaves out what is not and says which (``ResolvedSearch.missing``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from heritage_tagger.db import browse as browse_queries
from heritage_tagger.db import saved_searches as rows
from heritage_tagger.db import tagging
from heritage_tagger.db import vocabularies as vdb
from heritage_tagger.db.engine import Session
from heritage_tagger.domain.browse import BrowseFilter
from heritage_tagger.domain.errors import CatalogueError
from heritage_tagger.domain.saved_search import (
    MAX_NAME,
    ConceptRef,
    SavedSearch,
    SavedSearchFormatError,
    SavedSearchGone,
    SearchNameTaken,
    decode,
    encode,
)
from heritage_tagger.domain.text import sanitise
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.services.vocabularies import broader_paths

__all__ = [
    "Missing",
    "ResolvedSearch",
    "SavedSearch",
    "SavedSearchGone",
    "SearchNameTaken",
    "clean_name",
    "delete_search",
    "list_searches",
    "rename_search",
    "resolve",
    "save_search",
]


@dataclass(frozen=True)
class Missing:
    """A part of a saved search that could not be applied: ``kind`` is "tag", "concept", "batch" (no longer
    in the catalogue; ``what`` names it) or "field" (a value saved by a newer version; ``what`` is the field)."""

    kind: str
    what: str


@dataclass(frozen=True)
class ResolvedSearch:
    """A saved search ready for the filter bar: its filter (missing parts left out), the concept's
    broader path for the bar's concept button, and what was left out."""

    name: str
    filter: BrowseFilter
    concept_path: str = ""
    missing: tuple[Missing, ...] = ()


def clean_name(name: str) -> str:
    """A saved search's name as stored: no control characters, trimmed; a clear error when empty or too long."""
    cleaned = " ".join(sanitise(name)[0].split())
    if not cleaned:
        raise CatalogueError("A saved search needs a name.")
    if len(cleaned) > MAX_NAME:
        raise CatalogueError(f"A saved search's name can have at most {MAX_NAME} characters.")
    return cleaned


def list_searches(catalogue: Catalogue) -> list[SavedSearch]:
    """Every saved search of the catalogue, by name (case ignored)."""
    with catalogue.session() as session:
        found = rows.list_searches(session)
    return sorted(found, key=lambda s: (s.name.casefold(), s.name))


def save_search(
    catalogue: Catalogue, name: str, flt: BrowseFilter, *, replace: bool = False
) -> tuple[SavedSearch, bool]:
    """Save ``flt`` as ``name`` (by ``catalogue.user``); returns the search and whether it replaced one.
    ``SearchNameTaken`` when the name is taken and not ``replace`` (ask, then save again with it)."""
    name = clean_name(name)
    catalogue.require_writable()
    with catalogue.session() as session:
        concept = None
        if flt.concept_id is not None:
            found = vdb.concepts_by_id(session, [flt.concept_id]).get(flt.concept_id)
            concept = ConceptRef(flt.concept_id, found.uri, found.label) if found else None
        return rows.save(session, name, encode(flt, concept), catalogue.user, replace=replace)


def rename_search(catalogue: Catalogue, search_id: int, name: str) -> SavedSearch:
    """Rename a saved search; ``SearchNameTaken`` when another has the name, ``SavedSearchGone`` when it is gone."""
    name = clean_name(name)
    catalogue.require_writable()
    with catalogue.session() as session:
        renamed = rows.rename(session, search_id, name)
    if renamed is None:
        raise SavedSearchGone()
    return renamed


def delete_search(catalogue: Catalogue, search_id: int) -> bool:
    """Delete a saved search; False when it was gone already (a teammate deleted it)."""
    catalogue.require_writable()
    with catalogue.session() as session:
        return rows.delete_search(session, search_id)


def _concept(session: Session, ref: ConceptRef) -> int | None:
    """The concept's id now: the saved id while it still has the saved URI, else the concept with that URI."""
    if ref.id:
        found = vdb.concepts_by_id(session, [ref.id]).get(ref.id)
        if found is not None and (not ref.uri or found.uri == ref.uri):
            return found.id
    if ref.uri:
        by_uri = vdb.concept_by_uri(session, ref.uri)
        if by_uri is not None:
            return by_uri.id
    return None


def resolve(catalogue: Catalogue, search: SavedSearch) -> ResolvedSearch:
    """The search's filter as it applies to the catalogue now; a clear error when its JSON is unreadable."""
    try:
        decoded = decode(search.filter_json)
    except SavedSearchFormatError as exc:
        raise CatalogueError(f"The saved search “{search.name}” cannot be read: {exc}.") from exc
    flt = decoded.filter
    missing = [Missing("field", key) for key in decoded.ignored]
    path = ""
    with catalogue.session() as session:
        if flt.tag.strip() and tagging.tag_by_label(session, flt.tag.strip()) is None:
            missing.append(Missing("tag", flt.tag.strip()))
            flt = replace(flt, tag="", tag_suggested=False)
        if flt.batch_id is not None and browse_queries.batch_folder(session, flt.batch_id) is None:
            missing.append(Missing("batch", f"#{flt.batch_id}"))
            flt = replace(flt, batch_id=None)
        ref = decoded.concept
        if ref is not None:
            concept_id = _concept(session, ref)
            if concept_id is None:
                missing.append(Missing("concept", ref.label or ref.uri or f"#{ref.id}"))
                flt = replace(flt, concept_id=None)
            else:
                flt = replace(flt, concept_id=concept_id)
                chain = broader_paths(session, [concept_id]).get(concept_id, [])
                found = vdb.concepts_by_id(session, [concept_id])[concept_id]
                path = " › ".join([*(c.label for c in chain), found.label])
    return ResolvedSearch(search.name, flt, path, tuple(missing))

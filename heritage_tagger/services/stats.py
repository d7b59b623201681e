"""Catalogue statistics for ``heritage-tagger stats`` and the window: what the catalogue holds."""

from __future__ import annotations

from heritage_tagger.db.stats import ActiveModel, CatalogueStats, count_all
from heritage_tagger.services.catalogue import Catalogue

__all__ = ["ActiveModel", "CatalogueStats", "catalogue_stats"]


def catalogue_stats(catalogue: Catalogue) -> CatalogueStats:
    """Counts of records, tags, tag states, decisions, batches and model versions."""
    with catalogue.session() as session:
        return count_all(session, catalogue.name)

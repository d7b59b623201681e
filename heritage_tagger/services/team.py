"""What teammates did on a shared catalogue since a window last looked: the decisions log read incrementally.

A window polls :func:`changes_since` (``settings.TEAM_POLL_S``) with the id of the newest entry
it has seen; the entries of other reviewers name the records to refresh and are shown as
"updated by" notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from heritage_tagger.db import decisions as decision_log
from heritage_tagger.domain.records import decision_sentence
from heritage_tagger.services.catalogue import Catalogue


@dataclass(frozen=True)
class TeamChange:
    """One decision of another reviewer."""

    decision_id: int
    record_id: int
    identifier: str
    label: str
    action: str
    reviewer: str
    at: datetime | None

    def describe(self) -> str:
        """E.g. "bob accepted “Barns” on REC-0012 at 10:42:03"."""
        return decision_sentence(self.reviewer, self.action, self.label, self.identifier, self.at)

    def note(self) -> str:
        """E.g. "Updated by bob: accepted “Barns” on REC-0012 at 10:42:03"."""
        what = decision_sentence("", self.action, self.label, self.identifier, self.at).strip()
        return f"Updated by {self.reviewer}: {what}"


@dataclass(frozen=True)
class TeamChanges:
    """Other reviewers' decisions after ``since`` (oldest first) and the newest id read (the next ``since``)."""

    changes: list[TeamChange]
    newest_id: int

    @property
    def record_ids(self) -> list[int]:
        return sorted({c.record_id for c in self.changes})


def newest_decision_id(catalogue: Catalogue) -> int:
    """Where a window starts watching: the newest entry of the log now (0 when empty)."""
    with catalogue.session() as session:
        return decision_log.latest_id(session)


def changes_since(catalogue: Catalogue, since: int, me: str, limit: int = 500) -> TeamChanges:
    """Decisions logged after the entry ``since`` by anyone but ``me`` (at most ``limit`` entries read)."""
    with catalogue.session() as session:
        entries = decision_log.since(session, since, limit)
    changes = [
        TeamChange(d.id or 0, d.record_id, identifier, d.label, d.action.value, d.reviewer, d.created_at)
        for d, identifier in entries
        if d.reviewer != me
    ]
    newest = max((d.id or 0 for d, _ in entries), default=since)
    return TeamChanges(changes, newest)

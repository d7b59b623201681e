"""Watching a team catalogue: polls the decisions log for teammates' decisions and says which records changed.

Every ``settings.TEAM_POLL_S`` seconds (on the read pool) the window asks for the decisions taken
since the newest one it has seen by anyone but its own login name; ``changed`` names the records
to refresh and carries an "updated by" note for the window to show.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from heritage_tagger.gui.controller import CatalogueHolder, Controller
from heritage_tagger.gui.preferences import Preferences
from heritage_tagger.gui.workers import TaskRunner, describe_error
from heritage_tagger.services import team
from heritage_tagger.services.catalogue import Catalogue
from heritage_tagger.settings import TEAM_POLL_S


def note_for(changes: list[team.TeamChange]) -> str:
    """The "updated by" note for a poll's changes: the newest one, and how many more."""
    newest = changes[-1]
    more = len(changes) - 1
    if not more:
        return newest.note()
    return newest.note() + (
        QCoreApplication.translate("TeamWatcher", " (and {n} more changes by teammates)").format(n=more)
        if more > 1
        else QCoreApplication.translate("TeamWatcher", " (and 1 more change by teammates)")
    )


class TeamWatcher(Controller):
    """Polls a team catalogue's decisions log; does nothing for a catalogue of one's own (SQLite)."""

    changed = Signal(list, str)  # record ids teammates changed, the "updated by" note

    def __init__(
        self, runner: TaskRunner, holder: CatalogueHolder, prefs: Preferences, parent: QObject | None = None
    ) -> None:
        super().__init__(runner, holder, parent)
        self.prefs = prefs
        self.since: int | None = None
        self._asking = False
        self.timer = QTimer(self)
        self.timer.setInterval(int(TEAM_POLL_S * 1000))
        self.timer.timeout.connect(self.poll)

    def watch(self, catalogue: Catalogue) -> None:
        """Start watching ``catalogue`` from its newest decision (a file catalogue: stop watching)."""
        self.timer.stop()
        self.since = None
        if not catalogue.team:
            return

        def started(newest: int) -> None:
            if self.holder.catalogue is catalogue:
                self.since = newest
                self.timer.start()

        self.runner.run(lambda: team.newest_decision_id(catalogue), started, self._failed)

    def poll(self) -> None:
        """Ask once for teammates' decisions since the last poll (skipped while the last one runs)."""
        cat, since = self.holder.catalogue, self.since
        if cat is None or since is None or self._asking:
            return
        self._asking = True
        me = self.prefs.reviewer

        def done(found: team.TeamChanges) -> None:
            self._asking = False
            if self.holder.catalogue is not cat or self.since != since:
                return
            self.since = found.newest_id
            if found.changes:
                self.changed.emit(found.record_ids, note_for(found.changes))

        def failed(exc: BaseException) -> None:
            self._asking = False
            self._failed(exc)

        self.runner.run(lambda: team.changes_since(cat, since, me), done, failed)

    def _failed(self, exc: BaseException) -> None:
        self.error.emit(
            self.tr("Could not look for teammates' changes: {exc}").format(exc=describe_error(exc))
        )

    def stop(self) -> None:
        self.timer.stop()

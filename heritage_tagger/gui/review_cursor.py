"""The review cursor: exactly one current suggestion (or carried tag) at a time, the one A, R and Delete act on.

Plain state, no widgets: the suggestion panel draws it (``SuggestionPanel.show_cursor``), the
review controller feeds it and acts on it. It holds the selected photo's three lists (the model's
suggestions, the neighbours' tags, the tags the photo carries) with the photo's tag states, and
one :class:`Spot` in them. It is *ready* only once the lists and the states of the same photo are
both known: before that no key acts (a key pressed then waits for it, see ``ReviewController``).

Where the cursor goes:

- a new photo (J, K, a click): the model's first pending proposal (else the first pending model
  suggestion, else the first neighbours' tag still open, else the first carried tag);
- after a decision on the current spot: the next suggestion still open in the same list;
- Tab / Shift+Tab, Left / Right: the next / previous list; Up / Down: within the list;
- undo and redo: the tag they changed (``want``), on its photo.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from heritage_tagger.domain.records import Decision, TagState
from heritage_tagger.gui.i18n import QT_TRANSLATE_NOOP

MODEL, NEIGHBOURS, CARRIED = "model", "neighbours", "carried"
LISTS = (MODEL, NEIGHBOURS, CARRIED)
LIST_WORDS = {MODEL: QT_TRANSLATE_NOOP("ReviewCursor", "model suggestion"), NEIGHBOURS: QT_TRANSLATE_NOOP("ReviewCursor", "neighbours' tag"),
              CARRIED: QT_TRANSLATE_NOOP("ReviewCursor", "tag the photo carries")}  # fmt: skip
OPEN = (None, TagState.SUGGESTED)


@dataclass(frozen=True)
class Entry:
    """One row of a list: the tag, its score (probability, relevance) and whether the model proposes it."""

    label: str
    score: float | None = None
    proposed: bool = False


@dataclass(frozen=True)
class Spot:
    """Where the cursor is: a photo, a list, a tag."""

    record_id: int
    list: str
    label: str


@dataclass
class Lists:
    """The three lists of one photo, and where its suggestions came from."""

    record_id: int
    entries: dict[str, list[Entry]] = field(default_factory=dict)
    model_version: str | None = None  # the live model's version; None: stored suggestions
    live: bool = True  # False: the model list shows the suggestions stored for the photo
    source: str = (
        "model"  # the model list's source: "model", or "vocabulary" (no model yet: named in its text)
    )


class ReviewCursor(QObject):
    """``moved(spot or None)`` whenever the cursor (or the state of its tag) changes."""

    moved = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.record_id: int | None = None
        self.lists: Lists | None = None
        self.states: dict[str, TagState] | None = None  # None: the photo's tags are not loaded yet
        self.spot: Spot | None = None
        self._wanted: Spot | None = None

    # --- what it holds ------------------------------------------------------------------
    @property
    def ready(self) -> bool:
        return (
            self.record_id is not None
            and self.lists is not None
            and self.lists.record_id == self.record_id
            and self.states is not None
        )

    def entries(self, name: str) -> list[Entry]:
        return self.lists.entries.get(name, []) if self.lists is not None else []

    def state(self, label: str) -> TagState | None:
        return (self.states or {}).get(label)

    def is_open(self, label: str) -> bool:
        return self.state(label) in OPEN

    def entry(self) -> Entry | None:
        """The entry under the cursor."""
        if self.spot is None:
            return None
        return next((e for e in self.entries(self.spot.list) if e.label == self.spot.label), None)

    def proposed_open(self) -> list[Entry]:
        """The model's proposals still open (what Enter accepts and Shift+R rejects)."""
        return [e for e in self.entries(MODEL) if e.proposed and self.is_open(e.label)]

    def describe(self) -> str:
        """The cursor in words, for the panel's line and for screen readers."""
        entry, spot = self.entry(), self.spot
        if spot is None or entry is None:
            return (
                self.tr("No suggestion to review on this photo.")
                if self.ready
                else self.tr("Loading this photo's suggestions…")
            )
        state = self.state(entry.label)
        words = {
            None: self.tr("pending"),
            TagState.SUGGESTED: self.tr("pending"),
            TagState.ACCEPTED: self.tr("accepted"),
            TagState.REJECTED: self.tr("rejected"),
            TagState.CATALOGUED: self.tr("catalogued"),
        }[state]
        kind = self.tr(LIST_WORDS[spot.list]) + (self.tr(", proposed") if entry.proposed else "")
        score = f", {entry.score:.2f}" if entry.score is not None else ""
        if spot.list == CARRIED:
            keys = self.tr("Delete removes it")
        elif state in OPEN:
            keys = self.tr("A accepts, R rejects")
        else:
            keys = self.tr("Ctrl+Z undoes")
        return self.tr("“{label}”: {kind}, {words}{score}. {keys}; Tab moves to the next list.").format(
            label=entry.label, kind=kind, words=words, score=score, keys=keys
        )

    # --- feeding it ---------------------------------------------------------------------
    def set_record(self, record_id: int | None) -> None:
        """Another photo is selected: nothing is current until its lists and states arrive."""
        if record_id == self.record_id:
            return
        self.record_id = record_id
        self.lists, self.states, self.spot = None, None, None
        self.moved.emit(None)

    def set_lists(self, lists: Lists) -> None:
        if lists.record_id != self.record_id:
            return
        old = self.lists
        # the same photo's lists again (a refresh): the cursor stays; from stored suggestions to a live
        # model, or to another model version, it starts again at the first proposal
        same = (
            old is not None
            and old.record_id == lists.record_id
            and (old.live, old.model_version) == (lists.live, lists.model_version)
        )
        self.lists = lists
        self._place(keep=same)

    def set_states(self, record_id: int, states: dict[str, TagState]) -> None:
        if record_id != self.record_id:
            return
        first = self.states is None
        self.states = dict(states)
        self._place(keep=not first)

    def apply(self, decisions: Iterable[Decision]) -> None:
        """Decisions just written: their tags' new states, before the photo's details are read again."""
        if self.states is None:
            return
        changed = False
        for d in decisions:
            if d.record_id == self.record_id and d.label:
                if d.new_state is None:
                    self.states.pop(d.label, None)
                else:
                    self.states[d.label] = d.new_state
                changed = True
        if changed:
            self.moved.emit(self.spot)

    def mark(self, label: str, state: TagState) -> None:
        """A decision on ``label`` was just asked for: show its new state at once (the write follows)."""
        if self.states is not None:
            self.states[label] = state
            self.moved.emit(self.spot)

    def want(self, spot: Spot) -> None:
        """Put the cursor on ``spot`` now, or as soon as its photo's lists are ready (undo, redo)."""
        self._wanted = spot
        if self.ready and spot.record_id == self.record_id:
            self._place(keep=False)

    # --- moving it ----------------------------------------------------------------------
    def _first(self, name: str, *, proposed: bool = False, open_only: bool = True) -> Spot | None:
        for e in self.entries(name):
            if (not proposed or e.proposed) and (not open_only or self.is_open(e.label)):
                return Spot(self.record_id or 0, name, e.label)
        return None

    def default_spot(self) -> Spot | None:
        return (
            self._first(MODEL, proposed=True)
            or self._first(MODEL)
            or self._first(NEIGHBOURS)
            or self._first(CARRIED, open_only=False)
            or self._first(MODEL, open_only=False)
            or self._first(NEIGHBOURS, open_only=False)
        )

    def _holds(self, spot: Spot | None) -> bool:
        return (
            spot is not None
            and spot.record_id == self.record_id
            and any(e.label == spot.label for e in self.entries(spot.list))
        )

    def _place(self, *, keep: bool) -> None:
        if not self.ready:
            return
        wanted = self._wanted
        if wanted is not None and wanted.record_id == self.record_id:
            self._wanted = None
            if self._holds(wanted):
                self._set(wanted)
                return
            found = next((n for n in LISTS if any(e.label == wanted.label for e in self.entries(n))), None)
            if found is not None:
                self._set(Spot(wanted.record_id, found, wanted.label))
                return
        if keep and self._holds(self.spot):
            self._set(self.spot)
            return
        self._set(self.default_spot())

    def _set(self, spot: Spot | None) -> None:
        self.spot = spot
        self.moved.emit(spot)

    def place(self, name: str, label: str) -> bool:
        """The librarian picked a row (a click, the photo's tag list); False when it is not in that list."""
        spot = Spot(self.record_id or 0, name, label)
        if not self.ready or not self._holds(spot):
            return False
        self._set(spot)
        return True

    def place_label(self, label: str) -> bool:
        """Put the cursor on ``label`` in the first list that shows it."""
        return any(self.place(name, label) for name in LISTS)

    def step_list(self, delta: int) -> bool:
        """Tab / Shift+Tab, Left / Right: the next (previous) list that has entries; False at the end."""
        if not self.ready:
            return False
        names = [n for n in LISTS if self.entries(n)]
        if not names:
            return False
        current = names.index(self.spot.list) if self.spot is not None and self.spot.list in names else -1
        target = current + delta
        if not 0 <= target < len(names):
            return False
        name = names[target]
        self._set(self._first(name) or self._first(name, open_only=False))
        return True

    def step_row(self, delta: int) -> bool:
        """Up / Down within the current list."""
        if not self.ready or self.spot is None:
            return False
        labels = [e.label for e in self.entries(self.spot.list)]
        if self.spot.label not in labels:
            return False
        i = labels.index(self.spot.label) + delta
        if not 0 <= i < len(labels):
            return False
        self._set(Spot(self.spot.record_id, self.spot.list, labels[i]))
        return True

    def advance(self) -> None:
        """After a decision on the current tag: the next suggestion still open in the same list."""
        if not self.ready or self.spot is None:
            return
        labels = [e.label for e in self.entries(self.spot.list)]
        if self.spot.label not in labels:
            return
        i = labels.index(self.spot.label)
        for label in labels[i + 1 :] + labels[:i]:
            if self.is_open(label):
                self._set(Spot(self.spot.record_id, self.spot.list, label))
                return
        self.moved.emit(self.spot)  # nothing left open: it stays, and its new state shows

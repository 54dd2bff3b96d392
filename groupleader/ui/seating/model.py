"""One session's circle and interactions, held as snapshots, saved as they change.

The Orange canvas pattern: undo commands call this model; the model writes through the
operations (via the context's runner) and emits a signal; the scene, the side list and
the counts table follow the signals. Nothing here draws.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from groupleader.data.operations import Done
from groupleader.data.snapshots import InteractionSnap, Party
from groupleader.data.vault import Vault
from groupleader.errors import GroupLeaderError
from groupleader.ui.seating import adapter, presenter
from groupleader.ui.seating.presenter import Circle, Person

Op = Callable[[Vault], Done[Any]]


class SeatingModel(QObject):
    reset = Signal()  # a new session (or none) is shown
    circle_changed = Signal()
    interactions_changed = Signal()
    display_changed = Signal()  # screen-share safe switched
    saved = Signal()  # something was written to the vault
    failed = Signal(str)  # a GroupLeaderError's message

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # How writes run: the view hands the context's runner in, so each write is
        # announced as a change; alone (in tests) an operation runs directly.
        self.runner: Callable[[Op], Any] | None = None
        self.vault: Vault | None = None
        self.data: adapter.SessionData | None = None
        self.safe = False
        self._clear_state()

    def _clear_state(self) -> None:
        self.people: dict[Party, Person] = {}
        self.circle: Circle = ()
        self.recorded = False  # False: the circle is only a suggestion, not saved yet
        self.interactions: list[InteractionSnap] = []
        self.absent: frozenset[Party] = frozenset()
        self.candidates: tuple[Party, ...] = ()
        self.previous_circle: Circle = ()
        self.changes: dict[Party, int] = {}

    # ------------------------------------------------------------ loading

    def load(self, vault: Vault, data: adapter.SessionData) -> None:
        self.vault, self.data = vault, data
        self._clear_state()
        self.people = presenter.build_people(
            data.chairs, data.eligible, data.clinicians, data.previous_chairs)
        self.absent = presenter.absent_members(data.attendance)
        self.candidates = (
            *(presenter.clinician_party(c.id) for c in data.clinicians),
            *(presenter.member_party(e.member_id) for e in data.eligible),
        )
        self.previous_circle = presenter.circle_of(data.previous_chairs)
        self.recorded = bool(data.chairs)
        if self.recorded:
            self.circle = presenter.circle_of(data.chairs)
        else:
            size = presenter.suggested_size(
                len(data.eligible), len(self.absent & set(self.candidates)),
                len(data.clinicians))
            self.circle = (None,) * size
        self.interactions = list(data.interactions)
        for i in self.interactions:
            for p in (i.speaker, i.to):
                if p is not None and p not in self.people:
                    self.people[p] = Person(p, "(not in the group)", "", "?")
        self.changes = presenter.seat_changes(self.previous_circle, self.circle)
        self.reset.emit()

    def run(self, op: Op) -> Any:
        if self.runner is not None:
            return self.runner(op)
        if self.vault is None:
            raise GroupLeaderError("The vault is locked. Unlock it to go on.")
        return op(self.vault).value

    def clear(self) -> None:
        self.vault, self.data = None, None
        self._clear_state()
        self.reset.emit()

    @property
    def meeting_id(self) -> int | None:
        return self.data.meeting.id if self.data else None

    @property
    def read_only(self) -> bool:
        return self.data is None or self.data.meeting.status == "cancelled" or self.data.signed

    @property
    def signed(self) -> bool:
        """The session's group note is signed: its circle and interactions are locked."""
        return self.data is not None and self.data.signed

    # ------------------------------------------------------------ reading

    def person(self, party: Party | None) -> Person | None:
        return None if party is None else self.people.get(party)

    def label(self, party: Party | None) -> str:
        return presenter.label_for(self.person(party), self.safe)

    def tooltip(self, party: Party | None) -> str:
        return presenter.tooltip_for(self.person(party), self.safe)

    def side_list(self) -> presenter.SideList:
        return presenter.side_list(self.circle, self.people, self.candidates, self.absent)

    def allowed(self) -> frozenset[Party]:
        return frozenset(self.candidates)

    # ------------------------------------------------------------ writing

    def set_safe(self, safe: bool) -> None:
        if safe != self.safe:
            self.safe = safe
            self.display_changed.emit()

    def set_circle(self, circle: Circle) -> bool:
        """Save `circle` as the session's seating; False (and `failed`) if refused."""
        if self.vault is None or self.data is None or circle == self.circle and self.recorded:
            return False
        try:
            meeting_id = self.data.meeting.id
            snaps = self.run(lambda v: adapter.save_circle(v, meeting_id, circle))
        except GroupLeaderError as err:
            self.failed.emit(err.message)
            return False
        self.circle = presenter.circle_of(snaps)
        self.recorded = True
        self.changes = presenter.seat_changes(self.previous_circle, self.circle)
        self.circle_changed.emit()
        self.saved.emit()
        return True

    def add_interaction(self, speaker: Party, to: Party | None) -> bool:
        if self.vault is None or self.data is None:
            return False
        try:
            meeting_id = self.data.meeting.id
            snap = self.run(
                lambda v: adapter.add_interaction(v, meeting_id, speaker, to))
        except GroupLeaderError as err:
            self.failed.emit(err.message)
            return False
        self.interactions.append(snap)
        self.interactions_changed.emit()
        self.saved.emit()
        return True

    def remove_last_interaction(self) -> bool:
        if self.vault is None or self.data is None:
            return False
        try:
            meeting_id = self.data.meeting.id
            removed = self.run(lambda v: adapter.remove_last_interaction(v, meeting_id))
        except GroupLeaderError as err:
            self.failed.emit(err.message)
            return False
        if removed and self.interactions:
            self.interactions.pop()
            self.interactions_changed.emit()
            self.saved.emit()
        return removed

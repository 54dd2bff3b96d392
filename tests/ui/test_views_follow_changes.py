"""Views refresh only what they show, only when shown: the whole main window, real views.

An autosave in Sessions & Notes while Roster and Seating are hidden runs no query for
them (the statements are counted on the vault's engine); showing them afterwards shows
the new state. A visible view follows a change at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from sqlalchemy import event

from groupleader.data.operations import meetings as ops_meetings
from groupleader.ui.main_window import MainWindow
from groupleader.ui.roster import RosterView
from groupleader.ui.seating import SeatingView
from tests.conftest import PASSPHRASE, open_vault
from tests.ui.sessions_support import World, build
from tests.ui.shell_support import unlocked_window

MakeWindow = Callable[..., MainWindow]
ROSTER, SEATING, SESSIONS = range(3)


class Statements:
    """Counts SQL statements on the vault's engine, and those run inside the hidden views."""

    def __init__(self) -> None:
        self.total = 0
        self.inside: dict[str, int] = {"roster": 0, "seating": 0}
        self.depth: dict[str, int] = {"roster": 0, "seating": 0}

    def on_execute(self, *_args: Any) -> None:
        self.total += 1
        for view, depth in self.depth.items():
            if depth:
                self.inside[view] += 1

    @contextmanager
    def within(self, view: str) -> Iterator[None]:
        self.depth[view] += 1
        try:
            yield
        finally:
            self.depth[view] -= 1


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> Statements:
    """Every method of the two views runs inside `within(view)` (wrapped on the class)."""
    counter = Statements()
    for cls, name in ((RosterView, "roster"), (SeatingView, "seating")):
        for attr, value in list(vars(cls).items()):
            if callable(value) and not attr.startswith("__"):
                def wrapper(*args: Any, _real: Any = value, _name: str = name,
                            **kwargs: Any) -> Any:
                    with counter.within(_name):
                        return _real(*args, **kwargs)

                monkeypatch.setattr(cls, attr, wrapper)
    return counter


@pytest.fixture
def day(qtbot: Any, make_window: MakeWindow, vault_file: Path,
        statements: Statements) -> tuple[MainWindow, World]:
    vault = open_vault(vault_file, PASSPHRASE)
    world = build(vault)
    for member_id in world.member_ids:
        ops_meetings.record_attendance(vault, world.meeting_id, member_id, "present", None)
    vault.close()
    window = unlocked_window(qtbot, make_window, vault_file)
    window.resize(1280, 800)
    window.show()
    window.workspace.sidebar.select_group(world.group_id)
    assert window.ctx.vault is not None and window.ctx.vault.engine is not None
    event.listen(window.ctx.vault.engine, "before_cursor_execute", statements.on_execute)
    return window, world


def _sessions_in_front(window: MainWindow) -> Any:
    window.workspace.tabs.setCurrentIndex(SESSIONS)
    sessions = window.workspace.sessions_view
    assert sessions is not None
    sessions.tabs.setCurrentIndex(2)  # member notes
    QApplication.processEvents()
    return sessions


def test_an_autosave_while_roster_and_seating_are_hidden_runs_no_query_for_them(
    qtbot: Any, day: tuple[MainWindow, World], statements: Statements
) -> None:
    window, world = day
    sessions = _sessions_in_front(window)
    roster, seating = window.workspace.roster_view, window.workspace.seating_view
    assert roster is not None and seating is not None
    assert not roster.isVisible() and not seating.isVisible()
    flagged = world.member_ids[1]
    row = roster.model.row_of(roster.model.entries()[1].membership_id)
    assert row is not None and not any(e.row.risk_flag for e in roster.model.entries())
    editor = sessions.member_notes.editor(flagged)
    assert editor is not None
    statements.total = 0
    statements.inside = {"roster": 0, "seating": 0}

    editor.risk_flag.setChecked(True)  # a real edit, saved by the real autosave
    qtbot.keyClicks(next(iter(editor.fields.values())), "Said she feels unsafe at home")
    assert sessions.autosave.flush()
    for _ in range(3):
        QApplication.processEvents()  # the list's deferred one-row refresh too

    assert statements.total > 0  # the save itself was counted
    assert statements.inside == {"roster": 0, "seating": 0}
    assert roster.follower.stale  # it knows it is out of date ...
    assert not any(e.row.risk_flag for e in roster.model.entries())  # ... and shows the old

    window.workspace.tabs.setCurrentIndex(ROSTER)  # showing it shows the new state
    QApplication.processEvents()
    assert statements.inside["roster"] > 0 and not roster.follower.stale
    flags = {e.row.member_id: e.row.risk_flag for e in roster.model.entries()}
    assert flags[flagged] is True


def test_attendance_taken_while_seating_is_hidden_shows_when_seating_is_shown(
    qtbot: Any, day: tuple[MainWindow, World], statements: Statements
) -> None:
    window, world = day
    sessions = _sessions_in_front(window)
    seating = window.workspace.seating_view
    assert seating is not None
    seating_before = statements.inside["seating"]
    absent = world.member_ids[2]
    sessions.tabs.setCurrentIndex(0)
    sessions.attendance.record(absent, "absent_notice")
    QApplication.processEvents()
    assert statements.inside["seating"] == seating_before
    assert seating.follower.stale

    window.workspace.tabs.setCurrentIndex(SEATING)
    QApplication.processEvents()
    assert seating.model.meeting_id == world.meeting_id
    assert absent in {p.member_id for p in seating.model.side_list().absent}


def test_a_visible_view_follows_a_change_made_elsewhere_at_once(
    qtbot: Any, day: tuple[MainWindow, World]
) -> None:
    window, world = day
    window.workspace.tabs.setCurrentIndex(ROSTER)
    QApplication.processEvents()
    roster = window.workspace.roster_view
    assert roster is not None and roster.isVisible()
    left = world.member_ids[0]
    membership = next(e.membership_id for e in roster.model.entries() if e.member_id == left)
    from groupleader.data.operations import roster as ops_roster

    window.ctx.run(lambda v: ops_roster.change_status(v, membership, "left"))  # e.g. a dialog
    assert not roster.follower.stale
    status = {e.member_id: e.status for e in roster.model.entries()}
    assert status[left] == "left"


def test_renaming_a_member_reaches_every_view_of_their_group(
    qtbot: Any, day: tuple[MainWindow, World]
) -> None:
    from groupleader.data.operations import query
    from groupleader.data.operations import roster as ops_roster
    from groupleader.data.services import members
    from groupleader.data.snapshots import MemberSpec
    from tests.ui.shell_support import holds

    window, world = day
    for tab in (SEATING, SESSIONS, ROSTER):  # every view has shown the group once
        window.workspace.tabs.setCurrentIndex(tab)
        QApplication.processEvents()
    member_id = world.member_ids[0]
    old = query(window.ctx.require_vault(), members.get_member, member_id).full_name
    window.ctx.run(lambda v: ops_roster.update_member(v, member_id, MemberSpec("Zelda Quux")))
    for tab in (SEATING, SESSIONS):
        window.workspace.tabs.setCurrentIndex(tab)
        QApplication.processEvents()
        view = window.workspace.tabs.currentWidget()
        assert holds("Zelda Quux", view), tab
        assert not holds(old, view), tab


def test_choosing_another_group_loads_nothing_in_the_hidden_views_until_shown(
    qtbot: Any, day: tuple[MainWindow, World], statements: Statements
) -> None:
    from groupleader.data.operations import groups as ops_groups
    from groupleader.data.operations import roster as ops_roster
    from groupleader.data.snapshots import GroupSpec, MemberSpec

    window, world = day
    other = window.ctx.run(lambda v: ops_groups.create_group(
        v, GroupSpec("Friday group", "support", (world.leader_id,))))
    window.ctx.run(lambda v: ops_roster.add_member_to_group(
        v, MemberSpec("Fenna Friday"), other.id, "active"))
    _sessions_in_front(window)
    statements.inside = {"roster": 0, "seating": 0}
    assert window.workspace.sidebar.select_group(other.id)
    QApplication.processEvents()
    assert statements.inside == {"roster": 0, "seating": 0}  # hidden: nothing read
    window.workspace.tabs.setCurrentIndex(ROSTER)
    QApplication.processEvents()
    roster = window.workspace.roster_view
    assert roster is not None
    assert [e.row.full_name for e in roster.model.entries()] == ["Fenna Friday"]
    window.workspace.tabs.setCurrentIndex(SEATING)
    QApplication.processEvents()
    seating = window.workspace.seating_view
    assert seating is not None and seating.group is not None and seating.group.id == other.id

"""Lock by shortcut and by idle time: edits saved first, every view cleared of clinical
text (the whole widget tree is walked for a marker), the vault closed, and unlocking
returns to the same group and tab."""


from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.operations import roster as ops_roster
from groupleader.data.services import meetings
from groupleader.data.snapshots import ClinicianSpec, GroupNoteFields, GroupSpec, MemberSpec
from groupleader.errors import StorageError
from groupleader.ui.main_window import MainWindow
from tests.conftest import open_vault
from tests.ui.shell_support import holds, unlock_with, unlocked_window

MakeWindow = Callable[..., MainWindow]
MARKER = "Zebra-Quartz-7731"
NOTE_MARKER = "Quokka-Umber-5519"


class RecordingView:
    """Records the calls the window makes on its three real views (wrapped, not replaced)."""

    calls: list[tuple[str, bool]] = []
    by_view: list[tuple[str, str]] = []  # (view class, method), in call order
    fail_save = False


def _record(cls: type, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    real = getattr(cls, name)

    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        label = name if name != "open_note" else f"open_note {args[0]} {args[1]} {args[3]}"
        RecordingView.calls.append((label, self.ctx.vault is not None))
        RecordingView.by_view.append((type(self).__name__, name))
        if name == "save_pending" and RecordingView.fail_save:
            raise StorageError()
        return real(self, *args, **kwargs)

    monkeypatch.setattr(cls, name, wrapper)


@pytest.fixture
def recording_views(monkeypatch: pytest.MonkeyPatch) -> type[RecordingView]:
    from groupleader.ui.roster import RosterView
    from groupleader.ui.seating import SeatingView
    from groupleader.ui.sessions import SessionsView

    RecordingView.calls, RecordingView.by_view = [], []
    RecordingView.fail_save = False
    for cls in (RosterView, SeatingView, SessionsView):
        for name in ("save_pending", "clear_clinical"):
            _record(cls, name, monkeypatch)
    _record(SessionsView, "open_note", monkeypatch)
    return RecordingView


def _fill(path: Path) -> tuple[int, int]:
    """Two groups in the vault file, the second named with the marker; returns their ids."""
    with open_vault(path) as vault:
        leader = ops_groups.create_clinician(
            vault, ClinicianSpec(name="Dr Leader", role="leader")
        ).value
        first = ops_groups.create_group(
            vault, GroupSpec(name="Tuesday group", kind="support", leader_ids=(leader.id,))
        ).value
        second = ops_groups.create_group(
            vault, GroupSpec(name=f"Group {MARKER}", kind="support", leader_ids=(leader.id,))
        ).value
        member = ops_roster.create_member(vault, MemberSpec(full_name=f"Member {MARKER}")).value
        ops_roster.add_membership(vault, member.id, second.id, status="active")
        meeting = ops_meetings.schedule_meeting(
            vault, second.id, datetime.now(UTC) - timedelta(days=1), topic=f"Topic {MARKER}"
        ).value
        ops_notes.save_group_note(
            vault, meeting.id, GroupNoteFields(themes=f"Themes {NOTE_MARKER}")
        )
        return first.id, second.id


def _select(window: MainWindow, group_id: int) -> None:
    assert window.workspace.sidebar.select_group(group_id)
    assert window.ctx.current_group_id == group_id


def test_ctrl_l_locks_saves_first_clears_views_and_closes_the_vault(
    qtbot: Any, make_window: MakeWindow, vault_file: Path, recording_views: type[RecordingView]
) -> None:
    _, marked = _fill(vault_file)
    window = unlocked_window(qtbot, make_window, vault_file)
    _select(window, marked)
    assert holds(MARKER)  # the marker is on screen before locking
    recording_views.calls.clear()
    recording_views.by_view.clear()

    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)

    assert window.locked and window.current_page is window.unlock_page
    assert holds(MARKER) == []
    # every view saved while the vault was still open, then cleared
    saves = [c for c in recording_views.calls if c[0] == "save_pending"]
    assert len(saves) >= 3 and all(open_ for _n, open_ in saves)
    order = recording_views.by_view
    views = {"RosterView", "SeatingView", "SessionsView"}
    assert {v for v, m in order if m == "clear_clinical"} == views
    first_clear = next(i for i, (_v, m) in enumerate(order) if m == "clear_clinical")
    assert {v for v, m in order[:first_clear] if m == "save_pending"} == views
    open_vault(vault_file).close()  # the vault is closed: its lock is free


def test_idle_timer_locks_and_the_views_hold_no_clinical_text(
    qtbot: Any, make_window: MakeWindow, vault_file: Path
) -> None:
    """With the real views of this build (or their empty states)."""
    _, marked = _fill(vault_file)
    window = unlocked_window(qtbot, make_window, vault_file)
    _select(window, marked)
    window.ctx.select_meeting(query(window.ctx.vault, meetings.list_meetings, marked)[0].id)
    for index in range(window.workspace.tabs.count()):
        window.workspace.tabs.setCurrentIndex(index)
        qtbot.wait(20)
    assert holds(MARKER)
    assert holds(NOTE_MARKER)  # the group note is open in Sessions & Notes

    window.autolock.set_interval_ms(200)  # shortened for the test
    qtbot.waitUntil(lambda: window.locked, timeout=5000)

    assert window.current_page is window.unlock_page
    assert holds(MARKER) == []
    assert holds(NOTE_MARKER) == []
    assert MARKER not in window.windowTitle()
    open_vault(vault_file).close()


def test_activity_keeps_the_vault_open(
    qtbot: Any, make_window: MakeWindow, vault_file: Path
) -> None:
    window = unlocked_window(qtbot, make_window, vault_file)
    window.autolock.set_interval_ms(400)
    for _ in range(8):
        qtbot.wait(100)
        qtbot.keyClick(window.workspace.sidebar.view, Qt.Key.Key_Down)
    assert not window.locked
    qtbot.waitUntil(lambda: window.locked, timeout=5000)


def test_unlocking_returns_to_the_same_group_and_tab(
    qtbot: Any, make_window: MakeWindow, vault_file: Path, recording_views: type[RecordingView]
) -> None:
    _, marked = _fill(vault_file)
    window = unlocked_window(qtbot, make_window, vault_file)
    _select(window, marked)
    window.workspace.tabs.setCurrentIndex(2)
    window.ctx.select_meeting(4242)
    assert window.lock()
    assert window.ctx.current_group_id is None and window.ctx.current_meeting_id is None

    unlock_with(qtbot, window)
    assert window.ctx.current_group_id == marked
    assert window.workspace.sidebar.current_id() == marked
    assert window.workspace.tabs.currentIndex() == 2
    assert window.ctx.current_meeting_id == 4242
    assert holds(MARKER)


def test_lock_is_refused_when_an_edit_cannot_be_saved(
    qtbot: Any,
    make_window: MakeWindow,
    vault_file: Path,
    recording_views: type[RecordingView],
    messages: Any,
) -> None:
    window = unlocked_window(qtbot, make_window, vault_file)
    recording_views.fail_save = True
    assert window.lock() is False
    assert not window.locked and window.current_page is window.workspace
    assert any("not locked yet" in t for t in messages.texts("choice"))  # Stay open chosen
    recording_views.fail_save = False
    assert window.lock()


def test_lock_closes_open_dialogs(qtbot: Any, make_window: MakeWindow, vault_file: Path) -> None:
    from groupleader.ui.groups import GroupFormDialog

    window = unlocked_window(qtbot, make_window, vault_file)
    dialog = GroupFormDialog(window.ctx, None, window)
    dialog.name.setText(MARKER)
    dialog.show()
    assert window.lock()
    assert not dialog.isVisible()


def test_find_opens_the_note_in_its_group_on_the_sessions_tab(
    qtbot: Any, make_window: MakeWindow, vault_file: Path, recording_views: type[RecordingView]
) -> None:
    first, marked = _fill(vault_file)
    window = unlocked_window(qtbot, make_window, vault_file)
    _select(window, first)
    meeting_id = query(window.ctx.vault, meetings.list_meetings, marked)[0].id
    window.open_note(meeting_id, "group", None, "word")
    assert window.ctx.current_group_id == marked
    assert window.workspace.tabs.currentIndex() == 2
    assert (f"open_note {meeting_id} group word", True) in recording_views.calls

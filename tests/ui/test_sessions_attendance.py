"""Attendance: one click per member, written at once, read back from the vault."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import query
from groupleader.data.operations import roster as ops_roster
from groupleader.data.services import meetings, members
from groupleader.ui.sessions import SessionsView
from tests.conftest import open_vault
from tests.ui.sessions_support import build, context
from tests.ui.shell_support import holds


def make_view(qtbot, vault, world):
    ctx = context(vault, world.leader_id)
    view = SessionsView(ctx)
    qtbot.addWidget(view)
    view.show()  # a hidden view only marks itself stale when data changes
    view.set_group(world.group_id)
    return ctx, view


def test_attendance_clicks_persist_after_reopening_the_vault(qtbot, vault) -> None:
    world = build(vault)
    ctx, view = make_view(qtbot, vault, world)
    panel = view.attendance
    qtbot.mouseClick(panel.everyone, Qt.MouseButton.LeftButton)
    first, second, third = world.member_ids[:3]
    panel.minutes_box(second).setValue(15)
    qtbot.mouseClick(panel.row_buttons(second)["late"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.row_buttons(third)["absent_notice"], Qt.MouseButton.LeftButton)
    path = Path(vault.path)
    view.clear_clinical()
    vault.close()

    again = open_vault(path)
    try:
        rows = {r.member_id: r for r in query(again, meetings.attendance_for, world.meeting_id)}
        assert rows[first].status == "present"
        assert (rows[second].status, rows[second].minutes_late) == ("late", 15)
        assert rows[third].status == "absent_notice"
        assert len(rows) == len(world.member_ids)
        assert query(again, meetings.get_meeting, world.meeting_id).status == "held"
        ctx.vault = again
        view2 = SessionsView(ctx)
        qtbot.addWidget(view2)
        view2.set_group(world.group_id)
        assert view2.attendance.row_buttons(second)["late"].isChecked()
        assert view2.attendance.row_buttons(third)["absent_notice"].isChecked()
        assert view2.attendance.minutes_box(second).value() == 15
    finally:
        again.close()


def test_everyone_present_is_all_or_nothing_and_a_refusal_shows_in_the_banner(
    qtbot, vault
) -> None:
    world = build(vault)
    _, view = make_view(qtbot, vault, world)
    # elsewhere (no notice to this view) one member left before the session's date
    gone = world.member_ids[2]
    membership = next(
        r.membership_id
        for r in query(vault, members.list_memberships, world.group_id)
        if r.member_id == gone
    )
    ops_roster.change_status(vault, membership, "left", date.today() - timedelta(days=2))
    view.attendance.everyone_present()
    assert query(vault, meetings.attendance_for, world.meeting_id) == []  # nobody, not six of seven
    assert query(vault, meetings.get_meeting, world.meeting_id).status == "scheduled"
    assert "not an active member" in view.banner.label.text()
    assert view.banner.label.text().endswith(" Nothing was recorded.")
    assert view.attendance.records() == {}
    assert not any(
        b.isChecked() for mid in world.member_ids for b in view.attendance.row_buttons(mid).values()
    )


def test_everyone_present_keeps_earlier_absences(qtbot, vault) -> None:
    world = build(vault)
    _, view = make_view(qtbot, vault, world)
    absent = world.member_ids[4]
    view.attendance.record(absent, "absent_no_notice")
    view.attendance.everyone_present()
    rows = {r.member_id: r.status for r in query(vault, meetings.attendance_for, world.meeting_id)}
    assert rows[absent] == "absent_no_notice"
    assert sum(1 for s in rows.values() if s == "present") == len(world.member_ids) - 1


def test_present_members_get_a_note_editor_and_absent_ones_do_not(qtbot, vault) -> None:
    world = build(vault)
    _, view = make_view(qtbot, vault, world)
    absent = world.member_ids[0]
    view.attendance.record(absent, "absent_notice")
    view.attendance.everyone_present()
    shown = set(view.member_notes.member_ids())
    assert absent not in shown
    assert shown == set(world.member_ids[1:])
    editor = view.member_notes.add_member(absent)  # the leader adds one on purpose
    assert editor is not None and absent in view.member_notes.member_ids()


def test_session_list_shows_attendance_count(qtbot, vault) -> None:
    world = build(vault)
    _, view = make_view(qtbot, vault, world)
    view.attendance.everyone_present()
    view.attendance.record(world.member_ids[0], "absent_notice")
    qtbot.waitUntil(lambda: view.sessions.model.summary(0).attended == 6)
    index = view.sessions.model.index(0, 3)
    assert view.sessions.model.data(index) == "6 of 7"
    assert view.sessions.model.data(view.sessions.model.index(0, 2)) == "held"


def test_clear_leaves_no_name_in_the_widget_tree_without_the_event_loop(
    qtbot,
    vault,
) -> None:
    world = build(vault)
    _, view = make_view(qtbot, vault, world)
    name = "Ada Brook"
    assert holds(name, view.attendance)
    view.attendance.clear()  # no processEvents: deleteLater alone would leave them here
    assert holds(name, view.attendance) == []
    assert not any(name in w.accessibleName() for w in view.attendance.findChildren(QWidget))


def test_a_narrow_page_puts_each_name_above_its_buttons(qtbot, vault) -> None:
    world = build(vault)
    _, view = make_view(qtbot, vault, world)
    view.show()
    panel = view.attendance
    view.resize(815, 600)  # the Sessions tab of a 1024-pixel window
    qtbot.waitUntil(lambda: panel.stacked, timeout=2000)
    QApplication.processEvents()
    scroll = panel._scroll  # the page's own scroll area
    assert not scroll.horizontalScrollBar().isVisible()
    view.resize(1300, 600)
    qtbot.waitUntil(lambda: not panel.stacked, timeout=2000)


def test_a_session_days_ahead_says_when_attendance_opens_and_offers_reschedule(
    qtbot,
    vault,
    monkeypatch,
) -> None:
    from datetime import datetime, timedelta

    from groupleader.ui.sessions import session_list

    world = build(vault)
    soon = datetime.now().astimezone() + timedelta(days=3)
    later = ops_meetings.schedule_meeting(vault, world.group_id, starts_at=soon).value.id
    ctx, view = make_view(qtbot, vault, world)
    view.resize(1280, 800)
    view.show()
    assert view.select_meeting(later)
    view.tabs.setCurrentWidget(view.attendance)
    panel = view.attendance
    assert panel.note.isVisible()
    assert panel.note.text().startswith(f"This session is on {soon:%A} {soon.day} ")
    assert panel.note.text().endswith("Attendance can be recorded from the day before.")
    assert panel.reschedule_button.isVisible() and not panel.everyone.isVisible()
    assert panel.records() == {} and not any(
        isinstance(w, QWidget) and w.isVisible() for w in panel._body.findChildren(QWidget)
    )
    monkeypatch.setattr(
        session_list, "ask_datetime", lambda *a: datetime.now().astimezone() - timedelta(minutes=5)
    )
    qtbot.mouseClick(panel.reschedule_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.reschedule_button.isVisible(), timeout=2000)
    assert not panel.note.isVisible() and panel.everyone.isVisible()
    qtbot.mouseClick(panel.row_buttons(world.member_ids[0])["present"], Qt.MouseButton.LeftButton)
    assert [r.status for r in query(vault, meetings.attendance_for, later)] == ["present"]


def test_the_session_column_shows_a_cycle_whole_in_compact_form(qtbot, vault) -> None:
    from datetime import datetime, time, timedelta

    from groupleader.data.snapshots import GroupSpec

    world = build(vault)
    fixed = ops_groups.create_group(
        vault,
        GroupSpec(
            name="Fixed",
            kind="psychoeducational",
            leader_ids=(world.leader_id,),
            format="fixed",
            sessions_per_cycle=12,
            weekday=0,
            start_time=time(18, 0),
        ),
    ).value
    now = datetime.now().astimezone()
    for week in range(14, 0, -1):  # 14 sessions: the last two are 1/12 and 2/12 of cycle 2
        ops_meetings.schedule_meeting(vault, fixed.id, starts_at=now - timedelta(days=7 * week))
    ctx, view = make_view(qtbot, vault, world)
    view.set_group(fixed.id)
    view.resize(1024, 700)
    view.show()
    model, table = view.sessions.model, view.sessions.table
    texts = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert texts[:3] == ["2/12 · c2", "1/12 · c2", "12/12 · c1"]
    tip = model.index(2, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "Session 12 of 12, cycle 1 (session 12 in all)"
    widest = max(table.fontMetrics().horizontalAdvance(t) for t in texts)
    assert table.columnWidth(0) >= widest + 8  # never elided, even in a 1024-pixel window
    dates = [model.index(r, 1).data() for r in range(model.rowCount())]
    # a squeezed Date column drops the time (in the tooltip) rather than cutting it
    assert all(
        table.fontMetrics().horizontalAdvance(d) + 8 <= table.columnWidth(1) for d in dates
    ), (dates, table.columnWidth(1))
    assert ":" in model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)


def test_a_hand_edited_draft_limit_never_empties_the_session_list(qtbot, vault) -> None:
    """A settings file with an absurd draft-warning limit still shows every session."""
    from types import SimpleNamespace

    world = build(vault, sessions=2)
    ctx = context(vault, world.leader_id)
    ctx.settings = SimpleNamespace(unsigned_draft_warning_days=10_000)
    view = SessionsView(ctx)
    qtbot.addWidget(view)
    view.set_group(world.group_id)
    assert view.sessions.model.rowCount() == 2
    assert view.banner.isHidden()  # no "enter the number of days" error either

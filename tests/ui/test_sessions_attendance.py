"""Attendance: one click per member, written at once, read back from the vault."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from groupleader.data.services import meetings
from groupleader.ui.sessions import SessionsView
from tests.conftest import open_vault
from tests.ui.sessions_support import build, context
from tests.ui.shell_support import holds


def make_view(qtbot, vault, world):  # noqa: ANN001, ANN201
    ctx = context(vault, world.leader_id)
    view = SessionsView(ctx)
    qtbot.addWidget(view)
    view.set_group(world.group_id)
    return ctx, view


def test_attendance_clicks_persist_after_reopening_the_vault(qtbot, vault) -> None:  # noqa: ANN001
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
        rows = {r.member_id: r for r in meetings.attendance_for(again, world.meeting_id)}
        assert rows[first].status == "present"
        assert (rows[second].status, rows[second].minutes_late) == ("late", 15)
        assert rows[third].status == "absent_notice"
        assert len(rows) == len(world.member_ids)
        assert meetings.get_meeting(again, world.meeting_id).status == "held"
        ctx.vault = again
        view2 = SessionsView(ctx)
        qtbot.addWidget(view2)
        view2.set_group(world.group_id)
        assert view2.attendance.row_buttons(second)["late"].isChecked()
        assert view2.attendance.row_buttons(third)["absent_notice"].isChecked()
        assert view2.attendance.minutes_box(second).value() == 15
    finally:
        again.close()


def test_everyone_present_keeps_earlier_absences(qtbot, vault) -> None:  # noqa: ANN001
    world = build(vault)
    _, view = make_view(qtbot, vault, world)
    absent = world.member_ids[4]
    view.attendance.record(absent, "absent_no_notice")
    view.attendance.everyone_present()
    rows = {r.member_id: r.status for r in meetings.attendance_for(vault, world.meeting_id)}
    assert rows[absent] == "absent_no_notice"
    assert sum(1 for s in rows.values() if s == "present") == len(world.member_ids) - 1


def test_present_members_get_a_note_editor_and_absent_ones_do_not(qtbot, vault) -> None:  # noqa: ANN001
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


def test_session_list_shows_attendance_count(qtbot, vault) -> None:  # noqa: ANN001
    world = build(vault)
    _, view = make_view(qtbot, vault, world)
    view.attendance.everyone_present()
    view.attendance.record(world.member_ids[0], "absent_notice")
    qtbot.waitUntil(lambda: view.sessions.model.summary(0).attended == 6)
    index = view.sessions.model.index(0, 3)
    assert view.sessions.model.data(index) == "6 of 7"
    assert view.sessions.model.data(view.sessions.model.index(0, 2)) == "held"


def test_clear_leaves_no_name_in_the_widget_tree_without_the_event_loop(
    qtbot, vault  # noqa: ANN001
) -> None:
    world = build(vault)
    _, view = make_view(qtbot, vault, world)
    name = "Ada Brook"
    assert holds(name, view.attendance)
    view.attendance.clear()  # no processEvents: deleteLater alone would leave them here
    assert holds(name, view.attendance) == []
    assert not any(name in w.accessibleName() for w in view.attendance.findChildren(QWidget))


def test_a_narrow_page_puts_each_name_above_its_buttons(qtbot, vault) -> None:  # noqa: ANN001
    world = build(vault)
    _, view = make_view(qtbot, vault, world)
    view.show()
    panel = view.attendance
    view.resize(815, 600)  # the Sessions tab of a 1024-pixel window
    qtbot.waitUntil(lambda: panel.stacked, timeout=2000)
    QApplication.processEvents()
    scroll = panel._scroll  # noqa: SLF001 - the page's own scroll area
    assert not scroll.horizontalScrollBar().isVisible()
    view.resize(1300, 600)
    qtbot.waitUntil(lambda: not panel.stacked, timeout=2000)

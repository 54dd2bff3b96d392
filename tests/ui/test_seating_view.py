"""The seating view on a real vault: placing, swapping, removing, undo, same as last
session, keyboard use, reopening, and people whose names are hard to draw."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import query
from groupleader.data.operations import roster as ops_roster
from groupleader.data.operations import seating as ops_seating
from groupleader.data.services import members
from groupleader.data.services import seating as seating_service
from groupleader.data.snapshots import ChairSpec
from groupleader.data.vault import Vault
from groupleader.ui.seating.items import MIME
from tests.conftest import open_vault
from tests.ui.seating_support import World, build_world, make_view, payload, saved_circle

# ---------------------------------------------------------------- placing


def test_view_opens_on_the_newest_past_session_with_suggested_empty_chairs(
    qtbot: QtBot, world: World
) -> None:
    view = make_view(qtbot, world.vault, world)
    assert view.model.meeting_id == world.sessions[-1]
    assert view.session_combo.count() == 3
    assert view.session_combo.itemData(0) == world.sessions[-1]  # newest first
    assert view.model.circle == (None,) * 7  # six members and the leader
    assert len(view.scene.chairs) == 7
    assert (
        query(world.vault, seating_service.get_seating, world.sessions[-1]) == []
    )  # not saved yet


def test_drop_from_the_list_seats_and_saves_and_notifies(qtbot: QtBot, world: World) -> None:
    view = make_view(qtbot, world.vault, world)
    maria = world.m("Maria Kowalski")
    assert payload(maria) in view.side_list.payloads()
    with qtbot.waitSignal(view.ctx.changed) as signal:
        assert view.drop_payload(2, payload(maria))
    changes, source = signal.args
    assert changes.seating == {view.model.meeting_id} and source is view
    assert view.model.circle[2] == maria
    assert payload(maria) not in view.side_list.payloads()
    assert saved_circle(world.vault, view.model.meeting_id)[2] == maria
    assert view.scene.chairs[2].look.label == "Maria Kowalski"
    assert view.scene.chairs[2].look.kind == "member"


def test_drop_chair_to_chair_swaps_and_one_undo_restores(qtbot: QtBot, world: World) -> None:
    view = make_view(qtbot, world.vault, world)
    maria, tom = world.m("Maria Kowalski"), world.m("Tom Berg")
    view.drop_payload(0, payload(maria))
    view.drop_payload(1, payload(tom))
    before = view.model.circle
    assert view.drop_payload(1, payload(maria, 0))  # drag Maria from chair 1 onto Tom
    assert view.model.circle[:2] == (tom, maria)
    assert saved_circle(world.vault, view.model.meeting_id)[:2] == [tom, maria]
    view.undo_stack.undo()  # the whole drag is one entry
    assert view.model.circle == before
    assert saved_circle(world.vault, view.model.meeting_id)[:2] == [maria, tom]
    assert view.scene.chairs[0].look.label == "Maria Kowalski"
    view.undo_stack.redo()
    assert view.model.circle[:2] == (tom, maria)


def test_drop_from_the_list_on_a_taken_chair_sends_the_occupant_back(
    qtbot: QtBot, world: World
) -> None:
    view = make_view(qtbot, world.vault, world)
    maria, tom = world.m("Maria Kowalski"), world.m("Tom Berg")
    view.drop_payload(3, payload(maria))
    view.drop_payload(3, payload(tom))
    assert view.model.circle[3] == tom
    assert maria not in view.model.circle
    assert payload(maria) in view.side_list.payloads()


def test_dropping_a_chair_on_the_list_empties_it_and_undo_puts_it_back(
    qtbot: QtBot, world: World
) -> None:
    view = make_view(qtbot, world.vault, world)
    maria = world.m("Maria Kowalski")
    view.drop_payload(4, payload(maria))
    mime = QMimeData()
    mime.setData(MIME, payload(maria, 4).encode())
    target = view.side_list.viewport()
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    view.side_list.dropEvent(event)  # what Qt calls when the drag is released on the list
    assert target is not None and event.isAccepted()
    assert view.model.circle[4] is None
    assert saved_circle(world.vault, view.model.meeting_id)[4] is None
    assert len(view.model.circle) == 7  # the chair stays, empty
    view.undo_stack.undo()
    assert view.model.circle[4] == maria


def test_a_real_drop_event_on_a_chair_reaches_the_drop_handler(qtbot: QtBot, world: World) -> None:
    view = make_view(qtbot, world.vault, world)
    view.show()
    qtbot.waitExposed(view)
    tom = world.m("Tom Berg")
    chair = view.scene.chairs[5]
    pos = view.canvas.mapFromScene(chair.pos())
    mime = QMimeData()
    mime.setData(MIME, payload(tom).encode())
    viewport = view.canvas.viewport()
    for kind in ("enter", "move", "drop"):
        from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent

        cls = {"enter": QDragEnterEvent, "move": QDragMoveEvent, "drop": QDropEvent}[kind]
        event = cls(
            QPointF(pos) if kind == "drop" else pos,
            Qt.DropAction.MoveAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(viewport, event)
    assert view.model.circle[5] == tom


def test_add_and_remove_chairs_are_undoable(qtbot: QtBot, world: World) -> None:
    view = make_view(qtbot, world.vault, world)
    assert view.add_chair(None)
    assert len(view.model.circle) == 8 and len(view.scene.chairs) == 8
    assert len(saved_circle(world.vault, view.model.meeting_id)) == 8
    view.drop_payload(0, payload(world.m("Li Wei")))
    assert view.remove_chair(0)  # chair 1 is taken: the last empty chair goes instead
    assert len(view.model.circle) == 7 and view.model.circle[0] == world.m("Li Wei")
    view.undo_stack.undo()
    view.undo_stack.undo()
    view.undo_stack.undo()
    assert view.model.circle == (None,) * 7
    assert saved_circle(world.vault, view.model.meeting_id) == [None] * 7


def test_a_circle_keeps_two_chairs(qtbot: QtBot, world: World) -> None:
    view = make_view(qtbot, world.vault, world)
    while view.remove_chair(None):
        pass
    assert len(view.model.circle) == 2
    assert "at least two" in view.message.text()


# ---------------------------------------------------------------- absent, last session


def test_absent_members_are_listed_apart_and_cannot_be_seated(qtbot: QtBot, world: World) -> None:
    jo = world.m("Jo Park")
    ops_meetings.record_attendance(world.vault, world.sessions[-1], jo.member_id, "absent_notice")
    view = make_view(qtbot, world.vault, world)
    side = view.model.side_list()
    assert jo in side.absent and jo not in side.unseated
    assert not view.drop_payload(0, payload(jo))
    assert view.model.circle[0] is None
    assert "absent" in view.message.text()
    assert len(view.model.circle) == 6  # the suggestion leaves the absent member out


def test_same_as_last_session_skips_the_absent_and_marks_nothing_moved(
    qtbot: QtBot, world: World
) -> None:
    previous, current = world.sessions[-2], world.sessions[-1]
    order = [
        world.leader,
        world.m("Maria Kowalski"),
        world.m("Tom Berg"),
        None,
        world.m("Li Wei"),
        world.m("Jo Park"),
    ]
    ops_seating.save_seating(
        world.vault,
        previous,
        [ChairSpec() if p is None else ChairSpec(p.member_id, p.clinician_id) for p in order],
    )
    ops_meetings.record_attendance(
        world.vault, current, world.member_ids["Tom Berg"], "absent_notice"
    )
    view = make_view(qtbot, world.vault, world)
    assert view.same_action.isEnabled()
    assert view.same_as_last()
    expected = [
        world.leader,
        world.m("Maria Kowalski"),
        None,
        None,
        world.m("Li Wei"),
        world.m("Jo Park"),
    ]
    assert list(view.model.circle) == expected  # Tom's chair is kept, empty
    assert saved_circle(world.vault, current) == expected
    assert not view.model.changes
    view.undo_stack.undo()
    assert view.model.circle == (None,) * 6


def test_members_who_changed_seats_since_last_time_are_marked(qtbot: QtBot, world: World) -> None:
    maria, tom = world.m("Maria Kowalski"), world.m("Tom Berg")
    ops_seating.save_seating(
        world.vault, world.sessions[-2], [ChairSpec(maria.member_id), ChairSpec(tom.member_id)]
    )
    view = make_view(qtbot, world.vault, world)
    view.drop_payload(0, payload(maria))
    view.drop_payload(3, payload(tom))
    assert view.model.changes == {tom: 1}
    assert view.scene.chairs[3].look.moved_from == 2
    assert "chair 2 last session" in view.scene.chairs[3].toolTip()
    assert view.scene.chairs[0].look.moved_from is None


def test_same_as_last_session_is_off_when_there_is_nothing_to_copy(
    qtbot: QtBot, world: World
) -> None:
    view = make_view(qtbot, world.vault, world)
    assert not view.same_action.isEnabled()
    assert not view.same_as_last()
    assert "no seating" in view.message.text()


# ---------------------------------------------------------------- reopening, sessions


def test_reopening_the_session_shows_it_exactly(
    qtbot: QtBot, world: World, tmp_path: object
) -> None:
    view = make_view(qtbot, world.vault, world)
    view.drop_payload(0, payload(world.leader))
    view.drop_payload(2, payload(world.m("Ana Lima")))
    view.add_chair(2)
    circle = view.model.circle
    path = world.vault.path
    world.vault.close()
    reopened = open_vault(path)
    try:
        again = make_view(qtbot, reopened, world)
        assert again.model.circle == circle
        assert again.model.recorded
        assert again.scene.chairs[0].look.kind == "clinician"
        assert again.scene.chairs[0].look.role == "leader"
    finally:
        reopened.close()


def test_session_picker_follows_the_context_and_tells_it(qtbot: QtBot, world: World) -> None:
    view = make_view(qtbot, world.vault, world)
    first = world.sessions[0]
    view.ctx.select_meeting(first)
    assert view.model.meeting_id == first
    assert view.session_combo.currentData() == first
    with qtbot.waitSignal(view.ctx.meeting_selected) as signal:
        view.session_combo.activated.emit(0)  # the user picks the newest
    assert signal.args == [world.sessions[-1]]
    assert view.model.meeting_id == world.sessions[-1]


def test_switching_sessions_clears_the_undo_history(qtbot: QtBot, world: World) -> None:
    view = make_view(qtbot, world.vault, world)
    view.drop_payload(0, payload(world.m("Tom Berg")))
    assert view.undo_stack.canUndo()
    view.ctx.select_meeting(world.sessions[0])
    assert not view.undo_stack.canUndo()


def test_clear_clinical_drops_everything(qtbot: QtBot, world: World) -> None:
    view = make_view(qtbot, world.vault, world)
    view.drop_payload(0, payload(world.m("Tom Berg")))
    view.clear_clinical()
    assert view.model.circle == () and view.model.people == {}
    assert view.side_list.count() == 0 and view.session_combo.count() == 0
    assert not view.scene.chairs
    assert view.counts.counts.rowCount() == 0


def test_a_cancelled_session_is_shown_read_only(qtbot: QtBot, vault: Vault) -> None:
    world = build_world(vault, sessions=1)
    cancelled = ops_meetings.schedule_meeting(
        vault, world.group_id, datetime(2025, 4, 1, 17, 0, tzinfo=UTC)
    ).value
    ops_meetings.cancel_meeting(vault, cancelled.id)
    view = make_view(qtbot, vault, world, cancelled.id)
    assert view.model.meeting_id == cancelled.id and view.model.read_only
    assert not view.drop_payload(0, payload(world.m("Tom Berg")))
    assert not view.add_action.isEnabled()
    assert "cancelled" in view.message.text()


# ---------------------------------------------------------------- keyboard


def test_keyboard_walks_the_circle_empties_and_adds(qtbot: QtBot, world: World) -> None:
    view = make_view(qtbot, world.vault, world)
    view.drop_payload(1, payload(world.m("Sam Okafor")))
    view.show()
    view.activateWindow()
    qtbot.waitActive(view)
    view.canvas.setFocus()
    view.scene.set_current(None)
    qtbot.keyClick(view.canvas, Qt.Key.Key_Right)
    assert view.scene.current == 0
    qtbot.keyClick(view.canvas, Qt.Key.Key_Right)
    assert view.scene.current == 1 and view.scene.chairs[1].current
    qtbot.keyClick(view.canvas, Qt.Key.Key_Delete)
    assert view.model.circle[1] is None
    qtbot.keyClick(view.canvas, Qt.Key.Key_Left)
    qtbot.keyClick(view.canvas, Qt.Key.Key_Left)
    assert view.scene.current == 6  # wraps round, anticlockwise
    qtbot.keyClick(view.canvas, Qt.Key.Key_Insert)
    assert len(view.model.circle) == 8
    window = view.windowHandle()  # shortcuts are matched on window-level key events
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(view.model.circle) == 7
    qtbot.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert len(view.model.circle) == 8


def test_enter_opens_a_menu_to_choose_who_sits(
    qtbot: QtBot, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = make_view(qtbot, world.vault, world)
    shown: list[list[str]] = []

    def choose(menu: QMenu, pos: QPoint) -> None:
        texts = [a.text() for a in menu.actions()]
        shown.append(texts)
        next(a for a in menu.actions() if a.text() == "Li Wei").trigger()

    monkeypatch.setattr(view, "popup", choose)
    view.canvas.setFocus()
    view.scene.set_current(2)
    qtbot.keyClick(view.canvas, Qt.Key.Key_Return)
    assert view.model.circle[2] == world.m("Li Wei")
    assert "Dr Ruth Adler" in shown[0]  # the leader can be seated too


def test_enter_on_a_listed_person_gives_them_the_first_empty_chair(
    qtbot: QtBot, world: World
) -> None:
    view = make_view(qtbot, world.vault, world)
    view.drop_payload(0, payload(world.leader))
    row = view.side_list.payloads().index(payload(world.m("Ana Lima")))
    items = [view.side_list.item(i) for i in range(view.side_list.count())]
    person_items = [it for it in items if it.data(Qt.ItemDataRole.UserRole + 1)]
    view.side_list.setCurrentItem(person_items[row])
    qtbot.keyClick(view.side_list, Qt.Key.Key_Return)
    assert view.model.circle[1] == world.m("Ana Lima")


# ---------------------------------------------------------------- names


def test_hard_names_are_elided_in_the_chair_and_whole_in_the_tooltip(
    qtbot: QtBot, vault: Vault
) -> None:
    long_name = "Maximiliana Josefina von Hohenzollern-Sigmaringen"
    names = (
        long_name,
        "\u05e9\u05e8\u05d4 \u05dc\u05d5\u05d9",
        "Zo\u00eb \U0001f33b",
        "<b>Bold</b> & Co",
    )
    world = build_world(vault, names=names, sessions=1)
    view = make_view(qtbot, vault, world)
    for i, name in enumerate(names):
        view.drop_payload(i, payload(world.m(name)))
    look = view.scene.chairs[0].look
    assert look.label == long_name
    assert "Hohenzollern-Sigmaringen" in view.scene.chairs[0].toolTip()
    tip = view.scene.chairs[3].toolTip()
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in tip  # escaped: shown literally
    menu = view.chair_menu(4)
    assert any(a.text() == "<b>Bold</b> && Co (chair 4)" for a in menu.actions())
    view.show()
    qtbot.waitExposed(view)
    view.grab()  # painting long, RTL and emoji names must not fail


def test_screen_share_safe_shows_initials_everywhere(qtbot: QtBot, world: World) -> None:
    view = make_view(qtbot, world.vault, world)
    view.drop_payload(0, payload(world.m("Maria Kowalski")))
    view.safe_action.setChecked(True)
    assert view.scene.chairs[0].look.label == "M.K."
    assert "Kowalski" not in view.scene.chairs[0].toolTip()
    listed = [view.side_list.item(i).text() for i in range(view.side_list.count())]
    assert not any("Tom" in t for t in listed) and any("T.B." in t for t in listed)
    assert view.counts.counts.data(view.counts.counts.index(0, 0)) == "M.K."


def test_a_member_archived_later_still_shows_in_old_sessions(qtbot: QtBot, world: World) -> None:
    tom = world.m("Tom Berg")
    ops_seating.save_seating(
        world.vault, world.sessions[0], [ChairSpec(tom.member_id), ChairSpec()]
    )
    membership = query(world.vault, members.membership_history, tom.member_id)[0]
    ops_roster.change_status(world.vault, membership.id, "left", date(2025, 3, 10))
    ops_roster.archive_member(world.vault, tom.member_id)
    view = make_view(qtbot, world.vault, world, world.sessions[0])
    assert view.model.circle[0] == tom
    assert view.scene.chairs[0].look.label == "Tom Berg"
    view.ctx.select_meeting(world.sessions[-1])
    assert tom not in view.model.side_list().unseated  # gone from later sessions


def test_two_and_twenty_chairs_draw(qtbot: QtBot, world: World) -> None:
    view = make_view(qtbot, world.vault, world)
    view.show()
    while view.remove_chair(None):
        pass
    assert len(view.scene.chairs) == 2
    view.grab()
    while len(view.model.circle) < 20:
        view.add_chair(None)
    assert len(view.scene.chairs) == 20
    rects = [c.sceneBoundingRect() for c in view.scene.chairs]
    assert all(view.scene.sceneRect().contains(r) for r in rects)
    bodies = [(c.pos(), c.radius) for c in view.scene.chairs]
    for i, (p, r) in enumerate(bodies):
        q, s = bodies[(i + 1) % 20]
        assert ((p - q).x() ** 2 + (p - q).y() ** 2) ** 0.5 > r + s  # neighbours apart


def test_the_room_scales_with_the_window(qtbot: QtBot, world: World) -> None:
    view = make_view(qtbot, world.vault, world)
    view.show()
    qtbot.waitExposed(view)
    small = view.canvas.transform().m11()
    view.resize(1600, 1100)
    qtbot.wait(20)
    large = view.canvas.transform().m11()
    assert large > small * 1.3
    shown = view.canvas.mapToScene(view.canvas.viewport().rect()).boundingRect()
    assert shown.contains(view.scene.sceneRect().adjusted(1, 1, -1, -1))  # all of it visible


def test_a_seated_member_recorded_absent_later_keeps_the_chair_with_a_mark(
    qtbot: QtBot, world: World
) -> None:
    view = make_view(qtbot, world.vault, world)
    tom = world.m("Tom Berg")
    view.drop_payload(2, payload(tom))
    meeting_id = view.model.meeting_id
    view.ctx.run(lambda v: ops_meetings.record_attendance(  # as the Sessions view does
        v, meeting_id, tom.member_id, "absent_no_notice"))
    assert view.model.circle[2] == tom
    assert view.scene.chairs[2].look.absent
    assert "absent" in view.scene.chairs[2].toolTip()
    assert tom not in view.model.side_list().absent  # not listed twice

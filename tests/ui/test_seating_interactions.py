"""Interaction mode: click pairs are counted, drawn, saved, undone; the counts model."""

from __future__ import annotations

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from groupleader.data.operations import query
from groupleader.data.operations import seating as ops_seating
from groupleader.data.services import seating as seating_service
from groupleader.data.snapshots import Party
from groupleader.data.vault import Vault
from groupleader.ui.seating.history import describe, load_history
from groupleader.ui.seating.interactions import CountsModel
from tests.conftest import open_vault
from tests.ui.seating_support import World, build_world, make_view, payload


def seated_view(qtbot: QtBot, world: World):
    view = make_view(qtbot, world.vault, world)
    for i, who in enumerate([world.leader, world.m("Maria Kowalski"), world.m("Tom Berg"),
                             world.m("Li Wei")]):
        view.drop_payload(i, payload(who))
    view.set_interaction_mode(True)
    return view


def test_a_speaker_then_a_listener_records_one_directed_interaction(
    qtbot: QtBot, world: World
) -> None:
    view = seated_view(qtbot, world)
    view.chair_clicked(1)  # Maria speaks
    assert view.scene.speaker == 1 and view.scene.chairs[1].speaker
    with qtbot.waitSignal(view.ctx.changed):
        view.chair_clicked(2)  # ...to Tom
    assert view.scene.speaker is None
    saved = query(world.vault, seating_service.list_interactions, view.model.meeting_id)
    assert [(i.speaker, i.to) for i in saved] == [(world.m("Maria Kowalski"), world.m("Tom Berg"))]
    assert len(view.scene.arrows) == 1 and view.scene.arrows[0].count == 1


def test_clicking_the_centre_records_speech_to_the_whole_group(
    qtbot: QtBot, world: World
) -> None:
    view = seated_view(qtbot, world)
    view.chair_clicked(0)
    view.centre_clicked()
    saved = query(world.vault, seating_service.list_interactions, view.model.meeting_id)
    assert [(i.speaker, i.to) for i in saved] == [(world.leader, None)]
    assert view.counts.counts.table_rows[0].spoke == 1


def test_clicking_the_speaker_again_or_an_empty_chair_records_nothing(
    qtbot: QtBot, world: World
) -> None:
    view = seated_view(qtbot, world)
    view.chair_clicked(1)
    view.chair_clicked(1)  # changed their mind
    assert view.scene.speaker is None
    view.chair_clicked(1)
    view.chair_clicked(5)  # an empty chair
    assert query(world.vault, seating_service.list_interactions, view.model.meeting_id) == []
    assert "empty" in view.message.text()


def test_repeated_pairs_widen_the_arrow_and_undo_removes_the_last(
    qtbot: QtBot, world: World
) -> None:
    view = seated_view(qtbot, world)
    for _ in range(3):
        view.chair_clicked(3)
        view.chair_clicked(0)
    view.chair_clicked(0)
    view.chair_clicked(3)
    widths = {a.count: a.width for a in view.scene.arrows}
    assert set(widths) == {3, 1} and widths[3] > widths[1]
    view.undo_stack.undo()  # removes leader -> Li Wei, the most recent
    saved = query(world.vault, seating_service.list_interactions, view.model.meeting_id)
    assert len(saved) == 3 and all(i.speaker == world.m("Li Wei") for i in saved)
    assert [a.count for a in view.scene.arrows] == [3]
    view.undo_stack.redo()
    assert len(query(world.vault, seating_service.list_interactions, view.model.meeting_id)) == 4


def test_interactions_are_counted_saved_and_shown_again_after_reopening(
    qtbot: QtBot, world: World
) -> None:
    view = seated_view(qtbot, world)
    pairs = [(1, 2), (2, 1), (1, 2), (3, None), (0, 1)]
    for speaker, to in pairs:
        view.chair_clicked(speaker)
        if to is None:
            view.centre_clicked()
        else:
            view.chair_clicked(to)
    rows = {r.party: (r.spoke, r.spoken_to) for r in view.counts.counts.table_rows}
    maria, tom, li = world.m("Maria Kowalski"), world.m("Tom Berg"), world.m("Li Wei")
    assert rows == {world.leader: (1, 0), maria: (2, 2), tom: (1, 2), li: (1, 0)}
    path, meeting = world.vault.path, view.model.meeting_id
    world.vault.close()
    reopened = open_vault(path)
    try:
        again = make_view(qtbot, reopened, world)
        assert again.model.meeting_id == meeting
        assert {r.party: (r.spoke, r.spoken_to) for r in again.counts.counts.table_rows} == rows
        assert sorted(a.count for a in again.scene.arrows) == [1, 1, 1, 2]  # Maria->Tom x2
    finally:
        reopened.close()


def test_quiet_members_are_listed_with_zeros(qtbot: QtBot, world: World) -> None:
    view = seated_view(qtbot, world)
    view.chair_clicked(1)
    view.chair_clicked(2)
    counts = view.counts.counts
    li_row = next(i for i, r in enumerate(counts.table_rows) if r.party == world.m("Li Wei"))
    assert counts.data(counts.index(li_row, 1)) == 0
    assert counts.data(counts.index(li_row, 2)) == 0
    assert counts.data(counts.index(li_row, 1), 8) is not None  # BackgroundRole: marked quiet
    leader_row = next(i for i, r in enumerate(counts.table_rows) if r.party == world.leader)
    assert counts.table_rows[leader_row].spoke == 0
    assert counts.data(counts.index(leader_row, 1), 8) is None  # a leader is not "quiet"
    assert "has not spoken" not in counts.data(counts.index(leader_row, 0), 3)  # tooltip
    assert "Members not yet spoken: 2." in view.counts.summary.text()  # Tom and Li


def test_keyboard_records_an_interaction(qtbot: QtBot, world: World) -> None:
    view = seated_view(qtbot, world)
    view.scene.set_current(1)
    view.key_action("activate")  # Maria
    view.key_action("last")  # the last chair; in interaction mode the centre comes next
    view.key_action("next")
    assert view.scene.centre_current
    view.key_action("activate")
    saved = query(world.vault, seating_service.list_interactions, view.model.meeting_id)
    assert [(i.speaker, i.to) for i in saved] == [(world.m("Maria Kowalski"), None)]


def test_counts_model_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, world: World
) -> None:
    view = seated_view(qtbot, world)
    model: CountsModel = view.counts.counts
    qtmodeltester.check(model, force_py=True)
    view.chair_clicked(1)
    view.chair_clicked(2)
    view.drop_payload(5, payload(world.m("Jo Park")))  # a new row
    view.undo_stack.undo()
    view.undo_stack.undo()
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 4


def test_seat_history_shows_chairs_and_neighbours_newest_first(vault: Vault) -> None:
    w = build_world(vault, sessions=3)
    maria, tom, li = w.m("Maria Kowalski"), w.m("Tom Berg"), w.m("Li Wei")

    def seat(meeting_id: int, circle: list[Party | None]) -> None:
        from groupleader.data.snapshots import ChairSpec

        ops_seating.save_seating(vault, meeting_id, [
            ChairSpec() if p is None else ChairSpec(p.member_id, p.clinician_id)
            for p in circle])

    seat(w.sessions[0], [maria, tom, li, None])
    seat(w.sessions[2], [tom, None, maria])
    from groupleader.data.services import meetings

    snaps = list(reversed(query(vault, meetings.list_meetings, w.group_id)))
    rows, people = load_history(vault, maria, snaps, snaps[0])
    assert [r.meeting.number for r in rows] == [3, 2, 1]
    assert describe(rows[0], people, safe=False) == ("3 of 3", "Tom Berg, (empty chair)")
    assert describe(rows[1], people, safe=False) == ("no seating recorded", "")
    assert describe(rows[2], people, safe=False) == ("1 of 4", "Tom Berg, (empty chair)")
    assert describe(rows[2], people, safe=True)[1] == "T.B., (empty chair)"

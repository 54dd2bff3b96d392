"""The Measures tab: due list, a whole PHQ-9 typed in nine keypresses and saved (its risk
item opening a risk entry), the trends, and a new instrument added as a definition only."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from groupleader.data.measures_csv import export_rows
from groupleader.data.operations import measures as ops
from groupleader.data.operations import query
from groupleader.data.services import measures, risk
from groupleader.data.vault import Vault
from groupleader.measures import registry
from groupleader.measures.definition import parse_definition
from groupleader.ui.context import AppContext
from groupleader.ui.measures.view import MeasuresView
from groupleader.ui.settings import Settings
from tests.ui.conftest import Messages
from tests.ui.seating_support import World


def make_view(qtbot: QtBot, vault: Vault, world: World) -> MeasuresView:
    ctx = AppContext(Settings(path=vault.path.with_name("settings.ini")))
    ctx.vault = vault
    view = MeasuresView(ctx)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    view.set_group(world.group_id)
    return view


def test_a_whole_phq9_in_nine_keypresses_saved_with_its_risk_entry(
        qtbot: QtBot, vault: Vault, world: World) -> None:
    ops.set_group_instruments(vault, world.group_id, [("phq9", "every_session")])
    view = make_view(qtbot, vault, world)
    assert view.due.count() == len(world.member_ids)
    first = view.due.item(0)
    assert "PHQ-9" in first.text() and "due" in first.text()
    view._due_chosen(first)
    member_id = view.member_id()
    assert view.entry.items is not None and view.entry.instrument.key == "phq9"
    for ch in "211021102":
        qtbot.keyClick(view.entry.items, ch)
    qtbot.keyClick(view.entry.items, Qt.Key.Key_Return)  # saves
    meeting_id = view.meeting_id()
    assert meeting_id is not None
    [score] = query(vault, measures.scores_for_meeting, meeting_id)
    assert score.member_id == member_id and score.answers == (2, 1, 1, 0, 2, 1, 1, 0, 2)
    assert score.total == 10
    [entry] = query(vault, risk.entries_for_meeting, meeting_id)
    assert entry.member_id == member_id and "PHQ-9 item 9" in entry.observed
    assert "opened a risk entry" in view.message.text()
    assert "entered" in view.due.item(0).text()
    assert view.member_id() != member_id  # on to the next member still due
    view._due_chosen(view.due.item(0))
    assert [c.trend.title for c in view.member_trends.charts
            if c.trend is not None] == ["PHQ-9"]


def test_the_groups_questionnaires_are_set_in_a_dialog(qtbot: QtBot, vault: Vault,
                                                       world: World) -> None:
    view = make_view(qtbot, vault, world)

    def choose(dialog: Any) -> int:
        dialog.choices["core10"].setCurrentIndex(dialog.choices["core10"].findData("monthly"))
        return 1

    view.exec_dialog = choose
    view.edit_instruments()
    assert [(g.instrument, g.schedule) for g in query(
        vault, measures.group_instruments, world.group_id)] == [("core10", "monthly")]
    assert "CORE-10" in view.due.item(0).text()


def test_a_new_instrument_added_as_a_definition_only_appears_in_entry_trends_and_export(
        qtbot: QtBot, vault: Vault, world: World, tmp_path: Path, messages: Messages) -> None:
    registry.add(parse_definition({
        "key": "calm4", "name": "CALM-4", "items": ["Calm", "Rested", "Focused", "Hopeful"],
        "options": [{"value": v, "label": f"level {v}"} for v in range(4)],
        "scoring": "sum", "higher_is": "better", "reliable_change": 3, "cutoff": 6,
        "bands": [{"from": 0, "label": "Unsettled"}, {"from": 6, "label": "Settled"}],
        "missing": {"prorate_up_to": 1, "when_more": "incomplete"},
        "attribution": "A made-up test instrument.", "licence": "None needed."}))
    try:
        ops.set_group_instruments(vault, world.group_id, [("calm4", "every_session")])
        view = make_view(qtbot, vault, world)
        assert view.entry.combo.findText("CALM-4") >= 0  # entry
        view._due_chosen(view.due.item(0))
        for ch in "1111":
            qtbot.keyClick(view.entry.items, ch)
        view.save_form()
        assert view.entry.combo.currentText() == "CALM-4"
        view._due_chosen(view.due.item(0))  # back to the member just saved
        charts = view.member_trends.charts  # trends
        assert [c.trend.title for c in charts if c.trend is not None] == ["CALM-4"]
        assert {s.name() for s in charts[0].chart().series()} >= {"Total", "Cut-off 6"}
        rows = query(vault, export_rows, world.group_id)  # export
        assert [r[3] for r in rows[1:]] == ["CALM-4"] and rows[1][6] == "4"
        dest = tmp_path / "scores.csv"
        messages.choices = ["pseudonyms"]
        view.export_csv(dest)
        with dest.open(encoding="utf-8-sig", newline="") as f:
            assert [r[3] for r in csv.reader(f)][1:] == ["CALM-4"]
    finally:
        registry.remove("calm4")


def test_the_roster_member_details_show_the_members_trend_chart(
        qtbot: QtBot, vault: Vault, world: World) -> None:
    from groupleader.ui.roster.detail import MemberDetail

    member_id = world.member_ids["Tom Berg"]
    for mid, total in zip(world.sessions, (21, 17, 12), strict=True):
        ops.save_score(vault, mid, member_id, "core10", total=total)
    detail = MemberDetail()
    qtbot.addWidget(detail)
    detail.show_trends(query(vault, measures.member_trends, member_id, world.group_id))
    [chart] = detail.trend_charts
    assert chart.chart().title() == "CORE-10"
    assert "Reliable improvement" in [s.name() for s in chart.chart().series()]
    detail.clear()
    assert detail.trend_charts == []



def test_goals_are_set_in_the_measures_tab_with_their_history(
        qtbot: QtBot, vault: Vault, world: World) -> None:
    from groupleader.data.services import goals, meetings

    view = make_view(qtbot, vault, world)
    member_id, meeting_id = view.member_id(), view.meeting_id()
    ms = next(e.membership_id for e in query(vault, meetings.eligible_members, meeting_id)
              if e.member_id == member_id)

    def fill(text: str) -> Any:
        def run(dialog: Any) -> int:
            dialog.texts[0].setText(text)
            dialog.texts[1].setText("Sleep before midnight")
            dialog.scales[1].setCurrentIndex(dialog.scales[1].findData("zero_ten"))
            return 1
        return run

    view.exec_dialog = fill("Say no once")
    view.edit_goals()
    view.exec_dialog = fill("Say no without apologising")
    view.edit_goals()
    assert "Goals saved" in view.message.text()
    assert [(g.text, g.scale) for g in query(vault, goals.goals, ms)] == [
        ("Say no without apologising", "direction"), ("Sleep before midnight", "zero_ten")]
    assert [g.text for g in query(vault, goals.goals, ms, True) if g.replaced_on] == [
        "Say no once"]


def test_each_member_note_rates_the_members_goals(qtbot: QtBot, vault: Vault) -> None:
    from datetime import date

    from groupleader.data.measures_snapshots import GoalSpec
    from groupleader.data.services import goals, meetings
    from groupleader.ui.sessions import SessionsView
    from tests.ui.sessions_support import build, context

    w = build(vault)
    first = w.member_ids[0]
    ms = next(e.membership_id for e in query(vault, meetings.eligible_members, w.meeting_id)
              if e.member_id == first)
    ops.set_goals(vault, ms, [GoalSpec(1, "Say no without apologising"),
                              GoalSpec(2, "Sleep before midnight", "zero_ten")],
                  date.today() - timedelta(days=30))
    view = SessionsView(context(vault, w.leader_id))
    qtbot.addWidget(view)
    view.set_group(w.group_id)
    view.tabs.setCurrentIndex(1)
    view.attendance.everyone_present()
    editor = view.member_notes.editor(first)
    assert editor is not None and editor.goals.isVisibleTo(editor)
    combos = list(editor.goals.combos.values())
    assert [c.count() for c in combos] == [4, 12]  # not rated + worse/same/better; + 0..10
    combos[0].setCurrentIndex(combos[0].findText("better"))
    combos[1].setCurrentIndex(combos[1].findText("7"))
    assert [(r.goal.text, r.value) for r in query(vault, goals.goals_at, ms, w.meeting_id)] == [
        ("Say no without apologising", 1), ("Sleep before midnight", 7)]
    other = view.member_notes.editor(w.member_ids[1])
    assert other is not None and not other.goals.isVisibleTo(other)  # no goals, none due
    ops.set_group_instruments(vault, w.group_id, [("phq9", "every_session")])
    ops.save_score(vault, w.meeting_id, first, "phq9", total=4)
    view.set_group(None)
    view.set_group(w.group_id)
    for member_id, shown in ((first, "Questionnaires due: PHQ-9 (entered)"),
                             (w.member_ids[1], "Questionnaires due: PHQ-9")):
        editor = view.member_notes.editor(member_id)
        assert editor is not None
        assert editor.goals.isVisibleTo(editor)
        assert editor.goals.due.text() == shown


def test_screen_share_safe_shows_pseudonyms_not_names(qtbot: QtBot, vault: Vault,
                                                      world: World) -> None:
    ops.set_group_instruments(vault, world.group_id, [("gad7", "monthly")])
    view = make_view(qtbot, vault, world)
    texts = [view.due.item(i).text() for i in range(view.due.count())]
    assert any("Maria Kowalski" in t for t in texts)
    view.ctx.settings.screen_share_safe = True
    view.ctx.settings_changed.emit()
    texts = [view.due.item(i).text() for i in range(view.due.count())]
    combo = [view.member.itemText(i) for i in range(view.member.count())]
    assert not any(n in t for n in world.member_ids for t in texts + combo)
    assert "M.K.: GAD-7 (first this month) – due" in texts

"""Measures in the vault: a group's questionnaires and schedule, members' forms, who is
due, goals with history and their ratings, the scores CSV."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from groupleader.data.measures_csv import export_rows, scores_csv_bytes
from groupleader.data.measures_snapshots import GoalSpec
from groupleader.data.operations import measures as ops
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import query
from groupleader.data.operations import roster as ops_roster
from groupleader.data.services import goals, measures
from groupleader.data.snapshots import MemberSpec
from groupleader.data.vault import Vault
from groupleader.errors import InvalidInput
from tests.data.conftest import PAST_SESSION, World


def weekly_sessions(vault: Vault, world: World, n: int) -> list[int]:
    """`n` more held sessions, a week apart after the world's one."""
    ids = []
    for i in range(1, n + 1):
        mid = ops_meetings.schedule_meeting(
            vault, world.group, PAST_SESSION + timedelta(weeks=i)).value.id
        ops_meetings.hold_meeting(vault, mid)
        ids.append(mid)
    return ids


def test_a_form_is_scored_and_stored_with_its_answers(vault: Vault, world: World) -> None:
    saved = ops.save_score(vault, world.held, world.anna, "core10",
                           answers=[1, 4, 4, 1, 1, 0, 1, 1, 1, 1]).value
    assert saved.score.total == 7 and saved.score.status == "complete"
    again = query(vault, measures.scores_for_meeting, world.held)
    assert [(s.member_id, s.instrument, s.answers) for s in again] == [
        (world.anna, "core10", (1, 4, 4, 1, 1, 0, 1, 1, 1, 1))]
    # saved again: replaced, not added
    ops.save_score(vault, world.held, world.anna, "core10", total=18)
    [only] = query(vault, measures.scores_for_meeting, world.held)
    assert only.total == 18 and only.answers is None and only.status == "total only"


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"instrument": "nope", "total": 3}, "instrument"),
    ({"instrument": "phq9", "answers": [0] * 8}, "answers"),
    ({"instrument": "phq9", "total": 30}, "total"),
    ({"instrument": "phq9"}, "answers"),
])
def test_bad_forms_are_refused_and_change_nothing(vault: Vault, world: World,
                                                  kwargs: dict, field: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(InvalidInput) as e:
        ops.save_score(vault, world.held, world.anna, **kwargs)
    assert e.value.field == field
    assert query(vault, measures.scores_for_meeting, world.held) == []


def test_a_member_outside_the_group_has_no_form(vault: Vault, world: World) -> None:
    with pytest.raises(InvalidInput):
        ops.save_score(vault, world.held, world.outsider, "phq9", total=4)


def test_member_trends_follow_the_sessions_with_reliable_change(vault: Vault,
                                                                world: World) -> None:
    sessions = [world.held, *weekly_sessions(vault, world, 3)]
    for mid, total in zip(sessions, (22, 19, 15, 9), strict=True):
        ops.save_score(vault, mid, world.anna, "core10", total=total)
    [trend] = query(vault, measures.member_trends, world.anna, world.group)
    assert [p.value for p in trend.series[0].points] == [22, 19, 15, 9]
    assert [p.marker for p in trend.series[0].points] == ["", "", "improved", "recovered"]
    assert query(vault, measures.member_trends, world.bo, world.group) == []


def test_group_climate_is_the_mean_of_the_members_valid_forms(vault: Vault,
                                                              world: World) -> None:
    ops.save_score(vault, world.held, world.anna, "gcqs",
                   answers=[6, 6, 0, 6, 0, 0, 0, 6, 0, 0, 6, 0])
    ops.save_score(vault, world.held, world.bo, "gcqs",
                   answers=[2, 2, None, 2, None, 4, 4, 2, None, 4, 2, 4])
    [trend] = query(vault, measures.group_climate, world.group)
    values = {s.key: [p.value for p in s.points] for s in trend.series}
    assert values == {"engaged": [4.0], "avoiding": [0.0], "conflict": [2.0]}


def test_who_is_due_follows_the_groups_schedule(vault: Vault, world: World) -> None:
    later = weekly_sessions(vault, world, 5)  # 11 Mar ... 8 Apr 2025
    ops.set_group_instruments(vault, world.group, [
        ("phq9", "every_session"), ("core10", "monthly"), ("gcqs", "join_leave")])
    first = query(vault, measures.due, world.held)
    assert {(d.member_name, d.instrument, d.reason) for d in first} == {
        (n, i, r) for n in ("Annie", "Bo Kim")
        for i, r in (("phq9", "every session"), ("core10", "first this month"),
                     ("gcqs", "joining"))}
    assert not any(d.entered for d in first)
    ops.save_score(vault, world.held, world.anna, "core10", total=12)
    ops.save_score(vault, world.held, world.anna, "gcqs", answers=[3] * 12)
    assert any(d.entered and d.instrument == "core10"
               for d in query(vault, measures.due, world.held))
    march = query(vault, measures.due, later[0])
    assert {(d.member_name, d.instrument) for d in march if d.member_name == "Annie"} == {
        ("Annie", "phq9")}
    april = query(vault, measures.due, later[4])  # 8 Apr: a new month
    assert ("Annie", "core10") in {(d.member_name, d.instrument) for d in april}
    # Anna leaves on 1 Apr: the session of 1 Apr is her last, so GCQ-S is due there
    ops_roster.change_status(vault, world.memberships[world.anna], "left", date(2025, 4, 1))
    leaving = query(vault, measures.due, later[3])
    assert ("Annie", "gcqs", "leaving") in {(d.member_name, d.instrument, d.reason)
                                            for d in leaving}
    assert "Annie" not in {d.member_name for d in query(vault, measures.due, later[4])}


def test_a_group_can_choose_each_instrument_once_with_a_known_schedule(
        vault: Vault, world: World) -> None:
    with pytest.raises(InvalidInput):
        ops.set_group_instruments(vault, world.group, [("phq9", "weekly")])
    with pytest.raises(InvalidInput):
        ops.set_group_instruments(vault, world.group, [("phq9", "monthly"),
                                                       ("phq9", "every_session")])
    done = ops.set_group_instruments(vault, world.group, [("gad7", "monthly")]).value
    assert [(g.instrument, g.schedule) for g in done] == [("gad7", "monthly")]


def test_goals_keep_their_history_and_each_session_rates_the_wording_in_force(
        vault: Vault, world: World) -> None:
    ms = world.memberships[world.anna]
    set_on = date(2025, 3, 1)
    ops.set_goals(vault, ms, [GoalSpec(1, "Speak up once a session"),
                              GoalSpec(2, "Sleep better", "zero_ten")], set_on)
    [g1, g2] = query(vault, goals.goals_at, ms, world.held)
    ops.rate_goal(vault, g1.goal.id, world.held, 1)
    ops.rate_goal(vault, g2.goal.id, world.held, 6)
    with pytest.raises(InvalidInput):
        ops.rate_goal(vault, g2.goal.id, world.held, 11)
    with pytest.raises(InvalidInput):
        ops.rate_goal(vault, g1.goal.id, world.held, 2)
    [next_one] = weekly_sessions(vault, world, 1)
    ops.set_goals(vault, ms, [GoalSpec(1, "Speak up twice a session"),
                              GoalSpec(2, "Sleep better", "zero_ten")], date(2025, 3, 5))
    now = query(vault, goals.goals, ms)
    assert [g.text for g in now] == ["Speak up twice a session", "Sleep better"]
    history = query(vault, goals.goals, ms, True)
    assert [(g.text, g.replaced_on) for g in history if g.position == 1] == [
        ("Speak up once a session", date(2025, 3, 5)), ("Speak up twice a session", None)]
    at_first = query(vault, goals.goals_at, ms, world.held)
    assert [(r.goal.text, r.value) for r in at_first] == [
        ("Speak up once a session", 1), ("Sleep better", 6)]
    at_next = query(vault, goals.goals_at, ms, next_one)
    assert [(r.goal.text, r.value) for r in at_next] == [
        ("Speak up twice a session", None), ("Sleep better", None)]
    with pytest.raises(InvalidInput):
        ops.set_goals(vault, ms, [GoalSpec(4, "Too many")], set_on)


def test_scores_csv_has_a_row_per_member_session_and_instrument_escaped(
        vault: Vault, world: World) -> None:
    later = weekly_sessions(vault, world, 1)
    ops_roster.update_member(vault, world.bo, MemberSpec("=HYPERLINK()"))
    ops.save_score(vault, world.held, world.anna, "phq9", answers=[2, 2, 2, 2, 2, 2, 2, 2, None])
    ops.save_score(vault, later[0], world.anna, "phq9", total=9)
    ops.save_score(vault, world.held, world.bo, "gcqs", answers=[3] * 12)
    rows = query(vault, export_rows, world.group)
    header = rows[0]
    assert header[:4] == ["member", "session", "date", "instrument"]
    assert "GCQ-S Engaged" in header and header[-1] == "answers"
    body = [dict(zip(header, r, strict=True)) for r in rows[1:]]
    assert [(r["member"], r["session"], r["instrument"]) for r in body] == [
        ("Anna Lee", "1", "PHQ-9"), ("=HYPERLINK()", "1", "GCQ-S"), ("Anna Lee", "2", "PHQ-9")]
    assert body[0]["total"] == "18" and body[0]["status"] == "prorated"
    assert body[0]["answers"] == "2 2 2 2 2 2 2 2 -" and body[0]["band"] == "Moderately severe"
    assert body[2]["change from first"] == "-9" and body[2]["reliable change"] == "improved"
    assert body[1]["GCQ-S Engaged"] == "3"
    text = scores_csv_bytes_text(vault, world.group)
    assert "'=HYPERLINK()" in text


def scores_csv_bytes_text(vault: Vault, group_id: int) -> str:
    data = query(vault, scores_csv_bytes, group_id)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return "\n".join(",".join(r) for r in rows)



def test_a_risk_item_above_0_opens_a_risk_entry_quoting_the_answer(vault: Vault,
                                                                   world: World) -> None:
    from groupleader.data.services import risk

    saved = ops.save_score(vault, world.held, world.anna, "phq9",
                           answers=[1, 1, 1, 1, 1, 1, 1, 1, 2]).value
    [entry] = query(vault, risk.entries_for_meeting, world.held)
    assert saved.risk_entries == (entry.id,)
    assert entry.member_id == world.anna and entry.kind == "self_harm"
    assert entry.level == "moderate"
    assert "PHQ-9 item 9" in entry.observed and "More than half the days" in entry.observed
    # the same form saved again opens no second entry
    ops.save_score(vault, world.held, world.anna, "phq9", answers=[1, 1, 1, 1, 1, 1, 1, 1, 2])
    assert len(query(vault, risk.entries_for_meeting, world.held)) == 1
    # CORE-10 item 6 at its top answer: a high-level entry
    core = ops.save_score(vault, world.held, world.bo, "core10",
                          answers=[2, 2, 2, 2, 2, 4, 2, 2, 2, 2]).value
    [high] = [e for e in query(vault, risk.entries_for_meeting, world.held)
              if e.id in core.risk_entries]
    assert high.level == "high" and "I made plans to end my life" in high.observed
    # no risk answer, no entry
    ops.save_score(vault, world.held, world.bo, "gad7", answers=[3] * 7)
    assert len(query(vault, risk.entries_for_meeting, world.held)) == 2

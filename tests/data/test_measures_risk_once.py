"""A risk answer reaches the register exactly once: saving the same answer again, after a
total only, or after the form was deleted opens no second entry; on a form of a signed
session (its scores stay writable, its risk entries are locked) the answer becomes a
review of the member's open entry, or else an entry in the group's next unsigned session,
and with neither the form is refused as a whole."""

from __future__ import annotations

from datetime import timedelta

import pytest

from groupleader.data.operations import measures as ops
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.services import measures, risk
from groupleader.data.snapshots import GroupNoteFields
from groupleader.data.vault import Vault
from groupleader.errors import InvalidInput
from tests.conftest import PIN
from tests.data.conftest import PAST_SESSION, World

RISKY = [1, 1, 1, 1, 1, 1, 1, 1, 1]  # PHQ-9 item 9 answered 1


def _entries(vault: Vault, world: World) -> list[str]:
    return [e.observed for e in query(vault, risk.member_entries, world.anna)]


def test_the_same_answer_after_a_total_only_opens_no_second_entry(
        vault: Vault, world: World) -> None:
    ops.save_score(vault, world.held, world.anna, "phq9", answers=RISKY)
    ops.save_score(vault, world.held, world.anna, "phq9", total=9)
    again = ops.save_score(vault, world.held, world.anna, "phq9", answers=RISKY).value
    assert again.risk_entries == () and len(_entries(vault, world)) == 1


def test_the_same_answer_after_the_form_was_deleted_opens_no_second_entry(
        vault: Vault, world: World) -> None:
    saved = ops.save_score(vault, world.held, world.anna, "phq9", answers=RISKY).value
    ops.delete_score(vault, saved.score.id)
    ops.save_score(vault, world.held, world.anna, "phq9", answers=RISKY)
    assert len(_entries(vault, world)) == 1


def _sign(vault: Vault, world: World) -> None:
    note = ops_notes.save_group_note(vault, world.held, GroupNoteFields(themes="Trust")).value
    ops_notes.sign_note(vault, "group", note.id, world.lead, pin=PIN)


def test_a_risk_answer_on_a_signed_sessions_form_goes_to_the_next_unsigned_session(
        vault: Vault, world: World) -> None:
    later = ops_meetings.schedule_meeting(
        vault, world.group, PAST_SESSION + timedelta(weeks=1)).value.id
    _sign(vault, world)
    saved = ops.save_score(vault, world.held, world.anna, "phq9", answers=RISKY).value
    [entry] = query(vault, risk.member_entries, world.anna)
    assert saved.risk_entries == (entry.id,) and entry.meeting_id == later
    assert "PHQ-9 item 9" in entry.observed and "after that session was signed" in entry.observed
    ops.save_score(vault, world.held, world.anna, "phq9", answers=RISKY)  # once only
    assert len(_entries(vault, world)) == 1
    [score] = query(vault, measures.scores_for_meeting, world.held)
    assert score.answers == tuple(RISKY)


def test_a_risk_answer_on_a_signed_sessions_form_reviews_the_open_entry(
        vault: Vault, world: World) -> None:
    recent = _recent_session(vault, world, 2)
    ops.save_score(vault, recent, world.anna, "core10",
                   answers=[1, 1, 1, 1, 1, 2, 1, 1, 1, 1])  # item 6: an entry, due soon
    _sign(vault, world)
    ops.save_score(vault, world.held, world.anna, "phq9", answers=RISKY)
    [entry] = query(vault, risk.member_entries, world.anna)
    assert any("PHQ-9 item 9" in r.note for r in entry.reviews)


def test_with_nowhere_for_the_risk_entry_the_form_is_refused_saying_why(
        vault: Vault, world: World) -> None:
    _sign(vault, world)
    with pytest.raises(InvalidInput, match="risk item 9"):
        ops.save_score(vault, world.held, world.anna, "phq9", answers=RISKY)
    assert query(vault, measures.scores_for_meeting, world.held) == []
    ops.save_score(vault, world.held, world.anna, "phq9", total=4)  # no risk answer: saved
    [score] = query(vault, measures.scores_for_meeting, world.held)
    assert score.values["total"] == 4


def test_no_form_for_a_session_further_ahead_than_attendance_allows(
        vault: Vault, world: World) -> None:
    from groupleader.data import clock

    ahead = ops_meetings.schedule_meeting(
        vault, world.group, clock.now() + timedelta(weeks=60)).value.id
    with pytest.raises(InvalidInput, match="Enter its questionnaires on the day"):
        ops.save_score(vault, ahead, world.anna, "phq9", total=4)
    assert query(vault, measures.scores_for_meeting, ahead) == []


# ------------------------------------------------ late forms (b17 findings 1 to 3)

LATE_TOP = [0, 0, 0, 0, 0, 0, 0, 0, 3]  # item 9 at its top answer: level high
LATE_LOW = [0, 0, 0, 0, 0, 0, 0, 0, 1]  # item 9 answered 1: level moderate


def _recent_session(vault: Vault, world: World, days_ago: int) -> int:
    from groupleader.data import clock

    mid = ops_meetings.schedule_meeting(
        vault, world.group, clock.now() - timedelta(days=days_ago)).value.id
    ops_meetings.hold_meeting(vault, mid)
    return mid


def test_a_late_low_answer_never_lowers_the_open_entry_nor_puts_its_review_later(
        vault: Vault, world: World) -> None:
    recent = _recent_session(vault, world, 2)
    ops.save_score(vault, recent, world.anna, "phq9", answers=LATE_TOP)  # high, review soon
    [before] = query(vault, risk.member_entries, world.anna)
    _sign(vault, world)
    saved = ops.save_score(vault, world.held, world.anna, "phq9", answers=LATE_LOW).value
    [after] = query(vault, risk.member_entries, world.anna)
    assert after.id == before.id and after.reviews, "recorded as a review of the open entry"
    assert after.current_level == "high"
    assert before.current_review_by is not None and after.current_review_by is not None
    assert after.current_review_by <= before.current_review_by
    assert saved.risk_done and saved.risk_done[0].startswith("added a review to the open")


def test_a_late_answer_opens_its_own_entry_beside_an_entry_of_another_kind(
        vault: Vault, world: World) -> None:
    from groupleader.data.operations import register as ops_register
    from groupleader.data.register_snapshots import RiskEntrySpec

    recent = _recent_session(vault, world, 2)
    ops_register.open_risk_entry(vault, recent, world.anna, RiskEntrySpec(
        kind="substance_use", level="low", observed="Drinks before sessions."))
    _sign(vault, world)
    saved = ops.save_score(vault, world.held, world.anna, "phq9", answers=LATE_TOP).value
    entries = query(vault, risk.member_entries, world.anna)
    assert sorted(e.kind for e in entries) == ["self_harm", "substance_use"]
    [other] = [e for e in entries if e.kind == "substance_use"]
    assert other.reviews == () and other.current_level == "low"
    assert saved.risk_done[0].startswith("opened a risk entry")


def test_a_late_answer_shows_today_when_the_next_session_is_still_to_come(
        vault: Vault, world: World) -> None:
    from groupleader.data import clock

    ops_meetings.schedule_meeting(vault, world.group, clock.now() + timedelta(days=1))
    _sign(vault, world)
    ops.save_score(vault, world.held, world.anna, "phq9", answers=LATE_TOP)
    today = clock.today()
    [entry] = query(vault, risk.open_entries_for, world.anna, today, world.group)
    assert entry.opened_on == today and entry.current_level == "high"
    figures, _ = query(vault, risk.roster_figures, world.group, today)
    assert figures[world.anna].open == 1


def test_a_late_answer_goes_to_the_latest_unsigned_held_session_first(
        vault: Vault, world: World) -> None:
    from groupleader.data import clock

    recent = _recent_session(vault, world, 20)
    ops_meetings.schedule_meeting(vault, world.group, clock.now() + timedelta(days=1))
    _sign(vault, world)
    ops.save_score(vault, world.held, world.anna, "phq9", answers=LATE_TOP)
    [entry] = query(vault, risk.member_entries, world.anna)
    assert entry.meeting_id == recent and entry.opened_on <= clock.today()


def test_the_late_answer_opens_one_entry_whatever_is_saved_after_it(
        vault: Vault, world: World) -> None:
    from groupleader.data import clock

    ops_meetings.schedule_meeting(vault, world.group, clock.now() + timedelta(days=1))
    _sign(vault, world)
    saved = ops.save_score(vault, world.held, world.anna, "phq9", answers=LATE_TOP).value
    ops.save_score(vault, world.held, world.anna, "phq9", total=12)
    again = ops.save_score(vault, world.held, world.anna, "phq9", answers=LATE_TOP).value
    ops.delete_score(vault, again.score.id)
    last = ops.save_score(vault, world.held, world.anna, "phq9", answers=LATE_TOP).value
    assert saved.risk_entries and again.risk_entries == () and last.risk_entries == ()
    assert len(_entries(vault, world)) == 1

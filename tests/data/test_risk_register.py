"""The risk register, the agreement, boundary incidents and attendance details (issue 16):
an entry stays open across sessions until a closing review with its note; overdue is
flagged; an incident shows in each member's history; a signed session locks all of it,
and `verify` names a risk entry changed after signing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import exc, text

from groupleader import register_vocab
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.operations import register as ops
from groupleader.data.register_snapshots import (
    AttendanceDetails,
    IncidentSpec,
    RiskEntrySpec,
    RuleSpec,
)
from groupleader.data.services import agreement, meetings, risk
from groupleader.data.snapshots import GroupNoteFields
from groupleader.data.vault import Vault
from groupleader.errors import InvalidInput, SessionLocked
from tests.conftest import PASSPHRASE, PIN, TEST_KDF_ITER, open_vault
from tests.data.conftest import PAST_SESSION, World, make_world
from tests.data.test_verify_tamper import raw

DAY1 = PAST_SESSION.astimezone().date()


def _sessions(vault: Vault, world: World, count: int = 3) -> list[int]:
    """Session 1 (the world's) and weekly sessions after it, all held."""
    ids = [world.held]
    for week in range(1, count):
        m = ops_meetings.schedule_meeting(vault, world.group,
                                          PAST_SESSION + timedelta(weeks=week)).value.id
        ops_meetings.hold_meeting(vault, m)
        ids.append(m)
    return ids


def _open(vault: Vault, world: World, meeting_id: int, **kw: object) -> int:
    spec = RiskEntrySpec(kind="self_harm", level="moderate",
                         observed="Passive ideation mentioned", action_taken="Safety plan",
                         **kw)  # type: ignore[arg-type]
    return ops.open_risk_entry(vault, meeting_id, world.anna, spec).value.id


def test_entry_stays_open_in_later_sessions_until_closed(vault: Vault, world: World) -> None:
    s1, s2, s3 = _sessions(vault, world)
    entry_id = _open(vault, world, s1)
    entry = query(vault, risk.get_entry, entry_id)
    assert entry.opened_on == DAY1 and entry.review_by == DAY1 + timedelta(days=7)
    assert entry.line(DAY1) == (f"open since {register_vocab.short_date(DAY1)}, review by "
                                f"{register_vocab.short_date(DAY1 + timedelta(days=7))}")
    for week in (1, 2):  # sessions 2 and 3: still open, for Anna only
        day = DAY1 + timedelta(weeks=week)
        assert [e.id for e in query(vault, risk.open_entries_for, world.anna, day)] == [entry_id]
        assert list(query(vault, risk.open_entries_in_group, world.group, day)) == [world.anna]
    ops.close_risk_entry(vault, entry_id, DAY1 + timedelta(weeks=2), "Plan held; resolved",
                         meeting_id=s3)
    assert query(vault, risk.open_entries_for, world.anna, DAY1 + timedelta(weeks=3)) == []
    # read as of session 2 it was still open (a summary printed later says what was known)
    as_of_2 = query(vault, risk.open_entries_for, world.anna, DAY1 + timedelta(weeks=1))
    assert [e.id for e in as_of_2] == [entry_id] and as_of_2[0].is_open
    closed = query(vault, risk.get_entry, entry_id)
    assert closed.closed_on == DAY1 + timedelta(weeks=2)
    assert closed.closing_note == "Plan held; resolved"
    assert closed.line(DAY1 + timedelta(weeks=3)).startswith("closed ")


def test_closing_requires_a_note(vault: Vault, world: World) -> None:
    entry_id = _open(vault, world, world.held)
    with pytest.raises(InvalidInput) as err:
        ops.close_risk_entry(vault, entry_id, DAY1 + timedelta(days=3), "   ")
    assert err.value.field == "note"
    assert query(vault, risk.get_entry, entry_id).is_open
    ops.close_risk_entry(vault, entry_id, DAY1 + timedelta(days=3), "Seen by GP")
    with pytest.raises(InvalidInput):  # closed once
        ops.close_risk_entry(vault, entry_id, DAY1 + timedelta(days=4), "Again")


def test_overdue_is_flagged_and_a_review_moves_the_date(vault: Vault, world: World) -> None:
    entry_id = _open(vault, world, world.held, review_by=DAY1 + timedelta(days=3))
    entry = query(vault, risk.get_entry, entry_id)
    assert not entry.overdue(DAY1 + timedelta(days=3))
    assert entry.overdue(DAY1 + timedelta(days=4))
    assert "overdue" in entry.line(DAY1 + timedelta(days=4))
    reviewed = ops.review_risk_entry(vault, entry_id, DAY1 + timedelta(days=4), "low",
                                     "Calmer; plan in place").value
    assert reviewed.current_level == "low" and reviewed.level == "moderate"
    assert reviewed.current_review_by == DAY1 + timedelta(days=11)
    assert not reviewed.overdue(DAY1 + timedelta(days=5))
    register = query(vault, risk.register, world.group, DAY1, DAY1 + timedelta(days=30))
    assert [e.id for e in register] == [entry_id] and len(register[0].reviews) == 1


def test_bad_entry_input_changes_nothing(vault: Vault, world: World) -> None:
    for bad in (RiskEntrySpec("nope", "low", "x"), RiskEntrySpec("medical", "severe", "x"),
                RiskEntrySpec("medical", "low", ""),
                RiskEntrySpec("medical", "low", "x", review_by=DAY1 - timedelta(days=1))):
        with pytest.raises(InvalidInput):
            ops.open_risk_entry(vault, world.held, world.anna, bad)
    with pytest.raises(InvalidInput):
        ops.open_risk_entry(vault, world.held, world.outsider, RiskEntrySpec("medical", "low",
                                                                             "x"))
    assert query(vault, risk.member_entries, world.anna) == []


def test_default_agreement_and_editing(vault: Vault, world: World) -> None:
    rules = query(vault, agreement.list_rules, world.group)
    assert [r.title for r in rules] == [t for t, _ in register_vocab.DEFAULT_RULES]
    specs = [RuleSpec(r.title, r.text, r.id) for r in reversed(rules[1:])]
    specs.append(RuleSpec("Phones off", "Phones are off in the room."))
    edited = ops.set_agreement_rules(vault, world.group, specs).value
    assert [r.title for r in edited][-1] == "Phones off"
    assert [r.id for r in edited[:-1]] == [r.id for r in reversed(rules[1:])]
    with pytest.raises(InvalidInput):
        ops.set_agreement_rules(vault, world.group, [RuleSpec("  ")])
    assert len(query(vault, agreement.list_rules, world.group)) == len(edited)


def _relationship_incident(vault: Vault, world: World) -> int:
    rule = next(r for r in query(vault, agreement.list_rules, world.group)
                if "relationship" in r.title.lower())
    return ops.record_incident(vault, world.held, IncidentSpec(
        rule.id, (world.anna, world.bo), "Seen together outside as a couple",
        "Named in the group; both spoke to it", "in_progress")).value.id


def test_incident_shows_in_both_members_histories(vault: Vault, world: World) -> None:
    incident_id = _relationship_incident(vault, world)
    for member_id in (world.anna, world.bo):
        history = query(vault, agreement.member_incidents, member_id)
        assert [i.id for i in history] == [incident_id]
        assert "relationship" in history[0].rule_title.lower()
        assert set(history[0].member_ids) == {world.anna, world.bo}
    assert query(vault, agreement.member_incidents, world.outsider) == []
    ops.follow_up_incident(vault, incident_id, DAY1 + timedelta(days=7), "resolved",
                           "Agreed to end it; both stay")
    incident = query(vault, agreement.get_incident, incident_id)
    assert incident.status == "in_progress" and incident.current_status == "resolved"
    # a rule an incident names is retired, not deleted, when taken out of the agreement
    ops.set_agreement_rules(vault, world.group, [RuleSpec("Confidentiality")])
    assert "relationship" in query(vault, agreement.get_incident,
                                   incident_id).rule_title.lower()


def test_attendance_details_are_saved_and_checked(vault: Vault, world: World) -> None:
    ops_meetings.take_attendance(vault, world.held, [(world.anna, "late", 10),
                                                     (world.bo, "absent_no_notice", None)])
    ops.set_attendance_details(vault, world.held, world.anna,
                               AttendanceDetails(minutes_left_early=20))
    ops.set_attendance_details(vault, world.held, world.bo, AttendanceDetails(
        absence_reason="Unwell", contacted=True, contacted_on=DAY1 + timedelta(days=1),
        contact_note="Phoned; back next week"))
    rows = {r.member_id: r for r in query(vault, meetings.attendance_for, world.held)}
    assert rows[world.anna].minutes_left_early == 20 and rows[world.anna].minutes_late == 10
    assert rows[world.bo].contacted and rows[world.bo].contacted_on == DAY1 + timedelta(days=1)
    assert rows[world.bo].absence_reason == "Unwell"
    assert rows[world.bo].contact_note == "Phoned; back next week"
    for member_id, bad in ((world.anna, AttendanceDetails(absence_reason="x")),
                           (world.bo, AttendanceDetails(minutes_left_early=5)),
                           (world.anna, AttendanceDetails(minutes_left_early=500)),
                           (world.bo, AttendanceDetails(contacted_on=DAY1))):
        with pytest.raises(InvalidInput):
            ops.set_attendance_details(vault, world.held, member_id, bad)
    assert query(vault, meetings.attendance_for, world.held) == list(rows.values())
    # a mark changed to present drops the absence's details
    ops_meetings.record_attendance(vault, world.held, world.bo, "present")
    bo = next(r for r in query(vault, meetings.attendance_for, world.held)
              if r.member_id == world.bo)
    assert not bo.contacted and bo.absence_reason == "" and bo.contacted_on is None


def _sign(vault: Vault, world: World) -> None:
    note = ops_notes.save_group_note(vault, world.held, GroupNoteFields(themes="Trust")).value
    ops_notes.sign_note(vault, "group", note.id, world.lead, pin=PIN)


def test_a_signed_session_locks_its_register(vault: Vault, world: World) -> None:
    s1, s2 = _sessions(vault, world, 2)
    ops_meetings.take_attendance(vault, s1, [(world.anna, "present", None),
                                             (world.bo, "absent_no_notice", None)])
    entry_id = _open(vault, world, s1)
    incident_id = _relationship_incident(vault, world)
    _sign(vault, world)
    spec = RiskEntrySpec("medical", "low", "x")
    refused = [
        lambda: ops.open_risk_entry(vault, s1, world.bo, spec),
        lambda: ops.update_risk_entry(vault, entry_id, spec),
        lambda: ops.delete_risk_entry(vault, entry_id),
        lambda: ops.review_risk_entry(vault, entry_id, DAY1, "low", "x", meeting_id=s1),
        lambda: ops.update_incident(vault, incident_id, IncidentSpec(None, (world.bo,), "x")),
        lambda: ops.delete_incident(vault, incident_id),
        lambda: ops.record_incident(vault, s1, IncidentSpec(None, (world.bo,), "x")),
        lambda: ops.set_attendance_details(vault, s1, world.bo,
                                           AttendanceDetails(contacted=True)),
    ]
    for attempt in refused:
        with pytest.raises(SessionLocked):
            attempt()
    # the triggers refuse the same writes made around the services
    with vault.unit_of_work() as db:
        for sql in ("UPDATE risk_entries SET level = 'high'",
                    "DELETE FROM incident_members", "UPDATE boundary_incidents SET status = "
                    "'resolved'", "UPDATE attendance SET contacted = 1"):
            with pytest.raises(exc.DatabaseError, match="signed session is locked"):
                db.execute(text(sql))
    # later reviews are new rows, in the next session or between sessions
    ops.review_risk_entry(vault, entry_id, DAY1 + timedelta(weeks=1), "low", "Better",
                          meeting_id=s2)
    ops.follow_up_incident(vault, incident_id, DAY1 + timedelta(days=2), "resolved", "Done")
    entry = query(vault, risk.get_entry, entry_id)
    assert entry.locked and not entry.reviews[0].locked
    assert vault.verify().problems == []


def test_verify_names_a_risk_entry_changed_after_signing(tmp_path: Path) -> None:
    path = tmp_path / "r.vault"
    with Vault.create(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER) as vault:
        world = make_world(vault)
        _open(vault, world, world.held)
        _sign(vault, world)
        assert vault.verify().problems == []
    conn = raw(path)
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'risk_entries'")]
    sqls = [r[0] for r in conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'risk_entries'")]
    for name in names:
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("UPDATE risk_entries SET level = 'low'")
    for sql in sqls:
        conn.execute(sql)
    conn.commit()
    conn.close()
    with open_vault(path) as vault:
        found = vault.verify().problems
    assert any("risk entries opened in the session changed" in line for line in found), found


def test_a_session_without_register_rows_signs_as_before(vault: Vault, world: World) -> None:
    """No risk entry, incident or detail: the session's facts have none of the new keys,
    so every signature made before revision 0007 keeps its digest."""
    from groupleader.data import digests

    facts = query(vault, digests.session_facts, world.held)
    assert facts is not None
    assert not set(facts) & set(digests.REGISTER_PARTS)
    _open(vault, world, world.held)
    facts = query(vault, digests.session_facts, world.held)
    assert facts is not None and set(facts) & set(digests.REGISTER_PARTS) == {"risk_entries"}


def test_new_group_gets_default_rules_and_empty_group_still_deletes(
    vault: Vault, world: World
) -> None:
    from groupleader.data.operations import groups as ops_groups
    from groupleader.data.services import groups
    from groupleader.data.snapshots import GroupSpec

    g = ops_groups.create_group(vault, GroupSpec("Mistake", "support", (world.lead,))).value.id
    assert len(query(vault, agreement.list_rules, g)) == len(register_vocab.DEFAULT_RULES)
    with vault.unit_of_work() as db:
        assert groups.delete_group_if_empty(db, g)



def test_the_rosters_figures_agree_with_the_register_on_every_day(
    vault: Vault, world: World
) -> None:
    """`roster_figures` (two queries, for the roster) says what the full snapshots say."""
    s1, s2, s3 = _sessions(vault, world)
    first = _open(vault, world, s1, review_by=DAY1 + timedelta(days=3))
    _open(vault, world, s2)
    ops.open_risk_entry(vault, s2, world.bo, RiskEntrySpec("medical", "low", "Drowsy"))
    ops.review_risk_entry(vault, first, DAY1 + timedelta(days=5), "low", "Calmer",
                          DAY1 + timedelta(days=20))
    ops.close_risk_entry(vault, first, DAY1 + timedelta(days=16), "Resolved", meeting_id=s3)
    for offset in range(-1, 30):
        day = DAY1 + timedelta(days=offset)
        figures, held = query(vault, risk.roster_figures, world.group, day)
        snaps = query(vault, risk.open_entries_in_group, world.group, day)
        assert set(figures) == set(snaps), day
        assert held == {world.anna, world.bo}
        for member_id, entries in snaps.items():
            f = figures[member_id]
            assert f.open == len(entries) and f.since == entries[0].opened_on
            assert f.review_by == min(e.current_review_by for e in entries
                                      if e.current_review_by)
            assert f.overdue == any(e.overdue(day) for e in entries), day


def test_rewording_a_rule_a_signed_incident_names_keeps_the_signed_wording(
        vault: Vault, world: World) -> None:
    """The rule is retired and the new wording becomes a new rule: the signed incident
    still names the rule as it was when it was signed, and verify stays clean; an
    incident of an unsigned session moves to the new wording."""
    s1, s2 = _sessions(vault, world, 2)
    signed_id = _relationship_incident(vault, world)
    _sign(vault, world)
    before = query(vault, agreement.get_incident, signed_id)
    unsigned_id = ops.record_incident(vault, s2, IncidentSpec(
        before.rule_id, (world.bo,), "Met Anna for coffee")).value.id
    rules = query(vault, agreement.list_rules, world.group)
    ops.set_agreement_rules(vault, world.group, [
        RuleSpec("Members may meet freely" if r.id == before.rule_id else r.title, r.text,
                 r.id) for r in rules])
    after = query(vault, agreement.get_incident, signed_id)
    assert after.rule_id == before.rule_id and after.rule_title == before.rule_title
    titles = [r.title for r in query(vault, agreement.list_rules, world.group)]
    assert "Members may meet freely" in titles and before.rule_title not in titles
    moved = query(vault, agreement.get_incident, unsigned_id)
    assert moved.rule_title == "Members may meet freely" and moved.rule_id != before.rule_id
    assert vault.verify().problems == []


def test_verify_names_a_rule_reworded_behind_the_program(tmp_path: Path) -> None:
    path = tmp_path / "r.vault"
    with Vault.create(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER) as vault:
        world = make_world(vault)
        incident_id = _relationship_incident(vault, world)
        rule_id = query(vault, agreement.get_incident, incident_id).rule_id
        _sign(vault, world)
        assert vault.verify().problems == []
    conn = raw(path)
    conn.execute("UPDATE agreement_rules SET title = 'Members may meet freely' WHERE id = ?",
                 (rule_id,))
    conn.commit()
    conn.close()
    with open_vault(path) as vault:
        found = vault.verify().problems
    assert any("boundary incidents" in line for line in found), found


def test_dates_far_ahead_or_not_yet_come_are_refused(vault: Vault, world: World) -> None:
    """A tired "2062" for "2025": a review-by more than a year ahead, a review, close,
    contact or follow-up dated after today, are refused and change nothing; an entry's
    line carries the year when it is not the current one."""
    from groupleader.data import clock

    today = clock.today()
    with pytest.raises(InvalidInput, match="within a year") as err:
        _open(vault, world, world.held, review_by=DAY1.replace(year=2062))
    assert err.value.field == "review_by"
    entry_id = _open(vault, world, world.held, review_by=DAY1 + timedelta(days=4))
    attempts = [
        ("on_date", lambda: ops.review_risk_entry(
            vault, entry_id, DAY1.replace(year=2062), "low", "Calmer")),
        ("next_review_by", lambda: ops.review_risk_entry(
            vault, entry_id, DAY1 + timedelta(days=2), "low", "Calmer",
            DAY1.replace(year=2062) + timedelta(days=7))),
        ("on_date", lambda: ops.close_risk_entry(
            vault, entry_id, today + timedelta(days=1), "Resolved")),
    ]
    for field, attempt in attempts:
        with pytest.raises(InvalidInput) as err:
            attempt()
        assert err.value.field == field
    entry = query(vault, risk.get_entry, entry_id)
    assert entry.reviews == () and entry.is_open and entry.overdue(today)
    assert entry.line(today) == (f"open since {DAY1.day} {DAY1:%b %Y}, review by "
                                 f"{(DAY1 + timedelta(days=4)).day} {DAY1:%b %Y} (overdue)")
    ops_meetings.take_attendance(vault, world.held, [(world.bo, "absent_no_notice", None)])
    with pytest.raises(InvalidInput, match="has not come yet") as err:
        ops.set_attendance_details(vault, world.held, world.bo, AttendanceDetails(
            contacted=True, contacted_on=today + timedelta(days=1)))
    assert err.value.field == "contacted_on"
    incident_id = _relationship_incident(vault, world)
    with pytest.raises(InvalidInput, match="has not come yet"):
        ops.follow_up_incident(vault, incident_id, today + timedelta(days=3), "resolved",
                               "Done")
    assert query(vault, agreement.get_incident, incident_id).followups == ()


def test_a_review_or_close_dated_before_the_latest_review_is_refused(
        vault: Vault, world: World) -> None:
    entry_id = _open(vault, world, world.held)
    ops.review_risk_entry(vault, entry_id, DAY1 + timedelta(days=16), "high",
                          "Still high, plan made")
    for attempt in (
            lambda: ops.close_risk_entry(vault, entry_id, DAY1 + timedelta(days=1), "Better"),
            lambda: ops.review_risk_entry(vault, entry_id, DAY1 + timedelta(days=15), "low",
                                          "Calmer")):
        with pytest.raises(InvalidInput, match="latest review") as err:
            attempt()
        assert err.value.field == "on_date"
    entry = query(vault, risk.get_entry, entry_id)
    assert entry.is_open and len(entry.reviews) == 1
    ops.close_risk_entry(vault, entry_id, DAY1 + timedelta(days=16), "Seen by crisis team")
    assert not query(vault, risk.get_entry, entry_id).is_open


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c\u200d", "\u2060", "\ufeff",
                                       " \u200b\u00a0\u200e ", "\u3164", "\u034f"])
def test_a_text_of_only_invisible_characters_is_empty(
        vault: Vault, world: World, invisible: str) -> None:
    with pytest.raises(InvalidInput) as err:
        ops.open_risk_entry(vault, world.held, world.anna,
                            RiskEntrySpec("self_harm", "moderate", invisible))
    assert err.value.field == "observed"
    entry_id = _open(vault, world, world.held)
    with pytest.raises(InvalidInput) as err:
        ops.close_risk_entry(vault, entry_id, DAY1 + timedelta(days=3), invisible)
    assert err.value.field == "note"
    with pytest.raises(InvalidInput) as err:
        ops.record_incident(vault, world.held, IncidentSpec(None, (world.bo,), invisible))
    assert err.value.field == "what_happened"
    assert query(vault, risk.get_entry, entry_id).is_open
    assert query(vault, agreement.incidents_for_meeting, world.held) == []


def _sign_session(vault: Vault, world: World, meeting_id: int) -> None:
    note = ops_notes.save_group_note(vault, meeting_id, GroupNoteFields(themes="Trust")).value
    ops_notes.sign_note(vault, "group", note.id, world.lead, pin=PIN)


def test_nothing_dated_before_a_signed_session_that_showed_the_entry(
        vault: Vault, world: World) -> None:
    """A signed session's risk box printed the entry open: a review, close or removal dated
    on or before it would change that signed summary, so it is refused, naming the date."""
    s1, s2, _ = _sessions(vault, world)
    entry_id = _open(vault, world, s1)
    spare_id = _open(vault, world, s1)  # no review, its own session unsigned
    review_id = ops.review_risk_entry(vault, entry_id, DAY1 + timedelta(days=3), "low",
                                      "Phoned; settled").value.reviews[-1].id
    _sign_session(vault, world, s2)
    day2 = DAY1 + timedelta(weeks=1)
    said = (f"after {day2.day} {day2:%b %Y}: session 2 is signed and showed this entry "
            "open")
    before = query(vault, risk.get_entry, entry_id)
    for attempt in (
            lambda: ops.close_risk_entry(vault, entry_id, DAY1 + timedelta(days=5), "Done"),
            lambda: ops.close_risk_entry(vault, entry_id, day2, "Done"),
            lambda: ops.review_risk_entry(vault, entry_id, day2, "low", "Again")):
        with pytest.raises(InvalidInput, match=said):
            attempt()
    for attempt, what in ((lambda: ops.delete_risk_review(vault, review_id), "This review"),
                          (lambda: ops.delete_risk_entry(vault, spare_id), "This entry")):
        with pytest.raises(InvalidInput, match=f"{what} can no longer be removed: session 2"):
            attempt()
    assert query(vault, risk.get_entry, entry_id) == before
    assert query(vault, risk.get_entry, spare_id).reviews == ()
    # after the signed session, the register goes on
    closed = ops.close_risk_entry(vault, entry_id, day2 + timedelta(days=1), "Done").value
    assert closed.closed_on == day2 + timedelta(days=1)

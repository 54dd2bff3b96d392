"""The demo vault: sound, shaped as docs/demo.md promises, and the same for the same day."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from groupleader import factors
from groupleader.data import clock, demo
from groupleader.data.demo import build_demo_vault
from groupleader.data.operations import query
from groupleader.data.services import groups, meetings, members, notes
from groupleader.data.snapshots import GroupSnap, MeetingNotes, MeetingSnap, NoteStatus
from groupleader.data.vault import Vault
from groupleader.errors import VaultExists
from tests.conftest import PASSPHRASE, TEST_KDF_ITER, open_vault

TODAY = date(2025, 3, 12)  # a Wednesday


def _build(path: Path, today: date = TODAY) -> None:
    build_demo_vault(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER, today=today)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.vault"
    _build(path)
    return path


@pytest.fixture
def dv(built: Path) -> Iterator[Vault]:
    vault = open_vault(built)
    yield vault
    vault.close()


def _group(vault: Vault, kind: str) -> GroupSnap:
    [group] = [g for g in query(vault, groups.list_groups) if g.kind == kind]
    return group


def _held(vault: Vault, group: GroupSnap) -> list[MeetingSnap]:
    return [m for m in query(vault, meetings.list_meetings, group.id) if m.status == "held"]


def _sessions(vault: Vault, group: GroupSnap) -> list[MeetingNotes]:
    return [query(vault, notes.load_meeting_notes, m.id, include_private=True)
            for m in _held(vault, group)]


def _statuses(vault: Vault, group: GroupSnap) -> Counter[str]:
    return Counter(r.status for r in query(vault, members.list_memberships, group.id))


# ---------------------------------------------------------------- soundness


def test_demo_vault_opens_and_passes_every_integrity_check(dv: Vault) -> None:
    assert dv.integrity_problems() == []


def test_refuses_an_existing_file_and_leaves_it_untouched(tmp_path: Path) -> None:
    path = tmp_path / "taken.vault"
    path.write_bytes(b"someone's file")
    with pytest.raises(VaultExists):
        _build(path)
    assert path.read_bytes() == b"someone's file"


def test_a_build_that_fails_part_way_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk pulled out")

    monkeypatch.setattr(demo.ops_notes, "save_private_note", broken)
    path = tmp_path / "half.vault"
    with pytest.raises(RuntimeError):
        _build(path)
    assert not path.exists()


# ---------------------------------------------------------------- the practice


def test_practice_has_a_leader_a_co_leader_and_a_supervisor(dv: Vault) -> None:
    from groupleader.data.services import clinicians

    roles = sorted(c.role for c in query(dv, clinicians.list_clinicians))
    assert roles == ["co_leader", "leader", "supervisor"]


def test_two_groups_with_the_promised_settings(dv: Vault) -> None:
    process, support = _group(dv, "psychodynamic"), _group(dv, "support")
    assert (process.format, process.weekday, process.length_minutes) == ("open_ended", 3, 90)
    assert len(process.leaders) == 2
    assert (support.name, support.format, support.sessions_per_cycle) == (
        "Living with Loss", "fixed", 12)
    assert (support.weekday, support.length_minutes, len(support.leaders)) == (1, 75, 1)


def test_roster_counts_per_status(dv: Vault) -> None:
    assert _statuses(dv, _group(dv, "psychodynamic")) == {
        "active": 6, "graduated": 1, "left": 1, "waitlist": 1}
    assert _statuses(dv, _group(dv, "support")) == {"active": 5, "graduated": 1}
    assert len(query(dv, members.list_members)) == 13


def test_memberships_carry_their_history(dv: Vault) -> None:
    process = _group(dv, "psychodynamic")
    histories = {
        r.status: [c.status for c in query(dv, members.get_membership, r.membership_id).history]
        for r in query(dv, members.list_memberships, process.id)
    }
    assert histories["active"] == ["referred", "screening", "waitlist", "active"]
    assert histories["graduated"][-2:] == ["active", "graduated"]
    assert histories["left"][-2:] == ["active", "left"]
    assert histories["waitlist"] == ["referred", "screening", "waitlist"]


def test_names_from_several_scripts(dv: Vault) -> None:
    names = [m.full_name for m in query(dv, members.list_members)]
    assert any(unicodedata.bidirectional(ch) == "R" for n in names for ch in n)  # Hebrew
    assert any("'" in n for n in names)
    assert any(not n.isascii() and unicodedata.bidirectional(n[0]) == "L" for n in names)
    everyone = query(dv, members.list_members)
    assert all(m.pronouns and m.phone and m.email and m.presenting_concerns for m in everyone)


# ---------------------------------------------------------------- sessions


def test_weekly_sessions_end_just_before_today_with_the_next_one_scheduled(dv: Vault) -> None:
    for group in (_group(dv, "psychodynamic"), _group(dv, "support")):
        all_ = query(dv, meetings.list_meetings, group.id)
        last_held = _held(dv, group)[-1].starts_at.astimezone().date()
        assert TODAY - timedelta(days=7) <= last_held < TODAY
        assert all_[-1].status == "scheduled"
        assert all_[-1].starts_at.astimezone().date() > TODAY
        first = all_[0].starts_at.astimezone().date()
        assert (TODAY - first).days > 90  # a few months of records


def test_support_group_is_in_its_second_cycle(dv: Vault) -> None:
    held = _held(dv, _group(dv, "support"))
    assert [m.number_in_cycle for m in held if m.cycle == 1] == list(range(1, 13))
    assert held[-1].cycle == 2
    assert held[-1].label == f"Session {held[-1].number_in_cycle} of 12, cycle 2"


def test_attendance_has_late_minutes_and_absences_with_and_without_notice(dv: Vault) -> None:
    rows = [a for s in _sessions(dv, _group(dv, "psychodynamic")) for a in s.attendance]
    counts = Counter(a.status for a in rows)
    assert counts["present"] > len(rows) * 0.7
    assert counts["late"] and counts["absent_notice"] and counts["absent_no_notice"]
    assert all(a.minutes_late for a in rows if a.status == "late")


def test_seating_keeps_the_leaders_in_place_and_members_shift(dv: Vault) -> None:
    sessions = _sessions(dv, _group(dv, "psychodynamic"))
    lead = _group(dv, "psychodynamic").leaders[0].id
    assert all(s.seating[0].clinician_id == lead for s in sessions)
    places: dict[int, set[int]] = {}
    for s in sessions:
        for chair in s.seating:
            if chair.member_id is not None:
                places.setdefault(chair.member_id, set()).add(chair.position)
    assert sum(len(p) > 1 for p in places.values()) >= 3  # several members moved


def test_the_departed_members_chair_stays_empty_next_session(dv: Vault) -> None:
    process = _group(dv, "psychodynamic")
    [left] = query(dv, members.list_memberships, process.id, ["left"])
    sessions = _sessions(dv, process)
    after = [s for s in sessions if s.meeting.starts_at.astimezone().date() >= left.since][0]
    assert left.member_id not in {c.member_id for c in after.seating}
    present = {a.member_id for a in after.attendance if a.status in ("present", "late")}
    empty = [c for c in after.seating if c.member_id is None and c.clinician_id is None]
    absent = len(after.attendance) - len(present)
    assert len(empty) == absent + 1


def test_the_graduate_had_a_farewell_session(dv: Vault) -> None:
    process = _group(dv, "psychodynamic")
    [grad] = query(dv, members.list_memberships, process.id, ["graduated"])
    last = [s for s in _sessions(dv, process)
            if s.meeting.starts_at.astimezone().date() < grad.since][-1]
    assert "last session" in last.group_note.fields.here_and_now
    assert grad.member_id in {a.member_id for a in last.attendance if a.status == "present"}


def test_interactions_include_the_whole_group_and_a_quiet_member(dv: Vault) -> None:
    sessions = _sessions(dv, _group(dv, "psychodynamic"))
    assert all(5 <= sum(c.count for c in s.interactions) <= 15 for s in sessions)
    assert any(c.to is None for s in sessions for c in s.interactions)
    spoke: Counter[int] = Counter()
    for s in sessions:
        for c in s.interactions:
            if c.speaker.member_id is not None:
                spoke[c.speaker.member_id] += c.count
    regulars = {r.member_id for r in query(dv, members.list_memberships, sessions[0].group.id)
                if r.attended >= 15}
    quietest = min(regulars, key=lambda m: spoke[m])
    others = sorted(spoke[m] for m in regulars if m != quietest)
    assert spoke[quietest] * 3 < others[0]


# ---------------------------------------------------------------- notes


def _state(status: NoteStatus) -> str:
    return status.state


def test_older_notes_signed_and_the_last_sessions_left_as_drafts(dv: Vault) -> None:
    for kind, drafts in (("psychodynamic", 2), ("support", 1)):
        sessions = _sessions(dv, _group(dv, kind))
        states = [_state(s.group_note.status) for s in sessions]
        assert states[-drafts:] == ["draft"] * drafts
        assert "draft" not in states[:-drafts]
        assert "cosigned" in states and "signed" in states
        for s in sessions[-drafts:]:
            assert all(_state(n.status) == "draft" for n in s.member_notes)
        for s in sessions[:-drafts]:
            assert all(_state(n.status) != "draft" for n in s.member_notes)


def test_member_notes_for_exactly_the_members_who_came(dv: Vault) -> None:
    for kind in ("psychodynamic", "support"):
        for s in _sessions(dv, _group(dv, kind)):
            came = {a.member_id for a in s.attendance if a.status in ("present", "late")}
            assert {n.member_id for n in s.member_notes} == came
            assert all(n.fields.participation and n.fields.goals for n in s.member_notes)


def test_group_notes_are_full_and_varied(dv: Vault) -> None:
    fields = [s.group_note.fields for k in ("psychodynamic", "support")
              for s in _sessions(dv, _group(dv, k))]
    assert all(f.themes and f.here_and_now and f.interventions and f.plan for f in fields)
    used = {key for f in fields for key in f.factors}
    assert all(factors.is_factor(key) for key in used) and len(used) >= 8
    assert {f.stage for f in fields} >= {"orientation", "conflict", "cohesion", "working",
                                         "termination"}
    assert len({f.here_and_now for f in fields}) == len(fields)
    assert any(f.boundary_incidents for f in fields) and any(f.critical_incidents for f in fields)


def test_risk_items_have_follow_up_and_addenda_exist(dv: Vault) -> None:
    everything = [s for k in ("psychodynamic", "support") for s in _sessions(dv, _group(dv, k))]
    risky = [n for s in everything for n in s.member_notes if n.fields.risk_flag]
    assert len(risky) >= 3 and all(n.fields.risk_followup for n in risky)
    assert all(_state(n.status) == "cosigned" for n in risky if n.status.signed)
    addenda = [a for s in everything
               for status in [s.group_note.status, *(n.status for n in s.member_notes)]
               for a in status.addenda]
    assert len(addenda) >= 2
    assert sum(bool(s.group_note.fields.risk) for s in everything) >= 2


def test_one_signed_session_has_an_attendance_amendment(dv: Vault) -> None:
    """Session 8 of the Thursday group: Jonah's message reached the leaders after signing."""
    amended = [(s, a) for s in _sessions(dv, _group(dv, "psychodynamic"))
               for a in s.group_note.status.addenda if a.is_amendment]
    [(session, amendment)] = amended
    assert session.meeting.number == 8 and session.locked
    assert amendment.change is not None and amendment.change["from"] == "absent_no_notice"
    assert "Reception had taken a message" in amendment.text
    assert session.group_note.status.signed_at < amendment.created_at < _start_of(TODAY)
    [row] = [r for r in session.attendance if r.amended]
    assert (row.status, row.recorded_status) == ("absent_notice", "absent_no_notice")


def test_process_notes_for_some_sessions_only(dv: Vault) -> None:
    sessions = _sessions(dv, _group(dv, "psychodynamic"))
    private = [s.private_note for s in sessions if s.private_note is not None]
    assert 3 <= len(private) < len(sessions)
    assert {_state(p.status) for p in private} == {"signed", "draft"}
    hidden = query(dv, notes.load_meeting_notes, sessions[0].meeting.id)
    assert hidden.private_note is None  # left out unless asked for


# ---------------------------------------------------------------- honest dates


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time()).astimezone()


def test_notes_are_written_after_their_session_and_signed_the_day_after(dv: Vault) -> None:
    signed = 0
    for kind in ("psychodynamic", "support"):
        for s in _sessions(dv, _group(dv, kind)):
            m = s.meeting
            end = m.starts_at + timedelta(minutes=m.length_minutes)
            written = [s.group_note, *s.member_notes, s.private_note]
            for note in (n for n in written if n is not None):
                assert note.updated_at == end
                st = note.status
                if not st.signed:
                    continue
                signed += 1
                assert st.signed_at is not None and end < st.signed_at < _start_of(TODAY)
                day_after = m.starts_at.astimezone().date() + timedelta(days=1)
                assert st.signed_at.astimezone().date() == day_after
                if st.cosigned_at is not None:
                    assert st.signed_at < st.cosigned_at < _start_of(TODAY)
                for addendum in st.addenda:
                    assert st.signed_at < addendum.created_at < _start_of(TODAY)
    assert signed > 200


def test_roster_changes_are_recorded_on_their_own_date(dv: Vault) -> None:
    for g in query(dv, groups.list_groups):
        for r in query(dv, members.list_memberships, g.id):
            for change in query(dv, members.get_membership, r.membership_id).history:
                assert change.recorded_at.astimezone().date() == change.on_date


def test_the_build_leaves_the_clock_running(built: Path) -> None:
    assert not clock.is_frozen()
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)


# ---------------------------------------------------------------- determinism


def _summary(vault: Vault) -> list[Any]:
    """Everything the demo wrote, moments of saving and signing included."""

    def status(s: NoteStatus) -> tuple[Any, ...]:
        return (s.state, s.signed_by and s.signed_by.name, s.signed_at,
                s.cosigned_by and s.cosigned_by.name, s.cosigned_at,
                tuple((a.clinician_name, a.text, a.created_at) for a in s.addenda))

    out: list[Any] = [sorted((m.full_name, m.pronouns, m.dob, m.phone, m.presenting_concerns)
                             for m in query(vault, members.list_members))]
    for g in query(vault, groups.list_groups):
        out.append((g.name, g.kind, g.agreement, tuple(c.name for c in g.leaders)))
        for r in query(vault, members.list_memberships, g.id):
            history = query(vault, members.get_membership, r.membership_id).history
            out.append((r.full_name, r.pseudonym, tuple(history)))
        for m in query(vault, meetings.list_meetings, g.id):
            out.append((m.number, m.cycle, m.starts_at, m.status, m.topic,
                        tuple(c.name for c in m.leaders)))
            if m.status != "held":
                continue
            s = query(vault, notes.load_meeting_notes, m.id, include_private=True)
            out.append((s.attendance, s.seating, s.interactions))
            gn = s.group_note
            out.append((gn.fields, gn.updated_at, status(gn.status)) if gn else None)
            out += [(n.display_name, n.fields, n.updated_at, status(n.status))
                    for n in s.member_notes]
            pn = s.private_note
            out.append((pn.text, pn.updated_at, status(pn.status)) if pn else None)
    return out


@pytest.mark.slow
def test_the_same_today_gives_the_same_records(built: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.vault"
    _build(again)
    with open_vault(built) as first, open_vault(again) as second:
        assert _summary(first) == _summary(second)


def test_each_demo_profile_signs_with_its_documented_pin_and_notes_await_co_sign(
        dv: Vault) -> None:
    from groupleader.data.services import clinicians, cosign_queue
    from groupleader.data.services.pins import check_pin
    from groupleader.errors import WrongPin
    from tests.conftest import ROOT

    documented = (ROOT / "docs" / "demo.md").read_text()
    people = {c.name: c for c in query(dv, clinicians.list_clinicians)}
    for key, name, _role, _credentials in demo.CLINICIANS:
        pin = demo.PINS[key]
        assert people[name].has_pin and f"`{pin}`" in documented and name in documented
        query(dv, lambda db, cid=people[name].id, p=pin: check_pin(db, cid, p))
        with pytest.raises(WrongPin):
            query(dv, lambda db, cid=people[name].id: check_pin(db, cid, "0000x"))
    waiting = query(dv, cosign_queue.awaiting_cosign)
    assert len(waiting) >= 10
    assert {r.kind for r in waiting} == {"group", "member"}
    assert len({r.group_id for r in waiting}) == 2  # both groups have notes waiting

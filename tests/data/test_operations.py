"""Operations: one user action is one transaction with its audit events and a change set.

Services take the caller's session and never commit, so an operation that fails half-way
leaves nothing behind; an operation names what it changed, so views refresh only that.
"""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from groupleader.data import roster_csv
from groupleader.data.models import AuditEvent, Member, Membership, MembershipEvent
from groupleader.data.operations import Changes, query
from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import roster as ops_roster
from groupleader.data.services import members
from groupleader.data.snapshots import ClinicianSpec, GroupSpec, MemberNoteFields, MemberSpec
from groupleader.data.vault import Vault
from groupleader.errors import GroupLeaderError, InvalidInput
from tests.data.conftest import PAST_SESSION, World, make_world

PACKAGE = Path(__file__).resolve().parents[2] / "groupleader"


def _count(vault: Vault, model: Any) -> int:
    with vault.unit_of_work() as db:
        return db.scalar(select(func.count()).select_from(model)) or 0


def _snapshot(vault: Vault) -> tuple[int, int, int, int]:
    return (_count(vault, Member), _count(vault, Membership), _count(vault, MembershipEvent),
            _count(vault, AuditEvent))


@pytest.fixture
def world(vault: Vault) -> World:
    return make_world(vault)


def test_adding_a_member_to_a_full_group_leaves_no_member_behind(
    vault: Vault, world: World
) -> None:
    ops_groups.update_group(vault, world.group, GroupSpec(
        "Tuesday group", "support", (world.lead, world.co), target_size=2, max_size=2,
        min_size=1))
    before = _snapshot(vault)
    with pytest.raises(InvalidInput, match="full"):
        ops_roster.add_member_to_group(vault, MemberSpec("Cleo Full"), world.group, "active")
    assert _snapshot(vault) == before  # no member, no membership, no audit event


def test_a_membership_step_that_fails_takes_the_new_member_with_it(
    vault: Vault, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise GroupLeaderError("disk trouble")

    monkeypatch.setattr(members, "add_membership", broken)
    before = _snapshot(vault)
    with pytest.raises(GroupLeaderError):
        ops_roster.add_member_to_group(vault, MemberSpec("Dee Gone"), world.group, "waitlist")
    assert _snapshot(vault) == before
    names = [m.full_name for m in query(vault, members.list_members)]
    assert "Dee Gone" not in names


def test_services_never_commit_their_caller_decides(vault: Vault, world: World) -> None:
    before = _snapshot(vault)
    with pytest.raises(RuntimeError), vault.unit_of_work() as db:
        m = members.create_member(db, MemberSpec("Eve Rolled Back"))
        members.add_membership(db, m.id, world.group, "referred")
        raise RuntimeError("the user's action failed after both service calls")
    assert _snapshot(vault) == before


IMPORT_HEADER = ("Full name,Preferred name,Pronouns,Date of birth,Phone,Email,"
                 "Emergency contact,Status,Joined\n")
PEOPLE = [
    MemberSpec("Zoë O'Neil-Łukasz", "Zo", "she/her", date(1988, 2, 29), "+44 20 7946 0000",
               "zoe@example.org", "Sam, sister, 07700 900123"),
    MemberSpec("Tom & Jerry <b>Bold</b> 😀", "", "", None, "", "", ""),
    MemberSpec("שלום עליכם", "Shalom", "he/him", date(1970, 1, 1)),
]


def _row(spec: MemberSpec) -> str:
    cells = [spec.full_name, spec.preferred_name, spec.pronouns,
             spec.dob.isoformat() if spec.dob else "", spec.phone, spec.email,
             spec.emergency_contact, "active", "2025-01-06"]
    return ",".join(f'"{c}"' for c in cells) + "\n"


def _records(vault: Vault, group_id: int) -> list[tuple[Any, ...]]:
    """Every stored fact about the group's members, without ids or the import's reason."""
    with vault.unit_of_work() as db:
        rows = db.execute(
            select(Member, Membership).join(Membership, Membership.member_id == Member.id)
            .where(Membership.group_id == group_id).order_by(Member.full_name)).all()
        out = []
        for m, ms in rows:
            history = [(e.status, e.on_date) for e in db.scalars(
                select(MembershipEvent).where(MembershipEvent.membership_id == ms.id)
                .order_by(MembershipEvent.id))]
            out.append((m.full_name, m.preferred_name, m.pronouns, m.dob, m.phone, m.email,
                        m.emergency_contact, m.presenting_concerns, m.referral_source,
                        m.archived, ms.status, ms.pseudonym, tuple(history)))
        return out


def _actions(vault: Vault, since: int) -> list[tuple[str, str]]:
    with vault.unit_of_work() as db:
        return [(e.action, e.record_type) for e in db.scalars(
            select(AuditEvent).where(AuditEvent.id > since).order_by(AuditEvent.id))]


def test_an_import_into_an_empty_vault_matches_typing_the_same_people(
    vault_factory: Any
) -> None:
    typed, imported = vault_factory("typed.vault"), vault_factory("imported.vault")
    group_ids = []
    for v in (typed, imported):
        lead = ops_groups.create_clinician(v, ClinicianSpec("Dr Rivera", "leader")).value.id
        group_ids.append(ops_groups.create_group(
            v, GroupSpec("Tuesday group", "support", (lead,))).value.id)
    for spec in PEOPLE:
        ops_roster.add_member_to_group(typed, spec, group_ids[0], "active", date(2025, 1, 6))
    parsed = roster_csv.parse_roster(
        (IMPORT_HEADER + "".join(_row(p) for p in PEOPLE)).encode())
    done = ops_roster.import_roster(imported, group_ids[1], parsed)
    assert done.value.created == len(PEOPLE)
    assert _records(typed, group_ids[0]) == _records(imported, group_ids[1])
    typed_events = [a for a in _actions(typed, 0) if a[0].startswith(("member", "membership"))]
    imported_events = [a for a in _actions(imported, 0)
                       if a[0].startswith(("member", "membership"))]
    assert sorted(typed_events) == sorted(imported_events)
    assert done.changes.roster and done.changes.groups == {group_ids[1]}


def test_a_save_that_changes_nothing_writes_nothing_and_announces_nothing(
    vault: Vault, world: World
) -> None:
    fields = MemberNoteFields(participation="Quiet, then spoke about work.")
    first = ops_notes.save_member_note(vault, world.held, world.anna, fields)
    assert first.changes.notes == {world.held} and first.changes.groups == {world.group}
    events = _count(vault, AuditEvent)
    again = ops_notes.save_member_note(vault, world.held, world.anna, fields)
    assert again.changes.empty
    assert _count(vault, AuditEvent) == events


def test_taking_attendance_holds_the_session_in_the_same_transaction(
    vault: Vault, world: World
) -> None:
    later = ops_meetings.schedule_meeting(vault, world.group, PAST_SESSION.replace(day=11))
    assert later.value.status == "scheduled"
    done = ops_meetings.take_attendance(
        vault, later.value.id, [(world.anna, "present", None), (world.bo, "late", 10)])
    rows, meeting = done.value
    assert meeting.status == "held" and len(rows) == 2
    assert done.changes.attendance == {meeting.id} and done.changes.meetings == {meeting.id}
    events = _count(vault, AuditEvent)
    with pytest.raises(InvalidInput):  # one bad row: nothing, not even the hold
        ops_meetings.take_attendance(vault, later.value.id, [(world.outsider, "present", None)])
    assert _count(vault, AuditEvent) == events


def test_changes_merge_and_say_when_they_are_empty() -> None:
    a = Changes(groups=frozenset({1}), notes=frozenset({5}))
    b = Changes(groups=frozenset({2}), roster=True)
    merged = a | b
    assert merged.groups == {1, 2} and merged.notes == {5} and merged.roster
    assert Changes().empty and not merged.empty
    assert merged.in_group(2) and not merged.in_group(3) and not merged.in_group(None)


# ---------------------------------------------------------------- the layering holds


def _calls_in(path: Path, names: set[str]) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in names:
            found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.func.attr}")
    return found


def test_only_operations_open_units_of_work_and_write_audit_events() -> None:
    allowed_units = {PACKAGE / "data" / "vault.py", PACKAGE / "data" / "operations" / "base.py"}
    allowed_audit = {PACKAGE / "data" / "vault.py", PACKAGE / "data" / "operations" / "base.py",
                     PACKAGE / "data" / "audit.py"}
    units, audits = [], []
    for path in PACKAGE.rglob("*.py"):
        if path not in allowed_units:
            units += _calls_in(path, {"unit_of_work"})
        if path not in allowed_audit:
            audits += _calls_in(path, {"record", "record_many"})
    assert units == []
    assert [a for a in audits if "audit" in a or "record_many" in a] == []


def test_services_take_a_session_and_never_commit() -> None:
    problems = []
    for path in (PACKAGE / "data" / "services").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_") \
                    and node.args.args and node.args.args[0].arg in ("vault", "v"):
                problems.append(f"{path.name}: {node.name} takes a vault")
        problems += _calls_in(path, {"commit", "unit_of_work", "begin"})
    assert problems == []


def test_a_roster_export_writes_the_file_and_leaves_the_vault_byte_identical(
    vault: Vault, world: World, tmp_path: Path
) -> None:
    import hashlib

    before = hashlib.sha256(vault.path.read_bytes()).hexdigest()
    out = tmp_path / "roster.csv"
    done = ops_roster.export_roster(vault, world.group, out)
    assert done.value == 2 and out.exists()
    assert hashlib.sha256(vault.path.read_bytes()).hexdigest() == before  # read only
    ops_roster.create_member(vault, MemberSpec("Next Write"))  # the event joins the chain
    assert ("roster.export", "group") in _actions(vault, 0)

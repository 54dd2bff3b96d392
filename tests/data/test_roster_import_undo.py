"""Undoing a roster import: exactly what it wrote is taken back, as one step, and only
while nothing else has been written to the vault since."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from groupleader.data.models import AuditEvent, Member, Membership, MembershipEvent
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import query
from groupleader.data.operations import roster as ops_roster
from groupleader.data.roster_csv import parse_roster
from groupleader.data.services import members
from groupleader.data.snapshots import MemberSpec
from groupleader.data.vault import Vault
from groupleader.errors import InvalidInput
from tests.data.test_roster_csv import TODAY, TRICKY, csv_bytes, make_group


def dump(vault: Vault) -> dict[str, list[tuple[Any, ...]]]:
    """Every member, membership and status-history row, all columns."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with vault.unit_of_work() as db:
        for model in (Member, Membership, MembershipEvent):
            cols = [c for c in model.__table__.columns]
            rows = db.execute(select(*cols).order_by(cols[0])).all()
            out[model.__tablename__] = [tuple(r) for r in rows]
    return out


def events(vault: Vault) -> list[tuple[str, str, int | None]]:
    with vault.unit_of_work() as db:
        return [tuple(r) for r in db.execute(  # type: ignore[misc]
            select(AuditEvent.action, AuditEvent.record_type, AuditEvent.record_id)
            .order_by(AuditEvent.id)).all()]


@pytest.fixture
def world(vault: Vault) -> dict[str, int]:
    """A group with an archived member (other spellings, a phone, concerns), a member
    already on the roster, and one member of nobody's roster."""
    group_id = make_group(vault)
    ada = ops_roster.create_member(vault, MemberSpec(
        "Ada Lovelace", dob=date(1990, 12, 10), phone="555-0100", presenting_concerns="grief",
        also_written_as=("Ada L.", "אדה"))).value
    ops_roster.archive_member(vault, ada.id)
    bea = ops_roster.add_member_to_group(
        vault, MemberSpec("Bea", email="bea@example.org"), group_id, "active",
        date(2025, 1, 6)).value
    return {"group": group_id, "ada": ada.id, "bea": bea.member_id}


QUOTED = '"' + TRICKY[0].replace('"', '""') + '"'
CSV = ("Name,DOB,Email,Phone,Pronouns,Status,Joined,Ended\n"
       "ada lovelace,10.12.1990,,555-0199,she/her,waitlist,,\n"  # merged, unarchived
       "Beatrix,,BEA@example.org,,they/them,active,,\n"  # merged, already on the roster
       f"{QUOTED},01.02.1980,,,,graduated,06.01.2025,20.05.2025\n"
       f"{QUOTED},01.02.1980,,,,referred,,\n"  # rejoins: 2 memberships
       f"{TRICKY[1]},,,,,active,,\n"
       "Bad Row,31.02.2000,,,,,,\n")  # skipped


def imported(vault: Vault, world: dict[str, int]) -> ops_roster.Imported:
    parsed = parse_roster(csv_bytes(CSV), today=TODAY)
    result = ops_roster.import_roster(vault, world["group"], parsed, on_duplicate="merge",
                                      skip_bad=True).value
    assert (result.created, result.merged, result.skipped) == (2, 2, 1)
    assert result.undo is not None
    return result


def test_undo_takes_back_exactly_what_the_import_wrote(
    vault: Vault, world: dict[str, int]
) -> None:
    before = dump(vault)
    result = imported(vault, world)
    assert result.undo is not None
    merged = query(vault, members.get_member, world["ada"])
    assert not merged.archived and merged.pronouns == "she/her"
    assert len(dump(vault)["memberships"]) == len(before["memberships"]) + 4
    logged = len(events(vault))

    done = ops_roster.undo_import(vault, result.undo)
    assert done.value == 4
    assert dump(vault) == before  # every column of every row, archived flag and spellings
    ada = query(vault, members.get_member, world["ada"])
    assert ada.archived and ada.also_written_as == ("Ada L.", "אדה")
    assert done.changes.in_group(world["group"]) and done.changes.roster
    assert {world["ada"], world["bea"]} <= done.changes.members
    actions = [a for a, _, _ in events(vault)[logged:]]
    assert actions[0] == "roster.import.undo"
    assert actions.count("membership.delete") == 4 and actions.count("member.delete") == 2
    assert actions.count("member.update") == 2 and actions.count("member.archive") == 1


def test_undo_is_refused_and_changes_nothing_once_something_else_was_written(
    vault: Vault, world: dict[str, int]
) -> None:
    result = imported(vault, world)
    assert result.undo is not None
    ops_roster.update_member(vault, world["bea"], MemberSpec("Bea", pronouns="she/her",
                                                             email="bea@example.org"))
    after = dump(vault), events(vault)
    with pytest.raises(InvalidInput, match="something else has been written"):
        ops_roster.undo_import(vault, result.undo)
    assert (dump(vault), events(vault)) == after


def test_a_save_that_changed_nothing_or_an_export_does_not_block_the_undo(
    vault: Vault, world: dict[str, int], tmp_path: Path
) -> None:
    before = dump(vault)
    result = imported(vault, world)
    assert result.undo is not None
    same = query(vault, members.get_member, world["bea"])
    ops_roster.update_member(vault, world["bea"], ops_roster.spec_of(same))  # wrote nothing
    ops_roster.export_roster(vault, world["group"], tmp_path / "out.csv")  # only reads
    ops_roster.undo_import(vault, result.undo)
    assert dump(vault) == before
    assert "roster.export" in [a for a, _, _ in events(vault)]  # its event joined the chain


def test_a_second_undo_of_the_same_import_is_refused(
    vault: Vault, world: dict[str, int]
) -> None:
    result = imported(vault, world)
    assert result.undo is not None
    ops_roster.undo_import(vault, result.undo)
    after = dump(vault)
    with pytest.raises(InvalidInput):
        ops_roster.undo_import(vault, result.undo)
    assert dump(vault) == after


def test_the_delete_service_keeps_a_member_with_a_clinical_record(
    vault: Vault, world: dict[str, int]
) -> None:
    """The second line behind the "nothing written since" check: a record of attendance
    for someone the import brought in refuses the delete."""
    result = imported(vault, world)
    assert result.undo is not None
    rows = query(vault, members.list_memberships, world["group"])
    newcomer = next(r for r in rows if r.full_name == TRICKY[1])
    meeting = ops_meetings.schedule_meeting(
        vault, world["group"], datetime(2025, 6, 2, 17, tzinfo=UTC)).value
    ops_meetings.record_attendance(vault, meeting.id, newcomer.member_id, "present")
    before = dump(vault)
    with pytest.raises(InvalidInput, match="were recorded"), vault.unit_of_work() as db:
        members.delete_imported(db, result.undo.created, result.undo.memberships)
    assert dump(vault) == before

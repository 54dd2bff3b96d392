"""The lean reads an export takes its member list from say what the full reads say: each
member's pseudonym as the roster lists it, every group's name and room, every member."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from groupleader.data.models import Member
from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import query
from groupleader.data.operations import roster as ops_roster
from groupleader.data.services import groups, members
from groupleader.data.snapshots import ClinicianSpec, GroupSpec, MemberSnap, MemberSpec
from groupleader.data.vault import Vault


def _practice(vault: Vault) -> tuple[int, int]:
    lead = ops_groups.create_clinician(vault, ClinicianSpec("Ada Leader", "leader")).value.id
    first = ops_groups.create_group(vault, GroupSpec("Tuesday group", "support", (lead,),
                                                     room="Room 2")).value.id
    second = ops_groups.create_group(vault, GroupSpec("Anxiety group", "support",
                                                      (lead,))).value.id
    specs = [MemberSpec("Maria Kowalski", preferred_name="Mia", also_written_as=("Marysia",)),
             MemberSpec("Mark Kowalski", phone="+44 7700 900123", dob=date(1980, 3, 12)),
             MemberSpec("Jonas Berg", email="jonas@example.org")]
    ids = [ops_roster.create_member(vault, s).value.id for s in specs]
    for m in ids[:2]:  # two "M.K.": the second gets a pseudonym of its own
        ops_roster.add_membership(vault, m, first, "active", date(2024, 1, 8))
    left = ops_roster.add_membership(vault, ids[2], first, "active", date(2024, 1, 8)).value
    ops_roster.change_status(vault, left.id, "left", date(2024, 3, 4))
    ops_roster.rejoin(vault, left.id, date(2024, 6, 3), "active")  # a second membership
    ops_roster.add_membership(vault, ids[2], second, "active", date(2024, 1, 8))
    ops_roster.archive_member(vault, ids[1])
    ops_groups.archive_group(vault, second)
    return first, second


def test_pseudonyms_are_the_rosters(vault: Vault) -> None:
    first, second = _practice(vault)
    for group_id in (first, second):
        roster = {r.member_id: r.pseudonym
                  for r in query(vault, members.list_memberships, group_id)}
        assert query(vault, members.pseudonyms, group_id) == roster
    assert len(set(query(vault, members.pseudonyms, first).values())) == 3


def test_names_and_rooms_of_every_group(vault: Vault) -> None:
    _practice(vault)
    assert query(vault, groups.names_and_rooms) == [
        (g.name, g.room) for g in query(vault, groups.list_groups, include_archived=True)]
    assert ("Anxiety group", "") in query(vault, groups.names_and_rooms)  # archived too


def test_list_members_reads_what_the_records_hold(vault: Vault) -> None:
    _practice(vault)

    def from_records(db: Session, include_archived: bool) -> list[MemberSnap]:
        rows = db.scalars(select(Member).order_by(Member.full_name, Member.id))
        return [members.member_snapshot(m) for m in rows
                if include_archived or not m.archived]

    for include_archived in (True, False):
        assert (query(vault, members.list_members, include_archived=include_archived)
                == query(vault, from_records, include_archived))
    everyone = query(vault, members.list_members, include_archived=True)
    assert [m.also_written_as for m in everyone if m.full_name == "Maria Kowalski"] == [
        ("Marysia",)]
    assert len(query(vault, members.list_members)) == 2

"""Operations on the roster: members, memberships, their lifecycle, CSV import."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from groupleader.data import outputs, roster_csv
from groupleader.data.models import AuditEvent, MembershipStatus
from groupleader.data.operations.base import Changes, Done, Unit, query, unit
from groupleader.data.services import members
from groupleader.data.snapshots import MembershipSnap, MemberSnap, MemberSpec
from groupleader.data.vault import Vault
from groupleader.errors import InvalidInput

S = MembershipStatus
WRITTEN_SINCE = ("This import can no longer be undone: something else has been written to "
                 "the vault since. Change or remove the imported members one by one.")


@dataclass(frozen=True)
class ImportUndo:
    """What one import wrote, so that `undo_import` can take exactly that back.

    `last_event` is the id of the import's own last audit event: the undo is allowed only
    while it is still the vault's last event (every write records one, so nothing else
    has been written since). `restore` holds each merged member's details and archived
    flag as they were before the import. Held in memory only (on the undo stack).
    """

    group_id: int
    last_event: int
    created: tuple[int, ...]  # new members (their memberships go with them)
    memberships: tuple[int, ...]  # every membership the import made
    restore: tuple[tuple[int, MemberSpec, bool], ...]  # (member id, details, archived)


@dataclass(frozen=True)
class Imported(roster_csv.ImportResult):
    """An import's result, with what its undo needs."""

    undo: ImportUndo | None = field(default=None, repr=False)


def last_event_id(db: Session) -> int:
    """The id of the vault's newest audit event (0 when there is none)."""
    return int(db.scalar(select(func.max(AuditEvent.id))) or 0)


def spec_of(m: MemberSnap) -> MemberSpec:
    """Every stored detail of a member, as the spec that writes them back."""
    return MemberSpec(
        full_name=m.full_name, preferred_name=m.preferred_name, pronouns=m.pronouns,
        dob=m.dob, phone=m.phone, email=m.email, emergency_contact=m.emergency_contact,
        presenting_concerns=m.presenting_concerns, referral_source=m.referral_source,
        also_written_as=m.also_written_as)


def _member_changed(member_id: int, *group_ids: int) -> Changes:
    return Changes(groups=frozenset(group_ids), roster=True, members=frozenset({member_id}))


def _groups_of(u: Unit, member_id: int) -> tuple[int, ...]:
    """Every group the member has (or had) a membership of: each shows their name."""
    return tuple(members.groups_of_member(u.db, member_id))


def create_member(vault: Vault, spec: MemberSpec) -> Done[MemberSnap]:
    """A member in the vault but on no group's roster yet."""
    with unit(vault) as u:
        m = members.create_member(u.db, spec)
        u.audit("member.create", "member", m.id)
        return Done(m, _member_changed(m.id))


def add_member_to_group(
    vault: Vault, spec: MemberSpec, group_id: int, status: str = S.REFERRED,
    on_date: date | None = None, reason: str = "",
) -> Done[MembershipSnap]:
    """A new member put straight on a group's roster: both or neither are written."""
    with unit(vault) as u:
        m = members.create_member(u.db, spec)
        ms = members.add_membership(u.db, m.id, group_id, status, on_date, reason)
        u.audit("member.create", "member", m.id)
        u.audit("membership.create", "membership", ms.id)
        return Done(ms, _member_changed(m.id, group_id))


def update_member(vault: Vault, member_id: int, spec: MemberSpec, *,
                  keep_old_names: bool = True) -> Done[MemberSnap]:
    """See `members.update_member`: a changed name stays one of the other spellings."""
    with unit(vault) as u:
        m = members.update_member(u.db, member_id, spec, keep_old_names=keep_old_names)
        u.audit_if_wrote("member.update", "member", m.id)
        return Done(m, _member_changed(m.id, *_groups_of(u, m.id)))


def archive_member(vault: Vault, member_id: int, archived: bool = True) -> Done[MemberSnap]:
    with unit(vault) as u:
        m = members.archive_member(u.db, member_id, archived)
        u.audit("member.archive" if archived else "member.restore", "member", m.id)
        return Done(m, _member_changed(m.id, *_groups_of(u, m.id)))


def delete_member_if_empty(vault: Vault, member_id: int) -> Done[bool]:
    """Undo of adding a member by mistake: deletes only a member with no clinical record."""
    with unit(vault) as u:
        groups = _groups_of(u, member_id)  # before the memberships go with the member
        deleted = members.delete_member_if_empty(u.db, member_id)
        if deleted:
            u.audit("member.delete", "member", member_id)
        return Done(deleted, _member_changed(member_id, *groups) if deleted else Changes())


def add_membership(
    vault: Vault, member_id: int, group_id: int, status: str = S.REFERRED,
    on_date: date | None = None, reason: str = "",
) -> Done[MembershipSnap]:
    with unit(vault) as u:
        ms = members.add_membership(u.db, member_id, group_id, status, on_date, reason)
        u.audit("membership.create", "membership", ms.id)
        return Done(ms, _member_changed(member_id, group_id))


def rejoin(
    vault: Vault, membership_id: int, on_date: date | None = None,
    status: str = S.REFERRED, reason: str = "",
) -> Done[MembershipSnap]:
    with unit(vault) as u:
        ms = members.rejoin(u.db, membership_id, on_date, status, reason)
        u.audit("membership.rejoin", "membership", ms.id)
        return Done(ms, _member_changed(ms.member_id, ms.group_id))


def change_status(
    vault: Vault, membership_id: int, new_status: str, on_date: date | None = None,
    reason: str = "",
) -> Done[MembershipSnap]:
    with unit(vault) as u:
        ms = members.change_status(u.db, membership_id, new_status, on_date, reason)
        u.audit("membership.status", "membership", ms.id)
        return Done(ms, _member_changed(ms.member_id, ms.group_id))


def import_roster(
    vault: Vault,
    group_id: int,
    parsed: roster_csv.ParsedRoster,
    *,
    on_duplicate: Mapping[int, str] | str | None = None,
    skip_bad: bool = False,
    progress: roster_csv.Progress | None = None,
) -> Done[Imported]:
    """Write the parsed rows into the group in one unit of work: all of them or nothing.

    Each row goes through the same member services as the member dialog (create or merge
    the member, then the membership), so an import and typing the same details produce
    identical records. `on_duplicate` is "merge" or "skip" for every duplicate, or a
    choice per line; a duplicate without a choice refuses the import, and so do bad rows
    unless `skip_bad`. `progress(done, total)` may raise to cancel: nothing is written.
    The result carries an `ImportUndo` for `undo_import`.
    """
    roster_csv.check_importable(parsed, skip_bad)
    with unit(vault) as u:
        dups = roster_csv.check_import(u.db, group_id, parsed, on_duplicate)
        writer = _ImportWriter(u, group_id)
        total = len(parsed.rows)
        for done, row in enumerate(parsed.rows, 1):
            writer.write(row, dups.get(row.line), roster_csv.decision(on_duplicate, row.line))
            if progress is not None and (done % 200 == 0 or done == total):
                progress(done, total)
        u.audit("roster.import", "group", group_id)
        undo = ImportUndo(
            group_id=group_id, last_event=last_event_id(u.db),
            created=tuple(writer.new_members), memberships=tuple(writer.memberships),
            restore=tuple(writer.restore.values()))
        result = Imported(
            created=writer.created, merged=writer.merged,
            skipped=writer.skipped + len(parsed.bad), membership_ids=tuple(writer.memberships),
            undo=undo)
        return Done(result, Changes(groups=frozenset({group_id}), roster=True,
                                    members=frozenset(writer.member_ids)))


def undo_import(vault: Vault, undo: ImportUndo) -> Done[int]:
    """Take one import back as one step: delete the members and memberships it created
    (with their status history) and give merged members back their details and archived
    flag. Refused, changing nothing, once anything else has been written since the import
    (InvalidInput, with the reason). The value is how many memberships were removed."""
    with unit(vault) as u:
        if last_event_id(u.db) != undo.last_event:
            raise InvalidInput(WRITTEN_SINCE)
        members.delete_imported(u.db, undo.created, undo.memberships)
        for member_id, spec, archived in undo.restore:
            members.update_member(u.db, member_id, spec, keep_old_names=False)  # exactly
            if archived:
                members.archive_member(u.db, member_id, archived=True)
        u.audit("roster.import.undo", "group", undo.group_id)
        u.audit("membership.delete", "membership", *undo.memberships)
        u.audit("member.delete", "member", *undo.created)
        u.audit("member.update", "member", *(r[0] for r in undo.restore))
        u.audit("member.archive", "member", *(r[0] for r in undo.restore if r[2]))
        touched = frozenset(undo.created) | {r[0] for r in undo.restore}
        return Done(len(undo.memberships), Changes(
            groups=frozenset({undo.group_id}), roster=True, members=touched))


class _ImportWriter:
    """Writes import rows through the member services into one open unit of work."""

    def __init__(self, u: Unit, group_id: int) -> None:
        self.u, self.group_id = u, group_id
        self.by_line: dict[int, int | None] = {}  # line -> member id (None: skipped)
        self.created = self.merged = self.skipped = 0
        self.memberships: list[int] = []
        self.member_ids: set[int] = set()
        self.new_members: list[int] = []
        self.restore: dict[int, tuple[int, MemberSpec, bool]] = {}  # before the first merge

    def write(self, row: roster_csv.ImportRow, dup: roster_csv.Duplicate | None,
              choice: str | None) -> None:
        db, u = self.u.db, self.u
        if row.same_as is not None:
            member_id = self.by_line.get(row.same_as)
            if member_id is None:  # the first row of this person was skipped
                self.skipped += 1
                return
        elif dup is not None:
            if choice == "skip":
                self.by_line[row.line] = None
                self.skipped += 1
                return
            member_id = dup.member_id
            old = members.get_member(db, member_id)
            self.restore.setdefault(member_id, (member_id, spec_of(old), old.archived))
            if old.archived:
                members.archive_member(db, member_id, archived=False)
                u.audit("member.restore", "member", member_id)
            members.update_member(db, member_id, roster_csv.merge_spec(old, row.spec))
            u.audit("member.update", "member", member_id)
            self.merged += 1
            self.by_line[row.line] = member_id
            self.member_ids.add(member_id)
            if dup.on_roster:
                return
        else:
            member_id = members.create_member(db, row.spec).id
            u.audit("member.create", "member", member_id)
            self.created += 1
            self.new_members.append(member_id)
        self.by_line[row.line] = member_id
        self.member_ids.add(member_id)
        try:
            ms = members.add_membership(
                db, member_id, self.group_id, row.status, row.joined,
                roster_csv.IMPORT_REASON, ended=row.ended, imported=True)
        except InvalidInput as err:  # the file's line, as the preview's reasons give it
            raise InvalidInput(f"Line {row.line}: {err.message}", err.field) from None
        u.audit("membership.create", "membership", ms.id)
        self.memberships.append(ms.id)


def export_roster(vault: Vault, group_id: int, dest: Path | str) -> Done[int]:
    """Write the group's roster to a CSV file (whole or nothing); how many rows.

    `dest` may replace an existing CSV (the caller has asked), never the vault, a backup
    or any other kind of file (`groupleader.data.outputs.check_destination`).
    """
    dest = outputs.check_destination(dest, outputs.Kind.CSV, vault_path=vault.path,
                                     replace=True)
    rows = query(vault, roster_csv.export_rows, group_id)
    roster_csv.write_csv(dest, roster_csv.roster_csv_bytes(rows))
    # Exporting only reads: its event waits for the next real write, like a PDF export's,
    # so the vault stays byte-identical and a read-only vault exports too.
    vault.audit_later("roster.export", "group", (group_id,))
    return Done(len(rows) - 1)

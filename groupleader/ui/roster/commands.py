"""Undoable roster edits (QUndoCommand), and the service calls behind the roster's actions.

The view does an action first (so a refused one shows its message in the dialog, next
to the field) and then pushes a command that is already done: its first `redo()` does
nothing. Undo and later redos call the services again.

What Ctrl+Z undoes: adding a member (only while nothing was recorded about them: the
service then deletes the mistaken entry), editing a member's details, archiving and
restoring. Status changes and rejoins are dated history rows that the services never
rewrite, so they are not on the undo stack; a wrong one is corrected by a later change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from PySide6.QtGui import QUndoCommand

from groupleader.data.operations import roster as ops_roster
from groupleader.data.snapshots import MembershipSnap, MemberSnap, MemberSpec
from groupleader.data.vault import Vault
from groupleader.errors import GroupLeaderError

FAREWELL_PREFIX = "Farewell note: "


class Runner(Protocol):
    """What a command needs from the view: the vault, a refresh, a place for errors."""

    def vault(self) -> Vault: ...

    def changed(self) -> None: ...

    def show_error(self, message: str) -> None: ...


def spec_of(m: MemberSnap) -> MemberSpec:
    return MemberSpec(
        full_name=m.full_name, preferred_name=m.preferred_name, pronouns=m.pronouns,
        dob=m.dob, phone=m.phone, email=m.email, emergency_contact=m.emergency_contact,
        presenting_concerns=m.presenting_concerns, referral_source=m.referral_source)


def add_member_to_group(
    vault: Vault, group_id: int, spec: MemberSpec, status: str, on_date: date
) -> tuple[MemberSnap, MembershipSnap]:
    """Create the member and put them on the roster; a refused roster entry removes the
    member again, so a full group does not leave a member with no group behind."""
    member = ops_roster.create_member(vault, spec).value
    try:
        ms = ops_roster.add_membership(vault, member.id, group_id, status, on_date).value
    except GroupLeaderError:
        ops_roster.delete_member_if_empty(vault, member.id)
        raise
    return member, ms


def status_reason(reason: str, farewell: str) -> str:
    """The reason stored with a status change, with the farewell note after it."""
    reason, farewell = reason.strip(), farewell.strip()
    if not farewell:
        return reason
    return f"{reason}\n\n{FAREWELL_PREFIX}{farewell}" if reason else FAREWELL_PREFIX + farewell


Action = Callable[[Vault], object]  # a service call; its result is not needed


class _ServiceCommand(QUndoCommand):
    """A command whose first redo is skipped (the action already ran).

    `do` repeats the action (redo after an undo); `undo` reverses it. Both call services.
    """

    def __init__(self, runner: Runner, text: str, do: Action, undo: Action) -> None:
        super().__init__(text)
        self.runner = runner
        self._do, self._undo = do, undo
        self._skip_redo = True

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._run(self._do)

    def undo(self) -> None:
        self._run(self._undo)

    def _run(self, action: Action) -> None:
        try:
            action(self.runner.vault())
        except GroupLeaderError as err:
            self.setObsolete(True)  # the stack drops it: it cannot be repeated either
            self.runner.show_error(err.message)
            return
        self.runner.changed()


@dataclass
class _Added:
    member_id: int
    membership_id: int


class AddMemberCommand(_ServiceCommand):
    def __init__(
        self, runner: Runner, group_id: int, spec: MemberSpec, status: str, on_date: date,
        member_id: int, membership_id: int,
    ) -> None:
        super().__init__(runner, "Add member", self._add, self._remove)
        self.group_id, self.spec, self.status, self.on_date = group_id, spec, status, on_date
        self.added = _Added(member_id, membership_id)

    def _add(self, vault: Vault) -> None:
        member, ms = add_member_to_group(vault, self.group_id, self.spec, self.status,
                                         self.on_date)
        self.added = _Added(member.id, ms.id)

    def _remove(self, vault: Vault) -> None:
        if not ops_roster.delete_member_if_empty(vault, self.added.member_id).value:
            raise GroupLeaderError(
                "This member can no longer be removed: attendance, seating or notes were "
                "recorded for them. Archive them instead.")


class EditMemberCommand(_ServiceCommand):
    def __init__(self, runner: Runner, member_id: int, old: MemberSpec, new: MemberSpec) -> None:
        super().__init__(
            runner, "Edit member",
            lambda vault: ops_roster.update_member(vault, member_id, new).value,
            lambda vault: ops_roster.update_member(vault, member_id, old).value,
        )
        self.member_id, self.old, self.new = member_id, old, new


class ArchiveMemberCommand(_ServiceCommand):
    def __init__(self, runner: Runner, member_id: int, archived: bool) -> None:
        super().__init__(
            runner, "Archive member" if archived else "Restore member",
            lambda vault: ops_roster.archive_member(vault, member_id, archived).value,
            lambda vault: ops_roster.archive_member(vault, member_id, not archived).value,
        )
        self.member_id, self.archived = member_id, archived

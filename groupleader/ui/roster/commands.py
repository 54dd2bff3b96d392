"""Undoable roster edits (QUndoCommand), and the service calls behind the roster's actions.

The view does an action first (so a refused one shows its message in the dialog, next
to the field) and then pushes a command that is already done: its first `redo()` does
nothing. Undo and later redos call the services again.

What Ctrl+Z undoes: adding a member (only while nothing was recorded about them: the
service then deletes the mistaken entry), editing a member's details, archiving and
restoring, and a whole CSV import as one step (only while nothing else has been written
to the vault since: `operations.roster.undo_import` says why otherwise). Status changes
and rejoins are dated history rows that the services never rewrite, so they are not on
the undo stack; a wrong one is corrected by a later change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand

from groupleader.data.operations import Done
from groupleader.data.operations import roster as ops_roster
from groupleader.data.snapshots import MembershipSnap, MemberSnap, MemberSpec
from groupleader.data.vault import Vault
from groupleader.errors import GroupLeaderError

FAREWELL_PREFIX = "Farewell note: "


class Host(Protocol):
    """What a command needs from the view: a way to run operations, a place for errors."""

    def run(self, op: Action) -> Any: ...

    def show_error(self, message: str) -> None: ...


def spec_of(m: MemberSnap) -> MemberSpec:
    return MemberSpec(
        full_name=m.full_name, preferred_name=m.preferred_name, pronouns=m.pronouns,
        dob=m.dob, phone=m.phone, email=m.email, emergency_contact=m.emergency_contact,
        presenting_concerns=m.presenting_concerns, referral_source=m.referral_source,
        also_written_as=m.also_written_as)


def status_reason(reason: str, farewell: str) -> str:
    """The reason stored with a status change, with the farewell note after it."""
    reason, farewell = reason.strip(), farewell.strip()
    if not farewell:
        return reason
    return f"{reason}\n\n{FAREWELL_PREFIX}{farewell}" if reason else FAREWELL_PREFIX + farewell


Action = Callable[[Vault], Done[Any]]  # one operation on the open vault


class _ServiceCommand(QUndoCommand):
    """A command whose first redo is skipped (the action already ran).

    `do` repeats the action (redo after an undo); `undo` reverses it. Both call services.
    """

    def __init__(self, host: Host, text: str, do: Action, undo: Action) -> None:
        super().__init__(text)
        self.host = host
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
            self.host.run(action)
        except GroupLeaderError as err:
            self.setObsolete(True)  # the stack drops it: it cannot be repeated either
            self.host.show_error(err.message)


@dataclass
class _Added:
    member_id: int
    membership_id: int


class AddMemberCommand(_ServiceCommand):
    def __init__(
        self, host: Host, group_id: int, spec: MemberSpec, status: str, on_date: date,
        member_id: int, membership_id: int,
    ) -> None:
        super().__init__(host, "Add member", self._add, self._remove)
        self.group_id, self.spec, self.status, self.on_date = group_id, spec, status, on_date
        self.added = _Added(member_id, membership_id)

    def _add(self, vault: Vault) -> Done[MembershipSnap]:
        done = ops_roster.add_member_to_group(vault, self.spec, self.group_id, self.status,
                                              self.on_date)
        self.added = _Added(done.value.member_id, done.value.id)
        return done

    def _remove(self, vault: Vault) -> Done[bool]:
        done = ops_roster.delete_member_if_empty(vault, self.added.member_id)
        if not done.value:
            raise GroupLeaderError(
                "This member can no longer be removed: attendance, seating or notes were "
                "recorded for them. Archive them instead.")
        return done


class EditMemberCommand(_ServiceCommand):
    def __init__(self, host: Host, member_id: int, old: MemberSpec, new: MemberSpec) -> None:
        super().__init__(
            host, "Edit member",
            lambda vault: ops_roster.update_member(vault, member_id, new),
            # back exactly as they were: the new name is not kept as a spelling
            lambda vault: ops_roster.update_member(vault, member_id, old,
                                                   keep_old_names=False),
        )
        self.member_id, self.old, self.new = member_id, old, new


class ArchiveMemberCommand(_ServiceCommand):
    def __init__(self, host: Host, member_id: int, archived: bool) -> None:
        super().__init__(
            host, "Archive member" if archived else "Restore member",
            lambda vault: ops_roster.archive_member(vault, member_id, archived),
            lambda vault: ops_roster.archive_member(vault, member_id, not archived),
        )
        self.member_id, self.archived = member_id, archived


class ImportCommand(_ServiceCommand):
    """A roster import, already done. Undo takes it all back (`undo_import`) and is final:
    the entry then leaves the history, so there is no redo. Importing again goes through
    Import CSV… (its preview, progress bar and worker thread); a redo would have run a
    large file on this thread, freezing the window."""

    def __init__(self, host: Host, result: ops_roster.Imported) -> None:
        super().__init__(host, "Import roster", self._refuse_redo, self._take_back)
        self.result = result

    def undo(self) -> None:
        super().undo()
        self.setObsolete(True)  # taken back or refused: either way nothing to redo

    @staticmethod
    def _refuse_redo(_vault: Vault) -> Done[None]:  # never reached: the entry is gone
        raise GroupLeaderError("Import the file again with Import CSV….")

    def _take_back(self, vault: Vault) -> Done[int]:
        if self.result.undo is None:
            raise GroupLeaderError("This import cannot be undone.")
        return ops_roster.undo_import(vault, self.result.undo)

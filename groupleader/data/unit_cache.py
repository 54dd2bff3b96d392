"""What the open vault remembers between units of work, handed to each in `Session.info`.

Two things, both kept only while the vault is open and held under its lock:

- the audit trail's tail (`audit.Tail`: keys, length, last MAC and last event), so an
  append does not read the secret and the head again, and an editing burst can be
  coalesced; each append still checks the stored head against it (one small read), so a
  head changed behind the cache is never chained onto;
- the note editors already validated (`Editor`: the session was not cancelled, the
  member was active in the group that day, the note is not signed; `GroupEditor` for a
  session's group note). Those facts change
  only by other writes, so the vault forgets every editor after any unit of work that
  wrote and was not a note save alone (`NOTE_SAVE_ONLY`), and after any rollback;
- whether a member note's search entry may be waiting for the end of its editing burst
  (`FTS_BEHIND`, migration 0011): the lean save leaves it for later, and the vault
  catches every entry up (`search.catch_up`) in any other unit of work that writes, and
  when it is locked or closed; a search catches up first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from groupleader.data.snapshots import GroupNoteFields, MemberNoteFields, NoteStatus

TAIL = "groupleader.audit_tail"  # audit.Tail | None
# dict[(meeting id, member id), Editor]; a group note's is (meeting id, GROUP_NOTE)
EDITORS = "groupleader.note_editors"
NOTE_SAVE_ONLY = "groupleader.note_save_only"  # set by the save operation, for the vault
# set by a lean save that left its note's search entry for later (migration 0011)
FTS_LATER = "groupleader.fts_later"
# bool, from the vault: whether any search entry may be waiting (`search.catch_up`)
FTS_BEHIND = "groupleader.fts_behind"
READ_ONLY = "groupleader.read_only"  # bool, from the vault: its writes are refused


@dataclass(frozen=True)
class Editor:
    """One member note as its open editor saves it: checked once, then saved lean."""

    note_id: int
    group_id: int
    display_name: str
    pseudonym: str
    fields: MemberNoteFields
    updated_at: datetime
    status: NoteStatus
    behind: bool = False  # its search entry waits for the end of the burst (committed)


GROUP_NOTE = 0  # in `EDITORS`, the member id under which a session's group note is kept


@dataclass(frozen=True)
class GroupEditor:
    """A session's group note as its open editor saves it: checked once (the session is
    there and not cancelled, the note not signed), then saved lean."""

    note_id: int
    group_id: int
    fields: GroupNoteFields
    updated_at: datetime
    status: NoteStatus

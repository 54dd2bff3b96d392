"""Operations on notes: saving (autosave), signing, addenda, co-signing.

Signing, "Sign all" and co-signing take the signer's PIN and check it first, in the same
unit of work (`services.pins.check_pin`): a wrong PIN raises before anything is written,
so nothing is signed and no audit event is recorded.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, TypeVar

from groupleader.data import audit, unit_cache
from groupleader.data.models import NoteKind
from groupleader.data.operations.base import Changes, Done, Unit, unit
from groupleader.data.services import notes, pins
from groupleader.data.snapshots import (
    GroupNoteFields,
    GroupNoteSnap,
    MemberNoteFields,
    MemberNoteSnap,
    NoteStatus,
    PrivateNoteSnap,
)
from groupleader.data.vault import Vault

N = TypeVar("N", GroupNoteSnap, MemberNoteSnap, PrivateNoteSnap)


def _notes_changed(u: Unit, meeting_id: int) -> Changes:
    return Changes(groups=frozenset({u.group_of(meeting_id)}), notes=frozenset({meeting_id}))


def _saved(u: Unit, kind: str, note: N, meeting_id: int) -> Done[N]:
    """A note's save: its audit event and change set only if it wrote anything."""
    if not u.wrote():
        return Done(note)
    action, record_type = f"note.{kind}.save", f"{kind}_note"
    if not audit.continues_burst(u.db, action, record_type, note.id):
        u.audit(action, record_type, note.id)
    return Done(note, _notes_changed(u, meeting_id))


def get_or_create_group_note(vault: Vault, meeting_id: int) -> Done[GroupNoteSnap]:
    with unit(vault) as u:
        return _saved(u, "group", notes.get_or_create_group_note(u.db, meeting_id), meeting_id)


def save_group_note(
    vault: Vault, meeting_id: int, fields: GroupNoteFields
) -> Done[GroupNoteSnap]:
    """Save the whole group note (an autosave); an unchanged note writes nothing."""
    with unit(vault) as u:
        u.db.info[unit_cache.NOTE_SAVE_ONLY] = True  # the vault keeps its checked editors
        return _saved(u, "group", notes.save_group_note(u.db, meeting_id, fields), meeting_id)


def save_member_note(
    vault: Vault, meeting_id: int, member_id: int, fields: MemberNoteFields
) -> Done[MemberNoteSnap]:
    with unit(vault) as u:
        u.db.info[unit_cache.NOTE_SAVE_ONLY] = True  # the vault keeps its checked editors
        note = notes.save_member_note(u.db, meeting_id, member_id, fields)
        return _saved(u, "member", note, meeting_id)


def save_private_note(
    vault: Vault, meeting_id: int, text: str, author_id: int | None = None
) -> Done[PrivateNoteSnap]:
    with unit(vault) as u:
        note = notes.save_private_note(u.db, meeting_id, text, author_id)
        return _saved(u, "private", note, meeting_id)


def _check_pin(vault: Vault, u: Unit, clinician_id: int, pin: str) -> None:
    """The signer's PIN, checked before anything is written (a wrong one raises)."""
    pins.check_pin(u.db, clinician_id, pin, where=str(vault.path))


def sign_note(
    vault: Vault, kind: str, note_id: int, clinician_id: int, *, pin: str
) -> Done[NoteStatus]:
    with unit(vault) as u:
        _check_pin(vault, u, clinician_id, pin)
        status = notes.sign_note(u.db, kind, note_id, clinician_id)
        u.audit(f"note.{kind}.sign", f"{kind}_note", note_id,
                details=notes.signature_details(u.db, kind, [note_id]))
        return Done(status, _notes_changed(u, notes.meeting_of_note(u.db, kind, note_id)))


def sign_meeting_notes(
    vault: Vault, meeting_id: int, clinician_id: int,
    kinds: Sequence[str] = (NoteKind.GROUP, NoteKind.MEMBER),
    *, pin: str, member_ids: Collection[int] | None = None,
) -> Done[int]:
    """"Sign all": every unsigned note of the session that says anything; how many."""
    with unit(vault) as u:
        _check_pin(vault, u, clinician_id, pin)
        signed = notes.sign_meeting_notes(
            u.db, meeting_id, clinician_id, kinds, member_ids=member_ids)
        for kind in dict.fromkeys(k for k, _ in signed):
            ids = [note_id for k, note_id in signed if k == kind]
            u.audit(f"note.{kind}.sign", f"{kind}_note", *ids,
                    details=notes.signature_details(u.db, kind, ids))
        changes = _notes_changed(u, meeting_id) if signed else Changes()
        return Done(len(signed), changes)


def add_addendum(
    vault: Vault, kind: str, note_id: int, clinician_id: int, text: str, *, pin: str
) -> Done[NoteStatus]:
    """An addendum in `clinician_id`'s name, who proves it with their PIN (as signing does):
    a wrong PIN writes nothing."""
    with unit(vault) as u:
        _check_pin(vault, u, clinician_id, pin)
        status = notes.add_addendum(u.db, kind, note_id, clinician_id, text)
        u.audit(f"note.{kind}.addendum", f"{kind}_note", note_id,
                details=[notes.last_addendum_detail(u.db, kind, note_id)])
        return Done(status, _notes_changed(u, notes.meeting_of_note(u.db, kind, note_id)))


def add_amendment(
    vault: Vault, meeting_id: int, clinician_id: int, change: Mapping[str, Any], reason: str,
    *, pin: str,
) -> Done[NoteStatus]:
    """Correct a signed session's attendance, date and time, or (in words) its seating:
    a dated amendment of its group note (`services.notes.add_amendment`), in
    `clinician_id`'s name, proved with their PIN: a wrong PIN writes nothing."""
    with unit(vault) as u:
        _check_pin(vault, u, clinician_id, pin)
        status = notes.add_amendment(u.db, meeting_id, clinician_id, change, reason)
        u.audit("meeting.amendment", "meeting", meeting_id,
                details=[notes.last_addendum_detail(
                    u.db, NoteKind.GROUP, notes.group_note_id(u.db, meeting_id) or -1)])
        changes = _notes_changed(u, meeting_id) | Changes(
            attendance=frozenset({meeting_id}) if change.get("field") == "attendance"
            else frozenset(),
            meetings=frozenset({meeting_id}) if change.get("field") == "time" else frozenset())
        return Done(status, changes)


def cosign_note(
    vault: Vault, kind: str, note_id: int, supervisor_id: int, *, pin: str
) -> Done[NoteStatus]:
    with unit(vault) as u:
        _check_pin(vault, u, supervisor_id, pin)
        status = notes.cosign_note(u.db, kind, note_id, supervisor_id)
        u.audit(f"note.{kind}.cosign", f"{kind}_note", note_id,
                details=[notes.cosignature_detail(u.db, kind, note_id)])
        return Done(status, _notes_changed(u, notes.meeting_of_note(u.db, kind, note_id)))


def cosign_notes(
    vault: Vault, items: Sequence[tuple[str, int]], supervisor_id: int, *, pin: str
) -> Done[int]:
    """Co-sign several notes (from the supervisor's queue) with one PIN: all or none.

    `items` are (kind, note id); each is co-signed as `cosign_note` does. Returns how many."""
    with unit(vault) as u:
        _check_pin(vault, u, supervisor_id, pin)
        changes, unique = Changes(), list(dict.fromkeys(items))
        for kind, note_id in unique:
            notes.cosign_note(u.db, kind, note_id, supervisor_id)
            u.audit(f"note.{kind}.cosign", f"{kind}_note", note_id,
                    details=[notes.cosignature_detail(u.db, kind, note_id)])
            changes = changes | _notes_changed(u, notes.meeting_of_note(u.db, kind, note_id))
        return Done(len(unique), changes)

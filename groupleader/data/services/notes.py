"""Notes: group notes, member notes and private (process) notes; signing, addenda, co-signing.

A signed note never changes: saving different content raises ``SignedNoteError`` (and a
trigger in the vault refuses it too). Corrections are addenda; a correction of a signed
session's facts (attendance, date and time, seating) is an amendment (`add_amendment`).
A supervisor co-signs a signed note after review. Private notes are read only by callers
that ask for them.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import astuple, replace
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Dialect, Row, Select, Table, bindparam, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from groupleader import amendments, factors, note_fields
from groupleader.data import clock, digests, unit_cache
from groupleader.data.models import (
    Addendum,
    AddendumKind,
    AttendanceStatus,
    Clinician,
    ClinicianRole,
    GroupStage,
    Meeting,
    MeetingNote,
    MeetingStatus,
    Member,
    MemberNote,
    NoteKind,
    PrivateNote,
    Signature,
)
from groupleader.data.services import amendments as amendments_svc
from groupleader.data.services import members as members_svc
from groupleader.data.services._common import (
    aware,
    choice,
    clinician_snaps,
    fetch,
    local_date,
    pseudonym_in,
    session_snaps,
    text,
    whole,
)
from groupleader.data.services.meetings import HOLD_AHEAD, attendance_for, attendance_rows
from groupleader.data.services.seating import chairs_of, counts_of, interactions_of
from groupleader.data.snapshots import (
    AddendumSnap,
    ClinicianSnap,
    GroupNoteFields,
    GroupNoteSnap,
    MeetingNotes,
    MemberNoteFields,
    MemberNoteSnap,
    NoteStatus,
    PrivateNoteSnap,
)
from groupleader.errors import InvalidInput, SignedNoteError

NoteRow = MeetingNote | MemberNote | PrivateNote
ReadRow = Row[*tuple[Any, ...]]  # a row of columns read without the ORM
MODELS: dict[str, type[NoteRow]] = {
    NoteKind.GROUP: MeetingNote, NoteKind.MEMBER: MemberNote, NoteKind.PRIVATE: PrivateNote}
SIGNATURE_COLUMN: dict[str, InstrumentedAttribute[int | None]] = {
    NoteKind.GROUP: Signature.meeting_note_id,
    NoteKind.MEMBER: Signature.member_note_id,
    NoteKind.PRIVATE: Signature.private_note_id,
}
# Characters per note field (and addendum): a 1 MB paste fits, absurd input is refused.
NOTE_LIMIT = 2_000_000


# ---------------------------------------------------------------- status


_signatures, _addenda = Signature.__table__.c, Addendum.__table__.c
_NOTE_OF_SIGNATURE = {str(kind): _signatures[column.key]
                      for kind, column in SIGNATURE_COLUMN.items()}
# The signatures of the notes of each kind given (built once, of table columns: the
# docstring of `_common` says why), and their addenda, oldest first.
_SIGNATURES = select(
    _signatures.id, *_NOTE_OF_SIGNATURE.values(), _signatures.signed_by_id,
    _signatures.signed_at, _signatures.cosigned_by_id, _signatures.cosigned_at,
).where(or_(*(column.in_(bindparam(kind, expanding=True))
              for kind, column in _NOTE_OF_SIGNATURE.items())))
_ADDENDA = (
    select(_addenda.id, _addenda.signature_id, _addenda.clinician_id, _addenda.created_at,
           _addenda.text, _addenda.kind, _addenda.change)
    .where(_addenda.signature_id.in_(bindparam("signature_ids", expanding=True)))
    .order_by(_addenda.created_at, _addenda.id)
)


def _statuses(db: Session, note_ids: Mapping[str, Collection[int]],
              people: dict[int, ClinicianSnap] | None = None
              ) -> dict[tuple[str, int], NoteStatus]:
    """Signature, co-signature and addenda of the notes of each kind in `note_ids`, by
    (kind, note id); a note not signed has none. Three queries whatever their number (the
    signatures, their addenda, the clinicians not in `people` yet: none when it knows them
    all), read as columns."""
    ids = {kind: sorted(note_ids.get(kind, ())) for kind in _NOTE_OF_SIGNATURE}
    sigs = db.execute(_SIGNATURES, ids).all() if any(ids.values()) else []
    if not sigs:
        return {}
    addenda = db.execute(_ADDENDA, {"signature_ids": [s.id for s in sigs]}).all()
    signers = [id_ for s in sigs for id_ in (s.signed_by_id, s.cosigned_by_id)]
    who = clinician_snaps(db, [*signers, *(a.clinician_id for a in addenda)],
                          {} if people is None else people)
    by_signature: dict[int, list[AddendumSnap]] = {}
    for a in addenda:
        by_signature.setdefault(a.signature_id, []).append(AddendumSnap(
            a.id, a.clinician_id, who[a.clinician_id].name, a.created_at, a.text, str(a.kind),
            a.change))
    result = {}
    for s in sigs:
        result[_signed_note(s)] = NoteStatus(
            signed_by=who[s.signed_by_id], signed_at=s.signed_at,
            cosigned_by=who.get(s.cosigned_by_id) if s.cosigned_by_id else None,
            cosigned_at=s.cosigned_at, addenda=tuple(by_signature.get(s.id, ())))
    return result


def _signed_note(s: ReadRow) -> tuple[str, int]:
    """The (kind, id) of the one note a row of `_SIGNATURES` signs."""
    for kind, column in _NOTE_OF_SIGNATURE.items():
        note_id = getattr(s, column.key)
        if note_id is not None:
            return kind, note_id
    raise AssertionError("a signature signs exactly one note (its CHECK constraint)")


def _status(db: Session, kind: str, note_id: int) -> NoteStatus:
    return _statuses(db, {kind: [note_id]}).get((kind, note_id), NoteStatus())


def _signature(db: Session, kind: str, note_id: int) -> Signature | None:
    return db.scalars(select(Signature).where(SIGNATURE_COLUMN[kind] == note_id)).first()


# ---------------------------------------------------------------- snapshots
# Each builder takes a note's ORM row or a row of the same columns (`load_meeting_notes`).


def _group_fields(n: MeetingNote | ReadRow) -> GroupNoteFields:
    return GroupNoteFields(
        themes=n.themes, here_and_now=n.here_and_now, interventions=n.interventions,
        factors=tuple(n.factors), stage=n.stage, critical_incidents=n.critical_incidents,
        boundary_incidents=n.boundary_incidents, risk=n.risk, plan=n.plan)


def _member_fields(n: MemberNote | ReadRow) -> MemberNoteFields:
    return MemberNoteFields(
        participation=n.participation, goals=n.goals, response=n.response,
        risk_flag=n.risk_flag, risk_followup=n.risk_followup, plan=n.plan)


def _group_snap(n: MeetingNote | ReadRow, status: NoteStatus) -> GroupNoteSnap:
    return GroupNoteSnap(n.id, n.meeting_id, _group_fields(n), n.updated_at, status)


def _member_snap(n: MemberNote | ReadRow, status: NoteStatus, display_name: str,
                 pseudonym: str) -> MemberNoteSnap:
    return MemberNoteSnap(n.id, n.meeting_id, n.member_id, display_name, pseudonym,
                          _member_fields(n), n.updated_at, status)


def _private_snap(n: PrivateNote | ReadRow, status: NoteStatus) -> PrivateNoteSnap:
    return PrivateNoteSnap(n.id, n.meeting_id, n.author_id, n.text, n.updated_at, status)


# ---------------------------------------------------------------- saving


def _note_meeting(db: Session, meeting_id: int) -> Meeting:
    m = fetch(db, Meeting, meeting_id, "meeting_id")
    if m.status == MeetingStatus.CANCELLED:
        raise InvalidInput("This session was cancelled, so it has no notes.", "meeting_id")
    return m


def _clean_group(fields: GroupNoteFields) -> GroupNoteFields:
    keys = []
    for key in fields.factors:
        if not factors.is_factor(key):
            raise InvalidInput("Choose therapeutic factors from the list.", "factors")
        if key not in keys:
            keys.append(key)
    if fields.stage is not None and fields.stage not in {str(s) for s in GroupStage}:
        raise InvalidInput("Choose the group's stage from the list.", "stage")
    cleaned = {name: text(getattr(fields, name), name, "the note", limit=NOTE_LIMIT)
               for name in note_fields.GROUP_TEXT}
    return GroupNoteFields(factors=tuple(keys), stage=fields.stage, **cleaned)


def _save(db: Session, kind: str, note: NoteRow, changed: bool) -> None:
    """Write a (checked) note; an unchanged note is not written at all."""
    if not changed:
        return
    note.updated_at = clock.now()
    if note.id is None:
        db.add(note)
    db.flush()


def get_or_create_group_note(db: Session, meeting_id: int) -> GroupNoteSnap:
    m = _note_meeting(db, meeting_id)
    note = db.scalars(select(MeetingNote).where(MeetingNote.meeting_id == m.id)).first()
    if note is None:
        note = MeetingNote(meeting_id=m.id, factors=[])
        _save(db, NoteKind.GROUP, note, changed=True)
    return _group_snap(note, _status(db, NoteKind.GROUP, note.id))


def save_group_note(db: Session, meeting_id: int, fields: GroupNoteFields) -> GroupNoteSnap:
    """Save the whole group note of a session (creating it if needed).

    As for a member note, the first save checks everything and remembers the editor
    (`unit_cache.GroupEditor`); later saves are one UPDATE until any other write."""
    editors: dict[tuple[int, int], Any] | None = db.info.get(unit_cache.EDITORS)
    key = (meeting_id, unit_cache.GROUP_NOTE)
    ed = editors.get(key) if editors is not None else None
    if isinstance(ed, unit_cache.GroupEditor) and editors is not None:
        clean = _clean_group(fields)
        if clean != ed.fields:
            now = clock.now()
            _lean_write(db, "meeting_notes", clean, now, ed.note_id)
            ed = editors[key] = replace(ed, fields=clean, updated_at=now)
        return GroupNoteSnap(ed.note_id, meeting_id, ed.fields, ed.updated_at, ed.status)
    snap = _save_group_note_checked(db, meeting_id, fields)
    if editors is not None and snap.status.signed_by is None:
        group_id = db.scalar(select(Meeting.group_id).where(Meeting.id == meeting_id))
        editors[key] = unit_cache.GroupEditor(snap.id, int(group_id or 0), snap.fields,
                                              snap.updated_at, snap.status)
    return snap


def _save_group_note_checked(db: Session, meeting_id: int,
                             fields: GroupNoteFields) -> GroupNoteSnap:
    m = _note_meeting(db, meeting_id)
    clean = _clean_group(fields)
    note = db.scalars(select(MeetingNote).where(MeetingNote.meeting_id == m.id)).first()
    is_new = note is None
    note = note or MeetingNote(meeting_id=m.id)
    changed = is_new or astuple(_group_fields(note)) != astuple(clean)
    if changed and not is_new and _signature(db, NoteKind.GROUP, note.id):
        raise SignedNoteError()
    if changed:
        for name, value in clean.__dict__.items():
            setattr(note, name, list(value) if name == "factors" else value)
    _save(db, NoteKind.GROUP, note, changed)
    return _group_snap(note, _status(db, NoteKind.GROUP, note.id))


def _clean_member(fields: MemberNoteFields) -> MemberNoteFields:
    if not isinstance(fields.risk_flag, bool):
        raise InvalidInput("Tick or clear the risk flag.", "risk_flag")
    return MemberNoteFields(risk_flag=fields.risk_flag, **{
        name: text(getattr(fields, name), name, "the note", limit=NOTE_LIMIT)
        for name in note_fields.MEMBER_TEXT})


_MEMBER_CODE = 2  # a member note's kind code in note_fts rowids (migration 0001)


_LEAN_TABLES = {"member_notes": (MemberNote, MemberNoteFields),
                "meeting_notes": (MeetingNote, GroupNoteFields)}


@functools.cache
def _lean_update(dialect: Dialect, table_name: str
                 ) -> tuple[str, tuple[str, ...], tuple[Callable[[Any], Any], ...]]:
    """A lean save's one statement, as the driver takes it (built once: SQLAlchemy would
    build, key and look up a Core statement on every save), its fields, and how each
    value and `updated_at` is stored (each column type's own bind processing: JSON, enums,
    times)."""
    model, fields_type = _LEAN_TABLES[table_name]
    table = cast(Table, model.__table__)
    names = tuple(f.name for f in dataclasses.fields(fields_type))
    columns = (*names, "updated_at")
    sets = ", ".join(f'"{name}" = ?' for name in columns)

    def processor(name: str) -> Callable[[Any], Any]:
        bind = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        return bind or (lambda v: v)

    return (f'UPDATE "{table_name}" SET {sets} WHERE id = ?', names,
            tuple(processor(name) for name in columns))


def _lean_write(db: Session, table_name: str, clean: Any, now: datetime, note_id: int) -> None:
    """One UPDATE of a checked note's fields and `updated_at`, through the driver."""
    conn = db.connection()
    sql, names, stored = _lean_update(conn.dialect, table_name)
    values = [getattr(clean, n) for n in names]
    values = [list(v) if isinstance(v, tuple) else v for v in values]  # factors: a JSON list
    conn.exec_driver_sql(sql, (*(p(v) for p, v in zip(stored, (*values, now), strict=True)),
                               note_id))


def _save_validated(
    db: Session, meeting_id: int, member_id: int, ed: unit_cache.Editor,
    clean: MemberNoteFields,
) -> MemberNoteSnap:
    """An autosave from an editor already checked (`unit_cache`): one UPDATE, or nothing
    when the text is what was saved last. The lock trigger still refuses a signed note.

    The note's search entry is left for the end of the burst (migration 0011): its first
    lean save puts it in ``note_fts_behind``, and the vault catches it up after any other
    write, on lock and on close, and a search does first (`search.catch_up`)."""
    if clean != ed.fields:
        now = clock.now()
        conn = db.connection()
        if not ed.behind:
            conn.exec_driver_sql("INSERT OR IGNORE INTO note_fts_behind (rowid) VALUES (?)",
                                 (ed.note_id * 4 + _MEMBER_CODE,))
        _lean_write(db, "member_notes", clean, now, ed.note_id)
        db.info[unit_cache.FTS_LATER] = True
        ed = replace(ed, fields=clean, updated_at=now, behind=True)
        db.info[unit_cache.EDITORS][(meeting_id, member_id)] = ed
    return MemberNoteSnap(ed.note_id, meeting_id, member_id, ed.display_name, ed.pseudonym,
                          ed.fields, ed.updated_at, ed.status)


def save_member_note(
    db: Session, meeting_id: int, member_id: int, fields: MemberNoteFields
) -> MemberNoteSnap:
    """Save one member's note for a session; the member must have been active that day.

    The first save of a note checks everything and remembers it for its editor (in
    `Session.info`, kept by the vault between units of work, see `unit_cache`); later
    saves of the same note are one UPDATE, until any other write makes the vault forget.
    """
    editors: dict[tuple[int, int], Any] | None = db.info.get(unit_cache.EDITORS)
    ed = editors.get((meeting_id, member_id)) if editors is not None else None
    if isinstance(ed, unit_cache.Editor):
        return _save_validated(db, meeting_id, member_id, ed, _clean_member(fields))
    m = _note_meeting(db, meeting_id)
    member = fetch(db, Member, member_id, "member_id")
    ms = members_svc.active_membership_on(db, m.group_id, member.id, local_date(m.starts_at))
    if ms is None:
        raise InvalidInput(
            "This member was not an active member of the group on the session's date.",
            "member_id")
    clean = _clean_member(fields)
    note = db.scalars(select(MemberNote).where(
        MemberNote.meeting_id == m.id, MemberNote.member_id == member.id)).first()
    is_new = note is None
    note = note or MemberNote(meeting_id=m.id, member_id=member.id)
    changed = is_new or _member_fields(note) != clean
    if changed and not is_new and _signature(db, NoteKind.MEMBER, note.id):
        raise SignedNoteError()
    if changed:
        for name, value in clean.__dict__.items():
            setattr(note, name, value)
    _save(db, NoteKind.MEMBER, note, changed)
    snap = _member_snap(note, _status(db, NoteKind.MEMBER, note.id),
                        member.preferred_name or member.full_name, ms.pseudonym)
    if editors is not None and snap.status.signed_by is None:
        editors[(meeting_id, member_id)] = unit_cache.Editor(
            note.id, m.group_id, snap.display_name, snap.pseudonym, snap.fields,
            snap.updated_at, snap.status)
    return snap


def save_private_note(
    db: Session, meeting_id: int, text_: str, author_id: int | None = None
) -> PrivateNoteSnap:
    """Save the leader's private process note for a session."""
    m = _note_meeting(db, meeting_id)
    body = text(text_, "text", "the note", limit=NOTE_LIMIT)
    if author_id is not None:
        fetch(db, Clinician, author_id, "author_id")
    note = db.scalars(select(PrivateNote).where(PrivateNote.meeting_id == m.id)).first()
    is_new = note is None
    note = note or PrivateNote(meeting_id=m.id, author_id=author_id)
    changed = is_new or note.text != body
    if changed and not is_new and _signature(db, NoteKind.PRIVATE, note.id):
        raise SignedNoteError()
    if changed:
        note.text = body
    _save(db, NoteKind.PRIVATE, note, changed)
    return _private_snap(note, _status(db, NoteKind.PRIVATE, note.id))


# ---------------------------------------------------------------- signing


def _note(db: Session, kind: str, note_id: int) -> NoteRow:
    if kind not in MODELS:
        raise InvalidInput("Choose a group, member or private note.", "kind")
    return fetch(db, MODELS[kind], note_id, "note_id")


def _new_signature(db: Session, kind: str, note_id: int, clinician_id: int) -> Signature:
    """A signature of one note, with the digest of what it covers (`digests`)."""
    at = clock.now()
    digest = digests.signature_digest(db, kind, note_id, clinician_id, at)
    sig = Signature(signed_by_id=clinician_id, signed_at=at, digest=digest)
    setattr(sig, SIGNATURE_COLUMN[kind].key, note_id)
    return sig


def sign_note(db: Session, kind: str, note_id: int, clinician_id: int) -> NoteStatus:
    """Sign a note: from now on it is locked. The signature stores its digest."""
    note = _note(db, kind, note_id)
    fetch(db, Clinician, clinician_id, "clinician_id")
    if _signature(db, kind, note.id) is not None:
        raise SignedNoteError("This note is already signed.")
    db.flush()  # the digest reads the record as the file has it
    db.add(_new_signature(db, kind, note.id, clinician_id))
    db.flush()
    return _status(db, kind, note.id)


def signature_digest(db: Session, kind: str, note_id: int) -> str | None:
    """The stored digest of a note's signature (None when unsigned)."""
    sig = _signature(db, kind, note_id)
    return sig.digest if sig is not None else None


def cosignature_digest(db: Session, kind: str, note_id: int) -> str | None:
    """The stored digest of a note's co-signature (None when not co-signed)."""
    sig = _signature(db, kind, note_id)
    return sig.cosign_digest if sig is not None else None


def signature_details(db: Session, kind: str, note_ids: Sequence[int]) -> list[str | None]:
    """The audit details (digests, never text) of these notes' signatures, for their
    sign events: the digest and the digests of its parts (`digests.signature_parts`)."""
    db.flush()
    found = []
    for note_id in note_ids:
        sig = _signature(db, kind, note_id)
        found.append(None if sig is None else digests.signature_detail(
            db, kind, note_id, sig.signed_by_id, sig.signed_at))
    return found


def cosignature_detail(db: Session, kind: str, note_id: int) -> str | None:
    """The audit detail of a note's co-signature: its digest."""
    digest = cosignature_digest(db, kind, note_id)
    return None if digest is None else digests.detail(digest=digest)


def last_addendum_detail(db: Session, kind: str, note_id: int) -> str | None:
    """The audit detail of a note's newest addendum: its id and digest."""
    sig = _signature(db, kind, note_id)
    if sig is None:
        return None
    a = db.scalars(select(Addendum).where(Addendum.signature_id == sig.id)
                   .order_by(Addendum.id.desc()).limit(1)).first()
    return None if a is None or a.digest is None else digests.detail(addendum=a.id,
                                                                     digest=a.digest)


def _has_text(kind: str, note: NoteRow) -> bool:
    """Whether a note says anything (`groupleader.note_fields`): an empty note is never
    signed in bulk."""
    if kind == NoteKind.GROUP:
        return note_fields.group_has_content(_group_fields(note))  # type: ignore[arg-type]
    if kind == NoteKind.MEMBER:
        return note_fields.member_has_content(_member_fields(note))  # type: ignore[arg-type]
    return bool(note.text.strip())  # type: ignore[union-attr]


def sign_meeting_notes(
    db: Session, meeting_id: int, clinician_id: int,
    kinds: Sequence[str] = (NoteKind.GROUP, NoteKind.MEMBER),
    *, member_ids: Collection[int] | None = None,
) -> list[tuple[str, int]]:
    """Sign every unsigned note of `kinds` of one session that has any content.

    For "Sign all": each note is signed as `sign_note` signs it; empty notes (nothing
    written, no factor, stage or risk flag) stay unsigned. Add "private" to `kinds` to
    sign the process note too; `member_ids` limits the member notes to those members'
    (a co-leader signing the notes of the members they key-work). Returns the (kind,
    note id) of each note signed (none when there was nothing to sign; then nothing is
    written).
    """
    kinds = list(dict.fromkeys(kinds))
    if not kinds or any(kind not in MODELS for kind in kinds):
        raise InvalidInput("Choose group, member or private notes.", "kinds")
    m = fetch(db, Meeting, meeting_id, "meeting_id")
    fetch(db, Clinician, clinician_id, "clinician_id")
    signed: list[tuple[str, int]] = []
    for kind in kinds:
        model, column = MODELS[kind], SIGNATURE_COLUMN[kind]
        already = select(column).where(column.is_not(None))
        # select() of a union of model classes is typed Select[Base]; it selects NoteRow.
        query = cast("Select[NoteRow]", select(model)).where(
            model.meeting_id == m.id, model.id.not_in(already)
        )
        if kind == NoteKind.MEMBER and member_ids is not None:
            query = query.where(MemberNote.member_id.in_(list(member_ids)))
        todo = [n for n in db.scalars(query.order_by(model.id)) if _has_text(kind, n)]
        db.flush()
        for note in todo:
            db.add(_new_signature(db, kind, note.id, clinician_id))
        db.flush()
        signed += [(kind, n.id) for n in todo]
    return signed


def add_addendum(db: Session, kind: str, note_id: int, clinician_id: int, text_: str) -> NoteStatus:
    """Add dated text to a signed note (an unsigned note is simply edited).

    The addendum stores the digest of its row (`seal_addendum`)."""
    note = _note(db, kind, note_id)
    fetch(db, Clinician, clinician_id, "clinician_id")
    body = text(text_, "text", "the addendum", required=True, limit=NOTE_LIMIT)
    sig = _signature(db, kind, note.id)
    if sig is None:
        raise InvalidInput("Addenda are for signed notes; edit this note instead.", "note_id")
    addendum = Addendum(
        signature_id=sig.id, clinician_id=clinician_id, text=body, created_at=clock.now())
    db.add(addendum)
    seal_addendum(db, addendum)
    return _status(db, kind, note.id)


def add_amendment(
    db: Session, meeting_id: int, clinician_id: int, change: Mapping[str, Any], reason: str
) -> NoteStatus:
    """Correct a fact of a signed session: a dated amendment of its group note.

    `change` names the field and the new value (`groupleader.amendments`): an attendance
    mark ``{"field": "attendance", "member_id": 3, "to": "present", "to_minutes_late":
    None}``, the date and time ``{"field": "time", "starts_at": <aware datetime>,
    "length_minutes": 90}``, or a correction in words ``{"field": "seating" |
    "interactions" | "other", "description": "..."}``. The "from" is what the session
    shows now (as recorded, or as amended before). The recorded rows stay as they were.
    Refused for a session that is not signed (edit it directly) and without a reason.
    Returns the group note's status, the amendment last in its addenda.
    """
    m = fetch(db, Meeting, meeting_id, "meeting_id")
    fetch(db, Clinician, clinician_id, "clinician_id")
    gnote = db.scalars(select(MeetingNote).where(MeetingNote.meeting_id == m.id)).first()
    sig = _signature(db, NoteKind.GROUP, gnote.id) if gnote else None
    if gnote is None or sig is None:
        raise InvalidInput("This session is not signed yet: correct it directly.", "meeting_id")
    why = text(reason, "reason", "the reason", required=True, limit=NOTE_LIMIT)
    stored = _amendment_change(db, m, change)
    amendment = Addendum(signature_id=sig.id, clinician_id=clinician_id, text=why,
                         created_at=clock.now(), kind=AddendumKind.AMENDMENT, change=stored)
    db.add(amendment)
    seal_addendum(db, amendment)
    return _status(db, NoteKind.GROUP, gnote.id)


def _amendment_change(db: Session, m: Meeting, change: Mapping[str, Any]) -> dict[str, Any]:
    """The change to store: checked, with its "from" read from the session as shown."""
    field = change.get("field") if isinstance(change, Mapping) else None
    if field not in amendments.FIELDS:
        raise InvalidInput("Choose what to correct: attendance, date and time, or describe "
                           "the correction.", "field")
    if field == amendments.ATTENDANCE:
        return _attendance_change(db, m, change)
    if field == amendments.TIME:
        starts_at = change.get("starts_at")
        if not isinstance(starts_at, datetime):
            raise InvalidInput("Enter the date and time the session took place.", "starts_at")
        aware(starts_at, "starts_at")
        if starts_at > clock.now() + HOLD_AHEAD:
            raise InvalidInput("A signed session took place already: choose a date and time "
                               "in the past.", "starts_at")
        length = whole(change.get("length_minutes") or m.length_minutes, "length_minutes",
                       "the length", 5, 600)
        before = {"starts_at": m.starts_at.isoformat(), "length_minutes": m.length_minutes}
        for _mid, earlier in amendments_svc.of_meetings(db, [m.id]):
            if earlier.get("field") == amendments.TIME and isinstance(earlier.get("to"), dict):
                before = dict(earlier["to"])
        after = {"starts_at": starts_at.astimezone(UTC).isoformat(), "length_minutes": length}
        if after == before:
            raise InvalidInput("The session already shows this date, time and length.",
                               "starts_at")
        return {"field": field, "from": before, "to": after}
    description = text(str(change.get("description") or ""), "description",
                       "the correction", required=True, limit=NOTE_LIMIT)
    return {"field": field, "description": description}


def _attendance_change(db: Session, m: Meeting, change: Mapping[str, Any]) -> dict[str, Any]:
    member_id = change.get("member_id")
    member = fetch(db, Member, member_id if isinstance(member_id, int) else -1, "member_id")
    status = choice(str(change.get("to") or ""), AttendanceStatus, "to")
    minutes = change.get("to_minutes_late")
    if status == AttendanceStatus.LATE:
        minutes = whole(minutes or 0, "to_minutes_late", "the minutes late", 1,
                        m.length_minutes)
    else:
        minutes = None
    shown = {r.member_id: r for r in attendance_for(db, m.id)}
    current = shown.get(member.id)
    if current is not None:
        ms_id = current.membership_id
    else:
        ms = members_svc.active_membership_on(db, m.group_id, member.id, local_date(m.starts_at))
        if ms is None:
            raise InvalidInput("This member was not an active member of the group on the "
                               "session's date.", "member_id")
        ms_id = ms.id
    before = (current.status, current.minutes_late) if current else (None, None)
    if before == (status, minutes):
        raise InvalidInput("The session already shows this attendance for the member.", "to")
    return {"field": amendments.ATTENDANCE, "member_id": member.id, "membership_id": ms_id,
            "from": before[0], "to": str(status), "from_minutes_late": before[1],
            "to_minutes_late": minutes}


def seal_addendum(db: Session, addendum: Addendum) -> str:
    """Write an addendum just added (flushed here) with the digest of its whole row.

    The digest covers every column but id and digest as the file has them, so it is read
    back after the INSERT and set by the one UPDATE the lock trigger allows (from NULL).
    Any addendum of any kind is added through here.
    """
    db.flush()
    digest = digests.addendum_digest(db, addendum.id)
    assert digest is not None
    addendum.digest = digest
    db.flush()
    return digest


def cosign_note(db: Session, kind: str, note_id: int, supervisor_id: int) -> NoteStatus:
    """A supervisor co-signs a signed note after review (once)."""
    note = _note(db, kind, note_id)
    supervisor = fetch(db, Clinician, supervisor_id, "supervisor_id")
    if supervisor.role != ClinicianRole.SUPERVISOR:
        raise InvalidInput("Only a supervisor can co-sign a note.", "supervisor_id")
    sig = _signature(db, kind, note.id)
    if sig is None:
        raise InvalidInput("The note must be signed before it is co-signed.", "note_id")
    if sig.cosigned_at is not None:
        raise InvalidInput("This note is already co-signed.", "note_id")
    if sig.signed_by_id == supervisor.id:
        raise InvalidInput("A note is co-signed by someone other than its signer.", "supervisor_id")
    at = clock.now()
    db.flush()
    signed = sig.digest or digests.signature_digest(
        db, kind, note.id, sig.signed_by_id, sig.signed_at)
    assert signed is not None
    cosign_digest = digests.cosignature_digest(db, sig.id, signed, supervisor.id, at)
    sig.cosigned_by_id, sig.cosigned_at, sig.cosign_digest = supervisor.id, at, cosign_digest
    db.flush()
    return _status(db, kind, note.id)


def note_status(db: Session, kind: str, note_id: int) -> NoteStatus:
    note = _note(db, kind, note_id)
    return _status(db, kind, note.id)


# ---------------------------------------------------------------- reading


_members, _member_notes = Member.__table__.c, MemberNote.__table__.c
# A session's notes of each kind (built once, of table columns: the docstring of `_common`
# says why), the member notes with their member's names and pseudonym in the group.
_GROUP_NOTE = select(MeetingNote.__table__).where(
    MeetingNote.__table__.c.meeting_id == bindparam("meeting_id"))
_PRIVATE_NOTE = select(PrivateNote.__table__).where(
    PrivateNote.__table__.c.meeting_id == bindparam("meeting_id"))
_MEMBER_NOTES = (
    select(MemberNote.__table__, _members.full_name, _members.preferred_name,
           pseudonym_in(bindparam("group_id"), _member_notes.member_id).label("pseudonym"))
    .join_from(MemberNote.__table__, Member.__table__, _members.id == _member_notes.member_id)
    .where(_member_notes.meeting_id == bindparam("meeting_id"))
)


def load_meeting_notes(db: Session, meeting_id: int, include_private: bool = False) -> MeetingNotes:
    """One session with everything its screen or PDF shows; private note only if asked.

    The Sessions view reads it on every switch of session and every PDF export reads it,
    so it reads columns, not ORM objects, in about ten queries whatever the session
    holds: the session, its group and leaders (`session_snaps`), the notes of each kind,
    all their signatures, addenda and signers at once (`_statuses`), the attendance
    (its amendments are the group note's addenda already read), chairs and interactions.
    """
    people: dict[int, ClinicianSnap] = {}
    group, meeting = session_snaps(db, meeting_id, people)
    at = {"meeting_id": meeting.id}
    gnote = db.execute(_GROUP_NOTE, at).first()
    mnotes = db.execute(_MEMBER_NOTES, {**at, "group_id": group.id}).all()
    pnote = db.execute(_PRIVATE_NOTE, at).first() if include_private else None
    statuses = _statuses(db, {
        NoteKind.GROUP: [gnote.id] if gnote else [], NoteKind.MEMBER: [n.id for n in mnotes],
        NoteKind.PRIVATE: [pnote.id] if pnote else []}, people)

    def status(kind: str, note: ReadRow) -> NoteStatus:
        return statuses.get((kind, note.id), NoteStatus())

    group_note = _group_snap(gnote, status(NoteKind.GROUP, gnote)) if gnote else None
    member_notes = sorted(
        (_member_snap(n, status(NoteKind.MEMBER, n), n.preferred_name or n.full_name,
                      n.pseudonym or "") for n in mnotes),
        key=lambda s: (s.display_name.casefold(), s.member_id),
    )
    return MeetingNotes(
        group=group,
        meeting=meeting,
        attendance=tuple(attendance_rows(db, meeting.id, _attendance_amended(group_note))),
        seating=tuple(chairs_of(db, meeting.id)),
        interactions=tuple(counts_of(interactions_of(db, meeting.id))),
        group_note=group_note,
        member_notes=tuple(member_notes),
        private_note=_private_snap(pnote, status(NoteKind.PRIVATE, pnote)) if pnote else None,
        private_included=include_private,
    )


def _attendance_amended(group_note: GroupNoteSnap | None) -> dict[int, tuple[str, int | None]]:
    """The marks the session's amendments set (membership id -> status, minutes late).

    A session's amendments are its group note's addenda of kind "amendment", oldest first:
    the rows `amendments_svc.attendance_overlay` would read again."""
    if group_note is None:
        return {}
    changes = [(group_note.meeting_id, a.change) for a in group_note.status.addenda
               if a.is_amendment and isinstance(a.change, Mapping)]
    return {ms_id: mark for (_mid, ms_id), mark in amendments.attendance_overlay(changes).items()}


def group_note_id(db: Session, meeting_id: int) -> int | None:
    """The id of a session's group note, if it has one."""
    return db.scalar(select(MeetingNote.id).where(MeetingNote.meeting_id == meeting_id))


def meeting_of_note(db: Session, kind: str, note_id: int) -> int:
    """The session a note belongs to."""
    return _note(db, kind, note_id).meeting_id

"""What `groupleader verify` checks beyond SQLite's own checks: that signed means unchanged.

Each check streams plain rows (no ORM objects, flat memory but for one set of signature
digests) and writes nothing. Each problem is one line naming the session (number and
date), the note (kind and id) and what is wrong, never a note's text or a person's name:

* the lock triggers are exactly the ones this program's migrations make (none missing,
  none altered, none added; compared exactly but for whitespace outside string
  literals, so a RAISE message changed shows);
* the audit chain: every event's MAC, every link, no gap, and its length and last MAC
  against the keyed ``audit_head`` (`audit.check_chain`); and, for each backup given,
  that the vault's chain extends the head the backup carries;
* every signature, co-signature, addendum and amendment: its stored digest against the one
  recomputed from the record now (`groupleader.data.digests`), and against the digest
  the audit chain recorded when it was made (so a record changed and its stored digest
  recomputed still shows, and so does a signature deleted or one added outside the
  program). When a signature's digest no longer matches, the parts recorded in its sign
  event say what changed: the note, its signer or time, its signer's printed name,
  credentials or role, or its session's number or topic, schedule, attendance, seating,
  interactions or leaders present. A signature made with digest v1 is checked against
  its v1 text (`digests.matching`).

docs/signatures.md says what this proves and what it does not.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from groupleader.data import audit, digests
from groupleader.data.digests import rows as _rows

Db = Session | Connection

KIND_NAMES = {"group": "group note", "member": "member note", "private": "process note"}
PART_NAMES = {
    "note": "the note's content (its fields, or whose note it is)",
    "signer": "its signer or signing time",
    "printed": "its signer's printed name, credentials or role",
    "number": "the session's number or topic",
    "session": "the session's date, time, length or status",
    "attendance": "the session's attendance",
    "seating": "the session's seating",
    "interactions": "the session's interactions",
    "leaders": "the session's leaders present",
    "attendance_details": "the session's attendance details (left early, absence reasons, "
                          "contact after an absence)",
    "risk_entries": "the risk entries opened in the session",
    "risk_reviews": "the risk reviews made in the session",
    "incidents": "the session's boundary incidents",
    "incident_followups": "the incident follow-ups recorded in the session",
}
SIGN_ACTIONS = ("note.%.sign", "note.%.sign.bound_at_upgrade")
COSIGN_ACTIONS = ("note.%.cosign", "note.%.cosign.bound_at_upgrade")
ADDENDUM_ACTIONS = ("note.%.addendum", "note.%.addendum.bound_at_upgrade", "meeting.amendment")


class BackupHead(NamedTuple):
    """The audit head a backup file carries (None: it has none, or not this vault's)."""

    name: str
    head: audit.Head | None


_LITERAL = re.compile(r"'(?:[^']|'')*'")


def normalized_sql(sql: str | None) -> str:
    """`sql` with each run of whitespace outside string literals made one space (none at
    the ends); a string literal (such as a RAISE message) stays exactly as it is."""
    text_ = sql or ""
    pieces: list[str] = []
    at = 0
    for m in _LITERAL.finditer(text_):
        pieces += [_squeeze(text_[at:m.start()]), m.group(0)]
        at = m.end()
    pieces.append(_squeeze(text_[at:]))
    return "".join(pieces).strip()


def _squeeze(part: str) -> str:
    """Each run of whitespace one space, keeping whether the part begins or ends with one."""
    if not part:
        return ""
    inner = " ".join(part.split())
    lead = " " if part[0].isspace() else ""
    trail = " " if part[-1].isspace() and inner else ""
    return f"{lead}{inner}{trail}" if inner else " "


def trigger_problems(db: Db, expected: dict[str, str]) -> list[str]:
    """Triggers missing, altered or added, against `expected` (name -> SQL)."""
    found = {name: normalized_sql(sql) for name, sql in _rows(
        db, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")}
    problems = []
    for name in sorted(expected):
        if name not in found:
            problems.append(f"trigger {name} is missing")
        elif found[name] != normalized_sql(expected[name]):
            problems.append(f"trigger {name} was altered")
    problems += [f"trigger {name} is not one this program makes"
                 for name in sorted(set(found) - set(expected))]
    return problems


def _local_date(value: str | None) -> str:
    if value is None:
        return "?"
    return datetime.fromisoformat(digests.stamp(value)).astimezone().date().isoformat()


class _Places:
    """Names a note by its session ("session 3 (2025-03-04), group note 12")."""

    def __init__(self, db: Db) -> None:
        self.db = db

    def note(self, kind: str, note_id: int | None) -> str:
        what = f"{KIND_NAMES.get(kind, kind)} {note_id}"
        if note_id is None or kind not in digests.NOTE_TABLES:
            return what
        row = _rows(self.db, f"SELECT m.number, m.starts_at FROM {digests.NOTE_TABLES[kind]} n "
                    "JOIN meetings m ON m.id = n.meeting_id WHERE n.id = :id",
                    {"id": note_id}).fetchone()
        if row is None:
            return f"{what} (no longer in the vault)"
        return f"session {row[0]} ({_local_date(row[1])}), {what}"

    def meeting(self, meeting_id: int | None) -> str:
        row = _rows(self.db, "SELECT number, starts_at FROM meetings WHERE id = :id",
                    {"id": meeting_id}).fetchone()
        if row is None:
            return f"session id {meeting_id} (no longer in the vault)"
        return f"session {row[0]} ({_local_date(row[1])})"


def _like_any(actions: Sequence[str]) -> str:
    return "(" + " OR ".join(f"e.action LIKE '{a}'" for a in actions) + ")"


def _kind_of(record_type: str) -> str:
    return record_type.removesuffix("_note")


class _Event(NamedTuple):
    id: int
    record_type: str
    record_id: int | None
    detail: str | None


def _events_with(db: Db, actions: Sequence[str], where: str = "") -> Iterator[_Event]:
    """The events of `actions` that carry a detail (and match `where`), streamed."""
    for row in _rows(db, "SELECT e.id, e.record_type, e.record_id, e.detail FROM audit_events e "
                     f"WHERE {_like_any(actions)} AND e.detail IS NOT NULL {where} "
                     "ORDER BY e.id"):
        yield _Event(*row)


def _detail(value: str | None) -> dict[str, Any]:
    try:
        parsed = json.loads(value or "{}")
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


class _Sig(NamedTuple):
    id: int
    meeting_note_id: int | None
    member_note_id: int | None
    private_note_id: int | None
    signed_by_id: int
    signed_at: str
    cosigned_by_id: int | None
    cosigned_at: str | None
    digest: str | None
    cosign_digest: str | None
    meeting_id: int | None


def signature_problems(db: Db) -> Iterator[str]:
    """Every signature and co-signature against its record now and against the trail.

    Memory: the set of the digests the trail recorded (32 bytes and a set entry each);
    everything else is streamed.
    """
    places = _Places(db)
    note_columns = {kind: digests.columns(db, table) for kind, table in digests.NOTE_TABLES.items()}
    # Who signed, as each signature covers it (a practice has a handful of profiles).
    signers = {int(r[0]): digests.signer(db, int(r[0]))
               for r in _rows(db, "SELECT id FROM clinicians").fetchall()}
    in_trail = {bytes.fromhex(d) for d in (
        _detail(e.detail).get("digest") for e in _events_with(db, SIGN_ACTIONS))
        if isinstance(d, str) and len(d) == 64}
    signer_texts: dict[int, bytes] = {}  # canonical(signer), once per profile
    changed: dict[tuple[str, int], dict[str, str]] = {}  # (kind, note id) -> parts now
    facts: dict[str, Any] | None = None
    facts_texts: dict[str, bytes] = {}
    notes: dict[str, dict[int, dict[str, Any]]] = {}  # this session's notes, by kind
    cursor = _rows(
        db, "SELECT s.id, s.meeting_note_id, s.member_note_id, s.private_note_id, "
        "s.signed_by_id, s.signed_at, s.cosigned_by_id, s.cosigned_at, s.digest, "
        "s.cosign_digest, COALESCE(g.meeting_id, mn.meeting_id, p.meeting_id) AS meeting_id "
        "FROM signatures s "
        "LEFT JOIN meeting_notes g ON g.id = s.meeting_note_id "
        "LEFT JOIN member_notes mn ON mn.id = s.member_note_id "
        "LEFT JOIN private_notes p ON p.id = s.private_note_id "
        "ORDER BY meeting_id, s.id")
    for r in map(_Sig._make, cursor):
        kind, note_id = next(((k, v) for k, v in zip(
            digests.NOTE_TABLES, (r.meeting_note_id, r.member_note_id, r.private_note_id),
            strict=True) if v is not None), ("group", None))
        if note_id is None or r.meeting_id is None:
            yield f"signature {r.id}: the note it signs is not in the vault"
            continue
        if facts is None or facts["meeting_id"] != r.meeting_id:
            facts = digests.session_facts(db, r.meeting_id)
            facts_texts = {} if facts is None else {
                k: digests.canonical(digests.facts_for(k, facts)) for k in digests.NOTE_TABLES}
            notes = {}
        if kind not in notes:
            notes[kind] = digests.session_rows_fields(
                db, digests.NOTE_TABLES[kind], r.meeting_id, note_columns[kind])
        fields = notes[kind].get(note_id)
        if facts is None or fields is None:
            yield f"{places.note(kind, note_id)}: its session is not in the vault"
            continue
        note = {"kind": kind, "id": note_id, "fields": fields}
        signer = signers.get(r.signed_by_id) or digests.signer(db, r.signed_by_id)
        if r.signed_by_id not in signer_texts:
            signer_texts[r.signed_by_id] = digests.canonical(signer)
        now = digests.signature_digest_from(note, signer, r.signed_at, facts_texts[kind],
                                            signer_texts[r.signed_by_id])
        if r.digest is None:
            yield f"{places.note(kind, note_id)}: its signature has no digest"
        elif now != r.digest:
            payload = digests.signature_payload(db, kind, note_id, r.signed_by_id, r.signed_at,
                                                facts=facts, signer_=signer)
            assert payload is not None and digests.digest_of(payload) == now
            now = digests.matching(payload, r.digest)  # a v1 signature keeps its v1 digest
            if now != r.digest:
                changed[(kind, note_id)] = digests.signature_parts(payload)
        if r.digest is not None and _as_bytes(r.digest) not in in_trail:
            yield (f"{places.note(kind, note_id)}: its signature is not the one the audit "
                   "trail recorded (added, or its digest recomputed, outside the program)")
        if r.cosigned_at is not None and r.cosigned_by_id is not None:
            cosign_now = digests.matching(digests.cosignature_payload(
                r.digest or now,
                signers.get(r.cosigned_by_id) or digests.signer(db, r.cosigned_by_id),
                r.cosigned_at, digests.addenda_seen(db, r.id, r.cosigned_at)), r.cosign_digest)
            if r.cosign_digest is None:
                yield f"{places.note(kind, note_id)}: its co-signature has no digest"
            elif cosign_now != r.cosign_digest:
                yield (f"{places.note(kind, note_id)}: its co-signature no longer matches its "
                       "digest (its co-signer, their printed name, credentials or role, its "
                       "time, or the addenda it covered changed)")
    del in_trail
    yield from _explain(db, places, changed)
    for actions, column, what in ((SIGN_ACTIONS, "digest", "signature"),
                                  (COSIGN_ACTIONS, "cosign_digest", "co-signature")):
        gone = (f"AND NOT EXISTS (SELECT 1 FROM signatures s "
                f"WHERE s.{column} = json_extract(e.detail, '$.digest'))")
        for e in _events_with(db, actions, gone):
            yield (f"{places.note(_kind_of(e.record_type), e.record_id)}: the audit trail "
                   f"records its {what} (event {e.id}), which is no longer in the vault as it "
                   "was made (deleted or altered)")


def _as_bytes(digest: str) -> bytes:
    try:
        return bytes.fromhex(digest)
    except ValueError:
        return b""


def _explain(db: Db, places: _Places, changed: dict[tuple[str, int], dict[str, str]]
             ) -> Iterator[str]:
    """Lines for signatures that no longer match: which parts changed, by their sign
    event's recorded parts (one pass over the sign events)."""
    if not changed:
        return
    recorded: dict[tuple[str, int], dict[str, Any]] = {}
    for e in _events_with(db, SIGN_ACTIONS):
        key = (_kind_of(e.record_type), e.record_id)
        if key in changed:
            recorded[key] = _detail(e.detail)
    for key, parts in sorted(changed.items()):
        where = places.note(*key)
        then = recorded.get(key)
        # A v1 sign event records fewer parts: only those it has are compared.
        which = [name for name in PART_NAMES
                 if then and name in then and then[name] != parts[name]]
        if "signer" in which and "printed" in which:  # another signer prints another name
            which.remove("printed")
        if which:
            for name in which:
                yield f"{where}: {PART_NAMES[name]} changed since it was signed"
        else:
            yield f"{where}: what was signed changed since it was signed"


def addendum_problems(db: Db) -> Iterator[str]:
    """Every addendum against its digest, and the trail's addenda against the vault."""
    places = _Places(db)
    table_columns = digests.columns(db, "addenda")
    cursor = _rows(
        db, "SELECT a.id, a.digest, s.meeting_note_id, s.member_note_id, s.private_note_id "
        "FROM addenda a LEFT JOIN signatures s ON s.id = a.signature_id ORDER BY a.id")
    for addendum_id, digest, *notes in cursor:
        fields = digests.row_fields(db, "addenda", addendum_id, exclude=("id", "digest"),
                                    table_columns=table_columns)
        now = None if fields is None else digests.digest_of(
            digests.addendum_text(db, addendum_id, fields))
        if digest is not None and now == digest:
            continue
        kind, note_id = next(((k, v) for k, v in zip(digests.NOTE_TABLES, notes, strict=True)
                              if v is not None), ("group", None))
        where = f"{places.note(kind, note_id)}, addendum {addendum_id}"
        yield f"{where}: has no digest" if digest is None else (
            f"{where}: changed since it was added")
    gone = ("AND NOT EXISTS (SELECT 1 FROM addenda a WHERE a.id = "
            "json_extract(e.detail, '$.addendum') AND a.digest = "
            "json_extract(e.detail, '$.digest'))")
    for e in _events_with(db, ADDENDUM_ACTIONS, gone):
        d = _detail(e.detail)
        if e.record_type == "meeting":  # an amendment: its event names the session
            where, what = f"{places.meeting(e.record_id)}, group note", "amendment"
        else:
            where, what = places.note(_kind_of(e.record_type), e.record_id), "addendum"
        yield (f"{where}, {what} {d.get('addendum')}: the audit trail records it "
               f"(event {e.id}), but it is no longer in the vault as it was added "
               "(deleted or altered)")


def backup_problems(check: audit.ChainCheck, heads: Sequence[BackupHead]) -> list[str]:
    """For each backup's head: does the vault's chain extend it?"""
    problems = []
    for b in heads:
        if b.head is None:
            continue
        if b.head.events > check.events:
            problems.append(
                f"backup {b.name} holds {b.head.events} audit events and the vault only "
                f"{check.events}: events were deleted since that backup")
        elif b.head.events and check.macs_at.get(b.head.events) != b.head.head:
            problems.append(
                f"backup {b.name}: the vault's audit trail does not continue the one in "
                "that backup (events deleted or rewritten since it was made)")
    return problems


def record_problems(
    db: Db, expected_triggers: dict[str, str], backups: Sequence[BackupHead] = ()
) -> list[str]:
    """Every problem of the record: triggers, trail (and backups), signatures, addenda."""
    problems = trigger_problems(db, expected_triggers)
    check = audit.check_chain(db, [b.head.events for b in backups if b.head is not None])
    problems += [f"audit trail: {p}" for p in check.problems]
    problems += backup_problems(check, backups)
    problems += list(signature_problems(db))
    problems += list(addendum_problems(db))
    return problems


def read_backup_head(db: Db, vault_keys: audit.Keys | None) -> audit.Head | None:
    """The audit head a backup carries, if it has one this vault's key vouches for."""
    try:
        head = audit.read_head(db)
        keys = audit.keys(db)
    except Exception:  # a backup made before the keyed chain has no such tables
        return None
    if head is None or keys is None or vault_keys is None or keys != vault_keys:
        return None
    if head.mac != audit.head_mac(keys.head, head.events, head.head):
        return None
    return head

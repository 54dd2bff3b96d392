"""What a signature covers, as one canonical text, and its SHA-256 digest.

A signature, a co-signature and an addendum each store the digest of exactly what they
attest (``signatures.digest``, ``signatures.cosign_digest``, ``addenda.digest``), so
`groupleader verify` can recompute it and name any record that changed. The rules below
are version ``groupleader-signature-v2`` (an addendum's text is still v1's, and a
signature made with v1 keeps its v1 digest: `legacy_v1`, `matching`);
docs/signatures.md repeats them with a worked example and a script that recomputes a
digest from a raw SQLCipher connection.

Serialisation (version ``groupleader-signature-v2``):

* The text is one JSON object, UTF-8 (no ``\\u`` escapes for non-ASCII), keys sorted,
  no whitespace (separators ``,`` and ``:``), every key present (a missing value is
  ``null``). The digest is the lowercase hex SHA-256 of those bytes.
* Column values go in by the column's declared SQL type in the vault: text in Unicode
  NFC; ``DATETIME`` as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (UTC, always six decimals);
  ``DATE`` as ``YYYY-MM-DD``; ``TIME`` as ``HH:MM:SS`` (``.ffffff`` only when not zero);
  ``BOOLEAN`` as 0 or 1; ``INTEGER`` as a number; ``JSON`` as the parsed JSON value
  (objects with sorted keys, lists in their stored order, strings in NFC).
* Lists that are sets (attendance, seating, interactions, leaders, addenda) are sorted
  by their items (a null before any number).
* A signature::

    {"version": "groupleader-signature-v1", "type": "signature",
     "note": {"kind": "group"|"member"|"private", "id": NOTE_ID,
              "fields": {every column of the note's row except id}},
     "signer": {"id", "name", "credentials", "role"} (the signer's profile, as printed),
     "signed_at": DATETIME,
     "session": {"group_id", "meeting_id", "number", "topic", "starts_at",
                 "length_minutes", "status",
                 "attendance": [[membership_id, member_id, status, minutes_late], ...],
                 "seating": [[position, member_id, clinician_id], ...],
                 "interactions": [[from_member_id, from_clinician_id, to_member_id,
                                   to_clinician_id], ...],
                 "leaders": [clinician_id, ...],
                 and, only when the session has any (revision 0007, so that a session
                 without them serialises as before):
                 "attendance_details": [[membership_id, minutes_left_early,
                     absence_reason, contacted, contacted_on, contact_note], ...],
                 "risk_entries": [[id, member_id, kind, level, observed, action_taken,
                     review_by, opened_on], ...],
                 "risk_reviews": [[id, entry_id, on_date, level, note, next_review_by,
                     closes], ...],
                 "incidents": [[id, rule_id, rule_title, rule_text, what_happened,
                     worked_with, status, [member_id, ...]], ...],
                 "incident_followups": [[id, incident_id, on_date, status, note], ...]}}

  (each by id; attendance details only for rows that have one).

  The whole ``session`` is the group note's; a member or process note's signature has
  only ``{"group_id", "meeting_id"}`` (`facts_for`).

  A member note's member is its ``fields.member_id``. The note tables are
  ``meeting_notes`` (group), ``member_notes`` (member), ``private_notes`` (private).
* An addendum or amendment (``"version": "groupleader-signature-v2"``): ``{"version",
  "type": "addendum", "id": ADDENDUM_ID, "fields": {every column of the addenda row
  except id and digest}, "author": {"id", "name", "credentials", "role"}}`` (its author
  as printed, as a signer is).
* A co-signature: ``{"version", "type": "cosignature", "signature": SIGNATURE_DIGEST,
  "cosigner": {"id", "name", "credentials", "role"}, "cosigned_at",
  "addenda": [[addendum_id, addendum_digest], ...]}``,
  where the addenda are those of the signature whose ``created_at`` is not after
  ``cosigned_at`` (the ones the supervisor saw), each with its digest recomputed from
  its row.

The functions read plain SQL through the driver's connection under an open ``Session``
(flushed first) or ``Connection`` (the migrations use them on a bare connection), so they
see exactly what is in the file, and `verify` can run them over every signature without
the ORM's cost per statement. This module writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

VERSION = "groupleader-signature-v2"
# Signatures and co-signatures made before v2 (revisions 0005 and 0006) have v1 digests:
# the same text without the signer's printed name, credentials and role, and without
# the session's number, topic, interactions and leaders (`legacy_v1`).
V1 = "groupleader-signature-v1"
# An addendum's text covers its author as printed since v2, as a signature its signer.
ADDENDUM_VERSION = VERSION

NOTE_TABLES = {"group": "meeting_notes", "member": "member_notes", "private": "private_notes"}
SIGNATURE_COLUMNS = {
    "group": "meeting_note_id", "member": "member_note_id", "private": "private_note_id"}

Db = Session | Connection


# ---------------------------------------------------------------- canonical text


def canonical(obj: Any) -> bytes:
    """The canonical bytes of a JSON-able object (sorted keys, no whitespace, UTF-8)."""
    return json.dumps(
        _nfc(obj), ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def digest_of(obj: Any) -> str:
    """The lowercase hex SHA-256 of `canonical(obj)`."""
    return hashlib.sha256(canonical(obj)).hexdigest()


def _nfc(obj: Any) -> Any:
    kind = type(obj)
    if kind is int or obj is None:
        return obj
    if kind is str:
        return obj if unicodedata.is_normalized("NFC", obj) else unicodedata.normalize("NFC", obj)
    if kind is dict or isinstance(obj, Mapping):
        return {_nfc(k): _nfc(v) for k, v in obj.items()}
    if kind is list or kind is tuple:
        return [_nfc(v) for v in obj]
    if isinstance(obj, str):
        return unicodedata.normalize("NFC", obj)
    return obj


def stamp(value: datetime | str) -> str:
    """A moment as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` in UTC (a naive one is taken as UTC,
    as the vault stores it)."""
    if isinstance(value, str):
        if len(value) == 26 and value[10] == " " and value[19] == ".":  # as SQLite keeps it
            return f"{value[:10]}T{value[11:]}Z"
        value = datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def column_value(sql_type: str, value: Any) -> Any:
    """One column's value in the canonical form for its declared SQL type."""
    if value is None:
        return None
    kind = sql_type.upper()
    if kind.startswith("DATETIME") or kind.startswith("TIMESTAMP"):
        return stamp(value)
    if kind.startswith("DATE"):
        return value.isoformat() if isinstance(value, date) else str(value)
    if kind.startswith("TIME"):
        return value.isoformat() if isinstance(value, time) else str(value)
    if kind.startswith("BOOL"):
        return int(bool(value))
    if kind.startswith("JSON"):
        return _nfc(json.loads(value) if isinstance(value, str | bytes) else value)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    return value


# ---------------------------------------------------------------- reading rows


def rows(db: Db, sql: str, params: Mapping[str, Any] | None = None) -> Any:
    """A driver cursor over `sql` in `db`'s transaction (a Session is flushed first)."""
    if isinstance(db, Session):
        db.flush()
        db = db.connection()
    raw = db.connection.driver_connection
    assert raw is not None
    return raw.execute(sql, params or {})


def columns(db: Db, table: str) -> list[tuple[str, str]]:
    """(name, declared type) of each column of `table` in the vault, in order."""
    found = rows(db, f"SELECT name, type FROM pragma_table_info('{table}')").fetchall()
    return [(str(name), str(kind or "")) for name, kind in found]


def row_fields(
    db: Db, table: str, row_id: int, exclude: Iterable[str] = ("id",),
    table_columns: list[tuple[str, str]] | None = None,
) -> dict[str, Any] | None:
    """Every column of one row but `exclude`, canonical; None when there is no such row.
    `table_columns` is `columns(db, table)` when the caller already has it."""
    skip = set(exclude)
    cols = [(n, k) for n, k in (table_columns or columns(db, table)) if n not in skip]
    names = ", ".join(f'"{name}"' for name, _ in cols)
    row = rows(db, f'SELECT {names} FROM "{table}" WHERE id = :id', {"id": row_id}).fetchone()
    if row is None:
        return None
    return {name: column_value(kind, value) for (name, kind), value in zip(cols, row, strict=True)}


def session_rows_fields(
    db: Db, table: str, meeting_id: int, table_columns: list[tuple[str, str]] | None = None,
) -> dict[int, dict[str, Any]]:
    """`row_fields` of every row of `table` in one session, by id: one query where
    `verify` would make one per signature."""
    cols = [(n, k) for n, k in (table_columns or columns(db, table)) if n != "id"]
    names = ", ".join(f'"{name}"' for name, _ in cols)
    found = rows(db, f'SELECT id, {names} FROM "{table}" WHERE meeting_id = :m',
                 {"m": meeting_id})
    return {int(row[0]): {name: column_value(kind, value)
                          for (name, kind), value in zip(cols, row[1:], strict=True)}
            for row in found}


def facts_for(kind: str, facts: dict[str, Any]) -> dict[str, Any]:
    """The part of a session's facts a signature of a note of `kind` covers.

    The group note's signature covers them all: it locks the session (attendance,
    seating, interactions, leaders, date, length and status can no longer change,
    migration 0004; a number or topic changed behind the program shows too). A member or
    process note's signature locks nothing of the session, so it covers only which
    session and group the note belongs to; the facts are bound by the group note's."""
    if kind == "group":
        return facts
    return {"group_id": facts["group_id"], "meeting_id": facts["meeting_id"]}


def session_facts(db: Db, meeting_id: int) -> dict[str, Any] | None:
    """The facts of one session a group note's signature rests on; None when the
    session is gone (`facts_for` the part other notes' signatures cover)."""
    m = rows(db, "SELECT group_id, starts_at, length_minutes, status, number, topic "
             "FROM meetings WHERE id = :id", {"id": meeting_id}).fetchone()
    if m is None:
        return None
    attendance = rows(
        db, "SELECT a.membership_id, ms.member_id, a.status, a.minutes_late FROM attendance a "
        "LEFT JOIN memberships ms ON ms.id = a.membership_id WHERE a.meeting_id = :id "
        "ORDER BY a.membership_id, a.id", {"id": meeting_id}).fetchall()
    seating = rows(db, "SELECT position, member_id, clinician_id FROM seats "
                   "WHERE meeting_id = :id ORDER BY position, id", {"id": meeting_id}).fetchall()
    interactions = rows(
        db, "SELECT from_member_id, from_clinician_id, to_member_id, to_clinician_id "
        "FROM interactions WHERE meeting_id = :id", {"id": meeting_id}).fetchall()
    leaders = rows(db, "SELECT clinician_id FROM meeting_leaders WHERE meeting_id = :id "
                   "ORDER BY clinician_id", {"id": meeting_id}).fetchall()
    return {
        "group_id": m[0],
        "meeting_id": meeting_id,
        "number": m[4],
        "topic": column_value("TEXT", m[5]),
        "starts_at": stamp(m[1]),
        "length_minutes": m[2],
        "status": m[3],
        "attendance": [[r[0], r[1], r[2], r[3]] for r in attendance],
        "seating": [[r[0], r[1], r[2]] for r in seating],
        "interactions": sorted(([r[0], r[1], r[2], r[3]] for r in interactions),
                               key=_none_first),
        "leaders": [r[0] for r in leaders],
        **register_facts(db, meeting_id),
    }


# The parts of a session's facts added with the risk register (revision 0007), each in
# the text only when the session has any: a session without them serialises exactly as
# before, so every signature made before 0007 keeps its digest.
REGISTER_SQL = {
    "attendance_details": (
        "SELECT membership_id, minutes_left_early, absence_reason, contacted, contacted_on, "
        "contact_note FROM attendance WHERE meeting_id = :id AND (minutes_left_early IS NOT "
        "NULL OR absence_reason != '' OR contacted OR contacted_on IS NOT NULL "
        "OR contact_note != '') ORDER BY membership_id, id",
        ("INTEGER", "INTEGER", "TEXT", "BOOLEAN", "DATE", "TEXT")),
    "risk_entries": (
        "SELECT id, member_id, kind, level, observed, action_taken, review_by, opened_on "
        "FROM risk_entries WHERE meeting_id = :id ORDER BY id",
        ("INTEGER", "INTEGER", "TEXT", "TEXT", "TEXT", "TEXT", "DATE", "DATE")),
    "risk_reviews": (
        "SELECT id, entry_id, on_date, level, note, next_review_by, closes "
        "FROM risk_reviews WHERE meeting_id = :id ORDER BY id",
        ("INTEGER", "INTEGER", "DATE", "TEXT", "TEXT", "DATE", "BOOLEAN")),
    "incidents": (
        "SELECT b.id, b.rule_id, r.title, r.text, b.what_happened, b.worked_with, b.status, "
        "(SELECT json_group_array(member_id) FROM (SELECT member_id FROM incident_members "
        "WHERE incident_id = b.id ORDER BY member_id)) FROM boundary_incidents b "
        "LEFT JOIN agreement_rules r ON r.id = b.rule_id "
        "WHERE b.meeting_id = :id ORDER BY b.id",
        ("INTEGER", "INTEGER", "TEXT", "TEXT", "TEXT", "TEXT", "TEXT", "JSON")),
    "incident_followups": (
        "SELECT id, incident_id, on_date, status, note FROM incident_followups "
        "WHERE meeting_id = :id ORDER BY id",
        ("INTEGER", "INTEGER", "DATE", "TEXT", "TEXT")),
}
REGISTER_PARTS = tuple(REGISTER_SQL)


def register_facts(db: Db, meeting_id: int) -> dict[str, Any]:
    """The session's attendance details, risk entries and reviews, incidents and their
    follow-ups, as rows of canonical values; a part the session has none of is left out
    (a vault made before revision 0007 has none of the tables: nothing)."""
    if not rows(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' "
                "AND name = 'risk_entries'").fetchone():
        return {}
    out: dict[str, Any] = {}
    for name, (sql, kinds) in REGISTER_SQL.items():
        found = rows(db, sql, {"id": meeting_id}).fetchall()
        if found:
            out[name] = [[column_value(k, v) for k, v in zip(kinds, r, strict=True)]
                         for r in found]
    return out


def _none_first(row: list[Any]) -> list[tuple[int, int]]:
    """A sort key for rows of integers or null (null first, then by value)."""
    return [(0, 0) if v is None else (1, int(v)) for v in row]


def legacy_v1(obj: Any) -> Any:
    """A v2 signature or co-signature payload as v1 wrote it: the signer (co-signer) by
    id only, the session without number, topic, interactions and leaders."""
    out = dict(obj)
    out["version"] = V1
    if out.get("type") == "signature":
        out["signer_id"] = out.pop("signer")["id"]
        out["session"] = {k: v for k, v in out["session"].items() if k not in V2_FACTS}
    elif out.get("type") == "cosignature":
        out["cosigner_id"] = out.pop("cosigner")["id"]
    return out


V2_FACTS = ("number", "topic", "interactions", "leaders")


def signer(db: Db, clinician_id: int) -> dict[str, Any]:
    """Who signs, as printed: {"id", "name", "credentials", "role"} of the profile now
    (its name, credentials and role can no longer change once it has signed)."""
    row = rows(db, "SELECT name, credentials, role FROM clinicians WHERE id = :id",
               {"id": clinician_id}).fetchone()
    name, credentials, role = row if row is not None else (None, None, None)
    return {"id": clinician_id, "name": column_value("TEXT", name),
            "credentials": column_value("TEXT", credentials), "role": role}


# ---------------------------------------------------------------- the three digests


def signature_payload(
    db: Db, kind: str, note_id: int, signer_id: int, signed_at: datetime | str,
    *, facts: dict[str, Any] | None = None, table_columns: list[tuple[str, str]] | None = None,
    signer_: dict[str, Any] | None = None,
) -> dict[str, Any] | None:
    """What a signature of note (`kind`, `note_id`) by `signer_id` at `signed_at` covers,
    as it is in the vault now; None when the note or its session is gone. `facts` (the
    note's session's, when the caller has them), `table_columns` and `signer_` (the
    signer's `signer`) save queries."""
    fields = row_fields(db, NOTE_TABLES[kind], note_id, table_columns=table_columns)
    if fields is None:
        return None
    if facts is None or facts["meeting_id"] != fields["meeting_id"]:
        facts = session_facts(db, int(fields["meeting_id"]))
    if facts is None:
        return None
    return {
        "version": VERSION,
        "type": "signature",
        "note": {"kind": kind, "id": note_id, "fields": fields},
        "signer": signer_ if signer_ is not None else signer(db, signer_id),
        "signed_at": stamp(signed_at),
        "session": facts_for(kind, facts),
    }


def signature_digest(
    db: Db, kind: str, note_id: int, signer_id: int, signed_at: datetime | str
) -> str | None:
    """The digest a signature of this note by this signer at this moment has now."""
    payload = signature_payload(db, kind, note_id, signer_id, signed_at)
    return None if payload is None else digest_of(payload)


def signature_digest_from(
    note: Mapping[str, Any], signer_: Mapping[str, Any], signed_at: datetime | str,
    facts_text: bytes, signer_text: bytes | None = None,
) -> str:
    """The same digest as `digest_of` of the signature payload, from its note object, its
    signer (`signer`) and the session's canonical text made once (`verify` shares it
    among a session's signatures) and, when given, the signer's (`canonical(signer_)`).
    The keys are spliced in sorted order, as `canonical` writes them."""
    text_ = b"".join((
        b'{"note":', canonical(note), b',"session":', facts_text,
        b',"signed_at":', canonical(stamp(signed_at)), b',"signer":',
        canonical(signer_) if signer_text is None else signer_text,
        b',"type":"signature","version":', canonical(VERSION), b"}"))
    return hashlib.sha256(text_).hexdigest()


def addendum_payload(db: Db, addendum_id: int) -> dict[str, Any] | None:
    fields = row_fields(db, "addenda", addendum_id, exclude=("id", "digest"))
    if fields is None:
        return None
    return addendum_text(db, addendum_id, fields)


def addendum_text(db: Db, addendum_id: int, fields: dict[str, Any]) -> dict[str, Any]:
    """The canonical object of an addendum from its row's fields: they, and its author as
    printed (a renamed author breaks the digest, as a renamed signer does)."""
    return {"version": ADDENDUM_VERSION, "type": "addendum", "id": addendum_id,
            "fields": fields, "author": signer(db, int(fields["clinician_id"]))}


def addendum_digest(db: Db, addendum_id: int) -> str | None:
    """The digest of one addendum as it is in the vault now (None when it is gone)."""
    payload = addendum_payload(db, addendum_id)
    return None if payload is None else digest_of(payload)


def addenda_seen(db: Db, signature_id: int, cosigned_at: datetime | str) -> list[list[Any]]:
    """[addendum id, digest] of the addenda a co-signer at `cosigned_at` saw, by id."""
    found = rows(db, "SELECT id, created_at FROM addenda WHERE signature_id = :id ORDER BY id",
                 {"id": signature_id}).fetchall()
    at = stamp(cosigned_at)
    return [[r[0], addendum_digest(db, r[0])] for r in found if stamp(r[1]) <= at]


def cosignature_payload(
    signature_digest_: str, cosigner: Mapping[str, Any], cosigned_at: datetime | str,
    addenda: list[list[Any]],
) -> dict[str, Any]:
    """`cosigner` is the co-signer as `signer` gives it."""
    return {
        "version": VERSION,
        "type": "cosignature",
        "signature": signature_digest_,
        "cosigner": dict(cosigner),
        "cosigned_at": stamp(cosigned_at),
        "addenda": sorted(addenda),
    }


def cosignature_digest(
    db: Db, signature_id: int, signature_digest_: str, cosigner_id: int,
    cosigned_at: datetime | str,
) -> str:
    """The digest of a co-signature of signature `signature_id` (whose own digest is
    `signature_digest_`) by `cosigner_id` at `cosigned_at`, with the addenda seen then."""
    return digest_of(cosignature_payload(
        signature_digest_, signer(db, cosigner_id), cosigned_at,
        addenda_seen(db, signature_id, cosigned_at)))


def signature_row_digests(db: Db, signature_id: int) -> tuple[str | None, str | None]:
    """(signature digest, co-signature digest) recomputed for one signatures row."""
    cursor = rows(db, "SELECT * FROM signatures WHERE id = :id", {"id": signature_id})
    found = cursor.fetchone()
    if found is None:
        return None, None
    row = dict(zip([d[0] for d in cursor.description], found, strict=True))
    kind = next(k for k, col in SIGNATURE_COLUMNS.items() if row[col] is not None)
    payload = signature_payload(db, kind, int(row[SIGNATURE_COLUMNS[kind]]),
                                int(row["signed_by_id"]), row["signed_at"])
    if payload is None:
        return None, None
    sig = matching(payload, row["digest"])
    if row["cosigned_at"] is None or row["cosigned_by_id"] is None:
        return sig, None
    # The co-signature covers the signature's digest as it was stored when co-signed.
    cosign = cosignature_payload(
        row["digest"] or sig, signer(db, int(row["cosigned_by_id"])), row["cosigned_at"],
        addenda_seen(db, signature_id, row["cosigned_at"]))
    return sig, matching(cosign, row["cosign_digest"])


def matching(payload: Mapping[str, Any], stored: str | None) -> str:
    """The digest of `payload` now: v2, or its v1 text's when that is what is `stored`
    (a signature or co-signature made before v2 keeps its v1 digest)."""
    now = digest_of(payload)
    if stored is not None and stored != now:
        old = digest_of(legacy_v1(payload))
        if old == stored:
            return old
    return now


# ---------------------------------------------------------------- audit details


def signature_parts(payload: Mapping[str, Any]) -> dict[str, str]:
    """Digests of the parts of a signature's payload, so that a later check can say which
    part changed (each the SHA-256 of that part's canonical text): the note; the signer's
    id and the time (``[signer id, signed_at]``); the signer as printed (``signer`` but
    its id); the session's number and topic (``[number, topic]``); the rest of the
    session but its lists; its attendance, seating, interactions and leaders present."""
    session = dict(payload["session"])
    lists = {name: session.pop(name, None) for name in LIST_PARTS}
    numbering = [session.pop("number", None), session.pop("topic", None)]
    signer_ = dict(payload["signer"])
    signer_id = signer_.pop("id")
    return {
        "digest": digest_of(payload),
        "note": digest_of(payload["note"]),
        "signer": digest_of([signer_id, payload["signed_at"]]),
        "printed": digest_of(signer_),
        "number": digest_of(numbering),
        "session": digest_of(session),
        **{name: digest_of(value) for name, value in lists.items()},
    }


LIST_PARTS = ("attendance", "seating", "interactions", "leaders", *REGISTER_PARTS)


def detail(**values: Any) -> str:
    """An audit event's ``detail``: a canonical JSON object of digests and ids."""
    return canonical(values).decode("utf-8")


def signature_detail(
    db: Db, kind: str, note_id: int, signer_id: int, signed_at: datetime | str
) -> str | None:
    """The audit detail of a signature: its digest and the digests of its parts."""
    payload = signature_payload(db, kind, note_id, signer_id, signed_at)
    return None if payload is None else detail(**signature_parts(payload))

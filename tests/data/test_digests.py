"""Signatures, co-signatures and addenda store the digest of exactly what they cover."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import text

from groupleader.data import digests
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.services import notes
from groupleader.data.snapshots import GroupNoteFields, MemberNoteFields
from groupleader.data.vault import Vault
from tests.conftest import PIN, ROOT
from tests.data.conftest import World


def test_canonical_text_is_sorted_compact_nfc_utf8() -> None:
    decomposed = "Cafe\u0301 שלום"
    assert digests.canonical({"b": [2, 1], "a": decomposed, "c": None}) == (
        '{"a":"Caf\u00e9 שלום","b":[2,1],"c":null}'.encode())


WORKED_EXAMPLE = {  # the worked example of docs/signatures.md
    "version": "groupleader-signature-v2", "type": "signature",
    "note": {"kind": "member", "id": 7, "fields": {
        "meeting_id": 3, "member_id": 2, "participation": "Spoke first.", "goals": "",
        "response": "", "risk_flag": 0, "risk_followup": "", "plan": "",
        "updated_at": "2025-03-04T19:02:11.000000Z"}},
    "signer": {"id": 1, "name": "Dana Levi", "credentials": "LCSW", "role": "leader"},
    "signed_at": "2025-03-05T08:30:00.000000Z",
    # a member note's signature covers which session, not its facts (the group note's does)
    "session": {"group_id": 1, "meeting_id": 3},
}


def test_the_documented_worked_example() -> None:
    """docs/signatures.md prints this text and digest: the code must agree with it."""
    doc = (ROOT / "docs" / "signatures.md").read_text(encoding="utf-8")
    canonical = digests.canonical(WORKED_EXAMPLE).decode()
    assert canonical in doc
    assert digests.digest_of(WORKED_EXAMPLE) in doc
    assert digests.digest_of(WORKED_EXAMPLE) == (
        "3e2093bc357c2cb32f66ff6d229f925a4ef75cfb2f1dad9e88836c22bde5a51f")
    # verify's faster path (the session's text made once) gives the same digest
    assert digests.signature_digest_from(
        WORKED_EXAMPLE["note"], WORKED_EXAMPLE["signer"], "2025-03-05 08:30:00.000000",
        digests.canonical(WORKED_EXAMPLE["session"])) == digests.digest_of(WORKED_EXAMPLE)


def test_column_values_by_declared_type() -> None:
    moment = datetime(2025, 3, 4, 17, 0, tzinfo=UTC)
    assert digests.column_value("DATETIME", moment) == "2025-03-04T17:00:00.000000Z"
    assert digests.column_value("DATETIME", "2025-03-04 17:00:00.000000") == (
        "2025-03-04T17:00:00.000000Z")
    assert digests.column_value("DATE", date(2025, 3, 4)) == "2025-03-04"
    assert digests.column_value("BOOLEAN", True) == 1
    assert digests.column_value("JSON", '["hope", "universality"]') == ["hope", "universality"]
    assert digests.column_value("TEXT", "e\u0301") == "\u00e9"
    assert digests.column_value("INTEGER", None) is None


def _stored(vault: Vault, kind: str, note_id: int) -> tuple[str | None, str | None]:
    return (query(vault, notes.signature_digest, kind, note_id),
            query(vault, notes.cosignature_digest, kind, note_id))


def _recomputed(vault: Vault, kind: str, note_id: int) -> tuple[str | None, str | None]:
    with vault.unit_of_work() as db:
        column = digests.SIGNATURE_COLUMNS[kind]
        sid = db.execute(text(f"SELECT id FROM signatures WHERE {column} = :n"),
                         {"n": note_id}).scalar_one()
        return digests.signature_row_digests(db, sid)


def test_signing_stores_the_digest_of_note_and_session(vault: Vault, world: World) -> None:
    ops_meetings.record_attendance(vault, world.held, world.anna, "present")
    ops_meetings.record_attendance(vault, world.held, world.bo, "late", 10)
    gn = ops_notes.save_group_note(vault, world.held, GroupNoteFields(themes="loss")).value
    mn = ops_notes.save_member_note(
        vault, world.held, world.anna, MemberNoteFields(goals="speak", risk_flag=True)).value
    ops_notes.sign_note(vault, "group", gn.id, world.lead, pin=PIN)
    assert ops_notes.sign_meeting_notes(vault, world.held, world.lead, pin=PIN).value == 1
    for kind, note_id in (("group", gn.id), ("member", mn.id)):
        stored = _stored(vault, kind, note_id)
        assert stored[0] is not None and len(stored[0]) == 64 and stored[1] is None
        assert _recomputed(vault, kind, note_id) == stored
    with vault.unit_of_work() as db:
        payload = digests.signature_payload(db, "member", mn.id, world.lead, "2025-03-05 09:00:00")
        group = digests.signature_payload(db, "group", gn.id, world.lead, "2025-03-05 09:00:00")
    assert payload is not None and group is not None
    assert payload["note"]["fields"]["member_id"] == world.anna
    assert payload["note"]["fields"]["risk_flag"] == 1
    # a member note's signature names its session; the group note's binds the facts
    assert payload["session"] == {"group_id": world.group, "meeting_id": world.held}
    assert group["session"]["attendance"] == [
        [world.memberships[world.anna], world.anna, "present", None],
        [world.memberships[world.bo], world.bo, "late", 10]]


def test_the_digest_moves_with_attendance_and_seating(vault: Vault, world: World) -> None:
    gn = ops_notes.save_group_note(vault, world.held, GroupNoteFields(themes="loss")).value
    at = datetime(2025, 3, 5, 9, tzinfo=UTC)

    def now_digest() -> str | None:
        with vault.unit_of_work() as db:
            return digests.signature_digest(db, "group", gn.id, world.lead, at)

    before = now_digest()
    ops_meetings.record_attendance(vault, world.held, world.anna, "absent_notice")
    after_attendance = now_digest()
    with vault.unit_of_work() as db:
        db.execute(text("INSERT INTO seats (meeting_id, position, member_id) VALUES (:m, 0, :a)"),
                   {"m": world.held, "a": world.anna})
    after_seating = now_digest()
    assert len({before, after_attendance, after_seating}) == 3


def test_addenda_and_cosignature_digests(vault: Vault, world: World) -> None:
    gn = ops_notes.save_group_note(vault, world.held, GroupNoteFields(themes="loss")).value
    ops_notes.sign_note(vault, "group", gn.id, world.lead, pin=PIN)
    ops_notes.add_addendum(vault, "group", gn.id, world.lead, "Later: the date was wrong.", pin=PIN)
    ops_notes.cosign_note(vault, "group", gn.id, world.sup, pin=PIN)
    ops_notes.add_addendum(vault, "group", gn.id, world.lead, "After the co-signature.", pin=PIN)
    with vault.unit_of_work() as db:
        rows = db.execute(text("SELECT id, digest FROM addenda ORDER BY id")).all()
        assert [r.digest for r in rows] == [digests.addendum_digest(db, r.id) for r in rows]
        assert all(r.digest and len(r.digest) == 64 for r in rows)
    sig, cosig = _stored(vault, "group", gn.id)
    assert cosig is not None
    # the second addendum came after the co-signature: the co-signature still holds
    assert _recomputed(vault, "group", gn.id) == (sig, cosig)
    with vault.unit_of_work() as db:
        seen = digests.addenda_seen(db, 1, "2999-01-01 00:00:00")
    assert len(seen) == 2


def test_a_v1_digest_is_the_v2_text_as_v1_wrote_it() -> None:
    """A signature made before v2 keeps its v1 digest: `legacy_v1` rebuilds v1's text
    exactly (the worked example's digest as v1 documented it)."""
    v1 = digests.legacy_v1(WORKED_EXAMPLE)
    assert digests.digest_of(v1) == (
        "bb4b794575c2dcd77de0bae1182c969233bf5c8dc2b232517604b37a1c38b583")
    assert digests.matching(WORKED_EXAMPLE, digests.digest_of(v1)) == digests.digest_of(v1)
    assert digests.matching(WORKED_EXAMPLE, "0" * 64) == digests.digest_of(WORKED_EXAMPLE)
    group = {**WORKED_EXAMPLE, "session": {
        "group_id": 1, "meeting_id": 3, "number": 4, "topic": "", "starts_at": "x",
        "length_minutes": 90, "status": "held", "attendance": [], "seating": [],
        "interactions": [[2, None, None, None]], "leaders": [1]}}
    assert digests.legacy_v1(group)["session"] == {
        "group_id": 1, "meeting_id": 3, "starts_at": "x", "length_minutes": 90,
        "status": "held", "attendance": [], "seating": []}

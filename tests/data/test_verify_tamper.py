"""`verify` catches each way of changing a signed record with the passphrase and an
SQLCipher shell (triggers dropped first and made again after), each with its own line.

Each case tampers through a raw SQLCipher connection keyed like the program keys it, as
an attacker holding the passphrase would.
"""

from __future__ import annotations

import hashlib
import inspect
import shutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3
from sqlalchemy import text

from groupleader.data import audit, digests
from groupleader.data import backups as backups_mod
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import seating as ops_seating
from groupleader.data.snapshots import ChairSpec, GroupNoteFields, MemberNoteFields, Party
from groupleader.data.vault import VERIFY_CACHE_KIB, Vault, key_connection
from tests.conftest import PASSPHRASE, PIN, TEST_KDF_ITER, open_vault
from tests.data.conftest import PAST_SESSION, World, downgrade_to, make_world


class Signed:
    """The ids of the signed record every case starts from."""

    def __init__(self, path: Path, world: World, group_note: int, anna_note: int,
                 bo_note: int, addendum: int, events: int) -> None:
        self.path, self.world = path, world
        self.group_note, self.anna_note, self.bo_note = group_note, anna_note, bo_note
        self.addendum, self.events = addendum, events


def _build(path: Path) -> Signed:
    vault = Vault.create(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER)
    with vault:
        w = make_world(vault)
        ops_meetings.record_attendance(vault, w.held, w.anna, "present")
        ops_meetings.record_attendance(vault, w.held, w.bo, "absent_notice")
        ops_seating.save_seating(vault, w.held, [
            ChairSpec(clinician_id=w.lead), ChairSpec(member_id=w.anna),
            ChairSpec(member_id=w.bo), ChairSpec()])
        ops_seating.add_interaction(vault, w.held, Party(member_id=w.anna), Party(member_id=w.bo))
        ops_seating.add_interaction(vault, w.held, Party(clinician_id=w.lead))
        gn = ops_notes.save_group_note(vault, w.held, GroupNoteFields(themes="loss")).value
        an = ops_notes.save_member_note(
            vault, w.held, w.anna, MemberNoteFields(participation="spoke first")).value
        bn = ops_notes.save_member_note(
            vault, w.held, w.bo, MemberNoteFields(participation="was away")).value
        assert ops_notes.sign_meeting_notes(vault, w.held, w.lead, pin=PIN).value == 3
        ops_notes.add_addendum(vault, "group", gn.id, w.lead, "Also: the room was cold.", pin=PIN)
        ops_notes.cosign_note(vault, "group", gn.id, w.sup, pin=PIN)
        assert vault.verify().problems == []
        with vault.unit_of_work() as db:
            events = audit.read_head(db)
            addendum = db.execute(text("SELECT max(id) FROM addenda")).scalar_one()
        assert events is not None
    return Signed(path, w, gn.id, an.id, bn.id, addendum, events.events)


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> Signed:
    return _build(tmp_path_factory.mktemp("signed") / "signed.vault")


@pytest.fixture
def signed(original: Signed, tmp_path: Path) -> Signed:
    """A fresh copy of the signed vault for one case."""
    path = tmp_path / "case.vault"
    shutil.copy(original.path, path)
    return Signed(path, original.world, original.group_note, original.anna_note,
                  original.bo_note, original.addendum, original.events)


def raw(path: Path) -> Any:
    conn = sqlcipher3.connect(str(path))
    key_connection(conn, PASSPHRASE, TEST_KDF_ITER)
    return conn


def tamper(path: Path, *tables: str) -> Callable[[Callable[[Any], None]], None]:
    """Run the decorated edit with the triggers of `tables` dropped, then made again."""

    def run(edit: Callable[[Any], None]) -> None:
        conn = raw(path)
        triggers = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
            f"({', '.join('?' * len(tables))})", tables).fetchall()
        for name, _ in triggers:
            conn.execute(f"DROP TRIGGER {name}")
        edit(conn)
        for _, sql in triggers:
            conn.execute(sql)
        conn.commit()
        conn.close()

    return run


def problems(path: Path, **kwargs: Any) -> list[str]:
    with open_vault(path) as vault:
        return vault.verify(**kwargs).problems


def only(found: list[str], *expected: str) -> None:
    """Each expected text is in some line, and every line is one of the expected."""
    for wanted in expected:
        assert any(wanted in line for line in found), (wanted, found)
    for line in found:
        assert any(wanted in line for wanted in expected), (line, found)


SESSION = f"session 1 ({PAST_SESSION.astimezone().date().isoformat()})"


def test_the_signed_vault_with_addenda_and_cosignature_verifies(signed: Signed) -> None:
    assert problems(signed.path) == []


def test_signed_note_text_edited(signed: Signed) -> None:
    @tamper(signed.path, "meeting_notes")
    def _(conn: Any) -> None:
        conn.execute("UPDATE meeting_notes SET themes = 'forged' WHERE id = ?",
                     (signed.group_note,))

    only(problems(signed.path),
         f"{SESSION}, group note {signed.group_note}: the note's content (its fields, or "
         "whose note it is) changed since it was signed")


def test_edited_addendum(signed: Signed) -> None:
    @tamper(signed.path, "addenda")
    def _(conn: Any) -> None:
        conn.execute("UPDATE addenda SET text = 'forged' WHERE id = ?", (signed.addendum,))

    only(problems(signed.path),
         f"{SESSION}, group note {signed.group_note}, addendum {signed.addendum}: changed since "
         "it was added",
         f"{SESSION}, group note {signed.group_note}: its co-signature no longer matches")


@pytest.mark.parametrize(
    ("column", "value"), [("signed_by_id", None), ("signed_at", "2025-03-09 10:00:00.000000")])
def test_changed_signer_or_signing_time(signed: Signed, column: str, value: Any) -> None:
    @tamper(signed.path, "signatures")
    def _(conn: Any) -> None:
        new = signed.world.co if value is None else value
        conn.execute(f"UPDATE signatures SET {column} = ? WHERE member_note_id = ?",
                     (new, signed.anna_note))

    only(problems(signed.path),
         f"{SESSION}, member note {signed.anna_note}: its signer or signing time changed")


def test_changed_signer_with_the_stored_digest_recomputed(signed: Signed) -> None:
    """Someone who knows the method recomputes the signature's digest: the trail's record
    of the signing still names the change."""

    @tamper(signed.path, "signatures")
    def _(conn: Any) -> None:
        conn.execute("UPDATE signatures SET signed_by_id = ? WHERE member_note_id = ?",
                     (signed.world.co, signed.anna_note))
        at = conn.execute("SELECT signed_at FROM signatures WHERE member_note_id = ?",
                          (signed.anna_note,)).fetchone()[0]
        with Vault.open(signed.path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER) as v, \
                v.unit_of_work() as db:
            forged = digests.signature_digest(db, "member", signed.anna_note, signed.world.co, at)
        conn.execute("UPDATE signatures SET digest = ? WHERE member_note_id = ?",
                     (forged, signed.anna_note))

    only(problems(signed.path),
         f"{SESSION}, member note {signed.anna_note}: its signature is not the one the audit "
         "trail recorded",
         f"{SESSION}, member note {signed.anna_note}: the audit trail records its signature")


def test_deleted_signature(signed: Signed) -> None:
    @tamper(signed.path, "signatures")
    def _(conn: Any) -> None:
        conn.execute("DELETE FROM signatures WHERE member_note_id = ?", (signed.bo_note,))

    only(problems(signed.path),
         f"{SESSION}, member note {signed.bo_note}: the audit trail records its signature "
         "(event")


def test_two_members_notes_swapped(signed: Signed) -> None:
    w = signed.world

    @tamper(signed.path, "member_notes")
    def _(conn: Any) -> None:
        conn.execute("UPDATE member_notes SET member_id = -1 WHERE id = ?", (signed.anna_note,))
        conn.execute("UPDATE member_notes SET member_id = ? WHERE id = ?", (w.anna, signed.bo_note))
        conn.execute("UPDATE member_notes SET member_id = ? WHERE id = ?", (w.bo, signed.anna_note))

    changed = "the note's content (its fields, or whose note it is) changed since it was signed"
    only(problems(signed.path),
         f"{SESSION}, member note {signed.anna_note}: {changed}",
         f"{SESSION}, member note {signed.bo_note}: {changed}")


def test_all_lock_triggers_dropped(signed: Signed) -> None:
    conn = raw(signed.path)
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%locked%'")]
    assert len(names) >= 10
    for name in names:
        conn.execute(f"DROP TRIGGER {name}")
    conn.commit()
    conn.close()
    only(problems(signed.path), *(f"trigger {name} is missing" for name in names))


def test_trigger_altered(signed: Signed) -> None:
    conn = raw(signed.path)
    conn.execute("DROP TRIGGER meeting_notes_locked_update")
    conn.execute("CREATE TRIGGER meeting_notes_locked_update BEFORE UPDATE ON meeting_notes "
                 "WHEN 0 BEGIN SELECT RAISE(ABORT, 'signed note is locked'); END")
    conn.commit()
    conn.close()
    only(problems(signed.path), "trigger meeting_notes_locked_update was altered")


def test_last_events_deleted_and_sqlite_sequence_lowered(signed: Signed) -> None:
    last = signed.events

    @tamper(signed.path, "audit_events")
    def _(conn: Any) -> None:
        conn.execute("DELETE FROM audit_events WHERE id > ?", (last - 2,))
        conn.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_events'",
                     (last - 2,))

    found = problems(signed.path)
    # the two events were the addendum's and the co-signature's: only the trail shows it
    assert f"audit trail: the trail had {last} events and {last - 2} are left" in found
    assert all(line.startswith("audit trail:") for line in found), found


def test_whole_audit_log_deleted(signed: Signed) -> None:
    @tamper(signed.path, "audit_events")
    def _(conn: Any) -> None:
        conn.execute("DELETE FROM audit_events")
        conn.execute("DELETE FROM sqlite_sequence WHERE name = 'audit_events'")

    found = problems(signed.path)
    assert f"audit trail: the trail had {signed.events} events and 0 are left" in found
    # and no signature is the one the (gone) trail recorded
    for note in (signed.anna_note, signed.bo_note):
        assert any(f"member note {note}: its signature is not the one the audit trail "
                   "recorded" in line for line in found), found


def _old_sha(prev: str, e: tuple[Any, ...]) -> str:
    """The unkeyed SHA-256 chain of earlier versions: anyone could recompute it."""
    payload = "\x1f".join((prev, e[1].replace(" ", "T"), e[2], e[3], str(e[4])))
    return hashlib.sha256(payload.encode()).hexdigest()


def _sha_of_the_documented_text(prev: str, e: tuple[Any, ...]) -> str:
    """Today's documented event text, hashed without the key (which only the vault holds)."""
    message = digests.canonical([prev, digests.stamp(e[1]), e[2], e[3], e[4], e[5]])
    return hashlib.sha256(message).hexdigest()


@pytest.mark.parametrize("recompute", [_old_sha, _sha_of_the_documented_text])
def test_edited_event_with_an_unkeyed_chain_recomputed(
    signed: Signed, recompute: Callable[[str, tuple[Any, ...]], str]
) -> None:
    @tamper(signed.path, "audit_events")
    def _(conn: Any) -> None:
        conn.execute("UPDATE audit_events SET record_id = 99 WHERE id = 5")
        prev = "0" * 64
        for e in conn.execute("SELECT id, at, action, record_type, record_id, detail "
                              "FROM audit_events ORDER BY id").fetchall():
            mac = recompute(prev, e)
            conn.execute("UPDATE audit_events SET prev_hash = ?, hash = ? WHERE id = ?",
                         (prev, mac, e[0]))
            prev = mac
        count = signed.events
        conn.execute("UPDATE audit_head SET head = ?, mac = ?", (prev, hashlib.sha256(
            digests.canonical([count, prev])).hexdigest()))

    found = problems(signed.path)
    assert "audit trail: event 5 was altered" in found
    assert "audit trail: the record of the trail's length and last event was altered" in found
    assert all(line.startswith("audit trail:") for line in found), found


def test_attendance_changed_after_signing(signed: Signed) -> None:
    w = signed.world

    @tamper(signed.path, "attendance")
    def _(conn: Any) -> None:
        conn.execute("UPDATE attendance SET status = 'present' WHERE membership_id = ?",
                     (w.memberships[w.bo],))

    line = "the session's attendance changed since it was signed"
    # the group note's signature binds the session's facts (member notes' bind their own)
    only(problems(signed.path), f"{SESSION}, group note {signed.group_note}: {line}")


def test_seating_changed_after_signing(signed: Signed) -> None:
    w = signed.world

    @tamper(signed.path, "seats")
    def _(conn: Any) -> None:
        conn.execute("UPDATE seats SET member_id = NULL WHERE member_id = ?", (w.bo,))

    found = problems(signed.path)
    only(found, "the session's seating changed since it was signed")
    assert len(found) == 1 and "group note" in found[0]


def test_session_moved_after_signing(signed: Signed) -> None:
    @tamper(signed.path, "meetings")
    def _(conn: Any) -> None:
        conn.execute("UPDATE meetings SET starts_at = '2025-03-05 17:00:00.000000'")

    found = problems(signed.path)
    only(found, "the session's date, time, length or status changed since it was signed")


def test_a_backup_shows_a_tail_removed_with_the_head_rewritten(
    signed: Signed, tmp_path: Path
) -> None:
    """Someone with the passphrase and this program's method removes the last events and
    writes a head that matches: only a backup made before shows it."""
    folder = tmp_path / "backups"
    folder.mkdir()
    with open_vault(signed.path) as vault:
        backup = backups_mod.make_backup(vault, folder)

    @tamper(signed.path, "audit_events")
    def _(conn: Any) -> None:
        conn.execute("DELETE FROM audit_events WHERE id > ?", (signed.events - 3,))
        conn.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_events'",
                     (signed.events - 3,))
        keys = audit.Keys.of(bytes(conn.execute(
            "SELECT value FROM vault_secrets WHERE name = 'audit'").fetchone()[0]))
        head = conn.execute("SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1"
                            ).fetchone()[0]
        conn.execute("UPDATE audit_head SET count = ?, head = ?, mac = ?",
                     (signed.events - 3, head, audit.head_mac(keys.head, signed.events - 3,
                                                              head)))

    alone = problems(signed.path)
    assert not any(line.startswith("audit trail:") for line in alone), alone
    found = problems(signed.path, backups=[backup], passphrase=PASSPHRASE)
    assert f"backup {backup.name} holds {signed.events} audit events and the vault only " \
        f"{signed.events - 3}: events were deleted since that backup" in found


def test_a_backup_whose_trail_the_vault_continues_is_no_problem(
    signed: Signed, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    with open_vault(signed.path) as vault:
        backup = backups_mod.make_backup(vault, folder)
        ops_notes.add_addendum(vault, "member", signed.anna_note, signed.world.lead, "later",
                               pin=PIN)
    with open_vault(signed.path) as vault:
        report = vault.verify([backup], PASSPHRASE)
    assert report.problems == [] and report.backups_checked == 1


def test_verify_writes_nothing(signed: Signed) -> None:
    before = signed.path.read_bytes()
    with open_vault(signed.path) as vault:
        assert vault.verify().problems == []
    assert signed.path.read_bytes() == before


# ---------------------------------------------------------------- upgrade


def _vault_before_digests(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                          break_chain: bool = False) -> tuple[Path, Signed]:
    """A vault made by the version before 0005_signature_digests: signed, co-signed notes
    with an addendum, attendance and seating, and an unkeyed SHA-256 audit chain."""
    path = tmp_path / "old.vault"
    with monkeypatch.context() as m:
        m.setattr(audit, "append", lambda db, events: None)  # that version's chain: below
        with Vault.create(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER) as old:
            w = make_world(old)
            ops_meetings.record_attendance(old, w.held, w.anna, "late", 5)
            ops_seating.save_seating(old, w.held, [ChairSpec(member_id=w.anna), ChairSpec()])
            downgrade_to(old, "0004_session_lock")
    conn = raw(path)  # notes by hand: this version's services read the new columns
    gn = conn.execute("INSERT INTO meeting_notes (meeting_id, themes, here_and_now, "
                      "interventions, factors, critical_incidents, boundary_incidents, risk, "
                      "plan, updated_at) VALUES (?, 'loss', '', '', '[\"hope\"]', '', '', '', "
                      "'', '2025-03-04 19:00:00.000000')", (w.held,)).lastrowid
    an = conn.execute("INSERT INTO member_notes (meeting_id, member_id, participation, goals, "
                      "response, risk_flag, risk_followup, plan, updated_at) VALUES (?, ?, '', "
                      "'speak', '', 1, '', '', '2025-03-04 19:00:00.000000')",
                      (w.held, w.anna)).lastrowid
    conn.execute("INSERT INTO signatures (meeting_note_id, signed_by_id, signed_at, "
                 "cosigned_by_id, cosigned_at) VALUES (?, ?, '2025-03-05 08:00:00.000000', ?, "
                 "'2025-03-07 08:00:00.000000')", (gn, w.lead, w.sup))
    conn.execute("INSERT INTO signatures (member_note_id, signed_by_id, signed_at) "
                 "VALUES (?, ?, '2025-03-05 08:00:00.000000')", (an, w.lead))
    conn.execute("INSERT INTO addenda (signature_id, clinician_id, created_at, text) "
                 "VALUES (1, ?, '2025-03-06 08:00:00.000000', 'Also: late.')", (w.lead,))
    prev = "0" * 64
    for i, action in enumerate(("vault.unlock", "note.group.sign", "note.member.sign",
                                "note.group.addendum", "note.group.cosign"), start=1):
        e = (i, f"2025-03-05 0{i}:00:00.000000", action, "x", i)
        mac = _old_sha(prev, e)
        conn.execute("INSERT INTO audit_events (at, action, record_type, record_id, prev_hash, "
                     "hash) VALUES (?, ?, ?, ?, ?, ?)", (*e[1:], prev, mac))
        prev = mac
    if break_chain:
        conn.execute("DROP TRIGGER audit_events_locked_update")
        conn.execute("UPDATE audit_events SET record_id = 42 WHERE id = 3")
    conn.commit()
    conn.close()
    return path, Signed(path, w, gn, an, 0, 1, 5)


def test_upgrade_binds_existing_signatures_and_keys_the_chain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, s = _vault_before_digests(tmp_path, monkeypatch)
    with open_vault(path) as vault:
        assert vault.verify().problems == []
        with vault.unit_of_work() as db:
            sigs = db.execute(text("SELECT digest, cosign_digest FROM signatures ORDER BY id")
                              ).all()
            actions = [r[0] for r in db.execute(text(
                "SELECT action, record_id FROM audit_events ORDER BY id")).all()]
            addendum = db.execute(text("SELECT digest FROM addenda")).scalar_one()
    assert sigs[0][0] and sigs[0][1] and sigs[1][0] and sigs[1][1] is None and addendum
    assert actions[:5] == ["vault.unlock", "note.group.sign", "note.member.sign",
                           "note.group.addendum", "note.group.cosign"]
    assert actions[5:] == [
        "audit.rekeyed", "note.group.sign.bound_at_upgrade",
        "note.group.addendum.bound_at_upgrade", "note.group.cosign.bound_at_upgrade",
        "note.member.sign.bound_at_upgrade", "vault.signatures_bound_at_upgrade"]
    # and bound, they are checked like any other signature
    @tamper(path, "attendance")
    def _(conn: Any) -> None:
        conn.execute("UPDATE attendance SET status = 'present', minutes_late = NULL")

    found = problems(path)
    assert len(found) == 1 and "group note" in found[0], found  # it binds the facts
    only(found, "the session's attendance changed since it was signed")


def test_upgrade_over_a_broken_unkeyed_chain_says_so_for_ever(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, _ = _vault_before_digests(tmp_path, monkeypatch, break_chain=True)
    found = problems(path)
    assert len(found) == 1 and found[0].startswith("audit trail: 1 link(s) of the trail were "
                                                   "already broken when the upgrade keyed it")


# ---------------------------------------------------------------- what v2 binds


def _amend(path: Path, world: World) -> int:
    """An attendance amendment of the signed session, made through the program."""
    extra: dict[str, Any] = {}
    if "pin" in inspect.signature(ops_notes.add_amendment).parameters:
        extra["pin"] = PIN  # amendments may ask for the author's PIN
    with open_vault(path) as vault:
        status = ops_notes.add_amendment(
            vault, world.held, world.lead,
            {"field": "attendance", "member_id": world.bo, "to": "present"},
            "Bo phoned in; he was there.", **extra).value
        assert vault.verify().problems == []
    return status.addenda[-1].id


def test_amendment_deleted(signed: Signed) -> None:
    amendment = _amend(signed.path, signed.world)

    @tamper(signed.path, "addenda")
    def _(conn: Any) -> None:
        conn.execute("DELETE FROM addenda WHERE id = ?", (amendment,))

    only(problems(signed.path),
         f"{SESSION}, group note, amendment {amendment}: the audit trail records it")


def test_session_number_and_topic_changed(signed: Signed) -> None:
    @tamper(signed.path, "meetings")
    def _(conn: Any) -> None:
        conn.execute("UPDATE meetings SET number = 99, topic = 'x'")

    moved = SESSION.replace("session 1 ", "session 99 ")
    only(problems(signed.path),
         f"{moved}, group note {signed.group_note}: the session's number or topic changed "
         "since it was signed")


def test_interactions_deleted(signed: Signed) -> None:
    @tamper(signed.path, "interactions")
    def _(conn: Any) -> None:
        assert conn.execute("DELETE FROM interactions WHERE meeting_id = ?",
                            (signed.world.held,)).rowcount == 2

    only(problems(signed.path),
         f"{SESSION}, group note {signed.group_note}: the session's interactions changed "
         "since it was signed")


def test_leader_present_deleted(signed: Signed) -> None:
    @tamper(signed.path, "meeting_leaders")
    def _(conn: Any) -> None:
        assert conn.execute("DELETE FROM meeting_leaders WHERE meeting_id = ? AND "
                            "clinician_id = ?", (signed.world.held, signed.world.lead)
                            ).rowcount == 1

    only(problems(signed.path),
         f"{SESSION}, group note {signed.group_note}: the session's leaders present changed "
         "since it was signed")


def test_signer_renamed_behind_the_program(signed: Signed) -> None:
    @tamper(signed.path, "clinicians")
    def _(conn: Any) -> None:
        conn.execute("UPDATE clinicians SET name = 'Someone Else', credentials = 'MD' "
                     "WHERE id = ?", (signed.world.lead,))

    found = problems(signed.path)
    signer = "its signer's printed name, credentials or role changed since it was signed"
    assert sum(signer in line for line in found) == 3  # the group note, both member notes
    # the lead's addendum covers its author as printed too (and the co-signature, the
    # addenda it saw)
    only(found, signer, "addendum 1: changed since it was added",
         "its co-signature no longer matches its digest")
    assert len(found) == 5


def test_cosigner_role_changed_behind_the_program(signed: Signed) -> None:
    @tamper(signed.path, "clinicians")
    def _(conn: Any) -> None:
        conn.execute("UPDATE clinicians SET role = 'leader' WHERE id = ?", (signed.world.sup,))

    only(problems(signed.path),
         f"{SESSION}, group note {signed.group_note}: its co-signature no longer matches")


def _a_trigger_with_a_message(conn: Any) -> tuple[str, str]:
    for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"):
        if "RAISE(ABORT, '" in sql:
            return name, sql
    raise AssertionError("no trigger with a RAISE message")


def test_trigger_remade_with_only_its_message_changed(signed: Signed) -> None:
    conn = raw(signed.path)
    name, sql = _a_trigger_with_a_message(conn)
    # Only the spacing inside the message: a collapsing compare would take it for equal.
    start = sql.index("RAISE(ABORT, '") + len("RAISE(ABORT, '")
    end = sql.index("'", start)
    assert " " in sql[start:end]
    changed = sql[:start] + sql[start:end].replace(" ", "\n      ", 1) + sql[end:]
    conn.execute(f"DROP TRIGGER {name}")
    conn.execute(changed)
    conn.commit()
    conn.close()

    only(problems(signed.path), f"trigger {name} was altered")


def test_trigger_remade_with_other_whitespace_is_not_altered(signed: Signed) -> None:
    conn = raw(signed.path)
    name, sql = _a_trigger_with_a_message(conn)
    conn.execute(f"DROP TRIGGER {name}")
    conn.execute(sql.replace(" ", "\n  ", 3))
    conn.commit()
    conn.close()

    assert problems(signed.path) == []


def test_verify_leaves_the_page_cache_as_it_found_it(signed: Signed) -> None:
    """verify widens the page cache for its checks; the window's everyday cache comes back."""
    with open_vault(signed.path) as vault:
        before = vault.pragma("cache_size")
        assert vault.verify().problems == []
        assert vault.pragma("cache_size") == before != -VERIFY_CACHE_KIB


def test_a_note_signed_in_a_later_session_is_checked_against_its_own_session(
        signed: Signed) -> None:
    """verify reads a session's signed notes once per session: a second signed session
    verifies, and a changed note in it is found, named with that session."""
    w = signed.world
    later = PAST_SESSION + timedelta(days=7)
    with open_vault(signed.path) as vault:
        second = ops_meetings.schedule_meeting(vault, w.group, later).value.id
        ops_meetings.hold_meeting(vault, second)
        ops_meetings.record_attendance(vault, second, w.anna, "present")
        ops_notes.save_group_note(vault, second, GroupNoteFields(themes="return"))
        note = ops_notes.save_member_note(
            vault, second, w.anna, MemberNoteFields(participation="spoke late")).value
        assert ops_notes.sign_meeting_notes(vault, second, w.lead, pin=PIN).value == 2
        assert vault.verify().problems == []

    @tamper(signed.path, "member_notes")
    def _(conn: Any) -> None:
        conn.execute("UPDATE member_notes SET participation = 'forged' WHERE id = ?",
                     (note.id,))

    only(problems(signed.path),
         f"session 2 ({later.astimezone().date().isoformat()}), member note {note.id}: "
         "the note's content")

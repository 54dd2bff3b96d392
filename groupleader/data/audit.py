"""The audit trail: one keyed, chained event per write, unlock, export or print.

An event names the action, the record type and the record's id, and in ``detail`` at most
a digest (a signature's, `groupleader.data.digests`), never a note's text or a person's
name. Each event's MAC (``hash``) is an HMAC-SHA256 over its own fields and the MAC of the
event before it (``prev_hash``), keyed with a key derived from a random secret kept inside
the encrypted vault (``vault_secrets``): altering any event breaks its own MAC, removing one
breaks the link of the next, and nobody without the passphrase can make a chain that
verifies. Ids come from AUTOINCREMENT (never reused), so a removed event shows as a gap.
``audit_head`` keeps the number of events and the last MAC, under a MAC of its own, written
in the same transaction as every append: deleting the log or its tail (even with
``sqlite_sequence`` lowered) shows against it, and every backup (a copy of the file)
carries the head of its day. A trigger also refuses UPDATE and DELETE on the events; the
MACs are what catch someone who removed it. docs/signatures.md gives the exact texts.

Work that only reads (unlocking, verifying, exporting, printing, backing up) writes
nothing to the vault: its events wait in memory as `Pending` events (`Vault.audit_later`)
and join the chain, each with its own moment, in the next unit of work that writes
anything, ahead of that unit's own events, so the chain stays in time order. A session
that never writes records none of them (docs/decisions.md says why).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from groupleader.data import clock
from groupleader.data.digests import canonical, stamp
from groupleader.data.unit_cache import TAIL

GENESIS = "0" * 64
# The key in `Session.info` under which a unit of work hands its vault's pending events
# to the first `record_many` of the unit (see `Vault.unit_of_work`).
PENDING = "groupleader.pending_audit"
SECRET_NAME = "audit"  # its row in vault_secrets
CHAIN_LABEL = b"groupleader-audit-chain-v1"
HEAD_LABEL = b"groupleader-audit-head-v1"

Db = Session | Connection
# The upgrade that keyed the chain found the old, unkeyed one broken (record id: how many
# links were wrong): `check_chain` reports it for ever after.
BROKEN_BEFORE_REKEY = "audit.broken_before_rekey"
# A save of the same note within this long of the event of the save that began its burst
# records no event of its own: one event per note per few minutes of editing.
COALESCE = timedelta(minutes=5)


class Pending(NamedTuple):
    """An event, waiting for the next write (read-only work keeps its moment)."""

    at: datetime
    action: str
    record_type: str
    record_id: int | None
    detail: str | None = None


@dataclass(frozen=True)
class Keys:
    """The two keys derived from the vault's audit secret."""

    chain: bytes
    head: bytes

    @classmethod
    def of(cls, secret: bytes) -> Keys:
        return cls(hmac.new(secret, CHAIN_LABEL, hashlib.sha256).digest(),
                   hmac.new(secret, HEAD_LABEL, hashlib.sha256).digest())


def new_secret() -> bytes:
    """A vault's audit secret: 32 random bytes, made once, kept inside the vault."""
    return os.urandom(32)


def keys(db: Db) -> Keys | None:
    """The vault's audit keys (None when its secret is missing)."""
    secret = db.execute(text("SELECT value FROM vault_secrets WHERE name = :n"),
                        {"n": SECRET_NAME}).scalar()
    return Keys.of(bytes(secret)) if secret else None


def event_mac(
    key: bytes, prev: str, at: datetime | str, action: str, record_type: str,
    record_id: int | None, detail: str | None,
) -> str:
    """HMAC-SHA256 (hex) of one event: the canonical JSON list of its fields."""
    message = canonical([prev, stamp(at), action, record_type, record_id, detail])
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def head_mac(key: bytes, count: int, head: str) -> str:
    """HMAC-SHA256 (hex) of the chain's length and last MAC."""
    return hmac.new(key, canonical([count, head]), hashlib.sha256).hexdigest()


class Head(NamedTuple):
    events: int
    head: str
    mac: str


def read_head(db: Db) -> Head | None:
    row = db.execute(text("SELECT count, head, mac FROM audit_head WHERE id = 1")).first()
    return None if row is None else Head(int(row[0]), str(row[1]), str(row[2]))


def record(
    db: Session, action: str, record_type: str, record_id: int | None, detail: str | None = None
) -> None:
    """Append one event in the caller's transaction (it commits or rolls back with it)."""
    record_many(db, action, record_type, [record_id], [detail])


def record_many(
    db: Session, action: str, record_type: str, record_ids: Sequence[int | None],
    details: Sequence[str | None] | None = None,
) -> None:
    """Append one event per id, in order, with one flush (batch services).

    The chain is the same as from calling `record` once per id; all share one moment.
    `details` (one per id) hold digests. Events still pending in this unit of work
    (`PENDING`) go first.
    """
    if not record_ids:
        return
    at = clock.now()
    if details is None:
        details = [None] * len(record_ids)
    if len(details) != len(record_ids):
        raise ValueError("one detail per record id")
    pending: list[Pending] = db.info.pop(PENDING, None) or []
    append(db, [*pending, *(Pending(at, action, record_type, rid, d)
                            for rid, d in zip(record_ids, details, strict=True))])


def write_pending(db: Session) -> int:
    """Append the events still pending in this unit of work (it wrote, but no event yet)."""
    pending: list[Pending] = db.info.pop(PENDING, None) or []
    append(db, pending)
    return len(pending)


@dataclass(frozen=True)
class Tail:
    """The chain's end as this program last wrote it (kept by the open vault)."""

    keys: Keys
    count: int
    head: str
    last: Pending


def _cached_tail(db: Db) -> Tail | None:
    """The vault's remembered tail, if the stored head still says the same (one read)."""
    tail: Tail | None = db.info.get(TAIL)
    if tail is None:
        return None
    conn = db.connection() if isinstance(db, Session) else db
    # the driver's SQL as it is: a text() construct would be built and keyed on every save
    row = conn.exec_driver_sql("SELECT count, head FROM audit_head WHERE id = 1").first()
    if row is None or int(row[0]) != tail.count or str(row[1]) != tail.head:
        db.info[TAIL] = None
        return None
    return tail


def continues_burst(db: Db, action: str, record_type: str, record_id: int | None) -> bool:
    """Whether this event would repeat the chain's last one, for the same record, less than
    `COALESCE` after it: then a save in one editing burst records no event of its own.

    Only with the vault's remembered tail (so a fresh vault records the first save), and
    never while other events wait to be written (they go first, then this one).
    """
    if db.info.get(PENDING):
        return False
    tail = _cached_tail(db)
    if tail is None:
        return False
    last = tail.last
    return ((last.action, last.record_type, last.record_id) == (action, record_type, record_id)
            and timedelta(0) <= clock.now() - last.at < COALESCE)


def append(db: Db, events: Sequence[Pending]) -> None:
    """Chain `events` after the head, and move the head, in the caller's transaction."""
    if not events:
        return
    tail = _cached_tail(db)
    if tail is not None:
        k, count, prev = tail.keys, tail.count, tail.head
    else:
        found = keys(db)
        if found is None:
            raise RuntimeError("the vault has no audit secret")
        k = found
        current = read_head(db)
        count, prev = (current.events, current.head) if current else (0, GENESIS)
    rows = []
    for e in events:
        mac = event_mac(k.chain, prev, e.at, e.action, e.record_type, e.record_id, e.detail)
        rows.append({"at": stamp(e.at).replace("T", " ").rstrip("Z"), "action": e.action,
                     "record_type": e.record_type, "record_id": e.record_id,
                     "detail": e.detail, "prev_hash": prev, "hash": mac})
        prev = mac
    db.execute(text(
        "INSERT INTO audit_events (at, action, record_type, record_id, detail, prev_hash, hash)"
        " VALUES (:at, :action, :record_type, :record_id, :detail, :prev_hash, :hash)"), rows)
    write_head(db, k, count + len(rows), prev)
    db.info[TAIL] = Tail(k, count + len(rows), prev, events[-1])


def write_head(db: Db, k: Keys, count: int, head: str) -> None:
    db.execute(text(
        "INSERT INTO audit_head (id, count, head, mac) VALUES (1, :c, :h, :m) "
        "ON CONFLICT (id) DO UPDATE SET count = excluded.count, head = excluded.head, "
        "mac = excluded.mac"), {"c": count, "h": head, "m": head_mac(k.head, count, head)})


# ---------------------------------------------------------------- checking


class Event(NamedTuple):
    id: int
    at: str
    action: str
    record_type: str
    record_id: int | None
    detail: str | None
    prev_hash: str
    hash: str


def events(db: Db) -> Iterator[Event]:
    """Every event in id order, streamed as plain rows (flat memory)."""
    result = db.execute(text(
        "SELECT id, at, action, record_type, record_id, detail, prev_hash, hash "
        "FROM audit_events ORDER BY id").execution_options(yield_per=2000))
    for row in result:
        yield Event(*row)


def rekey(db: Db, k: Keys) -> int:
    """Re-chain every event with key `k` (ids, fields and order kept); how many.

    For the upgrade from the unkeyed chain, with the table's lock triggers dropped.
    """
    prev, count = GENESIS, 0
    for e in list(events(db)):
        mac = event_mac(k.chain, prev, e.at, e.action, e.record_type, e.record_id, e.detail)
        db.execute(text("UPDATE audit_events SET prev_hash = :p, hash = :h WHERE id = :id"),
                   {"p": prev, "h": mac, "id": e.id})
        prev, count = mac, count + 1
    write_head(db, k, count, prev)
    return count


class ChainCheck(NamedTuple):
    problems: list[str]
    events: int  # events found
    macs_at: dict[int, str]  # the chain's MAC after the n-th event, for each n asked for


def verify_chain(db: Db, positions: Sequence[int] = ()) -> list[str]:
    """Problems found in the audit trail; an empty list means it is intact."""
    return check_chain(db, positions).problems


def check_chain(db: Db, positions: Sequence[int] = ()) -> ChainCheck:
    """Stream the chain once: every MAC, every link, the ids, the head record.

    `positions` are chain lengths (a backup's head count) whose MAC the caller wants, to
    compare with that backup's head.
    """
    problems: list[str] = []
    k = keys(db)
    if k is None:
        return ChainCheck(["the vault's audit key is missing, so the trail cannot be "
                           "checked"], 0, {})
    wanted = set(positions)
    macs_at: dict[int, str] = {}
    prev_hash, prev_id, count = GENESIS, 0, 0
    for e in events(db):
        count += 1
        if e.id != prev_id + 1:
            problems.append(f"events {prev_id + 1}-{e.id - 1} are missing")
        if e.prev_hash != prev_hash:
            problems.append(f"event {e.id} does not follow the event before it")
        expected = event_mac(k.chain, e.prev_hash, e.at, e.action, e.record_type,
                             e.record_id, e.detail)
        if not hmac.compare_digest(e.hash, expected):
            problems.append(f"event {e.id} was altered")
        prev_hash, prev_id = e.hash, e.id
        if count in wanted:
            macs_at[count] = e.hash
        if e.action == BROKEN_BEFORE_REKEY:
            problems.append(f"{e.record_id} link(s) of the trail were already broken when the "
                            f"upgrade keyed it (event {e.id})")
    seq = db.execute(
        text("SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'")
    ).scalar()
    if seq is not None and seq > prev_id:
        problems.append(f"events {prev_id + 1}-{seq} at the end are missing")
    head = read_head(db)
    if head is None:
        problems.append("the record of the trail's length and last event is missing")
    elif not hmac.compare_digest(head.mac, head_mac(k.head, head.events, head.head)):
        problems.append("the record of the trail's length and last event was altered")
    else:
        if head.events != count:
            problems.append(f"the trail had {head.events} events and {count} are left")
        elif head.head != prev_hash:
            problems.append("the last event is not the one the trail ended with")
    return ChainCheck(problems, count, macs_at)

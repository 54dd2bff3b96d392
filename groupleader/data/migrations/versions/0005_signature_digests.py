"""Signatures bound to what they cover, and a keyed audit chain.

Revision ID: 0005_signature_digests
Revises: 0003

Adds ``signatures.digest``, ``signatures.cosign_digest`` and ``addenda.digest`` (SHA-256
of the canonical text `groupleader.data.digests` describes, docs/signatures.md) with an
index on each ``digest``, and re-creates the lock triggers of both tables so that a
digest, once set, never changes (an addendum's digest may be set once, from NULL, in the
transaction that adds it).

Signatures and addenda already in the vault get their digests here, computed from the
record as it is at upgrade: they were bound at upgrade time, not at signing. The lock
triggers are dropped around these UPDATEs and made again after them, in the same
transaction.

An addendum's digest covers every column of its row but ``id`` and ``digest``: a revision
that adds a column to ``addenda`` runs before this one, or recomputes the digests.

The audit chain becomes keyed: a random 32-byte secret is made and kept in the new table
``vault_secrets``; every event's MAC is an HMAC-SHA256 keyed from it, over the fields of
the event (with the new ``detail``: digests only) and the MAC before it. The whole
existing chain is re-keyed here (its events, ids and order kept; the append-only triggers
dropped and made again around it), ``audit_head`` records its length and last MAC, and
the trail then says what the upgrade did: ``audit.rekeyed`` (record id: the number of
events re-keyed), ``audit.broken_before_rekey`` if the old chain did not verify (record id:
how many of its links were wrong; `verify` keeps reporting it), one
``note.<kind>.<sign|cosign|addendum>.bound_at_upgrade`` event per digest made (its detail
as at signing), and ``vault.signatures_bound_at_upgrade`` (record
id: the number of signatures).
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

from groupleader.data import audit, clock, digests

revision = "0005_signature_digests"
down_revision = "0004_session_lock"
branch_labels = None
depends_on = None

OLD_TRIGGERS = ("signatures_locked_update", "addenda_locked_update")
AUDIT_TRIGGERS = tuple(  # as 0001 made them
    f"CREATE TRIGGER audit_events_locked_{event.lower()} BEFORE {event} ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
    for event in ("UPDATE", "DELETE"))

_SIGNED = ("id", "meeting_note_id", "member_note_id", "private_note_id", "signed_by_id",
           "signed_at", "digest")
_ADDENDUM = ("id", "signature_id", "clinician_id", "created_at", "text", "kind", "change")

TRIGGERS = (
    # a signature changes only once, by its co-signature (who, when and its digest)
    "CREATE TRIGGER signatures_locked_update BEFORE UPDATE ON signatures "
    "WHEN OLD.cosigned_at IS NOT NULL OR "
    + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _SIGNED)
    + " BEGIN SELECT RAISE(ABORT, 'signature is locked'); END",
    # an addendum's only change: its digest, set once from NULL
    "CREATE TRIGGER addenda_locked_update BEFORE UPDATE ON addenda "
    "WHEN OLD.digest IS NOT NULL OR NEW.digest IS NULL OR "
    + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _ADDENDUM)
    + " BEGIN SELECT RAISE(ABORT, 'addendum is locked'); END",
)
# The triggers as 0001 made them, for the downgrade.
OLD_SQL = (
    "CREATE TRIGGER signatures_locked_update BEFORE UPDATE ON signatures "
    "WHEN OLD.cosigned_at IS NOT NULL OR "
    + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _SIGNED[:-1])
    + " BEGIN SELECT RAISE(ABORT, 'signature is locked'); END",
    "CREATE TRIGGER addenda_locked_update BEFORE UPDATE ON addenda "
    "BEGIN SELECT RAISE(ABORT, 'addendum is locked'); END",
)


def _bind_existing(conn: sa.Connection) -> list[audit.Pending]:
    """Digests of the addenda and signatures already in the vault; their audit events."""
    at = clock.now()
    bound: list[audit.Pending] = []
    for (addendum_id,) in conn.execute(sa.text("SELECT id FROM addenda ORDER BY id")).all():
        digest = digests.addendum_digest(conn, addendum_id)
        conn.execute(sa.text("UPDATE addenda SET digest = :d WHERE id = :id"),
                     {"d": digest, "id": addendum_id})
    rows = conn.execute(sa.text("SELECT * FROM signatures ORDER BY id")).mappings().all()
    for row in rows:
        sig, cosig = digests.signature_row_digests(conn, row["id"])
        conn.execute(sa.text("UPDATE signatures SET digest = :d, cosign_digest = :c "
                             "WHERE id = :id"), {"d": sig, "c": cosig, "id": row["id"]})
        kind = next(k for k, c in digests.SIGNATURE_COLUMNS.items() if row[c] is not None)
        note_id = row[digests.SIGNATURE_COLUMNS[kind]]
        what = f"note.{kind}"
        bound.append(audit.Pending(
            at, f"{what}.sign.bound_at_upgrade", f"{kind}_note", note_id,
            digests.signature_detail(conn, kind, note_id, row["signed_by_id"],
                                     row["signed_at"])))
        for a in conn.execute(sa.text("SELECT id, digest FROM addenda WHERE signature_id = :s "
                                      "ORDER BY id"), {"s": row["id"]}):
            bound.append(audit.Pending(at, f"{what}.addendum.bound_at_upgrade", f"{kind}_note",
                                       note_id, digests.detail(addendum=a.id, digest=a.digest)))
        if cosig is not None:
            bound.append(audit.Pending(at, f"{what}.cosign.bound_at_upgrade", f"{kind}_note",
                                       note_id, digests.detail(digest=cosig)))
    if rows:
        bound.append(audit.Pending(at, "vault.signatures_bound_at_upgrade", "vault", len(rows)))
    return bound


def _unkeyed_chain_problems(conn: sa.Connection) -> int:
    """How many events of the old, unkeyed SHA-256 chain do not verify (before re-keying
    it: a trail already broken is recorded as such, not laundered by the new keys)."""
    bad, prev, prev_id = 0, "0" * 64, 0
    for e in audit.events(conn):
        stamp_ = digests.stamp(e.at)[:-1]  # the old text had no Z
        payload = "\x1f".join((prev, stamp_, e.action, e.record_type, str(e.record_id)))
        if (e.id != prev_id + 1 or e.prev_hash != prev
                or e.hash != hashlib.sha256(payload.encode()).hexdigest()):
            bad += 1
        prev, prev_id = e.hash, e.id
    seq = conn.execute(sa.text(
        "SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'")).scalar()
    return bad + (1 if seq is not None and seq > prev_id else 0)


def upgrade() -> None:
    conn = op.get_bind()
    op.create_table(
        "vault_secrets",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_vault_secrets"),
    )
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("head", sa.String(length=64), nullable=False),
        sa.Column("mac", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_head"),
    )
    conn.execute(sa.text("INSERT INTO vault_secrets (name, value) VALUES (:n, :v)"),
                 {"n": audit.SECRET_NAME, "v": audit.new_secret()})
    op.add_column("audit_events", sa.Column("detail", sa.String(), nullable=True))
    op.add_column("signatures", sa.Column("digest", sa.String(length=64), nullable=True))
    op.add_column("signatures", sa.Column("cosign_digest", sa.String(length=64), nullable=True))
    op.add_column("addenda", sa.Column("digest", sa.String(length=64), nullable=True))
    op.create_index("ix_signatures_digest", "signatures", ["digest"])
    op.create_index("ix_signatures_cosign_digest", "signatures", ["cosign_digest"])
    op.create_index("ix_addenda_digest", "addenda", ["digest"])

    for name in OLD_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    bound = _bind_existing(conn)
    for statement in TRIGGERS:
        op.execute(statement)

    keys = audit.keys(conn)
    assert keys is not None
    broken = _unkeyed_chain_problems(conn)
    for statement in AUDIT_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {statement.split()[2]}")
    rekeyed = audit.rekey(conn, keys)
    for statement in AUDIT_TRIGGERS:
        op.execute(statement)
    events = [audit.Pending(clock.now(), "audit.rekeyed", "vault", rekeyed)] if rekeyed else []
    if broken:
        events.append(audit.Pending(clock.now(), audit.BROKEN_BEFORE_REKEY, "vault", broken))
    audit.append(conn, [*events, *bound])


def downgrade() -> None:
    for name in OLD_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for statement in OLD_SQL:
        op.execute(statement)
    op.drop_index("ix_addenda_digest", "addenda")
    op.drop_index("ix_signatures_cosign_digest", "signatures")
    op.drop_index("ix_signatures_digest", "signatures")
    for table, column in (("addenda", "digest"), ("signatures", "cosign_digest"),
                          ("signatures", "digest"), ("audit_events", "detail")):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    op.drop_table("audit_head")
    op.drop_table("vault_secrets")

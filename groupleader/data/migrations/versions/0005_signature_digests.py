"""Signatures bound to what they cover: a digest on every signature, co-signature, addendum.

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
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from groupleader.data import digests

revision = "0005_signature_digests"
down_revision = "0003"
branch_labels = None
depends_on = None

OLD_TRIGGERS = ("signatures_locked_update", "addenda_locked_update")

_SIGNED = ("id", "meeting_note_id", "member_note_id", "private_note_id", "signed_by_id",
           "signed_at", "digest")
_ADDENDUM = ("id", "signature_id", "clinician_id", "created_at", "text")

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


def _bind_existing(conn: sa.Connection) -> int:
    """Digests of the addenda and signatures already in the vault; how many signatures."""
    for (addendum_id,) in conn.execute(sa.text("SELECT id FROM addenda ORDER BY id")).all():
        conn.execute(sa.text("UPDATE addenda SET digest = :d WHERE id = :id"),
                     {"d": digests.addendum_digest(conn, addendum_id), "id": addendum_id})
    ids = [r[0] for r in conn.execute(sa.text("SELECT id FROM signatures ORDER BY id"))]
    for signature_id in ids:
        sig, cosig = digests.signature_row_digests(conn, signature_id)
        conn.execute(sa.text("UPDATE signatures SET digest = :d, cosign_digest = :c "
                             "WHERE id = :id"), {"d": sig, "c": cosig, "id": signature_id})
    return len(ids)


def upgrade() -> None:
    op.add_column("signatures", sa.Column("digest", sa.String(length=64), nullable=True))
    op.add_column("signatures", sa.Column("cosign_digest", sa.String(length=64), nullable=True))
    op.add_column("addenda", sa.Column("digest", sa.String(length=64), nullable=True))
    op.create_index("ix_signatures_digest", "signatures", ["digest"])
    op.create_index("ix_addenda_digest", "addenda", ["digest"])
    for name in OLD_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    _bind_existing(op.get_bind())
    for statement in TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    for name in OLD_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for statement in OLD_SQL:
        op.execute(statement)
    op.drop_index("ix_addenda_digest", "addenda")
    op.drop_index("ix_signatures_digest", "signatures")
    for table, column in (("addenda", "digest"), ("signatures", "cosign_digest"),
                          ("signatures", "digest")):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")

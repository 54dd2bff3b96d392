"""Each clinician profile gets its own signing PIN: a salted argon2id hash, never the PIN.

Revision ID: 0006_signing_pins
Revises: 0003

``clinicians.pin_hash`` holds the PHC string argon2-cffi writes (``$argon2id$v=19$...``:
the parameters, the random salt and the hash), or ``""`` for a profile that has no PIN
yet: such a profile is asked to set one before it signs. A plain ADD COLUMN with a
default: the clinicians table keeps its rows (and the tables that refer to it), and no
trigger is touched.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_signing_pins"
down_revision = "0005_signature_digests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("clinicians", sa.Column("pin_hash", sa.Text(), nullable=False,
                                          server_default=""))


def downgrade() -> None:
    op.execute("ALTER TABLE clinicians DROP COLUMN pin_hash")  # SQLite 3.35+, no rebuild

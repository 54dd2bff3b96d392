"""A partial index of the signatures that wait for a co-signature.

Revision ID: 0012_awaiting_cosign_index
Revises: 0011_fts_after_burst

The status bar counts the group and member notes awaiting a co-signature on every unlock
(`services.cosign_queue.awaiting_count`). Without an index that count reads every row of
``signatures`` (digests included): about 25 ms of a cold page cache at ten years of notes,
on the unlock's path. The index lists only the waiting ones, so the count reads a few
small pages, and the queue's own query starts from it. Nothing else changes.
"""

from __future__ import annotations

from alembic import op

revision = "0012_awaiting_cosign_index"
down_revision = "0011_fts_after_burst"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX ix_signatures_awaiting_cosign ON signatures (id) "
               "WHERE cosigned_at IS NULL AND private_note_id IS NULL")


def downgrade() -> None:
    op.execute("DROP INDEX ix_signatures_awaiting_cosign")

"""Members get "also written as": other spellings of their name that a report must hide.

Revision ID: 0003
Revises: 0002

A member's nicknames and transliterations (Naama for נעמה, Fatima for فاطمة) are kept
one a line in ``members.also_written_as``, so a de-identified export hides them like the
full and preferred names. Adding a plain column with a default needs no table rebuild,
so the members table keeps its rows and nothing else changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN (a batch would rebuild the table, and members is referred to)
    op.add_column("members", sa.Column("also_written_as", sa.Text(), nullable=False,
                                       server_default=""))


def downgrade() -> None:
    op.execute("ALTER TABLE members DROP COLUMN also_written_as")  # SQLite 3.35+, no rebuild

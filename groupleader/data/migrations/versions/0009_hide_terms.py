"""General terms to hide: words or phrases a de-identified export removes (a workplace, a
family name), kept for the whole vault.

Revision ID: 0009_hide_terms
Revises: 0008_measures

``hide_terms.term`` is the term as typed (one line); every de-identified export and the
screen-share safe display replace it, matched the way a person reads (case, accents,
apostrophes ignored). A new table: nothing else changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_hide_terms"
down_revision = "0008_measures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hide_terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("term", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("hide_terms")

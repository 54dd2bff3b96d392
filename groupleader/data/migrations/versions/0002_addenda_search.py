"""Addenda are searchable: index them in ``note_fts`` beside the notes.

Revision ID: 0002
Revises: 0001

``note_fts`` rowids are ``id * 4 + kind`` with kinds 1 to 3 for the three note tables;
code 0 was free, so an addendum's rowid is ``addendum_id * 4``. Addenda are never updated
or deleted (triggers of 0001 refuse it), so an insert trigger keeps the index in sync; a
delete trigger is added anyway so a repair tool that drops the lock cannot leave a stale
row. Existing addenda are indexed here. An addendum of a private note is found only when
private notes are asked for: ``groupleader.data.search`` checks its signature.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TRIGGERS = (
    "CREATE TRIGGER addenda_fts_insert AFTER INSERT ON addenda "
    "BEGIN INSERT INTO note_fts(rowid, body) VALUES (NEW.id * 4, NEW.text); END",
    "CREATE TRIGGER addenda_fts_delete AFTER DELETE ON addenda "
    "BEGIN DELETE FROM note_fts WHERE rowid = OLD.id * 4; END",
)


def upgrade() -> None:
    op.execute("INSERT INTO note_fts(rowid, body) SELECT id * 4, text FROM addenda")
    for statement in TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    for statement in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {statement.split()[2]}")
    op.execute("DELETE FROM note_fts WHERE rowid % 4 = 0")

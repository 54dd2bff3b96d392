"""A member note's search entry follows at the end of its editing burst, not every autosave.

Revision ID: 0011_fts_after_burst
Revises: 0010_fts_prefix

Re-indexing a note of up to 2,000 characters (the old text's entries deleted, the new
text's written, with 3-letter prefixes) was half the work of an autosave and most of the
pages it wrote. ``note_fts_behind`` lists the member notes (by their ``note_fts`` rowid,
``id * 4 + 2``) whose entry waits: while a note's rowid is in it, the update trigger leaves
the index alone; deleting the row brings the entry up to date from the note as it is now
(trigger ``note_fts_behind_caught_up``). The lean autosave (`services.notes`) puts its note
there; every other unit of work that writes, a search, and locking or closing the vault
empty it (`groupleader.data.search.catch_up`), so a search always finds the latest text.

Nothing else changes: the insert and delete triggers, the other note tables and the
signed-note locks are as they were. The downgrade catches every entry up first.
"""

from __future__ import annotations

from alembic import op

revision = "0011_fts_after_burst"
down_revision = "0010_fts_prefix"
branch_labels = None
depends_on = None

MEMBER_TEXT = ("participation", "goals", "response", "risk_followup", "plan")
BODY = " || ' ' || ".join(MEMBER_TEXT)
NEW_BODY = " || ' ' || ".join(f"NEW.{c}" for c in MEMBER_TEXT)
DELETE = "DELETE FROM note_fts WHERE rowid = OLD.id * 4 + 2;"
INSERT = f"INSERT INTO note_fts(rowid, body) VALUES (NEW.id * 4 + 2, {NEW_BODY});"


def upgrade() -> None:
    op.execute("CREATE TABLE note_fts_behind (rowid INTEGER PRIMARY KEY)")
    op.execute("DROP TRIGGER member_notes_fts_update")
    op.execute(
        "CREATE TRIGGER member_notes_fts_update AFTER UPDATE ON member_notes "
        "WHEN NOT EXISTS (SELECT 1 FROM note_fts_behind WHERE rowid = NEW.id * 4 + 2) "
        f"BEGIN {DELETE} {INSERT} END")
    op.execute(
        "CREATE TRIGGER note_fts_behind_caught_up AFTER DELETE ON note_fts_behind "
        "BEGIN DELETE FROM note_fts WHERE rowid = OLD.rowid; "
        f"INSERT INTO note_fts(rowid, body) SELECT id * 4 + 2, {BODY} FROM member_notes "
        "WHERE OLD.rowid % 4 = 2 AND id = OLD.rowid / 4; END")


def downgrade() -> None:
    op.execute("DELETE FROM note_fts_behind")  # every entry caught up first
    op.execute("DROP TRIGGER note_fts_behind_caught_up")
    op.execute("DROP TRIGGER member_notes_fts_update")
    op.execute(f"CREATE TRIGGER member_notes_fts_update AFTER UPDATE ON member_notes "
               f"BEGIN {DELETE} {INSERT} END")
    op.execute("DROP TABLE note_fts_behind")

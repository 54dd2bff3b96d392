"""The search index keeps 3-letter prefixes, so a search while typing is instant.

Revision ID: 0010_fts_prefix
Revises: 0009_hide_terms

A search's last word matches as a prefix ("anx" finds "anxiety", `data.search`). Without
a prefix index FTS5 reads every term that starts with it (tens of thousands in ten years
of notes); with ``prefix = '3'`` a 3-letter prefix is one entry of its own, and a longer
one starts from fewer terms.

FTS5 takes its options only when the table is made, so ``note_fts`` is made again with the
same column, tokenizer and rowids, and refilled from its own rows (through a plain table
inside the encrypted vault, dropped at once; never a temp file). The triggers that keep it
in step name the table and are left as they are. The downgrade makes it again without
prefixes.

Also one index for the roster: the risk flag of each member's latest note in a group is
read from ``(meeting_id, member_id, risk_flag)`` alone, without reading ten years of note
text to find them.
"""

from __future__ import annotations

from alembic import op

revision = "0010_fts_prefix"
down_revision = "0009_hide_terms"
branch_labels = None
depends_on = None

TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2'"


def _remake(options: str) -> None:
    op.execute("CREATE TABLE _note_fts_rows (id INTEGER PRIMARY KEY, body TEXT)")
    op.execute("INSERT INTO _note_fts_rows (id, body) SELECT rowid, body FROM note_fts")
    op.execute("DROP TABLE note_fts")
    op.execute(f"CREATE VIRTUAL TABLE note_fts USING fts5(body, {options})")
    op.execute("INSERT INTO note_fts (rowid, body) SELECT id, body FROM _note_fts_rows")
    op.execute("DROP TABLE _note_fts_rows")


RISK_INDEX = "ix_member_notes_meeting_id_member_id_risk_flag"


def upgrade() -> None:
    _remake(f"{TOKENIZE}, prefix = '3'")
    op.create_index(RISK_INDEX, "member_notes", ["meeting_id", "member_id", "risk_flag"])


def downgrade() -> None:
    op.drop_index(RISK_INDEX, "member_notes")
    _remake(TOKENIZE)

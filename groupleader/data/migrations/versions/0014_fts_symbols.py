"""The search index cuts words at emoji and at the newer symbols, as the search does.

Revision ID: 0014_fts_symbols
Revises: 0013_attendance_by_membership

FTS5's ``unicode61`` tokenizer knows the characters of Unicode 6.1 and takes every
character it does not know for part of a word. So an emoji added since (🙂, 🤔, 🥲, and
most in use today) was kept inside the word it touched: "tearful🙂" was indexed as one
word, and a search for "tearful after" or "relieved" (written "🤔relieved") missed the
note. The search cuts what is typed at every character that is not a letter or a digit
(`data.search`), so the index now does the same at these: the blocks where emoji,
pictographs, arrows and technical symbols live, the bidirectional isolates (pasted with
right-to-left text) and the Arabic letter mark. Characters these blocks add in later
Unicode versions are cut too, as the whole blocks are listed.

The list is written out here, not read from Python's Unicode tables, so that every vault
made with this revision holds the same tokenizer whichever Python made it. FTS5 takes its
options only when the table is made, so ``note_fts`` is made again with the same column,
prefixes and rowids and refilled from its own rows, as in 0010 (through a plain table
inside the encrypted vault, dropped at once; never a temp file). The triggers that keep it
in step name the table and are left as they are. The downgrade makes it again as 0010 did.
"""

from __future__ import annotations

from alembic import op

revision = "0014_fts_symbols"
down_revision = "0013_attendance_by_membership"
branch_labels = None
depends_on = None

BEFORE = "tokenize = 'unicode61 remove_diacritics 2', prefix = '3'"

# (first, last) code points cut at, beyond what unicode61 already cuts at
SEPARATOR_RANGES = (
    (0x061C, 0x061C),  # Arabic letter mark
    (0x2066, 0x2069),  # left-to-right, right-to-left, first-strong isolates; pop
    (0x2300, 0x23FF),  # Miscellaneous Technical (⏸ ⏱ ⌛ …)
    (0x2600, 0x27BF),  # Miscellaneous Symbols, Dingbats
    (0x2B00, 0x2BFF),  # Miscellaneous Symbols and Arrows
    (0x1F000, 0x1FAFF),  # the emoji and pictograph blocks, from Mahjong Tiles on
)
SEPARATORS = "".join(chr(c) for first, last in SEPARATOR_RANGES for c in range(first, last + 1))
AFTER = (f"tokenize = 'unicode61 remove_diacritics 2 separators ''{SEPARATORS}''', "
         "prefix = '3'")


# As in 0010, written out again rather than shared: a revision keeps doing what it did
# when it shipped, whatever a later one changes.
def _remake(options: str) -> None:
    op.execute("CREATE TABLE _note_fts_rows (id INTEGER PRIMARY KEY, body TEXT)")
    op.execute("INSERT INTO _note_fts_rows (id, body) SELECT rowid, body FROM note_fts")
    op.execute("DROP TABLE note_fts")
    op.execute(f"CREATE VIRTUAL TABLE note_fts USING fts5(body, {options})")
    op.execute("INSERT INTO note_fts (rowid, body) SELECT id, body FROM _note_fts_rows")
    op.execute("DROP TABLE _note_fts_rows")


def upgrade() -> None:
    _remake(AFTER)


def downgrade() -> None:
    _remake(BEFORE)

"""A signed session is locked with its group note; corrections after signing are amendments.

Revision ID: 0004_session_lock
Revises: 0003

Once a session's group note has a signature, the facts the note rests on are locked too:
its attendance, chairs (``seats``), interactions, leaders present (``meeting_leaders``) and
its own row in ``meetings`` (date and time, length, status and topic). The services refuse
first (``SessionLocked``); these triggers refuse any INSERT, UPDATE or DELETE as the second
line, for a writer that goes around the services. An UPDATE is checked against both the
row's old and new session, so a row cannot be moved into or out of a signed session.

A correction after signing is an **amendment**: a row of ``addenda`` with ``kind`` =
'amendment' and a JSON ``change`` (what changed, from what to what), its reason in
``text``. Addenda stay immutable (the triggers of 0001 refuse UPDATE and DELETE on the
whole table), so amendments are too. Existing addenda become kind 'addendum'. Plain
ADD COLUMNs with defaults: no table is rebuilt, so no trigger is lost.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_session_lock"
down_revision = "0003"
branch_labels = None
depends_on = None

MESSAGE = "signed session is locked"
# The tables of a session's facts, each with the column naming its session.
FACT_TABLES = ("attendance", "seats", "interactions", "meeting_leaders")


def signed(meeting: str) -> str:
    """SQL true when the session `meeting` (an expression) has a signed group note."""
    return (
        "EXISTS (SELECT 1 FROM meeting_notes n JOIN signatures s ON s.meeting_note_id = n.id "
        f"WHERE n.meeting_id = {meeting})"
    )


def _trigger(table: str, event: str, when: str) -> str:
    return (
        f"CREATE TRIGGER {table}_session_locked_{event.lower()} BEFORE {event} ON {table} "
        f"WHEN {when} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    )


def triggers() -> list[str]:
    sql = []
    for table in FACT_TABLES:
        sql += [
            _trigger(table, "INSERT", signed("NEW.meeting_id")),
            _trigger(table, "UPDATE",
                     f"{signed('OLD.meeting_id')} OR {signed('NEW.meeting_id')}"),
            _trigger(table, "DELETE", signed("OLD.meeting_id")),
        ]
    sql += [
        _trigger("meetings", "UPDATE", signed("OLD.id")),
        _trigger("meetings", "DELETE", signed("OLD.id")),
    ]
    return sql


def upgrade() -> None:
    op.add_column("addenda", sa.Column("kind", sa.String(), nullable=False,
                                       server_default="addendum"))
    op.add_column("addenda", sa.Column("change", sa.JSON(), nullable=True))
    for statement in triggers():
        op.execute(statement)


def downgrade() -> None:
    for statement in triggers():
        op.execute(f"DROP TRIGGER IF EXISTS {statement.split()[2]}")
    op.execute("ALTER TABLE addenda DROP COLUMN change")  # SQLite 3.35+, no rebuild
    op.execute("ALTER TABLE addenda DROP COLUMN kind")

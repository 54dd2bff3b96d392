"""The clinical record: every table, the signed-note locks and the search index.

Revision ID: 0001
Revises: (none)

Hand-written to match ``groupleader.data.models`` exactly (tests/data/test_model_schema.py
compares them). Besides the tables it creates what the ORM does not describe:

* triggers that refuse any UPDATE or DELETE of a signed note, of a signature (other than
  adding the one co-signature), of an addendum, and of an audit event: the second line of
  defence behind the services;
* ``note_fts``, one FTS5 table over the three kinds of note, kept in sync by triggers so
  that no writer (service, bench builder, repair tool) can forget it. Its rowid encodes the
  note: ``note_id * 4 + kind`` with kind 1 = group note, 2 = member note, 3 = private note.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

NOTE_KINDS = (
    # table, kind code in note_fts rowids, signatures column, searchable text columns
    (
        "meeting_notes",
        1,
        "meeting_note_id",
        (
            "themes",
            "here_and_now",
            "interventions",
            "critical_incidents",
            "boundary_incidents",
            "risk",
            "plan",
        ),
    ),
    (
        "member_notes",
        2,
        "member_note_id",
        ("participation", "goals", "response", "risk_followup", "plan"),
    ),
    ("private_notes", 3, "private_note_id", ("text",)),
)


def _triggers() -> list[str]:
    sql = []
    for table, code, sig_col, columns in NOTE_KINDS:
        signed = f"EXISTS (SELECT 1 FROM signatures WHERE {sig_col} = OLD.id)"
        for event in ("UPDATE", "DELETE"):
            sql.append(
                f"CREATE TRIGGER {table}_locked_{event.lower()} BEFORE {event} ON {table} "
                f"WHEN {signed} BEGIN SELECT RAISE(ABORT, 'signed note is locked'); END"
            )
        body = " || ' ' || ".join(f"NEW.{c}" for c in columns)
        insert = f"INSERT INTO note_fts(rowid, body) VALUES (NEW.id * 4 + {code}, {body});"
        delete = f"DELETE FROM note_fts WHERE rowid = OLD.id * 4 + {code};"
        sql += [
            f"CREATE TRIGGER {table}_fts_insert AFTER INSERT ON {table} BEGIN {insert} END",
            f"CREATE TRIGGER {table}_fts_update AFTER UPDATE ON {table} "
            f"BEGIN {delete} {insert} END",
            f"CREATE TRIGGER {table}_fts_delete AFTER DELETE ON {table} BEGIN {delete} END",
        ]
    changed = " OR ".join(
        f"NEW.{c} IS NOT OLD.{c}"
        for c in (
            "id",
            "meeting_note_id",
            "member_note_id",
            "private_note_id",
            "signed_by_id",
            "signed_at",
        )
    )
    sql += [
        "CREATE TRIGGER signatures_locked_update BEFORE UPDATE ON signatures "
        f"WHEN OLD.cosigned_at IS NOT NULL OR {changed} "
        "BEGIN SELECT RAISE(ABORT, 'signature is locked'); END",
        "CREATE TRIGGER signatures_locked_delete BEFORE DELETE ON signatures "
        "BEGIN SELECT RAISE(ABORT, 'signature is locked'); END",
    ]
    for table, message in (
        ("addenda", "addendum is locked"),
        ("audit_events", "audit log is append-only"),
    ):
        for event in ("UPDATE", "DELETE"):
            sql.append(
                f"CREATE TRIGGER {table}_locked_{event.lower()} BEFORE {event} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )
    return sql


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("record_type", sa.String(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_events"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "clinicians",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("credentials", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "role IN ('leader', 'co_leader', 'supervisor')", name="ck_clinicians_role"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_clinicians"),
    )
    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(), nullable=False),
        sa.Column("preferred_name", sa.String(), nullable=False),
        sa.Column("pronouns", sa.String(), nullable=False),
        sa.Column("dob", sa.Date(), nullable=True),
        sa.Column("phone", sa.String(), nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("emergency_contact", sa.Text(), nullable=False),
        sa.Column("presenting_concerns", sa.Text(), nullable=False),
        sa.Column("referral_source", sa.String(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_members"),
    )
    op.create_table(
        "therapy_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("format", sa.String(), nullable=False),
        sa.Column("sessions_per_cycle", sa.Integer(), nullable=True),
        sa.Column("weekday", sa.Integer(), nullable=True),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("length_minutes", sa.Integer(), nullable=False),
        sa.Column("room", sa.String(), nullable=False),
        sa.Column("target_size", sa.Integer(), nullable=False),
        sa.Column("max_size", sa.Integer(), nullable=False),
        sa.Column("min_size", sa.Integer(), nullable=False),
        sa.Column("agreement", sa.Text(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("format IN ('open_ended', 'fixed')", name="ck_therapy_groups_format"),
        sa.CheckConstraint(
            "kind IN ('psychodynamic', 'support', 'psychoeducational', 'self_help')",
            name="ck_therapy_groups_kind",
        ),
        sa.CheckConstraint(
            "weekday IS NULL OR weekday BETWEEN 0 AND 6", name="ck_therapy_groups_weekday"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_therapy_groups"),
    )
    op.create_table(
        "group_leaders",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinician_id"], ["clinicians.id"], name="fk_group_leaders_clinician_id_clinicians"
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["therapy_groups.id"],
            name="fk_group_leaders_group_id_therapy_groups",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("group_id", "clinician_id", name="pk_group_leaders"),
    )
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("cycle", sa.Integer(), nullable=True),
        sa.Column("number_in_cycle", sa.Integer(), nullable=True),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("length_minutes", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("topic", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('scheduled', 'held', 'cancelled')", name="ck_meetings_status"
        ),
        sa.ForeignKeyConstraint(
            ["group_id"], ["therapy_groups.id"], name="fk_meetings_group_id_therapy_groups"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_meetings"),
        sa.UniqueConstraint("group_id", "number", name="uq_meetings_group_id_number"),
    )
    op.create_index("ix_meetings_group_id_starts_at", "meetings", ["group_id", "starts_at"])

    op.create_table(
        "memberships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("pseudonym", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('referred', 'screening', 'waitlist', 'active', 'graduated', 'left',"
            " 'transferred')",
            name="ck_memberships_status",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"], ["therapy_groups.id"], name="fk_memberships_group_id_therapy_groups"
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name="fk_memberships_member_id_members"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_memberships"),
    )
    op.create_index("ix_memberships_group_id_status", "memberships", ["group_id", "status"])
    op.create_index("ix_memberships_member_id", "memberships", ["member_id"])

    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("minutes_late", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(status = 'late') = (minutes_late IS NOT NULL)", name="ck_attendance_late_minutes"
        ),
        sa.CheckConstraint(
            "status IN ('present', 'late', 'absent_notice', 'absent_no_notice')",
            name="ck_attendance_status",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name="fk_attendance_meeting_id_meetings"
        ),
        sa.ForeignKeyConstraint(
            ["membership_id"], ["memberships.id"], name="fk_attendance_membership_id_memberships"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_attendance"),
        sa.UniqueConstraint(
            "meeting_id", "membership_id", name="uq_attendance_meeting_id_membership_id"
        ),
    )
    op.create_index("ix_attendance_membership_id", "attendance", ["membership_id"])

    op.create_table(
        "interactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("from_member_id", sa.Integer(), nullable=True),
        sa.Column("from_clinician_id", sa.Integer(), nullable=True),
        sa.Column("to_member_id", sa.Integer(), nullable=True),
        sa.Column("to_clinician_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(from_member_id IS NULL) <> (from_clinician_id IS NULL)", name="ck_interactions_from"
        ),
        sa.CheckConstraint(
            "to_member_id IS NULL OR to_clinician_id IS NULL", name="ck_interactions_to"
        ),
        sa.ForeignKeyConstraint(
            ["from_clinician_id"],
            ["clinicians.id"],
            name="fk_interactions_from_clinician_id_clinicians",
        ),
        sa.ForeignKeyConstraint(
            ["from_member_id"], ["members.id"], name="fk_interactions_from_member_id_members"
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name="fk_interactions_meeting_id_meetings",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_clinician_id"],
            ["clinicians.id"],
            name="fk_interactions_to_clinician_id_clinicians",
        ),
        sa.ForeignKeyConstraint(
            ["to_member_id"], ["members.id"], name="fk_interactions_to_member_id_members"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_interactions"),
    )
    op.create_index("ix_interactions_meeting_id", "interactions", ["meeting_id"])

    op.create_table(
        "meeting_leaders",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinician_id"], ["clinicians.id"], name="fk_meeting_leaders_clinician_id_clinicians"
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name="fk_meeting_leaders_meeting_id_meetings",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", "clinician_id", name="pk_meeting_leaders"),
    )
    op.create_table(
        "meeting_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("themes", sa.Text(), nullable=False),
        sa.Column("here_and_now", sa.Text(), nullable=False),
        sa.Column("interventions", sa.Text(), nullable=False),
        sa.Column("factors", sa.JSON(), nullable=False),
        sa.Column("stage", sa.String(), nullable=True),
        sa.Column("critical_incidents", sa.Text(), nullable=False),
        sa.Column("boundary_incidents", sa.Text(), nullable=False),
        sa.Column("risk", sa.Text(), nullable=False),
        sa.Column("plan", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name="fk_meeting_notes_meeting_id_meetings"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_meeting_notes"),
        sa.UniqueConstraint("meeting_id", name="uq_meeting_notes_meeting_id"),
    )
    op.create_table(
        "member_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("participation", sa.Text(), nullable=False),
        sa.Column("goals", sa.Text(), nullable=False),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("risk_flag", sa.Boolean(), nullable=False),
        sa.Column("risk_followup", sa.Text(), nullable=False),
        sa.Column("plan", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name="fk_member_notes_meeting_id_meetings"
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name="fk_member_notes_member_id_members"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_member_notes"),
        sa.UniqueConstraint("meeting_id", "member_id", name="uq_member_notes_meeting_id_member_id"),
    )
    op.create_index("ix_member_notes_member_id", "member_notes", ["member_id"])

    op.create_table(
        "membership_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('referred', 'screening', 'waitlist', 'active', 'graduated', 'left',"
            " 'transferred')",
            name="ck_membership_events_status",
        ),
        sa.ForeignKeyConstraint(
            ["membership_id"],
            ["memberships.id"],
            name="fk_membership_events_membership_id_memberships",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_membership_events"),
    )
    op.create_index("ix_membership_events_membership_id", "membership_events", ["membership_id"])

    op.create_table(
        "private_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["clinicians.id"], name="fk_private_notes_author_id_clinicians"
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name="fk_private_notes_meeting_id_meetings"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_private_notes"),
        sa.UniqueConstraint("meeting_id", name="uq_private_notes_meeting_id"),
    )
    op.create_table(
        "seats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("clinician_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "member_id IS NULL OR clinician_id IS NULL", name="ck_seats_one_occupant"
        ),
        sa.ForeignKeyConstraint(
            ["clinician_id"], ["clinicians.id"], name="fk_seats_clinician_id_clinicians"
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name="fk_seats_meeting_id_meetings", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name="fk_seats_member_id_members"),
        sa.PrimaryKeyConstraint("id", name="pk_seats"),
        sa.UniqueConstraint("meeting_id", "position", name="uq_seats_meeting_id_position"),
    )
    op.create_table(
        "signatures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_note_id", sa.Integer(), nullable=True),
        sa.Column("member_note_id", sa.Integer(), nullable=True),
        sa.Column("private_note_id", sa.Integer(), nullable=True),
        sa.Column("signed_by_id", sa.Integer(), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.Column("cosigned_by_id", sa.Integer(), nullable=True),
        sa.Column("cosigned_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "(meeting_note_id IS NOT NULL) + (member_note_id IS NOT NULL)"
            " + (private_note_id IS NOT NULL) = 1",
            name="ck_signatures_one_note",
        ),
        sa.ForeignKeyConstraint(
            ["cosigned_by_id"], ["clinicians.id"], name="fk_signatures_cosigned_by_id_clinicians"
        ),
        sa.ForeignKeyConstraint(
            ["meeting_note_id"],
            ["meeting_notes.id"],
            name="fk_signatures_meeting_note_id_meeting_notes",
        ),
        sa.ForeignKeyConstraint(
            ["member_note_id"],
            ["member_notes.id"],
            name="fk_signatures_member_note_id_member_notes",
        ),
        sa.ForeignKeyConstraint(
            ["private_note_id"],
            ["private_notes.id"],
            name="fk_signatures_private_note_id_private_notes",
        ),
        sa.ForeignKeyConstraint(
            ["signed_by_id"], ["clinicians.id"], name="fk_signatures_signed_by_id_clinicians"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_signatures"),
        sa.UniqueConstraint("meeting_note_id", name="uq_signatures_meeting_note_id"),
        sa.UniqueConstraint("member_note_id", name="uq_signatures_member_note_id"),
        sa.UniqueConstraint("private_note_id", name="uq_signatures_private_note_id"),
    )
    op.create_table(
        "addenda",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("signature_id", sa.Integer(), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinician_id"], ["clinicians.id"], name="fk_addenda_clinician_id_clinicians"
        ),
        sa.ForeignKeyConstraint(
            ["signature_id"], ["signatures.id"], name="fk_addenda_signature_id_signatures"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_addenda"),
    )
    op.create_index("ix_addenda_signature_id", "addenda", ["signature_id"])

    op.execute(
        "CREATE VIRTUAL TABLE note_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')"
    )
    for statement in _triggers():
        op.execute(statement)


def downgrade() -> None:
    for statement in _triggers():
        op.execute(f"DROP TRIGGER IF EXISTS {statement.split()[2]}")
    op.execute("DROP TABLE IF EXISTS note_fts")
    for table in (
        "addenda",
        "signatures",
        "seats",
        "private_notes",
        "membership_events",
        "member_notes",
        "meeting_notes",
        "meeting_leaders",
        "interactions",
        "attendance",
        "memberships",
        "meetings",
        "group_leaders",
        "therapy_groups",
        "members",
        "clinicians",
        "audit_events",
    ):
        op.drop_table(table)

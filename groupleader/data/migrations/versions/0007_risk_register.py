"""A risk register per member, the group agreement as rules, boundary incidents, and
attendance as it really happens (issue 16).

Revision ID: 0007_risk_register
Revises: 0006_signing_pins

New tables: ``risk_entries`` (a concern opened in a session) and ``risk_reviews`` (its
dated reviews; a closing review closes it), ``agreement_rules`` (a group's agreement,
ordered), ``boundary_incidents`` with ``incident_members`` and ``incident_followups``.
Each existing group gets the default agreement (`DEFAULT_RULES`), and its free-text
agreement, if it has one, as a last rule of its own.

``attendance`` gains plain columns with defaults (no table is rebuilt, so no trigger is
lost): minutes left early, the reason for an absence, and for an absence without notice
whether and when the member was contacted and what came of it.

A signed session locks these rows as 0004 locks its other facts: a risk entry opened in
it, a review or follow-up made in it, an incident of it and the incident's members. The
triggers refuse any INSERT, UPDATE or DELETE (an UPDATE checked against the old and the
new session). A later review is a new row, in a later session or none.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_risk_register"
down_revision = "0006_signing_pins"
branch_labels = None
depends_on = None

MESSAGE = "signed session is locked"

# (title, text): the default agreement a new group starts from (`services.agreement`
# seeds new groups from the same list).
DEFAULT_RULES: tuple[tuple[str, str], ...] = (
    ("Confidentiality",
     "What members say in the group stays in the group: members do not tell others "
     "outside who is in the group or what they said."),
    ("No romantic or sexual relationships",
     "Members do not start a romantic or sexual relationship with another member while "
     "either is in the group."),
    ("Contact outside the group",
     "Contact between members outside the group is brought back into the group."),
    ("Attendance and notice",
     "Members come every week and on time, and tell the leader in advance when they "
     "cannot come."),
    ("Substances",
     "Members do not come to the group under the influence of alcohol or drugs."),
)
LEADER_RULE = "The leader's own"


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


# The tables whose rows belong to a session (column meeting_id), and incident_members,
# whose session is its incident's.
SESSION_TABLES = ("risk_entries", "risk_reviews", "boundary_incidents", "incident_followups")
INCIDENT_SESSION = "(SELECT b.meeting_id FROM boundary_incidents b WHERE b.id = {}.incident_id)"


def triggers() -> list[str]:
    sql = []
    for table in SESSION_TABLES:
        sql += [
            _trigger(table, "INSERT", signed("NEW.meeting_id")),
            _trigger(table, "UPDATE",
                     f"{signed('OLD.meeting_id')} OR {signed('NEW.meeting_id')}"),
            _trigger(table, "DELETE", signed("OLD.meeting_id")),
        ]
    old, new = INCIDENT_SESSION.format("OLD"), INCIDENT_SESSION.format("NEW")
    sql += [
        _trigger("incident_members", "INSERT", signed(new)),
        _trigger("incident_members", "UPDATE", f"{signed(old)} OR {signed(new)}"),
        _trigger("incident_members", "DELETE", signed(old)),
    ]
    return sql


def _when() -> sa.Column[object]:
    return sa.Column("created_at", sa.DateTime(), nullable=False)


def upgrade() -> None:
    op.add_column("attendance", sa.Column("minutes_left_early", sa.Integer(), nullable=True))
    op.add_column("attendance", sa.Column("absence_reason", sa.Text(), nullable=False,
                                          server_default=""))
    op.add_column("attendance", sa.Column("contacted", sa.Boolean(), nullable=False,
                                          server_default="0"))
    op.add_column("attendance", sa.Column("contacted_on", sa.Date(), nullable=True))
    op.add_column("attendance", sa.Column("contact_note", sa.Text(), nullable=False,
                                          server_default=""))
    levels = "level IN ('low', 'moderate', 'high')"
    statuses = "status IN ('open', 'in_progress', 'resolved')"
    op.create_table(
        "risk_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("level", sa.String(), nullable=False),
        sa.Column("observed", sa.Text(), nullable=False),
        sa.Column("action_taken", sa.Text(), nullable=False),
        sa.Column("review_by", sa.Date(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        _when(),
        sa.CheckConstraint(
            "kind IN ('self_harm', 'harm_to_others', 'safeguarding', 'substance_use', "
            "'medical', 'other')", name=op.f("ck_risk_entries_kind")),
        sa.CheckConstraint(levels, name=op.f("ck_risk_entries_level")),
        sa.ForeignKeyConstraint(["group_id"], ["therapy_groups.id"],
                                name=op.f("fk_risk_entries_group_id_therapy_groups")),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"],
                                name=op.f("fk_risk_entries_member_id_members")),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"],
                                name=op.f("fk_risk_entries_meeting_id_meetings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_entries")),
    )
    op.create_index(op.f("ix_risk_entries_group_id_opened_on"), "risk_entries",
                    ["group_id", "opened_on"])
    op.create_index(op.f("ix_risk_entries_member_id"), "risk_entries", ["member_id"])
    op.create_index(op.f("ix_risk_entries_meeting_id"), "risk_entries", ["meeting_id"])
    op.create_table(
        "risk_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("level", sa.String(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("next_review_by", sa.Date(), nullable=True),
        sa.Column("closes", sa.Boolean(), nullable=False),
        _when(),
        sa.CheckConstraint(levels, name=op.f("ck_risk_reviews_level")),
        sa.ForeignKeyConstraint(["entry_id"], ["risk_entries.id"], ondelete="CASCADE",
                                name=op.f("fk_risk_reviews_entry_id_risk_entries")),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"],
                                name=op.f("fk_risk_reviews_meeting_id_meetings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_reviews")),
    )
    op.create_index(op.f("ix_risk_reviews_entry_id"), "risk_reviews", ["entry_id"])
    op.create_index(op.f("ix_risk_reviews_meeting_id"), "risk_reviews", ["meeting_id"])
    op.create_table(
        "agreement_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        _when(),
        sa.ForeignKeyConstraint(["group_id"], ["therapy_groups.id"], ondelete="CASCADE",
                                name=op.f("fk_agreement_rules_group_id_therapy_groups")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_rules")),
    )
    op.create_index(op.f("ix_agreement_rules_group_id_position"), "agreement_rules",
                    ["group_id", "position"])
    op.create_table(
        "boundary_incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=True),
        sa.Column("what_happened", sa.Text(), nullable=False),
        sa.Column("worked_with", sa.Text(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        _when(),
        sa.CheckConstraint(statuses, name=op.f("ck_boundary_incidents_status")),
        sa.ForeignKeyConstraint(["group_id"], ["therapy_groups.id"],
                                name=op.f("fk_boundary_incidents_group_id_therapy_groups")),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"],
                                name=op.f("fk_boundary_incidents_meeting_id_meetings")),
        sa.ForeignKeyConstraint(["rule_id"], ["agreement_rules.id"],
                                name=op.f("fk_boundary_incidents_rule_id_agreement_rules")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_boundary_incidents")),
    )
    op.create_index(op.f("ix_boundary_incidents_group_id"), "boundary_incidents", ["group_id"])
    op.create_index(op.f("ix_boundary_incidents_meeting_id"), "boundary_incidents",
                    ["meeting_id"])
    op.create_table(
        "incident_members",
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["boundary_incidents.id"], ondelete="CASCADE",
            name=op.f("fk_incident_members_incident_id_boundary_incidents")),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"],
                                name=op.f("fk_incident_members_member_id_members")),
        sa.PrimaryKeyConstraint("incident_id", "member_id", name=op.f("pk_incident_members")),
    )
    op.create_index(op.f("ix_incident_members_member_id"), "incident_members", ["member_id"])
    op.create_table(
        "incident_followups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        _when(),
        sa.CheckConstraint(statuses, name=op.f("ck_incident_followups_status")),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["boundary_incidents.id"], ondelete="CASCADE",
            name=op.f("fk_incident_followups_incident_id_boundary_incidents")),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"],
                                name=op.f("fk_incident_followups_meeting_id_meetings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_followups")),
    )
    op.create_index(op.f("ix_incident_followups_incident_id"), "incident_followups",
                    ["incident_id"])
    for statement in triggers():
        op.execute(statement)
    _seed_rules()


def _seed_rules() -> None:
    """The default agreement for every group there is (and its own text as a last rule)."""
    conn = op.get_bind()
    now = sa.func.current_timestamp()
    rules = sa.table("agreement_rules", sa.column("group_id", sa.Integer),
                     sa.column("position", sa.Integer), sa.column("title", sa.String),
                     sa.column("text", sa.Text), sa.column("retired", sa.Boolean),
                     sa.column("created_at", sa.DateTime))
    groups = conn.execute(sa.text("SELECT id, agreement FROM therapy_groups ORDER BY id")).all()
    for group_id, agreement in groups:
        seeded = list(DEFAULT_RULES)
        if (agreement or "").strip():
            seeded.append((LEADER_RULE, agreement.strip()))
        for position, (title, body) in enumerate(seeded):
            conn.execute(rules.insert().values(
                group_id=group_id, position=position, title=title, text=body, retired=False,
                created_at=now))


def downgrade() -> None:
    for statement in triggers():
        op.execute(f"DROP TRIGGER IF EXISTS {statement.split()[2]}")
    for table in ("incident_followups", "incident_members", "boundary_incidents",
                  "agreement_rules", "risk_reviews", "risk_entries"):
        op.drop_table(table)
    for column in ("contact_note", "contacted_on", "contacted", "absence_reason",
                   "minutes_left_early"):
        op.execute(f"ALTER TABLE attendance DROP COLUMN {column}")  # SQLite 3.35+

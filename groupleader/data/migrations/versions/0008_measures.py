"""Measures: the instruments a group uses, members' scored forms, goals and their ratings.

Revision ID: 0008_measures
Revises: 0007_risk_register

Four new tables, created plainly (no table of an earlier revision is touched, so every
trigger stays):

- ``group_instruments``: a group's instruments (keys of `groupleader.measures`) and how
  often each is given;
- ``measure_scores``: one member's form of one instrument at one session, the answers as
  entered (NULL when only the total is known) and the score made of them (the total
  again in its own column, so a ten-year chart reads no JSON);
- ``member_goals``: a member's goals for the group, with the history of their wording;
- ``goal_ratings``: progress on a goal, rated in a session's member note.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_measures"
down_revision = "0007_risk_register"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "group_instruments",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("instrument", sa.String(), nullable=False),
        sa.Column("schedule", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["group_id"], ["therapy_groups.id"], ondelete="CASCADE",
                                name="fk_group_instruments_group_id_therapy_groups"),
        sa.PrimaryKeyConstraint("group_id", "instrument", name="pk_group_instruments"),
    )
    op.create_table(
        "measure_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("instrument", sa.String(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("score_values", sa.JSON(), nullable=False),
        sa.Column("total", sa.Float(), nullable=True),
        sa.Column("entered_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"],
                                name="fk_measure_scores_meeting_id_meetings"),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"],
                                name="fk_measure_scores_member_id_members"),
        sa.PrimaryKeyConstraint("id", name="pk_measure_scores"),
        sa.UniqueConstraint("meeting_id", "member_id", "instrument",
                            name="uq_measure_scores_meeting_id_member_id_instrument"),
    )
    op.create_index("ix_measure_scores_member_id_instrument", "measure_scores",
                    ["member_id", "instrument"])
    op.create_table(
        "member_goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("scale", sa.String(), nullable=False),
        sa.Column("set_on", sa.Date(), nullable=False),
        sa.Column("replaced_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["membership_id"], ["memberships.id"],
                                name="fk_member_goals_membership_id_memberships"),
        sa.PrimaryKeyConstraint("id", name="pk_member_goals"),
    )
    op.create_index("ix_member_goals_membership_id", "member_goals", ["membership_id"])
    op.create_table(
        "goal_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["goal_id"], ["member_goals.id"],
                                name="fk_goal_ratings_goal_id_member_goals"),
        sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"],
                                name="fk_goal_ratings_meeting_id_meetings"),
        sa.PrimaryKeyConstraint("id", name="pk_goal_ratings"),
        sa.UniqueConstraint("goal_id", "meeting_id", name="uq_goal_ratings_goal_id_meeting_id"),
    )
    op.create_index("ix_goal_ratings_meeting_id", "goal_ratings", ["meeting_id"])


def downgrade() -> None:
    op.drop_table("goal_ratings")
    op.drop_table("member_goals")
    op.drop_table("measure_scores")
    op.drop_table("group_instruments")

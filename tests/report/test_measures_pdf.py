"""Scores and their charts in the member extract and the period report PDFs."""

from __future__ import annotations

from datetime import UTC, date, datetime

from groupleader.data.measures_snapshots import GoalSpec
from groupleader.data.operations import measures as ops
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.services import goals, members
from groupleader.data.snapshots import MemberNoteFields
from groupleader.report.collect_period import collect_member_extract, collect_period
from groupleader.report.member_extract import render_extract
from groupleader.report.model import ReportOptions
from groupleader.report.period_report import render_period
from tests.report.conftest import ODD_NAME, Clinic
from tests.report.pdfcheck import all_text, flat

PERIOD = (date(2025, 1, 1), date(2025, 3, 31))


def test_the_member_extract_holds_the_scores_and_the_charts_labels(clinic: Clinic) -> None:
    mia = clinic.members["Maria Kowalski"]
    ops.save_score(clinic.vault, clinic.draft_meeting, mia, "core10",
                   answers=[3, 1, 1, 3, 3, 0, 3, 3, 3, 3])
    ops.save_score(clinic.vault, clinic.signed_meeting, mia, "core10", total=9)
    x = collect_member_extract(clinic.vault, clinic.group_id, mia, *PERIOD, ReportOptions())
    text = flat(all_text(render_extract(x)))
    # items 2 and 3 reverse-keyed: 3 + 3 + 3 + 3 + 3 + 0 + 3 * 4 = 27
    for expected in ("Questionnaires", "27 (Severe)", "9 (Low level)",
                     "-18 from first: improved (recovered)", "Cut-off 11", "Healthy",
                     "Moderate to severe", "Total", "Recovered", "04 Mar 2025", "11 Mar 2025",
                     "CORE-10 © CORE System Trust"):
        assert expected in text, expected


def test_an_extract_without_forms_has_no_questionnaire_section(clinic: Clinic) -> None:
    mia = clinic.members["Maria Kowalski"]
    x = collect_member_extract(clinic.vault, clinic.group_id, mia, *PERIOD, ReportOptions())
    assert "Questionnaires" not in all_text(render_extract(x))


def test_the_period_report_charts_the_climate_and_mean_change_without_names(
        clinic: Clinic) -> None:
    odd = clinic.members[ODD_NAME]
    for member_id in clinic.members.values():
        for meeting, engaged in ((clinic.draft_meeting, 2), (clinic.signed_meeting, 4)):
            try:
                ops.save_score(clinic.vault, meeting, member_id, "gcqs",
                               answers=[engaged, engaged, 1, engaged, 1, 2, 2, engaged, 1, 2,
                                        engaged, 2])
            except Exception:  # a member not in the group that day
                continue
    ops.save_score(clinic.vault, clinic.draft_meeting, odd, "phq9", total=16)
    ops.save_score(clinic.vault, clinic.signed_meeting, odd, "phq9", total=8)
    report = collect_period(clinic.vault, clinic.group_id, *PERIOD, ReportOptions())
    text = flat(all_text(render_period(report)))
    for expected in ("Questionnaires and group climate", "GCQ-S: group climate", "Engaged",
                     "Avoiding", "Conflict", "PHQ-9: members' mean change from first score",
                     "MacKenzie"):
        assert expected in text, expected
    assert "16 (" not in text  # no member's own score in the group's report



def test_the_member_extract_notes_list_the_goals_and_each_sessions_rating(
        clinic: Clinic) -> None:
    mia = clinic.members["Maria Kowalski"]
    [ms] = [m.id for m in query(clinic.vault, members.membership_history, mia)
            if m.group_id == clinic.group_id]
    later = ops_meetings.schedule_meeting(
        clinic.vault, clinic.group_id, datetime(2025, 3, 18, 17, 0, tzinfo=UTC)).value.id
    ops_meetings.hold_meeting(clinic.vault, later)
    ops_notes.save_member_note(clinic.vault, later, mia, MemberNoteFields(participation="Calm"))
    ops.set_goals(clinic.vault, ms, [GoalSpec(1, "Sleep before midnight"),
                                     GoalSpec(2, "Speak first once", "zero_ten")],
                  date(2025, 3, 12))
    [g1, _g2] = query(clinic.vault, goals.goals_at, ms, later)
    ops.rate_goal(clinic.vault, g1.goal.id, later, 1)
    x = collect_member_extract(clinic.vault, clinic.group_id, mia, *PERIOD, ReportOptions())
    text = flat(all_text(render_extract(x)))
    assert ("Goals (rated this session): 1. Sleep before midnight: better; "
            "2. Speak first once: not rated") in text
    assert text.count("Goals (rated this session)") == 1  # not in the earlier notes


def test_a_blank_risk_item_is_flagged_in_the_extract(clinic: Clinic) -> None:
    mia = clinic.members["Maria Kowalski"]
    ops.save_score(clinic.vault, clinic.draft_meeting, mia, "phq9",
                   answers=[3, 3, 3, 3, 3, 3, 3, None, None])
    x = collect_member_extract(clinic.vault, clinic.group_id, mia, *PERIOD, ReportOptions())
    text = flat(all_text(render_extract(x)))
    assert "prorated, risk item 9 not answered" in text
    assert "Risk item not answered" in text  # the chart's legend

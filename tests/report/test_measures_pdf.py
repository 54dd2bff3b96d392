"""Scores and their charts in the member extract and the period report PDFs."""

from __future__ import annotations

from datetime import date

from groupleader.data.operations import measures as ops
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

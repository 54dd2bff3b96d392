"""An amendment on paper: the session summary prints the mark as amended beside the mark as
recorded, and the amendment itself (what, from what to what, who, when, why) with the
addenda; de-identified, the amendment names the member only as the report does."""

from __future__ import annotations

from datetime import timedelta

from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.services import meetings
from groupleader.report.collect import collect_session, load_people, redactor_for
from groupleader.report.model import ReportOptions
from groupleader.report.session_summary import render_session
from tests.conftest import PIN
from tests.report.conftest import Clinic
from tests.report.pdfcheck import all_text, flat

OLGA = "Ольга Петрова"
REASON = f"{OLGA} came in after the first half hour; she phoned on 8 800 555 35 35."


def _pdf(clinic: Clinic, **options: object) -> str:
    return flat(all_text(render_session(collect_session(
        clinic.vault, clinic.signed_meeting, ReportOptions(**options)))))


def _amend(clinic: Clinic) -> None:
    ops_notes.add_amendment(
        clinic.vault, clinic.signed_meeting, clinic.leader,
        {"field": "attendance", "member_id": clinic.members[OLGA], "to": "present"}, REASON,
        pin=PIN)


def test_the_summary_prints_the_original_and_the_amendment(clinic: Clinic) -> None:
    before = _pdf(clinic)
    assert "3 of 6 members attended" in before and "Amendment" not in before
    _amend(clinic)
    text = _pdf(clinic)
    assert "4 of 6 members attended" in text
    assert "Present (amended after signing; recorded as: Absent (notice given))" in text
    assert "Amendment to the group note — Ada Leader" in text
    assert (f"Attendance correction: {OLGA} present, recorded as absent with notice; "
            f"reason: {REASON}") in text
    # the signature still stands, as signed, with the earlier addendum
    assert "Signed as author by Ada Leader, PhD" in text
    assert "Co-signed as supervisor (reviewed) by" in text and "Sam Super" in text
    assert "ADDENDUM: Maria called after the session" in text


def test_a_deidentified_summary_names_the_member_of_an_amendment_as_the_report_does(
    clinic: Clinic
) -> None:
    _amend(clinic)
    options = ReportOptions(deidentify=True)
    people = load_people(clinic.vault, clinic.group_id)
    alias = redactor_for(people, options).identities[clinic.members[OLGA]].alias
    text = _pdf(clinic, deidentify=True)
    assert f"Attendance correction: {alias} present, recorded as absent with notice" in text
    for hidden in ("Ольга", "Петрова", "8 800 555 35 35"):
        assert hidden not in text, hidden


def test_a_time_amendment_prints_the_amended_time_beside_the_recorded_one(
    clinic: Clinic
) -> None:
    recorded = query(clinic.vault, meetings.get_meeting, clinic.signed_meeting)
    ops_notes.add_amendment(
        clinic.vault, clinic.signed_meeting, clinic.leader,
        {"field": "time", "starts_at": recorded.starts_at - timedelta(minutes=30),
         "length_minutes": 120}, "The room was free earlier.", pin=PIN)
    text = _pdf(clinic)
    assert "17:30 to 19:30, 120 minutes (amended after signing; recorded as: Tue 11 Mar 2025 " \
           "18:00, 90 minutes" in text
    assert "Date and time correction: Tue 11 Mar 2025 17:30 for 120 minutes, recorded as " \
           "Tue 11 Mar 2025 18:00 for 90 minutes; reason: The room was free earlier." in text

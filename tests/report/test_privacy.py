"""De-identification, process notes and member extracts: no name leaks, text or metadata."""

from __future__ import annotations

import re
from datetime import date

from groupleader.data.snapshots import MemberSpec
from groupleader.report.collect import collect_session
from groupleader.report.collect_period import collect_member_extract, collect_period
from groupleader.report.member_extract import render_extract
from groupleader.report.model import ReportOptions
from groupleader.report.period_report import render_period
from groupleader.report.session_summary import render_session
from tests.report.conftest import ODD_NAME, PROCESS_TEXT, Clinic
from tests.report.pdfcheck import all_text, flat, metadata_text


def dob_forms(d: date) -> list[str]:
    return [d.isoformat(), f"{d.day} {d:%B %Y}", f"{d:%d/%m/%Y}", f"{d:%m/%d/%Y}",
            f"{d.day} {d:%b %Y}"]


def name_words(spec: MemberSpec) -> list[str]:
    words = {spec.full_name, *spec.full_name.split()}
    if spec.preferred_name:
        words.add(spec.preferred_name)
    return [w for w in words if len(w) >= 3 and w[0].isalpha()]


def assert_identifies_no_one(text: str, specs: tuple[MemberSpec, ...]) -> None:
    squeezed = re.sub(r"\D", "", text)
    for spec in specs:
        for word in name_words(spec):
            assert not re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text), word
        if spec.phone:
            assert re.sub(r"\D", "", spec.phone) not in squeezed, spec.phone
        if spec.email:
            assert spec.email not in text, spec.email
        if spec.dob:
            for form in dob_forms(spec.dob):
                assert form not in text, form
        if spec.emergency_contact:
            assert spec.emergency_contact not in text


def test_a_deidentified_summary_names_no_member_in_text_or_metadata(clinic: Clinic) -> None:
    for meeting in (clinic.draft_meeting, clinic.signed_meeting):
        data = render_session(collect_session(
            clinic.vault, meeting, ReportOptions(deidentify=True, include_private=True)))
        text = all_text(data) + "\n" + metadata_text(data)
        assert_identifies_no_one(text, clinic.specs)
        flat_text = flat(text)
        assert "M.K." in flat_text and "De-identified" in flat_text
        assert "Ada Leader" in flat_text  # clinicians are not de-identified


def test_a_deidentified_period_report_and_extract_name_no_member(clinic: Clinic) -> None:
    options = ReportOptions(deidentify=True)
    period = render_period(collect_period(clinic.vault, clinic.group_id, None, None, options))
    extract = render_extract(collect_member_extract(
        clinic.vault, clinic.group_id, clinic.members["Maria Kowalski"], None, None, options))
    for data in (period, extract):
        assert_identifies_no_one(all_text(data) + metadata_text(data), clinic.specs)


def test_the_identified_summary_does_name_members(clinic: Clinic) -> None:
    # the check above can fail: without de-identification the names are there
    text = all_text(render_session(collect_session(
        clinic.vault, clinic.draft_meeting, ReportOptions())))
    assert "Maria Kowalski" in text and "+44 7700 900123" in text


def test_process_notes_are_left_out_of_every_report_unless_asked(clinic: Clinic) -> None:
    for meeting in (clinic.draft_meeting, clinic.signed_meeting):
        s = collect_session(clinic.vault, meeting, ReportOptions())
        assert s.process_note is None
        assert "PROCESS-NOTE" not in all_text(render_session(s))
    period = render_period(collect_period(
        clinic.vault, clinic.group_id, None, None, ReportOptions(include_private=True)))
    assert "PROCESS-NOTE" not in all_text(period)  # a period report never holds them
    asked = collect_session(clinic.vault, clinic.draft_meeting,
                            ReportOptions(include_private=True))
    assert asked.process_note == PROCESS_TEXT


def test_a_member_extract_shows_every_other_member_only_by_initials(clinic: Clinic) -> None:
    extract = collect_member_extract(
        clinic.vault, clinic.group_id, clinic.members["Maria Kowalski"],
        date(2025, 3, 1), date(2025, 3, 31), ReportOptions())
    text = flat(all_text(render_extract(extract)))
    assert "Maria Kowalski" in text  # the subject, by name
    others = tuple(s for s in clinic.specs if s.full_name != "Maria Kowalski")
    assert_identifies_no_one(text, others)
    # "Tom & Jerry" in her note is replaced by his initials (checked before layout: pypdf
    # reorders the lone Hebrew initial among the dots when it extracts text)
    assert extract.entries[0].sections[0].text == "Arrived late; spoke of T.J.ש. & T.J.ש."
    assert "Arrived late" in text and "attended 2 of 2" in text
    assert ODD_NAME not in text

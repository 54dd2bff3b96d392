"""The session summary read back with pypdf: what a supervisor finds on paper."""

from __future__ import annotations

import io

from pypdf import PdfReader

from groupleader.report.collect import collect_session
from groupleader.report.model import ReportOptions
from groupleader.report.session_summary import render_session
from tests.report.conftest import ODD_NAME, PROCESS_TEXT, Clinic
from tests.report.pdfcheck import all_text, flat, metadata_text, pages_text


def summary_pdf(clinic: Clinic, meeting_id: int, **options: object) -> bytes:
    return render_session(collect_session(clinic.vault, meeting_id, ReportOptions(**options)))


def test_every_section_and_header_fact_is_printed(clinic: Clinic) -> None:
    text = flat(all_text(summary_pdf(clinic, clinic.draft_meeting, practice="Riverside & Co")))
    for expected in (
        "Riverside & Co", "Group session summary", "Tuesday Process Group",
        "Psychodynamic / process group", "Session 1", "Tue 4 Mar 2025", "18:00",
        "90 minutes", "Ada Leader, PhD", "Ben Colead", "Room 3 & <B>", "Topic Trust",
        "Risk and safety", "Attendance", "Late", "Absent (notice given)",
        "Absent (no notice)", "Not recorded", "3 of 6 members attended",
        "Seating and interactions", "(empty)", "the group", "Group note", "Working",
        "Universality", "Group cohesiveness", "Themes", "Here-and-now process",
        "Interventions", "Plan", "Member notes (in seat order)", "Addenda", "Signatures",
        "Co-signed as supervisor (reviewed) by",
        "Confidential: contains protected health information",
    ):
        assert expected in text, expected


def test_page_numbers_say_page_i_of_n_and_the_footer_is_on_every_page(
        clinic: Clinic) -> None:
    pages = pages_text(summary_pdf(clinic, clinic.draft_meeting))
    assert len(pages) >= 2
    for i, page in enumerate(pages, start=1):
        assert f"Page {i} of {len(pages)}" in page
        assert "Confidential: contains protected health information" in page


def test_a_name_full_of_markup_emoji_and_hebrew_prints_exactly(clinic: Clinic) -> None:
    text = all_text(summary_pdf(clinic, clinic.draft_meeting))
    assert ODD_NAME in text
    assert "<trust> & loss" in text


def test_greek_cyrillic_and_arabic_names_print(clinic: Clinic) -> None:
    text = all_text(summary_pdf(clinic, clinic.draft_meeting))
    for name in ("Νίκος Παπαδόπουλος", "Ольга Петрова", "فاطمة الزهراء"):
        assert name in text, name


def test_the_unicode_font_is_embedded_and_no_unembedded_font_is_used(clinic: Clinic) -> None:
    reader = PdfReader(io.BytesIO(summary_pdf(clinic, clinic.draft_meeting)))
    seen = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert descriptor is not None, font["/BaseFont"]
            assert "/FontFile2" in descriptor.get_object(), font["/BaseFont"]
            seen.add(str(font["/BaseFont"]).split("+")[-1])
    assert seen == {"DejaVuSans", "DejaVuSans-Bold"}


def test_members_notes_follow_the_seat_order(clinic: Clinic) -> None:
    text = flat(all_text(summary_pdf(clinic, clinic.draft_meeting)))
    notes = text[text.index("Member notes (in seat order)"):]
    # chairs: Ada, Tom (2), Mia (3), empty, Nikos (5), Ben
    assert notes.index(ODD_NAME) < notes.index("Mia (Late)") < notes.index("Νίκος")


def test_risk_items_are_boxed_before_the_attendance(clinic: Clinic) -> None:
    text = flat(all_text(summary_pdf(clinic, clinic.draft_meeting)))
    box = text.index("Risk and safety")
    assert box < text.index("Attendance")
    for item in ("Group: Risk", "thought of not coming back", "Group: Critical incidents",
                 "Mia: Risk concern", "Call Mia on Thursday"):
        assert box < text.index(item) < text.index("Attendance"), item


def test_draft_is_on_every_page_of_an_unsigned_summary(clinic: Clinic) -> None:
    pages = pages_text(summary_pdf(clinic, clinic.draft_meeting))
    assert all("DRAFT" in page for page in pages)
    assert "_____" in pages[-1]  # blank lines to sign by hand


def test_a_signed_summary_has_no_draft_and_names_signer_cosigner_and_addendum(
        clinic: Clinic) -> None:
    pages = pages_text(summary_pdf(clinic, clinic.signed_meeting))
    assert not any("DRAFT" in page for page in pages)
    text = flat("\n".join(pages))
    assert "Signed as author by Ada Leader, PhD" in text
    assert "Sam Super" in text
    assert "ADDENDUM: Maria called after the session; she is safe." in text


def test_process_notes_are_left_out_unless_asked_for(clinic: Clinic) -> None:
    default = all_text(summary_pdf(clinic, clinic.draft_meeting))
    assert "PROCESS-NOTE" not in default and "Process notes" not in default
    asked = flat(all_text(summary_pdf(clinic, clinic.draft_meeting, include_private=True)))
    assert PROCESS_TEXT in asked
    assert "Includes the leader's process notes" in asked


def test_the_metadata_is_set_and_names_no_member(clinic: Clinic) -> None:
    meta = metadata_text(summary_pdf(clinic, clinic.draft_meeting, practice="Riverside"))
    assert "/Title=Session summary: Tuesday Process Group, Session 1" in meta
    assert "/Author=Riverside" in meta
    assert "/Subject=Group therapy session summary" in meta
    for spec in clinic.specs:
        assert spec.full_name not in meta


def test_the_same_data_gives_the_same_bytes(clinic: Clinic) -> None:
    first = summary_pdf(clinic, clinic.signed_meeting, deidentify=True)
    second = summary_pdf(clinic, clinic.signed_meeting, deidentify=True)
    assert first == second
    assert first != summary_pdf(clinic, clinic.signed_meeting)

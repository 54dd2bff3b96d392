"""The sign-in sheet read back with pypdf: the session's date and number, every expected
member by first name and last initial with a line to sign, never a full last name."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest

from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import query
from groupleader.data.operations import roster as ops_roster
from groupleader.data.services import groups as groups_svc
from groupleader.data.snapshots import GroupSpec, MemberSpec
from groupleader.errors import InvalidInput
from groupleader.report import batch
from groupleader.report.collect_signin import collect_signin, signin_name
from groupleader.report.model import ReportOptions
from groupleader.report.signin_sheet import render_signin
from tests.report.conftest import SPECS, Clinic, at
from tests.report.pdfcheck import all_text, flat, metadata_text


def sheet_text(clinic: Clinic, meeting_id: int, **options: object) -> str:
    return all_text(render_signin(collect_signin(clinic.vault, meeting_id,
                                                 ReportOptions(**options))))


def last_names() -> list[str]:
    return [spec.full_name.split()[-1] for spec in SPECS if len(spec.full_name.split()) > 1]


def test_the_sheet_prints_the_session_and_first_names_with_last_initials(
        clinic: Clinic) -> None:
    text = flat(sheet_text(clinic, clinic.signed_meeting))
    for expected in ("Sign-in sheet", "Tuesday Process Group", "Session 2 (number 2)",
                     "Tue 11 Mar 2025", "18:00 to 19:30", "Signature",
                     "Mia K.", "Jonas B.", "Ольга П.", "Νίκος Π."):
        assert expected in text, expected
    # every member active that day has a numbered line, and three blank ones follow
    assert f"{len(SPECS) + 3}" in text.split("Signature", 1)[1]


def test_the_sheet_prints_no_full_last_name(clinic: Clinic) -> None:
    names = last_names()
    assert "Kowalski" in names and "Berg" in names
    for meeting_id in (clinic.draft_meeting, clinic.signed_meeting):
        text = sheet_text(clinic, meeting_id)
        reversed_text = text[::-1]  # pypdf may give right-to-left words in visual order
        for last in names:
            assert last not in text and last not in reversed_text, last
    meta = metadata_text(render_signin(collect_signin(clinic.vault, clinic.draft_meeting,
                                                      ReportOptions())))
    assert all(spec.full_name.split()[0] not in meta for spec in SPECS)


def test_a_deidentified_sheet_prints_pseudonyms_only(clinic: Clinic) -> None:
    text = sheet_text(clinic, clinic.draft_meeting, deidentify=True)
    assert "Mia K." not in text and "Jonas B." not in text
    sheet = collect_signin(clinic.vault, clinic.draft_meeting, ReportOptions(deidentify=True))
    left_to_right = [n for n in sheet.names
                     if not any(unicodedata.bidirectional(c) in ("R", "AL") for c in n)]
    assert len(left_to_right) >= 4 and all(name in text for name in left_to_right)
    assert sheet.file_stem.endswith("-deidentified")


@pytest.mark.parametrize(("full", "preferred", "printed"), [
    ("Maria Kowalski", "Mia", "Mia K."),
    ("Maria Kowalski", "", "Maria K."),
    ("Anne-Marie van der Berg", "", "Anne-Marie B."),
    ("Sean O'Brien", "", "Sean O."),
    ("Kim Park", "Park", "Kim P."),  # called by the last name: the first name prints
    ("Madonna", "", "Madonna"),
    ("Maria Kowalski", "Mia Kowalski", "Mia K."),
])
def test_a_sign_in_name_is_a_first_name_and_a_last_initial(
        full: str, preferred: str, printed: str) -> None:
    assert signin_name(full, preferred) == printed


@pytest.mark.parametrize(("full", "printed"), [
    ("Kowalczyk, Ewa", "Ewa K."),
    ("Nguyễn Văn An", "An N."),
    ("Tanabe Hiroko", "Hiroko T."),
    ("Dr Maria Kowalski", "Maria K."),
    ("Maria Kowalski (Mia)", "Mia K."),
    ("Prof. Jan Nowak Jr.", "Jan N."),
])
def test_family_name_first_titles_and_brackets_print_the_given_name(
        full: str, printed: str) -> None:
    assert signin_name(full) == printed


def test_look_alikes_are_told_apart_without_more_of_the_last_name(clinic: Clinic) -> None:
    """Look-alikes get a middle initial, else a number; the real PDF never shows more of
    a family name than its initial, however the names were typed."""
    typed = ("Anna Kowalski", "Anna Kowalska", "Maria Christodoulopoulou",
             "Maria Christodoulopoulos", "Kowalczyk, Ewa", "Nguyễn Văn An", "Tanabe Hiroko",
             "Dr Maria Kowalski", "Maria Kramer", "Anna Lena Kowal")
    group = query(clinic.vault, groups_svc.get_group, clinic.group_id)
    ops_groups.update_group(clinic.vault, clinic.group_id, GroupSpec(
        group.name, group.kind, tuple(c.id for c in group.leaders), room=group.room,
        length_minutes=group.length_minutes, weekday=group.weekday,
        start_time=group.start_time, target_size=12, max_size=20))
    for full in typed:
        member = ops_roster.create_member(clinic.vault, MemberSpec(full)).value
        ops_roster.add_membership(clinic.vault, member.id, clinic.group_id, "active",
                                  on_date=date(2025, 1, 6))
    sheet = collect_signin(clinic.vault, clinic.draft_meeting, ReportOptions())
    assert {"Ewa K.", "An N.", "Hiroko T.", "Anna L. K."} <= set(sheet.names)
    assert len(set(sheet.names)) == len(sheet.names)
    assert sum(n.startswith("Anna K. (") for n in sheet.names) == 2
    text = all_text(render_signin(sheet))
    for family in ("Kowalsk", "Kowalc", "Christ", "Kram", "Nguy", "Tanabe", "Kowal"):
        assert family not in text, family
    for shown in ("Ewa K.", "An N.", "Hiroko T.", "Anna L. K.", "Anna K. (1)", "Anna K. (2)"):
        assert shown in flat(text), shown


def test_a_cancelled_session_has_no_sheet(clinic: Clinic) -> None:
    later = ops_meetings.schedule_meeting(clinic.vault, clinic.group_id,
                                          at(date(2025, 3, 18))).value
    ops_meetings.cancel_meeting(clinic.vault, later.id)
    with pytest.raises(InvalidInput, match="cancelled"):
        collect_signin(clinic.vault, later.id, ReportOptions())


def test_exporting_a_sheet_is_an_audit_event_for_the_session(
        clinic: Clinic, tmp_path: Path) -> None:
    job = batch.ExportJob("signin", clinic.group_id, meeting_id=clinic.draft_meeting)
    path = batch.export_job(clinic.vault, job, ReportOptions(), tmp_path / "sheet.pdf")
    assert "Sign-in sheet" in all_text(path.read_bytes())
    assert path.stat().st_mode & 0o077 == 0
    assert [(e.action, e.record_type, e.record_id) for e in clinic.vault.pending_audit
            if e.action == "export.pdf"] == [("export.pdf", "meeting", clinic.draft_meeting)]


def test_every_page_of_the_sheet_says_when_and_by_whom_it_was_printed_and_its_number(
        clinic: Clinic) -> None:
    """The running header of every report (group, session, date, "Printed … by …",
    "Page N of M"), on every page, and still no last name beyond its initial."""
    from dataclasses import replace
    from datetime import datetime

    from groupleader.report.pdf_output import printed_text
    from tests.report.pdfcheck import pages_text

    options = ReportOptions(printed_by="Dr. H. Marsh",
                            printed_at=datetime(2026, 12, 1, 21, 35).astimezone())
    printed = "Printed 1 Dec 2026 21:35 by Dr. H. Marsh"
    job = batch.ExportJob("signin", clinic.group_id, meeting_id=clinic.signed_meeting)
    [page] = pages_text(batch.render_job(clinic.vault, job, options).data)
    assert printed in flat(page) and "Page 1 of 1" in page
    long = replace(collect_signin(clinic.vault, clinic.signed_meeting, options),
                   blank_lines=40, printed=printed_text(options))
    pages = pages_text(render_signin(long))
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert printed in flat(text), number
        assert f"Page {number} of {len(pages)}" in text
        assert "Tuesday Process Group · sign-in sheet · Session 2" in flat(text)
        for last in last_names():
            assert last not in text and last not in text[::-1], last


def test_cjk_and_korean_names_print_the_given_name_only_and_a_long_name_is_abbreviated(
        clinic: Clinic) -> None:
    """"王小明" and "김지수" printed whole, family name included: the family name is the
    first character, and its "initial" would be all of it, so the sheet gives "小明" and
    "지수". A word too long for the name column is cut with "…", not broken mid-word."""
    for full in ("王小明", "김지수", "Wolfeschlegelsteinhausenbergerdorff"):
        member = ops_roster.create_member(clinic.vault, MemberSpec(full)).value
        ops_roster.add_membership(clinic.vault, member.id, clinic.group_id, "active",
                                  on_date=date(2025, 1, 6))
    sheet = collect_signin(clinic.vault, clinic.draft_meeting, ReportOptions())
    assert {"小明", "지수"} <= set(sheet.names)
    text = all_text(render_signin(sheet))
    assert "王" not in text and "김" not in text
    assert "小明" in text and "지수" in text
    long = next(ln for ln in text.splitlines() if "Wolfeschlegel" in ln)
    assert long.strip().endswith("…") and "Wolfeschlegelsteinhausenbergerdorff" not in text

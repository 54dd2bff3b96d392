"""A text longer than a page in every place a leader can write one: every export still
writes, the text flows over pages whole, and a box's title keeps with its first lines."""

from __future__ import annotations

from datetime import date

import pytest

from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import register as ops_register
from groupleader.data.register_snapshots import AttendanceDetails, IncidentSpec, RiskEntrySpec
from groupleader.data.snapshots import GroupNoteFields, MemberNoteFields
from groupleader.data.vault import Vault
from groupleader.report import batch
from groupleader.report.blocks import risk_box
from groupleader.report.model import ReportOptions, RiskItem
from groupleader.report.pdf_output import PdfMeta, build_pdf
from groupleader.report.session_summary import WIDTH
from groupleader.report.styles import para
from tests.conftest import PIN
from tests.report.conftest import Clinic, build_clinic
from tests.report.hard_clinic import words
from tests.report.pdfcheck import flat, pages_text

HUGE = 1600  # words: about two pages of body text


def huge(tag: str, seed: int, limit: int = 0) -> str:
    """A text of HUGE words (or as long as `limit` characters allow, the register's
    texts take 2,000) that starts and ends with its own tag."""
    body = words(HUGE, seed)
    if limit:
        body = body[:limit - 2 * len(tag) - 20].rsplit(" ", 1)[0]
    return f"{tag}-START {body} {tag}-END"


PLACES = ("THEMES", "HERE", "INTERVENTIONS", "CRITICAL", "BOUNDARY", "RISK", "PLAN",
          "PARTICIPATION", "GOALS", "RESPONSE", "FOLLOWUP", "MPLAN", "PROCESS", "ADDENDUM",
          "INCIDENT", "WORKED", "OBSERVED", "ACTION", "ABSENCE")


@pytest.fixture
def huge_clinic(vault: Vault) -> Clinic:
    c = build_clinic(vault)
    m = c.draft_meeting
    tom, mia = c.members["Tom & Jerry <b>O'Neil</b> 😀 שלום"], c.members["Maria Kowalski"]
    olga = c.members["Ольга Петрова"]
    ops_notes.save_group_note(vault, m, GroupNoteFields(
        themes=huge("THEMES", 1), here_and_now=huge("HERE", 2),
        interventions=huge("INTERVENTIONS", 3), critical_incidents=huge("CRITICAL", 4),
        boundary_incidents=huge("BOUNDARY", 5), risk=huge("RISK", 6), plan=huge("PLAN", 7),
        factors=("universality",), stage="working"))
    ops_notes.save_member_note(vault, m, tom, MemberNoteFields(
        participation=huge("PARTICIPATION", 8), goals=huge("GOALS", 9),
        response=huge("RESPONSE", 10), risk_flag=True, risk_followup=huge("FOLLOWUP", 11),
        plan=huge("MPLAN", 12)))
    ops_notes.save_private_note(vault, m, huge("PROCESS", 13), c.leader)
    note = ops_notes.save_member_note(vault, m, mia, MemberNoteFields(
        participation="Short.")).value
    ops_notes.sign_note(vault, "member", note.id, c.leader, pin=PIN)
    ops_notes.add_addendum(vault, "member", note.id, c.leader, huge("ADDENDUM", 14), pin=PIN)
    ops_register.record_incident(vault, m, IncidentSpec(
        None, (tom,), huge("INCIDENT", 15, 2000), worked_with=huge("WORKED", 16, 2000)))
    ops_register.open_risk_entry(vault, m, tom, RiskEntrySpec(
        "self_harm", "high", huge("OBSERVED", 17, 2000), huge("ACTION", 18, 2000)))
    ops_register.set_attendance_details(vault, m, olga, AttendanceDetails(
        absence_reason=huge("ABSENCE", 19, 2000)))
    return c


def export(c: Clinic, kind: str, **options: object) -> list[str]:
    job = batch.ExportJob(kind, c.group_id, meeting_id=c.draft_meeting,
                          member_id=c.members["Tom & Jerry <b>O'Neil</b> 😀 שלום"],
                          start=date(2025, 1, 1), end=date(2025, 12, 31))
    data = batch.render_job(c.vault, job, ReportOptions(**options)).data
    return pages_text(data)


@pytest.mark.parametrize("kind", ["session", "extract", "period"])
def test_a_text_longer_than_a_page_anywhere_never_stops_an_export(
        huge_clinic: Clinic, kind: str) -> None:
    pages = export(huge_clinic, kind, include_private=True)
    text = flat(" ".join(pages))
    found = [p for p in PLACES if f"{p}-START" in text]
    assert found, kind
    for place in found:  # each long text is there whole, from its start to its end
        assert f"{place}-END" in text, (kind, place)
    if kind == "session":
        assert set(PLACES) - set(found) <= {"PROCESS"} or "PROCESS" in found
        assert {"THEMES", "RISK", "PARTICIPATION", "ADDENDUM", "INCIDENT", "OBSERVED",
                "ABSENCE"} <= set(found)


def test_a_risk_box_taller_than_a_page_splits_and_repeats_its_title() -> None:
    text = words(1500, 1)
    data = build_pdf([para("Before."), risk_box([RiskItem("Group", "Risk and safety", text)],
                                               WIDTH), para("After.")], PdfMeta("t", "s"))
    pages = pages_text(data)
    assert len(pages) >= 2
    assert "⚠ Risk and safety" in pages[0] and "Group: Risk and safety" in pages[0]
    assert all("Risk and safety (continued)" in p for p in pages[1:])
    body = flat(" ".join(pages))
    assert text.split()[-6:] == body[:body.index("After.")].split()[-6:]


@pytest.mark.parametrize("before", range(40, 62, 3))
def test_a_risk_box_title_never_ends_a_page_without_its_first_lines(before: int) -> None:
    """Whatever room the page has left, the box's title, an item's heading and at least
    two lines of its text are on the same page."""
    filler = [para(f"Filler line {i}.") for i in range(before)]
    text = "FIRSTWORD " + words(900, 2)
    data = build_pdf([*filler, risk_box([RiskItem("Group", "Risk and safety", text)], WIDTH)],
                     PdfMeta("t", "s"))
    pages = pages_text(data)
    holding = [i for i, p in enumerate(pages) if "Group: Risk and safety" in p]
    assert len(holding) == 1
    page = pages[holding[0]]
    assert "FIRSTWORD" in page
    after = page.split("Group: Risk and safety", 1)[1]
    assert len([ln for ln in after.splitlines() if len(ln.split()) > 5]) >= 2

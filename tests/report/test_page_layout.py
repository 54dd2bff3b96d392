"""Paper as a supervisor reads it, checked page by page in the text of real PDFs: keep
rules on hard data (15 members, long names, a 2,000-word note), the running header of
every page, bookmarks, /Lang, legal names, and the member extract's page furniture."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from groupleader.data.vault import Vault
from groupleader.note_fields import group_field
from groupleader.report import batch
from groupleader.report.blocks import risk_box, small_table
from groupleader.report.language import main_language
from groupleader.report.model import ReportOptions, RiskItem
from groupleader.report.pdf_output import PdfMeta, build_pdf, printed_line
from groupleader.report.styles import para
from tests.conftest import PASSPHRASE, TEST_KDF_ITER
from tests.report.hard_clinic import NAMES, HardClinic, build_hard_clinic
from tests.report.pdfcheck import NEEDS_PDFTOTEXT, flat, pages_text

PRINTED_AT = datetime(2026, 12, 1, 21, 35).astimezone()
PRINTED = "Printed 1 Dec 2026 21:35 by Dr. H. Marsh"
OPTIONS = ReportOptions(printed_by="Dr. H. Marsh", printed_at=PRINTED_AT,
                        release_to="Dr. J. Ortiz, outpatient clinic",
                        release_purpose="Continuity of care")
H2 = ("Attendance", "Seating and interactions", "Group note", "Member notes (in seat order)",
      "Addenda", "Signatures")
GROUP_TITLES = tuple(group_field(k).title for k in ("themes", "here_and_now",
                                                     "interventions", "plan"))


@pytest.fixture(scope="module")
def hard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HardClinic]:
    vault = Vault.create(tmp_path_factory.mktemp("hard") / "hard.vault", PASSPHRASE,
                         test_kdf_iter=TEST_KDF_ITER)
    try:
        yield build_hard_clinic(vault)
    finally:
        vault.close()


def render(hard: HardClinic, kind: str = "session", **options: object) -> bytes:
    job = batch.ExportJob(kind, hard.group_id, meeting_id=hard.meeting_id,
                          member_id=hard.subject)
    opts = ReportOptions(**{**OPTIONS.__dict__, **options})
    return batch.render_job(hard.vault, job, opts).data


def body_lines(page: str) -> list[str]:
    """A page's lines without its running header and footer."""
    skip = ("Thursday Evening", "Printed ", "Page ", "Confidential:", "Verify:", "DRAFT",
            "DE-IDENTIFIED", "CONTAINS PROCESS", "Rafael Duarte Mendes (Rafa), born")
    return [ln.strip() for ln in page.splitlines()
            if ln.strip() and not any(ln.strip().startswith(s) for s in skip)]


def note_headings(pages: list[str]) -> list[str]:
    return [ln for p in pages for ln in body_lines(p) if ln.endswith("(Present)")
            or ln.endswith("(Present) · risk concern")]


NOTE_HEADING_ENDS = ("(Present)", "(signed)", "(DRAFT, not signed)")  # summary, extract


def assert_keep_rules(pages: list[str], headings: tuple[str, ...],
                      required: tuple[str, ...] = ("Attendance", "Group note", "Signatures"),
                      ) -> None:
    seen: set[str] = set()
    for number, page in enumerate(pages, start=1):
        lines = body_lines(page)
        assert lines, f"page {number} is empty"
        for i, line in enumerate(lines):
            if line in headings or line.endswith(NOTE_HEADING_ENDS):
                seen.add(line)
                assert i + 1 < len(lines), (
                    f"heading {line!r} is alone at the foot of page {number}")
            if line.startswith(("Signed as author by", "Draft (not signed)")):
                assert i > 0, f"a signature line starts page {number}, away from its note"
        assert lines[0] != "Signatures", f"page {number} holds only the signature block"
        if "Signatures" in lines:
            before = lines[:lines.index("Signatures")]
            assert before, f"page {number} holds only the signature block"
    assert set(required) <= seen


def test_keep_rules_hold_on_fifteen_members_with_long_notes(hard: HardClinic) -> None:
    pages = pages_text(render(hard))
    assert len(pages) > 8  # the fixture is long enough to break pages everywhere
    assert_keep_rules(pages, H2 + GROUP_TITLES)
    assert len(note_headings(pages)) == 15


def test_keep_rules_hold_in_a_de_identified_summary_with_process_notes(
        hard: HardClinic) -> None:
    pages = pages_text(render(hard, deidentify=True, include_private=True))
    assert_keep_rules(pages, (*H2, "Process notes (private)", *GROUP_TITLES))


def test_the_signature_block_never_stands_alone_after_a_full_page(hard: HardClinic) -> None:
    """Whatever the length of the note before it, the block shares its page."""
    for words_before in (0, 1, 2):
        pages = pages_text(render(hard, practice="x" * words_before))
        last = body_lines(pages[-1])
        assert "Signatures" in last and last[0] != "Signatures"


def test_every_page_carries_the_running_header(hard: HardClinic) -> None:
    pages = pages_text(render(hard, deidentify=True, include_private=True))
    for number, page in enumerate(pages, start=1):
        text = flat(page)
        assert "Thursday Evening Interpersonal Process Group · Session 1 · Thu 6 Mar 2025" \
            in text
        for marker in ("DRAFT", "DE-IDENTIFIED", "CONTAINS PROCESS NOTES"):
            assert marker in text, f"{marker} missing on page {number}"
        assert PRINTED in text and f"Page {number} of {len(pages)}" in text


def test_printed_says_when_and_by_whom() -> None:
    assert printed_line(PRINTED_AT, "Dr. H. Marsh") == PRINTED
    assert printed_line(PRINTED_AT, " ") == "Printed 1 Dec 2026 21:35"


def test_tables_repeat_their_header_row_on_the_next_page() -> None:
    rows = [[para("Member", "cell_bold"), para("Attendance", "cell_bold")]]
    rows += [[para(f"Member number {i}", "cell"), para("Present", "cell")] for i in range(120)]
    data = build_pdf([para("Attendance", "h2"), small_table(rows, [200, 200])],
                     PdfMeta("t", "s"))
    pages = pages_text(data)
    assert len(pages) >= 3
    for page in pages:
        lines = body_lines(page)
        at = lines.index("Member")
        assert lines[at + 1] == "Attendance" and lines[at + 2].startswith("Member number")
    risk = build_pdf([risk_box([RiskItem("Group", "Risk", "x " * 400)] * 12, 400)],
                     PdfMeta("t", "s"))
    assert all("Risk and safety" in p for p in pages_text(risk))


def outline_titles(data: bytes) -> list[tuple[int, str]]:
    reader = PdfReader(io.BytesIO(data))
    out: list[tuple[int, str]] = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, item.title))

    walk(reader.outline, 0)
    return out


def test_bookmarks_name_each_section_and_each_member_note(hard: HardClinic) -> None:
    titles = outline_titles(render(hard))
    assert [t for lvl, t in titles if lvl == 0][1:] == list(H2)
    notes = [t for lvl, t in titles if lvl == 1]
    assert len(notes) == 15 and "Rafa" in notes


def test_a_de_identified_outline_names_no_member(hard: HardClinic) -> None:
    titles = outline_titles(render(hard, deidentify=True))
    notes = [t for lvl, t in titles if lvl == 1]
    assert notes == [f"Member note {i}" for i in range(1, 16)]
    every_name = {w for full, pref in NAMES for w in (*full.split(), pref) if w}
    assert not any(w in t for _lvl, t in titles for w in every_name)


def test_lang_follows_the_text() -> None:
    assert main_language("שלום לכולם, זה סיכום הקבוצה של היום") == "he"
    assert main_language("مرحبا بالجميع هذا ملخص الجلسة") == "ar"
    assert main_language("Group note: Maria said שלום") == "en"
    assert main_language("") == "en"
    hebrew = build_pdf([para("סיכום הקבוצה " * 40), para("Group")], PdfMeta("t", "s"))
    assert PdfReader(io.BytesIO(hebrew)).root_object["/Lang"] == "he"
    english = build_pdf([para("The group spoke of trust.")], PdfMeta("t", "s"))
    assert PdfReader(io.BytesIO(english)).root_object["/Lang"] == "en"


def test_an_identified_summary_gives_the_legal_name_once_then_the_preferred(
        hard: HardClinic) -> None:
    text = flat(" ".join(pages_text(render(hard))))
    assert text.count("Rafael Duarte Mendes (Rafa)") == 1
    assert text.count("Rafael Duarte Mendes") == 1
    assert "Rafa (Present)" in text
    deidentified = flat(" ".join(pages_text(render(hard, deidentify=True))))
    assert "Rafael" not in deidentified and "(Rafa)" not in deidentified
    period = flat(" ".join(pages_text(render(hard, kind="period"))))
    assert period.count("Rafael Duarte Mendes (Rafa)") == 1


def test_a_member_extract_marks_each_note_and_names_its_subject_on_every_page(
        hard: HardClinic) -> None:
    pages = pages_text(render(hard, kind="extract"))
    assert len(pages) >= 2
    for page in pages:
        text = flat(page)
        assert "Rafael Duarte Mendes (Rafa), born 3 Jan 1970" in text
        assert PRINTED in text and "2 OF 6 NOTES UNSIGNED" in text
    text = flat(" ".join(pages))
    assert text.count("(DRAFT, not signed)") == 2 and text.count("(signed)") == 4
    assert text.count("Draft (not signed)") == 2
    reader = PdfReader(io.BytesIO(render(hard, kind="extract")))
    # no DRAFT watermark: the word appears only beside the two unsigned notes
    assert sum(p.extract_text().count("DRAFT") for p in reader.pages) == 2
    assert_keep_rules(pages, ("Attendance", "Member notes", "Release"),
                      ("Attendance", "Member notes", "Release"))


def test_a_member_extract_ends_its_period_at_the_last_session_held(hard: HardClinic) -> None:
    text = flat(" ".join(pages_text(render(hard, kind="extract"))))
    assert "6 Mar 2025 to 10 Apr 2025" in text  # not the session scheduled next month


def test_a_member_extract_ends_with_its_release_block(hard: HardClinic) -> None:
    pages = pages_text(render(hard, kind="extract"))
    last = flat(pages[-1])
    for part in ("Release", "Released to Dr. J. Ortiz, outpatient clinic",
                 "Purpose Continuity of care", "Released by Dr. H. Marsh",
                 "Date 1 Dec 2026 21:35"):
        assert part in last
    blank = flat(" ".join(pages_text(render(hard, kind="extract", release_to="",
                                            release_purpose=""))))
    assert "Released to ____" in blank
    assert body_lines(pages[-1])[0] != "Release"


def test_a_de_identified_extract_hides_the_subject_from_every_page(hard: HardClinic) -> None:
    text = flat(" ".join(pages_text(render(hard, kind="extract", deidentify=True))))
    assert "Rafael" not in text and "born" not in text and "1970" not in text


def test_the_hard_fixture_renders_to_files(hard: HardClinic, tmp_path: Path) -> None:
    data = render(hard)
    (tmp_path / "s.pdf").write_bytes(data)
    assert data.startswith(b"%PDF")


LONG_PRINTER = "Dr. Anneliese Katharina Montgomery-Whitfield"


@pytest.mark.parametrize("subject", ["Rafael", "Anneliese"])
def test_a_long_printer_name_is_whole_on_every_page_of_an_extract(
        hard: HardClinic, subject: str) -> None:
    member = (hard.subject if subject == "Rafael"
              else hard.members["Anneliese Katharina Montgomery-Whitfield"])
    job = batch.ExportJob("extract", hard.group_id, meeting_id=hard.meeting_id,
                          member_id=member)
    opts = ReportOptions(**{**OPTIONS.__dict__, "printed_by": LONG_PRINTER})
    pages = pages_text(batch.render_job(hard.vault, job, opts).data)
    assert len(pages) >= 2
    for page in pages:
        assert f"Printed 1 Dec 2026 21:35 by {LONG_PRINTER}" in page
        assert f"by {LONG_PRINTER}…" not in page


def test_a_long_printer_name_beside_the_markers_takes_a_line_of_its_own() -> None:
    who = LONG_PRINTER + ", PhD, ABPP, Clinical Director of Group Services"
    meta = PdfMeta(title="t", subject="s", header="Group · Session 3", draft=True,
                   deidentified=True, process_notes=True,
                   printed=printed_line(PRINTED_AT, who))
    for page in pages_text(build_pdf([para("Body text.")] * 3, meta)):
        assert f"by {who}" in flat(page) and "…" not in page


def test_an_arabic_or_cjk_group_name_in_the_header_is_drawn_by_its_own_face() -> None:
    from tests.report.test_scripts import font_names

    header = "مجموعة الأربعاء · 周四小组 · Session 3"
    data = build_pdf([para("Body text.")], PdfMeta(title="t", subject="s", header=header,
                                                   printed=PRINTED))
    text = flat(pages_text(data)[0])
    assert "周四小组" in text and "Session 3" in text and "مجموعة الأربعاء" in text
    assert "DroidSansFallback" in font_names(data)  # the CJK face, as in the body


def test_the_period_report_says_who_printed_it_and_bookmarks_every_section(
    hard: HardClinic,
) -> None:
    data = render(hard, kind="period")
    pages = pages_text(data)
    assert all(PRINTED in flat(page) for page in pages)
    top = [t for lvl, t in outline_titles(data) if lvl == 0]
    for section in ("Risk register", "Boundary incidents against the group agreement",
                    "Documentation", "Sessions", "Attendance", "Participation"):
        assert section in top, (section, top)


VERY_LONG_PRINTER = ("Dr. Anneliese Katharina Montgomery-Whitfield, PhD, ABPP, Clinical Director "
                     "of Group Services, Department of Psychiatry and Behavioural Sciences, "
                     "University Hospital of the Northern Region")


@NEEDS_PDFTOTEXT
@pytest.mark.parametrize("landscape", [False, True])
@pytest.mark.parametrize("extract", [False, True])
def test_a_printer_name_of_180_characters_wraps_inside_the_header_above_its_rule(
        tmp_path: Path, landscape: bool, extract: bool) -> None:
    """The whole name, on every page, on lines of the header that end above the rule;
    the rule and the body move down for it (positions read back with poppler)."""
    import re
    import subprocess

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pagesizes import landscape as turned
    from reportlab.lib.units import mm

    from groupleader.report.pdf_output import header_layout

    assert len(VERY_LONG_PRINTER) > 120
    printed = printed_line(PRINTED_AT, VERY_LONG_PRINTER)
    meta = PdfMeta(title="t", subject="s", header="Thursday Evening Group · Session 3",
                   draft=True, deidentified=True, process_notes=True, landscape=landscape,
                   printed=printed,
                   subject_line="Rafael Duarte Mendes (Rafa), born 3 Jan 1970" if extract
                   else "")
    width, height = turned(A4) if landscape else A4
    layout = header_layout(meta, width)
    assert layout.own is not None and layout.inline is None
    if not landscape:
        assert layout.own_lines >= 2  # wrapped, not cut and not shrunk past reading
    assert layout.own.style.fontSize >= 6.5
    last_baseline = 14.6 * mm + (layout.own_lines - 1) * layout.own.style.leading
    assert layout.rule > last_baseline + 0.25 * layout.own.style.fontSize  # descenders
    assert layout.top_margin > layout.rule  # the body starts below the rule
    data = build_pdf([para("Body text first line. " * 40)] * 8, meta)
    pages = pages_text(data)
    assert len(pages) >= 2
    for page in pages:
        assert printed in flat(page) and "…" not in page
    path = tmp_path / "p.pdf"
    path.write_bytes(data)
    boxes = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"],
                           capture_output=True, text=True, check=True).stdout
    words = [(float(y0), float(y1), w) for y0, y1, w in re.findall(
        r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>',
        boxes)]
    name_bottom = max(y1 for y0, y1, w in words if w == "Region")
    body_top = min(y0 for y0, y1, w in words if w == "Body")
    assert name_bottom < layout.rule < body_top  # poppler's y counts down from the top
    assert body_top >= layout.top_margin - 1
    assert layout.rule < height / 6


def outline_pages(data: bytes) -> list[tuple[str, int]]:
    """Each outline entry's title and the index of the page its destination shows."""
    reader = PdfReader(io.BytesIO(data))
    out: list[tuple[str, int]] = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                out.append((item.title, reader.get_destination_page_number(item)))

    walk(reader.outline)
    return out


@pytest.mark.parametrize("kind", ["session", "period", "extract"])
def test_each_bookmark_opens_the_page_that_holds_its_heading(hard: HardClinic,
                                                            kind: str) -> None:
    data = render(hard, kind=kind)
    pages = [flat(p) for p in pages_text(data)]
    entries = outline_pages(data)
    assert len(entries) >= 5 and len({p for _t, p in entries}) > 2
    for title, page in entries:
        assert flat(title) in pages[page], (title, page)
        first = next(i for i, p in enumerate(pages) if flat(title) in p)
        assert page >= first


def test_lang_is_the_dominant_script_even_when_no_script_has_half() -> None:
    """41% Hebrew, 31% Arabic, 28% Latin letters (the outside tester's g2s1) is Hebrew."""
    text = "א" * 41 + " " + "ب" * 31 + " " + "a" * 28
    assert main_language(text) == "he"
    assert main_language("ب" * 41 + " " + "א" * 31 + " " + "a" * 28) == "ar"
    assert main_language("a" * 40 + " " + "א" * 35 + " " + "ب" * 25) == "en"
    story = [para("שרה אמרה שהיא מרגישה בטוחה יותר בקבוצה " * 6),
             para("قالت فاطمة إنها تشعر بالأمان " * 5), para("Group note, attendance.")]
    data = build_pdf(story, PdfMeta("t", "s"))
    assert PdfReader(io.BytesIO(data)).root_object["/Lang"] == "he"


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Vault, int, int]]:
    """The outside tester's sweep, in one session: eight members whose signed notes end
    with a one-line plan, and a group note whose length each test sets."""
    from datetime import date

    from groupleader.data.operations import groups as ops_groups
    from groupleader.data.operations import meetings as ops_meetings
    from groupleader.data.operations import notes as ops_notes
    from groupleader.data.operations import roster as ops_roster
    from groupleader.data.snapshots import ClinicianSpec, GroupSpec, MemberNoteFields, MemberSpec
    from tests.conftest import PIN, give_pins
    from tests.report.hard_clinic import at, words

    vault = Vault.create(tmp_path_factory.mktemp("sweep") / "sweep.vault", PASSPHRASE,
                         test_kdf_iter=TEST_KDF_ITER)
    try:
        lead = ops_groups.create_clinician(vault, ClinicianSpec("Hannah Marsh", "leader")).value
        give_pins(vault, lead.id)
        group = ops_groups.create_group(vault, GroupSpec("Sweep", "psychodynamic",
                                                         (lead.id,))).value
        s = ops_meetings.schedule_meeting(vault, group.id, at(date(2025, 5, 26))).value
        ops_meetings.hold_meeting(vault, s.id)
        for i in range(8):
            m = ops_roster.create_member(vault, MemberSpec(f"Member{i} Sweepname")).value
            ops_roster.add_membership(vault, m.id, group.id, "active",
                                      on_date=date(2025, 1, 6))
            ops_meetings.record_attendance(vault, s.id, m.id, "present")
            note = ops_notes.save_member_note(vault, s.id, m.id, MemberNoteFields(
                participation=words(40 + 37 * i, i), goals=words(25, 50 + i),
                plan="Review in a week.")).value
            ops_notes.sign_note(vault, "member", note.id, lead.id, pin=PIN)
        yield vault, group.id, s.id
    finally:
        vault.close()


@pytest.mark.parametrize("themes", range(10, 420, 34))
def test_a_signature_keeps_two_note_lines_and_never_a_page_of_its_own(
        sweep: tuple[Vault, int, int], themes: int) -> None:
    """Whatever the group note's length moves the page breaks to: each "Signed as
    author by" has two lines of its note above it on its page, and no page holds only
    "Addenda / No addenda." and the signatures."""
    from groupleader.data.operations import notes as ops_notes
    from groupleader.data.snapshots import GroupNoteFields
    from tests.report.hard_clinic import words

    vault, group_id, meeting_id = sweep
    ops_notes.save_group_note(vault, meeting_id, GroupNoteFields(themes=words(themes, 7)))
    job = batch.ExportJob("session", group_id, meeting_id=meeting_id)
    pages = pages_text(batch.render_job(vault, job, OPTIONS).data)
    signed = 0
    for number, page in enumerate(pages, start=1):
        lines = [ln for ln in body_lines(page) if not ln.startswith("Sweep")]
        for i, line in enumerate(lines):
            if line.startswith("Signed as author by"):
                signed += 1
                note = [ln for ln in lines[:i] if not ln.endswith("(Present)")]
                assert len(note) >= 2, (number, lines[:i + 1])
        if "Signatures" in lines:
            before = lines[:lines.index("Signatures")]
            assert before not in ([], ["Addenda", "No addenda."]), (number, lines)
    assert signed == 8


def test_the_attendance_table_names_every_member_in_full_once(hard: HardClinic) -> None:
    """The summary's roster, the attendance table, is where each member is named in full
    ("Rafael Duarte Mendes (Rafa)"), even one the risk box above mentions."""
    text = flat(" ".join(pages_text(render(hard))))
    risk = text[text.index("⚠ Risk and safety"):text.index("Attendance Member")]
    attendance = text[text.index("Attendance Member"):text.index("Seating and interactions")]
    assert "Rafa" in risk and "Rafael Duarte Mendes" not in risk
    assert "Rafael Duarte Mendes (Rafa)" in attendance
    assert text.count("Rafael Duarte Mendes (Rafa)") == 1
    for full, preferred in NAMES:
        assert (f"{full} ({preferred})" if preferred else full) in attendance

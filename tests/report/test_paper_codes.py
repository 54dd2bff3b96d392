"""Paper that can be checked: a real exported PDF's verification code, read back with pypdf,
checks out against the vault; after an addendum or a co-signature the check says what was
added; a code from elsewhere matches nothing; a typo is told apart from a mismatch."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from groupleader.data import paper_codes
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.services import notes as notes_svc
from groupleader.data.snapshots import MemberNoteFields
from groupleader.data.vault import Vault
from groupleader.report import paper_check
from groupleader.report.batch import ExportJob, export_job, export_sessions
from groupleader.report.model import ReportOptions
from tests.conftest import PASSPHRASE, PIN, TEST_KDF_ITER, open_vault
from tests.report.conftest import Clinic, build_clinic
from tests.report.pdfcheck import pages_text

CODE = re.compile(r"Verify: ([2-9A-HJKMNP-Z]{4}(?:-[2-9A-HJKMNP-Z]{4}){3})")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Clinic]:
    """The clinic built once (it takes seconds); each test gets its own copy."""
    path = tmp_path_factory.mktemp("paper") / "clinic.vault"
    with Vault.create(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER) as vault:
        made = build_clinic(vault)
    return path, made


@pytest.fixture
def clinic(built: tuple[Path, Clinic], tmp_path: Path) -> Iterator[Clinic]:
    path, made = built
    copy = tmp_path / "clinic.vault"
    shutil.copyfile(path, copy)
    with open_vault(copy) as vault:
        yield replace(made, vault=vault)


def export(clinic: Clinic, tmp_path: Path, job: ExportJob, name: str = "paper.pdf",
           password: str | None = None, **options: object) -> Path:
    return export_job(clinic.vault, job, ReportOptions(**options),  # type: ignore[arg-type]
                      tmp_path / name, password)


def session_job(clinic: Clinic, meeting_id: int | None = None) -> ExportJob:
    return ExportJob("session", clinic.group_id, meeting_id=meeting_id or clinic.signed_meeting)


def code_on_every_page(path: Path, password: str | None = None) -> str:
    pages = pages_text(path.read_bytes(), password)
    codes = [CODE.findall(text) for text in pages]
    assert len(pages) >= 2 and all(len(c) == 1 for c in codes), codes
    assert len({c[0] for c in codes}) == 1
    return codes[0][0]


def check(clinic: Clinic, path: Path) -> paper_codes.PaperCheck:
    [result] = paper_check.check_pdf(clinic.vault, path)
    return result


def member_note_id(clinic: Clinic, meeting_id: int, member_id: int) -> int:
    notes = query(clinic.vault, notes_svc.load_meeting_notes, meeting_id)
    return next(n.id for n in notes.member_notes if n.member_id == member_id)


def test_a_signed_summary_prints_one_code_on_every_page_and_it_checks_out(
        clinic: Clinic, tmp_path: Path) -> None:
    path = export(clinic, tmp_path, session_job(clinic))
    code = code_on_every_page(path)
    assert paper_codes.typo_in(code) is None
    result = check(clinic, path)
    assert result.ok and result.outcome == paper_codes.MATCH, result
    assert result.code == code
    assert "still matches" in result.lines[0] and "session 2 (" in result.lines[0]


def test_an_addendum_added_after_printing_is_named(clinic: Clinic, tmp_path: Path) -> None:
    path = export(clinic, tmp_path, session_job(clinic))
    tom = clinic.members[next(iter(clinic.members))]
    note = member_note_id(clinic, clinic.signed_meeting, tom)
    ops_notes.add_addendum(clinic.vault, "member", note, clinic.leader, "Later: called back.",
                           pin=PIN)
    result = check(clinic, path)
    assert result.outcome == paper_codes.ADDED and not result.ok
    [added] = result.lines[1:]
    assert f"an addendum was added to member note {note}" in added
    assert "Session 2" in added and "called back" not in " ".join(result.lines)
    # a fresh export of the same session carries a new code, which matches
    fresh = export(clinic, tmp_path, session_job(clinic), "fresh.pdf")
    assert code_on_every_page(fresh) != code_on_every_page(path)
    assert check(clinic, fresh).ok


def test_a_cosignature_and_then_an_addendum_are_both_named_in_order(
        clinic: Clinic, tmp_path: Path) -> None:
    path = export(clinic, tmp_path, session_job(clinic))
    mia = clinic.members["Maria Kowalski"]
    note = member_note_id(clinic, clinic.signed_meeting, mia)
    ops_notes.cosign_note(clinic.vault, "member", note, clinic.supervisor, pin=PIN)
    result = check(clinic, path)
    assert result.outcome == paper_codes.ADDED
    assert len(result.lines) == 2
    assert f"a co-signature was added to member note {note}" in result.lines[1]
    ops_notes.add_addendum(clinic.vault, "group", query(
        clinic.vault, notes_svc.load_meeting_notes, clinic.signed_meeting).group_note.id,
        clinic.leader, "A second addendum.", pin=PIN)
    again = check(clinic, path)
    assert [("co-signature" in ln, "addendum was added to the group note" in ln)
            for ln in again.lines[1:]] == [(True, False), (False, True)]


def test_a_draft_summary_signed_after_printing_says_so(clinic: Clinic, tmp_path: Path) -> None:
    path = export(clinic, tmp_path, session_job(clinic, clinic.draft_meeting))
    first = check(clinic, path)
    assert first.ok and "it is a draft: 4 notes in it are not signed" in first.lines[0]
    note = member_note_id(clinic, clinic.draft_meeting, clinic.members["Maria Kowalski"])
    ops_notes.sign_note(clinic.vault, "member", note, clinic.leader, pin=PIN)
    result = check(clinic, path)
    assert result.outcome == paper_codes.ADDED
    assert len(result.lines) == 2
    assert f"member note {note} was signed" in result.lines[1]


def test_a_member_extract_checks_out_and_names_an_addendum(
        clinic: Clinic, tmp_path: Path) -> None:
    mia = clinic.members["Maria Kowalski"]
    job = ExportJob("extract", clinic.group_id, member_id=mia)
    path = export(clinic, tmp_path, job, "extract.pdf")
    pages = pages_text(path.read_bytes())
    codes = {c for text in pages for c in CODE.findall(text)}
    assert len(codes) == 1 and all(CODE.search(text) for text in pages)
    assert check(clinic, path).ok
    # the extract of the second session only is another document, with another code
    only = export(clinic, tmp_path, ExportJob("extract", clinic.group_id, member_id=mia,
                                              start=date(2025, 3, 10)), "only.pdf")
    assert {c for t in pages_text(only.read_bytes()) for c in CODE.findall(t)} != codes
    assert check(clinic, only).ok
    # the draft note of session 1 edited: only the paper that shows it is out of date
    ops_notes.save_member_note(clinic.vault, clinic.draft_meeting, mia, MemberNoteFields(
        participation="Rewritten after printing."))
    assert check(clinic, only).ok
    assert check(clinic, path).outcome == paper_codes.CHANGED
    path = export(clinic, tmp_path, job, "extract-again.pdf")
    note = member_note_id(clinic, clinic.signed_meeting, mia)
    ops_notes.add_addendum(clinic.vault, "member", note, clinic.leader, "Extract addendum.",
                           pin=PIN)
    for paper in (path, only):
        result = check(clinic, paper)
        assert result.outcome == paper_codes.ADDED
        assert "member extract" in result.lines[0]
        assert f"an addendum was added to member note {note}" in result.lines[1]


def test_an_encrypted_pdf_needs_its_password(clinic: Clinic, tmp_path: Path) -> None:
    path = export(clinic, tmp_path, session_job(clinic), password="pdf secret 42")
    with pytest.raises(paper_check.PdfPasswordNeeded, match="protected by a password"):
        paper_check.check_pdf(clinic.vault, path)
    with pytest.raises(paper_check.PdfPasswordNeeded, match="does not open"):
        paper_check.check_pdf(clinic.vault, path, "wrong")
    [result] = paper_check.check_pdf(clinic.vault, path, "pdf secret 42")
    assert result.ok


def test_every_pdf_of_a_batch_carries_its_own_code(clinic: Clinic, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    result = export_sessions(clinic.vault, clinic.group_id,
                             [clinic.draft_meeting, clinic.signed_meeting], folder,
                             ReportOptions(deidentify=True))
    codes = [paper_check.codes_in_pdf(p) for p in result.written]
    assert len(codes) == 2 and codes[0] != codes[1]
    assert all(check(clinic, p).ok for p in result.written)


def test_a_code_from_another_vault_matches_nothing(
        clinic: Clinic, vault_factory: object, tmp_path: Path) -> None:
    path = export(clinic, tmp_path, session_job(clinic))
    code = paper_check.codes_in_pdf(path)[0]
    other = build_clinic(vault_factory("other.vault"))  # type: ignore[operator]
    # the same ids, the same kind of content: still another vault's record
    result = query(other.vault, paper_codes.check_code, code)
    assert result.outcome == paper_codes.UNKNOWN, result
    assert "matches nothing" in result.lines[0]


def test_a_made_up_code_matches_nothing(clinic: Clinic) -> None:
    body = "7KQ2M9XD4FHTPW3"
    made_up = paper_codes.pretty(body + paper_codes.check_char(body))
    assert paper_codes.typo_in(made_up) is None
    result = query(clinic.vault, paper_codes.check_code, made_up)
    assert result.outcome == paper_codes.UNKNOWN and not result.ok


def test_a_typo_is_told_apart_from_a_mismatch(clinic: Clinic, tmp_path: Path) -> None:
    code = paper_codes.normalise(paper_check.codes_in_pdf(
        export(clinic, tmp_path, session_job(clinic)))[0])
    wrong = code[:5] + ("A" if code[5] != "A" else "B") + code[6:]
    swapped = code[:3] + code[4] + code[3] + code[5:]
    for typed in (wrong, swapped, code[:-1], code.replace(code[2], "0", 1)):
        if typed == code:
            continue
        result = query(clinic.vault, paper_codes.check_code, typed)
        assert result.outcome == paper_codes.TYPO, (typed, result)
    # spaces, dashes and lower case are not typos
    loose = " " + " ".join(code[i:i + 2] for i in range(0, 16, 2)).lower() + " "
    assert query(clinic.vault, paper_codes.check_code, loose).ok


def test_a_note_edited_behind_the_program_makes_the_paper_fail(
        clinic: Clinic, tmp_path: Path) -> None:
    path = export(clinic, tmp_path, session_job(clinic))
    with clinic.vault.unit_of_work() as db:  # what a raw SQLCipher tool could do
        from sqlalchemy import text

        triggers = db.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name = 'meeting_notes'")).all()
        for name, _sql in triggers:
            db.execute(text(f'DROP TRIGGER "{name}"'))
        db.execute(text("UPDATE meeting_notes SET plan = 'Changed later.' "
                        "WHERE meeting_id = :m"), {"m": clinic.signed_meeting})
        for _name, sql in triggers:
            db.execute(text(sql))
    result = check(clinic, path)
    assert result.outcome == paper_codes.CHANGED and not result.ok
    assert "no longer matches what was signed" in result.lines[0]
    assert "Changed later" not in " ".join(result.lines)
    # an addendum added afterwards does not hide the change
    note = member_note_id(clinic, clinic.signed_meeting, clinic.members["Maria Kowalski"])
    ops_notes.add_addendum(clinic.vault, "member", note, clinic.leader, "After the edit.", pin=PIN)
    again = check(clinic, path)
    assert again.outcome == paper_codes.CHANGED
    assert "the group note no longer matches what was signed" in again.lines[0]
    assert any(f"an addendum was added to member note {note}" in ln for ln in again.lines)

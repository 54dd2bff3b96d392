"""`groupleader verify VAULT --pdf FILE.pdf`: the paper's code, read from the PDF's text
layer, checked against the record; exit 0 only when it still matches, one line per
finding, never note text."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from groupleader.cli import main
from groupleader.data import paper_codes
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.services import meetings as meetings_svc
from groupleader.data.services import notes as notes_svc
from groupleader.data.vault import Vault
from tests.cli.conftest import PASS
from tests.conftest import PIN
from tests.report.conftest import ODD_NAME
from tests.report.pdfcheck import all_text


@pytest.fixture
def vault_copy(clinic_file: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "clinic.vault"
    shutil.copyfile(clinic_file, copy)
    return copy


def export(vault: Path, secret: Path, out: Path, *args: str) -> None:
    assert main(["export", str(vault), "--passphrase-file", str(secret), "--group",
                 "tuesday process group", "--out", str(out), *args]) == 0


def verify(vault: Path, secret: Path, pdf: Path, capsys: pytest.CaptureFixture[str],
           *args: str) -> tuple[int, list[str], str]:
    capsys.readouterr()
    code = main(["verify", str(vault), "--passphrase-file", str(secret), "--pdf", str(pdf),
                 *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_an_exported_summary_matches_until_an_addendum_is_added(
        vault_copy: Path, secret: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    pdf = tmp_path / "s2.pdf"
    export(vault_copy, secret, pdf, "--session", "2")
    code, lines, err = verify(vault_copy, secret, pdf, capsys)
    assert code == 0 and err == ""
    assert len(lines) == 1 and lines[0].startswith("MATCHES ")

    with Vault.open(vault_copy, PASS) as vault:
        signed = query(vault, meetings_svc.list_meetings, 1)[1]  # session 2 of group 1
        notes = query(vault, notes_svc.load_meeting_notes, signed.id)
        assert notes.group_note is not None
        member = notes.member_notes[0]
        leader, supervisor = 1, 3  # as build_clinic makes them
        ops_notes.cosign_note(vault, "member", member.id, supervisor, pin=PIN)
        ops_notes.add_addendum(vault, "group", notes.group_note.id, leader, "SECRET addendum",
                               pin=PIN)
    code, lines, err = verify(vault_copy, secret, pdf, capsys)
    assert code == 1 and err == ""
    assert [ln.split(":")[0].split()[0:2] for ln in lines] == [["ADDED", "SINCE"]] * 3
    assert "an addendum was added to the group note" in lines[2]
    assert f"a co-signature was added to member note {member.id}" in lines[1]
    assert all("SECRET" not in ln and ODD_NAME not in ln for ln in lines)


def test_an_encrypted_pdf_asks_for_its_password(
        vault_copy: Path, secret: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    pdf, pw = tmp_path / "locked.pdf", tmp_path / "pdf-password.txt"
    pw.write_text("paper password 7\n", encoding="utf-8")
    export(vault_copy, secret, pdf, "--session", "2", "--pdf-password-file", str(pw))
    code, lines, err = verify(vault_copy, secret, pdf, capsys)
    assert code == 1 and lines == []
    assert err.startswith("groupleader: This PDF is protected by a password")
    assert "--pdf-password-file" in err and len(err.splitlines()) == 1
    code, lines, _err = verify(vault_copy, secret, pdf, capsys, "--pdf-password-file", str(pw))
    assert code == 0 and lines[0].startswith("MATCHES ")


def _pdf_saying(path: Path, text: str) -> Path:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 72, text)
    canvas.showPage()
    canvas.save()
    path.write_bytes(buffer.getvalue())
    return path


def test_a_made_up_code_matches_nothing_and_a_typo_is_a_typo(
        vault_copy: Path, secret: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    body = "XW7KQ2M9D4FHTP3"
    made_up = paper_codes.pretty(body + paper_codes.check_char(body))
    pdf = _pdf_saying(tmp_path / "made-up.pdf", f"Verify: {made_up}")
    code, lines, _err = verify(vault_copy, secret, pdf, capsys)
    assert code == 1 and len(lines) == 1 and lines[0].startswith(f"NO MATCH {made_up}:")

    real = tmp_path / "real.pdf"
    export(vault_copy, secret, real, "--session", "2")
    printed = paper_codes.codes_in_text(all_text(real.read_bytes()))
    good = paper_codes.normalise(printed[0])
    typo = good[:9] + ("Z" if good[9] != "Z" else "Y") + good[10:]
    pdf = _pdf_saying(tmp_path / "typo.pdf", f"Verify: {paper_codes.pretty(typo)}")
    code, lines, _err = verify(vault_copy, secret, pdf, capsys)
    assert code == 1 and len(lines) == 1 and lines[0].startswith("TYPO ")


def test_a_pdf_without_a_code_is_one_line(
        vault_copy: Path, secret: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    pdf = _pdf_saying(tmp_path / "plain.pdf", "Nothing to verify here.")
    code, lines, err = verify(vault_copy, secret, pdf, capsys)
    assert code == 1 and lines == []
    assert err.startswith("groupleader: ") and "no verification code" in err
    assert len(err.splitlines()) == 1

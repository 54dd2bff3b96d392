"""A character no PDF font has is named on stderr before the file is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from groupleader.cli import main
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.services import meetings as meetings_svc
from groupleader.data.snapshots import MemberNoteFields
from groupleader.data.vault import Vault
from tests.cli.conftest import PASS, writable_copy
from tests.report.pdfcheck import all_text

MELTING = "\U0001fae0"


def test_export_lists_characters_it_cannot_print_and_keeps_them_in_the_text(
        clinic_file: Path, secret: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    copy = writable_copy(clinic_file, tmp_path)
    with Vault.open(copy, PASS) as vault:
        meeting = query(vault, meetings_svc.list_meetings, 1)[0]
        ops_notes.save_member_note(vault, meeting.id, 2, MemberNoteFields(
            participation=f"Felt {MELTING} after the break."))
    out = tmp_path / "s1.pdf"
    assert main(["export", str(copy), "--passphrase-file", str(secret), "--group",
                 "tuesday process group", "--session", "1", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "U+1FAE0 MELTING FACE" in err and "warning" in err
    assert f"Felt {MELTING} after the break." in all_text(out.read_bytes())


def test_an_export_without_such_characters_warns_of_nothing(
        clinic_file: Path, secret: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "s1.pdf"
    assert main(["export", str(clinic_file), "--passphrase-file", str(secret), "--group",
                 "tuesday process group", "--session", "1", "--out", str(out)]) == 0
    assert "no glyph" not in capsys.readouterr().err


@pytest.mark.parametrize("deidentify", [False, True])
def test_a_batch_warns_before_its_first_file_and_says_how_many_documents(
        clinic_file: Path, secret: Path, tmp_path: Path, deidentify: bool,
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from groupleader.report import batch

    copy = writable_copy(clinic_file, tmp_path)
    with Vault.open(copy, PASS) as vault:
        meeting = query(vault, meetings_svc.list_meetings, 1)[0]
        ops_notes.save_member_note(vault, meeting.id, 2, MemberNoteFields(
            participation=f"Felt {MELTING} after the break."))
    said_before_writing: list[str] = []
    write = batch.write_pdf

    def watched(dest: Path, data: bytes) -> Path:
        said_before_writing.append(capsys.readouterr().err)
        return write(dest, data)

    monkeypatch.setattr(batch, "write_pdf", watched)
    out = tmp_path / "all"
    out.mkdir()
    assert main(["export", str(copy), "--passphrase-file", str(secret), "--group",
                 "tuesday process group", "--all", "--out", str(out),
                 *(["--deidentify"] if deidentify else [])]) == 0
    assert len(said_before_writing) >= 2
    first = said_before_writing[0]
    assert "U+1FAE0 MELTING FACE" in first, "warned before the first file was written"
    assert f"in 1 of the {len(said_before_writing)} documents" in first
    assert "in this document" not in first
    assert not any("MELTING" in e for e in said_before_writing[1:] + [capsys.readouterr().err])

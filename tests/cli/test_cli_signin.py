"""`groupleader export --session N --signin-sheet`: the session's sign-in sheet as a PDF."""

from __future__ import annotations

from pathlib import Path

import pytest

from groupleader.cli import main
from tests.report.pdfcheck import all_text


def test_the_export_command_writes_a_sheet_for_one_session(
        clinic_file: Path, secret: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sheet.pdf"
    assert main(["export", str(clinic_file), "--passphrase-file", str(secret), "--group",
                 "Tuesday Process Group", "--session", "1", "--signin-sheet",
                 "--out", str(out)]) == 0
    text = all_text(out.read_bytes())
    assert "Sign-in sheet" in text and "Mia K." in text and "Kowalski" not in text
    assert main(["export", str(clinic_file), "--passphrase-file", str(secret), "--group",
                 "Tuesday Process Group", "--all", "--signin-sheet",
                 "--out", str(tmp_path)]) == 1
    assert "--signin-sheet needs --session N" in capsys.readouterr().err

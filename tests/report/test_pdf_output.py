"""Encryption, reproducible bytes and atomic writing of exported PDFs."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from groupleader.errors import GroupLeaderError, InvalidInput
from groupleader.report import batch
from groupleader.report.model import ReportOptions
from groupleader.report.pdf_output import encrypt_pdf, pdf_password_problem, write_pdf
from tests.report.conftest import ODD_NAME, Clinic
from tests.report.pdfcheck import all_text

ROOT = Path(__file__).resolve().parents[2]


def test_a_protected_pdf_opens_only_with_its_password(clinic: Clinic, tmp_path: Path) -> None:
    job = batch.ExportJob("session", clinic.group_id, meeting_id=clinic.draft_meeting)
    dest = batch.export_job(clinic.vault, job, ReportOptions(), tmp_path / "s.pdf",
                            password="s3cret & <pw>")
    data = dest.read_bytes()
    assert ODD_NAME.encode() not in data and b"Kowalski" not in data
    reader = PdfReader(io.BytesIO(data))
    assert reader.is_encrypted
    encrypt = reader.trailer["/Encrypt"]
    assert (encrypt["/V"], encrypt["/R"]) == (5, 6)  # AES-256, PDF 2.0
    with pytest.raises(FileNotDecryptedError):
        reader.pages[0].extract_text()
    assert not PdfReader(io.BytesIO(data)).decrypt("wrong")
    assert ODD_NAME in all_text(data, password="s3cret & <pw>")


def test_poppler_opens_the_aes_file_with_the_password(tmp_path: Path, clinic: Clinic) -> None:
    pdftotext = "/usr/bin/pdftotext"
    if not os.path.exists(pdftotext):
        pytest.skip("poppler-utils is not installed")
    rendered = batch.render_job(clinic.vault, batch.ExportJob(
        "session", clinic.group_id, meeting_id=clinic.signed_meeting), ReportOptions())
    f = tmp_path / "p.pdf"
    f.write_bytes(encrypt_pdf(rendered.data, "paper pw 42"))
    bad = subprocess.run([pdftotext, "-upw", "nope", str(f), "-"], capture_output=True)
    good = subprocess.run([pdftotext, "-upw", "paper pw 42", str(f), "-"], capture_output=True,
                          text=True)
    assert bad.returncode != 0
    assert good.returncode == 0 and "Group session summary" in good.stdout


def test_exporting_the_same_session_twice_writes_identical_files(
        clinic: Clinic, tmp_path: Path) -> None:
    """The same data printed at the same minute ("Printed 1 Dec 2026 21:35 by …")."""
    job = batch.ExportJob("session", clinic.group_id, meeting_id=clinic.signed_meeting)
    same = ReportOptions(printed_by="Ada Leader", printed_at=datetime(2026, 12, 1, 21, 35,
                                                                      tzinfo=UTC))
    a = batch.export_job(clinic.vault, job, same, tmp_path / "a.pdf")
    b = batch.export_job(clinic.vault, job, same, tmp_path / "b.pdf")
    assert a.read_bytes() == b.read_bytes()
    period = batch.ExportJob("period", clinic.group_id)
    assert (batch.render_job(clinic.vault, period, same).data
            == batch.render_job(clinic.vault, period, same).data)


def test_a_failed_write_leaves_no_file_and_no_partial(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise OSError("disk removed")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(GroupLeaderError):  # a sentence, not an OSError
        write_pdf(tmp_path / "x.pdf", b"%PDF-1.4 whatever")
    assert list(tmp_path.iterdir()) == []


CHILD = """
import sys
from pathlib import Path
from groupleader.report.pdf_output import write_pdf
data = Path(sys.argv[1]).read_bytes()
dest = Path(sys.argv[2])
print("ready", flush=True)
while True:
    write_pdf(dest, data)
"""


def test_a_kill_mid_export_leaves_the_file_absent_or_whole(
        clinic: Clinic, tmp_path: Path) -> None:
    rendered = batch.render_job(clinic.vault, batch.ExportJob(
        "period", clinic.group_id), ReportOptions())
    big = rendered.data * 1  # a real PDF of a few tens of KB
    src = tmp_path / "src.bin"
    src.write_bytes(big)
    out = tmp_path / "out"
    out.mkdir()
    dest = out / "report.pdf"
    for attempt in range(6):
        with subprocess.Popen([sys.executable, "-c", CHILD, str(src), str(dest)],
                              cwd=ROOT, stdout=subprocess.PIPE) as proc:
            assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
            time.sleep(0.01 + attempt * 0.013)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        if dest.exists():
            assert dest.read_bytes() == big  # whole, never a prefix
        # what a kill can leave is only the hidden temporary name, never a torn report.pdf
        for leftover in out.iterdir():
            assert leftover == dest or (leftover.name.startswith(".report.pdf.")
                                        and leftover.name.endswith(".partial"))
        # each writer started by removing what the killed one before it left
        assert len(list(out.iterdir())) <= 2
    assert dest.exists()
    write_pdf(dest, big)  # the next run: no hidden partial is left behind
    assert list(out.iterdir()) == [dest]
    assert dest.stat().st_mode & 0o777 == 0o600


STRONG = "quiet harbour lamp 7"


def test_an_aes_file_declares_pdf_2_and_opens_in_every_reader_with_the_password_only(
        clinic: Clinic, tmp_path: Path) -> None:
    job = batch.ExportJob("session", clinic.group_id, meeting_id=clinic.signed_meeting)
    dest = batch.export_job(clinic.vault, job, ReportOptions(), tmp_path / "s.pdf",
                            password=STRONG)
    data = dest.read_bytes()
    assert data.startswith(b"%PDF-2.0")
    assert "Group session summary" in all_text(data, password=STRONG)
    for tool in ("/usr/bin/qpdf", "/usr/bin/pdfinfo", "/usr/bin/pdftotext"):
        if not os.path.exists(tool):
            pytest.skip(f"{tool} is not installed")
    qpdf = subprocess.run(["/usr/bin/qpdf", f"--password={STRONG}", "--check", str(dest)],
                          capture_output=True, text=True)
    assert qpdf.returncode == 0, qpdf.stderr
    assert subprocess.run(["/usr/bin/qpdf", "--password=wrong", "--check", str(dest)],
                          capture_output=True).returncode != 0
    info = subprocess.run(["/usr/bin/pdfinfo", "-upw", STRONG, str(dest)],
                          capture_output=True, text=True)
    assert info.returncode == 0 and " ".join(info.stdout.split()).count("PDF version: 2.0") == 1
    text = subprocess.run(["/usr/bin/pdftotext", "-upw", STRONG, str(dest), "-"],
                          capture_output=True, text=True)
    assert text.returncode == 0 and "Group session summary" in text.stdout
    assert subprocess.run(["/usr/bin/pdfinfo", str(dest)], capture_output=True).returncode != 0


@pytest.mark.parametrize("weak", ["a", "pw", "1234567", "password1", "aaaaaaaaaa"])
def test_a_weak_pdf_password_is_refused_and_nothing_is_written(
        clinic: Clinic, tmp_path: Path, weak: str) -> None:
    job = batch.ExportJob("session", clinic.group_id, meeting_id=clinic.signed_meeting)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(InvalidInput, match="PDF password is too weak"):
        batch.export_job(clinic.vault, job, ReportOptions(), out / "s.pdf", password=weak)
    assert list(out.iterdir()) == []
    assert pdf_password_problem(weak) is not None
    assert pdf_password_problem(STRONG) is None

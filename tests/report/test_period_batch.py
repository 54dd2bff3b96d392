"""Period report contents, batch export with progress and cancel, and the audit trail."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from groupleader.data.models import AuditEvent
from groupleader.data.operations.base import unit
from groupleader.errors import StorageError
from groupleader.report import batch
from groupleader.report.collect_period import collect_period
from groupleader.report.model import ReportOptions
from groupleader.report.period_report import render_period
from tests.report.conftest import ODD_NAME, Clinic
from tests.report.pdfcheck import all_text, flat
from tests.storage_support import small_filesystem


def test_the_period_report_has_sessions_grid_changes_and_factors(clinic: Clinic) -> None:
    report = collect_period(clinic.vault, clinic.group_id, date(2025, 1, 1),
                            date(2025, 3, 31), ReportOptions())
    text = flat(all_text(render_period(report)))
    for expected in ("Group period report", "1 Jan 2025 to 31 Mar 2025", "Sessions held",
                     "Session 1", "Session 2", "3 of 5", "Attendance", "L10",
                     "Membership changes", "joined", "Therapeutic factors most often noted",
                     "Universality", "2 of 2", "P present"):
        assert expected in text, expected
    assert ODD_NAME in all_text(render_period(report))
    row = next(r for r in report.grid if r.name == "Maria Kowalski (Mia)")  # legal name once
    assert row.cells == ("L10", "L10") and (row.attended, row.recorded) == (2, 2)
    jonas = next(r for r in report.grid if r.name == "Jonas Berg")
    assert jonas.cells == ("–", "–")  # active but nothing recorded


def test_a_period_before_any_session_reports_none(clinic: Clinic) -> None:
    report = collect_period(clinic.vault, clinic.group_id, date(2024, 1, 1),
                            date(2024, 12, 31), ReportOptions())
    assert report.session_lines == () and report.changes == ()
    assert "No session was held in this period." in all_text(render_period(report))


def test_a_batch_reports_progress_and_writes_one_pdf_per_session(
        clinic: Clinic, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    (tmp_path / "out").mkdir()
    result = batch.export_sessions(
        clinic.vault, clinic.group_id, [clinic.draft_meeting, clinic.signed_meeting],
        tmp_path / "out", ReportOptions(deidentify=True), progress=lambda d, t: seen.append((d, t)))
    assert seen == [(1, 2), (2, 2)] and not result.cancelled
    names = sorted(p.name for p in result.written)
    assert names == ["tuesday-process-group-session-001-2025-03-04-deidentified.pdf",
                     "tuesday-process-group-session-002-2025-03-11-deidentified.pdf"]
    assert all(p.read_bytes().startswith(b"%PDF") for p in result.written)


def test_cancelling_a_batch_stops_before_the_next_session(
        clinic: Clinic, tmp_path: Path) -> None:
    done: list[int] = []
    result = batch.export_sessions(
        clinic.vault, clinic.group_id, [clinic.draft_meeting, clinic.signed_meeting],
        tmp_path, ReportOptions(), progress=lambda d, t: done.append(d),
        cancelled=lambda: len(done) >= 1)
    assert result.cancelled and len(result.written) == 1
    assert len(list(tmp_path.glob("*.pdf"))) == 1


def test_a_disk_that_fills_mid_batch_says_which_files_were_written_and_they_stay(
        clinic: Clinic, tmp_path: Path) -> None:
    """A real small disk (tmpfs) that holds the batch's first file but not its second: the
    message says the disk is full, what to do, and that the first file was written and is
    still there (never "nothing was written", which would let a stick with a clinical
    summary on it be handed on)."""
    sizes = [p.stat().st_size for p in sorted(batch.export_sessions(
        clinic.vault, clinic.group_id, [clinic.draft_meeting, clinic.signed_meeting],
        _folder(tmp_path / "sizes"), ReportOptions(deidentify=True)).written)]
    with small_filesystem(tmp_path / "stick", sizes[0] + sizes[1] // 2) as out:
        with pytest.raises(StorageError) as caught:
            batch.export_sessions(clinic.vault, clinic.group_id,
                                  [clinic.draft_meeting, clinic.signed_meeting], out,
                                  ReportOptions(deidentify=True))
        message = caught.value.message
        assert "is full" in message and "Free some space or choose another folder" in message
        assert "nothing was written" not in message
        assert f"1 of the batch's 2 PDF files was written into {out}" in message
        assert str(caught.value) == message
        left = sorted(out.iterdir())
        assert [p.name for p in left] == [
            "tuesday-process-group-session-001-2025-03-04-deidentified.pdf"]  # no partial
        data = left[0].read_bytes()
        assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")


def test_a_de_identified_batch_hides_as_one_export_does_and_keeps_no_review(
        clinic: Clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch is written unseen: its redactor notes nothing for a review (the notes, with
    the text around each name, grew with every session), and it hides exactly what the
    same session exported alone, and reviewed, hides."""
    options = ReportOptions(deidentify=True)
    alone = batch.render_job(clinic.vault, batch.ExportJob(
        "session", clinic.group_id, meeting_id=clinic.signed_meeting), options)
    assert alone.review.replacements  # the reviewed export noted what it replaced
    seen: list[batch.Review] = []
    real = batch.render_job

    def render_job(*args: object, **kwargs: object) -> batch.Rendered:
        rendered = real(*args, **kwargs)  # type: ignore[arg-type]
        seen.append(rendered.review)
        return rendered

    monkeypatch.setattr(batch, "render_job", render_job)
    result = batch.export_sessions(clinic.vault, clinic.group_id, [clinic.signed_meeting],
                                   _folder(tmp_path / "out"), options)
    assert seen and all(not r.replacements and not r.possible for r in seen)
    assert all_text(result.written[0].read_bytes()) == all_text(alone.data)
    assert ODD_NAME not in all_text(alone.data)


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


def test_a_batch_stopped_by_a_file_it_may_not_replace_says_what_it_wrote_before(
        clinic: Clinic, tmp_path: Path) -> None:
    """The second session's name is taken by a file that is not a PDF (it is never
    replaced): the first file was written (or replaced) already, and the message says so
    rather than "nothing was overwritten"."""
    from groupleader.errors import VaultExists

    out = tmp_path / "folder"
    out.mkdir()
    taken = out / "tuesday-process-group-session-002-2025-03-11.pdf"
    taken.write_bytes(b"not a pdf at all")
    with pytest.raises(VaultExists) as caught:
        batch.export_sessions(clinic.vault, clinic.group_id,
                              [clinic.draft_meeting, clinic.signed_meeting], out,
                              ReportOptions())
    said = caught.value.message
    assert "is not a PDF" in said and "nothing was" not in said
    assert said.endswith(f"1 of the batch's 2 PDF files was written into {out} before "
                         "this; each is whole and is still there.")
    assert taken.read_bytes() == b"not a pdf at all"


def test_a_batch_that_fails_on_its_first_file_still_says_nothing_was_written(
        clinic: Clinic, tmp_path: Path) -> None:
    with small_filesystem(tmp_path / "stick", 8192) as out:  # too small for any summary
        with pytest.raises(StorageError, match="nothing was written"):
            batch.export_sessions(clinic.vault, clinic.group_id, [clinic.draft_meeting],
                                  out, ReportOptions())
        assert list(out.iterdir()) == []


def test_every_export_is_an_audit_event_without_names(clinic: Clinic, tmp_path: Path) -> None:
    def exports() -> list[tuple[str, str, int | None]]:
        with clinic.vault.unit_of_work() as db:
            return [(e.action, e.record_type, e.record_id) for e in db.scalars(
                select(AuditEvent).where(AuditEvent.action == "export.pdf"))]

    assert exports() == []
    batch.export_job(clinic.vault, batch.ExportJob(
        "session", clinic.group_id, meeting_id=clinic.draft_meeting), ReportOptions(),
        tmp_path / "a.pdf")
    batch.export_job(clinic.vault, batch.ExportJob(
        "extract", clinic.group_id, member_id=clinic.members[ODD_NAME]), ReportOptions(),
        tmp_path / "b.pdf")
    batch.export_job(clinic.vault, batch.ExportJob("period", clinic.group_id),
                     ReportOptions(), tmp_path / "c.pdf")
    expected = [("export.pdf", "meeting", clinic.draft_meeting),
                ("export.pdf", "member", clinic.members[ODD_NAME]),
                ("export.pdf", "group", clinic.group_id)]
    # Exporting writes nothing to the vault: the events wait for its next real write.
    assert exports() == []
    assert [(e.action, e.record_type, e.record_id)
            for e in clinic.vault.pending_audit if e.action == "export.pdf"] == expected
    with unit(clinic.vault) as u:
        u.audit("test.write", "vault", None)
    assert exports() == expected
    assert clinic.vault.pending_audit == ()


def test_the_period_chart_prints_every_factor_name_whole() -> None:
    """"Corrective recapitulation of the primary family group" was cut to "…primary
    fam…" with no legend: the names' column is as wide as the longest name."""
    from groupleader.factors import FACTORS
    from groupleader.report.model import StagePoint
    from groupleader.report.pdf_output import PdfMeta, build_pdf
    from groupleader.report.period_chart import stage_factor_chart
    from groupleader.report.period_report import WIDTH
    from tests.report.pdfcheck import all_text, flat

    names = [f.label for f in FACTORS]
    points = [StagePoint(str(i + 1), f"{i + 1} Mar", 1, tuple(names)) for i in range(20)]
    chart = stage_factor_chart(points, ["Forming", "Working"], names, WIDTH)
    text = flat(all_text(build_pdf([chart], PdfMeta("t", "s", landscape=True))))
    for name in names:
        assert name in text, name
    assert "…" not in text

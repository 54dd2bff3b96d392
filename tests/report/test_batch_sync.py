"""A batch export syncs its folder once (each file still synced before its rename, so
each is whole or absent), and cleans the folder's leftover partial writes once."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from groupleader.data import atomic
from groupleader.report import batch
from groupleader.report.model import ReportOptions
from tests.report.conftest import Clinic


def test_a_batch_syncs_each_file_and_its_folder_once(
        clinic: Clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    folder_syncs: list[Path] = []
    file_syncs: list[int] = []
    cleanups: list[Path] = []
    real_fsync, real_cleanup = os.fsync, atomic.cleanup_partials
    monkeypatch.setattr(atomic, "fsync_dir", lambda d: folder_syncs.append(Path(d)))
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: (file_syncs.append(fd), real_fsync(fd)))
    monkeypatch.setattr(atomic, "cleanup_partials",
                        lambda f: (cleanups.append(Path(f)), real_cleanup(f))[1])
    meetings = [clinic.draft_meeting, clinic.signed_meeting, clinic.draft_meeting]

    result = batch.export_sessions(clinic.vault, clinic.group_id, meetings, out,
                                   ReportOptions())

    assert len(result.written) == 3  # the same session twice: the file replaced
    assert folder_syncs == [out] and cleanups == [out]
    assert len(file_syncs) == 3  # every file synced before it took its name
    assert all(p.read_bytes().startswith(b"%PDF") for p in result.written)
    assert not [p for p in out.iterdir() if p.name.endswith(".partial")]


def test_a_cancelled_batch_still_syncs_its_folder(
        clinic: Clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder_syncs: list[Path] = []
    monkeypatch.setattr(atomic, "fsync_dir", lambda d: folder_syncs.append(Path(d)))
    calls = iter([False, True])
    result = batch.export_sessions(clinic.vault, clinic.group_id,
                                   [clinic.draft_meeting, clinic.signed_meeting], tmp_path,
                                   ReportOptions(), cancelled=lambda: next(calls))
    assert result.cancelled and len(result.written) == 1
    assert folder_syncs == [tmp_path]


def test_a_single_export_syncs_its_folder_as_before(
        clinic: Clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder_syncs: list[Path] = []
    monkeypatch.setattr(atomic, "fsync_dir", lambda d: folder_syncs.append(Path(d)))
    job = batch.ExportJob("session", clinic.group_id, meeting_id=clinic.draft_meeting)
    batch.export_job(clinic.vault, job, ReportOptions(), tmp_path / "one.pdf")
    assert folder_syncs == [tmp_path]

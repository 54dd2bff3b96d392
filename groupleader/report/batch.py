"""One entry point for every export: render a job to bytes, protect it, write it, audit it;
and a batch of many sessions with a progress callback and cancel.

Nothing here touches Qt: the dialog runs `export_sessions` on a worker thread and the CLI
calls it directly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from groupleader.data.atomic import one_folder_sync
from groupleader.data.operations import exports
from groupleader.data.outputs import Kind, check_destination, check_folder
from groupleader.data.vault import Vault
from groupleader.errors import GroupLeaderError
from groupleader.report.collect import (
    People,
    collect_session,
    load_people,
    needs_everyone,
    review_of,
)
from groupleader.report.collect_period import collect_member_extract, collect_period
from groupleader.report.collect_signin import collect_signin
from groupleader.report.fonts import collect_unprintable
from groupleader.report.member_extract import render_extract
from groupleader.report.model import ReportOptions
from groupleader.report.pdf_output import finish_pdf, printed_text, write_pdf
from groupleader.report.period_report import render_period
from groupleader.report.redact import Review
from groupleader.report.session_summary import render_session
from groupleader.report.signin_sheet import render_signin

Progress = Callable[[int, int], None]  # (done, total)
Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class ExportJob:
    """What to export: a session summary, a period report or a member extract."""

    kind: str  # "session", "period", "extract" or "signin" (a session's sign-in sheet)
    group_id: int
    meeting_id: int | None = None
    member_id: int | None = None
    start: date | None = None
    end: date | None = None

    @property
    def audit_target(self) -> tuple[str, int | None]:
        if self.kind in ("session", "signin"):
            return "meeting", self.meeting_id
        if self.kind == "extract":
            return "member", self.member_id
        return "group", self.group_id


@dataclass(frozen=True)
class Rendered:
    data: bytes  # unencrypted PDF bytes, in memory only
    file_stem: str
    pages_hint: int = 0
    review: Review = field(default_factory=Review)  # what de-identification did and left
    unprintable: tuple[str, ...] = ()  # characters no embedded font draws (fonts.py)


@dataclass(frozen=True)
class BatchResult:
    written: tuple[Path, ...]
    cancelled: bool
    total: int
    unprintable: tuple[str, ...] = ()  # over all the sessions written


def render_job(vault: Vault, job: ExportJob, options: ReportOptions,
               people: People | None = None) -> Rendered:
    """The job's PDF bytes, built in memory (reproducible, not yet encrypted), and the
    review of its de-identification (empty for an identified export)."""
    if people is None:
        people = load_people(vault, job.group_id,
                             everyone=needs_everyone(job.kind, options))
    with collect_unprintable() as unprintable:
        rendered = _render(vault, job, options, people)
    return replace(rendered, review=review_of(people), unprintable=tuple(unprintable))


def _render(vault: Vault, job: ExportJob, options: ReportOptions, people: People) -> Rendered:
    if job.kind == "session":
        if job.meeting_id is None:
            raise ValueError("a session export needs a meeting id")
        s = replace(collect_session(vault, job.meeting_id, options, people),
                    printed=printed_text(options))
        return Rendered(render_session(s), s.file_stem)
    if job.kind == "period":
        r = replace(collect_period(vault, job.group_id, job.start, job.end, options, people),
                    printed=printed_text(options))
        return Rendered(render_period(r), r.file_stem)
    if job.kind == "extract":
        if job.member_id is None:
            raise ValueError("a member extract needs a member id")
        x = collect_member_extract(vault, job.group_id, job.member_id, job.start, job.end,
                                   options, people)
        x = replace(x, printed=printed_text(options))
        return Rendered(render_extract(x, options), x.file_stem)
    if job.kind == "signin":
        if job.meeting_id is None:
            raise ValueError("a sign-in sheet needs a meeting id")
        sheet = replace(collect_signin(vault, job.meeting_id, options, people),
                        printed=printed_text(options))
        return Rendered(render_signin(sheet), sheet.file_stem)
    raise ValueError(f"unknown export kind {job.kind!r}")


def save_rendered(vault: Vault, job: ExportJob, rendered: Rendered, dest: Path,
                  password: str | None = None) -> Path:
    """Encrypt (in memory) if asked, write atomically, and record the export.

    `dest` may replace an existing PDF (the caller has asked), never the vault, a backup
    or any other kind of file (`groupleader.data.outputs.check_destination`).
    """
    path = _write_rendered(vault, rendered, dest, password)
    exports.record_export(vault, exports.EXPORT, *job.audit_target)
    return path


def _write_rendered(vault: Vault, rendered: Rendered, dest: Path, password: str | None
                    ) -> Path:
    dest = check_destination(dest, Kind.PDF, vault_path=vault.path, replace=True)
    return write_pdf(dest, finish_pdf(rendered.data, password))


def export_job(vault: Vault, job: ExportJob, options: ReportOptions, dest: Path,
               password: str | None = None) -> Path:
    return save_rendered(vault, job, render_job(vault, job, options), dest, password)


def export_sessions(
    vault: Vault, group_id: int, meeting_ids: Sequence[int], folder: Path,
    options: ReportOptions, password: str | None = None,
    progress: Progress | None = None, cancelled: Cancelled | None = None,
) -> BatchResult:
    """One PDF per session into `folder`, named by group, number and date.

    Checks `cancelled` before each session; files already written stay (each is whole).
    The folder must exist: it is never created (a missing one may be an unmounted drive).
    """
    folder = check_folder(folder)
    # one member list and redaction for the batch (the group's alone when none is hidden),
    # noting nothing for a review: no one reviews a batch while it is written
    people = replace(load_people(vault, group_id, everyone=needs_everyone("session", options)),
                     review=False)
    written: list[Path] = []
    unprintable: dict[str, None] = {}
    total = len(meeting_ids)
    with one_folder_sync(folder):  # each file whole or absent; the folder synced once
        for done, meeting_id in enumerate(meeting_ids):
            if cancelled is not None and cancelled():
                return BatchResult(tuple(written), True, total, tuple(unprintable))
            job = ExportJob("session", group_id, meeting_id=meeting_id)
            rendered = render_job(vault, job, options, people)
            unprintable.update(dict.fromkeys(rendered.unprintable))
            try:  # as `save_rendered`, counting the file once it is written
                written.append(_write_rendered(vault, rendered,
                                               folder / f"{rendered.file_stem}.pdf", password))
                exports.record_export(vault, exports.EXPORT, *job.audit_target)
            except GroupLeaderError as err:
                if written:  # "nothing was written" is not true of the batch
                    _say_what_stays(err, len(written), total, folder)
                raise
            if progress is not None:
                progress(done + 1, total)
    return BatchResult(tuple(written), False, total, tuple(unprintable))


# "...; nothing was written." (or overwritten): true of the file, not of the batch
_NOTHING_WRITTEN = re.compile(r"[;,.]?\s*nothing was (?:written|overwritten)"
                              r"(?: or (?:written|overwritten))?\.?\s*$")


def _say_what_stays(err: GroupLeaderError, written: int, total: int, folder: Path) -> None:
    """`err`, met after `written` files of the batch were written, says they were: each is
    whole and stays in `folder` (a full disk stick may be handed on; whoever holds it must
    know what is on it)."""
    said = _NOTHING_WRITTEN.sub("", err.message).rstrip(" ;,.")
    was = "was" if written == 1 else "were"
    err.message = (f"{said}. {written} of the batch's {total} PDF files {was} written into "
                   f"{folder} before this; each is whole and is still there.")
    err.args = (err.message,)

"""The period report as a supervision review, read back with pypdf: documentation counts,
every session with the cancelled ones said to be cancelled, participation per member (a
silent member at a glance), the stage and factors chart; and the session summary's
participant count and start and end times. Checked against the vault through the
services, not against numbers written here."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from statistics import median

import pytest

from groupleader import register_vocab
from groupleader.data import clock
from groupleader.data.demo import build_demo_vault
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import query
from groupleader.data.services import agreement as agreement_svc
from groupleader.data.services import cosign_queue
from groupleader.data.services import groups as groups_svc
from groupleader.data.services import notes as notes_svc
from groupleader.data.services import risk as risk_svc
from groupleader.data.snapshots import MeetingNotes
from groupleader.data.vault import Vault
from groupleader.report import batch
from groupleader.report.collect import collect_session, local, meetings_between
from groupleader.report.collect_period import collect_period
from groupleader.report.model import ReportOptions
from groupleader.report.period_report import render_period
from groupleader.report.session_summary import render_session
from tests.conftest import TEST_KDF_ITER
from tests.report.conftest import Clinic, at
from tests.report.pdfcheck import all_text, flat

DEMO_TODAY = date(2025, 6, 2)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Vault:
    path = tmp_path_factory.mktemp("demo") / "demo.vault"
    build_demo_vault(path, "demo passphrase", test_kdf_iter=TEST_KDF_ITER, today=DEMO_TODAY)
    return Vault.open(path, "demo passphrase", test_kdf_iter=TEST_KDF_ITER)


def period_text(vault: Vault, group_id: int, **options: object) -> str:
    rendered = batch.render_job(vault, batch.ExportJob("period", group_id),
                                ReportOptions(**options))
    return flat(all_text(rendered.data))


def _notes(vault: Vault, group_id: int) -> list[MeetingNotes]:
    return [query(vault, notes_svc.load_meeting_notes, m.id)
            for m in meetings_between(vault, group_id, None, None) if m.status == "held"]


def _days(n: int) -> str:
    return f"{n:g} day" if n == 1 else f"{n:g} days"


def test_the_demo_period_reports_hold_every_session_and_the_documentation_counts(
        demo: Vault) -> None:
    groups = query(demo, groups_svc.list_groups, include_archived=True)
    awaiting_by_group = {g.id: 0 for g in groups}
    for row in query(demo, cosign_queue.awaiting_cosign):
        awaiting_by_group[row.group_id] += 1
    cancelled_seen = 0
    for group in groups:
        text = period_text(demo, group.id)
        statuses = [s for n in _notes(demo, group.id)
                    for s in ([n.group_note.status] if n.group_note else [])
                    + [x.status for x in n.member_notes]]
        unsigned = sum(1 for s in statuses if not s.signed)
        cosigned = sum(1 for s in statuses if s.cosigned_at is not None)
        assert unsigned and cosigned, "the demo has unsigned and co-signed notes"
        assert f"Notes {len(statuses)} group and member notes" in text
        assert f"Unsigned {unsigned} " in text
        assert f"Awaiting co-sign {awaiting_by_group[group.id]} signed, not yet" in text
        assert f"Co-signed {cosigned} " in text
        delays = []
        for n in _notes(demo, group.id):
            day = local(n.meeting.starts_at).date()
            for s in ([n.group_note.status] if n.group_note else []) + [
                    x.status for x in n.member_notes]:
                if s.signed_at is not None:
                    delays.append((local(s.signed_at).date() - day).days)
        assert f"Median days to signature {_days(median(delays))}" in text
        for m in meetings_between(demo, group.id, None, None):
            t = local(m.starts_at)
            when = f"{m.label} {t:%a} {t.day} {t:%b %Y %H:%M}"
            assert when in text, when
            if m.status == "cancelled":
                assert f"{when} Cancelled" in text
                cancelled_seen += 1
            elif m.status == "held":
                assert f"{when} Held" in text
    assert cancelled_seen >= 1, "the demo has a cancelled session"


def test_the_demo_period_reports_hold_every_risk_entry_incident_and_absence(
        demo: Vault) -> None:
    today = clock.today()
    entries = incidents = absences = 0
    states: set[tuple[bool, bool]] = set()
    for group in query(demo, groups_svc.list_groups, include_archived=True):
        text = period_text(demo, group.id)
        top = text[text.index("Risk register"):text.index("Documentation")]
        for e in query(demo, risk_svc.register, group.id):
            status = e.line(today)
            for expected in (e.member_name, register_vocab.KIND_LABELS[e.kind],
                             e.observed.strip(), e.action_taken.strip(), status):
                assert expected in top, expected
            for r in e.reviews:
                assert r.note.strip() in top, r.note
            if e.closing_note:
                assert f"Closing note: {e.closing_note.strip()}" in top
            states.add((e.is_open, e.overdue(today)))
            entries += 1
        for i in query(demo, agreement_svc.group_incidents, group.id):
            for expected in (i.rule_title, i.what_happened.strip(), i.worked_with.strip(),
                             *i.member_names, *(f.note.strip() for f in i.followups)):
                assert expected in top, expected
            incidents += 1
        missed = text[text.index("Absences without notice and"):text.index("Participation")]
        for n in _notes(demo, group.id):
            for a in n.attendance:
                if a.status == "absent_no_notice":
                    assert f"{a.display_name} {n.meeting.label}," in missed
                    if a.contacted:
                        assert "Contacted" in missed and a.contact_note.strip() in missed
                    absences += 1
    assert entries >= 3 and incidents >= 1 and absences >= 1
    assert (True, True) in states and (False, False) in states  # open overdue, closed


def test_a_deidentified_demo_review_names_no_member_in_its_participation(
        demo: Vault) -> None:
    group = query(demo, groups_svc.list_groups)[0]
    named = collect_period(demo, group.id, None, None, ReportOptions())
    hidden = collect_period(demo, group.id, None, None, ReportOptions(deidentify=True))
    text = period_text(demo, group.id, deidentify=True)
    assert len(named.participation) == len(hidden.participation) > 3
    for row in named.participation:  # pypdf may give right-to-left words reversed
        assert row.name not in text and row.name[::-1] not in text, row.name
    for row in hidden.participation:
        if not any(unicodedata.bidirectional(c) in ("R", "AL") for c in row.name):
            assert row.name in text, row.name


def test_participation_counts_remarks_and_shows_a_silent_member(clinic: Clinic) -> None:
    olga = clinic.members["Ольга Петрова"]
    ops_meetings.record_attendance(clinic.vault, clinic.draft_meeting, olga, "present")
    report = collect_period(clinic.vault, clinic.group_id, None, None, ReportOptions())
    rows = {r.name: r for r in report.participation}
    interactions = [i for n in _notes(clinic.vault, clinic.group_id) for i in n.interactions]
    tom = clinic.members[next(k for k in clinic.members if k.startswith("Tom"))]
    spoke = sum(i.count for i in interactions if i.speaker.member_id == tom)
    heard = sum(i.count for i in interactions if i.to is not None and i.to.member_id == tom)
    tom_row = next(r for r in report.participation if r.name.startswith("Tom"))
    assert (tom_row.spoke, tom_row.spoken_to, tom_row.silent_sessions) == (spoke, heard, 0)
    assert spoke > 0 and heard > 0
    silent = rows["Ольга Петрова"]
    assert silent.silent and (silent.spoke, silent.attended, silent.silent_sessions) == (0, 1, 1)
    assert not rows["Mia"].silent
    text = flat(all_text(render_period(report)))
    assert "Participation" in text and "Ольга Петрова 1 0 0 1 of 1 · silent throughout" in text
    assert text.count("silent throughout") == 1


def test_the_chart_shows_each_sessions_stage_and_factors(clinic: Clinic) -> None:
    report = collect_period(clinic.vault, clinic.group_id, None, None, ReportOptions())
    notes = _notes(clinic.vault, clinic.group_id)
    assert [p.label for p in report.stage_points] == [str(n.meeting.number) for n in notes]
    for p, n in zip(report.stage_points, notes, strict=True):
        assert n.group_note is not None
        assert report.stage_names[p.stage or 0].lower() == n.group_note.fields.stage
        assert len(p.factors) == len(n.group_note.fields.factors)
    text = flat(all_text(render_period(report)))
    chart = text[text.index("Stage and therapeutic factors, session by session"):]
    for row in ("Stage: Orientation", "Stage: Working", "Universality", "Catharsis",
                "Group cohesiveness"):
        assert row in chart, row
    assert "Altruism" not in chart.split("Squares:")[0]  # a factor never noted has no row


def test_a_cancelled_and_a_scheduled_session_are_listed_as_such(clinic: Clinic) -> None:
    gone = ops_meetings.schedule_meeting(clinic.vault, clinic.group_id,
                                         at(date(2025, 3, 18))).value
    ops_meetings.cancel_meeting(clinic.vault, gone.id)
    ops_meetings.schedule_meeting(clinic.vault, clinic.group_id, at(date(2025, 3, 25)))
    report = collect_period(clinic.vault, clinic.group_id, None, None, ReportOptions())
    text = flat(all_text(render_period(report)))
    assert "Session 3 Tue 18 Mar 2025 18:00 Cancelled" in text
    assert "Tue 25 Mar 2025 18:00 Scheduled, not marked held" in text
    assert "Sessions held 2 Cancelled 1" in text
    assert [line.status for line in report.session_lines] == [
        "Held", "Held", "Cancelled", "Scheduled, not marked held"]


def test_the_summary_prints_the_participant_count_and_the_start_and_end(
        clinic: Clinic) -> None:
    summary = collect_session(clinic.vault, clinic.draft_meeting, ReportOptions())
    notes = query(clinic.vault, notes_svc.load_meeting_notes, clinic.draft_meeting)
    came = sum(1 for a in notes.attendance if a.status in ("present", "late"))
    leaders = len(notes.meeting.leaders)
    assert came == 3 and leaders == 2
    text = flat(all_text(render_session(summary)))
    start = local(notes.meeting.starts_at)
    end = local(notes.meeting.starts_at + timedelta(minutes=notes.meeting.length_minutes))
    assert (start.hour, end.hour, end.minute) == (18, 19, 30)
    assert (f"Date and time {start:%a} {start.day} {start:%b %Y}, {start:%H:%M} to "
            f"{end:%H:%M}, {notes.meeting.length_minutes} minutes") in text
    assert f"Participants {came} members and {leaders} leaders" in text


def test_the_demo_period_report_shows_who_left_early(demo: Vault) -> None:
    """Left early shows in the attendance grid as late does ("P E20"), in the session's
    column of the member's row, and the legend says what E means."""
    seen = 0
    for group in query(demo, groups_svc.list_groups, include_archived=True):
        report = collect_period(demo, group.id, None, None, ReportOptions())
        columns = [n.meeting.id for n in _notes(demo, group.id)]
        rows = {r.name: r for r in report.grid}
        text = period_text(demo, group.id)
        for n in _notes(demo, group.id):
            for a in n.attendance:
                if a.minutes_left_early:
                    row = next(r for name, r in rows.items() if name.startswith(
                        a.display_name.split()[0]))
                    cell = row.cells[columns.index(n.meeting.id)]
                    assert cell.endswith(f"E{a.minutes_left_early}") and cell[:1] in "PL"
                    assert cell in text
                    seen += 1
        if seen:
            assert "E left early (minutes)" in text
    assert seen >= 1, "the demo has a member who left early"


def test_the_demo_stage_chart_counts_each_stage_on_its_own_row(demo: Vault) -> None:
    """"Stage: Orientation 3 of 21", "Stage: Cohesion … of 21": a count per stage row,
    from the group notes, never the number of sessions with any stage on the first row."""
    for group in query(demo, groups_svc.list_groups, include_archived=True):
        report = collect_period(demo, group.id, None, None, ReportOptions())
        points = report.stage_points
        if len(points) > 40:  # more than one chart: the counts are per chart
            continue
        text = period_text(demo, group.id)
        chart = text[text.index("Stage and therapeutic factors, session by session"):]
        staged = [p.stage for p in points if p.stage is not None]
        assert len(set(staged)) > 1, "the demo's groups move through several stages"
        for r, name in enumerate(report.stage_names):
            count = staged.count(r)
            assert f"Stage: {name} {count} of {len(points)}" in chart, (name, count)

"""The demo vault shows the register (issue 16): open and closed risk entries (one
overdue), an incident against the agreement in both members' histories, a member who
left early and an absence without notice followed up, all inside signed sessions that
still verify."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from groupleader.data.operations import query
from groupleader.data.services import agreement, groups, meetings, risk
from groupleader.data.vault import Vault
from tests.conftest import open_vault
from tests.data.test_demo import TODAY, _build


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo-register") / "demo.vault"
    _build(path)
    return path


@pytest.fixture
def dv(built: Path) -> Iterator[Vault]:
    vault = open_vault(built)
    yield vault
    vault.close()


def test_open_closed_and_overdue_risk_entries(dv: Vault) -> None:
    entries = [e for g in query(dv, groups.list_groups)
               for e in query(dv, risk.register, g.id)]
    opened = [e for e in entries if e.is_open]
    closed = [e for e in entries if not e.is_open]
    assert opened and closed
    assert all(e.closing_note for e in closed)
    assert any(e.overdue(TODAY) for e in opened)
    assert any(e.locked for e in entries)  # opened in a signed session
    assert dv.verify().problems == []


def test_an_incident_against_the_agreement_in_both_histories(dv: Vault) -> None:
    incidents = [i for g in query(dv, groups.list_groups)
                 for i in query(dv, agreement.group_incidents, g.id)]
    assert incidents
    incident = incidents[0]
    rules = {r.title for r in query(dv, agreement.list_rules, incident.group_id)}
    assert incident.rule_title in rules and len(incident.member_ids) == 2
    for member_id in incident.member_ids:
        assert incident.id in [i.id for i in query(dv, agreement.member_incidents, member_id)]
    assert incident.followups and incident.current_status == "resolved"


def test_a_member_left_early_and_an_absence_was_followed_up(dv: Vault) -> None:
    rows = [r for g in query(dv, groups.list_groups)
            for m in query(dv, meetings.list_meetings, g.id) if m.status == "held"
            for r in query(dv, meetings.attendance_for, m.id)]
    assert any(r.minutes_left_early and r.status in ("present", "late") for r in rows)
    followed = [r for r in rows if r.contacted]
    assert followed and all(r.status == "absent_no_notice" and r.contacted_on
                            and r.contact_note for r in followed)

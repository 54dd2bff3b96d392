"""The data layer's clock: real time by default, frozen only inside `frozen_at`."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from groupleader.data import clock
from groupleader.data.models import AuditEvent
from groupleader.data.operations import notes as ops_notes
from groupleader.data.snapshots import GroupNoteFields
from groupleader.data.vault import Vault
from tests.conftest import PIN
from tests.data.conftest import World

MOMENT = datetime(2024, 6, 3, 9, 30, tzinfo=UTC)


def test_now_is_the_real_time_in_utc_outside_frozen_at() -> None:
    before = datetime.now(UTC)
    now = clock.now()
    after = datetime.now(UTC)
    assert before <= now <= after
    assert now.utcoffset() == timedelta(0)
    assert not clock.is_frozen()


def test_frozen_at_fixes_now_and_today_then_restores_the_real_time() -> None:
    with clock.frozen_at(MOMENT) as frozen:
        assert frozen == MOMENT and clock.now() == MOMENT and clock.is_frozen()
        assert clock.today() == MOMENT.astimezone().date()
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)
    assert not clock.is_frozen()


def test_frozen_at_keeps_an_aware_moment_in_utc() -> None:
    east = datetime(2024, 6, 3, 11, 30, tzinfo=timezone(timedelta(hours=2)))
    with clock.frozen_at(east):
        assert clock.now() == MOMENT and clock.now().tzinfo == UTC


def test_frozen_blocks_nest_and_a_raising_block_still_restores() -> None:
    later = MOMENT + timedelta(days=1)
    with clock.frozen_at(MOMENT):
        with pytest.raises(RuntimeError), clock.frozen_at(later):
            assert clock.now() == later
            raise RuntimeError("boom")
        assert clock.now() == MOMENT
    assert not clock.is_frozen()


def test_a_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError), clock.frozen_at(datetime(2024, 6, 3, 9, 30)):
        pass
    assert not clock.is_frozen()


def test_freezing_on_one_thread_leaves_other_threads_on_real_time() -> None:
    seen: list[datetime] = []
    with clock.frozen_at(MOMENT):
        t = threading.Thread(target=lambda: seen.append(clock.now()))
        t.start()
        t.join()
    assert seen and seen[0] != MOMENT
    assert abs(seen[0] - datetime.now(UTC)) < timedelta(seconds=5)


def test_signing_outside_frozen_at_is_stamped_with_the_real_time(
    vault: Vault, world: World
) -> None:
    note = ops_notes.save_group_note(vault, world.held, GroupNoteFields(themes="Trust")).value
    before = datetime.now(UTC)
    status = ops_notes.sign_note(vault, "group", note.id, world.lead, pin=PIN).value
    after = datetime.now(UTC)
    assert status.signed_at is not None and before <= status.signed_at <= after


def test_signing_inside_frozen_at_stamps_the_signature_and_its_audit_event(
    vault: Vault, world: World
) -> None:
    note = ops_notes.save_group_note(vault, world.held, GroupNoteFields(themes="Trust")).value
    with clock.frozen_at(MOMENT):
        status = ops_notes.sign_note(vault, "group", note.id, world.lead, pin=PIN).value
        cosigned = ops_notes.cosign_note(vault, "group", note.id, world.sup, pin=PIN).value
        added = ops_notes.add_addendum(vault, "group", note.id, world.co, "A later word.",
                                       pin=PIN).value
    assert status.signed_at == MOMENT and cosigned.cosigned_at == MOMENT
    assert added.addenda[0].created_at == MOMENT
    with vault.unit_of_work() as db:
        last = db.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
    assert (last.action, last.at) == ("note.group.addendum", MOMENT)

"""The data layer's one clock: every service and the audit trail ask it for "now".

A clinical record stamps signatures, co-signatures, addenda, saves and audit events
with the real time, and no caller may pass a time of its own. `frozen_at` is the only
way to move the clock, and it is for exactly two callers:

- the demo builder, so that invented records read as if written week by week (a note
  of a session three months ago signed the day after it, not on the day the demo was
  built);
- tests that need a fixed moment.

The program itself never calls `frozen_at`. The frozen moment belongs to the thread that
froze it (a demo built on a worker thread leaves the clock of every other thread alone),
and it is restored on leaving the block, even when the block raises.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

_local = threading.local()


def now() -> datetime:
    """The current moment, aware, in UTC (the frozen one inside `frozen_at`)."""
    frozen: datetime | None = getattr(_local, "frozen", None)
    return frozen if frozen is not None else datetime.now(UTC)


def today() -> date:
    """Today's date in this computer's time zone, by `now()`."""
    return now().astimezone().date()


def is_frozen() -> bool:
    """True inside `frozen_at` on this thread."""
    return getattr(_local, "frozen", None) is not None


@contextmanager
def frozen_at(moment: datetime) -> Iterator[datetime]:
    """FOR THE DEMO BUILDER AND TESTS ONLY: `now()` returns `moment` on this thread.

    `moment` must be aware; it is kept in UTC. Blocks may nest (the inner one wins until
    it ends). Yields the moment as `now()` will return it.
    """
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise ValueError("frozen_at needs an aware datetime")
    previous: datetime | None = getattr(_local, "frozen", None)
    _local.frozen = moment.astimezone(UTC)
    try:
        yield _local.frozen
    finally:
        _local.frozen = previous

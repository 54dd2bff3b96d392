"""The whole day, the recurring session included, never touches the network."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from tests.e2e import workflow as wf
from tests.e2e.workflow import Day


def test_the_whole_day_opens_no_socket_and_looks_up_no_host(
    day: Day, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[str] = []

    def forbidden(name: str) -> Any:
        def refuse(*args: Any, **kwargs: Any) -> Any:
            attempts.append(f"socket.{name}{args!r}")
            # Raised inside a Qt slot, pytest-qt fails the test too; the list is for
            # the message.
            raise AssertionError(f"the program tried the network: socket.{name}")

        return refuse

    for name in ("socket", "create_connection", "getaddrinfo"):
        monkeypatch.setattr(socket, name, forbidden(name))
    with pytest.raises(AssertionError):  # the guard itself works
        socket.create_connection(("example.org", 80))
    attempts.clear()

    wf.set_up(day)
    wf.first_session(day)
    wf.lock_and_unlock(day)
    with day.actions.phase("recurring"):
        wf.recurring_session(day)
    day.window.close()
    day.modals.check_done()
    assert attempts == []
    assert len(day.pdfs) == 2 and all(p.stat().st_size > 0 for p in day.pdfs)

"""Every engine of the process shares one cache of compiled statements: an unlock again
(a new engine over a new connection) runs the first view's reads without compiling any of
them again, and two vaults open side by side still read only their own records."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy.sql import compiler

from groupleader.data import vault as vault_module
from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import query
from groupleader.data.services import groups as groups_svc
from groupleader.data.services import meetings
from groupleader.data.snapshots import GroupSpec
from groupleader.data.vault import Vault
from tests.conftest import open_vault


@contextmanager
def compiles(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The SQL of every statement compiled inside the block."""
    seen: list[str] = []
    real = compiler.SQLCompiler.__init__

    def counting(self: compiler.SQLCompiler, *args: object, **kwargs: object) -> None:
        real(self, *args, **kwargs)  # type: ignore[arg-type]
        seen.append(self.string)

    with monkeypatch.context() as patch:
        patch.setattr(compiler.SQLCompiler, "__init__", counting)
        yield seen


def first_view(vault: Vault) -> None:
    """What the window reads first: the groups, then a group's session list."""
    group_id = query(vault, groups_svc.list_groups)[0].id
    query(vault, meetings.meeting_overview, group_id, 7)


def test_unlock_again_compiles_nothing_the_first_open_compiled(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    ops_groups.create_group(vault, GroupSpec(name="Tuesday group", kind="self_help"))
    vault_module._STATEMENTS.clear()  # as at the program's start (other tests ran before)
    with compiles(monkeypatch) as seen:
        first_view(vault)
    assert len(seen) >= 5  # the first open compiles each statement once
    path = vault.path
    vault.close()
    again = open_vault(path)
    try:
        with compiles(monkeypatch) as seen:
            first_view(again)
        assert seen == []
    finally:
        again.close()


def test_two_vaults_open_at_once_read_their_own_records(
    vault_factory: Callable[..., Vault],
) -> None:
    one, two = vault_factory("one.vault"), vault_factory("two.vault")
    ops_groups.create_group(one, GroupSpec(name="Monday group", kind="self_help"))
    ops_groups.create_group(two, GroupSpec(name="Friday group", kind="self_help"))
    for _ in range(2):  # the second time, each reads through the other's compiled form
        assert [g.name for g in query(one, groups_svc.list_groups)] == ["Monday group"]
        assert [g.name for g in query(two, groups_svc.list_groups)] == ["Friday group"]

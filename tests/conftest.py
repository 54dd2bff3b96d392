"""Shared fixtures: real SQLCipher vaults in tmp_path, and no test touches real user data."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from groupleader.data.vault import Vault

# Test-only: SQLCipher's production key derivation (256,000 PBKDF2 rounds) makes every
# open take a tenth of a second; tests use this many instead. Never used outside tests.
TEST_KDF_ITER = 256
PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point every per-user folder (data, config, cache) at a temporary one."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
    ):
        (home / sub).mkdir()
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("GROUPLEADER_PASSPHRASE", raising=False)
    # A child process (the CLI tests, the kill tests) fails on a warning as this one does.
    monkeypatch.setenv("PYTHONWARNINGS", "error")


@pytest.fixture
def passphrase() -> str:
    return PASSPHRASE


@pytest.fixture
def vault_factory(tmp_path: Path) -> Iterator[Callable[..., Vault]]:
    opened: list[Vault] = []

    def make(name: str = "v.vault", passphrase: str = PASSPHRASE) -> Vault:
        vault = Vault.create(tmp_path / name, passphrase, test_kdf_iter=TEST_KDF_ITER)
        opened.append(vault)
        return vault

    yield make
    for vault in opened:
        vault.close()


@pytest.fixture
def vault(vault_factory: Callable[..., Vault]) -> Vault:
    return vault_factory()


def open_vault(path: Path, passphrase: str = PASSPHRASE) -> Vault:
    return Vault.open(path, passphrase, test_kdf_iter=TEST_KDF_ITER)

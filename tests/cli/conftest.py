"""One clinic vault made with production key derivation (the CLI opens vaults that way),
built once per test session and shared by the CLI tests, which copy it before changing it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from groupleader.data.vault import Vault
from tests.report.conftest import build_clinic

PASS = "a long enough passphrase"


@pytest.fixture(scope="session")
def clinic_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "clinic.vault"
    with Vault.create(path, PASS) as vault:
        build_clinic(vault)
    return path


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """The passphrase in a file, as a user would keep it (with its line break)."""
    f = tmp_path / "pass.txt"
    f.write_text(PASS + "\n", encoding="utf-8")
    return f


def writable_copy(clinic_file: Path, tmp_path: Path) -> Path:
    """A copy of the shared clinic vault that a test may write to."""
    copy = tmp_path / "copy.vault"
    shutil.copyfile(clinic_file, copy)
    return copy

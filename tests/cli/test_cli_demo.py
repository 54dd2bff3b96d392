"""`groupleader demo VAULT` end to end, as a newcomer or a script would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from groupleader.cli import build_parser, main
from groupleader.data.operations import query
from groupleader.data.services import groups, members
from groupleader.data.vault import Vault

ROOT = Path(__file__).resolve().parents[2]
PHRASE = "a demo passphrase, ünïcode too"


def gl(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "GROUPLEADER_PASSPHRASE"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "groupleader", *args],
        capture_output=True, text=True, cwd=ROOT, env=full_env, stdin=subprocess.DEVNULL,
        timeout=300,
    )


@pytest.mark.slow
def test_demo_writes_a_vault_that_verifies_and_holds_the_demo(tmp_path: Path) -> None:
    vault = tmp_path / "demo.vault"
    r = gl("demo", str(vault), env={"GROUPLEADER_PASSPHRASE": PHRASE})
    assert r.returncode == 0, r.stderr
    assert f"Wrote a demo vault of invented records to {vault}." in r.stdout
    assert r.stderr == ""
    if sys.platform != "win32":
        assert vault.stat().st_mode & 0o777 == 0o600  # private, whatever the umask

    secret = tmp_path / "pass.txt"
    secret.write_text(PHRASE + "\n", encoding="utf-8")
    r = gl("verify", str(vault), "--passphrase-file", str(secret))
    assert r.returncode == 0, r.stderr

    with Vault.open(vault, PHRASE) as opened:  # the production key derivation
        assert sorted(g.name for g in query(opened, groups.list_groups)) == [
            "Living with Loss", "Thursday Evening Group"]
        assert len(query(opened, members.list_members)) == 13


def test_demo_refuses_an_existing_file_without_asking_or_touching_it(tmp_path: Path) -> None:
    vault = tmp_path / "clinic.vault"
    vault.write_bytes(b"my real records")
    secret = tmp_path / "pass.txt"
    secret.write_text(PHRASE, encoding="utf-8")
    r = gl("demo", str(vault), "--passphrase-file", str(secret))
    assert r.returncode == 1
    assert r.stderr.count("\n") == 1 and "already exists" in r.stderr
    assert "Traceback" not in r.stderr
    assert vault.read_bytes() == b"my real records"


def test_demo_refuses_a_short_passphrase_and_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GROUPLEADER_PASSPHRASE", "short")
    vault = tmp_path / "demo.vault"
    assert main(["demo", str(vault)]) == 1
    assert "at least 8 characters" in capsys.readouterr().err
    assert not vault.exists()


def test_demo_without_a_passphrase_says_how_to_give_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "demo.vault"
    assert main(["demo", str(vault)]) == 1  # stdin is not a terminal under pytest
    err = capsys.readouterr().err
    assert "--passphrase-file" in err and "GROUPLEADER_PASSPHRASE" in err
    assert not vault.exists()


def test_demo_is_listed_among_the_commands() -> None:
    assert "demo" in build_parser().format_help()

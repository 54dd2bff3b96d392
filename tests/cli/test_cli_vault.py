"""The vault commands end to end, as a shell script would call them, with exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def gl(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "GROUPLEADER_PASSPHRASE"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "groupleader", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=full_env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    f = tmp_path / "pass.txt"
    f.write_text('it\'s a "long"; phrase ü\n', encoding="utf-8")
    return f


def test_init_verify_backup_passwd(tmp_path: Path, secret: Path) -> None:
    vault = tmp_path / "clinic.vault"
    r = gl("init", str(vault), "--passphrase-file", str(secret))
    assert r.returncode == 0, r.stderr
    assert "Created an encrypted vault" in r.stdout
    assert vault.exists()

    r = gl("verify", str(vault), "--passphrase-file", str(secret))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("OK:") and len(r.stdout.strip().splitlines()) == 1

    backups = tmp_path / "backups"
    backups.mkdir()
    r = gl("backup", str(vault), str(backups), "--passphrase-file", str(secret))
    assert r.returncode == 0, r.stderr
    [copy] = list(backups.iterdir())
    r = gl("verify", str(copy), "--passphrase-file", str(secret))
    assert r.returncode == 0, r.stderr

    new = tmp_path / "new.txt"
    new.write_text("another passphrase entirely\n", encoding="utf-8")
    r = gl(
        "passwd", str(vault), "--passphrase-file", str(secret), "--new-passphrase-file", str(new)
    )
    assert r.returncode == 0, r.stderr
    r = gl("verify", str(vault), "--passphrase-file", str(secret))
    assert r.returncode == 1
    r = gl("verify", str(vault), env={"GROUPLEADER_PASSPHRASE": "another passphrase entirely"})
    assert r.returncode == 0, r.stderr


def test_user_errors_exit_1_with_one_line(tmp_path: Path, secret: Path) -> None:
    vault = tmp_path / "v.vault"
    assert gl("init", str(vault), "--passphrase-file", str(secret)).returncode == 0
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not it at all")
    cases = [
        gl("verify", str(vault), "--passphrase-file", str(wrong)),
        gl("verify", str(tmp_path / "missing.vault"), "--passphrase-file", str(secret)),
        gl("init", str(vault), "--passphrase-file", str(secret)),  # exists already
        gl("verify", str(vault)),  # no passphrase and no terminal
    ]
    (tmp_path / "garbage.vault").write_bytes(os.urandom(8192))
    cases.append(gl("verify", str(tmp_path / "garbage.vault"), "--passphrase-file", str(secret)))
    for r in cases:
        assert r.returncode == 1, r
        assert "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
        assert r.stderr.startswith("groupleader: ")


def test_bad_usage_exits_2_and_every_command_has_help() -> None:
    assert gl("verify").returncode == 2
    assert gl("no-such-command").returncode == 2
    for command in ("init", "verify", "backup", "passwd"):
        r = gl(command, "--help")
        assert r.returncode == 0 and "--passphrase-file" in r.stdout


@pytest.mark.parametrize("padded", ["    x    ", "-----x-----", "aaaaaaxaaaaaaa", "    ab    "])
def test_init_refuses_a_passphrase_of_one_or_two_letters_padded(
        tmp_path: Path, padded: str) -> None:
    secret = tmp_path / "padded.txt"
    secret.write_text(padded + "\n", encoding="utf-8")
    vault = tmp_path / "weak.vault"
    r = gl("init", str(vault), "--passphrase-file", str(secret))
    assert r.returncode == 1, r.stdout
    assert "padding or repeats" in r.stderr and "Traceback" not in r.stderr
    assert not vault.exists()

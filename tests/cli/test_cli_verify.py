"""`groupleader verify`: each problem on its own line, exit 1, never a note's text or a
name; the vault's own backups are compared with its audit trail automatically."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from groupleader.cli import main
from groupleader.data import audit
from groupleader.data.vault import key_connection
from tests.cli.conftest import PASS
from tests.conftest import ROOT

WORDS = ("Maria", "Kowalski", "sister", "Tom", "Ольга", "safe", "Ada", "Sam Super")


def _raw(path: Path) -> Any:
    conn = sqlcipher3.connect(str(path))
    key_connection(conn, PASS, None)  # the CLI's vaults use the production key derivation
    return conn


def test_verify_lists_each_problem_and_compares_the_backups(
    clinic_file: Path, secret: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "clinic.vault"
    shutil.copy(clinic_file, vault)
    assert main(["backup", str(vault), str(tmp_path), "--passphrase-file", str(secret)]) == 0
    capsys.readouterr()
    assert main(["verify", str(vault), "--passphrase-file", str(secret)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: ") and "checked against 1 backup(s)" in out

    conn = _raw(vault)  # text edited under dropped triggers; the tail of the trail removed
    conn.execute("DROP TRIGGER meeting_notes_locked_update")
    conn.execute("UPDATE meeting_notes SET themes = 'Nothing happened.' WHERE id = 2")
    conn.execute("DROP TRIGGER audit_events_locked_delete")
    last = conn.execute("SELECT max(id) FROM audit_events").fetchone()[0]
    conn.execute("DELETE FROM audit_events WHERE id > ?", (last - 2,))
    conn.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_events'", (last - 2,))
    keys = audit.Keys.of(bytes(conn.execute("SELECT value FROM vault_secrets").fetchone()[0]))
    head = conn.execute("SELECT hash FROM audit_events WHERE id = ?", (last - 2,)).fetchone()[0]
    conn.execute("UPDATE audit_head SET count = ?, head = ?, mac = ?",
                 (last - 2, head, audit.head_mac(keys.head, last - 2, head)))
    conn.commit()
    conn.close()

    assert main(["verify", str(vault), "--passphrase-file", str(secret)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"DAMAGED: {vault}: 4 problem(s). Restore"), lines
    problems = [line.strip() for line in lines[1:]]
    assert "trigger meeting_notes_locked_update is missing" in problems
    assert "trigger audit_events_locked_delete is missing" in problems
    assert any(p.startswith("session 2 (2025-03-11), group note 2: the note's content")
               for p in problems), problems
    assert any(p.startswith("backup clinic.backup-") and "events were deleted" in p
               for p in problems), problems
    for word in WORDS:
        assert word not in "\n".join(lines)

    capsys.readouterr()
    assert main(["verify", str(vault), "--passphrase-file", str(secret), "--no-backups"]) == 1
    assert "3 problem(s)" in capsys.readouterr().out


def test_the_script_in_the_docs_recomputes_every_signature(
    clinic_file: Path, tmp_path: Path
) -> None:
    """docs/signatures.md's script, run as a user would, agrees with every stored digest."""
    doc = (ROOT / "docs" / "signatures.md").read_text(encoding="utf-8")
    script = doc.split("```python\n", 1)[1].split("```", 1)[0]
    (tmp_path / "recompute.py").write_text(script, encoding="utf-8")
    env = {**os.environ, "GROUPLEADER_PASSPHRASE": PASS}
    r = subprocess.run([sys.executable, str(tmp_path / "recompute.py"), str(clinic_file)],
                       capture_output=True, text=True, env=env, timeout=60, check=False)
    assert r.returncode == 0, r.stderr
    rows = [line.split() for line in r.stdout.splitlines()]
    assert len(rows) == 4  # the clinic's signed group note and three member notes
    assert all(len(row) == 3 and row[1] == row[2] and len(row[1]) == 64 for row in rows), rows


def test_verify_leaves_a_vault_made_by_an_earlier_version_as_it_is(
    clinic_file: Path, secret: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An old vault is not upgraded by verify (which would bind any edit made before into
    its signatures): same bytes, no backup, a line that says to open it in the program."""
    from groupleader.data import migrate
    from groupleader.data.vault import Vault
    from tests.data.conftest import downgrade_to

    vault = tmp_path / "old.vault"
    shutil.copy(clinic_file, vault)
    with Vault.open(vault, PASS) as v:
        downgrade_to(v, "0003")
    before = vault.read_bytes()
    files_before = sorted(p.name for p in tmp_path.iterdir())  # with the lock's sidecar

    assert main(["verify", str(vault), "--passphrase-file", str(secret)]) == 1
    out = capsys.readouterr().out
    assert vault.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if "before-upgrade" in p.name]
    assert sorted(p.name for p in tmp_path.iterdir()) == files_before
    lines = out.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"OLD: {vault}: made by an earlier version"), lines
    assert "(schema 0003" in lines[0] and "Open it once in the program" in lines[0]
    assert "DAMAGED" not in out and "OK" not in out

    with Vault.open_for_verify(vault, PASS) as v:
        assert v.read_only and v.outdated_revision == "0003"
        assert v.verify().problems == []  # pages, integrity and foreign keys are sound
    assert vault.read_bytes() == before
    with Vault.open(vault, PASS) as v:  # the program's own open upgrades it, after a backup
        assert v.outdated_revision is None
        assert migrate.current_revision(v.engine) == migrate.head_revision()
    assert [p for p in tmp_path.iterdir() if "before-upgrade" in p.name]


def test_verify_of_an_old_vault_still_finds_a_damaged_page(
    clinic_file: Path, secret: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from groupleader.data.vault import Vault
    from tests.data.conftest import downgrade_to

    vault = tmp_path / "old.vault"
    shutil.copy(clinic_file, vault)
    with Vault.open(vault, PASS) as v:
        downgrade_to(v, "0003")
        v.engine.dispose()
    size = vault.stat().st_size
    with open(vault, "r+b") as fh:  # scramble a page near the end (not the schema's)
        fh.seek(size - 4096 + 100)
        fh.write(os.urandom(64))
    before = vault.read_bytes()
    code = main(["verify", str(vault), "--passphrase-file", str(secret)])
    out = capsys.readouterr().out
    assert code == 1 and vault.read_bytes() == before
    assert "DAMAGED" in out, out

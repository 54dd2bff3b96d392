"""A program killed while it saves, with the vault in WAL mode, loses no committed save.

The child process opens the vault and saves one member note over and over through the
operation (an autosave burst), printing each save's number once the save has returned
(committed). It is SIGKILLed mid-burst, with its -wal file beside the vault. The vault
then opens (SQLite replays the WAL), the note holds the last save the child reported or
a later one, the audit chain and signatures verify, a search finds the last save's text
(its index entry was left for the end of the burst), and closing leaves one file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from groupleader.data import search
from groupleader.data.operations import query
from groupleader.data.services import notes
from groupleader.data.vault import Vault
from tests.conftest import PASSPHRASE, TEST_KDF_ITER, open_vault
from tests.data.conftest import make_world

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

CHILD = textwrap.dedent("""
    import sys
    from groupleader.data.operations import notes as ops_notes
    from groupleader.data.snapshots import MemberNoteFields
    from groupleader.data.vault import Vault
    path, kdf, meeting, member = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    vault = Vault.open(path, sys.argv[5], test_kdf_iter=kdf)
    i = 0
    while True:
        i += 1
        ops_notes.save_member_note(vault, meeting, member,
                                   MemberNoteFields(participation=f"save {i} " + "x" * 400))
        print(i, vault.pragma("journal_mode"), flush=True)
""")


def _kill_mid_burst(path: Path, meeting: int, member: int, saves: int) -> tuple[int, bool]:
    """Run the child until it has reported `saves` saves, SIGKILL it; (last reported save,
    whether a -wal file was beside the vault at the kill)."""
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(TEST_KDF_ITER), str(meeting),
         str(member), PASSPHRASE],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    last, mode = 0, ""
    deadline = time.monotonic() + 60
    try:
        assert child.stdout is not None
        while last < saves and time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                break
            number, mode = line.split()
            last = int(number)
        wal_beside = Path(f"{path}-wal").exists()
        os.kill(child.pid, signal.SIGKILL)
        # Saves reported after the line we read were committed too; read what is left.
        rest, _ = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    for line in rest.splitlines():
        number, mode = line.split()
        last = int(number)
    assert last >= saves and mode == "wal", child.stderr
    return last, wal_beside


def test_a_kill_mid_burst_in_wal_mode_keeps_every_committed_save(vault: Vault) -> None:
    world = make_world(vault)
    path = vault.path
    vault.close()
    for saves in (20, 60):  # killed twice, at other moments of the burst
        last, wal_beside = _kill_mid_burst(path, world.held, world.anna, saves)
        assert wal_beside  # the kill really met the vault in WAL mode
        with open_vault(path) as again:
            loaded = query(again, notes.load_meeting_notes, world.held)
            note = next(n for n in loaded.member_notes if n.member_id == world.anna)
            saved = int(note.fields.participation.split()[1])
            assert saved >= last  # every save the child saw return is in the vault
            assert again.verify().problems == []
            # the burst's search entry, left for its end, is caught up by the next search
            assert note.id in [h.note_id for h in query(again, search.search, f"save {saved}")
                               if h.kind == "member"]
        assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()


def test_verify_reads_a_killed_programs_wal_without_writing(vault: Vault) -> None:
    """`verify` opens read-only: it sees the saves that are still in the WAL a killed
    program left, and leaves the file and its WAL as they were."""
    world = make_world(vault)
    path = vault.path
    vault.close()
    last, wal_beside = _kill_mid_burst(path, world.held, world.anna, 10)
    assert wal_beside
    before = {p.name: p.read_bytes() for p in path.parent.iterdir()
              if p.name.startswith(path.name) and not p.name.endswith(".lock")}
    checked = Vault.open_for_verify(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER)
    try:
        assert checked.verify().problems == []
        loaded = query(checked, notes.load_meeting_notes, world.held)
        note = next(n for n in loaded.member_notes if n.member_id == world.anna)
        assert int(note.fields.participation.split()[1]) >= last
    finally:
        checked.close()
    after = {p.name: p.read_bytes() for p in path.parent.iterdir()
             if p.name.startswith(path.name) and not p.name.endswith(".lock")}
    assert after.keys() == before.keys() and after[path.name] == before[path.name]

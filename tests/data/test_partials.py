"""A write killed half-way leaves a hidden partial file; the next write into that folder
removes it, and never the partial of a write that is still going on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from groupleader.data import atomic
from groupleader.data.atomic import atomic_path, cleanup_partials, write_bytes_atomic

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

# A writer that stops in the middle of its write (half the bytes in the temporary file),
# says so, and waits there to be killed.
WRITER = """
import sys, time
from pathlib import Path
from groupleader.data.atomic import atomic_path
with atomic_path(Path(sys.argv[1])) as tmp:
    tmp.write_bytes(b"%PDF-1.7 half of it")
    print(tmp.name, flush=True)
    time.sleep(120)
"""


def _writer(dest: Path) -> tuple[subprocess.Popen[bytes], Path]:
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(dest)], cwd=ROOT,
                            stdout=subprocess.PIPE)
    assert proc.stdout is not None
    name = proc.stdout.readline().decode().strip()
    assert name, "the writer did not start"
    return proc, dest.parent / name


def _kill(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()


def test_the_next_write_removes_a_killed_writers_partial_and_keeps_a_live_ones(
        tmp_path: Path) -> None:
    killed, killed_partial = _writer(tmp_path / "report.pdf")
    live, live_partial = _writer(tmp_path / "other.pdf")
    try:
        _kill(killed)
        assert killed_partial.exists()  # what a kill leaves: a hidden partial file
        assert killed_partial.name.startswith(".report.pdf.")
        assert killed_partial.stat().st_mode & 0o777 == 0o600  # private from the first byte

        write_bytes_atomic(tmp_path / "report.pdf", b"%PDF-1.7 whole")

        assert not killed_partial.exists()
        assert live_partial.exists()  # its writer still runs: not ours to remove
        assert (tmp_path / "report.pdf").read_bytes() == b"%PDF-1.7 whole"
    finally:
        _kill(live)
    write_bytes_atomic(tmp_path / "third.pdf", b"%PDF-1.7")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf", "third.pdf"]


def test_only_our_own_abandoned_partials_are_removed(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    killed, partial = _writer(tmp_path / "a.vault")
    _kill(killed)
    journal = partial.with_name(partial.name + "-journal")  # what SQLite leaves beside it
    journal.write_bytes(b"x")
    lookalikes = [tmp_path / ".notes.txt.partial", tmp_path / "report.partial",
                  tmp_path / "a.vault", tmp_path / ".a.vault.gl12x-0000.partial"]
    for p in lookalikes:
        p.write_bytes(b"someone else's")
    old_style = tmp_path / ".a.vault.abcd1234.partial"  # the names of earlier versions
    old_style.write_bytes(b"x")
    fresh_old_style = tmp_path / ".b.vault.abcd1235.partial"
    fresh_old_style.write_bytes(b"x")
    hour_ago = time.time() - 3600
    os.utime(old_style, (hour_ago, hour_ago))

    removed = cleanup_partials(tmp_path)

    assert sorted(removed) == sorted([partial, journal, old_style])
    assert all(p.exists() for p in [*lookalikes, fresh_old_style])


def test_a_partial_of_this_process_still_writing_is_kept(tmp_path: Path) -> None:
    with atomic_path(tmp_path / "x.pdf") as tmp:
        tmp.write_bytes(b"%PDF")
        stale = time.time() - 2 * atomic.STALE_AFTER
        os.utime(tmp, (stale, stale))  # even an old-looking one
        assert cleanup_partials(tmp_path) == []
        write_bytes_atomic(tmp_path / "y.pdf", b"%PDF")  # another write in the same folder
        assert tmp.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.pdf", "y.pdf"]


def test_a_long_name_gets_a_partial_name_that_fits(tmp_path: Path) -> None:
    name = "ü" * 125 + ".pdf"  # 254 bytes: the temporary name must be cut, not refused
    write_bytes_atomic(tmp_path / name, b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == [name]

"""A -wal file left by a killed program, with a byte changed in the middle of it (a failing
disk), refuses the vault instead of losing the saves after it.

SQLite takes a log's frames up to the first whose checksum fails and ignores the rest;
the next close would checkpoint and delete the log, so those saves would be gone without
a word. The child process saves one note twelve times (each save a commit in WAL mode)
and ends without closing, as a killed program does."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from groupleader.data.operations import query
from groupleader.data.services import notes
from groupleader.data.vault import Vault
from groupleader.data.wal_check import FRAME_HEADER, HEADER, wal_damage
from groupleader.errors import VaultDamaged
from tests.conftest import PASSPHRASE, TEST_KDF_ITER, open_vault
from tests.data.conftest import World, make_world

SAVES = 12
PAGE = 4096

CHILD = textwrap.dedent("""
    import os, sys
    from groupleader.data.operations import notes as ops_notes
    from groupleader.data.snapshots import MemberNoteFields
    from groupleader.data.vault import Vault
    path, kdf, meeting, member = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    vault = Vault.open(path, sys.argv[5], test_kdf_iter=kdf)
    for i in range(1, int(sys.argv[6]) + 1):
        ops_notes.save_member_note(vault, meeting, member,
                                   MemberNoteFields(participation=f"save {i} " + "x" * 3000))
    os._exit(0)  # no close: the -wal file stays beside the vault
""")


@pytest.fixture(scope="module")
def killed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    """A vault killed with its twelve saves in the -wal file (copied for each case)."""
    path = tmp_path_factory.mktemp("wal") / "killed.vault"
    vault = Vault.create(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER)
    with vault:
        world = make_world(vault)
    assert world.meeting is not None
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    subprocess.run([sys.executable, "-c", CHILD, str(path), str(TEST_KDF_ITER),
                    str(world.meeting), str(world.anna), PASSPHRASE, str(SAVES)],
                   check=True, env=env, capture_output=True, timeout=120)
    assert Path(f"{path}-wal").stat().st_size > HEADER
    return path, world


def _copy(killed: tuple[Path, World], tmp_path: Path) -> Path:
    path = tmp_path / "case.vault"
    for suffix in ("", "-wal"):
        Path(f"{path}{suffix}").write_bytes(Path(f"{killed[0]}{suffix}").read_bytes())
    return path


def _frames(path: Path) -> int:
    return (Path(f"{path}-wal").stat().st_size - HEADER) // (FRAME_HEADER + PAGE)


def _flip(path: Path, frame: int) -> None:
    """Change 8 bytes in the page of `frame` (0-based) of the log, as a failing disk does."""
    at = HEADER + frame * (FRAME_HEADER + PAGE) + FRAME_HEADER + 1000
    with open(f"{path}-wal", "r+b") as f:
        f.seek(at)
        data = f.read(8)
        f.seek(at)
        f.write(bytes(b ^ 0xFF for b in data))


def _digest(path: Path) -> tuple[str, str]:
    return tuple(hashlib.sha256(Path(f"{path}{s}").read_bytes()).hexdigest()  # type: ignore
                 for s in ("", "-wal"))


def _last_text(path: Path, world: World) -> str:
    with open_vault(path) as vault:
        assert world.meeting is not None
        found = query(vault, notes.load_meeting_notes, world.meeting)
        return next(n.fields.participation for n in found.member_notes if n.member_id == world.anna)


def test_an_intact_log_opens_with_every_save(killed: tuple[Path, World], tmp_path: Path) -> None:
    path = _copy(killed, tmp_path)
    assert wal_damage(path) is None
    assert _last_text(path, killed[1]).startswith(f"save {SAVES} ")
    assert not Path(f"{path}-wal").exists()  # closed: one file again


def test_a_changed_frame_mid_log_refuses_the_vault_and_touches_nothing(
        killed: tuple[Path, World], tmp_path: Path) -> None:
    path = _copy(killed, tmp_path)
    frames = _frames(path)
    _flip(path, frames // 2)
    before = _digest(path)
    with pytest.raises(VaultDamaged) as caught:
        open_vault(path)
    message = caught.value.message
    assert f"frame {frames // 2 + 1} of {frames}" in message
    assert "-wal" in message and "restore" in message and "not opened" in message
    assert caught.value.path == path
    assert _digest(path) == before  # neither file was changed, the log is still there


def test_the_command_lines_verify_says_damaged(
        killed: tuple[Path, World], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The log is read before the key is derived: refused whatever the passphrase (a
    wrong one would be a different message)."""
    from groupleader.cli import main

    path = _copy(killed, tmp_path)
    _flip(path, _frames(path) // 2)
    monkeypatch.setenv("GROUPLEADER_PASSPHRASE", PASSPHRASE)
    assert main(["verify", str(path)]) == 1
    said = capsys.readouterr()
    out = said.out + said.err
    assert out.startswith("DAMAGED: ") and "-wal" in out and "frame" in out, out


def test_a_break_in_the_last_commit_alone_is_a_power_cut_and_opens(
        killed: tuple[Path, World], tmp_path: Path) -> None:
    """A torn last frame is what a power cut in the middle of the last save leaves: that
    save had not returned, and the vault opens with the ones before it."""
    path = _copy(killed, tmp_path)
    _flip(path, _frames(path) - 1)
    assert wal_damage(path) is None
    text = _last_text(path, killed[1])
    assert text.startswith(f"save {SAVES - 1} ") or text.startswith(f"save {SAVES} ")


def test_a_log_of_another_vault_beside_it_refuses_and_destroys_nothing(
        killed: tuple[Path, World], tmp_path: Path) -> None:
    """Another vault's -wal (another passphrase) put beside this one: refused at open,
    and neither file is changed (the connection that finds it must not checkpoint it
    into the vault as it closes)."""
    path = _copy(killed, tmp_path)
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    other = other_dir / "other.vault"
    vault = Vault.create(other, "another long passphrase here", test_kdf_iter=TEST_KDF_ITER)
    with vault:
        world = make_world(vault)
    assert world.meeting is not None
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    subprocess.run([sys.executable, "-c", CHILD, str(other), str(TEST_KDF_ITER),
                    str(world.meeting), str(world.anna), "another long passphrase here", "4"],
                   check=True, env=env, capture_output=True, timeout=120)
    Path(f"{path}-wal").write_bytes(Path(f"{other}-wal").read_bytes())
    before = _digest(path)
    with pytest.raises(VaultDamaged) as caught:
        open_vault(path)
    assert _digest(path) == before  # the vault file was not overwritten by the other log
    assert "-wal" in caught.value.message and "not opened" in caught.value.message


@pytest.mark.parametrize("where", [16, 0, "zero"], ids=["salt", "magic", "zeroed"])
def test_a_damaged_log_header_refuses_the_vault(
        killed: tuple[Path, World], tmp_path: Path, where: int | str) -> None:
    """SQLite ignores a whole log whose header fails its check: every save in it would be
    dropped. Its frames still chain to each other, and that is enough to know."""
    path = _copy(killed, tmp_path)
    with open(f"{path}-wal", "r+b") as f:
        if where == "zero":
            f.write(b"\x00" * HEADER)
        else:
            assert isinstance(where, int)
            f.seek(where)
            data = f.read(4)
            f.seek(where)
            f.write(bytes(b ^ 0xFF for b in data))
    before = _digest(path)
    with pytest.raises(VaultDamaged) as caught:
        open_vault(path)
    assert "-wal" in caught.value.message
    assert _digest(path) == before


def test_a_wrong_passphrase_with_a_log_left_beside_changes_neither_file(
        killed: tuple[Path, World], tmp_path: Path) -> None:
    """The log is read through a read-only connection first: a wrong passphrase is said,
    and the log is not folded into the vault by the refused open."""
    from groupleader.errors import WrongPassphrase

    path = _copy(killed, tmp_path)
    before = _digest(path)
    with pytest.raises(WrongPassphrase):
        open_vault(path, "not the passphrase at all")
    assert _digest(path) == before

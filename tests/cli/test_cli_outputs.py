"""Every command that writes a file, given the worst destinations: one sentence, exit 1,
nothing written, nothing replaced; and the vault and its backups are never an output."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from groupleader.cli import main
from groupleader.data import backups
from groupleader.data.vault import Vault
from tests.conftest import TEST_KDF_ITER, open_vault
from tests.report.conftest import build_clinic

PHRASE = "a long enough passphrase"
GROUP = "tuesday process group"


class Place:
    def __init__(self, root: Path, vault: Path, backup: Path) -> None:
        self.root, self.vault, self.backup = root, vault, backup

    def snapshot(self) -> dict[str, bytes | None]:
        """Every path under the test's folder, with each file's bytes."""
        return {str(p.relative_to(self.root)): (None if p.is_dir() or p.is_symlink()
                                                 else p.read_bytes())
                for p in sorted(self.root.rglob("*"))}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A clinic vault (test key derivation) and one backup of it, made once."""
    folder = tmp_path_factory.mktemp("built")
    with Vault.create(folder / "clinic.vault", PHRASE, test_kdf_iter=TEST_KDF_ITER) as vault:
        build_clinic(vault)
        (folder / "backups").mkdir()
        backup = backups.make_backup(vault, folder / "backups")
    return folder / "clinic.vault", backup


@pytest.fixture
def place(built: tuple[Path, Path], tmp_path: Path,
          monkeypatch: pytest.MonkeyPatch) -> Iterator[Place]:
    """This test's own copy of the vault and its backup folder; the CLI opens vaults with
    the test key derivation and reads the passphrase from the environment."""
    vault = tmp_path / "clinic.vault"
    shutil.copyfile(built[0], vault)
    (tmp_path / "backups").mkdir()
    backup = tmp_path / "backups" / built[1].name
    shutil.copyfile(built[1], backup)
    monkeypatch.setenv("GROUPLEADER_PASSPHRASE", PHRASE)
    real_open, real_create = Vault.open, Vault.create
    monkeypatch.setattr(Vault, "open", classmethod(
        lambda cls, p, phrase, **kw: real_open(p, phrase, test_kdf_iter=TEST_KDF_ITER)))
    monkeypatch.setattr(Vault, "create", classmethod(
        lambda cls, p, phrase, **kw: real_create(p, phrase, test_kdf_iter=TEST_KDF_ITER)))
    monkeypatch.chdir(tmp_path)
    yield Place(tmp_path, vault, backup)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


def one_sentence(code: int, err: str) -> None:
    assert code == 1, err
    assert "Traceback" not in err
    assert err.startswith("groupleader: ") and len(err.strip().splitlines()) == 1, err


# The commands that write a file, each as argv for a destination.
COMMANDS: dict[str, Callable[[Place, str], list[str]]] = {
    "export": lambda p, d: ["export", str(p.vault), "--group", GROUP, "--session", "1",
                            "--out", d, "--force"],
    "export --all": lambda p, d: ["export", str(p.vault), "--group", GROUP, "--all",
                                  "--out", d, "--force"],
    "export-roster": lambda p, d: ["export-roster", str(p.vault), "--group", GROUP, d,
                                   "--force"],
    "backup": lambda p, d: ["backup", str(p.vault), d],
    "demo": lambda p, d: ["demo", d],
    "init": lambda p, d: ["init", d],
    "restore": lambda p, d: ["restore", str(p.backup), d],
}

ON_LINUX = sys.platform.startswith("linux")
# The worst destinations, and the commands for which each one is NOT an error (a folder
# is where `export` and `backup` put a dated or named file).
DESTINATIONS: dict[str, tuple[Callable[[Place], str], set[str]]] = {
    "a name over 255 bytes": (lambda p: str(p.root / ("ä" * 130 + ".out")), set()),
    "a folder on an unmounted stick": (
        lambda p: str(p.root / "media" / "usb" / "backups" / "x.out"), set()),
    "an unmounted stick's folder, with a slash": (
        lambda p: str(p.root / "media" / "usb" / "backups") + os.sep, set()),
    "a lone surrogate in the name": (lambda p: str(p.root / "bad\ud800name.out"), set()),
    "an existing folder": (lambda p: str(p.root / "backups"),
                           {"export", "export --all", "backup"}),
    "the vault itself": (lambda p: str(p.vault), {"export"}),  # export adds .pdf
    "one of its backups": (lambda p: str(p.backup), {"export"}),
    "a hard link to the vault": (lambda p: _hard_link(p), {"export"}),
}
if ON_LINUX:
    DESTINATIONS["/proc"] = (lambda p: "/proc/groupleader-test.out", set())
    DESTINATIONS["/sys (permission denied, even for root)"] = (
        lambda p: "/sys/groupleader-test.out", set())


def _hard_link(p: Place) -> str:
    link = p.root / "roster.csv"
    os.link(p.vault, link)
    return str(link)


CASES = [(c, d) for c in COMMANDS for d, (_, fine) in DESTINATIONS.items() if c not in fine]


@pytest.mark.parametrize(("command", "destination"), CASES,
                         ids=[f"{c}: {d}" for c, d in CASES])
def test_a_bad_destination_is_one_sentence_and_changes_nothing(
        place: Place, capsys: pytest.CaptureFixture[str], command: str,
        destination: str) -> None:
    dest = DESTINATIONS[destination][0](place)
    if destination == "a folder on an unmounted stick":
        (place.root / "media").mkdir()  # the empty mount point is there, the stick is not
    before = place.snapshot()

    code, err = run(capsys, *COMMANDS[command](place, dest))

    one_sentence(code, err)
    after = place.snapshot()
    if destination.startswith(("/proc", "/sys")) and command in (
            "export", "export --all", "export-roster", "backup"):
        # the failure comes after the vault was opened (its lock file stays, as after
        # any open), and opening records an audit event: every other file is unchanged
        for name in (place.vault.name, place.vault.name + ".lock"):
            before.pop(name, None)
            after.pop(name, None)
        open_vault(place.vault, PHRASE).close()
    assert after == before
    if destination.startswith(("/proc", "/sys")):
        assert not os.path.lexists(dest) and not os.path.lexists(dest + ".pdf")


@pytest.mark.parametrize("argv", [
    ["export-roster", "{vault}", "--group", "bad\udcffbyte", "out.csv"],
    ["export", "{vault}", "--group", GROUP, "--session", "1", "--out", "x.pdf",
     "--practice", "lone \ud800 surrogate"],
    ["export", "{vault}", "--group", "lone \udc80", "--all", "--out", "."],
])
def test_text_that_is_not_valid_text_is_one_sentence(
        place: Place, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    before = place.snapshot()
    code, err = run(capsys, *[a.format(vault=place.vault) for a in argv])
    one_sentence(code, err)
    assert "not valid text" in err
    assert place.snapshot() == before


def test_export_roster_onto_the_vault_with_force_is_refused(
        place: Place, capsys: pytest.CaptureFixture[str]) -> None:
    before = place.vault.read_bytes()
    link = place.root / "link.csv"
    link.symlink_to(place.vault)
    for target in (place.vault, link):
        code, err = run(capsys, "export-roster", str(place.vault), "--group", GROUP,
                        str(target), "--force")
        one_sentence(code, err)
        assert "vault itself" in err
    assert place.vault.read_bytes() == before
    open_vault(place.vault, PHRASE).close()


def test_export_onto_a_vault_or_a_backup_named_pdf_is_refused(
        place: Place, capsys: pytest.CaptureFixture[str]) -> None:
    named_pdf = place.root / "records.pdf"
    place.vault.rename(named_pdf)  # a vault may have any name
    backup_pdf = place.root / "backups" / "old.pdf"
    shutil.copyfile(place.backup, backup_pdf)
    for target, says in ((named_pdf, "vault itself"), (backup_pdf, "is not a PDF file")):
        before = target.read_bytes()
        code, err = run(capsys, "export", str(named_pdf), "--group", GROUP, "--session", "1",
                        "--out", str(target), "--force")
        one_sentence(code, err)
        assert says in err
        assert target.read_bytes() == before


def test_backup_into_a_missing_folder_writes_no_file_and_makes_no_folder(
        place: Place, capsys: pytest.CaptureFixture[str]) -> None:
    mount = place.root / "media" / "usb"
    mount.mkdir(parents=True)  # the mount point of a stick that is not plugged in
    code, err = run(capsys, "backup", str(place.vault), str(mount / "backups") + "/")
    one_sentence(code, err)
    assert "does not exist" in err
    assert list(mount.iterdir()) == []  # no file named `backups`, no folder either


def test_two_same_named_vaults_backing_up_into_one_folder_keep_their_own(
        place: Place, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "home").mkdir()
    other = tmp_path / "home" / "clinic.vault"
    Vault.create(other, PHRASE, test_kdf_iter=TEST_KDF_ITER).close()
    shared = tmp_path / "stick"
    shared.mkdir()
    for _ in range(4):
        for vault in (place.vault, other):
            assert main(["backup", str(vault), str(shared), "--keep", "3"]) == 0
    assert len(backups.list_backups(shared, place.vault)) == 3
    assert len(backups.list_backups(shared, other)) == 3
    assert len(list(shared.iterdir())) == 6
    assert "Wrote an encrypted backup" in capsys.readouterr().out


def test_restore_writes_a_private_copy_that_opens(
        place: Place, capsys: pytest.CaptureFixture[str]) -> None:
    new = place.root / "restored.vault"
    assert main(["restore", str(place.backup), str(new)]) == 0
    assert "Restored a copy" in capsys.readouterr().out
    assert new.read_bytes() == place.backup.read_bytes()
    assert new.stat().st_mode & 0o777 == 0o600
    open_vault(new, PHRASE).close()
    code, err = run(capsys, "restore", str(place.backup), str(new))  # never over a file
    one_sentence(code, err)
    assert "Nothing was restored or overwritten" in err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_every_file_the_commands_write_is_private(
        place: Place, capsys: pytest.CaptureFixture[str]) -> None:
    old = os.umask(0o022)  # the usual umask, which would make files 0644
    try:
        out = place.root / "out"
        out.mkdir()
        assert main(["export", str(place.vault), "--group", GROUP, "--session", "1",
                     "--out", str(out / "one.pdf")]) == 0
        (out / "all").mkdir()
        assert main(["export", str(place.vault), "--group", GROUP, "--all",
                     "--out", str(out / "all")]) == 0
        assert main(["export-roster", str(place.vault), "--group", GROUP,
                     str(out / "roster.csv")]) == 0
        assert main(["backup", str(place.vault), str(out / "copy.vault")]) == 0
        assert main(["backup", str(place.vault), str(out), "--keep", "2"]) == 0
        assert main(["restore", str(place.backup), str(out / "restored.vault")]) == 0
        assert main(["init", str(out / "new.vault")]) == 0
    finally:
        os.umask(old)
    written = sorted(p for p in out.rglob("*") if p.is_file())
    assert len(written) == 9
    assert {p.name: oct(p.stat().st_mode & 0o777) for p in written} == {
        p.name: "0o600" for p in written}


@pytest.mark.skipif(not ON_LINUX, reason="file names are bytes on Linux")
def test_a_file_name_that_is_not_utf8_is_written_and_printed_escaped(
        place: Place, capsys: pytest.CaptureFixture[str]) -> None:
    latin1 = os.fsdecode(b"roster-\xff")  # as a shell passes a Latin-1 name: a surrogate
    assert main(["export-roster", str(place.vault), "--group", GROUP,
                 str(place.root / f"{latin1}.csv")]) == 0
    assert os.path.exists(os.fsencode(place.root) + b"/roster-\xff.csv")
    assert "roster-\\udcff.csv" in capsys.readouterr().out
    # SQLite takes names as UTF-8 text: a backup so named is refused in a sentence
    code, err = run(capsys, "backup", str(place.vault), str(place.root / f"{latin1}.vault"))
    one_sentence(code, err)
    assert "valid UTF-8" in err

"""The command line on storage that refuses: verify, export and backup leave the vault's
bytes alone and work on read-only media; a damaged page is DAMAGED with the backup to
restore; passwd on a full disk changes nothing; odd paths are one line and exit 1."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest

from groupleader import cli_common
from groupleader.cli import main
from groupleader.data import backups
from groupleader.data.vault import Vault
from groupleader.paths import default_backup_dir
from groupleader.ui import settings as ui_settings
from tests.cli.conftest import PASS
from tests.storage_support import (
    damage_a_middle_page,
    run_unprivileged,
    sha256,
    sidecars,
    small_filesystem,
)

GROUP = "tuesday process group"


@pytest.fixture
def clinic(clinic_file: Path, tmp_path: Path) -> Path:
    """A fresh copy of the clinic for each test (the tests change modes, pages, disks)."""
    folder = tmp_path / "vaults"
    folder.mkdir()
    path = folder / "clinic.vault"
    shutil.copyfile(clinic_file, path)
    path.chmod(0o600)
    return path


def gl(*args: str | Path) -> int:
    return main([str(a) for a in args])


def test_verify_export_and_backup_leave_the_vault_byte_identical(
    clinic: Path, secret: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sha256(clinic)
    out = tmp_path / "out"
    out.mkdir()
    (out / "all").mkdir()  # a folder the user gave must exist (docs/outputs.md)
    runs = [
        ("verify", clinic, "--passphrase-file", secret),
        ("export", clinic, "--passphrase-file", secret, "--group", GROUP, "--session", "1",
         "--out", out / "s1.pdf"),
        ("export", clinic, "--passphrase-file", secret, "--group", GROUP, "--all",
         "--out", out / "all"),
        ("backup", clinic, out, "--passphrase-file", secret),
        ("verify", clinic, "--passphrase-file", secret),
    ]
    for args in runs:
        assert gl(*args) == 0, capsys.readouterr().err
        assert sha256(clinic) == before, args[0]
        assert sidecars(clinic) == []
    assert capsys.readouterr().out.startswith("OK: ")
    assert len(list(out.glob("clinic.backup-*.vault"))) == 1


PROBE = textwrap.dedent("""
    import contextlib, io, json, sys
    from groupleader.cli import main

    results = []
    for argv in json.loads(sys.argv[1]):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
        results.append([code, out.getvalue(), err.getvalue()])
    print(json.dumps(results))
""")


@pytest.mark.parametrize("how", ["read-only file", "read-only folder"])
def test_on_read_only_storage_verify_export_and_backup_work_and_edits_are_refused(
    clinic: Path, secret: Path, tmp_path: Path, how: str
) -> None:
    """Without the power to override permissions (dropped when the tests run as root)."""
    out, home = tmp_path / "out", tmp_path / "home"
    out.mkdir()
    home.mkdir()
    new = tmp_path / "new.txt"
    new.write_text("an entirely new passphrase\n", encoding="utf-8")
    roster = tmp_path / "roster.csv"
    roster.write_text("Name\nRuth Imber\n", encoding="utf-8")
    p = ["--passphrase-file", str(secret)]
    commands = [
        ["verify", str(clinic), *p],
        ["export", str(clinic), *p, "--group", GROUP, "--session", "1",
         "--out", str(out / "s1.pdf")],
        ["backup", str(clinic), str(out), *p],
        ["passwd", str(clinic), *p, "--new-passphrase-file", str(new)],
        ["import-roster", str(clinic), *p, "--group", GROUP, str(roster)],
    ]
    target = clinic if how == "read-only file" else clinic.parent
    target.chmod(0o444 if how == "read-only file" else 0o555)
    before = sha256(clinic)
    try:
        r = run_unprivileged(["-c", PROBE, json.dumps(commands)], home)
    finally:
        clinic.parent.chmod(0o755)
    assert r.returncode == 0, r.stderr
    verify, export, backup, passwd, roster = json.loads(r.stdout)
    assert verify[0] == 0 and verify[1].startswith("OK: "), verify
    assert export[0] == 0 and (out / "s1.pdf").exists(), export
    assert backup[0] == 0 and list(out.glob("clinic.backup-*.vault")), backup
    for refused in (passwd, roster):
        code, _out, err = refused
        assert code == 1 and err.startswith("groupleader: ") and err.count("\n") == 1, refused
        assert "read-only" in err
    assert sha256(clinic) == before
    assert sidecars(clinic) == []


def test_verify_says_damaged_and_names_the_newest_backup(
    clinic: Path, secret: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Vault.open(clinic, PASS) as vault:
        default_backup_dir().mkdir(parents=True, exist_ok=True)
        older = backups.make_backup(vault, default_backup_dir())
        newest = backups.make_backup(vault, default_backup_dir())
    page = damage_a_middle_page(clinic)
    damaged = sha256(clinic)
    assert gl("verify", clinic, "--passphrase-file", secret) == 1
    out, err = capsys.readouterr()
    assert err == ""
    [line] = out.splitlines()
    assert line.startswith(f"DAMAGED: {clinic}: page {page} of ")
    assert f"Restore your newest backup, {newest} (made " in line
    assert str(older) not in line
    assert sha256(clinic) == damaged
    # Any other command says the same in its one error line.
    (clinic.parent / "pdfs").mkdir()
    assert gl("export", clinic, "--passphrase-file", secret, "--group", GROUP, "--all",
              "--out", clinic.parent / "pdfs") == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("groupleader: This vault file is damaged") and str(newest) in line
    assert list((clinic.parent / "pdfs").iterdir()) == []


def test_verify_looks_in_the_backup_folder_chosen_in_the_window(
    clinic: Path, secret: Path, tmp_path: Path
) -> None:
    chosen = tmp_path / "usb" / "backups"
    with Vault.open(clinic, PASS) as vault:
        chosen.mkdir(parents=True, exist_ok=True)
        made = backups.make_backup(vault, chosen)
    damage_a_middle_page(clinic)
    home = tmp_path / "home"
    config = home / "config" / ui_settings.ORGANIZATION
    config.mkdir(parents=True)
    (config / f"{ui_settings.APPLICATION}.ini").write_text(
        f"[backup]\nfolder={chosen}\n", encoding="utf-8")
    r = run_unprivileged(["-m", "groupleader", "verify", clinic, "--passphrase-file", secret],
                         home)
    assert r.returncode == 1 and r.stderr == "", r.stderr
    assert r.stdout.startswith("DAMAGED: ") and str(made) in r.stdout


def test_the_command_line_reads_the_windows_backup_setting_by_its_own_key() -> None:
    assert ui_settings.Settings.backup_folder.key == cli_common.BACKUP_FOLDER_KEY
    assert cli_common.SETTINGS_NAMES == (ui_settings.ORGANIZATION, ui_settings.APPLICATION)


def test_passwd_on_a_full_disk_fails_in_one_line_and_the_old_passphrase_still_works(
    clinic: Path, secret: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    size = clinic.stat().st_size
    with small_filesystem(tmp_path / "disk", size + size // 3) as disk:
        path = disk / "clinic.vault"
        shutil.copyfile(clinic, path)
        before = sha256(path)
        new = tmp_path / "new.txt"
        new.write_text("an entirely new passphrase\n", encoding="utf-8")
        assert gl("passwd", path, "--passphrase-file", secret,
                  "--new-passphrase-file", new) == 1
        [line] = capsys.readouterr().err.splitlines()
        assert line.startswith("groupleader: The passphrase was not changed: there is not "
                               "enough free space")
        assert sha256(path) == before
        assert sorted(p.name for p in disk.iterdir()) == ["clinic.vault", "clinic.vault.lock"]
        assert gl("verify", path, "--passphrase-file", secret) == 0
        assert gl("verify", path, "--passphrase-file", new) == 1


@pytest.mark.parametrize("case", ["folder", "long name", "missing folder", "proc"])
def test_odd_paths_are_one_line_exit_1_and_change_nothing(
    tmp_path: Path, secret: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "a folder.vault").mkdir()
    path = {
        "folder": work / "a folder.vault",
        "long name": work / ("n" * 256 + ".vault"),
        "missing folder": work / "unplugged" / "backups" / "clinic.vault",
        "proc": Path("/proc/self/status"),
    }[case]
    if case == "proc" and not path.exists():
        pytest.skip("no /proc on this system")
    listing = sorted(p.name for p in work.iterdir())
    p = ["--passphrase-file", secret]
    for args in (["verify", path, *p], ["init", path, *p], ["passwd", path, *p],
                 ["backup", path, work, *p], ["export", path, *p, "--group", GROUP,
                                              "--all", "--out", work / "pdfs"]):
        assert gl(*args) == 1, args
        out, err = capsys.readouterr()
        assert out == "" and err.startswith("groupleader: ") and err.count("\n") == 1, err
        assert "Errno" not in err
    assert sorted(p.name for p in work.iterdir()) == listing

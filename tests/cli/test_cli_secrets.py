"""Passphrases from files and the environment mean the typed text; weak ones are refused;
the process never dumps core."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from groupleader.cli import main
from groupleader.data.vault import Vault
from groupleader.errors import WrongPassphrase

ROOT = Path(__file__).resolve().parents[2]
TYPED = "maple river lantern quietly"


def _file(tmp_path: Path, content: str, name: str = "pass.txt") -> Path:
    f = tmp_path / name
    f.write_bytes(content.encode("utf-8"))
    return f


@pytest.mark.parametrize("content", [
    "\ufeff" + TYPED + "\r\n",  # Notepad: a byte-order mark and CRLF
    TYPED + "\r",  # a lone CR (old Mac line ends)
    TYPED + "\n\n",  # an extra empty line
])
def test_a_passphrase_file_means_the_text_one_would_type(tmp_path: Path, content: str) -> None:
    vault = tmp_path / "clinic.vault"
    assert main(["init", str(vault), "--passphrase-file", str(_file(tmp_path, content))]) == 0
    Vault.open(vault, TYPED).close()  # what the window sends when the visible text is typed
    with pytest.raises(WrongPassphrase):
        Vault.open(vault, content).close()


def test_the_variable_and_a_new_passphrase_file_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = tmp_path / "clinic.vault"
    monkeypatch.setenv("GROUPLEADER_PASSPHRASE", TYPED + "\r\n")
    assert main(["init", str(vault)]) == 0
    assert main(["verify", str(vault)]) == 0
    new = _file(tmp_path, "\ufeffheron saffron orbit tundra\n", "new.txt")
    assert main(["passwd", str(vault), "--new-passphrase-file", str(new)]) == 0
    Vault.open(vault, "heron saffron orbit tundra").close()


def test_a_vault_made_from_a_file_with_a_bom_still_opens_from_that_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Earlier versions kept the byte-order mark in the passphrase."""
    vault = tmp_path / "old.vault"
    Vault.create(vault, "\ufeff" + TYPED).close()
    old_file = _file(tmp_path, "\ufeff" + TYPED + "\n")
    assert main(["verify", str(vault), "--passphrase-file", str(old_file)]) == 0
    new = _file(tmp_path, "heron saffron orbit tundra\n", "new.txt")
    assert main(["passwd", str(vault), "--passphrase-file", str(old_file),
                 "--new-passphrase-file", str(new)]) == 0
    Vault.open(vault, "heron saffron orbit tundra").close()


@pytest.mark.parametrize("weak, why", [
    ("12345678", "common password"), ("        ", "Repeats"), ("aaaaaaaa", "Repeats"),
    ("clinic2024", "name a guesser tries first"),
])
def test_init_refuses_a_weak_passphrase_and_suggests_random_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], weak: str, why: str
) -> None:
    vault = tmp_path / "clinic.vault"
    code = main(["init", str(vault), "--passphrase-file", str(_file(tmp_path, weak + "\n"))])
    err = capsys.readouterr().err
    assert code == 1 and err.count("\n") == 1 and err.startswith("groupleader: ")
    assert why in err
    suggestion = re.search(r'For example \(made just now, at random\): "([a-z -]+)"\.', err)
    assert suggestion is not None and len(suggestion.group(1).split(" ")) == 5
    assert not vault.exists()


def test_passwd_refuses_a_weak_passphrase_and_the_old_one_still_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "clinic.vault"
    secret = _file(tmp_path, TYPED + "\n")
    assert main(["init", str(vault), "--passphrase-file", str(secret)]) == 0
    weak = _file(tmp_path, "password1\n", "weak.txt")
    code = main(["passwd", str(vault), "--passphrase-file", str(secret),
                 "--new-passphrase-file", str(weak)])
    assert code == 1 and "common password" in capsys.readouterr().err
    Vault.open(vault, TYPED).close()


CORE = textwrap.dedent(
    """
    import ctypes, resource, sys
    libc = ctypes.CDLL(None)
    soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))  # as generous as allowed
    print(resource.getrlimit(resource.RLIMIT_CORE), libc.prctl(3, 0, 0, 0, 0))
    if sys.argv[1] == "cli":
        from groupleader.cli import main
        main(["verify", sys.argv[2]])  # any command; this one fails (no vault, no passphrase)
    else:
        from PySide6.QtWidgets import QApplication
        from groupleader.ui import app
        QApplication.exec = lambda self: 0  # start the window, then return at once
        app.run_gui()
    print(resource.getrlimit(resource.RLIMIT_CORE), libc.prctl(3, 0, 0, 0, 0))
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
@pytest.mark.parametrize("start", ["cli", "gui"])
def test_the_program_disables_core_dumps_of_itself(tmp_path: Path, start: str) -> None:
    """A crash would write the key, the passphrase and the notes on screen into a core."""
    env = {k: v for k, v in os.environ.items() if k != "GROUPLEADER_PASSPHRASE"}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path),
               XDG_DATA_HOME=str(tmp_path))
    out = subprocess.run(
        [sys.executable, "-c", CORE, start, str(tmp_path / "missing.vault")],
        capture_output=True, text=True, env=env, timeout=120, cwd=ROOT,
        stdin=subprocess.DEVNULL,
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert lines[0].endswith(" 1")  # dumpable before the program started
    assert lines[-1] == "(0, 0) 0"  # then: no core at any size, and not dumpable

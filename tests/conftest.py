"""Shared fixtures: real SQLCipher vaults in tmp_path, no test touches real user data, and
no test leaves a file outside its temporary folder."""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

# Offscreen, on a laptop-sized screen (Qt's default offscreen screen is 800 x 600, smaller
# than the window the program is laid out for).
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    _screens = Path(__file__).with_name("offscreen-screens.json")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_screens}"

from groupleader.data.vault import Vault

ROOT = Path(__file__).resolve().parents[1]

# Hypothesis keeps no example database (it would be .hypothesis/ in the working tree); a
# failure prints the @reproduce_failure blob that replays it instead. Its caches go to a
# temporary folder of this run, set before its pytest plugin first writes one (once the
# tests are collected) and removed when the run ends.
hypothesis_settings.register_profile("no-files", database=None, print_blob=True)
hypothesis_settings.load_profile("no-files")
HYPOTHESIS_HOME = tempfile.mkdtemp(prefix="groupleader-tests-hypothesis-")
os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = HYPOTHESIS_HOME
atexit.register(shutil.rmtree, HYPOTHESIS_HOME, ignore_errors=True)

# Test-only: SQLCipher's production key derivation (256,000 PBKDF2 rounds) makes every
# open take a tenth of a second; tests use this many instead. Never used outside tests.
TEST_KDF_ITER = 256
PASSPHRASE = "correct horse battery staple"
PIN = "2468"  # the signing PIN `give_pins` sets on test profiles


def give_pins(vault: Vault, *clinician_ids: int) -> None:
    """Set PIN on each profile, so it can sign (a profile without a PIN cannot)."""
    from groupleader.data.operations import groups as ops_groups

    for clinician_id in clinician_ids:
        ops_groups.set_signing_pin(vault, clinician_id, PIN)


REAL_TEMP = Path(tempfile.gettempdir())  # read before any test points TMPDIR elsewhere
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
# the other audit events that make a path, and which of their arguments it is
# (os.replace is audited as os.rename; shutil's copies open their target for writing)
_TARGET_ARG = {"os.mkdir": 0, "tempfile.mkstemp": 0, "tempfile.mkdtemp": 0,
               "os.rename": 1, "os.link": 1, "os.symlink": 1}
_written_in_temp: set[str] = set()  # top-level names in REAL_TEMP this process wrote under


def _note_writes(event: str, args: tuple[Any, ...]) -> None:
    """Audit hook: remember where in the real temp folder this process creates or writes
    files, so that what other programs put there meanwhile is not blamed on the tests."""
    try:
        if event == "open" and isinstance(args[2], int) and args[2] & _WRITE_FLAGS:
            target = args[0]
        elif event in _TARGET_ARG:
            target = args[_TARGET_ARG[event]]
        else:
            return
        if isinstance(target, int):  # a file descriptor
            return
        where = os.path.abspath(os.fsdecode(target))
        for temp in {str(REAL_TEMP), os.path.realpath(REAL_TEMP)}:
            if where.startswith(temp + os.sep):
                _written_in_temp.add(where[len(temp) + 1:].split(os.sep)[0])
    except Exception:  # an audit hook must never break the operation it watches
        pass


sys.addaudithook(_note_writes)


def _entries(folder: Path, skip: Path) -> set[Path]:
    """Every file and folder under `folder` but those under `skip`, `.git`, `__pycache__`
    (Python's own bytecode, written when a module is first imported) and a virtual
    environment (`make test` keeps one in .venv)."""
    found: set[Path] = set()
    for top, dirs, files in os.walk(folder):
        here = Path(top)
        dirs[:] = [d for d in dirs if d not in (".git", "__pycache__")
                   and not (here / d).is_relative_to(skip)
                   and not (here / d / "pyvenv.cfg").exists()]
        found.update(here / name for name in (*dirs, *files) if name != ".git")
    return found


@pytest.fixture(scope="session", autouse=True)
def _nothing_left_outside(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Fail the run if the tests left a file in the working tree or the real temp folder.

    Each test's TMPDIR is its own folder under pytest's basetemp (`_isolated_user_dirs`),
    which child processes inherit; pytest's own folder in the temp folder (pytest-of-<user>,
    holding basetemp) is not looked at. The temp folder is shared with every other program,
    so there only entries this process wrote under count (`_note_writes`); the working
    tree is the tests' alone, so any new entry there counts.
    """
    basetemp = tmp_path_factory.getbasetemp().resolve()
    temp_before = {p.name for p in REAL_TEMP.iterdir()}
    tree_before = _entries(ROOT, basetemp)
    yield
    pytest_own = next((p.name for p in (basetemp, *basetemp.parents)
                       if p.parent == REAL_TEMP.resolve()), None)
    new_in_temp = {p.name for p in REAL_TEMP.iterdir()} - temp_before - {pytest_own}
    left = sorted(str(REAL_TEMP / name) for name in new_in_temp & _written_in_temp)
    left += sorted(str(p.relative_to(ROOT)) for p in _entries(ROOT, basetemp) - tree_before)
    assert not left, f"tests left these outside their temporary folders: {left}"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point every per-user folder (data, config, cache) and the temp folder at temporary
    ones; child processes inherit them."""
    temp = tmp_path_factory.mktemp("tmp")
    for var in ("TMPDIR", "TEMP", "TMP"):
        monkeypatch.setenv(var, str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))  # tempfile caches the folder
    home = tmp_path_factory.mktemp("home")
    for var, sub in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
    ):
        (home / sub).mkdir()
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("GROUPLEADER_PASSPHRASE", raising=False)
    # A child process (the CLI tests, the kill tests) fails on a warning as this one does.
    monkeypatch.setenv("PYTHONWARNINGS", "error")


@pytest.fixture
def passphrase() -> str:
    return PASSPHRASE


@pytest.fixture
def vault_factory(tmp_path: Path) -> Iterator[Callable[..., Vault]]:
    opened: list[Vault] = []

    def make(name: str = "v.vault", passphrase: str = PASSPHRASE) -> Vault:
        vault = Vault.create(tmp_path / name, passphrase, test_kdf_iter=TEST_KDF_ITER)
        opened.append(vault)
        return vault

    yield make
    for vault in opened:
        vault.close()


@pytest.fixture
def vault(vault_factory: Callable[..., Vault]) -> Vault:
    return vault_factory()


def open_vault(path: Path, passphrase: str = PASSPHRASE) -> Vault:
    return Vault.open(path, passphrase, test_kdf_iter=TEST_KDF_ITER)

"""What the vault does with passphrases: one Unicode form, no copy kept, backups without it."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import sqlcipher3
from sqlalchemy import text

from groupleader.data import vault as vault_module
from groupleader.data.vault import Vault, sql_string
from groupleader.errors import InvalidInput, VaultDamaged, WrongPassphrase
from tests.conftest import PASSPHRASE, TEST_KDF_ITER, open_vault

NFC = unicodedata.normalize("NFC", "Grüße an Zoë, señor Ångström")
NFD = unicodedata.normalize("NFD", NFC)
MARKER = "Kingfisher-2291 talked about the move"


def _write(vault: Vault, value: str = MARKER) -> None:
    with vault.unit_of_work() as db:
        db.execute(text("CREATE TABLE IF NOT EXISTS scratch (body TEXT)"))
        db.execute(text("INSERT INTO scratch VALUES (:b)"), {"b": value})


def _read(vault: Vault) -> list[str]:
    with vault.unit_of_work() as db:
        return [r[0] for r in db.execute(text("SELECT body FROM scratch"))]


def _keys_with(path: Path, passphrase: str) -> bool:
    """Whether the raw file opens with exactly these characters (no normalisation)."""
    raw = sqlcipher3.connect(str(path))
    try:
        raw.execute(f"PRAGMA key = {sql_string(passphrase)}")
        raw.execute(f"PRAGMA kdf_iter = {TEST_KDF_ITER}")
        raw.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlcipher3.DatabaseError:
        return False
    finally:
        raw.close()


@pytest.fixture
def tries(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every key derivation `Vault.open` runs, by the form it tried."""
    seen: list[str] = []
    real = vault_module._keyed_connection

    def counting(path: Path, passphrase: str, *args: object, **kwargs: object) -> object:
        seen.append(passphrase)
        return real(path, passphrase, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(vault_module, "_keyed_connection", counting)
    return seen


def test_a_vault_is_keyed_in_nfc_and_opens_with_either_form_typed(
    tmp_path: Path, tries: list[str]
) -> None:
    path = tmp_path / "v.vault"
    Vault.create(path, NFD, test_kdf_iter=TEST_KDF_ITER).close()  # typed decomposed
    assert _keys_with(path, NFC) and not _keys_with(path, NFD)
    tries.clear()
    open_vault(path, NFC).close()
    assert tries == [NFC]  # one key derivation when the forms agree
    tries.clear()
    open_vault(path, NFD).close()
    assert tries == [NFC]  # NFC first, and it opened


def test_an_older_vault_keyed_with_another_form_still_opens(
    tmp_path: Path, tries: list[str]
) -> None:
    path = tmp_path / "old.vault"
    vault = Vault.create(path, NFC, test_kdf_iter=TEST_KDF_ITER)
    _write(vault)
    vault.close()
    raw = sqlcipher3.connect(str(path))  # re-key with the decomposed bytes, as before
    raw.execute(f"PRAGMA key = {sql_string(NFC)}")
    raw.execute(f"PRAGMA kdf_iter = {TEST_KDF_ITER}")
    raw.execute(f"PRAGMA rekey = {sql_string(NFD)}")
    raw.close()
    assert _keys_with(path, NFD)

    tries.clear()
    with open_vault(path, NFD) as again:
        assert _read(again) == [MARKER]
        assert tries == [NFC, NFD]  # two tries at most, and only because the forms differ
        again.change_passphrase(NFD, "maple river lantern quietly")  # the old form is right
    tries.clear()
    with pytest.raises(WrongPassphrase):
        open_vault(path, "not the passphrase at all")
    assert tries == ["not the passphrase at all"]
    open_vault(path, "maple river lantern quietly").close()


def test_the_new_passphrase_is_keyed_in_nfc_too(vault: Vault) -> None:
    vault.change_passphrase(PASSPHRASE, NFD)
    path = vault.path
    vault.close()
    assert _keys_with(path, NFC) and not _keys_with(path, NFD)


def test_create_refuses_the_weakest_passphrases_and_writes_nothing(tmp_path: Path) -> None:
    for weak in ("12345678", " " * 8, "aaaaaaaa", "password1"):
        with pytest.raises(InvalidInput) as err:
            Vault.create(tmp_path / "weak.vault", weak, test_kdf_iter=TEST_KDF_ITER)
        assert err.value.field == "passphrase"
    assert not (tmp_path / "weak.vault").exists()


def test_change_passphrase_refuses_a_weak_one_and_keeps_the_old(vault: Vault) -> None:
    with pytest.raises(InvalidInput):
        vault.change_passphrase(PASSPHRASE, "aaaaaaaa")
    path = vault.path
    vault.close()
    open_vault(path).close()


def test_the_open_vault_keeps_no_copy_of_the_passphrase_and_backs_up_without_it(
    tmp_path: Path,
) -> None:
    phrase = "".join(["heron ", "saffron ", "quietly ", "orbit"])  # built, not interned
    path = tmp_path / "v.vault"
    Vault.create(path, phrase, test_kdf_iter=TEST_KDF_ITER).close()
    vault = open_vault(path, "".join(["heron ", "saffron ", "quietly ", "orbit"]))
    _write(vault)
    held = [value for value in vars(vault).values()]
    for value in list(held):
        if isinstance(value, dict | list | tuple | set):
            held += list(value.values() if isinstance(value, dict) else value)
    assert phrase not in [v for v in held if isinstance(v, str)]
    assert not any(phrase in repr(v) for v in held)

    (tmp_path / "backups").mkdir()
    backup = vault.backup_to(tmp_path / "backups" / "b.vault")  # no passphrase needed
    vault.close()
    with open_vault(backup, phrase) as copy:
        assert _read(copy) == [MARKER]


def test_a_backup_is_the_vault_file_as_it_was(vault: Vault, tmp_path: Path) -> None:
    _write(vault)
    backup = vault.backup_to(tmp_path / "b.vault")  # the WAL checkpointed into the file first
    before = vault.path.read_bytes()
    assert backup.read_bytes() == before  # same pages, same salt: same passphrase opens it
    assert MARKER.encode() not in before
    assert backup.stat().st_mode & 0o777 == 0o600
    assert not list(tmp_path.glob(".*.partial"))


def test_a_damaged_vault_is_not_backed_up(vault: Vault, tmp_path: Path) -> None:
    """A copy of a damaged file would pass for a backup, and rotation drop a good one."""
    for i in range(100):
        _write(vault, f"row {i} " + "z" * 200)
    with open(vault.path, "r+b") as fh:  # another program damages page 3 on disk
        fh.seek(2 * 4096 + 100)
        fh.write(b"\x00" * 64)
    with pytest.raises(VaultDamaged) as err:
        vault.backup_to(tmp_path / "b.vault")
    assert "earlier backups were kept" in err.value.message
    assert not (tmp_path / "b.vault").exists()
    assert not list(tmp_path.glob(".*.partial"))


def test_a_backup_is_never_taken_inside_a_unit_of_work(vault: Vault, tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), vault.unit_of_work() as db:
        db.execute(text("CREATE TABLE half (x)"))
        vault.backup_to(tmp_path / "b.vault")
    assert not (tmp_path / "b.vault").exists()

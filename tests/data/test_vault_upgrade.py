"""Opening a vault with an older schema upgrades it, after an encrypted backup of it as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from groupleader.data import migrate
from groupleader.data.vault import Vault
from tests.conftest import PASSPHRASE, TEST_KDF_ITER, open_vault

REV_A = '''
from alembic import op
revision = "a1"
down_revision = None
def upgrade():
    op.execute("CREATE TABLE notes_a (id INTEGER PRIMARY KEY, body TEXT)")
'''
REV_B = '''
from alembic import op
revision = "b2"
down_revision = "a1"
def upgrade():
    op.execute("ALTER TABLE notes_a ADD COLUMN extra TEXT")
'''


@pytest.fixture
def scripts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throwaway migration folder (the real env.py, two tiny revisions added one by one)."""
    folder = tmp_path / "migrations"
    (folder / "versions").mkdir(parents=True)
    real = Path(migrate.SCRIPT_LOCATION)
    shutil.copy(real / "env.py", folder / "env.py")
    shutil.copy(real / "script.py.mako", folder / "script.py.mako")
    (folder / "versions" / "a1.py").write_text(REV_A)
    monkeypatch.setattr(migrate, "SCRIPT_LOCATION", str(folder))
    # This throwaway schema has no audit table, so no event may wait for the first write.
    monkeypatch.setattr(Vault, "audit_later", lambda self, *args, **kwargs: None)
    return folder


def test_upgrade_takes_an_encrypted_backup_first(tmp_path: Path, scripts: Path) -> None:
    path = tmp_path / "v.vault"
    vault = Vault.create(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER)
    with vault.unit_of_work() as db:
        db.execute(text("INSERT INTO notes_a (body) VALUES ('kept through the upgrade')"))
    vault.close()
    assert list(tmp_path.glob("*.before-upgrade-*")) == []

    (scripts / "versions" / "b2.py").write_text(REV_B)
    with open_vault(path) as upgraded:
        with upgraded.unit_of_work() as db:
            row = db.execute(text("SELECT body, extra FROM notes_a")).one()
        assert tuple(row) == ("kept through the upgrade", None)
        assert migrate.current_revision(upgraded.engine) == "b2"
    [backup] = tmp_path.glob("v.before-upgrade-a1-*.vault")
    assert b"kept through the upgrade" not in backup.read_bytes()
    (scripts / "versions" / "b2.py").unlink()  # the old program reads the backup as it was
    with open_vault(backup) as old:
        assert migrate.current_revision(old.engine) == "a1"
        with old.unit_of_work() as db:
            cols = [r[1] for r in db.execute(text("PRAGMA table_info(notes_a)"))]
        assert cols == ["id", "body"]


def test_no_backup_when_the_schema_is_current(tmp_path: Path, scripts: Path) -> None:
    path = tmp_path / "v.vault"
    Vault.create(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER).close()
    before = path.read_bytes()
    open_vault(path).close()
    assert list(tmp_path.glob("*.before-upgrade-*")) == []
    assert path.read_bytes() == before  # at head: no migration runs, nothing is written

"""`groupleader import-roster` / `export-roster` as a script calls them: output, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from groupleader.cli import main
from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import query
from groupleader.data.services import members
from groupleader.data.snapshots import ClinicianSpec, GroupSpec
from groupleader.data.vault import Vault
from tests.conftest import open_vault

PHRASE = "a phrase for the roster cli"


@pytest.fixture
def clinic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A closed vault with one group, opened by the CLI with the passphrase from the env."""
    path = tmp_path / "clinic.vault"
    from tests.conftest import TEST_KDF_ITER

    with Vault.create(path, PHRASE, test_kdf_iter=TEST_KDF_ITER) as vault:
        lead = ops_groups.create_clinician(vault, ClinicianSpec("Dr Rivera", "leader")).value
        ops_groups.create_group(vault, GroupSpec("Tuesday group", "support", (lead.id,)))
    monkeypatch.setenv("GROUPLEADER_PASSPHRASE", PHRASE)
    real_open = Vault.open
    monkeypatch.setattr(Vault, "open", classmethod(
        lambda cls, p, phrase, **kw: real_open(p, phrase, test_kdf_iter=TEST_KDF_ITER)))
    return path


def member_count(path: Path) -> int:
    with open_vault(path, PHRASE) as vault:
        return len(query(vault, members.list_members, include_archived=True))


def test_a_bad_row_prints_its_line_exits_1_and_writes_nothing(
    clinic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "in.csv"
    f.write_text("Name;Email;DOB\nAda;ada@example.org;\n\"Two\nLines\";;\nBea;bad-email;\n"
                 "Cy;;2024-13-01\n", encoding="utf-8")
    code = main(["import-roster", str(clinic), "--group", "Tuesday group", str(f)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.splitlines()[:3] == [  # a name never holds a line break: a quote went astray
        "line 3: Name: the cell runs over several lines; check the quotes on this line (a "
        "quote opened here is closed too late)",
        "line 5: Email: Enter an email address like name@example.org",
        "line 6: Date of birth: not a date (write YYYY-MM-DD, DD.MM.YYYY, DD/MM/YYYY or "
        "DD-MM-YYYY)"]
    assert "nothing was written" in err
    assert "bad-email" not in err and "Lines" not in err
    assert member_count(clinic) == 0


def test_a_good_file_is_imported_and_exported_again(
    clinic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "in.csv"
    f.write_text("Name,Pronouns,Status\n\"<b>Zoë & \"\"Q\"\"</b> 🌈\",they/them,active\n"
                 "מרים כהן,,waitlist\n", encoding="utf-8-sig")
    assert main(["import-roster", str(clinic), "--group", "tuesday GROUP", str(f)]) == 0
    assert "Imported 2 new member(s)" in capsys.readouterr().out
    out = tmp_path / "out.csv"
    assert main(["export-roster", str(clinic), "--group", "Tuesday group", str(out)]) == 0
    text = out.read_text("utf-8-sig")
    assert '"<b>Zoë & ""Q""</b> 🌈",,they/them' in text and "מרים כהן" in text
    assert main(["export-roster", str(clinic), "--group", "Tuesday group", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err


def test_duplicates_need_a_choice(
    clinic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "in.csv"
    f.write_text("Name,Email\nAda,ada@example.org\n", encoding="utf-8")
    assert main(["import-roster", str(clinic), "--group", "Tuesday group", str(f)]) == 0
    capsys.readouterr()
    assert main(["import-roster", str(clinic), "--group", "Tuesday group", str(f)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("line 2: the same person as a member already in the vault (same email)")
    assert main(["import-roster", str(clinic), "--group", "Tuesday group", str(f),
                 "--duplicates", "skip"]) == 0
    assert member_count(clinic) == 1


@pytest.mark.parametrize("content, words", [
    (b"", "This file is empty"),
    (b"PK\x03\x04\x00\x00", "not a CSV text file"),
    (b"Email\nx@example.org\n", "no name column"),
])
def test_files_that_are_no_roster_exit_1_with_one_line(
    clinic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes,
    words: str,
) -> None:
    f = tmp_path / "in.csv"
    f.write_bytes(content)
    assert main(["import-roster", str(clinic), "--group", "Tuesday group", str(f)]) == 1
    err = capsys.readouterr().err
    assert words in err and len(err.strip().splitlines()) == 1


def test_an_unknown_group_is_named_with_the_groups_there_are(
    clinic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "in.csv"
    f.write_text("Name\nAda\n", encoding="utf-8")
    assert main(["import-roster", str(clinic), "--group", "Friday", str(f)]) == 1
    assert "no group named 'Friday'. Groups: Tuesday group." in capsys.readouterr().err
    assert member_count(clinic) == 0

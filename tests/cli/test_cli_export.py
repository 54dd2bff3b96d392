"""`groupleader export` end to end: files written, options honoured, one-line errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from groupleader.cli import main
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.services import meetings as meetings_svc
from groupleader.data.snapshots import MemberNoteFields
from groupleader.data.vault import Vault
from tests.cli.conftest import PASS, writable_copy
from tests.report.conftest import ODD_NAME, PROCESS_TEXT
from tests.report.pdfcheck import all_text, flat


def export(clinic_file: Path, secret: Path, *args: str) -> int:
    return main(["export", str(clinic_file), "--passphrase-file", str(secret),
                 "--group", "tuesday process group", *args])


def test_one_session_becomes_one_pdf(clinic_file: Path, secret: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "s1.pdf"
    assert export(clinic_file, secret, "--session", "1", "--out", str(out)) == 0
    text = all_text(out.read_bytes())
    assert ODD_NAME in text and "DRAFT" in text and PROCESS_TEXT not in text
    assert "Wrote" in capsys.readouterr().out


def test_all_sessions_become_one_pdf_each_in_a_folder(
        clinic_file: Path, secret: Path, tmp_path: Path) -> None:
    out = tmp_path / "all"
    out.mkdir()  # the folder must exist: it is never created
    assert export(clinic_file, secret, "--all", "--out", str(out), "--deidentify") == 0
    files = sorted(out.glob("*.pdf"))
    assert [f.name[-27:] for f in files] == ["2025-03-04-deidentified.pdf",
                                             "2025-03-11-deidentified.pdf"]
    assert all("Maria Kowalski" not in all_text(f.read_bytes()) for f in files)


def test_a_date_range_with_password_and_process_notes(
        clinic_file: Path, secret: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    pw = tmp_path / "pdfpw.txt"
    pw.write_text("pdf pass\n", encoding="utf-8")
    out = tmp_path / "range"
    out.mkdir()
    assert export(clinic_file, secret, "--from", "2025-03-10", "--to", "2025-03-12",
                  "--out", str(out), "--include-private", "--pdf-password-file", str(pw)) == 0
    [f] = list(out.glob("*.pdf"))
    assert PROCESS_TEXT in flat(all_text(f.read_bytes(), password="pdf pass"))
    assert "process notes" in capsys.readouterr().err


def test_period_report_and_member_extract(clinic_file: Path, secret: Path,
                                          tmp_path: Path) -> None:
    assert export(clinic_file, secret, "--all", "--period-report",
                  "--out", str(tmp_path / "p.pdf")) == 0
    assert "Group period report" in all_text((tmp_path / "p.pdf").read_bytes())
    assert export(clinic_file, secret, "--all", "--member", "Mia",
                  "--out", str(tmp_path)) == 0
    [extract] = list(tmp_path.glob("*member-extract*.pdf"))
    assert "Member record extract" in all_text(extract.read_bytes())


@pytest.mark.parametrize("typed", ["nikos papadopoulos", "ΝΙΚΟΣ Παπαδοπουλος", "Nikos"])
def test_a_member_is_found_by_folded_name_and_other_spellings(
        clinic_file: Path, secret: Path, tmp_path: Path, typed: str) -> None:
    from groupleader.data.operations import roster as ops_roster
    from groupleader.data.services import members as members_svc
    from groupleader.data.snapshots import MemberSpec

    copy = writable_copy(clinic_file, tmp_path)
    with Vault.open(copy, PASS) as vault:
        [nikos] = [m for m in query(vault, members_svc.list_members)
                   if m.full_name.startswith("Νίκος")]
        ops_roster.update_member(vault, nikos.id, MemberSpec(
            nikos.full_name, dob=nikos.dob, email=nikos.email,
            also_written_as=("Nikos Papadopoulos", "Nikos")))
    out = tmp_path / "x.pdf"
    assert export(copy, secret, "--all", "--member", typed, "--out", str(out)) == 0
    assert "Νίκος" in all_text(out.read_bytes())


def test_a_member_who_rejoined_is_one_member_and_two_of_one_name_are_told_apart(
        clinic_file: Path, secret: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Two memberships of one person (a rejoin) are one member to find; two people of one
    name are told apart by their pseudonyms, which the message says to give."""
    from groupleader.data.operations import roster as ops_roster
    from groupleader.data.services import groups as groups_svc
    from groupleader.data.services import members as members_svc
    from groupleader.data.snapshots import MemberSpec

    copy = writable_copy(clinic_file, tmp_path)
    with Vault.open(copy, PASS) as vault:
        [group] = query(vault, groups_svc.list_groups)
        [jonas] = [r for r in query(vault, members_svc.list_memberships, group.id)
                   if r.full_name == "Jonas Berg"]
        ops_roster.change_status(vault, jonas.membership_id, "left", date(2025, 3, 20))
        ops_roster.rejoin(vault, jonas.membership_id, date(2025, 4, 1), "active")
    out = tmp_path / "rejoined.pdf"
    assert export(copy, secret, "--all", "--member", "jonas berg", "--out", str(out)) == 0
    assert "Jonas Berg" in all_text(out.read_bytes())

    with Vault.open(copy, PASS) as vault:
        other = ops_roster.create_member(vault, MemberSpec("Jonas Berg")).value
        pseudonym = ops_roster.add_membership(vault, other.id, group.id, "active",
                                              date(2025, 4, 1)).value.pseudonym
    capsys.readouterr()
    assert export(copy, secret, "--all", "--member", "Jonas Berg",
                  "--out", str(tmp_path / "two.pdf")) == 1
    err = capsys.readouterr().err
    assert "More than one member is called 'Jonas Berg'" in err and "pseudonym" in err
    assert "rename" not in err
    assert export(copy, secret, "--all", "--member", pseudonym,
                  "--out", str(tmp_path / "by-pseudonym.pdf")) == 0


@pytest.mark.parametrize(("args", "message"), [
    (["--session", "9", "--out", "x.pdf"], "no session 9"),
    (["--from", "2025-03-01", "--out", "x"], "both --from and --to"),
    (["--from", "March", "--to", "2025-03-01", "--out", "x"], "date like 2025-03-04"),
    (["--all", "--member", "Nobody", "--out", "x"], "no member called"),
])
def test_user_errors_exit_1_with_one_line(
        clinic_file: Path, secret: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, args: list[str], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    assert export(clinic_file, secret, *args) == 1
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["pass.txt"]


def test_an_unknown_group_and_an_existing_file_are_refused(
        clinic_file: Path, secret: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(clinic_file), "--passphrase-file", str(secret), "--group",
                 "Nope", "--all", "--out", str(tmp_path)]) == 1
    assert "no group called 'Nope'" in capsys.readouterr().err
    existing = tmp_path / "s.pdf"
    existing.write_bytes(b"%PDF-1.4 an older export")
    assert export(clinic_file, secret, "--session", "1", "--out", str(existing)) == 1
    assert existing.read_bytes() == b"%PDF-1.4 an older export"
    assert export(clinic_file, secret, "--session", "1", "--out", str(existing),
                  "--force") == 0  # --force replaces a PDF (and nothing else)


def test_a_deidentified_export_prints_its_review_and_strict_refuses_leftovers(
        clinic_file: Path, secret: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    copy = writable_copy(clinic_file, tmp_path)
    with Vault.open(copy, PASS) as vault:
        meeting = query(vault, meetings_svc.list_meetings, 1)[0]
        ops_notes.save_member_note(vault, meeting.id, 2, MemberNoteFields(
            participation="She said her partner Dave Morrow helps. Will phone her."))
    clinic_file = copy
    out = tmp_path / "s1.pdf"
    assert export(clinic_file, secret, "--session", "1", "--out", str(out), "--deidentify",
                  "--strict") == 1
    printed = capsys.readouterr()
    assert "replacements" in printed.out and "possible names left: " in printed.out
    assert "nothing was written" in printed.err and not out.exists()
    left = printed.out.split("possible names left: ")[1].strip().split(", ")
    assert set(left) == {"Dave", "Morrow"}
    hides = [arg for word in left for arg in ("--hide", word)]
    assert export(clinic_file, secret, "--session", "1", "--out", str(out), "--deidentify",
                  "--strict", *hides) == 0
    printed = capsys.readouterr()
    written = tmp_path / "s1-deidentified.pdf"  # the name says what the file is
    assert "0 possible names left." in printed.out and written.exists() and not out.exists()
    assert f"Wrote {written}." in printed.out
    text = flat(all_text(written.read_bytes()))
    assert not any(word in text.split() for word in left)


def test_a_weak_pdf_password_is_refused_in_one_line_and_nothing_is_written(
        clinic_file: Path, secret: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    pw = tmp_path / "weak.txt"
    pw.write_text("x\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    assert export(clinic_file, secret, "--session", "1", "--out", str(out / "s.pdf"),
                  "--pdf-password-file", str(pw)) == 1
    err = capsys.readouterr().err
    assert "PDF password is too weak" in err and len(err.strip().splitlines()) == 1
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("padded", ["    x    ", "-----x-----", "aaaaaaxaaaaaaa", "    ab    "])
def test_a_pdf_password_of_one_or_two_letters_padded_is_refused(
        clinic_file: Path, secret: Path, tmp_path: Path, padded: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    pw = tmp_path / "padded.txt"
    pw.write_text(padded + "\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    assert export(clinic_file, secret, "--session", "1", "--out", str(out / "s.pdf"),
                  "--pdf-password-file", str(pw)) == 1
    err = capsys.readouterr().err
    assert "PDF password is too weak" in err and "padding" in err
    assert list(out.iterdir()) == []


def test_an_extract_says_who_printed_it_and_carries_the_release_given(
        clinic_file: Path, secret: Path, tmp_path: Path) -> None:
    assert export(clinic_file, secret, "--all", "--member", "Mia", "--out", str(tmp_path),
                  "--printed-by", "ada leader", "--release-to", "Dr. J. Ortiz",
                  "--release-purpose", "Continuity of care") == 0
    [extract] = list(tmp_path.glob("*member-extract*.pdf"))
    text = flat(all_text(extract.read_bytes()))
    assert "Printed " in text and " by Ada Leader, PhD" in text
    assert "Released to Dr. J. Ortiz" in text and "Purpose Continuity of care" in text
    assert "Released by Ada Leader, PhD" in text


def test_without_printed_by_the_pages_say_not_given_and_stderr_warns(
        clinic_file: Path, secret: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "s.pdf"
    assert export(clinic_file, secret, "--session", "1", "--out", str(out)) == 0
    assert "by (not given)" in flat(all_text(out.read_bytes()))
    err = capsys.readouterr().err
    assert "--printed-by" in err and "Ada Leader, PhD" in err and "Ben Colead" in err


@pytest.mark.parametrize("given", ["  ADA   leader ", "ada leader, phd", "AdaLeader", "leader",
                                   "LEADER ada"])
def test_printed_by_matches_a_clinician_ignoring_case_and_spaces(
        clinic_file: Path, secret: Path, tmp_path: Path, given: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "s.pdf"
    assert export(clinic_file, secret, "--session", "1", "--out", str(out),
                  "--printed-by", given) == 0
    assert " by Ada Leader, PhD" in flat(all_text(out.read_bytes()))
    assert "--printed-by" not in capsys.readouterr().err


def test_an_unknown_printed_by_lists_the_clinicians_and_writes_nothing(
        clinic_file: Path, secret: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "s.pdf"
    assert export(clinic_file, secret, "--session", "1", "--out", str(out),
                  "--printed-by", "Dr. H. Marsh") == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "no clinician called 'Dr. H. Marsh'" in err
    assert "Ada Leader, PhD; Ben Colead; Sam Super" in err
    assert not out.exists()


def test_a_vault_with_one_clinician_says_who_printed_without_printed_by(
        secret: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from groupleader.data.operations import groups as ops_groups
    from groupleader.data.operations import meetings as ops_meetings
    from groupleader.data.snapshots import ClinicianSpec, GroupSpec
    from tests.report.conftest import at

    path = tmp_path / "one.vault"
    with Vault.create(path, PASS) as vault:
        helena = ops_groups.create_clinician(
            vault, ClinicianSpec("Helena Marsh", "leader", "PsyD")).value
        group = ops_groups.create_group(vault, GroupSpec(
            "Solo Group", "psychodynamic", (helena.id,))).value
        meeting = ops_meetings.schedule_meeting(vault, group.id, at(date(2025, 3, 4))).value
        ops_meetings.hold_meeting(vault, meeting.id)
    out = tmp_path / "s.pdf"
    assert main(["export", str(path), "--passphrase-file", str(secret), "--group",
                 "solo group", "--session", "1", "--out", str(out)]) == 0
    assert " by Helena Marsh, PsyD" in flat(all_text(out.read_bytes()))
    assert "--printed-by" not in capsys.readouterr().err


def test_a_deidentified_file_named_by_the_user_says_so_in_its_name(
        clinic_file: Path, secret: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert export(clinic_file, secret, "--all", "--period-report", "--deidentify",
                  "--out", str(tmp_path / "p.pdf")) == 0
    assert f"Wrote {tmp_path / 'p-deidentified.pdf'}." in capsys.readouterr().out
    assert export(clinic_file, secret, "--all", "--period-report", "--deidentify",
                  "--out", str(tmp_path / "q-deidentified")) == 0
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == ["p-deidentified.pdf",
                                                              "q-deidentified.pdf"]


def test_strict_passes_once_common_word_names_are_kept_and_hide_spares_verbs(
        clinic_file: Path, secret: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    from groupleader.data.operations import roster as ops_roster
    from groupleader.data.snapshots import MemberSpec

    copy = writable_copy(clinic_file, tmp_path)
    with Vault.open(copy, PASS) as vault:
        hope = ops_roster.create_member(vault, MemberSpec("Hope Grant")).value
        will = ops_roster.create_member(vault, MemberSpec("Will Turner")).value
        for m in (hope, will):
            ops_roster.add_membership(vault, m.id, 1, "active", on_date=date(2025, 1, 6))
        meeting = query(vault, meetings_svc.list_meetings, 1)[0]
        ops_notes.save_member_note(vault, meeting.id, 2, MemberNoteFields(
            participation="Hope is fragile. The leader will phone her tomorrow. Finding "
                          "Hope and Joy: Hope Grant said so; Will Turner will call."))
    out = tmp_path / "s1.pdf"
    args = ("--session", "1", "--out", str(out), "--deidentify", "--strict")
    assert export(copy, secret, *args) == 1
    printed = capsys.readouterr()
    left = printed.out.split("possible names left: ")[1].strip().split(", ")
    assert "Hope" in left and "--keep WORD" in printed.err
    keeps = [arg for word in left for arg in ("--keep", word)]
    assert export(copy, secret, *args, *keeps, "--hide", "Will") == 0
    printed = capsys.readouterr()
    assert "0 possible names left." in printed.out
    text = flat(all_text((tmp_path / "s1-deidentified.pdf").read_bytes()))
    assert "Hope is fragile." in text and "The leader will phone her tomorrow." in text
    assert "H.G. said so; W.T. will call." in text
    assert "Grant" not in text and "Turner" not in text


@pytest.mark.parametrize(("password", "why"), [
    (PASS, "vault's passphrase"),
    ("Tuesday Process Group", "name from this vault"),
    ("tuesdayprocess", "name from this vault"),
    ("Ada Leader", "name from this vault"),
    ("mariakowalski1980", "guesser tries first"),
    ("mia kowalski 1980!", "guesser tries first"),
])
def test_a_pdf_password_made_of_the_vault_s_names_or_its_passphrase_is_refused(
        clinic_file: Path, secret: Path, tmp_path: Path, password: str, why: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    """zxcvbn gets the group's, members' (with birth year) and clinicians' names as its
    user inputs; the vault's passphrase is refused as reuse."""
    pw = tmp_path / "context.txt"
    pw.write_text(password + "\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    assert export(clinic_file, secret, "--session", "1", "--out", str(out / "s.pdf"),
                  "--pdf-password-file", str(pw)) == 1
    err = capsys.readouterr().err
    assert why in err and len(err.strip().splitlines()) == 1
    assert list(out.iterdir()) == []

"""The command line: start the program, or work on a vault from a shell.

Exit codes: 0 ok, 1 a user error (one clear line on stderr, no traceback), 2 bad usage.
Passphrases come from `--passphrase-file`, the GROUPLEADER_PASSPHRASE environment
variable, or an interactive prompt that does not echo (the way restic and borg do it).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path

from groupleader import __version__
from groupleader.cli_common import (
    EXIT_OK,
    EXIT_USER_ERROR,
    PASSPHRASE_ENV,
    Handler,
    backup_folders,
    damaged_message,
    new_passphrase_from,
    open_vault_and_passphrase,
    open_vault_from,
    read_secret_file,
    restore_advice,
)
from groupleader.errors import GroupLeaderError, InvalidInput, VaultDamaged

# ---------------------------------------------------------------- commands


def cmd_init(args: argparse.Namespace) -> int:
    from groupleader.data.outputs import Kind, check_destination
    from groupleader.data.vault import Vault

    path = check_destination(args.vault, Kind.VAULT)  # before asking for a passphrase
    phrase = new_passphrase_from(
        args.passphrase_file, allow_env=True, option="--passphrase-file", vault=args.vault
    )
    Vault.create(path, phrase).close()
    print(f"Created an encrypted vault at {Path(args.vault).expanduser().absolute()}.")
    print("Keep the passphrase somewhere safe: without it the records cannot be read.")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    """OK in one line, or DAMAGED with which backup to restore, then each problem found on
    its own line (the session, the note, what is wrong; never a note's text or a name).

    Reads only: the vault's bytes are the same afterwards (a read-only vault verifies too),
    and so are the backups it compares the audit trail with. A vault made by an earlier
    version is not upgraded: its pages and structure are checked, and a line says to open
    it once in the program first (exit 1), since its signatures need today's schema.
    With --pdf: whether that paper still matches the record instead (`cmd_verify_pdf`).
    """
    if getattr(args, "pdf", None):
        return cmd_verify_pdf(args)
    path = Path(args.vault).expanduser().absolute()
    try:
        vault, phrase = open_vault_and_passphrase(args, for_verify=True)
        with vault:
            found_backups = [] if args.no_backups else _backups_to_check(path, args.backups)
            report = vault.verify(found_backups, phrase)
    except VaultDamaged as err:
        if err.path is None:  # not a vault at all: a plain error line
            raise
        advice = restore_advice(err.path)
        found = "; ".join(err.details[:5]) + "." if err.details else err.with_advice("")
        print(f"DAMAGED: {path}: {found.strip()} {advice}")
        return EXIT_USER_ERROR
    if report.problems:
        advice = restore_advice(path)
        print(f"DAMAGED: {path}: {len(report.problems)} problem(s). {advice}")
        for problem in report.problems:
            print(f"  {problem}")
    if report.outdated_revision is not None:
        print(_outdated_line(path, report.outdated_revision))
        return EXIT_USER_ERROR
    if report.problems:
        return EXIT_USER_ERROR
    against = (f", checked against {report.backups_checked} backup(s)"
               if report.backups_checked else "")
    print(f"OK: {args.vault} opens, and its pages, structure, locks, signatures and audit "
          f"trail are sound{against}.")
    return EXIT_OK


def _outdated_line(path: Path, revision: str) -> str:
    return (f"OLD: {path}: made by an earlier version of Group Leader (schema {revision}), "
            "so its signatures and audit trail cannot be checked yet. Open it once in the "
            "program (which brings it up to date, after an encrypted backup of it as it "
            "is), then run verify again; nothing in the file was changed.")


def _backups_to_check(vault_path: Path, given: Sequence[str] | None) -> list[Path]:
    """This vault's backups in its backup folders, and the files or folders given."""
    from groupleader.data import backups

    folders = backup_folders(vault_path)
    files: list[Path] = []
    for item in given or ():
        p = Path(item).expanduser()
        if p.is_dir():
            folders.append(p)
        else:
            files.append(p)
    for folder in dict.fromkeys(Path(f).expanduser() for f in folders):
        try:
            files += backups.list_backups(folder, vault_path)
        except OSError:
            continue
    return [f for f in dict.fromkeys(files) if f.resolve() != vault_path.resolve()]


def cmd_verify_pdf(args: argparse.Namespace) -> int:
    """One line per finding for each verification code the PDF carries: exit 0 when every
    one still matches the record, 1 otherwise. Never prints note text."""
    from groupleader.report import paper_check

    password = None
    if args.pdf_password_file:
        password = read_secret_file(args.pdf_password_file, "PDF password")
    try:
        codes = paper_check.codes_in_pdf(Path(args.pdf), password)
    except paper_check.PdfPasswordNeeded:
        if password is not None or not sys.stdin or not sys.stdin.isatty():
            raise
        codes = paper_check.codes_in_pdf(Path(args.pdf), getpass.getpass("PDF password: "))
    path = Path(args.vault).expanduser().absolute()
    with open_vault_and_passphrase(args, for_verify=True)[0] as vault:
        if vault.outdated_revision is not None:
            print(_outdated_line(path, vault.outdated_revision))
            return EXIT_USER_ERROR
        checks = paper_check.check_codes(vault, codes)
    for check in checks:
        for line in paper_check.report_lines(check):
            print(line)
    return EXIT_OK if all(c.ok for c in checks) else EXIT_USER_ERROR


def cmd_backup(args: argparse.Namespace) -> int:
    """An encrypted copy: into a folder (a new dated name, optionally keeping the newest
    N of this vault's backups there) or to a new file name. Never over an existing file."""
    from groupleader.data import backups
    from groupleader.data.outputs import (
        Kind,
        check_destination,
        check_folder,
        check_vault_name,
        is_folder,
        names_a_folder,
    )

    into_folder = names_a_folder(args.dest) or is_folder(args.dest)
    if args.keep is not None and not into_folder:
        raise InvalidInput("--keep needs a folder as the destination.", "keep")
    if args.keep is not None and args.keep < 1:
        raise InvalidInput("--keep must be at least 1.", "keep")
    if into_folder:  # said before asking for a passphrase
        folder = check_folder(args.dest)
        check_vault_name(folder)
    else:
        dest = check_destination(args.dest, Kind.VAULT, vault_path=args.vault)
    with open_vault_from(args) as vault:
        if into_folder:
            written = backups.make_backup(vault, folder, keep=args.keep)
        else:
            written = vault.backup_to(check_destination(dest, Kind.VAULT, vault_path=vault.path))
    print(f"Wrote an encrypted backup to {written} (it opens with the same passphrase).")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from groupleader.data.backups import restore_backup

    written = restore_backup(args.backup, args.new)
    print(f"Restored a copy of {Path(args.backup).expanduser().absolute()} to {written}. "
          "It opens with the passphrase the vault had when the backup was made.")
    return EXIT_OK


def cmd_passwd(args: argparse.Namespace) -> int:
    from groupleader.data.vault import PASSWD_READ_ONLY_MESSAGE
    from groupleader.errors import VaultReadOnly

    vault, old = open_vault_and_passphrase(args, "Current passphrase: ")
    with vault:
        if vault.read_only:  # before asking for the new one
            raise VaultReadOnly(PASSWD_READ_ONLY_MESSAGE)
        new = new_passphrase_from(args.new_passphrase_file, allow_env=False, vault=args.vault)
        vault.change_passphrase(old, new)
    print("The passphrase is changed. Backups made before keep the old passphrase.")
    return EXIT_OK


def cmd_gui(args: argparse.Namespace) -> int:
    from groupleader.ui.app import run_gui

    return run_gui(vault=args.vault_path, demo=args.demo)


# ---------------------------------------------------------------- parser


def _vault_command(
    sub: argparse._SubParsersAction, name: str, help_: str, handler: Handler
) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help_, description=help_)
    p.add_argument("vault", help="the vault file")
    p.add_argument(
        "--passphrase-file",
        metavar="FILE",
        help=f"read the passphrase from FILE (else ${PASSPHRASE_ENV}, else a prompt)",
    )
    p.set_defaults(handler=handler)
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="groupleader",
        description="Group Leader: offline, encrypted records for a therapy group's leader. "
        "With no command, the program's window opens.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a demo vault of invented data (made in a temporary folder)",
    )
    parser.add_argument(
        "--vault", dest="vault_path", metavar="FILE", help="offer this vault in the unlock window"
    )
    parser.set_defaults(handler=cmd_gui)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = _vault_command(sub, "init", "create a new encrypted vault", cmd_init)
    p.epilog = (
        "The new passphrase is asked twice, or read from --passphrase-file / the environment."
    )
    p = _vault_command(
        sub, "verify", "check a vault's encryption, structure, signatures and audit trail",
        cmd_verify,
    )
    p.add_argument("--backups", nargs="+", metavar="BACKUP",
                   help="also compare the audit trail with these backup files (or this "
                   "vault's backups in these folders)")
    p.add_argument("--no-backups", action="store_true",
                   help="do not look for this vault's backups in its backup folders")
    p.add_argument("--pdf", metavar="FILE.pdf",
                   help="instead, check whether this exported summary or extract "
                   "still matches the record (by the code printed on its pages)")
    p.add_argument("--pdf-password-file", metavar="FILE",
                   help="the password of an encrypted PDF (else a prompt)")
    p.epilog = ("Each problem is printed on its own line. By default the vault's audit trail "
                "is also compared with this vault's backups in its backup folders (the one "
                "chosen in Settings, the default one, the vault's own): it must continue "
                "the trail each backup holds.")
    p = _vault_command(sub, "backup", "write an encrypted copy of a vault", cmd_backup)
    p.add_argument("dest", help="a new file name for the copy, or an existing folder to put "
                   "a dated copy in (a name ending in / is always a folder)")
    p.add_argument("--keep", type=int, metavar="N",
                   help="with a folder: then delete all but this vault's newest N backups there")
    p.epilog = ("A backup never replaces an existing file, and a missing folder is reported, "
                "never created. The copy opens with the vault's passphrase.")
    p = sub.add_parser("restore", help="copy a backup to a new vault file",
                       description="Copy a backup to a new vault file, which then opens with "
                       "the passphrase the vault had when the backup was made.")
    p.add_argument("backup", metavar="BACKUP", help="the backup file")
    p.add_argument("new", metavar="NEW.vault", help="the new vault file (must not exist)")
    p.set_defaults(handler=cmd_restore)
    p = _vault_command(sub, "passwd", "change a vault's passphrase", cmd_passwd)
    p.add_argument(
        "--new-passphrase-file", metavar="FILE", help="read the new passphrase from FILE"
    )

    from groupleader import cli_demo, cli_export, cli_roster  # not on the window's path

    for module in (cli_roster, cli_export, cli_demo):  # commands in their own modules
        module.register(sub, _vault_command)
    return parser


# The options of a plain window start (`build_parser` holds their help); anything else, a
# command, --help or --version included, goes through the whole parser.
WINDOW_FLAGS = frozenset({"--demo"})
WINDOW_VALUE_OPTIONS = frozenset({"--vault"})


def window_start(argv: Sequence[str]) -> argparse.Namespace | None:
    """The window's arguments, when `argv` only starts the window; else None.

    Building every command's parser (and importing their modules) costs more than the
    window's start should, and starting the window is what most runs do, so these few
    options are read here without it."""
    vault: str | None = None
    demo = False
    tokens = iter(argv)
    for token in tokens:
        name, equals, value = token.partition("=")
        if token in WINDOW_FLAGS:
            demo = True
        elif name in WINDOW_VALUE_OPTIONS:
            if not equals:
                following = next(tokens, None)
                if following is None or following.startswith("-"):
                    return None  # let the whole parser say what is missing
                value = following
            vault = value
        else:
            return None
    return argparse.Namespace(vault_path=vault, demo=demo, handler=cmd_gui)


# Arguments that name files (checked as file names); every other string is text.
PATH_ARGS = frozenset({"vault", "dest", "out", "file", "backup", "new", "vault_path",
                       "passphrase_file", "new_passphrase_file", "pdf_password_file", "pdf"})


def check_arguments(args: argparse.Namespace) -> None:
    """Refuse an argument that is not valid text before anything runs (a lone surrogate,
    as a terminal in another encoding can send, would otherwise end in a traceback)."""
    from groupleader.data.outputs import check_text, path_text_ok

    for name, value in vars(args).items():
        if not isinstance(value, str):
            continue
        option = "--" + name.replace("_", "-")
        if name in PATH_ARGS:
            if not path_text_ok(value):
                raise InvalidInput(
                    f"The file name {value!r} holds a character that cannot be part of a file "
                    "name (a lone surrogate or a NUL). Type it again; nothing was changed.", name)
        else:
            check_text(value, f"text of {option}")


def _printable_streams() -> None:
    """Paths that are not valid UTF-8 (kept as surrogates) print escaped, never crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    from groupleader.hardening import protect_process

    protect_process()  # first: no core dump may ever hold a key, a passphrase or a note
    args = window_start(sys.argv[1:] if argv is None else argv)
    if args is None:
        args = build_parser().parse_args(argv)
    _printable_streams()
    try:
        check_arguments(args)
        return int(args.handler(args))
    except VaultDamaged as err:
        print(f"groupleader: {damaged_message(err)}", file=sys.stderr)
        return EXIT_USER_ERROR
    except GroupLeaderError as err:
        print(f"groupleader: {err.message}", file=sys.stderr)
        return EXIT_USER_ERROR
    except OSError as err:  # the last line of defence: a sentence, never a traceback
        where = f" ({err.filename})" if err.filename else ""
        print(f"groupleader: {err.strerror or type(err).__name__}{where}; nothing more was "
              "written.", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("groupleader: interrupted; nothing more was written.", file=sys.stderr)
        return EXIT_USER_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

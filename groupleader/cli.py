"""The command line: start the program, or work on a vault from a shell.

Exit codes: 0 ok, 1 a user error (one clear line on stderr, no traceback), 2 bad usage.
Passphrases come from `--passphrase-file`, the GROUPLEADER_PASSPHRASE environment
variable, or an interactive prompt that does not echo (the way restic and borg do it).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from groupleader import __version__, cli_demo, cli_export, cli_roster
from groupleader.cli_common import (
    EXIT_OK,
    EXIT_USER_ERROR,
    PASSPHRASE_ENV,
    Handler,
    damaged_message,
    new_passphrase_from,
    open_vault_from,
    passphrase_from,
    restore_advice,
)
from groupleader.errors import GroupLeaderError, VaultDamaged

# ---------------------------------------------------------------- commands


def cmd_init(args: argparse.Namespace) -> int:
    from groupleader.data.vault import Vault

    phrase = new_passphrase_from(args.passphrase_file, allow_env=True, option="--passphrase-file")
    Vault.create(args.vault, phrase).close()
    print(f"Created an encrypted vault at {Path(args.vault).expanduser().absolute()}.")
    print("Keep the passphrase somewhere safe: without it the records cannot be read.")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    """One line: OK, or DAMAGED with what was found and which backup to restore.

    Reads only: the vault's bytes are the same afterwards (a read-only vault verifies too).
    """
    path = Path(args.vault).expanduser().absolute()
    try:
        with open_vault_from(args) as vault:
            problems = vault.integrity_problems()
    except VaultDamaged as err:
        if err.path is None:  # not a vault at all: a plain error line
            raise
        advice = restore_advice(err.path)
        found = "; ".join(err.details[:5]) + "." if err.details else err.with_advice("")
        print(f"DAMAGED: {path}: {found.strip()} {advice}")
        return EXIT_USER_ERROR
    if problems:
        advice = restore_advice(path)
        print(f"DAMAGED: {path}: {len(problems)} problem(s): " + "; ".join(problems[:5])
              + f". {advice}")
        return EXIT_USER_ERROR
    print(f"OK: {args.vault} opens, and its pages, structure and audit trail are sound.")
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from groupleader.errors import VaultExists

    dest = Path(args.dest).expanduser()
    if dest.is_dir():
        from groupleader.data.backups import backup_name

        dest = dest / backup_name(Path(args.vault))
    if dest.exists() and not args.force:
        raise VaultExists(f"{dest} already exists; choose another name or add --force.")
    phrase = passphrase_from(args)
    from groupleader.data.vault import Vault

    with Vault.open(args.vault, phrase) as vault:
        written = vault.backup_to(dest, phrase)
    print(f"Wrote an encrypted backup to {written} (it opens with the same passphrase).")
    return EXIT_OK


def cmd_passwd(args: argparse.Namespace) -> int:
    from groupleader.data.vault import PASSWD_READ_ONLY_MESSAGE, Vault
    from groupleader.errors import VaultReadOnly

    old = passphrase_from(args, "Current passphrase: ")
    with Vault.open(args.vault, old) as vault:
        if vault.read_only:  # before asking for the new one
            raise VaultReadOnly(PASSWD_READ_ONLY_MESSAGE)
        new = new_passphrase_from(args.new_passphrase_file, allow_env=False)
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
    _vault_command(
        sub, "verify", "check a vault's encryption, structure and audit trail", cmd_verify
    )
    p = _vault_command(sub, "backup", "write an encrypted copy of a vault", cmd_backup)
    p.add_argument("dest", help="the copy's file name, or a folder to put a dated copy in")
    p.add_argument("--force", action="store_true", help="replace DEST if it exists")
    p = _vault_command(sub, "passwd", "change a vault's passphrase", cmd_passwd)
    p.add_argument(
        "--new-passphrase-file", metavar="FILE", help="read the new passphrase from FILE"
    )

    for module in (cli_roster, cli_export, cli_demo):  # commands in their own modules
        module.register(sub, _vault_command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
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

"""`groupleader demo VAULT`: create a new vault full of invented records to look around in."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from groupleader.cli_common import PASSPHRASE_ENV, new_passphrase_from
from groupleader.errors import InvalidInput

HELP = "create a new vault full of invented demo records (two groups, a few months of sessions)"


def cmd_demo(args: argparse.Namespace) -> int:
    from groupleader.data.demo import build_demo_vault
    from groupleader.data.outputs import Kind, check_destination

    # said before asking for a passphrase: an existing file, a missing folder, a long name
    path = check_destination(args.vault, Kind.VAULT,
                             exists_hint="Choose another name; nothing was changed.")
    if not (args.passphrase_file or os.environ.get(PASSPHRASE_ENV)) and not (
        sys.stdin and sys.stdin.isatty()
    ):
        raise InvalidInput(
            f"No passphrase given: use --passphrase-file FILE or set {PASSPHRASE_ENV}."
        )
    phrase = new_passphrase_from(args.passphrase_file, allow_env=True, vault=args.vault)
    print("Writing the demo vault (a few seconds)...", flush=True)
    build_demo_vault(path, phrase)
    print(f"Wrote a demo vault of invented records to {path}.")
    print("It opens with the passphrase you gave. Every name and story in it is made up.")
    return 0


def register(
    sub: argparse._SubParsersAction,
    vault_command: Callable[..., argparse.ArgumentParser],
) -> None:
    p = vault_command(sub, "demo", HELP, cmd_demo)
    p.epilog = (
        "The vault must not exist yet. The new passphrase is read from --passphrase-file "
        "or the environment, or asked twice. See docs/demo.md for what the demo holds."
    )

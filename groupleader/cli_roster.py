"""`groupleader import-roster` and `export-roster`: a roster CSV in or out from a shell.

Same rules as the window: an import is all or nothing. Each bad row is reported as
"line N: reason" (N counted in the file, the header is line 1), nothing is written and
the exit code is 1. Rows that are the same person as an existing member need
`--duplicates merge` or `--duplicates skip`. Reasons name lines and columns, never a
cell's value, so no name or date of birth lands in a terminal's scrollback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from groupleader.cli_common import EXIT_OK, EXIT_USER_ERROR, open_vault_from
from groupleader.errors import InvalidInput


def _group_id(vault: object, name: str) -> int:
    from groupleader.data.operations import query
    from groupleader.data.services import groups

    found = query(vault, groups.list_groups, include_archived=True)  # type: ignore[arg-type]
    exact = [g for g in found if g.name == name]
    matches = exact or [g for g in found if g.name.casefold() == name.strip().casefold()]
    if len(matches) == 1:
        return matches[0].id
    if not matches:
        names = ", ".join(sorted(g.name for g in found)) or "none yet"
        raise InvalidInput(f"There is no group named {name!r}. Groups: {names}.", "group")
    raise InvalidInput(f"Several groups are named {name!r}; rename one in the program first.",
                       "group")


def cmd_import_roster(args: argparse.Namespace) -> int:
    from groupleader.data import roster_csv
    from groupleader.data.operations import query
    from groupleader.data.operations import roster as ops_roster

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InvalidInput(f"Cannot read {path}: {err.strerror or 'refused'}.", "file") from None
    parsed = roster_csv.parse_roster(data)  # file problems raise before the vault is opened
    if parsed.bad and not args.skip_bad_rows:
        for bad in parsed.bad:
            print(str(bad), file=sys.stderr)
        print(f"groupleader: {len(parsed.bad)} row(s) cannot be imported; nothing was "
              "written. Correct them, or add --skip-bad-rows.", file=sys.stderr)
        return EXIT_USER_ERROR
    with open_vault_from(args) as vault:
        group_id = _group_id(vault, args.group)
        dups = query(vault, roster_csv.find_duplicates, group_id, parsed)
        if dups and args.duplicates is None:
            for dup in dups.values():
                print(f"line {dup.line}: the same person as a member already in the vault "
                      f"({dup.why})", file=sys.stderr)
            print(f"groupleader: {len(dups)} row(s) are people already in the vault; nothing "
                  "was written. Add --duplicates merge or --duplicates skip.", file=sys.stderr)
            return EXIT_USER_ERROR
        result = ops_roster.import_roster(
            vault, group_id, parsed, on_duplicate=args.duplicates,
            skip_bad=args.skip_bad_rows).value
    print(f"Imported {result.created} new member(s) and merged {result.merged}; "
          f"{result.skipped} row(s) skipped.")
    return EXIT_OK


def cmd_export_roster(args: argparse.Namespace) -> int:
    from groupleader.data.operations import roster as ops_roster
    from groupleader.data.outputs import Kind, check_destination

    out = check_destination(args.out, Kind.CSV, vault_path=args.vault, replace=args.force,
                            exists_hint="Choose another name, or add --force to replace it.")
    with open_vault_from(args) as vault:
        count = ops_roster.export_roster(vault, _group_id(vault, args.group), out).value
    print(f"Wrote {count} row(s) to {out}. The file is not encrypted: keep it safe, and "
          "delete it when it is no longer needed.")
    return EXIT_OK


def register(
    sub: argparse._SubParsersAction,
    vault_command: Callable[..., argparse.ArgumentParser],
) -> None:
    p = vault_command(sub, "import-roster", "import a roster CSV file into a group",
                      cmd_import_roster)
    p.add_argument("--group", required=True, metavar="NAME", help="the group's name")
    p.add_argument("file", metavar="FILE.csv", help="UTF-8 CSV, comma- or semicolon-separated")
    p.add_argument("--duplicates", choices=("merge", "skip"),
                   help="what to do with people already in the vault (needed when there are any)")
    p.add_argument("--skip-bad-rows", action="store_true",
                   help="import the good rows and leave out the bad ones")
    p.epilog = ("Columns: see docs/roster.md. Import is all or nothing: with any bad row, "
                "each is reported as 'line N: reason' and nothing is written.")
    p = vault_command(sub, "export-roster", "write a group's roster to a CSV file (no notes)",
                      cmd_export_roster)
    p.add_argument("--group", required=True, metavar="NAME", help="the group's name")
    p.add_argument("out", metavar="OUT.csv", help="the file to write")
    p.add_argument("--force", action="store_true",
                   help="replace OUT.csv if it exists and is a CSV file (never anything else)")

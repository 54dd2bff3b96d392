"""`groupleader export`: session summaries, a period report or a member extract as PDF.

    groupleader export VAULT --group NAME (--session N | --all | --from DATE --to DATE)
        --out PATH [--deidentify] [--include-private] [--pdf-password-file FILE]
        [--period-report | --signin-sheet] [--member NAME] [--practice TEXT] [--force]
        [--strict] [--hide WORD]... [--keep WORD]... [--others-as initials|another-member]

A de-identified export first prints its review: the number of replacements and the
possible names left; with --strict nothing is written while any remain. --keep WORD
accepts a listed word as no name in this export, so --strict can pass.

One session (or a period report, or a member extract) is one PDF at PATH (or inside PATH
when it is a folder); several sessions are one PDF each inside the folder PATH. The folder
must exist (it is never created), and an existing file is replaced only with --force and
only if it is a PDF: never the vault, a backup or any other file.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from groupleader.cli_common import open_vault_from, read_secret_file
from groupleader.errors import InvalidInput, VaultExists
from groupleader.folding import fold

if TYPE_CHECKING:
    from groupleader.data.snapshots import RosterRow
    from groupleader.data.vault import Vault
    from groupleader.report.redact import Review


def register(sub: argparse._SubParsersAction, vault_command: Callable[..., argparse.ArgumentParser]
             ) -> None:
    p = vault_command(sub, "export", "export session summaries and reports as PDF", cmd_export)
    p.add_argument("--group", required=True, metavar="NAME", help="the group's name")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--session", type=int, metavar="N", help="the session with number N")
    which.add_argument("--all", action="store_true", help="every session held")
    which.add_argument("--from", dest="start", metavar="DATE",
                       help="the first day of a period (YYYY-MM-DD); needs --to")
    p.add_argument("--to", dest="end", metavar="DATE", help="the last day of the period")
    p.add_argument("--out", required=True, metavar="PATH", help="the PDF file, or a folder")
    p.add_argument("--deidentify", action="store_true",
                   help="members by pseudonym; no names, contact data or dates of birth")
    p.add_argument("--include-private", action="store_true",
                   help="include the leader's process notes (left out unless asked)")
    p.add_argument("--pdf-password-file", metavar="FILE",
                   help="protect the PDF with AES-256 and the password in FILE")
    p.add_argument("--period-report", action="store_true",
                   help="one group report for the period instead of session summaries")
    p.add_argument("--signin-sheet", action="store_true",
                   help="with --session: the session's sign-in sheet (first names and last "
                        "initials, a line to sign) instead of its summary")
    p.add_argument("--member", metavar="NAME",
                   help="one member's extract for the period (others by initials)")
    p.add_argument("--practice", default="", metavar="TEXT",
                   help="the practice's name, printed at the top")
    p.add_argument("--force", action="store_true", help="replace existing PDF files")
    p.add_argument("--strict", action="store_true",
                   help="with --deidentify: write nothing while a possible name is left")
    p.add_argument("--hide", action="append", default=[], metavar="WORD",
                   help="with --deidentify: a further word or phrase to hide (repeatable); "
                        "an everyday word (Will, May, call) is hidden only where it is "
                        "capitalised")
    p.add_argument("--keep", action="append", default=[], metavar="WORD",
                   help="with --deidentify: accept a listed possible name as no name in "
                        "this export (repeatable): it is not listed and does not stop "
                        "--strict; a common-word member name (Hope) is still replaced "
                        "after a title or beside another word of the name")
    p.add_argument("--others-as", choices=("initials", "another-member"), default="initials",
                   help="in a member extract, how the other members appear")
    p.add_argument("--printed-by", default="", metavar="NAME",
                   help='the clinician printing it, for "Printed ... by ..." on every page')
    p.add_argument("--release-to", default="", metavar="TEXT",
                   help="a member extract's release block: to whom it is released")
    p.add_argument("--release-purpose", default="", metavar="TEXT",
                   help="a member extract's release block: the purpose of the release")
    p.epilog = ("Exit codes: 0 written, 1 a problem with the vault or the input, 2 bad usage. "
                "Process notes are never exported without --include-private.")


def _date(value: str | None, field: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{field} must be a date like 2025-03-04, not {value!r}.") from None


_T = TypeVar("_T")


def _folded(name: str) -> str:
    """A name as matched: folded as Find folds it (case, accents, apostrophes), spaces
    squeezed ("zoe", "ZOË" and "Zoë" are one name)."""
    return " ".join(fold(name).split())


def _find(items: list[_T], name: str, label: Callable[[_T], list[str]], what: str,
          more: Callable[[_T], Iterable[str]] | None = None,
          same_name: str = "rename one first") -> _T:
    """The one item called `name` by one of its `label` names, else by one of its `more`
    names (a member's other spellings); `same_name` says what to do when several are."""
    wanted = _folded(name)
    hits = [i for i in items if wanted in (_folded(s) for s in label(i))]
    if not hits and more is not None:
        hits = [i for i in items if wanted in (_folded(s) for s in more(i))]
    if not hits:
        how = (" (names match without case or accents, by full name, preferred name, "
               "pseudonym or \"also written as\")" if more is not None else "")
        raise InvalidInput(f"There is no {what} called {name!r} in this vault{how}.")
    if len(hits) > 1:
        raise InvalidInput(f"More than one {what} is called {name!r}; {same_name}.")
    return hits[0]


# two people of one name in a group: each has a pseudonym of their own there
_MEMBERS_SAME_NAME = "give the member's pseudonym instead (the roster lists it)"


NOT_GIVEN = "(not given)"


def _say(warning: str) -> None:
    if warning:
        print(warning, file=sys.stderr)


def _words(text: str) -> set[str]:
    return {w.casefold() for w in re.findall(r"[^\W_]+", text)}


def _squash(text: str) -> str:
    """A name as matched: case folded, spaces anywhere ignored ("dr.h. marsh")."""
    return "".join(text.split()).casefold()


def _printed_by(vault: Vault, given: str) -> tuple[str, str]:
    """Who the pages say printed them: the clinician `given` names (by name or printed
    name, case and spaces ignored, or by words of one name only: "marsh"), else the
    vault's only clinician, else NOT_GIVEN; and a warning for stderr in that last case
    ("" otherwise), said once the export is sure to be written."""
    from groupleader.data.operations import query
    from groupleader.data.services import clinicians

    people = query(vault, clinicians.list_clinicians)
    names = "; ".join(c.printed_name for c in people) or "none yet"
    if given.strip():
        key = _squash(given)
        hits = [c for c in people if key in (_squash(c.name), _squash(c.printed_name))]
        if not hits:  # "Marsh", "helena marsh": every word given is a word of one name
            words = _words(given)
            hits = [c for c in people if words and words <= _words(c.printed_name)]
        if len(hits) == 1:
            return hits[0].printed_name, ""
        if not hits:
            raise InvalidInput(f"There is no clinician called {given!r} in this vault. "
                               f"Its clinicians: {names}.")
        raise InvalidInput(f"More than one clinician is called {given!r}; give the printed "
                           f"name ({names}).")
    if len(people) == 1:
        return people[0].printed_name, ""
    return NOT_GIVEN, (f'groupleader: warning: the pages say "Printed ... by {NOT_GIVEN}": '
                       f"give --printed-by NAME (the vault's clinicians: {names}).")


FORCE_HINT = "Choose another name, or add --force to replace it."


def _destination(out: str, stem: str | None, force: bool, vault: Path,
                 deidentify: bool = False) -> Path:
    """The PDF file for one export: `out` itself (".pdf" added, and "-deidentified" for a
    de-identified export), or `stem`.pdf inside the folder `out`. With `stem` None (not
    rendered yet) a folder is only checked."""
    from groupleader.data.outputs import (
        Kind,
        check_destination,
        check_folder,
        is_folder,
        names_a_folder,
    )

    folder = names_a_folder(out) or is_folder(out)
    if folder:
        where = check_folder(out)
        if stem is None:
            return where
        dest = where / f"{stem}.pdf"
    else:
        dest = Path(out).expanduser()
        if dest.suffix.lower() != ".pdf":
            dest = dest.with_name(dest.name + ".pdf")
        if deidentify:
            from groupleader.report.collect import deidentified_file

            dest = deidentified_file(dest)
    return check_destination(dest, Kind.PDF, vault_path=vault, replace=force,
                             exists_hint=FORCE_HINT)


def _review(args: argparse.Namespace, review: Review) -> None:
    """Print what de-identification replaced and left; with --strict, refuse on a leftover."""
    if not args.deidentify:
        return
    left = review.possible_words()
    print(f"De-identification: {len(review.replacements)} replacements; "
          f"{len(left)} possible names left" + (f": {', '.join(left)}" if left else "."))
    if left and args.strict:
        raise InvalidInput("Possible names are left, so nothing was written; hide them with "
                           "--hide WORD (or add them to a member's \"also written as\"), "
                           "accept those that are no name with --keep WORD, "
                           "or leave out --strict.")


def _unprintable(chars: tuple[str, ...], documents: int = 1, of: int = 1) -> None:
    """Warn, before any file is written, of characters the PDF fonts cannot draw
    (`documents` of the `of` files hold them)."""
    from groupleader.report.fonts import unprintable_message

    if chars:
        print(f"groupleader: warning: {unprintable_message(chars, documents, of)}",
              file=sys.stderr)


def cmd_export(args: argparse.Namespace) -> int:
    from groupleader.data.operations import query
    from groupleader.data.services import groups, members
    from groupleader.report import batch
    from groupleader.report.collect import meetings_between
    from groupleader.report.model import ReportOptions

    start, end = _date(args.start, "--from"), _date(args.end, "--to")
    if (start is None) != (end is None):
        raise InvalidInput("Give both --from and --to for a period.")
    if start and end and end < start:
        raise InvalidInput("--to is before --from.")
    if args.session is not None and (args.period_report or args.member):
        raise InvalidInput("--period-report and --member need --all or --from/--to.")
    if args.signin_sheet and args.session is None:
        raise InvalidInput("--signin-sheet needs --session N.")
    if args.period_report and args.member:
        raise InvalidInput("Choose either --period-report or --member, not both.")
    password = (read_secret_file(args.pdf_password_file, "PDF password")
                if args.pdf_password_file else None)
    if password is not None:  # refused before anything is rendered or written
        from groupleader.report.pdf_output import check_pdf_password

        check_pdf_password(password)
    if args.strict and not args.deidentify:
        raise InvalidInput("--strict checks a de-identified export; add --deidentify.")
    if args.keep and not args.deidentify:
        raise InvalidInput("--keep accepts words in a de-identified export; add --deidentify.")
    options = ReportOptions(practice=args.practice, deidentify=args.deidentify,
                            include_private=args.include_private,
                            others_as=args.others_as.replace("-", " "),
                            hide_terms=tuple(args.hide), not_names=tuple(args.keep),
                            release_to=args.release_to, release_purpose=args.release_purpose)
    out = Path(args.out).expanduser()
    several = args.session is None and not (args.period_report or args.member)
    if several:  # the folder is checked before the passphrase is asked
        from groupleader.data.outputs import check_folder, is_folder, path_text_ok

        if path_text_ok(args.out) and not is_folder(out) and os.path.lexists(out):
            raise InvalidInput(f"{out} is a file; give a folder for several sessions.")
        out = check_folder(out)
    else:
        _destination(args.out, None, args.force, Path(args.vault), args.deidentify)
    if args.include_private:
        print("groupleader: warning: the PDF includes the leader's process notes.",
              file=sys.stderr)

    with open_vault_from(args) as vault:
        if password is not None:  # now with the vault's names and its passphrase
            from groupleader.report.pdf_output import check_pdf_password, password_context

            check_pdf_password(password, password_context(vault), vault)
        group = _find(query(vault, groups.list_groups, include_archived=True), args.group,
                      lambda g: [g.name], "group")
        from dataclasses import replace

        printed_by, not_given = _printed_by(vault, args.printed_by)
        options = replace(options, printed_by=printed_by)
        if args.period_report or args.member:
            if args.member:
                # one person, however many memberships of the group they had (a rejoin)
                rows: dict[int, list[RosterRow]] = {}
                for r in query(vault, members.list_memberships, group.id):
                    rows.setdefault(r.member_id, []).append(r)
                person = _find(list(rows.values()), args.member,
                               lambda rs: [n for r in rs
                                           for n in (r.full_name, r.preferred_name, r.pseudonym)],
                               "member",
                               lambda rs: query(vault, members.get_member,
                                                rs[0].member_id).also_written_as,
                               same_name=_MEMBERS_SAME_NAME)
                job = batch.ExportJob("extract", group.id, member_id=person[0].member_id,
                                      start=start, end=end)
            else:
                job = batch.ExportJob("period", group.id, start=start, end=end)
            rendered = batch.render_job(vault, job, options)
            dest = _destination(args.out, rendered.file_stem, args.force, vault.path,
                                args.deidentify)
            _review(args, rendered.review)
            _unprintable(rendered.unprintable)
            batch.save_rendered(vault, job, rendered, dest, password)
            print(f"Wrote {dest}.")
            _say(not_given)  # after writing: a failed export says one thing only
            return 0

        sessions = meetings_between(vault, group.id, start, end)
        if args.session is not None:
            chosen = [m for m in sessions if m.number == args.session]
            if not chosen:
                raise InvalidInput(f"The group has no session {args.session}.")
            job = batch.ExportJob("signin" if args.signin_sheet else "session", group.id,
                                  meeting_id=chosen[0].id)
            rendered = batch.render_job(vault, job, options)
            dest = _destination(args.out, rendered.file_stem, args.force, vault.path,
                                args.deidentify)
            _review(args, rendered.review)
            _unprintable(rendered.unprintable)
            batch.save_rendered(vault, job, rendered, dest, password)
            print(f"Wrote {dest}.")
            _say(not_given)  # after writing: a failed export says one thing only
            return 0

        held = [m.id for m in sessions if m.status == "held"]
        if not held:
            raise InvalidInput("No session was held in that period; nothing was written.")
        if not args.force and any(out.glob("*.pdf")):
            raise VaultExists(f"{out} already holds PDF files; choose an empty folder or "
                              "add --force.")
        # every session is rendered once before anything is written: the review (for a
        # de-identified batch, by the same redactor the batch uses) and the characters
        # no font draws come first
        people = batch.load_people(vault, group.id)
        missing: dict[str, None] = {}
        documents = 0
        for meeting_id in held:
            seen = batch.render_job(vault, batch.ExportJob(
                "session", group.id, meeting_id=meeting_id), options, people)
            missing.update(dict.fromkeys(seen.unprintable))
            documents += bool(seen.unprintable)
        if args.deidentify:
            _review(args, batch.review_of(people))
        _unprintable(tuple(missing), documents, len(held))
        result = batch.export_sessions(vault, group.id, held, out, options, password)
        print(f"Wrote {len(result.written)} session summaries into {out}.")
        _say(not_given)
        return 0

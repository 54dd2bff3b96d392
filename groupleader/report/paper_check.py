"""Check a printed (or exported) summary against the vault: read its verification codes
from the PDF's text layer and ask `groupleader.data.paper_codes` about each.

The CLI (`groupleader verify VAULT --pdf FILE.pdf`) and the window's "Check a printed
summary…" dialog give the same answers; neither ever shows note text.
"""

from __future__ import annotations

import io
from pathlib import Path

from groupleader.data import paper_codes
from groupleader.data.operations import query
from groupleader.data.vault import Vault
from groupleader.errors import InvalidInput


class PdfPasswordNeeded(InvalidInput):
    """The PDF is encrypted and no password (or a wrong one) was given."""

    default_message = ("This PDF is protected by a password: give the password it was "
                       "exported with (--pdf-password-file FILE), then check again.")


def codes_in_pdf(path: Path, password: str | None = None) -> list[str]:
    """The distinct verification codes on the PDF's pages, in page order."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise InvalidInput(f"Cannot read {path}: {err.strerror or 'not readable'}.") from None
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            if not password:
                raise PdfPasswordNeeded()
            if not reader.decrypt(password):
                raise PdfPasswordNeeded("That password does not open this PDF: check it "
                                        "and try again.")
        found: list[str] = []
        for page in reader.pages:
            for code in paper_codes.codes_in_text(page.extract_text() or ""):
                if code not in found:
                    found.append(code)
    except PdfReadError:
        raise InvalidInput(f"{path} is not a PDF this program can read.") from None
    if not found:
        raise InvalidInput(f"{path} carries no verification code: only session summaries "
                           "and member extracts exported by Group Leader have one.")
    return found


def check_codes(vault: Vault, codes: list[str]) -> list[paper_codes.PaperCheck]:
    return [query(vault, paper_codes.check_code, code) for code in codes]


def check_pdf(vault: Vault, path: Path,
              password: str | None = None) -> list[paper_codes.PaperCheck]:
    """One answer per code the PDF carries."""
    return check_codes(vault, codes_in_pdf(path, password))


LABELS = {
    paper_codes.MATCH: "MATCHES",
    paper_codes.ADDED: "ADDED SINCE",
    paper_codes.CHANGED: "CHANGED",
    paper_codes.UNKNOWN: "NO MATCH",
    paper_codes.TYPO: "TYPO",
}


def report_lines(check: paper_codes.PaperCheck) -> list[str]:
    """One line per finding: "MATCHES 7KQ2-…: this paper still matches the record…"."""
    label = LABELS[check.outcome]
    return [f"{label} {check.code}: {line}" for line in check.lines]

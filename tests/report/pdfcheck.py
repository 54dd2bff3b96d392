"""Reading PDFs back the way a supervisor's viewer would: text per page and metadata."""

from __future__ import annotations

import io
import shutil

import pytest
from pypdf import PdfReader

# poppler-utils draws the boxes some tests read; without it they are skipped (pypdf still
# checks the text)
NEEDS_PDFTOTEXT = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="pdftotext (poppler-utils) is not installed")


def pages_text(data: bytes, password: str | None = None) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    if password is not None:
        reader.decrypt(password)
    return [page.extract_text() or "" for page in reader.pages]


def all_text(data: bytes, password: str | None = None) -> str:
    return "\n".join(pages_text(data, password))


def metadata_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    meta = reader.metadata or {}
    return "\n".join(f"{k}={v}" for k, v in meta.items())


def flat(text: str) -> str:
    """Extracted text with line breaks and runs of spaces made single spaces."""
    return " ".join(text.split())

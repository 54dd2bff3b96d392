"""Make the README's screenshots from the demo vault: `python -m groupleader.screenshots DIR`.

Run by `make screenshots` (with QT_QPA_PLATFORM=offscreen, so no screen is needed). It
builds the demo vault of invented records in a temporary folder, with a fixed `today` so
the images only change when the program does, opens it in the real main window at
1280x800 and saves:

- roster.png: the Thursday group's roster, a member chosen so the detail pane shows;
- seating.png: a session's circle with its interaction arrows and counts;
- notes.png: the group note of a signed session;
- summary-page1.png: page 1 of that session's PDF summary (QtPdf, else `pdftoppm`).

Everything the run writes (vault, settings, backups) stays in the temporary folder,
which is removed at the end.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from groupleader.data.vault import Vault
    from groupleader.ui.main_window import MainWindow
    from groupleader.ui.settings import Settings

WINDOW = QSize(1280, 800)
TODAY = date(2025, 6, 13)  # a Friday: the Thursday group met the day before
THURSDAY = "Thursday Evening Group"
LEADER = "Dr. Helena Marsh"
NOTES_SESSION = 16  # Hiroko's farewell: signed and co-signed
ROSTER_MEMBER = "Niamh O'Kelleher"  # two groups, a risk flag, a referral
PAGE_WIDTH = 1100  # pixels of the rendered PDF page


def _wait(condition: Callable[[], bool], what: str, seconds: float = 120.0) -> None:
    app = QApplication.instance()
    assert app is not None
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"screenshots: timed out waiting for {what}")
        app.processEvents()
        time.sleep(0.01)


def _settle(rounds: int = 5) -> None:
    """Let queued layout, show and repaint events run (no clock involved)."""
    app = QApplication.instance()
    assert app is not None
    for _ in range(rounds):
        app.processEvents()


def _meeting_id(vault: Vault, group_id: int, number: int) -> int:
    from groupleader.data.operations import query
    from groupleader.data.services import meetings

    return next(m.id for m in query(vault, meetings.list_meetings, group_id) if m.number == number)


def _busiest_full_circle(vault: Vault, group_id: int) -> int:
    """The held session with the most interactions among those with no empty chair
    (the fullest picture of the seating view); ties go to the latest."""
    from groupleader.data.operations import query
    from groupleader.data.services import meetings, seating

    best: tuple[int, int, int] | None = None
    for m in query(vault, meetings.list_meetings, group_id):
        if m.status != "held":
            continue
        chairs = query(vault, seating.get_seating, m.id)
        if not chairs or any(c.member_id is None and c.clinician_id is None for c in chairs):
            continue
        key = (len(query(vault, seating.list_interactions, m.id)), m.number, m.id)
        best = key if best is None or key > best else best
    if best is None:
        raise SystemExit("screenshots: the demo has no session with a full circle")
    return best[2]


def _use_profile(window: MainWindow, settings: Settings, vault_path: Path, name: str) -> None:
    """Sign in as the demo's leader, as a user who set the profile in Settings would."""
    from groupleader.data.operations import query
    from groupleader.data.services import clinicians

    vault = window.ctx.require_vault()
    me = next(c for c in query(vault, clinicians.list_clinicians) if c.name == name)
    settings.set_clinician_for(vault_path, me.id)
    window.ctx.clinician_id = me.id
    window.statusBar().clearMessage()


def _save(window: QWidget, path: Path) -> None:
    _settle()
    image = window.grab().toImage()
    # The stubs say bytes for `format`, but PySide6 accepts only str here at run time.
    if not image.save(str(path), "PNG"):  # type: ignore[call-overload]
        raise SystemExit(f"screenshots: could not write {path}")
    print(f"wrote {path} ({path.stat().st_size // 1024} KB)")


def render_page(pdf: bytes, out: Path, scratch: Path) -> None:
    """Page 1 of a PDF as a PNG: QtPdf if available, else pdftoppm."""
    try:
        from PySide6.QtPdf import QPdfDocument
    except ImportError:
        QPdfDocument = None  # type: ignore[assignment,misc]  # noqa: N806
    if QPdfDocument is not None:
        document = QPdfDocument()
        buffer = QBuffer()
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        document.load(buffer)
        size = document.pagePointSize(0)
        scale = PAGE_WIDTH / size.width()
        image = document.render(0, QSize(PAGE_WIDTH, round(size.height() * scale)))
        white = QImage(image.size(), QImage.Format.Format_RGB32)
        white.fill(0xFFFFFF)
        from PySide6.QtGui import QPainter

        painter = QPainter(white)
        painter.drawImage(0, 0, image)
        painter.end()
        white.save(str(out), "PNG")  # type: ignore[call-overload]  # str: see _save
        document.close()
    elif shutil.which("pdftoppm"):
        source = scratch / "summary.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-f", "1", "-l", "1", "-singlefile",
                        "-scale-to-x", str(PAGE_WIDTH), "-scale-to-y", "-1",
                        str(source), str(out.with_suffix(""))], check=True)
        source.unlink()
    else:
        raise SystemExit("screenshots: neither QtPdf nor pdftoppm is available")
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")


def make_screenshots(out: Path) -> None:
    from groupleader.data.demo import build_demo_vault
    from groupleader.ui.app import create_application
    from groupleader.ui.main_window import MainWindow
    from groupleader.ui.settings import Settings

    app = create_application([sys.argv[0]])
    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="groupleader-shots-"))
    try:
        vault_path = scratch / "demo.vault"
        passphrase = "screenshots of invented records"
        print("building the demo vault…", flush=True)
        build_demo_vault(vault_path, passphrase, today=TODAY)
        settings = Settings(path=scratch / "settings.ini")
        settings.backup_folder = str(scratch / "backups")
        settings.unsigned_draft_warning_days = 3650  # no "draft · N days" that ages
        window = MainWindow(settings, vault_path=vault_path)
        window.resize(WINDOW)
        window.show()
        _settle()
        window.unlock_page.passphrase.setText(passphrase)
        window.unlock_page.submit()
        _wait(lambda: window.ctx.vault is not None, "the vault to open")
        window.resize(WINDOW)
        vault = window.ctx.vault
        assert vault is not None
        _use_profile(window, settings, vault_path, LEADER)
        ws = window.workspace
        from groupleader.data.operations import query
        from groupleader.data.services import groups

        thursday = next(g.id for g in query(vault, groups.list_groups) if g.name == THURSDAY)
        ws.sidebar.select_group(thursday)

        roster, seating, sessions = ws.roster_view, ws.seating_view, ws.sessions_view
        assert roster is not None and seating is not None and sessions is not None
        ws.tabs.setCurrentWidget(roster)
        entry = next(r for r in range(roster.model.rowCount())
                     if ROSTER_MEMBER in str(roster.model.index(r, 0).data()))
        roster.table.selectRow(roster.proxy.mapFromSource(roster.model.index(entry, 0)).row())
        _save(window, out / "roster.png")

        seating_id = _busiest_full_circle(vault, thursday)
        window.ctx.select_meeting(seating_id)
        ws.tabs.setCurrentWidget(seating)
        _settle()
        seating.canvas.fit()
        _save(window, out / "seating.png")

        notes_id = _meeting_id(vault, thursday, NOTES_SESSION)
        window.ctx.select_meeting(notes_id)
        ws.tabs.setCurrentWidget(sessions)
        sessions.tabs.setCurrentWidget(sessions.group_editor)
        _save(window, out / "notes.png")

        from groupleader.report import batch
        from groupleader.report.model import ReportOptions

        rendered = batch.render_job(
            vault, batch.ExportJob("session", thursday, meeting_id=notes_id),
            ReportOptions(practice="Harbourside Psychotherapy (demo)",
                          deidentify=settings.export_deidentify, include_private=False))
        render_page(rendered.data, out / "summary-page1.png", scratch)
        window.close()
        app.processEvents()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m groupleader.screenshots OUTPUT_FOLDER", file=sys.stderr)
        return 2
    make_screenshots(Path(args[0]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Screen-share safe over the whole main window on the demo vault: with it on, nothing
shown on the screen (labels, edits, item views, tab and window titles, tooltips, Find's
results) holds any form of any member's name, other spelling or emergency contact; the
notes are hidden behind a banner after being saved. Turned off, every text is back as it
was, and the vault was not written."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QLineEdit
from sqlalchemy import func, select

from groupleader.data.demo import build_demo_vault
from groupleader.data.models import AuditEvent
from groupleader.data.operations import query
from groupleader.data.services import groups, meetings, members, notes
from groupleader.data.vault import Vault
from groupleader.folding import fold
from groupleader.ui.find import FindDialog
from groupleader.ui.main_window import MainWindow
from tests.conftest import PASSPHRASE, TEST_KDF_ITER
from tests.ui.shell_support import unlocked_window, visible_texts

MakeWindow = Callable[..., MainWindow]
RELATIONS = {"neighbour", "brother", "son", "husband", "mother", "sister", "friend",
             "daughter", "partner"}


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "demo.vault"
    build_demo_vault(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER, today=date(2025, 6, 2))
    return path


def name_forms(vault: Vault) -> set[str]:
    """Every folded word of every member's names, other spellings and emergency contact."""
    words: set[str] = set()
    for m in query(vault, members.list_members, include_archived=True):
        for text in (m.full_name, m.preferred_name, *m.also_written_as, m.emergency_contact):
            for word in re.findall(r"[^\W\d_]{3,}", fold(text)):
                if word not in RELATIONS:
                    words.add(word)
    return words


def leaks(texts: list[str], forms: set[str]) -> list[tuple[str, str]]:
    found = []
    for text in texts:
        folded = fold(text)
        for form in forms:
            if re.search(rf"(?<!\w){re.escape(form)}(?!\w)", folded):
                found.append((form, text[:80]))
    return found


def note_texts(sessions: Any) -> dict[object, list[str]]:
    """Every note field's text: the group note's and each member's (an editor not shown yet
    is built now: editors are made, or refilled, when first shown)."""
    texts: dict[object, list[str]] = {
        "group": [f.edit.toPlainText() for f in sessions.group_editor.fields.values()]}
    for mid in sessions.member_notes.member_ids():
        editor = sessions.member_notes.editor(mid)
        texts[mid] = [e.toPlainText() for e in editor.edits()]
    assert any(t for ts in texts.values() for t in ts)  # the demo's notes are read
    return texts


def settle() -> None:
    for _ in range(4):
        QApplication.processEvents()


def audit_events(vault: Vault) -> int:
    with vault.unit_of_work() as db:
        return int(db.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def test_screen_share_safe_shows_no_member_name_anywhere_and_gives_everything_back(
    qtbot: Any, make_window: MakeWindow, demo_file: Path
) -> None:
    window = unlocked_window(qtbot, make_window, demo_file)
    vault = window.ctx.require_vault()
    forms = name_forms(vault)
    assert "naama" in forms and "zoe" in forms
    group = next(g for g in query(vault, groups.list_groups) if g.name == "Living with Loss")
    window.workspace.sidebar.select_group(group.id)
    sessions = window.workspace.sessions_view
    window.workspace.tabs.setCurrentWidget(sessions)
    held = [m for m in query(vault, meetings.list_meetings, group.id) if m.status == "held"]
    assert sessions.select_meeting(held[-1].id)
    sessions.tabs.setCurrentIndex(1)  # the group note
    settle()
    find = FindDialog(window.ctx, window)
    qtbot.addWidget(find)
    find.show()
    find.query.setText("said")
    find.run()
    settle()
    plan = sessions.group_editor.fields["plan"].edit
    assert not plan.isReadOnly(), "the demo's last session is a draft"
    typed = " Zoë O’Brien will call."
    plan.setFocus()
    plan.moveCursor(plan.textCursor().MoveOperation.End)
    plan.insertPlainText(typed)  # typed (QTest aborts on "ë"), not yet saved
    shown_before = visible_texts(None, shown_only=True)
    assert leaks(shown_before, forms), "the names are on screen while it is off"
    lines_before = [w.text() for w in sessions.findChildren(QLineEdit)]
    editors_before = note_texts(sessions)

    window.safe_action.trigger()
    settle()
    note = query(vault, notes.load_meeting_notes, held[-1].id, include_private=False)
    assert note.group_note is not None
    assert note.group_note.fields.plan.endswith(typed)  # what was typed is saved as typed
    events_before = audit_events(vault)
    find.run()  # Find's results come again, redacted
    settle()
    assert window.settings.screen_share_safe
    assert sessions.safe_banner.isVisible()
    assert find.model.rowCount() > 0
    for tab in range(window.workspace.tabs.count()):  # every view of the window
        window.workspace.tabs.setCurrentIndex(tab)
        settle()
        shown = visible_texts(None, shown_only=True)
        assert leaks(shown, forms) == []
    window.workspace.tabs.setCurrentWidget(sessions)
    sessions.tabs.setCurrentIndex(1)  # asked for a note page: it stays hidden
    settle()
    assert sessions.tabs.currentIndex() == 0
    assert leaks(visible_texts(None, shown_only=True), forms) == []

    window.safe_action.trigger()
    settle()
    find.run()
    settle()
    assert not sessions.safe_banner.isVisible()
    assert note_texts(sessions) == editors_before
    assert [w.text() for w in sessions.findChildren(QLineEdit)] == lines_before
    assert audit_events(vault) == events_before  # nothing was saved, redacted or not
    sessions.tabs.setCurrentIndex(1)
    settle()
    assert leaks(visible_texts(None, shown_only=True), forms)  # names back on screen

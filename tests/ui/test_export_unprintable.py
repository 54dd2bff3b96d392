"""The export dialog names the characters the PDF fonts cannot draw, before saving."""

from __future__ import annotations

import pytest

from groupleader.data.operations import notes as ops_notes
from groupleader.data.snapshots import MemberNoteFields
from groupleader.ui.context import AppContext
from groupleader.ui.export_dialog import ExportDialog
from groupleader.ui.settings import Settings
from tests.report.conftest import ODD_NAME, Clinic, build_clinic


@pytest.fixture
def clinic(vault: object) -> Clinic:
    return build_clinic(vault)  # type: ignore[arg-type]


def dialog_for(qtbot: object, clinic: Clinic) -> ExportDialog:
    settings = Settings(path=clinic.vault.path.with_name("settings.ini"))
    settings.export_deidentify = False
    ctx = AppContext(settings)
    ctx.vault = clinic.vault
    dialog = ExportDialog(ctx, clinic.group_id, clinic.draft_meeting)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.show()
    dialog.refresh_preview()
    return dialog


def test_the_preview_names_a_character_no_font_has(qtbot: object, clinic: Clinic) -> None:
    ops_notes.save_member_note(clinic.vault, clinic.draft_meeting, clinic.members[ODD_NAME],
                               MemberNoteFields(participation="Felt \U0001fae0 today."))
    dialog = dialog_for(qtbot, clinic)
    assert dialog.rendered is not None and dialog.rendered.unprintable == ("\U0001fae0",)
    assert dialog.banner.isVisible()
    assert "U+1FAE0 MELTING FACE" in dialog.banner.label.text()


def test_no_banner_when_every_character_prints(qtbot: object, clinic: Clinic) -> None:
    dialog = dialog_for(qtbot, clinic)
    assert dialog.rendered is not None and dialog.rendered.unprintable == ()
    assert not dialog.banner.isVisible()

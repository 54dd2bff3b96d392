"""Settings > Terms to hide…: the vault's general terms are added and removed there, each
change one audited step, refused with a message when it cannot be a term, and used at once
by a de-identified export and by screen-share safe mode."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from groupleader.data.models import AuditEvent
from groupleader.data.operations import query
from groupleader.data.services import hide_terms
from groupleader.data.vault import Vault
from groupleader.report.collect import load_people, redactor_for
from groupleader.report.model import ReportOptions
from groupleader.ui.context import AppContext
from groupleader.ui.hide_terms_dialog import HideTermsDialog
from groupleader.ui.privacy import screen_text
from groupleader.ui.settings import Settings
from tests.report.conftest import Clinic, build_clinic

LINE = "She works nights at Fairview Bakery now."


@pytest.fixture
def clinic(vault: Vault) -> Clinic:
    return build_clinic(vault)


def actions(vault: Vault) -> list[str]:
    with vault.unit_of_work() as db:
        return list(db.scalars(select(AuditEvent.action)))


def exported(clinic: Clinic, text: str) -> str:
    people = load_people(clinic.vault, clinic.group_id)
    return redactor_for(people, ReportOptions(deidentify=True)).text(text)


def test_terms_are_added_and_removed_audited_and_hidden_at_once(
        qtbot: QtBot, clinic: Clinic) -> None:
    vault = clinic.vault
    settings = Settings(path=vault.path.with_name("settings.ini"))
    ctx = AppContext(settings)
    ctx.vault = vault
    ctx.current_group_id = clinic.group_id
    dialog = HideTermsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "Fairview" in exported(clinic, LINE)
    qtbot.keyClicks(dialog.term, "Fairview  Bakery")
    qtbot.keyClick(dialog.term, Qt.Key.Key_Return)
    assert dialog.isVisible()  # Enter added the term, it did not close the dialog
    assert [dialog.terms.item(i).text() for i in range(dialog.terms.count())] == [
        "Fairview Bakery"]
    assert [t for _, t in query(vault, hide_terms.list_terms)] == ["Fairview Bakery"]
    assert actions(vault).count("hide_term.create") == 1
    assert "Fairview" not in exported(clinic, LINE) and "[removed]" in exported(clinic, LINE)
    settings.screen_share_safe = True
    assert "Fairview" not in screen_text(ctx, LINE)
    settings.screen_share_safe = False
    assert screen_text(ctx, LINE) == LINE

    dialog.term.setText("FAIRVIEW bakery")  # the same term, folded: nothing new
    assert dialog.add()
    assert dialog.terms.count() == 1 and actions(vault).count("hide_term.create") == 1

    dialog.terms.setCurrentRow(0)
    assert dialog.remove()
    assert dialog.terms.count() == 0 and query(vault, hide_terms.list_terms) == []
    assert actions(vault).count("hide_term.delete") == 1
    assert "Fairview" in exported(clinic, LINE)


@pytest.mark.parametrize("typed", ["🌈", "x", " - ", "y" * 200 + " z"])
def test_a_term_that_cannot_be_one_is_refused_and_nothing_is_written(
        qtbot: QtBot, clinic: Clinic, typed: str) -> None:
    ctx = AppContext(Settings(path=clinic.vault.path.with_name("settings.ini")))
    ctx.vault = clinic.vault
    dialog = HideTermsDialog(ctx)
    qtbot.addWidget(dialog)
    before = actions(clinic.vault)
    dialog.term.setMaxLength(1000)  # the field's own limit aside: the rule is the service's
    dialog.term.setText(typed)
    assert not dialog.add()
    assert dialog.banner.label.text()
    assert dialog.term.text() == typed  # kept, to be corrected
    assert query(clinic.vault, hide_terms.list_terms) == []
    assert actions(clinic.vault) == before

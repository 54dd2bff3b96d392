"""The demo vault's questionnaires tell the issue's story."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from groupleader.data.demo import build_demo_vault
from groupleader.data.demo_measures import core10_answers
from groupleader.data.operations import query
from groupleader.data.services import groups, measures
from groupleader.data.vault import Vault
from groupleader.measures import registry, scoring
from tests.conftest import PASSPHRASE, TEST_KDF_ITER, open_vault

TODAY = date(2025, 3, 12)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.vault"
    build_demo_vault(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER, today=TODAY)
    return path


@pytest.fixture
def dv(built: Path) -> Iterator[Vault]:
    vault = open_vault(built)
    yield vault
    vault.close()


def test_core10_answers_score_the_total_asked_for() -> None:
    import random

    inst = registry.instrument("core10")
    rng = random.Random(1)
    for total in range(0, 37):
        answers = core10_answers(total, rng)
        result = scoring.score(inst, answers)
        assert result.total == total and result.risk == ()


def test_one_member_improves_reliably_and_one_deteriorates(dv: Vault) -> None:
    group = next(g for g in query(dv, groups.list_groups) if g.kind == "psychodynamic")
    scores = query(dv, measures.group_scores, group.id)
    members = sorted({s.member_id for s in scores})
    final: dict[str, int] = {}
    for member_id in members:
        [trend] = query(dv, measures.member_trends, member_id, group.id)
        points = trend.series[0].points
        if len(points) > 1:
            last = points[-1].marker
            final[last] = final.get(last, 0) + 1
    assert final.get("recovered", 0) + final.get("improved", 0) >= 1
    assert final.get("deteriorated", 0) >= 1


def test_engagement_rises_and_conflict_peaks_in_the_middle(dv: Vault) -> None:
    group = next(g for g in query(dv, groups.list_groups) if g.kind == "psychodynamic")
    [climate] = query(dv, measures.group_climate, group.id)
    by_key = {s.key: [p.value for p in s.points] for s in climate.series}
    engaged, conflict = by_key["engaged"], by_key["conflict"]
    assert len(engaged) >= 10
    third = len(engaged) // 3
    assert sum(engaged[-third:]) / third > sum(engaged[:third]) / third + 1
    middle = conflict[third:-third]
    assert max(middle) > max(conflict[:third]) and max(middle) > max(conflict[-third:])

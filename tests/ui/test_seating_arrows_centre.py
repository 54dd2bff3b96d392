"""On screen, as on paper, no interaction arrow passes under the centre circle, and the
chairs of a full circle keep a gap between them."""

from __future__ import annotations

import math

import pytest
from pytestqt.qtbot import QtBot

from groupleader.data.operations import seating as ops_seating
from groupleader.data.snapshots import ChairSpec, Party
from groupleader.data.vault import Vault
from groupleader.ui.seating.scene import CENTRE_RADIUS
from tests.ui.seating_support import build_world, make_view

NAMES = tuple(f"Member Number {i}" for i in range(16))


@pytest.mark.parametrize("chairs", [12, 17])
def test_screen_arrows_stay_clear_of_the_centre(qtbot: QtBot, vault: Vault,
                                                chairs: int) -> None:
    world = build_world(vault, NAMES[:chairs - 1], sessions=1)
    meeting = world.sessions[0]
    people = [world.leader] + [world.m(n) for n in NAMES[:chairs - 1]]
    ops_seating.save_seating(vault, meeting, [ChairSpec(p.member_id, p.clinician_id)
                                              for p in people])
    half = chairs // 2
    for i, who in enumerate(people):  # everyone speaks to the person opposite, and back
        opposite: Party = people[(i + half) % chairs]
        ops_seating.add_interaction(vault, meeting, who, opposite)
    view = make_view(qtbot, vault, world, meeting)
    scene = view.scene
    assert len(scene.chairs) == chairs and len(scene.arrows) == chairs
    for arrow in scene.arrows:
        path = arrow.path
        nearest = min(math.hypot(p.x(), p.y()) for p in
                      (path.pointAtPercent(k / 60) for k in range(61)))
        assert nearest >= CENTRE_RADIUS + arrow.width / 2, arrow.toolTip()
    r = scene.chair_radius()
    spots = [c.pos() for c in scene.chairs]
    gaps = [math.hypot((a - b).x(), (a - b).y()) - 2 * r
            for a, b in zip(spots, spots[1:] + spots[:1], strict=True)]
    assert min(gaps) >= 0.2 * (2 * r)  # a clear gap, not discs touching

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


def test_screen_arrows_a_few_seats_apart_pass_no_other_chair(qtbot: QtBot,
                                                              vault: Vault) -> None:
    """The outside tester saw arrows between chairs a few seats apart bow out over the
    chairs between them: in the real seating view every arrow now keeps clear of every
    chair it does not join, empty chairs too."""
    chairs = 12
    world = build_world(vault, NAMES[:chairs - 2], sessions=1)
    meeting = world.sessions[0]
    people: list[Party | None] = [world.leader] + [world.m(n) for n in NAMES[:chairs - 2]]
    people.insert(5, None)  # an empty chair between two who speak
    ops_seating.save_seating(vault, meeting, [
        ChairSpec(p.member_id, p.clinician_id) if p else ChairSpec() for p in people])
    seated = [(i, p) for i, p in enumerate(people) if p is not None]
    for i, who in seated:
        for step in (2, 3):
            other = people[(i + step) % chairs]
            if other is not None:
                ops_seating.add_interaction(vault, meeting, who, other)
                ops_seating.add_interaction(vault, meeting, other, who)
    view = make_view(qtbot, vault, world, meeting)
    scene = view.scene
    r = scene.chair_radius()
    spots = [c.pos() for c in scene.chairs]
    assert len(scene.arrows) >= 30
    for arrow in scene.arrows:
        path = arrow.path
        points = [path.pointAtPercent(k / 60) for k in range(61)]
        ends = (points[0], points[-1])
        for spot in spots:
            if min(math.hypot((spot - e).x(), (spot - e).y()) for e in ends) < r + 20:
                continue  # the chairs it leaves and reaches
            nearest = min(math.hypot((p - spot).x(), (p - spot).y()) for p in points)
            assert nearest >= r + arrow.width / 2, arrow.toolTip()


def test_a_chairs_mark_leaves_its_name_clear_in_a_circle_of_forty() -> None:
    """The moved mark covered the name and the next chair at 40 chairs (9 px on a chair
    of 15.7): on a small chair it is smaller and sits outside the disc; on a large one it
    stays 9 px."""
    from PySide6.QtCore import QPointF

    from groupleader.seating import chair_radius_for
    from groupleader.ui.seating.items import mark_size, mark_spots
    from groupleader.ui.seating.scene import CHAIR_FRACTION, ROOM_RADIUS

    small = chair_radius_for(40, ROOM_RADIUS, CHAIR_FRACTION)
    assert mark_size(small) <= 0.4 * small  # its width is under half the chair's
    for at in mark_spots(small, QPointF(0, -1)):  # outside the disc the name fills
        assert math.hypot(at.x(), at.y()) - mark_size(small) >= small
    large = chair_radius_for(8, ROOM_RADIUS, CHAIR_FRACTION)
    assert mark_size(large) >= 9.0

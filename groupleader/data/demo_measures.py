"""The demo practice's questionnaires: a few months of scores that tell a plausible story.

In the Thursday Evening Group (open-ended, psychodynamic) every member fills in the
CORE-10 and the GCQ-S at each session they attend. One member improves reliably and
leaves the clinical range, one deteriorates reliably, the others wander within a few
points; the group's engagement rises over the months and its conflict peaks in the
middle, as a group's climate often does. Risk items stay at 0: the demo's risk entries
come from the risk register's own demo data. Built after the sessions (a pass of its own),
through the same operations the window uses.
"""

from __future__ import annotations

import random
from datetime import timedelta

from groupleader.data import clock
from groupleader.data.operations import measures as ops
from groupleader.data.operations import query
from groupleader.data.services import groups, meetings
from groupleader.data.vault import Vault
from groupleader.measures import registry

DEMO_GROUP = "Thursday Evening Group"
ATTENDED = ("present", "late")


def core10_answers(total: int, rng: random.Random) -> list[int | None]:
    """CORE-10 answers that score `total` (0..36) with item 6 (risk) at 0; items 2 and 3
    are reverse-keyed, so their answers are turned round."""
    inst = registry.instrument("core10")
    q, r = divmod(max(0, min(total, 36)), 9)
    scores = [q + 1] * r + [q] * (9 - r)
    rng.shuffle(scores)
    answers: list[int | None] = []
    for number in range(1, 11):
        if number in inst.risk_items:
            answers.append(0)
            continue
        s = scores.pop()
        answers.append(inst.max_value - s if number in inst.reverse_items else s)
    return answers


def gcqs_answers(engaged: float, avoiding: float, conflict: float,
                 rng: random.Random) -> list[int | None]:
    inst = registry.instrument("gcqs")
    target = {}
    for scale, level in zip(inst.scales, (engaged, avoiding, conflict), strict=True):
        for item in scale.items:
            target[item] = level
    return [max(0, min(6, round(target[n] + rng.uniform(-0.8, 0.8))))
            for n in range(1, inst.n_items + 1)]


def story_total(role: int, k: int, n: int, rng: random.Random) -> int:
    """Member `role`'s CORE-10 total at their `k`-th form of `n`."""
    t = k / max(n - 1, 1)
    if role == 0:  # improving reliably: 23 down to about 8
        return round(23 - 15 * t + rng.uniform(-1.5, 1.5))
    if role == 1:  # deteriorating reliably: about 11 up to 20
        return round(11 + 9 * t ** 1.5 + rng.uniform(-1.2, 1.2))
    base = 9 + 4 * role % 11
    return round(base + rng.uniform(-2.5, 2.5))


def add_demo_scores(vault: Vault, seed: int = 17) -> None:
    rng = random.Random(seed)
    group = next((g for g in query(vault, groups.list_groups) if g.name == DEMO_GROUP), None)
    if group is None:
        return
    ops.set_group_instruments(vault, group.id, [("core10", "every_session"),
                                                ("gcqs", "every_session")])
    held = [m for m in query(vault, meetings.list_meetings, group.id) if m.status == "held"]
    attended = {m.id: [a.member_id for a in query(vault, meetings.attendance_for, m.id)
                       if a.status in ATTENDED] for m in held}
    order: list[int] = []  # members in the order they first came: the story's roles
    forms: dict[int, int] = {}
    for m in held:
        for member_id in attended[m.id]:
            if member_id not in order:
                order.append(member_id)
            forms[member_id] = forms.get(member_id, 0) + 1
    done: dict[int, int] = {}
    for i, m in enumerate(held):
        t = i / max(len(held) - 1, 1)
        engaged = 1.8 + 2.6 * t
        conflict = 1.0 + 2.8 * max(0.0, 1 - abs(t - 0.5) / 0.3)
        avoiding = 3.4 - 1.6 * t
        with clock.frozen_at(m.starts_at + timedelta(minutes=m.length_minutes + 5)):
            for member_id in attended[m.id]:
                k = done.get(member_id, 0)
                done[member_id] = k + 1
                role = order.index(member_id)
                total = story_total(role, k, forms[member_id], rng)
                ops.save_score(vault, m.id, member_id, "core10",
                               answers=core10_answers(total, rng))
                ops.save_score(vault, m.id, member_id, "gcqs",
                               answers=gcqs_answers(engaged, avoiding, conflict, rng))

"""De-identification cost: a de-identified session summary against an identified one.

Prints figures and ratios measured in the same run; never fails on time.
- summary: one session of the demo vault collected and rendered, identified and then
  de-identified (its own matcher built, as each export builds one), each best of several
  rounds taken in turns; the ratio de-identified / identified, goal at most 1.5.
- batch: every held session of the demo vault in a row, one `People` (one matcher) for
  the batch, de-identified against identified.
- matcher: building the redactor over every member of the vault, and reading one note,
  so a regression in either shows by itself.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from groupleader.data.demo import build_demo_vault
from groupleader.data.operations import query
from groupleader.data.services import groups, meetings
from groupleader.data.vault import Vault
from groupleader.report import redact
from groupleader.report.batch import ExportJob, render_job
from groupleader.report.collect import load_people, redactor_for
from groupleader.report.fonts import register_fonts
from groupleader.report.model import ReportOptions
from groupleader.report.redact import Identity, Redactor

ROUNDS = 7
IDENTIFIED = ReportOptions()
DEIDENTIFIED = ReportOptions(deidentify=True)


def best(fn: Callable[[], object], rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def paired(a: Callable[[], object], b: Callable[[], object], rounds: int = ROUNDS
           ) -> tuple[float, float]:
    """The best time of each, run in turns (a, b, a, b, ...) so that a busy machine slows
    both alike rather than whichever ran while it was busy."""
    times_a, times_b = [], []
    for _ in range(rounds):
        times_a.append(best(a, 1))
        times_b.append(best(b, 1))
    return min(times_a), min(times_b)


def main() -> None:
    register_fonts()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.vault"
        build_demo_vault(path, "bench passphrase", test_kdf_iter=256, today=date(2025, 6, 2))
        vault = Vault.open(path, "bench passphrase", test_kdf_iter=256)
        group = query(vault, groups.list_groups)[0]
        held = [m.id for m in query(vault, meetings.list_meetings, group.id)
                if m.status == "held"]
        job = ExportJob("session", group.id, meeting_id=held[-1])
        render_job(vault, job, DEIDENTIFIED)  # warm: fonts, imports, caches

        plain, hidden = paired(lambda: render_job(vault, job, IDENTIFIED),
                               lambda: render_job(vault, job, DEIDENTIFIED), 15)
        print(f"summary: identified {plain * 1000:.1f} ms, de-identified {hidden * 1000:.1f} ms,"
              f" ratio {hidden / plain:.2f} (goal <= 1.5)")

        def batch(options: ReportOptions) -> None:
            people = load_people(vault, group.id)
            for meeting_id in held:
                render_job(vault, ExportJob("session", group.id, meeting_id=meeting_id),
                           options, people)

        plain_b, hidden_b = paired(lambda: batch(IDENTIFIED), lambda: batch(DEIDENTIFIED), 3)
        print(f"batch of {len(held)}: identified {plain_b:.2f} s, de-identified {hidden_b:.2f} s,"
              f" ratio {hidden_b / plain_b:.2f} (goal <= 1.5)")

        people = load_people(vault, group.id)
        build = best(lambda: Redactor(people.identities, terms=people.terms,
                                      known=people.known), 20)
        load = best(lambda: load_people(vault, group.id))
        note = ("Zoë said she had lost hope; Rafa phoned (206) 555-0131 on 3rd March 1979 "
                "and Naama answered. ") * 20
        redactor = redactor_for(people, DEIDENTIFIED)
        read = best(lambda: redactor.text(note), 50)
        print(f"matcher: built over every member in {build * 1000:.2f} ms (loading "
              f"the members {load * 1000:.2f} ms); one {len(note)}-character note read in "
              f"{read * 1000:.2f} ms")

        # A large vault: 3,000 more members (each with a phone, an e-mail and a contact),
        # the matcher built cold (no cached name forms) against one identified summary.
        many = people.identities + tuple(
            Identity(100_000 + i, f"{first} {last}-{i % 97}", "", f"X{i}.",
                     phone=f"+1 206 555 {i:04d}", email=f"p{i}@example.org",
                     emergency_contact=f"Sister: {last.title()} {first} 555-{i:04d}")
            for i, (first, last) in enumerate(
                (f, la) for f in ("Ana", "Olu", "Mei", "Tariq", "Ingrid", "Pedro")
                for la in (f"lindqvist{j}" for j in range(500))))

        def cold_build() -> None:
            for cached in (redact._name_words, redact._contact_words, redact._phone_digits):
                cached.cache_clear()
            Redactor(many, terms=people.terms, known=people.known)

        floor, built = paired(lambda: Redactor(people.identities, terms=people.terms,
                                               known=people.known), cold_build, 5)
        warm = best(lambda: Redactor(many, terms=people.terms, known=people.known), 5)
        print(f"large vault ({len(many)} members): matcher built in {built * 1000:.0f} ms "
              f"cold ({built / len(many) * 1e6:.0f} us a member), {warm * 1000:.0f} ms warm; "
              f"over the demo's {len(people.identities)} members {floor * 1000:.2f} ms")
        vault.close()


if __name__ == "__main__":
    main()

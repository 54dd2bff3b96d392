"""De-identified exports name no one: the demo practice, generated names, every layer of
the PDF (pypdf's text, poppler's pdftotext where installed, metadata, outline, file name);
and a member extract keeps its subject's own words byte for byte."""

from __future__ import annotations

import functools
import io
import itertools
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from groupleader.data.demo import build_demo_vault
from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.operations import roster as ops_roster
from groupleader.data.services import groups as groups_svc
from groupleader.data.services import members as members_svc
from groupleader.data.snapshots import (
    ClinicianSpec,
    GroupNoteFields,
    GroupSpec,
    MemberNoteFields,
    MemberSpec,
)
from groupleader.data.vault import Vault
from groupleader.report import batch
from groupleader.report.collect import load_people, meetings_between
from groupleader.report.collect_period import collect_member_extract
from groupleader.report.model import ReportOptions
from groupleader.report.pdf_output import DEIDENTIFIED_HEADER
from groupleader.report.redact import COMMON_WORD_NAMES
from tests.conftest import TEST_KDF_ITER
from tests.report.pdfcheck import pages_text

DEID = ReportOptions(deidentify=True)
PDFTOTEXT = shutil.which("pdftotext")


_LATIN = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe", "ı": "i",
                        "’": "'", "ʼ": "'", "‘": "'"})


def plain(text: str) -> str:
    """The test's own folding, written apart from groupleader/folding.py so that a fault
    there cannot hide a leak here: NFKD, marks dropped, case-folded, a few Latin letters
    spelled plainly, apostrophes as "'"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold() \
        .translate(_LATIN)


def every_layer(data: bytes, stem: str) -> str:
    """All the text a reader of the file can see, folded: pages, metadata, outline, name."""
    # pypdf extracts right-to-left words in visual order: read them both ways
    text = plain(raw_layers(data, stem))
    return text + "\n" + "".join(reversed(text))


def raw_layers(data: bytes, stem: str) -> str:
    """Every text layer of the file as extracted, unfolded (NFKC: Hangul as syllables)."""
    reader = PdfReader(io.BytesIO(data))
    # metadata's text values (a PDF name such as /Trapped's /False is not text a reader sees,
    # and hypothesis once made a member called "False")
    parts = pages_text(data) + [f"{k}={v}" for k, v in (reader.metadata or {}).items()
                                if not str(v).startswith("/")]
    parts += [str(item.title) for item in reader.outline if hasattr(item, "title")]
    parts.append(stem)
    if PDFTOTEXT:
        parts.append(subprocess.run([PDFTOTEXT, "-q", "-", "-"], input=data,
                                    capture_output=True, check=True).stdout.decode())
    return unicodedata.normalize("NFKC", "\n".join(parts))


def words_of(name: str) -> list[str]:
    return [w for w in re.split(r"[\s\-]+", plain(name)) if len(w) >= 3]


def assert_named_by_none(text: str, names: list[str]) -> None:
    for name in names:
        for word in words_of(name):
            assert not re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text), word


def test_the_pdftotext_layer_is_checked_where_poppler_is_installed() -> None:
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; pypdf's text is checked")
    assert Path(PDFTOTEXT).exists()


# ---------------------------------------------------------------- the demo practice


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Vault:
    path = tmp_path_factory.mktemp("demo") / "demo.vault"
    build_demo_vault(path, "demo passphrase", test_kdf_iter=TEST_KDF_ITER,
                     today=date(2025, 6, 2))
    return Vault.open(path, "demo passphrase", test_kdf_iter=TEST_KDF_ITER)


def test_the_demo_practices_deidentified_exports_name_no_member(demo: Vault) -> None:
    members = query(demo, members_svc.list_members, include_archived=True)
    names = [n for m in members for n in (m.full_name, m.preferred_name, *m.also_written_as)
             if n]
    assert "Naama" in names
    checked = 0
    for group in query(demo, groups_svc.list_groups, include_archived=True):
        people = load_people(demo, group.id)
        jobs = [batch.ExportJob("period", group.id)]
        jobs += [batch.ExportJob("session", group.id, meeting_id=m.id)
                 for m in meetings_between(demo, group.id, None, None) if m.status == "held"]
        for job in jobs:
            rendered = batch.render_job(demo, job, DEID, people)
            assert rendered.file_stem.endswith("-deidentified")
            text = every_layer(rendered.data, rendered.file_stem)
            assert_named_by_none(text, names)
            assert plain(DEIDENTIFIED_HEADER) in text
            checked += 1
    assert checked > 20


# ---------------------------------------------------------------- generated names

_LETTERS = "abcdefghijklmnoprstuvz"
_ACCENTED = "áéíóúëïöüñçãõøåšžł"


@st.composite
def written_forms(draw: st.DrawFn) -> tuple[str, str]:
    """(a stored name, a way a note writes it): accents, case, apostrophes, NFD, prefixes."""
    first = draw(st.text(_LETTERS + _ACCENTED, min_size=3, max_size=7))
    last = draw(st.text(_LETTERS + _ACCENTED, min_size=3, max_size=8))
    if draw(st.booleans()):
        last = "o'" + last
    stored = f"{first.capitalize()} {last.capitalize()}"
    written = plain(stored) if draw(st.booleans()) else stored
    written = draw(st.sampled_from([str.upper, str.lower, str.title, str]))(written)
    written = written.replace("'", draw(st.sampled_from(["'", "’", "ʼ"])))
    if draw(st.booleans()):
        written = unicodedata.normalize("NFD", written)
    if draw(st.booleans()):
        written = written.split()[0]
    return stored, written


_VAULTS = itertools.count()
HEBREW = st.sampled_from(["נעמה", "יעל", "דוד", "שירה"])

# Chinese, Korean and Japanese names from characters the notes' own words never use, so
# that any one of them left in the PDF is a leak (of the name or of a pseudonym made of it).
_HAN_FAMILY, _HAN_GIVEN = "王李张刘杨赵黄周吴", "小明华伟芳娜静丽强磊军洋勇艳杰娟涛超"
_KO_FAMILY, _KO_GIVEN = "김이박최정", "민준서연지현수우진영"
_JA_FAMILY = ["田中", "山田", "佐藤", "鈴木", "高橋"]
_JA_GIVEN = ["花子", "太郎", "美咲", "健太", "ゆうこ"]


@st.composite
def cjk_names(draw: st.DrawFn) -> tuple[str, str]:
    """(a stored CJK name, a note naming the person every way a note does): the whole
    name, the given name alone, the family name before an honorific (and alone, where it
    has two characters), in NFD where that changes it (Hangul, voiced kana)."""
    script = draw(st.sampled_from(["zh", "ko", "ja"]))
    if script == "ja":
        family, given = draw(st.sampled_from(_JA_FAMILY)), draw(st.sampled_from(_JA_GIVEN))
        stored = family + draw(st.sampled_from(["", " ", "\u3000"])) + given
        note = (f"今日{family}{given}と話した。{given}が泣いた。{family}さんが来た。"
                f"{family}が笑った。")
    else:
        fam, giv = (_HAN_FAMILY, _HAN_GIVEN) if script == "zh" else (_KO_FAMILY, _KO_GIVEN)
        family = draw(st.sampled_from(fam))
        given = "".join(draw(st.lists(st.sampled_from(giv), min_size=2, max_size=2)))
        stored = family + draw(st.sampled_from(["", " "])) + given
        note = (f"今天{family}{given}说了很多事情。{given}也哭了。{family}先生来了。"
                if script == "zh" else
                f"오늘 {family}{given}가 왔다. {given}는 울었다. {family}씨가 왔다.")
    if draw(st.booleans()):
        note = unicodedata.normalize("NFD", note)
    return stored, note


_CJK_WORDS = {"zh": "说了很多事情", "ko": "울었다", "ja": "と話した"}


@settings(max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "12")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(form=written_forms(), hebrew=HEBREW, prefix=st.sampled_from(["", "ו", "ל", "וב", "ש"]),
       cjk=cjk_names())
def test_no_written_form_of_a_generated_name_survives(
        vault_factory: Callable[..., Vault], form: tuple[str, str], hebrew: str,
        prefix: str, cjk: tuple[str, str]) -> None:
    stored, written = form
    # A name that is also a word the document prints whoever is named ("Ada" the leader,
    # "Page", "Notes") can't be told from a leak; a common-word name ("Will", "Pat") is
    # left where it names no one by design (the corpus holds those cases).
    assume(not set(words_of(stored)) & (fixed_words() | COMMON_WORD_NAMES))
    cjk_name, cjk_note = cjk
    vault = vault_factory(f"v{next(_VAULTS)}.vault")  # hypothesis may replay an example
    lead = ops_groups.create_clinician(vault, ClinicianSpec("Ada Leader", "leader")).value
    group = ops_groups.create_group(vault, GroupSpec("Group", "support", (lead.id,))).value
    a = ops_roster.create_member(vault, MemberSpec(stored)).value
    b = ops_roster.create_member(vault, MemberSpec(f"{hebrew} כהן")).value
    c = ops_roster.create_member(vault, MemberSpec(cjk_name)).value
    for m in (a, b, c):
        ops_roster.add_membership(vault, m.id, group.id, "active", on_date=date(2025, 1, 6))
    s = ops_meetings.schedule_meeting(vault, group.id, date_at(2025, 3, 4),
                                      topic=f"About {written}").value
    ops_meetings.hold_meeting(vault, s.id)
    for m in (a, c):
        ops_meetings.record_attendance(vault, s.id, m.id, "present")
    ops_notes.save_group_note(vault, s.id, GroupNoteFields(
        themes=f"{written} spoke; then {written}'s turn. דיברנו {prefix}{hebrew} היום. "
               f"{cjk_note}"))
    ops_notes.save_member_note(vault, s.id, a.id, MemberNoteFields(
        participation=f"Met with {written} and {prefix}{hebrew}."))
    ops_notes.save_member_note(vault, s.id, c.id, MemberNoteFields(participation=cjk_note))
    rendered = batch.render_job(vault, batch.ExportJob("session", group.id, meeting_id=s.id),
                                DEID)
    text = every_layer(rendered.data, rendered.file_stem)
    assert_named_by_none(text, [stored, hebrew])
    assert "spoke" in text
    raw = raw_layers(rendered.data, rendered.file_stem)
    left = [ch for ch in unicodedata.normalize("NFKC", cjk_name) if not ch.isspace()
            and ch in raw]
    assert not left, left
    # the CJK words around the name reached the text layers (so the check above can fail)
    assert any(words in raw for words in _CJK_WORDS.values())


@functools.cache
def fixed_words() -> frozenset[str]:
    """The words of a de-identified session summary that name no member (headings, the
    leader, the group), from one rendered with names no document prints."""
    path = Path(tempfile.mkdtemp(prefix="groupleader-fixed-")) / "fixed.vault"
    vault = Vault.create(path, "fixed words", test_kdf_iter=TEST_KDF_ITER)
    try:
        lead = ops_groups.create_clinician(vault, ClinicianSpec("Ada Leader", "leader")).value
        group = ops_groups.create_group(vault, GroupSpec("Group", "support", (lead.id,))).value
        a = ops_roster.create_member(vault, MemberSpec("Qxq Zqz")).value
        ops_roster.add_membership(vault, a.id, group.id, "active", on_date=date(2025, 1, 6))
        s = ops_meetings.schedule_meeting(vault, group.id, date_at(2025, 3, 4),
                                          topic="About Qxq").value
        ops_meetings.hold_meeting(vault, s.id)
        ops_meetings.record_attendance(vault, s.id, a.id, "present")
        ops_notes.save_group_note(vault, s.id, GroupNoteFields(
            themes="Qxq spoke; then Qxq's turn."))
        ops_notes.save_member_note(vault, s.id, a.id, MemberNoteFields(
            participation="Met with Qxq and."))
        rendered = batch.render_job(
            vault, batch.ExportJob("session", group.id, meeting_id=s.id), DEID)
        return frozenset(re.findall(r"[\w']+", every_layer(rendered.data,
                                                             rendered.file_stem)))
    finally:
        vault.close()
        shutil.rmtree(path.parent, ignore_errors=True)


def date_at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 18).astimezone()


# ---------------------------------------------------------------- a faithful extract


def test_a_member_extract_keeps_the_subjects_own_text_byte_for_byte(
        vault_factory: Callable[..., Vault]) -> None:
    vault = vault_factory("extract.vault")
    lead = ops_groups.create_clinician(vault, ClinicianSpec("Ada Leader", "leader")).value
    group = ops_groups.create_group(vault, GroupSpec("Group", "support", (lead.id,))).value
    will = ops_roster.create_member(vault, MemberSpec(
        "Will Hope", phone="(206) 555-0101", email="will@example.org")).value
    other = ops_roster.create_member(vault, MemberSpec("Zoë Kaplan")).value
    third = ops_roster.create_member(vault, MemberSpec(
        "Miriam Cohen", emergency_contact="Mrs Rose Garden Care Home, Park Road")).value
    for m in (will, other, third):
        ops_roster.add_membership(vault, m.id, group.id, "active", on_date=date(2025, 1, 6))
    s = ops_meetings.schedule_meeting(vault, group.id, date_at(2025, 3, 4)).value
    ops_meetings.hold_meeting(vault, s.id)
    own = unicodedata.normalize("NFD", "Will phone her tomorrow on (206) 555-0101 or "
                                "will@example.org; Hope said she had lost hope. Café ✓ "
                                "She walks in the park for self-care. Will call after 5 pm.")
    ops_notes.save_member_note(vault, s.id, will.id, MemberNoteFields(
        participation=own, risk_followup=f"{own} Spoke with Zoë.", risk_flag=True))
    for others_as, alias in (("initials", "Z.K."), ("another member", "another member")):
        x = collect_member_extract(vault, group.id, will.id, None, None,
                                   ReportOptions(others_as=others_as))
        texts = [sec.text for sec in x.entries[0].sections]
        assert texts[0] == own  # byte for byte
        end = "" if alias.endswith(".") else "."  # "Z.K." ends the sentence itself
        assert texts[-1] == f"{own} Spoke with {alias}{end}"
        assert x.member_name == "Will Hope"

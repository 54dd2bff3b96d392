"""Passphrases: one form however they arrive, zxcvbn's verdict, random-word suggestions."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from groupleader import passphrases
from groupleader.errors import InvalidInput

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("given", [
    "\ufeffmaple river lantern", "maple river lantern\n", "maple river lantern\r\n",
    "maple river lantern\r", "\ufeffmaple river lantern\r\n\r\n", "maple river lantern\n\n",
])
def test_a_bom_and_line_breaks_at_the_end_are_not_part_of_a_passphrase(given: str) -> None:
    assert passphrases.from_text_source(given) == "maple river lantern"


def test_inner_spaces_and_line_breaks_are_kept() -> None:
    assert passphrases.from_text_source(" two  words ") == " two  words "
    assert passphrases.from_text_source("one\ntwo\n") == "one\ntwo"


def test_nfc_is_tried_first_and_the_given_form_only_when_it_differs() -> None:
    nfd = unicodedata.normalize("NFD", "Zoë Grüße señor")
    nfc = unicodedata.normalize("NFC", nfd)
    assert nfd != nfc
    assert passphrases.forms(nfd) == (nfc, nfd)
    assert passphrases.forms(nfc) == (nfc,)
    assert passphrases.forms("plain ascii words") == ("plain ascii words",)


@pytest.mark.parametrize("weak, why", [
    ("12345678", "common password"),
    (" " * 8, "Repeats"),
    ("aaaaaaaa", "Repeats"),
    ("password1", "common password"),
    ("asdfghjkl;", "rows of keys"),
    ("abcdefghij", "Sequences"),
    ("01/02/1999", "Dates"),
    ("clinic2024", "name a guesser tries first"),  # the vault's own name
    ("groupleader1", "name a guesser tries first"),  # the program's
])
def test_the_weakest_are_refused_with_one_calm_sentence_why(weak: str, why: str) -> None:
    with pytest.raises(InvalidInput) as err:
        passphrases.check_new(weak, passphrases.user_words("/somewhere/clinic.vault"))
    message = err.value.message
    assert err.value.field == "passphrase"
    assert why in message
    assert message.endswith("A few random words are easy to remember and hard to guess.")
    assert weak.strip() == "" or weak not in message  # the passphrase is never repeated


@pytest.mark.parametrize("padded", [
    "    x    ", "          x       ", "-----x-----", "aaaaaaxaaaaaaa", "    ab    ",
    "-----xy-----", "..........ab..........",
])
def test_one_or_two_characters_padded_or_repeated_are_refused(padded: str) -> None:
    """zxcvbn alone scores the padding as entropy; the guessable core is one or two
    characters."""
    assert not passphrases.assess(padded).acceptable
    with pytest.raises(InvalidInput, match="padding or repeats") as err:
        passphrases.check_new(padded)
    assert err.value.field == "passphrase"
    assert passphrases.problem_with_new(padded) is not None


def test_the_core_strips_the_ends_and_collapses_runs() -> None:
    assert passphrases.core("  -----x-----  ") == "-x-"
    assert passphrases.core("aaaaaaxaaaaaaa") == "axa"
    assert passphrases.core("bookkeeper committee") == "bokeper comite"


def test_short_and_untypable_passphrases_are_refused() -> None:
    with pytest.raises(InvalidInput, match="at least 8 characters"):
        passphrases.check_new("Zx9!q")
    with pytest.raises(InvalidInput, match="line breaks"):
        passphrases.check_new("maple river\nlantern quietly")


@pytest.mark.parametrize("good", [
    "correct horse battery staple", "maple river lantern quietly", "Grüße aus dem Tal, 1987",
    "x" * 40 + " but then ordinary words",  # only the first 72 characters reach zxcvbn
    "plum orbit 58 tundra dial " * 12,
    "bookkeeper committee balloon", "  maple river lantern quietly  ",
])
def test_good_passphrases_pass(good: str) -> None:
    passphrases.check_new(good)
    assert passphrases.assess(good).acceptable


def test_the_score_grows_from_weak_to_strong() -> None:
    scores = [passphrases.assess(p).score for p in
              ("", "aaaaaaaa", "Summer2024!", "benchmark passphrase", "maple river lantern")]
    assert scores == sorted(scores) and scores[0] == 0 and scores[-1] == 4


def test_suggestions_are_five_random_words_from_the_shipped_list() -> None:
    words = passphrases.word_list()
    assert len(words) == len(set(words)) == 7776
    seen = set()
    for _ in range(50):
        suggestion = passphrases.suggest()
        parts = suggestion.split(" ")
        assert len(parts) == 5 and all(p in words for p in parts)
        assert passphrases.assess(suggestion).score >= 3, suggestion
        seen.add(suggestion)
    assert len(seen) == 50  # 7776**5 possibilities: a repeat means broken randomness


def test_the_word_list_and_its_licence_are_package_resources() -> None:
    from groupleader.paths import resources_dir

    folder = resources_dir() / "wordlists"
    assert (folder / "eff_large_wordlist.txt").is_file()
    assert "CC BY 3.0 US" in (folder / "LICENSE-EFF-wordlist.txt").read_text("utf-8")


def test_zxcvbn_loads_only_when_a_passphrase_is_assessed() -> None:
    """Its dictionaries cost about 20 ms: the first screen must not pay for them."""
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from groupleader.ui.main_window import MainWindow\n"
        "from groupleader.ui.settings import Settings\n"
        "from groupleader.ui.widgets import StrengthMeter\n"
        "meter = StrengthMeter()\n"
        "print('zxcvbn' in sys.modules)\n"
        "meter.update_for('maple river lantern')\n"
        "print('zxcvbn' in sys.modules, meter.bar.value())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60,
        env={**_env(), "QT_QPA_PLATFORM": "offscreen"},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "True", "4"]


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "GROUPLEADER_PASSPHRASE"}

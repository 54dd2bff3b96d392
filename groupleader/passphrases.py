"""Passphrases: one form however they arrive, a strength check, and suggested random words.

Pure: no Qt and no database, so the window, the command line and the vault share these
rules.

- **One form.** Text can reach the program from the window, a file or an environment
  variable. A file saved by a text editor may start with a UTF-8 byte-order mark and end
  with a line break; neither can be typed in the window's one-line field, so
  `from_text_source` removes them. Unicode has two ways to write "ü" (one code point, or
  "u" and a combining mark) and keyboards differ in which they send; the vault keys with
  the NFC form (`normalize`), and an older vault keyed with another form still opens
  (`forms` gives the second try).
- **Strength** comes from zxcvbn (the estimator KeePassXC uses), imported on first use:
  loading its dictionaries costs about 20 ms, which the first screen does not pay.
  zxcvbn counts padding as entropy ("    x    " and "-----x-----" score as fair), so the
  text is also judged by its guessable core (`core`: the ends' spaces stripped, then every
  run of one character made one); a core of fewer than `MIN_DISTINCT` different
  characters, or one zxcvbn finds weak, is refused.
- **Suggestions** are random words from the EFF's long word list (7,776 words, about
  12.9 bits each), drawn with `secrets`.
"""

from __future__ import annotations

import contextlib
import threading
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import NamedTuple

from groupleader.errors import InvalidInput

MIN_LENGTH = 8
# zxcvbn's scores: 0 "too guessable" (< 10^3 guesses), 1 "very guessable" (< 10^6),
# 2 "somewhat guessable" (< 10^8), 3 "safely unguessable" (< 10^10), 4 beyond.
MIN_SCORE = 2
MIN_DISTINCT = 3  # different characters in the core: "aaaaaaxaaaaaaa" has two
SUGGESTED_WORDS = 5
BOM = "\ufeff"
_ZXCVBN_MAX_LENGTH = 72  # zxcvbn refuses longer input; more characters only add strength
_APP_WORDS = ("group", "leader", "groupleader", "vault", "therapy", "passphrase", "password")
_zxcvbn_lock = threading.Lock()  # zxcvbn keeps the user's words in a module global


def normalize(passphrase: str) -> str:
    """The form a vault is keyed with: Unicode NFC."""
    return unicodedata.normalize("NFC", passphrase)


def forms(passphrase: str) -> tuple[str, ...]:
    """The forms to try when opening: NFC first, then the exact text if it differs.

    Each try runs the key derivation, so there are never more than two.
    """
    nfc = normalize(passphrase)
    return (nfc,) if nfc == passphrase else (nfc, passphrase)


def from_text_source(text: str) -> str:
    """A passphrase as read from a file or a variable: the text someone would type.

    A leading byte-order mark and every line break at the end (LF, CRLF or a lone CR) go.
    """
    return text.removeprefix(BOM).rstrip("\r\n")


def has_control_characters(text: str) -> bool:
    """Line breaks, tabs and other control characters: nothing the window lets one type."""
    return any(unicodedata.category(c) == "Cc" for c in text)


def user_words(path: Path | str | None = None) -> list[str]:
    """Words a guesser would try first: the program's own, the vault's name, the login name."""
    import getpass
    import re

    words = list(_APP_WORDS)
    if path is not None:
        stem = Path(path).stem
        words += [stem, *re.split(r"[\W_]+", stem)]
    with contextlib.suppress(Exception):  # no login name in some environments
        words.append(getpass.getuser())
    return [w for w in words if len(w) >= 3]


def core(text: str) -> str:
    """What a guesser would try first: the spaces at the ends stripped, and every run of
    one repeated character made one ("-----x-----" is "-x-", "aaaaaaxaaaaaaa" is "axa")."""
    import re

    return re.sub(r"(.)\1+", r"\1", text.strip(), flags=re.DOTALL)


_PADDING_HINT = ("It is mostly padding or repeats around a few characters, which a "
                 "guesser tries early.")


class Strength(NamedTuple):  # not a dataclass: `dataclasses` costs the first screen 12 ms
    score: int  # zxcvbn's 0-4 (0 also for empty, too short or untypable)
    acceptable: bool  # may be used for a new vault
    hint: str  # one or two short sentences for under the field


def assess(passphrase: str, user_inputs: Iterable[str] = ()) -> Strength:
    """How hard `passphrase` is to guess, and a calm hint saying why."""
    text = normalize(passphrase)
    if not text:
        return Strength(0, False, f"Use at least {MIN_LENGTH} characters; a few random "
                                  "words work well.")
    if len(text) < MIN_LENGTH:
        more = MIN_LENGTH - len(text)
        return Strength(0, False, f"Too short: {more} more character{'s' if more != 1 else ''} "
                                  "at least.")
    if has_control_characters(text):
        return Strength(0, False, "A passphrase cannot hold line breaks, tabs or other "
                                  "control characters.")
    inputs = list(user_inputs)
    score, why = _zxcvbn(text[:_ZXCVBN_MAX_LENGTH], inputs)
    guessable = core(text)
    if score >= MIN_SCORE and len(set(guessable)) < MIN_DISTINCT:
        score, why = 0, _PADDING_HINT
    elif score >= MIN_SCORE and guessable != text:
        core_score, _ = _zxcvbn(guessable[:_ZXCVBN_MAX_LENGTH], inputs)
        if core_score < MIN_SCORE:
            score, why = core_score, _PADDING_HINT
    if score < MIN_SCORE:
        return Strength(score, False, f"{why} A few random words are easy to remember and "
                                      "hard to guess.")
    if score == MIN_SCORE:
        return Strength(score, True, "Fair: one or two more words would make it much "
                                     "stronger.")
    return Strength(score, True, "Good." if score == 3 else "Strong.")


def check_new(passphrase: str, user_inputs: Iterable[str] = ()) -> None:
    """Refuse a new passphrase that is too short, untypable or easy to guess."""
    text = normalize(passphrase)
    if len(text) < MIN_LENGTH:
        raise InvalidInput(
            f"Choose a passphrase of at least {MIN_LENGTH} characters; "
            "a few unrelated words are easy to remember and hard to guess.",
            "passphrase",
        )
    strength = assess(text, user_inputs)
    if not strength.acceptable:
        raise InvalidInput(strength.hint, "passphrase")


def problem_with_new(passphrase: str, user_inputs: Iterable[str] = ()) -> str | None:
    """Why `check_new` would refuse `passphrase` (its message), or None when it is fine:
    for windows that say so before starting any work, and clear it once fixed."""
    try:
        check_new(passphrase, user_inputs)
    except InvalidInput as err:
        return err.message
    return None


def suggest(words: int = SUGGESTED_WORDS) -> str:
    """A new passphrase of `words` random words (5 words: about 64 bits)."""
    import secrets

    vocabulary = word_list()
    return " ".join(secrets.choice(vocabulary) for _ in range(words))


@cache
def word_list() -> tuple[str, ...]:
    """The EFF's long word list, shipped in the package (see its licence beside it)."""
    from groupleader.paths import resources_dir

    data = (resources_dir() / "wordlists" / "eff_large_wordlist.txt").read_text("utf-8")
    return tuple(w for w in data.split() if w)


def _zxcvbn(text: str, user_inputs: list[str]) -> tuple[int, str]:
    """zxcvbn's score and one sentence saying why a weak passphrase is weak."""
    from zxcvbn import zxcvbn

    with _zxcvbn_lock:
        result = zxcvbn(text, user_inputs=user_inputs, max_length=_ZXCVBN_MAX_LENGTH)
    if any(m.get("dictionary_name") == "user_inputs" for m in result["sequence"]):
        why = "It contains a name a guesser tries first (the vault's, the program's or yours)."
    else:  # zxcvbn's warnings are short and calm ("Repeats like "aaa" are easy to guess.")
        why = result["feedback"]["warning"].strip() or "This is easy to guess."
    return int(result["score"]), why

"""Signing PINs: who signs is who knows the profile's PIN.

Each clinician profile may have its own signing PIN or passphrase. The vault keeps only a
salted argon2id hash of it (``clinicians.pin_hash``, the PHC string argon2-cffi writes:
parameters, salt and hash together), never the PIN. Signing, "Sign all" and co-signing
check the signer's PIN inside their own unit of work (`check_pin`), so no caller (the
window, the CLI, a script) can sign without it.

Production hashes with argon2-cffi's recommended parameters (RFC 9106, low memory:
64 MiB, 3 passes, 4 lanes; about 0.1 s). A vault opened with the test-only KDF parameter
hashes with argon2's cheapest ones, so tests stay fast; checking reads the parameters
from the stored hash, so either kind checks out in either program.

Wrong guesses are limited in this process: after `MAX_TRIES` wrong PINs in a row for a
profile, the next try is refused for `LOCKOUT_SECONDS` (nothing is written to the vault:
a wrong PIN writes nothing at all).
"""

from __future__ import annotations

import hmac
import math
import secrets
import time

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from groupleader.data.models import Clinician
from groupleader.data.services._common import fetch
from groupleader.errors import InvalidInput, PinLockedOut, PinNotSet, WrongPin

MIN_LENGTH = 4
MAX_LENGTH = 200
MAX_TRIES = 5
LOCKOUT_SECONDS = 30

_PRODUCTION = PasswordHasher()  # argon2-cffi's recommended parameters (RFC 9106 low memory)
_CHEAPEST = PasswordHasher.from_parameters(profiles.CHEAPEST)

# PINs anyone would try first, beyond repeats and runs (compared case-insensitively).
_COMMON = frozenset({
    "1212", "1122", "2580", "0852", "6969", "1004", "2000", "1010", "4444", "1313",
    "121212", "112233", "696969", "123123", "password", "passwort", "passphrase",
    "qwerty", "qwertz", "azerty", "asdf", "letmein", "secret", "signing", "admin",
})

# (where the vault is, clinician id) -> (wrong tries in a row, monotonic time of the last)
_wrong: dict[tuple[str, int], tuple[int, float]] = {}
# (where, clinician id) -> (the stored hash, a keyed tag of the PIN that matched it): a PIN
# that checked out once in this process checks out again without another argon2 run (the
# demo builder signs ~90 times). A wrong PIN never matches a tag, so each wrong guess still
# pays the full argon2 cost and counts against the limit. The key lives only in memory.
_TAG_KEY = secrets.token_bytes(32)
_matched: dict[tuple[str, int], tuple[str, bytes]] = {}


def _now() -> float:
    return time.monotonic()


def pin_problem(pin: str) -> str | None:
    """Why `pin` cannot be a signing PIN (one calm sentence), or None when it can."""
    if not isinstance(pin, str) or len(pin) < MIN_LENGTH:
        return f"A signing PIN has at least {MIN_LENGTH} characters."
    if len(pin) > MAX_LENGTH:
        return f"Shorten the signing PIN to {MAX_LENGTH} characters or fewer."
    if pin != pin.strip():
        return "A signing PIN cannot begin or end with a space."
    folded = pin.casefold()
    steps = {ord(b) - ord(a) for a, b in zip(folded, folded[1:], strict=False)}
    if (len(set(folded)) == 1 or (len(steps) == 1 and steps <= {1, -1})
            or folded in _COMMON or _repeats(folded)):
        return ("That PIN is too easy to guess (like 1111 or 1234). Choose one that is not "
                "a repeat, a run or a common choice.")
    return None


def _repeats(folded: str) -> bool:
    """A short block said again and again ("1212", "123123", "abab")."""
    n = len(folded)
    return any(n % k == 0 and folded[:k] * (n // k) == folded for k in range(1, n // 2 + 1))


def has_pin(db: Session, clinician_id: int) -> bool:
    return bool(fetch(db, Clinician, clinician_id, "clinician_id").pin_hash)


def set_pin(db: Session, clinician_id: int, new_pin: str, *, old_pin: str | None = None,
            where: str = "", cheap: bool = False) -> None:
    """Set a profile's signing PIN; changing one needs the old PIN (`old_pin`).

    `cheap` (only for a vault opened with the test-only KDF parameter) hashes with
    argon2's cheapest parameters. Raises WrongPin when the old PIN is wrong, InvalidInput
    (field "pin") when the new one is too weak."""
    c = fetch(db, Clinician, clinician_id, "clinician_id")
    if c.pin_hash:
        if old_pin is None or old_pin == "":
            raise InvalidInput("Enter the current PIN to change it.", "old_pin")
        _verify(c, old_pin, where)
    problem = pin_problem(new_pin)
    if problem:
        raise InvalidInput(problem, "pin")
    c.pin_hash = (_CHEAPEST if cheap else _PRODUCTION).hash(new_pin)
    db.flush()


def check_pin(db: Session, clinician_id: int, pin: str, *, where: str = "") -> Clinician:
    """The signer, if `pin` is their PIN; else PinNotSet, PinLockedOut or WrongPin.

    Reads only: nothing is written whether the PIN is right or wrong. `where` names the
    vault (its path) so tries are counted per vault and profile."""
    c = fetch(db, Clinician, clinician_id, "clinician_id")
    if not c.pin_hash:
        raise PinNotSet()
    _verify(c, pin, where)
    return c


def _verify(c: Clinician, pin: str, where: str) -> None:
    key = (where, c.id)
    tries, last = _wrong.get(key, (0, 0.0))
    if tries >= MAX_TRIES:
        left = LOCKOUT_SECONDS - (_now() - last)
        if left > 0:
            raise PinLockedOut(math.ceil(left))
    if not isinstance(pin, str):
        pin = ""
    tag = hmac.new(_TAG_KEY, pin.encode("utf-8", "surrogatepass"), "sha256").digest()
    remembered = _matched.get(key)
    if remembered is not None and remembered[0] == c.pin_hash and hmac.compare_digest(
            remembered[1], tag):
        ok = True
    else:
        try:
            ok = _PRODUCTION.verify(c.pin_hash, pin)
        except (VerificationError, InvalidHashError):
            ok = False
    if not ok:
        _wrong[key] = (tries + 1, _now())
        raise WrongPin()
    _wrong.pop(key, None)
    _matched[key] = (c.pin_hash, tag)

"""Finding saves that a damaged -wal file would drop, before SQLite reads it.

A vault that a killed program (or a power cut) left in WAL mode still has its last saves
in ``<vault>-wal``. SQLite takes the log's frames up to the first one whose checksum or
salts do not match and silently ignores the rest: right for a frame torn by a power cut
in the middle of the last commit, wrong for a byte changed in the middle of the log (a
failing disk), where every save after it would be dropped, and the next close, which
checkpoints and deletes the log, would make that final. The checksums are SQLite's own
(over the encrypted bytes: no key is needed), so this is read before the vault is keyed.

The log counts as damaged when a commit that SQLite would drop is followed by another
whole commit: SQLite writes (and, with ``synchronous = FULL``, syncs) each commit only
after the one before it is on the disk, so a later commit that checks out proves the
broken frame was written whole once. A break in the last commit alone is what a power
cut leaves, and is not reported.
"""

from __future__ import annotations

import mmap
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HEADER = 32
FRAME_HEADER = 24
MAGIC = (0x377F0682, 0x377F0683)  # little- or big-endian checksums


@dataclass(frozen=True)
class WalDamage:
    frame: int  # the first frame SQLite would not take (1-based)
    frames: int  # frames in the log
    lost_saves: int  # whole commits after it that SQLite would drop


def _checksum(data: bytes, seed: tuple[int, int], big_endian: bool) -> tuple[int, int]:
    """SQLite's WAL checksum of `data` (a multiple of 8 bytes), continuing from `seed`."""
    words = struct.unpack(f"{'>' if big_endian else '<'}{len(data) // 4}I", data)
    s0, s1 = seed
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def wal_damage(path: Path, page_size_guess: int = 4096) -> WalDamage | None:
    """The damage in `path`'s -wal file that would drop whole saves, or None (no log, an
    intact one, or one whose only break is in its last commit).

    A log whose own header fails its check (SQLite then ignores the whole log) is read
    with the page size it should have (`page_size_guess`, SQLCipher's) and the salts of
    its first frame: two whole commits chained after it prove it held saves."""
    wal = Path(f"{path}-wal")
    try:
        with open(wal, "rb") as f:
            if os.fstat(f.fileno()).st_size < HEADER:
                return None
            with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
                return _damage(data, page_size_guess)
    except (OSError, ValueError):
        return None  # unreadable: SQLite's own open says what is wrong


def _damage(data: Any, page_size_guess: int) -> WalDamage | None:
    magic, _version, page_size, _seq, salt1, salt2, c0, c1 = struct.unpack(
        ">8I", data[:HEADER])
    sane = magic in MAGIC and 512 <= page_size <= 65536 and page_size & (page_size - 1) == 0
    if sane and _checksum(data[:24], (0, 0), magic == MAGIC[1]) == (c0, c1):
        return _scan(data, page_size, magic == MAGIC[1], (salt1, salt2), (c0, c1), broken=None)
    size = page_size if sane else page_size_guess
    if len(data) < HEADER + FRAME_HEADER + size:
        return None
    first = struct.unpack(">6I", data[HEADER:HEADER + FRAME_HEADER])
    found = [_scan(data, size, big, (first[2], first[3]), (c0, c1), broken=0)
             for big in ((magic == MAGIC[1],) if magic in MAGIC else (False, True))]
    return max((d for d in found if d is not None), key=lambda d: d.lost_saves, default=None)


def _scan(data: Any, page_size: int, big: bool, salts: tuple[int, int],
          seed: tuple[int, int], broken: int | None) -> WalDamage | None:
    """Walk the frames: where SQLite stops taking them (`broken`, 0-based; given as 0 when
    the header itself failed), and how many whole commits after that stop's own commit
    still check out against the frame before them."""
    frame_size = FRAME_HEADER + page_size
    count = (len(data) - HEADER) // frame_size
    taken = broken is None
    commit_after_break = False  # the commit the break fell in has ended
    lost = 0
    for index in range(count):
        at = HEADER + index * frame_size
        frame = data[at:at + frame_size]
        pgno, commit, s1, s2, f0, f1 = struct.unpack(">6I", frame[:FRAME_HEADER])
        checks = (pgno != 0 and (s1, s2) == salts
                  and _checksum(frame[:8] + frame[FRAME_HEADER:], seed, big) == (f0, f1))
        seed = (f0, f1)
        if taken and not checks:
            taken = False
            broken = index
        if broken is None or taken:
            continue
        if commit:
            if commit_after_break and checks:
                lost += 1
            commit_after_break = True
    if broken is None or lost == 0:
        return None
    return WalDamage(broken + 1, count, lost)

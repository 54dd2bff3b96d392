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

import os
import struct
from dataclasses import dataclass
from pathlib import Path

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


def wal_damage(path: Path) -> WalDamage | None:
    """The damage in `path`'s -wal file that would drop whole saves, or None (no log, an
    intact one, or one whose only break is in its last commit)."""
    wal = Path(f"{path}-wal")
    try:
        with open(wal, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            header = f.read(HEADER)
            if len(header) < HEADER:
                return None
            magic, _version, page_size, _seq, salt1, salt2, c0, c1 = struct.unpack(
                ">8I", header)
            if magic not in MAGIC or not (512 <= page_size <= 65536):
                return None
            big = magic == MAGIC[1]
            header_ok = _checksum(header[:24], (0, 0), big) == (c0, c1)
            frame_size = FRAME_HEADER + page_size
            count = (size - HEADER) // frame_size
            seed = (c0, c1)
            taken = header_ok  # still within the frames SQLite takes
            broken: int | None = None if header_ok else 0  # the first frame it does not take
            commit_after_break = False  # the broken commit itself has ended
            lost = 0
            for index in range(count):
                frame = f.read(frame_size)
                if len(frame) < frame_size:
                    break
                pgno, commit, s1_, s2_, f0, f1 = struct.unpack(">6I", frame[:FRAME_HEADER])
                checks = (pgno != 0 and (s1_, s2_) == (salt1, salt2)
                          and _checksum(frame[:8] + frame[FRAME_HEADER:], seed, big) == (f0, f1))
                seed = (f0, f1)
                if taken and not checks:
                    taken = False
                    broken = index
                if broken is None:
                    continue
                if commit:
                    if commit_after_break and checks:
                        lost += 1
                    commit_after_break = True
    except OSError:
        return None  # unreadable: SQLite's own open says what is wrong
    if broken is None or lost == 0:
        return None
    return WalDamage(broken + 1, count, lost)

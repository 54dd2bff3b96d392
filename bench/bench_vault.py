"""How long opening a vault takes (key derivation included), against a plain SQLite file.

Prints medians over several runs; the floor is the same open-and-first-read of an
unencrypted SQLite file of the same schema, measured in the same run.
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import sqlcipher3

from groupleader.data.vault import Vault

RUNS = 7
PASSPHRASE = "bench passphrase for timing"


def median_ms(fn) -> float:
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.vault"
        Vault.create(path, PASSPHRASE).close()
        plain = Path(tmp) / "plain.db"
        with sqlite3.connect(plain) as con:
            con.execute("CREATE TABLE t (x)")

        def open_plain() -> None:
            con = sqlite3.connect(plain)
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
            con.close()

        def open_raw_cipher() -> None:
            con = sqlcipher3.connect(str(path))
            con.execute(f"PRAGMA key = '{PASSPHRASE}'")
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
            con.close()

        def open_vault() -> None:
            Vault.open(path, PASSPHRASE).close()

        floor = median_ms(open_plain)
        raw = median_ms(open_raw_cipher)
        full = median_ms(open_vault)
        print(f"plain SQLite open + first read      {floor:8.2f} ms  (floor)")
        print(f"SQLCipher open + key + first read   {raw:8.2f} ms  ({raw / floor:,.0f}x floor)")
        print(f"Vault.open (KDF, checks, migrations) {full:7.2f} ms  ({full / floor:,.0f}x floor,"
              f" {full / raw:.2f}x raw SQLCipher)")


if __name__ == "__main__":
    main()

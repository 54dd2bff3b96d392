"""The PDF fonts and their licence live inside the package and load from wherever it is."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from importlib.resources import files
from pathlib import Path

import groupleader
from groupleader.paths import resources_dir

ROOT = Path(__file__).resolve().parents[2]


def test_fonts_and_licence_are_package_resources() -> None:
    fonts = resources_dir() / "fonts"
    assert str(resources_dir()) == str(files("groupleader") / "resources")
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE-DejaVu.txt",
                 "Symbola.ttf", "LICENSE-Symbola.txt", "DroidSansFallback.ttf",
                 "LICENSE-DroidSansFallback.txt"):
        assert (fonts / name).is_file(), name
    for face in ("DejaVuSans.ttf", "Symbola.ttf", "DroidSansFallback.ttf"):
        data = (fonts / face).read_bytes()
        assert data[:4] == b"\x00\x01\x00\x00", face  # TrueType, not CFF (ReportLab)
        assert b"glyf" in data[:512], face  # TrueType outlines
    assert not (ROOT / "resources").exists()  # the old place outside the package is gone


def test_fonts_register_when_the_package_is_a_zip_file(tmp_path: Path) -> None:
    """No real folder to point ReportLab at: the fonts are read out of the archive."""
    archive = tmp_path / "groupleader.zip"
    package = Path(groupleader.__file__).parent
    with zipfile.ZipFile(archive, "w") as zf:
        for path in package.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                zf.write(path, path.relative_to(package.parent).as_posix())
    code = (
        "import groupleader.report.fonts as f\n"
        "assert f.__file__.startswith(sys.argv[1]), f.__file__\n"
        "f.register_fonts()\n"
        "print(f.has_glyph('\u0436'), f.has_glyph('\U0001fae0'))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(archive)}
    result = subprocess.run(
        [sys.executable, "-c", "import sys\n" + code, str(archive)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False"]

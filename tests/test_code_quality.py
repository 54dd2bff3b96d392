"""The code stays ruff clean and type-checked: a style or type error fails the test run."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def test_ruff_finds_nothing() -> None:
    result = run("ruff", "check", "--no-cache", "groupleader", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing(tmp_path: Path) -> None:
    # its cache goes to tmp_path, not .mypy_cache in the working tree (a cold run: ~6 s)
    result = run("mypy", "--cache-dir", str(tmp_path / "mypy"))
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr


# Qt's item-model classes a model of ours can derive from (directly or through our own).
QT_MODELS = {
    "QAbstractItemModel", "QAbstractTableModel", "QAbstractListModel", "QStandardItemModel",
    "QStringListModel", "QFileSystemModel", "QAbstractProxyModel", "QSortFilterProxyModel",
    "QIdentityProxyModel", "QTransposeProxyModel", "QConcatenateTablesProxyModel",
    "QSqlQueryModel", "QSqlTableModel", "QSqlRelationalTableModel",
}


def base_name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):  # QtCore.QAbstractTableModel
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def model_classes() -> set[str]:
    """Every class in the package that is a Qt item model, by scanning its source."""
    bases: dict[str, set[str]] = {}
    for path in (ROOT / "groupleader").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases.setdefault(node.name, set()).update(base_name(b) for b in node.bases)
    models: set[str] = set()
    while True:  # through our own bases too (RosterModel -> HeaderTableModel -> Qt's)
        more = {name for name, of in bases.items() if of & (QT_MODELS | models)} - models
        if not more:
            return models
        models |= more


def names_in_model_tests() -> set[str]:
    """The names used in every test function that calls qtmodeltester.check()."""
    names: set[str] = set()
    for path in (ROOT / "tests").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            inside = list(ast.walk(node))
            if any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
                   and n.func.attr == "check" and base_name(n.func.value) == "qtmodeltester"
                   for n in inside):
                names.update(n.id for n in inside if isinstance(n, ast.Name))
                names.update(n.attr for n in inside if isinstance(n, ast.Attribute))
    return names


def test_every_item_model_has_a_qtmodeltester_test() -> None:
    """A model class, here or added later, needs a test that runs qtmodeltester.check() on
    it and names the class (an annotation or isinstance is enough) in the same function."""
    models = model_classes()
    assert {"HeaderTableModel", "RosterModel", "RosterFilter"} <= models  # the scan works
    missing = models - names_in_model_tests()
    assert not missing, f"no qtmodeltester test names {sorted(missing)}"

"""Group Leader has no network code at all: no module of the package imports one."""

from __future__ import annotations

import ast
from pathlib import Path

import groupleader

NETWORK_MODULES = {
    "socket", "ssl", "http", "urllib", "urllib3", "requests", "httpx", "aiohttp", "ftplib",
    "smtplib", "poplib", "imaplib", "telnetlib", "xmlrpc", "socketserver", "asyncio",
    "PySide6.QtNetwork", "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets",
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def is_network(name: str) -> bool:
    return any(name == m or name.startswith(m + ".") for m in NETWORK_MODULES)


def test_no_module_imports_network_code() -> None:
    package = Path(groupleader.__file__).parent
    offenders = {
        str(p.relative_to(package)): sorted(n for n in imported_modules(p) if is_network(n))
        for p in package.rglob("*.py")
    }
    offenders = {k: v for k, v in offenders.items() if v}
    assert offenders == {}


def test_the_check_itself_recognises_network_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import socket\nfrom urllib.request import urlopen\nimport json\n")
    assert sorted(n for n in imported_modules(sample) if is_network(n)) == [
        "socket", "urllib.request", "urllib.request.urlopen",
    ]

"""A function-local (deferred) import is there for a reason, and says which: a comment on the
line above its block or at the end of its first line (that it keeps start-up, ``luch --help``
or a first use fast). import-linter counts these imports too. Checked in the app and the
Qt-free packages below it (docs/architecture.md, "Inside the packages")."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("app", "core", "studies", "archive", "inference", "records", "dictation", "viewer",
            "prereads")


def _blocks(tree: ast.AST):
    """The first import of each run of imports inside a function."""
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(fn):
            for field in ("body", "orelse", "finalbody"):
                body = getattr(node, field, None)
                if not isinstance(body, list):
                    continue
                previous = None
                for statement in body:
                    if (isinstance(statement, ast.Import | ast.ImportFrom)
                            and not isinstance(previous, ast.Import | ast.ImportFrom)):
                        yield statement
                    previous = statement


def _silent(path: Path, root: Path = ROOT) -> list[str]:
    """``path:line: import`` of each deferred import block in ``path`` with no comment (a
    bare ``noqa`` is no reason)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    silent = []
    for first in set(_blocks(ast.parse("\n".join(lines)))):
        line, above = lines[first.lineno - 1], lines[first.lineno - 2].strip()
        trailing = re.sub(r"noqa(: [A-Z0-9, ]+)?", "", line.partition("#")[2]).strip(" -")
        if not trailing and not above.startswith("#"):
            silent.append(f"{path.relative_to(root)}:{first.lineno}: {line.strip()}")
    return silent


@pytest.mark.parametrize("package", PACKAGES)
def test_every_deferred_import_says_why(package: str):
    silent = [found for path in sorted((ROOT / package).rglob("*.py")) for found in _silent(path)]
    assert not silent, "deferred imports without a comment:\n" + "\n".join(sorted(silent))


def test_an_import_in_a_branch_of_a_function_without_a_reason_is_found(tmp_path: Path):
    module = tmp_path / "module.py"
    module.write_text("def f():\n    if True:\n        import json  # noqa: F401\n\n\n"
                      "def g():\n    # deferred: start-up\n    import json\n    import os\n",
                      encoding="utf-8")
    assert _silent(module, tmp_path) == ["module.py:3: import json  # noqa: F401"]

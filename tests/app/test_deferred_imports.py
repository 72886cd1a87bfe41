"""A function-local (deferred) import in app/ is there for a reason, and says which: a
comment on the line above its block or at the end of its first line (usually that it keeps
start-up or ``luch --help`` fast). import-linter counts these imports too."""

from __future__ import annotations

import ast
import re
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"


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


def test_every_deferred_import_says_why():
    silent = []
    for path in sorted(APP.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for first in set(_blocks(ast.parse("\n".join(lines)))):
            line, above = lines[first.lineno - 1], lines[first.lineno - 2].strip()
            trailing = re.sub(r"noqa(: [A-Z0-9, ]+)?", "", line.partition("#")[2]).strip(" -")
            if not trailing and not above.startswith("#"):
                silent.append(f"{path.relative_to(APP.parent)}:{first.lineno}: {line.strip()}")
    assert not silent, "deferred imports without a comment:\n" + "\n".join(sorted(silent))

"""The code passes patient identifiers to the logger only masked (``core.logging.masked``)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("app", "archive", "core", "dictation", "inference", "records", "studies", "viewer")
LOG_METHODS = {"debug", "info", "warning", "warn", "error", "exception", "critical", "log"}
IDENTIFIER = re.compile(r"patient_?name|patient_?id|birth_?date|accession|other_?patient",
                        re.IGNORECASE)


def _identifiers_passed(call: ast.Call) -> list[str]:
    """Names of identifier-like values in a logging call's arguments, not inside masked()."""
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "masked":
            return
        name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            name = str(node.slice.value)  # header["PatientID"]
        if name and IDENTIFIER.search(name):
            found.append(name)
        for child in ast.iter_child_nodes(node):
            visit(child)

    for arg in [*call.args[1:], *(k.value for k in call.keywords)]:
        visit(arg)
    return found


def offending_calls(source: str) -> list[tuple[int, list[str]]]:
    out = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in LOG_METHODS
                and re.fullmatch(r"_?log(ger)?|logging", getattr(node.func.value, "id", ""))):
            names = _identifiers_passed(node)
            if names:
                out.append((node.lineno, names))
    return out


def test_no_log_call_passes_an_identifier_unmasked():
    bad = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for line, names in offending_calls(path.read_text(encoding="utf-8")):
                bad.append(f"{path.relative_to(ROOT)}:{line}: {', '.join(names)}")
    assert bad == []


def test_the_check_sees_identifiers_and_accepts_masked_ones():
    assert offending_calls("log.info('opened %s', volume.info.patient_name)")
    assert offending_calls("logger.warning('%s', ds.PatientID)")
    assert offending_calls("log.debug('acc %s', header['AccessionNumber'])")
    assert not offending_calls("log.info('opened %s', masked(volume.info.patient_name))")
    assert not offending_calls("log.info('%d slices', len(files))")

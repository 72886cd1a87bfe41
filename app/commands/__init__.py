"""CLI sub-commands, one module each; a module exposes ``register(subparsers)``.

Modules are discovered, so adding a command means adding a file here. Each command
imports its heavy dependencies (Qt, VTK, torch, speech engines) inside its handler so
that ``luch --help`` and unrelated commands stay fast.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil


def register_all(subparsers: argparse._SubParsersAction) -> None:
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        module.register(subparsers)

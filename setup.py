"""Build hook only (the project is described in pyproject.toml): records the git commit the
package is built from in ``app/_build_info.json``, which ``luch --version`` prints."""

import json
import os
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


def _commit() -> str:
    if os.environ.get("LUCH_BUILD_COMMIT"):  # set by installer/build.sh for a copied tree
        return os.environ["LUCH_BUILD_COMMIT"]
    try:
        out = subprocess.run(["git", "describe", "--always", "--dirty", "--abbrev=40"],
                             cwd=Path(__file__).resolve().parent, capture_output=True,
                             text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else "unknown"


class BuildPyWithInfo(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "app" / "_build_info.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps({"commit": _commit()}) + "\n", encoding="utf-8")


setup(cmdclass={"build_py": BuildPyWithInfo})

"""Start-up imports the window's Qt-free libraries before PySide6, whose import hook would
otherwise read and compile each of their modules' source (benchmarks/startup.py)."""

import subprocess
import sys

CODE = """
import sys
from app.commands.open import _import_qt_free_first
_import_qt_free_first()
assert not any(m.startswith("PySide6") for m in sys.modules), "PySide6 came first"
assert {"sqlalchemy", "pydicom", "records.models", "archive.cache"} <= set(sys.modules)
"""


def test_the_qt_free_stack_is_imported_before_pyside6():
    done = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr

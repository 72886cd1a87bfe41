#!/usr/bin/env bash
# The frozen app (PyInstaller, one folder): OUT/luch/luch with Python, Qt, VTK, torch (CPU),
# the speech engines and models, the AI weights and the demo in OUT/luch/_internal/.
#   installer/freeze.sh [OUT]      OUT defaults to dist/
#   PYTHON=...                     the project's venv (default .venv/bin/python); PyInstaller
#                                  (installer/requirements-freeze.txt) is installed into it
# Frozen from the checkout and the packages of that venv; spec: installer/luch.spec.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$(realpath -m "${1:-dist}")
PY=${PYTHON:-$ROOT/.venv/bin/python}
say() { printf '[luch freeze] %s\n' "$*" >&2; }
"$PY" -m pip install -q --disable-pip-version-check -r installer/requirements-freeze.txt
mkdir -p build/freeze "$OUT"
printf '{"commit": "%s"}\n' "$(git describe --always --dirty --abbrev=40 2>/dev/null || echo unknown)" \
  > build/freeze/_build_info.json
say "PyInstaller (minutes)"
"$PY" -m PyInstaller --noconfirm --log-level WARN --distpath "$OUT" --workpath build/freeze \
  installer/luch.spec
rm -rf build/freeze
rmdir build 2>/dev/null || true
say "linking the libraries PyInstaller copied twice"
installer/dedupe_frozen.sh "$OUT/luch"
say "checking it (installer/check_frozen.sh)"
PYTHON=$PY installer/check_frozen.sh "$OUT/luch"
say "done: $(du -sh "$OUT/luch" | cut -f1) $OUT/luch"

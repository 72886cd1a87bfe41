#!/usr/bin/env bash
# Smoke check of a frozen app folder (installer/freeze.sh runs it): `luch --version`, then
# `luch open <its demo> --screenshot` offscreen, with a fresh data dir, from another folder;
# the PNG must show the axial and coronal views, neither blank.
#   installer/check_frozen.sh DIR      DIR: the folder holding luch and _internal/
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
APP=$(realpath "${1:?usage: installer/check_frozen.sh DIR}")
PY=${PYTHON:-$ROOT/.venv/bin/python}   # for reading the PNG (numpy, Pillow)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
export LUCH_HOME=$work/home QT_QPA_PLATFORM=offscreen
unset PYTHONPATH VIRTUAL_ENV
"$APP/luch" --version
"$APP/luch" open "$APP/_internal/resources/demo/chest-ct" --screenshot "$work/demo.png" \
  > "$work/open.log" 2>&1 || { cat "$work/open.log" >&2; exit 1; }
"$PY" - "$ROOT" "$work/demo.png" <<'PYEOF'
import sys

sys.path.insert(0, sys.argv[1])
from tests.screens import read_gray, split_views

views = split_views(read_gray(sys.argv[2]))
assert len(views) == 2, f"{len(views)} views, expected axial + coronal"
assert all(v.std() > 40 for v in views), "a view is blank"
print("screenshot of the demo: axial and coronal views, not blank")
PYEOF

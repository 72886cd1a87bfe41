"""A real Orthanc with the DICOMweb plugin and HTTP basic auth, on fresh loopback ports.

``orthanc`` (session) is shared by tests that only add data; ``orthanc_factory`` starts
private servers for tests that stop, restart or cut them. Each server gets its own storage
folder; Orthanc 1.10 listens on all interfaces, so remote access is switched off and only
loopback clients are served. Servers are stopped by PID, never by name.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.plugins.ci_guard import require

# LUCH_ORTHANC / LUCH_ORTHANC_DICOMWEB point elsewhere (a test hides the service with them).
ORTHANC = os.environ.get("LUCH_ORTHANC") or shutil.which("Orthanc") or "/usr/sbin/Orthanc"
DICOMWEB_PLUGIN = Path(os.environ.get("LUCH_ORTHANC_DICOMWEB")
                       or "/usr/share/orthanc/plugins/libOrthancDicomWeb.so")
USER, PASSWORD = "luch", "luch-test-secret"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Logs every store, re-stores included (OverwriteInstances), so tests can prove "sent once".
_STORE_LOG_LUA = """function OnStoredInstance(instanceId, tags, metadata, origin)
  local f = io.open("%s", "a")
  f:write(tags["SOPInstanceUID"] .. "\\n")
  f:close()
end
"""


class OrthancServer:
    """One Orthanc process; ``stop()``/``start()`` keep its storage and ports.

    With ``count_stores`` every store of an instance (a resend of one it already has included)
    is logged; :meth:`store_counts` says how often each SOP Instance UID arrived.
    """

    def __init__(self, root: Path, count_stores: bool = True, netns=None) -> None:
        """``netns``: a :class:`tests.plugins.netns.NetNamespace` to run in (served on its
        veth address instead of loopback)."""
        self.root, self.netns = root, netns
        self.host = netns.far_ip if netns is not None else "127.0.0.1"
        self.http_port, self.dicom_port = free_port(), free_port()
        self.user, self.password = USER, PASSWORD
        self.proc: subprocess.Popen | None = None
        (root / "storage").mkdir(parents=True, exist_ok=True)
        config = {
            "Name": f"luch-test-{self.http_port}",
            "StorageDirectory": str(root / "storage"),
            "IndexDirectory": str(root / "storage"),
            "HttpPort": self.http_port,
            "DicomPort": self.dicom_port,
            "DicomServerEnabled": False,
            "RemoteAccessAllowed": netns is not None,  # alone in its namespace there
            "AuthenticationEnabled": True,
            "RegisteredUsers": {USER: PASSWORD},
            "Plugins": [str(DICOMWEB_PLUGIN)],
            "DicomWeb": {"Enable": True, "Root": "/dicom-web/", "EnableWado": False},
            "StorageCompression": False,
            "HttpThreadsCount": 8,
        }
        self.store_log = root / "stored.log"
        if count_stores:
            lua = root / "store-log.lua"
            lua.write_text(_STORE_LOG_LUA % self.store_log, encoding="utf-8")
            config.update({"LuaScripts": [str(lua)], "OverwriteInstances": True})
        self.config = root / "orthanc.json"
        self.config.write_text(json.dumps(config), encoding="utf-8")

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.http_port}"

    @property
    def dicomweb_url(self) -> str:
        return f"{self.url}/dicom-web"

    @property
    def auth(self) -> tuple[str, str]:
        return self.user, self.password

    def start(self, timeout: float = 60.0) -> None:
        log = (self.root / "orthanc.log").open("ab")
        popen = subprocess.Popen if self.netns is None else self.netns.popen
        self.proc = popen([ORTHANC, str(self.config)], stdout=log,
                          stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Orthanc exited with {self.proc.returncode}; see {log.name}")
            try:
                if requests.get(f"{self.url}/system", auth=self.auth, timeout=1).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("Orthanc did not become ready")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.kill(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def rest(self, method: str, path: str, **kwargs) -> requests.Response:
        r = requests.request(method, f"{self.url}{path}", auth=self.auth, timeout=60, **kwargs)
        r.raise_for_status()
        return r

    def upload(self, files: list[Path]) -> None:
        for f in files:
            self.rest("POST", "/instances", data=f.read_bytes())

    def instances(self) -> list[str]:
        return self.rest("GET", "/instances").json()

    def sop_instance_uids(self) -> list[str]:
        """Every stored instance's SOP Instance UID (duplicates would show twice)."""
        found = self.rest("POST", "/tools/find", json={
            "Level": "Instance", "Query": {}, "Expand": True}).json()
        return [i["MainDicomTags"]["SOPInstanceUID"] for i in found]

    def store_counts(self, settle_s: float = 0.5) -> dict[str, int]:
        """SOP Instance UID -> how many times the archive stored it (needs ``count_stores``).

        Orthanc runs the Lua callback after answering, so wait until the log stops growing.
        """
        def read() -> str:
            return self.store_log.read_text(encoding="utf-8") if self.store_log.exists() else ""

        text, deadline = read(), time.monotonic() + 10
        while time.monotonic() < deadline:
            time.sleep(settle_s)
            again = read()
            if again == text:
                break
            text = again
        counts: dict[str, int] = {}
        for uid in text.split():
            counts[uid] = counts.get(uid, 0) + 1
        return counts

    def clear(self) -> None:
        for patient in self.rest("GET", "/patients").json():
            self.rest("DELETE", f"/patients/{patient}")


def _start(root: Path, netns=None) -> OrthancServer:
    require(DICOMWEB_PLUGIN.exists(), f"Orthanc's DICOMweb plugin {DICOMWEB_PLUGIN}",
            "Debian orthanc-dicomweb")
    last: Exception | None = None
    for attempt in range(3):  # a port may be taken between choosing and binding it
        server = OrthancServer(root / f"try{attempt}", netns=netns)
        try:
            server.start()
            atexit.register(server.stop)  # also on an interrupted session; stop is idempotent
            return server
        except RuntimeError as err:
            last = err
    raise RuntimeError(f"could not start Orthanc: {last}")


def start_in_namespace(root: Path, netns) -> OrthancServer:
    """An Orthanc inside ``netns`` (stopped by PID; the namespace's removal kills it too)."""
    require(Path(ORTHANC).exists(), f"Orthanc ({ORTHANC})", "Debian orthanc")
    return _start(root, netns=netns)


@pytest.fixture(scope="session")
def orthanc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OrthancServer]:
    """A shared Orthanc for the session; tests must tolerate data from other tests."""
    require(Path(ORTHANC).exists(), f"Orthanc ({ORTHANC})", "Debian orthanc")
    server = _start(tmp_path_factory.mktemp("orthanc"))
    yield server
    server.stop()


@pytest.fixture
def orthanc_factory(tmp_path: Path) -> Iterator:
    """Starts private Orthanc servers for one test; all are stopped afterwards."""
    require(Path(ORTHANC).exists(), f"Orthanc ({ORTHANC})", "Debian orthanc")
    servers: list[OrthancServer] = []

    def make() -> OrthancServer:
        server = _start(tmp_path / f"orthanc{len(servers)}")
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def orthanc_ct(orthanc: OrthancServer, shared_data: Path) -> dict[str, list[Path]]:
    """The shared Orthanc with real CT uploaded: 12 slices of LIDC-IDRI-0001, 20 of -0003.

    Returns the uploaded files per Study Instance UID.
    """
    import pydicom

    files = sorted((shared_data / "ct" / "lidc-idri-0001").rglob("*.dcm"))[:12]
    # (Orthanc 1.10 refuses the Siemens JPEG 2000 files: "missing StudyInstanceUID".)
    files += sorted((shared_data / "ct" / "lidc-idri-0003").rglob("*.dcm"))[:20]
    orthanc.upload(files)
    by_study: dict[str, list[Path]] = {}
    for f in files:
        uid = str(pydicom.dcmread(f, stop_before_pixels=True).StudyInstanceUID)
        by_study.setdefault(uid, []).append(f)
    return by_study

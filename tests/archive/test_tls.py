"""HTTPS to the archive: verified by default, trusted through a hospital CA bundle."""

from __future__ import annotations

import contextlib
import shutil
import socket
import ssl
import subprocess
import threading
from pathlib import Path

import pytest

from archive.credentials import ArchiveConfig
from archive.dicomweb import DicomWebClient
from archive.errors import ArchiveRejected
from tests.plugins import ci_guard


def _make_ca_and_server_cert(folder: Path) -> tuple[Path, Path, Path]:
    """A throwaway hospital CA and a certificate for 127.0.0.1 signed by it (openssl CLI)."""
    ci_guard.require(shutil.which("openssl"), "openssl", "Debian openssl")
    ca_key, ca_crt = folder / "ca.key", folder / "ca.pem"
    key, csr, crt = folder / "server.key", folder / "server.csr", folder / "server.pem"
    ext = folder / "san.ext"
    ext.write_text("subjectAltName=IP:127.0.0.1\n")

    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
        "/CN=Luch Test Hospital CA", "-keyout", str(ca_key), "-out", str(ca_crt))
    run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", str(key),
        "-out", str(csr))
    run("x509", "-req", "-in", str(csr), "-CA", str(ca_crt), "-CAkey", str(ca_key),
        "-CAcreateserial", "-days", "2", "-extfile", str(ext), "-out", str(crt))
    return ca_crt, crt, key


class TlsTerminator:
    """HTTPS on a loopback port, forwarding plain HTTP to the archive (like a hospital proxy)."""

    def __init__(self, upstream_port: int, cert: Path, key: Path) -> None:
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.context.load_cert_chain(cert, key)
        self.upstream_port = upstream_port
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                raw, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(raw,), daemon=True).start()

    def _serve(self, raw: socket.socket) -> None:
        try:
            tls = self.context.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError):
            raw.close()  # the client refused our certificate
            return
        upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
        threading.Thread(target=self._pump, args=(upstream, tls), daemon=True).start()
        self._pump(tls, upstream)

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.close()

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def https_archive(orthanc, tmp_path: Path):
    ca, cert, key = _make_ca_and_server_cert(tmp_path)
    terminator = TlsTerminator(orthanc.http_port, cert, key)
    yield f"https://127.0.0.1:{terminator.port}/dicom-web", ca, orthanc
    terminator.close()


def test_untrusted_certificate_is_refused(https_archive) -> None:
    url, _ca, server = https_archive
    client = DicomWebClient(ArchiveConfig(url, server.user, server.password, timeout_s=10))
    with pytest.raises(ArchiveRejected, match="not trusted"):
        client.search_studies()


def test_hospital_ca_bundle_makes_it_trusted(https_archive) -> None:
    url, ca, server = https_archive
    client = DicomWebClient(ArchiveConfig(url, server.user, server.password, verify=str(ca),
                                          timeout_s=10))
    assert isinstance(client.search_studies(), list)

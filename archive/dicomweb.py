"""A DICOMweb client for the central archive: QIDO-RS search, WADO-RS retrieve, STOW-RS store.

Failures are sorted for the caller: :class:`ArchiveUnavailable` (network down, timeouts,
5xx, 429: retry later), :class:`ArchiveAuthError` (401/403) and :class:`ArchiveRejected`
(other 4xx, or objects the archive refused).
"""

from __future__ import annotations

import io
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pydicom
import requests
from pydicom.dataset import Dataset

from archive.credentials import ArchiveConfig
from archive.errors import ArchiveAuthError, ArchiveRejected, ArchiveUnavailable
from archive.transfer_syntax import AS_STORED, LOSSLESS_UIDS

DICOM_JSON = "application/dicom+json"
UID_LIST = 60  # UIDs per QIDO-RS list match (keeps the URL well under 8 KB)
MULTIPART_DICOM = 'multipart/related; type="application/dicom"'
# STOW-RS response attributes
FAILED_SOP_SEQUENCE, REFERENCED_SOP_SEQUENCE = "00081198", "00081199"
REFERENCED_SOP_INSTANCE_UID, FAILURE_REASON = "00081155", "00081197"
#: answers to a transcoding request that mean "not this syntax" (Orthanc 1.10: 400 for one it
#: does not know, 500 "cannot transcode" for one its DCMTK cannot write)
NOT_SERVED = (400, 406, 415, 500, 501)


def tag_value(item: dict[str, Any], tag: str, default: Any = "") -> Any:
    """The first value of a DICOM JSON attribute (person names as their alphabetic form)."""
    values = item.get(tag, {}).get("Value") or []
    if not values:
        return default
    first = values[0]
    if isinstance(first, dict) and "Alphabetic" in first:
        return first["Alphabetic"]
    return first


def tag_values(item: dict[str, Any], tag: str) -> list[Any]:
    return list(item.get(tag, {}).get("Value") or [])


@dataclass
class StowResult:
    stored: list[str] = field(default_factory=list)
    failed: dict[str, int] = field(default_factory=dict)  # SOP Instance UID -> failure reason


class DicomWebClient:
    """One archive; reuses a pooled HTTP session. Thread-safe for concurrent GETs."""

    def __init__(self, config: ArchiveConfig, session: requests.Session | None = None) -> None:
        self.config = config
        self.session = session or requests.Session()
        if config.user:
            self.session.auth = (config.user, config.password)
        self.session.verify = config.verify
        # Keep-alive connections, one per parallel request (and a few for searches).
        adapter = requests.adapters.HTTPAdapter(pool_connections=4,
                                                pool_maxsize=max(8, config.parallel + 2))
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._not_served: set[str] = set()  # transfer syntaxes this archive failed to send
        self._guard = threading.Lock()
        self.bytes_received = 0  # WADO-RS bodies, for the status line and the benchmark

    # -- transport -----------------------------------------------------------------------------
    def _request(self, method: str, path: str, expect: tuple[int, ...] = (),
                 **kwargs: Any) -> requests.Response:
        url = f"{self.config.url}/{path.lstrip('/')}"
        kwargs.setdefault("timeout", self.config.timeout_s)
        # Per request: a session-level setting loses to REQUESTS_CA_BUNDLE in the environment.
        kwargs.setdefault("verify", self.config.verify)
        try:
            response = self.session.request(method, url, **kwargs)
        except requests.exceptions.SSLError as err:
            raise ArchiveRejected("the archive's TLS certificate was not trusted; check the "
                                  "hospital CA bundle") from err
        except (requests.ConnectionError, requests.Timeout) as err:
            raise ArchiveUnavailable("the archive cannot be reached") from err
        except requests.RequestException as err:
            raise ArchiveUnavailable(f"talking to the archive failed ({err.__class__.__name__})"
                                     ) from err
        status = response.status_code
        if status in expect:
            return response
        if status in (401, 403):
            raise ArchiveAuthError("the archive refused the credentials")
        if status == 429 or status >= 500:
            raise ArchiveUnavailable(f"the archive is unavailable (HTTP {status})")
        if status >= 400 and status != 409:
            raise ArchiveRejected(f"the archive refused the request (HTTP {status})")
        return response

    # -- QIDO-RS -------------------------------------------------------------------------------
    def search(self, path: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        response = self._request("GET", path, params=params or {},
                                 headers={"Accept": DICOM_JSON})
        if response.status_code == 204 or not response.content:
            return []
        try:
            return response.json()
        except ValueError as err:
            raise ArchiveUnavailable("the archive sent an unreadable search answer") from err

    def search_uid_list(self, path: str, key: str, uids: Sequence[str],
                        params: dict[str, Any] | None = None,
                        per_request: int = UID_LIST) -> list[dict[str, Any]]:
        """:meth:`search` matching ``key`` against a list of UIDs, ``per_request`` UIDs a
        request (UID list matching), the answers joined."""
        found: list[dict[str, Any]] = []
        for start in range(0, len(uids), per_request):
            chunk = ",".join(uids[start:start + per_request])
            found += self.search(path, {**(params or {}), key: chunk})
        return found

    def search_studies(self, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        return self.search("studies", params)

    def search_series(self, study_uid: str, params: dict[str, Any] | None = None
                      ) -> list[dict[str, Any]]:
        return self.search(f"studies/{study_uid}/series", params)

    def search_instances(self, study_uid: str, params: dict[str, Any] | None = None,
                         series_uid: str | None = None) -> list[dict[str, Any]]:
        path = f"studies/{study_uid}" + (f"/series/{series_uid}" if series_uid else "")
        return self.search(f"{path}/instances", params)

    def instance_exists(self, study_uid: str, sop_instance_uid: str) -> bool:
        return bool(self.search_instances(study_uid, {"SOPInstanceUID": sop_instance_uid}))

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """A plain JSON GET below the root (e.g. Orthanc's REST API when the root is its own)."""
        response = self._request("GET", path, params=params or {},
                                 headers={"Accept": "application/json"})
        try:
            return response.json()
        except ValueError as err:
            raise ArchiveUnavailable("the archive sent an unreadable JSON answer") from err

    # -- WADO-RS -------------------------------------------------------------------------------
    def retrieve_instance(self, study_uid: str, series_uid: str, sop_uid: str) -> bytes:
        """One instance's Part 10 bytes in the first lossless syntax of the configured order
        the archive can send, else in the one it stored.

        A syntax the archive refuses is not asked for again by this client; the refusal only
        counts once another syntax was sent (a failing archive is not a refusing one).
        """
        path = f"studies/{study_uid}/series/{series_uid}/instances/{sop_uid}"
        refused: list[str] = []
        for syntax in [*self.transfer_syntaxes(), AS_STORED]:
            headers = {"Accept": f"{MULTIPART_DICOM}; transfer-syntax={syntax}"}
            if syntax != AS_STORED:  # gzip over JPEG-LS saves nothing and costs the archive
                headers["Accept-Encoding"] = "identity"
            response = self._request("GET", path, headers=headers,
                                     expect=() if syntax == AS_STORED else NOT_SERVED)
            if response.status_code in NOT_SERVED:
                refused.append(syntax)
                continue
            parts = list(iter_multipart(response.content,
                                        response.headers.get("Content-Type", "")))
            if len(parts) != 1:
                raise ArchiveRejected("the archive sent no or several objects for one instance")
            with self._guard:
                self.bytes_received += len(response.content)
            if syntax != AS_STORED and _syntax_of(parts[0]) not in LOSSLESS_UIDS:
                refused.append(syntax)  # it sent a lossy copy for a lossless request
                continue
            if refused:
                with self._guard:
                    self._not_served.update(refused)
            return parts[0]
        raise ArchiveRejected("the archive sent no object for the instance")  # not reached

    def transfer_syntaxes(self) -> list[str]:
        """The configured syntaxes this archive has not refused, best first."""
        with self._guard:
            return [s for s in self.config.transfer_syntaxes if s not in self._not_served]

    def retrieve_metadata(self, study_uid: str, series_uid: str, sop_uid: str
                          ) -> dict[str, Any]:
        path = f"studies/{study_uid}/series/{series_uid}/instances/{sop_uid}/metadata"
        found = self.search(path)
        if not found:
            raise ArchiveRejected("the archive sent no metadata for the instance")
        return found[0]

    def retrieve_series_metadata(self, study_uid: str, series_uid: str
                                 ) -> list[dict[str, Any]]:
        """Every instance's header of a series (WADO-RS metadata, DICOM JSON, no pixels)."""
        found = self.search(f"studies/{study_uid}/series/{series_uid}/metadata")
        if not found:
            raise ArchiveRejected("the archive sent no metadata for the series")
        return found

    # -- STOW-RS -------------------------------------------------------------------------------
    def store(self, objects: Iterable[Dataset | bytes]) -> StowResult:
        """Send objects in one multipart request; says which were stored and which refused."""
        boundary = uuid.uuid4().hex
        body = io.BytesIO()
        for obj in objects:
            data = obj if isinstance(obj, bytes) else dataset_bytes(obj)
            body.write(f"--{boundary}\r\nContent-Type: application/dicom\r\n\r\n".encode())
            body.write(data)
            body.write(b"\r\n")
        body.write(f"--{boundary}--\r\n".encode())
        response = self._request("POST", "studies", data=body.getvalue(), headers={
            "Content-Type": f'{MULTIPART_DICOM}; boundary="{boundary}"',
            "Accept": DICOM_JSON})
        result = StowResult()
        try:
            answer = response.json() if response.content else {}
        except ValueError as err:  # stored or not, we cannot tell: the caller asks again
            raise ArchiveUnavailable("the archive sent an unreadable STOW-RS answer") from err
        if isinstance(answer, list):
            answer = answer[0] if answer else {}
        for item in tag_values(answer, REFERENCED_SOP_SEQUENCE):
            result.stored.append(tag_value(item, REFERENCED_SOP_INSTANCE_UID))
        for item in tag_values(answer, FAILED_SOP_SEQUENCE):
            result.failed[tag_value(item, REFERENCED_SOP_INSTANCE_UID)] = int(
                tag_value(item, FAILURE_REASON, 0) or 0)
        return result


def dataset_bytes(ds: Dataset) -> bytes:
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    return buffer.getvalue()


def iter_multipart(content: bytes, content_type: str) -> Iterator[bytes]:
    """The bodies of a ``multipart/related`` message."""
    boundary = None
    for param in content_type.split(";")[1:]:
        key, _, value = param.strip().partition("=")
        if key.lower() == "boundary":
            boundary = value.strip('"')
    if not boundary:
        raise ArchiveRejected("the archive sent a multipart answer without a boundary")
    delimiter = b"--" + boundary.encode()
    for chunk in content.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        _head, sep, body = chunk.partition(b"\r\n\r\n")
        if not sep:
            continue
        yield body[:-2] if body.endswith(b"\r\n") else body


def _syntax_of(data: bytes) -> str:
    """The Transfer Syntax UID of Part 10 bytes (from the file meta only)."""
    try:
        ds = pydicom.dcmread(io.BytesIO(data), stop_before_pixels=True)
        return str(ds.file_meta.TransferSyntaxUID)
    except Exception as err:  # any parse failure: a damaged object
        raise ArchiveRejected("the archive sent an unreadable DICOM object") from err


def read_dataset(data: bytes) -> Dataset:
    return pydicom.dcmread(io.BytesIO(data))

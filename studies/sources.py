"""Where files come from: a folder, a zip archive, a DICOMDIR or a single file.

A :class:`FileRef` names one file so that the header pass and the (threaded) pixel pass can
both open it without caring whether it lives on disk or inside a zip. A file under a folder
with a data key (a cached study when encryption at rest is on, :mod:`core.vault`) carries
the key and is decrypted in memory as it is opened; the key travels with the reference
(also to decoder processes), never to disk. Opening one gives a seekable stream that
decrypts only the chunks read (:class:`core.crypto.SealedReader`).
"""

from __future__ import annotations

import io
import os
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from core import crypto, vault
from studies.errors import NoSeriesFound, SealedFileDamaged, StudyError

NIFTI_SUFFIXES = (".nii", ".nii.gz")
_zip_handles = threading.local()


@dataclass(frozen=True)
class FileRef:
    """One file: a path on disk, or ``member`` of the zip archive at ``path``; ``key``: the
    data key of a sealed file on disk (plain files beside it are read as they are)."""

    path: Path
    member: str | None = None
    key: bytes | None = field(default=None, repr=False, compare=False)

    @classmethod
    def on_disk(cls, path: Path) -> FileRef:
        """A file on disk with its data key, if any: the study key its header names (an AI
        file, :func:`core.vault.write_folder_file`), else its folder's."""
        path = Path(path)
        return cls(path, key=file_key(path))

    @property
    def name(self) -> str:
        return Path(self.member).name if self.member else self.path.name

    @property
    def is_nifti(self) -> bool:
        return self.name.lower().endswith(NIFTI_SUFFIXES)

    def open(self) -> BinaryIO:
        """A seekable binary stream (zip members are read into memory)."""
        if self.member is None:
            fp = open(self.path, "rb")  # noqa: SIM115 (returned to the caller, who closes it)
            if self.key is None:
                return fp
            if crypto.is_sealed(fp.read(len(crypto.MAGIC))):
                fp.seek(0)
                reader = crypto.SealedReader(fp, self.key, self.path.stem.encode(),
                                             self.path.name, error=_damaged)
                return io.BufferedReader(reader, buffer_size=1 << 16)
            fp.seek(0)
            return fp
        return io.BytesIO(self.read_bytes())

    def open_raw(self) -> BinaryIO:
        """A file on disk as a raw seekable stream without buffering: the plaintext of a
        sealed file (:class:`core.crypto.SealedReader`, decrypting only what is read), else
        the file itself. SealedFileDamaged when a sealed file fails its check."""
        fp = open(self.path, "rb", buffering=0)  # noqa: SIM115 (returned to the caller)
        try:
            if self.key is None or not crypto.is_sealed(os.pread(fp.fileno(), 8, 0)):
                return fp
            return crypto.SealedReader(fp, self.key, self.path.stem.encode(), self.path.name,
                                       error=_damaged)
        except BaseException:
            fp.close()
            raise

    def read_bytes(self) -> bytes:
        if self.member is not None:
            return _zip(self.path).read(self.member)
        data = self.path.read_bytes()
        if self.key is None or not crypto.is_sealed(data):
            return data
        try:  # associated data: the SOP Instance UID, the file's name
            return crypto.open_sealed(self.key, data, self.path.stem.encode(), self.path.name)
        except crypto.SealError as err:
            raise _damaged(str(err)) from None

    def __str__(self) -> str:
        return f"{self.path}!{self.member}" if self.member else str(self.path)


def _damaged(message: str) -> SealedFileDamaged:
    return SealedFileDamaged(message)


def _zip(path: Path) -> zipfile.ZipFile:
    """One open ``ZipFile`` per thread and archive (``ZipFile`` is not thread-safe)."""
    handles = getattr(_zip_handles, "handles", None)
    if handles is None:
        handles = _zip_handles.handles = {}
    if path not in handles:
        handles[path] = zipfile.ZipFile(path)
    return handles[path]


def folder_key(folder: Path) -> bytes | None:
    """The data key of the cached study ``folder`` is in (its ``.luch-key`` at most two
    levels up), or None for a folder without one."""
    for level, candidate in enumerate((folder, *folder.parents)):
        if level > 2:
            return None
        if (candidate / vault.FOLDER_KEY).is_file():
            return vault.reader().folder_dek(candidate, create=False)
    return None


def file_key(path: Path) -> bytes | None:
    """The data key of one file: the study key its sealed header names, else the key of the
    folder it is in (:func:`folder_key`)."""
    try:
        with open(path, "rb") as f:
            head = f.read(vault.HEAD_BYTES)
    except OSError:
        head = b""
    if crypto.key_id(head) is not None:
        return vault.folder_file_key(path, head)
    return folder_key(path.parent)


def list_files(path: str | Path, key: bytes | None = None) -> list[FileRef]:
    """Every candidate file at ``path``: walk a folder, list a zip, follow a DICOMDIR.
    ``key``: the data key of a folder's sealed files, held in memory by the caller (else
    each folder's own key, if any)."""
    path = Path(path)
    if not path.exists():
        raise StudyError(f"Not found: {path}")
    if path.is_dir():
        keys: dict[Path, bytes | None] = {}

        def key_of(folder: Path) -> bytes | None:
            if folder not in keys:
                keys[folder] = key if key is not None else folder_key(folder)
            return keys[folder]

        files = sorted((FileRef(r.path, key=key_of(r.path.parent)) for r in _walk(path)),
                       key=str)
    elif path.name.upper() == "DICOMDIR":
        files = _dicomdir(path)
    elif zipfile.is_zipfile(path) and not path.name.lower().endswith(NIFTI_SUFFIXES):
        files = _zip_members(path)
    else:
        files = [FileRef.on_disk(path)]
    if not files:
        raise NoSeriesFound(f"No files found in {path.name}")
    return files


def files_beside(path: Path) -> list[FileRef]:
    """The files in the folder of ``path`` (a file on disk), not its subfolders, sorted."""
    key = folder_key(path.parent)
    return [FileRef(p, key=key) for p in sorted(path.parent.iterdir())
            if _listed(p.name) and p.is_file()]


def _listed(name: str) -> bool:
    """A file to look at: not hidden, not a DICOMDIR index."""
    return not name.startswith(".") and name.upper() != "DICOMDIR"


def _walk(root: Path) -> Iterator[FileRef]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            full = Path(dirpath) / name
            if _listed(name) and full.is_file():
                yield FileRef(full)


def _zip_members(path: Path) -> list[FileRef]:
    try:
        with zipfile.ZipFile(path) as archive:
            names = [i.filename for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError) as err:
        raise StudyError(f"The zip archive {path.name} is damaged") from err
    return [
        FileRef(path, n) for n in sorted(names)
        if _listed(Path(n).name)
        and "__MACOSX" not in n
    ]


def _dicomdir(path: Path) -> list[FileRef]:
    """The image files a DICOMDIR references (paths relative to its folder)."""
    import pydicom  # deferred: listing a folder or zip needs no pydicom (start-up time)

    try:
        ds = pydicom.dcmread(path)
        records = ds.DirectoryRecordSequence
    except Exception as err:
        raise StudyError(f"The DICOMDIR at {path.parent.name} is damaged") from err
    files = []
    for record in records:
        parts = record.get("ReferencedFileID")
        if not parts:
            continue
        parts = [parts] if isinstance(parts, str) else list(parts)
        candidate = path.parent.joinpath(*parts)
        if not candidate.exists():  # CDs written on Windows: case may differ
            candidate = _case_insensitive(path.parent, parts)
        if candidate is not None and candidate.is_file():
            files.append(FileRef(candidate))
    return files


def _case_insensitive(root: Path, parts: list[str]) -> Path | None:
    current = root
    for part in parts:
        matches = [p for p in current.iterdir() if p.name.lower() == part.lower()]
        if not matches:
            return None
        current = matches[0]
    return current

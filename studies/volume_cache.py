"""A sealed cached study's decoded volume kept beside its images: a warm open is one decryption.

After a sealed study folder of the image cache (one holding its data key,
:data:`core.vault.FOLDER_KEY`) is opened, the :class:`Volume` (voxels, geometry,
:class:`SeriesInfo`, warnings) is written to ``.volume`` in that folder on a background
thread: one AES-256-GCM envelope (:func:`core.crypto.seal_buffers`) under the study's own
key, the file's name as associated data. Its plaintext is ``MAGIC``, the length of a JSON
head, the head (the fingerprint of the images it was read from, the array's type and shape,
the rest of the volume) padded to whole chunks, then the voxel bytes, so that every voxel
chunk is decrypted straight into the new array (no DICOM parse, no per-file handling).
For a prefetched study the background's worker writes it before anyone opens it
(:func:`studies.loader.keep_decoded`), so the reader's first open is one decryption too.

An open with the same fingerprint (each listed file's relative path, size and change time,
the loader's :data:`FORMAT` and the :data:`LAYOUT` derived from the volume's fields) reads
the entry instead of the images; any other (an image added, fetched again, re-sealed or
removed, another layout) or a damaged entry (a failed tag: changed, cut short, another
key) reads the images, and the entry is written again. Nothing plain is
written: without the study's key the entry is as unreadable as the images, and wiping or
forgetting the study removes or destroys it with them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import mmap
import os
import tempfile
import threading
from dataclasses import asdict, fields
from pathlib import Path

import numpy as np

from core import crypto, vault
from core.files import STALE_TEMP_S, remove_stale_temps
from studies.sources import FileRef
from studies.volume import SeriesInfo, Volume

log = logging.getLogger(__name__)

NAME = vault.VOLUME_ENTRY
MAGIC = b"LUCHVOL1"
#: bumped by hand only when the loader reads the same files into another volume (an entry
#: of before is then read again from the images); a change of the entry's layout needs no
#: bump: :data:`LAYOUT` follows it
FORMAT = 1
EXP = 20  # 1 MiB chunks: few calls per volume; the head pads to one
#: threads decrypting an entry (the AES releases the GIL; two were slower than one on the
#: loaded 2-CPU box it was measured on: benchmarks/README.md)
THREADS = 1
_AAD = NAME.encode()
_writing: dict[Path, threading.Thread] = {}


def layout(*classes: type) -> str:
    """A digest of what an entry's plaintext is made of: :data:`MAGIC`, the chunk size and
    each field (name and type) of ``classes``, the dataclasses its head carries."""
    parts = [MAGIC.decode(), str(EXP)]
    for cls in classes:
        parts += [cls.__name__] + [f"{f.name}:{f.type}" for f in fields(cls)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


#: in every entry's fingerprint: an entry written with another layout (a field added to
#: :class:`Volume` or :class:`SeriesInfo`, or retyped) is of other files, read again
LAYOUT = layout(Volume, SeriesInfo)
_guard = threading.Lock()


class Entry:
    """The decoded-volume entry of one sealed study folder, for the files listed there."""

    def __init__(self, folder: Path, key: bytes, files: list[FileRef]) -> None:
        self.folder, self.path, self._key = folder, folder / NAME, key
        self.fingerprint = fingerprint(folder, files)

    def read(self, threads: int = THREADS) -> Volume | None:
        """The volume, or None when there is no entry, it is of other files, or damaged
        (then it is removed: the images are read and it is written again)."""
        return self._mapped(lambda data: self._read(data, threads))

    def current(self) -> bool:
        """Whether the entry is there, whole-headed and of these files (only its head is
        decrypted: the background's check before it would read the images)."""
        return bool(self._mapped(lambda data: self._head(data)[0]["fingerprint"]
                                 == self.fingerprint))

    def _mapped(self, use):
        try:
            with open(self.path, "rb") as f:
                data = mmap.mmap(f.fileno(), 0, flags=mmap.MAP_SHARED | _POPULATE,
                                 prot=mmap.PROT_READ)
        except (OSError, ValueError):  # none yet (an empty file cannot be mapped)
            return None
        try:
            return use(data)
        except (crypto.SealError, ValueError, KeyError, TypeError) as err:
            log.warning("decoded volume entry damaged, read from the images: %s",
                        type(err).__name__)
            with contextlib.suppress(OSError):
                self.path.unlink()
            return None
        finally:
            data.close()

    def _head(self, data: mmap.mmap) -> tuple[dict, crypto.Envelope, int]:
        """The head's fields, the envelope and how many chunks the head fills."""
        envelope = crypto.envelope_of(data, NAME)
        first = bytearray(envelope.chunk_size(0))
        crypto.open_chunks_into(data, self._key, _AAD, envelope, 0, 1, first, name=NAME)
        if first[:len(MAGIC)] != MAGIC:
            raise crypto.SealError("not a volume entry")
        length = int.from_bytes(first[8:16], "big")
        head_chunks = -(-(16 + length) // envelope.chunk)
        head = first
        if head_chunks > 1:
            head = first + bytearray(min(envelope.size, head_chunks * envelope.chunk)
                                     - envelope.chunk)
            crypto.open_chunks_into(data, self._key, _AAD, envelope, 1, head_chunks,
                                    memoryview(head)[envelope.chunk:], name=NAME)
        return json.loads(bytes(head[16:16 + length])), envelope, head_chunks

    def _read(self, data: mmap.mmap, threads: int) -> Volume | None:
        meta, envelope, head_chunks = self._head(data)
        if meta["fingerprint"] != self.fingerprint:
            return None
        voxels = np.empty(tuple(meta["shape"]), np.dtype(meta["dtype"]))
        if head_chunks * envelope.chunk + voxels.nbytes != envelope.size:
            raise crypto.SealError("a volume entry of another size")
        if voxels.nbytes:
            crypto.open_chunks_into(data, self._key, _AAD, envelope, head_chunks,
                                    envelope.chunks, voxels.reshape(-1).view(np.uint8),
                                    threads, NAME)
        return _volume(voxels, meta)

    def write_later(self, volume: Volume) -> None:
        """Write the entry for ``volume`` on a background thread (one at a time a folder):
        the open that read the images returns at once."""
        with _guard:
            if self.folder in _writing:
                return
            thread = threading.Thread(target=self._write_quietly, args=(volume,),
                                      name="luch-volume-entry", daemon=True)
            _writing[self.folder] = thread
        thread.start()

    def _write_quietly(self, volume: Volume) -> None:
        try:
            self.write(volume)
        except OSError as err:  # a full disk, a folder removed meanwhile: read from images
            log.warning("decoded volume entry not written: %s", type(err).__name__)
        finally:
            with _guard:
                _writing.pop(self.folder, None)

    def write(self, volume: Volume) -> None:
        """Seal ``volume`` into the entry (a temp file renamed over it; not synced: a torn
        entry fails its tag and is read again from the images)."""
        head = _head(volume, self.fingerprint)
        voxels = np.ascontiguousarray(volume.voxels)
        remove_stale_temps(self.path, STALE_TEMP_S)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".{NAME}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                for piece in crypto.seal_buffers(self._key, [head, voxels.reshape(-1).view(
                        np.uint8)], _AAD, EXP):
                    f.write(piece)
            os.replace(tmp, self.path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)


_POPULATE = getattr(mmap, "MAP_POPULATE", 0)  # Linux: the pages mapped in one call


def entry_for(path: Path, key: bytes | None, files: list[FileRef]) -> Entry | None:
    """The entry of a sealed cached study's folder (its own data key beside the images,
    none given by the caller), else None: nothing is kept for other folders."""
    if key is not None or not path.is_dir() or not (path / vault.FOLDER_KEY).is_file():
        return None
    keys = {f.key for f in files}
    folder_key = keys.pop() if len(keys) == 1 else None
    if folder_key is None:  # plain images (encryption switched on after they came)
        return None
    return Entry(path, folder_key, files)


def fingerprint(folder: Path, files: list[FileRef]) -> str:
    """What the volume was read from: each file's path under ``folder``, size and change
    time, :data:`FORMAT` and :data:`LAYOUT`."""
    digest = hashlib.sha256(f"luch-volume:{FORMAT}:{LAYOUT}".encode())
    for ref in files:
        st = os.stat(ref.path)
        digest.update(f"\0{ref.path.relative_to(folder)}\0{ref.member or ''}\0{st.st_size}"
                      f"\0{st.st_mtime_ns}\0{st.st_ino}".encode())
    return digest.hexdigest()


def wait_written(timeout: float = 30.0, folder: Path | None = None) -> None:
    """Wait for the entries being written (or only ``folder``'s)."""
    with _guard:
        threads = [t for f, t in _writing.items() if folder is None or f == Path(folder)]
    for thread in threads:
        thread.join(timeout)


def _head(volume: Volume, fingerprint: str) -> bytes:
    meta = {
        "fingerprint": fingerprint,
        "dtype": volume.voxels.dtype.str,
        "shape": list(volume.voxels.shape),
        "spacing": list(volume.spacing),
        "origin": list(volume.origin),
        "direction": np.asarray(volume.direction, float).tolist(),
        "info": asdict(volume.info),
        "warnings": list(volume.warnings),
        "slice_positions": None if volume.slice_positions is None
        else np.asarray(volume.slice_positions, float).tolist(),
        "padding_hu": volume.padding_hu,
        "shear": None if volume.shear is None else list(volume.shear),
    }
    text = json.dumps(meta, ensure_ascii=False, default=_plain).encode("utf-8")
    size = 16 + len(text)
    padded = -(-size // (1 << EXP)) * (1 << EXP)
    return MAGIC + len(text).to_bytes(8, "big") + text + bytes(padded - size)


def _plain(value):
    """A numpy scalar as JSON takes it."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"{type(value).__name__} in a volume's head")


def _volume(voxels: np.ndarray, meta: dict) -> Volume:
    info = dict(meta["info"])
    info["derived_uids"] = tuple(info.get("derived_uids", ()))
    positions = meta["slice_positions"]
    return Volume(
        voxels=voxels,
        spacing=tuple(meta["spacing"]),
        origin=tuple(meta["origin"]),
        direction=np.asarray(meta["direction"], float),
        info=SeriesInfo(**info),
        warnings=list(meta["warnings"]),
        slice_positions=None if positions is None else np.asarray(positions, float),
        padding_hu=meta["padding_hu"],
        shear=None if meta["shear"] is None else tuple(meta["shear"]),
    )

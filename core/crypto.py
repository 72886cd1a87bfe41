"""AES-256-GCM envelopes for files at rest, and key wrapping (Qt-free, no key storage here).

A sealed file is a 17-byte header (``MAGIC``, format version, chunk size as a power of two,
a random 7-byte nonce prefix) and chunks of at most ``2**exp`` plaintext bytes, each its own
GCM ciphertext and 16-byte tag. Chunk ``i``'s nonce is the prefix, ``i`` (4 bytes) and a
last-chunk flag (the STREAM construction), so chunks cannot be reordered, dropped or the
file cut short; every chunk authenticates the header and the caller's associated data (the
SOP Instance UID of a cached image: files cannot be swapped). Writing and reading go chunk
by chunk (:func:`seal_chunks`, :func:`open_chunks`); :func:`seal`/:func:`open_sealed` are
the whole-bytes forms; :class:`SealedReader` is a seekable file over a sealed file that
decrypts only the chunks read (a header pass reads one chunk per file).
"""

from __future__ import annotations

import io
import os
import struct
from collections.abc import Callable, Iterable, Iterator

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from core.errors import LuchError

MAGIC = b"\x89LUCHGCM"
VERSION = 1
DEFAULT_EXP = 16  # 64 KiB chunks: a DICOM header is read by decrypting its first chunk
KEY_BYTES = 32
TAG = 16
_HEADER = struct.Struct(">8sBB7s")
HEADER_BYTES = _HEADER.size
_WRAP_MAGIC = b"LUCHKEY1"


class SealError(LuchError):
    """A sealed file cannot be opened: changed, cut short, or another key."""


def new_key() -> bytes:
    """A random 256-bit key."""
    return AESGCM.generate_key(bit_length=256)


def is_sealed(head: bytes) -> bool:
    """Whether bytes (at least the first 8 of a file) start a sealed envelope."""
    return head[: len(MAGIC)] == MAGIC


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", index, 1 if last else 0)


def seal_chunks(key: bytes, chunks: Iterable[bytes], aad: bytes = b"",
                exp: int = DEFAULT_EXP) -> Iterator[bytes]:
    """The sealed form of the plaintext ``chunks`` (any sizes), piece by piece."""
    size = 1 << exp
    header = _HEADER.pack(MAGIC, VERSION, exp, os.urandom(7))
    gcm, prefix, auth = AESGCM(key), header[-7:], header + aad
    yield header
    pending, index = bytearray(), 0
    for chunk in chunks:
        pending += chunk
        # keep at least one byte back: the last chunk is only known at the end
        while len(pending) > size:
            piece = bytes(pending[:size])
            del pending[:size]
            yield gcm.encrypt(_nonce(prefix, index, False), piece, auth)
            index += 1
    yield gcm.encrypt(_nonce(prefix, index, True), bytes(pending), auth)


def open_chunks(key: bytes, read, aad: bytes = b"", name: str = "file") -> Iterator[bytes]:
    """The plaintext of a sealed stream, chunk by chunk; ``read(n)`` reads the stream.

    SealError (nothing is changed on disk) when the header is not ours or a chunk fails
    its tag: the file was altered, cut short, swapped, or the key is another."""
    header = read(HEADER_BYTES)
    if len(header) < HEADER_BYTES or not is_sealed(header):
        raise SealError(f"{name} is not an encrypted Luch file")
    _magic, version, exp, prefix = _HEADER.unpack(header)
    if version != VERSION or not 10 <= exp <= 26:
        raise SealError(f"{name} was encrypted by a newer Luch; update Luch")
    gcm, auth, step = AESGCM(key), header + aad, (1 << exp) + TAG
    index, piece = 0, read(step)
    while True:
        following = read(step)
        last = not following
        try:
            yield gcm.decrypt(_nonce(prefix, index, last), piece, auth)
        except InvalidTag:
            raise SealError(f"{name} cannot be decrypted: it was changed, cut short or "
                            "belongs to another key") from None
        if last:
            return
        index, piece = index + 1, following


def seal(key: bytes, data: bytes, aad: bytes = b"") -> bytes:
    """``data`` sealed in one envelope."""
    return b"".join(seal_chunks(key, [data], aad))


def open_sealed(key: bytes, blob: bytes, aad: bytes = b"", name: str = "file") -> bytes:
    """The plaintext of a whole sealed envelope (SealError when it fails)."""
    view = memoryview(blob)
    pos = 0

    def read(n: int) -> bytes:
        nonlocal pos
        out = view[pos:pos + n]
        pos += len(out)
        return bytes(out)

    return b"".join(open_chunks(key, read, aad, name))


class SealedReader(io.RawIOBase):
    """A read-only, seekable plaintext view of the sealed file ``fp`` (opened "rb")."""

    def __init__(self, fp, key: bytes, aad: bytes = b"", name: str = "file",
                 error: Callable[[str], Exception] = SealError) -> None:
        super().__init__()
        self._fp, self._name, self._error = fp, name, error
        header = fp.read(HEADER_BYTES)
        if len(header) < HEADER_BYTES or not is_sealed(header):
            raise error(f"{name} is not an encrypted Luch file")
        _magic, version, exp, self._prefix = _HEADER.unpack(header)
        if version != VERSION or not 10 <= exp <= 26:
            raise error(f"{name} was encrypted by a newer Luch; update Luch")
        self._gcm, self._auth = AESGCM(key), header + aad
        self._chunk = 1 << exp
        body = fp.seek(0, 2) - HEADER_BYTES
        step = self._chunk + TAG
        self._chunks = max(1, -(-body // step))
        last = body - (self._chunks - 1) * step - TAG
        if body < TAG or last < 0:
            raise error(f"{name} cannot be decrypted: it was changed, cut short or belongs "
                        "to another key")
        self.size = (self._chunks - 1) * self._chunk + last
        self._pos, self._cached = 0, (-1, memoryview(b""))
        self._ct = bytearray()

    def _plain(self, index: int) -> memoryview:
        if self._cached[0] != index:
            step = self._chunk + TAG
            self._fp.seek(HEADER_BYTES + index * step)
            piece = self._fp.read(step)
            last = index == self._chunks - 1
            try:
                data = self._gcm.decrypt(_nonce(self._prefix, index, last), piece, self._auth)
            except InvalidTag:
                raise self._error(f"{self._name} cannot be decrypted: it was changed, cut "
                                  "short or belongs to another key") from None
            self._cached = (index, memoryview(data))
        return self._cached[1]

    @property
    def name(self) -> str:
        return self._name

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def _chunk_size(self, index: int) -> int:
        return self.size - index * self._chunk if index == self._chunks - 1 else self._chunk

    def readinto(self, buffer) -> int:
        """Whole chunks are decrypted straight into ``buffer`` (one pass over the bytes)."""
        out = memoryview(buffer).cast("B")
        done = 0
        while done < len(out) and self._pos < self.size:
            index, at = divmod(self._pos, self._chunk)
            whole = self._chunk_size(index)
            if at == 0 and len(out) - done >= whole and self._cached[0] != index:
                self._decrypt_into(index, out[done:done + whole])
                n = whole
            else:
                data = self._plain(index)
                n = min(len(out) - done, len(data) - at)
                out[done:done + n] = data[at:at + n]
            done += n
            self._pos += n
        return done

    def _decrypt_into(self, index: int, target: memoryview) -> None:
        step = self._chunk + TAG
        if len(self._ct) != step:
            self._ct = bytearray(step)
        self._fp.seek(HEADER_BYTES + index * step)
        got = self._fp.readinto(self._ct)
        last = index == self._chunks - 1
        try:
            self._gcm.decrypt_into(_nonce(self._prefix, index, last),
                                   memoryview(self._ct)[:got], self._auth, target)
        except (InvalidTag, ValueError):
            raise self._error(f"{self._name} cannot be decrypted: it was changed, cut "
                              "short or belongs to another key") from None

    def readall(self) -> bytes:
        out = bytearray(max(0, self.size - self._pos))
        return bytes(out[: self.readinto(out)])

    def close(self) -> None:
        if not self.closed:
            self._fp.close()
        super().close()


def wrap_key(kek: bytes, dek: bytes, label: str) -> bytes:
    """``dek`` wrapped by ``kek`` (AES-GCM, ``label`` authenticated: a key file cannot be
    moved to another use)."""
    nonce = os.urandom(12)
    return _WRAP_MAGIC + nonce + AESGCM(kek).encrypt(nonce, dek, label.encode())


def unwrap_key(kek: bytes, wrapped: bytes, label: str) -> bytes:
    """The data key inside ``wrapped``; SealError when the KEK is another or it was changed."""
    if wrapped[:8] != _WRAP_MAGIC or len(wrapped) != 8 + 12 + KEY_BYTES + TAG:
        raise SealError(f"the key file of {label} is damaged")
    try:
        return AESGCM(kek).decrypt(wrapped[8:20], wrapped[20:], label.encode())
    except InvalidTag:
        raise SealError(f"the key of {label} cannot be unwrapped: the station key in the "
                        "OS keyring is another one (a new OS profile?)") from None

"""AES-256-GCM envelopes for files at rest, and key wrapping (Qt-free, no key storage here).

A sealed file is a 17-byte header (``MAGIC``, format version, chunk size as a power of two,
a random 7-byte nonce prefix; version 2 adds the 16-byte id of the data key it was sealed
with, :func:`key_id`, so that a file in a shared folder names its study's key) and chunks
of at most ``2**exp`` plaintext bytes, each its own GCM ciphertext and 16-byte tag. Chunk
``i``'s nonce is the prefix, ``i`` (4 bytes) and a last-chunk flag (the STREAM
construction), so chunks cannot be reordered, dropped or the file cut short; every chunk
authenticates the header and the caller's associated data (the SOP Instance UID of a cached
image: files cannot be swapped). Writing and reading go chunk by chunk (:func:`seal_chunks`,
:func:`open_chunks`); :func:`seal`/:func:`open_sealed` are the whole-bytes forms;
:class:`SealedReader` is a seekable file over a sealed file that decrypts only the chunks
read; :func:`read_head` and :func:`read_into` are its positional, stateless form for a study
open (a header pass decrypts one chunk per file, the pixel pass the rest straight into the
volume, the file's :class:`Envelope` parsed once).
"""

from __future__ import annotations

import io
import os
import struct
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import pairwise

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from core.errors import LuchError

MAGIC = b"\x89LUCHGCM"
VERSION = 1
VERSION_KEY_ID = 2  # the header ends with the id of the data key
KEY_ID_BYTES = 16
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


def key_id(head: bytes) -> bytes | None:
    """The data key's id a sealed file's header names (version 2), else None."""
    if (len(head) >= HEADER_BYTES + KEY_ID_BYTES and is_sealed(head)
            and head[len(MAGIC)] == VERSION_KEY_ID):
        return bytes(head[HEADER_BYTES:HEADER_BYTES + KEY_ID_BYTES])
    return None


def _parse_header(read: Callable[[int], bytes], name: str,
                  error: Callable[[str], Exception] = SealError) -> tuple[bytes, int, bytes]:
    """``(whole header, chunk exponent, nonce prefix)`` read by ``read(n)`` from offset 0."""
    header = read(HEADER_BYTES)
    if len(header) < HEADER_BYTES or not is_sealed(header):
        raise error(f"{name} is not an encrypted Luch file")
    _magic, version, exp, prefix = _HEADER.unpack(header)
    if version not in (VERSION, VERSION_KEY_ID) or not 10 <= exp <= 26:
        raise error(f"{name} was encrypted by a newer Luch; update Luch")
    if version == VERSION_KEY_ID:
        header += read(KEY_ID_BYTES)
        if len(header) < HEADER_BYTES + KEY_ID_BYTES:
            raise error(f"{name} cannot be decrypted: it was cut short")
    return header, exp, prefix


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", index, 1 if last else 0)


def seal_chunks(key: bytes, chunks: Iterable[bytes], aad: bytes = b"",
                exp: int = DEFAULT_EXP, kid: bytes | None = None) -> Iterator[bytes]:
    """The sealed form of the plaintext ``chunks`` (any sizes), piece by piece; ``kid``: the
    key's id, written in the header (authenticated) for :func:`key_id`."""
    size = 1 << exp
    prefix = os.urandom(7)
    if kid is None:
        header = _HEADER.pack(MAGIC, VERSION, exp, prefix)
    else:
        if len(kid) != KEY_ID_BYTES:
            raise ValueError(f"a key id is {KEY_ID_BYTES} bytes")
        header = _HEADER.pack(MAGIC, VERSION_KEY_ID, exp, prefix) + kid
    gcm, auth = AESGCM(key), header + aad
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
    header, exp, prefix = _parse_header(read, name)
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


def seal(key: bytes, data: bytes, aad: bytes = b"", kid: bytes | None = None) -> bytes:
    """``data`` sealed in one envelope (naming the key ``kid`` when given)."""
    return b"".join(seal_chunks(key, [data], aad, kid=kid))


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


@dataclass(frozen=True)
class Envelope:
    """Where a sealed file's chunks lie: its header (as authenticated), nonce prefix, chunk
    size and count, and plaintext size; parsed once from the header and the file's size."""

    header: bytes
    prefix: bytes
    chunk: int
    chunks: int
    size: int

    def chunk_size(self, index: int) -> int:
        return self.size - index * self.chunk if index == self.chunks - 1 else self.chunk

    def offset(self, index: int) -> int:
        """Where chunk ``index``'s ciphertext starts in the file."""
        return len(self.header) + index * (self.chunk + TAG)

    def nonce(self, index: int) -> bytes:
        return _nonce(self.prefix, index, index == self.chunks - 1)


def _envelope(header: bytes, exp: int, prefix: bytes, total: int, name: str,
              error: Callable[[str], Exception]) -> Envelope:
    """The :class:`Envelope` of a sealed file of ``total`` bytes with this parsed header."""
    body, chunk = total - len(header), 1 << exp
    step = chunk + TAG
    chunks = max(1, -(-body // step))
    last = body - (chunks - 1) * step - TAG
    if body < TAG or last < 0:
        raise error(f"{name} cannot be decrypted: it was changed, cut short or belongs "
                    "to another key")
    return Envelope(header, prefix, chunk, chunks, (chunks - 1) * chunk + last)


def read_head(fd: int, key: bytes, aad: bytes = b"", name: str = "file",
              error: Callable[[str], Exception] = SealError
              ) -> tuple[Envelope, memoryview] | None:
    """The envelope and first chunk's plaintext of the sealed file open at ``fd`` (one
    ``preadv`` of the header and the chunk); None when the file is not sealed. The plaintext
    is a view of this thread's buffer, valid until this thread's next call: nothing is
    allocated per file (a fresh 64 KiB a file cost more in page faults than decrypting the
    chunk again later; benchmarks/README.md)."""
    total = os.fstat(fd).st_size
    scratch = _scratch(HEADER_BYTES + KEY_ID_BYTES + (1 << DEFAULT_EXP) + TAG)
    data = scratch[:os.preadv(fd, [scratch], 0)]
    if not is_sealed(data):
        return None
    header, exp, prefix = _parse_header(_reader(data), name, error)
    envelope = _envelope(header, exp, prefix, total, name, error)
    size = envelope.chunk_size(0)
    end = len(header) + size + TAG
    piece = data[len(header):end] if end <= len(data) else os.pread(
        fd, end - len(header), len(header))  # a chunk larger than the default
    plain = _plain_scratch(size)
    try:
        AESGCM(key).decrypt_into(envelope.nonce(0), piece, header + aad, plain)
    except (InvalidTag, ValueError):
        raise error(_FAILED.format(name)) from None
    return envelope, plain


def read_into(fd: int, key: bytes, aad: bytes, envelope: Envelope, offset: int, target,
              name: str = "file", error: Callable[[str], Exception] = SealError) -> int:
    """The plaintext from ``offset`` of the sealed file open at ``fd`` into ``target``. The
    chunks' ciphertext is read with one ``preadv`` a run of up to RUN_CHUNKS into this
    thread's buffer; whole chunks are decrypted straight into ``target``, a chunk only
    partly wanted (the first, the last) aside and cut. Returns the bytes written (fewer at
    the file's end)."""
    out = memoryview(target).cast("B")
    end = min(envelope.size, offset + len(out))
    if end <= offset:
        return 0
    chunk, chunks, prefix = envelope.chunk, envelope.chunks, envelope.prefix
    gcm, auth, step = AESGCM(key), envelope.header + aad, chunk + TAG
    index, last, done = offset // chunk, (end - 1) // chunk, 0
    while index <= last:
        run = min(RUN_CHUNKS, last - index + 1)
        length = (run - 1) * step + envelope.chunk_size(index + run - 1) + TAG
        scratch = _scratch(length)[:length]
        if os.preadv(fd, [scratch], envelope.offset(index)) != length:
            raise error(_FAILED.format(name))
        for i in range(run):
            k = index + i
            size = envelope.size - k * chunk if k == chunks - 1 else chunk
            start = offset + done - k * chunk  # where the wanted bytes start in this chunk
            n = min(size - start, len(out) - done)
            nonce = prefix + k.to_bytes(4, "big") + (b"\x01" if k == chunks - 1 else b"\x00")
            piece = scratch[i * step:i * step + size + TAG]
            try:
                if n == size:
                    gcm.decrypt_into(nonce, piece, auth, out[done:done + n])
                else:
                    plain = _plain_scratch(size)
                    gcm.decrypt_into(nonce, piece, auth, plain)
                    out[done:done + n] = plain[start:start + n]
            except (InvalidTag, ValueError):
                raise error(_FAILED.format(name)) from None
            done += n
        index += run
    return done


def _whole_run(envelope: Envelope, index: int, room: int) -> int:
    """How many whole chunks from ``index`` fit in ``room`` bytes (at most RUN_CHUNKS)."""
    run, size = 0, 0
    while (run < RUN_CHUNKS and index + run < envelope.chunks
           and size + envelope.chunk_size(index + run) <= room):
        size += envelope.chunk_size(index + run)
        run += 1
    return run


def _decrypt_run(pread_into: Callable[[int, memoryview], int], gcm: AESGCM, auth: bytes,
                 envelope: Envelope, index: int, run: int, target: memoryview, name: str,
                 error: Callable[[str], Exception]) -> int:
    """Decrypt chunks ``index .. index + run - 1`` into ``target``: their ciphertext read
    in one call into this thread's buffer. Returns the plaintext bytes written."""
    step = envelope.chunk + TAG
    scratch = _scratch(run * step)
    got = pread_into(envelope.offset(index), scratch[:run * step])
    done = 0
    for i in range(run):
        size = envelope.chunk_size(index + i)
        piece = scratch[i * step:min(got, i * step + size + TAG)]
        try:
            gcm.decrypt_into(envelope.nonce(index + i), piece, auth,
                             target[done:done + size])
        except (InvalidTag, ValueError):
            raise error(_FAILED.format(name)) from None
        done += size
    return done


_FAILED = "{} cannot be decrypted: it was changed, cut short or belongs to another key"


def seal_buffers(key: bytes, buffers: Sequence, aad: bytes = b"", exp: int = DEFAULT_EXP,
                 ) -> Iterator[memoryview]:
    """The sealed form of the buffers joined (as :func:`seal_chunks`), piece by piece, each
    chunk encrypted from the buffers in place into one reused buffer (a piece is valid until
    the next is asked for): a whole volume is sealed without a copy of it."""
    size = 1 << exp
    prefix = os.urandom(7)
    header = _HEADER.pack(MAGIC, VERSION, exp, prefix)
    gcm, auth = AESGCM(key), header + aad
    yield memoryview(header)
    views = [memoryview(b).cast("B") for b in buffers]
    total = sum(len(v) for v in views)
    out = memoryview(bytearray(size + TAG))
    chunks = max(1, -(-total // size))
    view, at = 0, 0
    for index in range(chunks):
        want = min(size, total - index * size)
        if view < len(views) and len(views[view]) - at >= want:
            piece = views[view][at:at + want]
            at += want
        else:  # a chunk across buffers (or past an empty one): joined
            parts = bytearray()
            while len(parts) < want:
                take = views[view][at:at + want - len(parts)]
                parts += take
                at += len(take)
                if at >= len(views[view]):
                    view, at = view + 1, 0
            piece = memoryview(parts)
        while view < len(views) and at >= len(views[view]):
            view, at = view + 1, 0
        gcm.encrypt_into(_nonce(prefix, index, index == chunks - 1), piece, auth,
                         out[:want + TAG])
        yield out[:want + TAG]


def _reader(data) -> Callable[[int], bytes]:
    """Reads ``data`` (bytes, a memoryview, an ``mmap``) from its start, ``n`` bytes a call."""
    view, at = memoryview(data), 0

    def read(n: int) -> bytes:
        nonlocal at
        piece = bytes(view[at:at + n])
        at += len(piece)
        return piece
    return read


def envelope_of(data, name: str = "file", error: Callable[[str], Exception] = SealError
                ) -> Envelope:
    """The :class:`Envelope` of a whole sealed file held in ``data`` (bytes, an ``mmap``)."""
    view = memoryview(data)
    header, exp, prefix = _parse_header(_reader(view), name, error)
    return _envelope(header, exp, prefix, len(view), name, error)


def open_chunks_into(data, key: bytes, aad: bytes, envelope: Envelope, first: int, stop: int,
                     target, threads: int = 1, name: str = "file",
                     error: Callable[[str], Exception] = SealError) -> None:
    """Chunks ``first`` .. ``stop - 1`` of the whole sealed file in ``data`` (bytes, an
    ``mmap``) decrypted straight into ``target``, which must be their plaintext's size;
    on ``threads`` threads in contiguous runs (the AES releases the GIL)."""
    source, out = memoryview(data), memoryview(target).cast("B")
    count = stop - first
    wanted = min(envelope.size, stop * envelope.chunk) - first * envelope.chunk
    if not 0 <= first < stop <= envelope.chunks or len(out) != wanted:
        raise error(_FAILED.format(name))
    gcm, auth = AESGCM(key), envelope.header + aad

    def run(start: int, stop: int) -> None:
        for index in range(start, stop):
            at, size = envelope.offset(index), envelope.chunk_size(index)
            done = (index - first) * envelope.chunk
            try:
                gcm.decrypt_into(envelope.nonce(index), source[at:at + size + TAG], auth,
                                 out[done:done + size])
            except (InvalidTag, ValueError):
                raise error(_FAILED.format(name)) from None

    threads = max(1, min(threads, count))
    try:
        if threads == 1:
            run(first, stop)
            return
        bounds = [first + count * n // threads for n in range(threads + 1)]
        with ThreadPoolExecutor(threads, thread_name_prefix="luch-open") as pool:
            for job in [pool.submit(run, a, b) for a, b in pairwise(bounds)]:
                job.result()
    finally:
        source.release()


class SealedReader(io.RawIOBase):
    """A read-only, seekable plaintext view of the sealed file ``fp`` (opened "rb").

    A file with a descriptor is read with ``pread`` (no seeks); runs of whole chunks are read
    in one call into a per-thread buffer and decrypted straight into the caller's buffer."""

    def __init__(self, fp, key: bytes, aad: bytes = b"", name: str = "file",
                 error: Callable[[str], Exception] = SealError) -> None:
        super().__init__()
        self._fp, self._name, self._error = fp, name, error
        try:
            self._fd: int | None = fp.fileno()
        except (AttributeError, OSError, io.UnsupportedOperation):
            self._fd = None
        at = 0

        def read(n: int) -> bytes:
            nonlocal at
            data = self._pread(at, n)
            at += len(data)
            return data

        header, exp, _prefix = _parse_header(read, name, error)
        total = os.fstat(self._fd).st_size if self._fd is not None else fp.seek(0, 2)
        self._envelope = _envelope(header, exp, _prefix, total, name, error)
        self._gcm, self._auth = AESGCM(key), header + aad
        self._chunk, self._chunks = self._envelope.chunk, self._envelope.chunks
        self.size = self._envelope.size
        self._pos, self._cached = 0, (-1, memoryview(b""))

    def _pread(self, offset: int, n: int) -> bytes:
        if self._fd is not None:
            return os.pread(self._fd, n, offset)
        self._fp.seek(offset)
        return self._fp.read(n)

    def _pread_into(self, offset: int, buffer: memoryview) -> int:
        if self._fd is not None:
            return os.preadv(self._fd, [buffer], offset)
        self._fp.seek(offset)
        return self._fp.readinto(buffer)

    def _failed(self) -> Exception:
        return self._error(_FAILED.format(self._name))

    def _plain(self, index: int) -> memoryview:
        if self._cached[0] != index:
            envelope = self._envelope
            piece = self._pread(envelope.offset(index), envelope.chunk_size(index) + TAG)
            try:
                data = self._gcm.decrypt(envelope.nonce(index), piece, self._auth)
            except InvalidTag:
                raise self._failed() from None
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

    def readinto(self, buffer) -> int:
        """Whole chunks are decrypted straight into ``buffer`` (one pass over the bytes)."""
        out = memoryview(buffer).cast("B")
        done = 0
        while done < len(out) and self._pos < self.size:
            index, at = divmod(self._pos, self._chunk)
            run = 0 if at or self._cached[0] == index else _whole_run(
                self._envelope, index, len(out) - done)
            if run:
                n = _decrypt_run(self._pread_into, self._gcm, self._auth, self._envelope,
                                 index, run, out[done:], self._name, self._error)
            else:
                data = self._plain(index)
                n = min(len(out) - done, len(data) - at)
                out[done:done + n] = data[at:at + n]
            done += n
            self._pos += n
        return done

    def readall(self) -> bytes:
        out = bytearray(max(0, self.size - self._pos))
        return bytes(out[: self.readinto(out)])

    def close(self) -> None:
        if not self.closed:
            self._fp.close()
        super().close()


RUN_CHUNKS = 16  # whole chunks read in one call (1 MiB of 64 KiB chunks)
_scratches = threading.local()


def _plain_scratch(size: int) -> memoryview:
    """This thread's buffer for one chunk's plaintext, ``size`` bytes (kept for reuse)."""
    buffer = getattr(_scratches, "plain", None)
    if buffer is None or len(buffer) < size:
        buffer = _scratches.plain = memoryview(bytearray(size))
    return buffer[:size]


def _scratch(size: int) -> memoryview:
    """This thread's buffer for ciphertext, at least ``size`` bytes (kept for reuse)."""
    buffer = getattr(_scratches, "buffer", None)
    if buffer is None or len(buffer) < size:
        buffer = _scratches.buffer = memoryview(bytearray(size))
    return buffer


def wrap_key(kek: bytes, dek: bytes, label: str) -> bytes:
    """``dek`` wrapped by ``kek`` (AES-GCM, ``label`` authenticated: a key file cannot be
    moved to another use)."""
    nonce = os.urandom(12)
    return _WRAP_MAGIC + nonce + AESGCM(kek).encrypt(nonce, dek, label.encode())


def is_wrapped(data: bytes) -> bool:
    """Whether ``data`` is a key wrapped by :func:`wrap_key` (else e.g. a plain secret)."""
    return data[:8] == _WRAP_MAGIC


def unwrap_key(kek: bytes, wrapped: bytes, label: str) -> bytes:
    """The data key inside ``wrapped`` (a data key is 32 bytes; a station secret such as the
    anonymisation key may be 16 or more); SealError when the KEK is another or it was
    changed."""
    if wrapped[:8] != _WRAP_MAGIC or len(wrapped) < 8 + 12 + 16 + TAG:
        raise SealError(f"the key file of {label} is damaged")
    try:
        return AESGCM(kek).decrypt(wrapped[8:20], wrapped[20:], label.encode())
    except InvalidTag:
        raise SealError(f"the key of {label} cannot be unwrapped: the station key in the "
                        "OS keyring is another one (a new OS profile?)") from None

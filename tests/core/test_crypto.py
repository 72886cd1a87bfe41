"""AES-256-GCM envelopes: round trips, tamper, truncation, swap and wrong-key detection."""

from __future__ import annotations

import io
import os

import pytest

from core import crypto
from core.crypto import SealError


@pytest.mark.parametrize("size", [0, 1, 1023, 1024, 1025, 5000])
def test_round_trip_across_chunk_boundaries(size):
    key, data = crypto.new_key(), bytes(range(256)) * (size // 256 + 1)
    data = data[:size]
    blob = b"".join(crypto.seal_chunks(key, [data[:7], data[7:]], b"aad", exp=10))
    assert crypto.is_sealed(blob)
    if size > 32:
        assert data[:32] not in blob
    assert crypto.open_sealed(key, blob, b"aad") == data


def test_every_flipped_byte_is_caught():
    key = crypto.new_key()
    blob = crypto.seal(key, b"Ivanov^Ivan" * 100, b"1.2.3")
    for pos in range(len(crypto.MAGIC), len(blob), 97):
        bad = bytearray(blob)
        bad[pos] ^= 1
        with pytest.raises(SealError):
            crypto.open_sealed(key, bytes(bad), b"1.2.3")


def test_truncation_dropped_chunk_wrong_aad_and_wrong_key_are_caught():
    key = crypto.new_key()
    blob = b"".join(crypto.seal_chunks(key, [b"x" * 3000], b"1.2.3", exp=10))
    step = 1024 + crypto.TAG
    with pytest.raises(SealError):  # cut after the first full chunk: no last-chunk flag
        crypto.open_sealed(key, blob[: crypto.HEADER_BYTES + step], b"1.2.3")
    dropped = blob[: crypto.HEADER_BYTES] + blob[crypto.HEADER_BYTES + step:]
    with pytest.raises(SealError):
        crypto.open_sealed(key, dropped, b"1.2.3")
    with pytest.raises(SealError):  # another SOP Instance UID: a swapped file
        crypto.open_sealed(key, blob, b"1.2.4")
    with pytest.raises(SealError):
        crypto.open_sealed(crypto.new_key(), blob, b"1.2.3")
    with pytest.raises(SealError, match="not an encrypted"):
        crypto.open_sealed(key, b"DICM plain", b"1.2.3")


def test_wrapped_key_needs_its_kek_and_label():
    kek, dek = crypto.new_key(), crypto.new_key()
    wrapped = crypto.wrap_key(kek, dek, "records")
    assert dek not in wrapped
    assert crypto.unwrap_key(kek, wrapped, "records") == dek
    with pytest.raises(SealError):
        crypto.unwrap_key(kek, wrapped, "home")
    with pytest.raises(SealError, match="another one"):
        crypto.unwrap_key(crypto.new_key(), wrapped, "records")


def test_sealed_reader_seeks_and_decrypts_only_what_is_read():
    import io

    key, data = crypto.new_key(), bytes(range(256)) * 1000  # 256000 bytes, 4 chunks
    blob = crypto.seal(key, data, b"1.2.3")
    reader = crypto.SealedReader(io.BytesIO(blob), key, b"1.2.3", "x.dcm")
    assert reader.size == len(data) and reader.name == "x.dcm"
    reader.seek(200_000)
    assert reader.read(100) == data[200_000:200_100]
    reader.seek(-5, io.SEEK_END)
    assert reader.read() == data[-5:]
    buffer = bytearray(70_000)
    reader.seek(60_000)
    assert reader.readinto(buffer) == 70_000 and bytes(buffer) == data[60_000:130_000]
    # a damaged third chunk: the first still reads, the third fails clearly
    bad = bytearray(blob)
    bad[crypto.HEADER_BYTES + 2 * (65536 + crypto.TAG) + 10] ^= 1
    reader = crypto.SealedReader(io.BytesIO(bytes(bad)), key, b"1.2.3", "x.dcm")
    assert reader.read(1000) == data[:1000]
    reader.seek(140_000)
    with pytest.raises(SealError, match=r"x\.dcm cannot be decrypted"):
        reader.read(10)
    # cut at a chunk boundary: the new last chunk was not sealed as last
    cut = blob[: crypto.HEADER_BYTES + 2 * (65536 + crypto.TAG)]
    reader = crypto.SealedReader(io.BytesIO(cut), key, b"1.2.3", "x.dcm")
    reader.seek(70_000)
    with pytest.raises(SealError):
        reader.read(10)


def test_a_file_names_its_key_and_the_name_is_authenticated():
    key, kid = crypto.new_key(), bytes(range(16))
    data = os.urandom(200_000)
    blob = crypto.seal(key, data, b"1.2.3", kid=kid)
    assert crypto.key_id(blob) == kid and crypto.key_id(crypto.seal(key, data, b"1.2.3")) is None
    assert crypto.open_sealed(key, blob, b"1.2.3") == data
    reader = crypto.SealedReader(io.BytesIO(blob), key, b"1.2.3", "x.dcm")
    reader.seek(70_000)
    assert reader.read(100_000) == data[70_000:170_000]
    other = bytearray(blob)
    other[crypto.HEADER_BYTES] ^= 1  # another key's id: every chunk fails
    with pytest.raises(crypto.SealError):
        crypto.open_sealed(key, bytes(other), b"1.2.3")


def test_read_head_and_read_into_decrypt_any_range_from_a_descriptor(tmp_path):
    key, data = crypto.new_key(), os.urandom(3 * 65536 + 1234)
    path = tmp_path / "1.2.3.dcm"
    path.write_bytes(crypto.seal(key, data, b"1.2.3"))
    fd = os.open(path, os.O_RDONLY)
    try:
        envelope, first = crypto.read_head(fd, key, b"1.2.3", "x.dcm")
        assert bytes(first) == data[:65536] and envelope.size == len(data)
        assert envelope.chunks == 4
        for start, n in ((0, len(data)), (1000, 65536), (65536, 2 * 65536), (70_000, 10),
                         (len(data) - 5, 100)):
            out = bytearray(n)
            got = crypto.read_into(fd, key, b"1.2.3", envelope, start, out, "x.dcm")
            assert bytes(out[:got]) == data[start:start + n]
        with pytest.raises(SealError, match=r"x\.dcm cannot be decrypted"):
            crypto.read_into(fd, key, b"other", envelope, 0, bytearray(10), "x.dcm")
    finally:
        os.close(fd)
    plain = tmp_path / "plain.dcm"
    plain.write_bytes(data)
    fd = os.open(plain, os.O_RDONLY)
    try:
        assert crypto.read_head(fd, key, b"1.2.3") is None  # not sealed: the caller reads it
    finally:
        os.close(fd)


def test_read_into_refuses_a_file_cut_or_changed_after_its_envelope_was_read(tmp_path):
    key, data = crypto.new_key(), os.urandom(2 * 65536 + 10)
    path = tmp_path / "9.dcm"
    blob = crypto.seal(key, data, b"9")
    path.write_bytes(blob)
    fd = os.open(path, os.O_RDONLY)
    try:
        envelope, _ = crypto.read_head(fd, key, b"9")
    finally:
        os.close(fd)
    for damaged in (blob[:-20], blob[:-30] + bytes(30)):
        path.write_bytes(damaged)
        fd = os.open(path, os.O_RDONLY)
        try:
            with pytest.raises(SealError):
                crypto.read_into(fd, key, b"9", envelope, 0, bytearray(len(data)))
        finally:
            os.close(fd)

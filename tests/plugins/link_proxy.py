"""A small TCP proxy (asyncio, in its own thread) that delays, stalls and cuts a link.

This kernel has no ``netem``, so the VPN's round trip and loss are made here: every chunk is
held ``delay_s`` in each direction (a 40 ms round trip is 0.02 here), and each 1448-byte
segment is "lost" with probability ``loss``: the stream it is in stalls for ``rto_s``
(Linux's minimum retransmission timeout), the head-of-line wait a real loss costs. The
congestion window's halving after a loss is not modelled. The proxy listens on loopback, so
the archive's address is a loopback one, as a VPN client's tunnel is to the application.

``cut()`` closes every open connection and, until ``restore()``, resets new ones (a dropped
VPN). ``bytes_down``/``bytes_up`` count payload each way; ``requests`` holds the HTTP request
lines the client sent, in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
import socket
import threading
from collections.abc import Iterator

import pytest

MSS = 1448
_REQUEST_LINE = re.compile(rb"(GET|POST|PUT|DELETE) (\S+) HTTP/1\.[01]\r\n")


class LinkProxy:
    def __init__(self, target: tuple[str, int], delay_s: float = 0.0, loss: float = 0.0,
                 rto_s: float = 0.2, seed: int = 1) -> None:
        self.target, self.delay_s, self.loss, self.rto_s = target, delay_s, loss, rto_s
        with socket.socket() as s:  # a fresh loopback port
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.bytes_down = self.bytes_up = 0
        self.requests: list[str] = []
        self.down = False
        self._random = random.Random(seed)
        self._writers: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="link-proxy", daemon=True)

    @property
    def address(self) -> tuple[str, int]:
        return "127.0.0.1", self.port

    def start(self) -> LinkProxy:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the link proxy did not start")
        return self

    def stop(self) -> None:
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=10)

    def cut(self) -> None:
        """Drop the link: open connections are closed, new ones reset until restore()."""
        self.down = True
        self._loop.call_soon_threadsafe(self._close_all)

    def restore(self) -> None:
        self.down = False

    # -- inside the loop -----------------------------------------------------------------------
    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(
            asyncio.start_server(self._serve, "127.0.0.1", self.port))
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            server.close()
            self._close_all()
            pending = asyncio.all_tasks(self._loop)
            for task in pending:
                task.cancel()
            self._loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            self._loop.close()

    def _close_all(self) -> None:
        for writer in list(self._writers):
            with contextlib.suppress(Exception):
                writer.transport.abort()
        self._writers.clear()

    async def _serve(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter
                     ) -> None:
        if self.down:
            client_w.transport.abort()
            return
        try:
            server_r, server_w = await asyncio.open_connection(*self.target)
        except OSError:
            client_w.transport.abort()
            return
        self._writers |= {client_w, server_w}
        with contextlib.suppress(asyncio.CancelledError):  # the proxy stops: end quietly
            await asyncio.gather(self._pump(client_r, server_w, up=True),
                                 self._pump(server_r, client_w, up=False),
                                 return_exceptions=True)
        for w in (client_w, server_w):
            self._writers.discard(w)
            w.transport.abort()

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                    up: bool) -> None:
        queue: asyncio.Queue = asyncio.Queue()
        sender = asyncio.ensure_future(self._send(queue, writer))
        due = 0.0
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                if up:
                    self.bytes_up += len(data)
                    self.requests += [m.group(2).decode("latin-1")
                                      for m in _REQUEST_LINE.finditer(data)]
                else:
                    self.bytes_down += len(data)
                now = self._loop.time()
                due = max(due, now + self.delay_s) + self._stall(len(data))
                queue.put_nowait((due, data))
        finally:
            queue.put_nowait((0.0, b""))
            with contextlib.suppress(Exception):
                await sender
            writer.transport.abort()

    def _stall(self, size: int) -> float:
        if not self.loss:
            return 0.0
        segments = -(-size // MSS)
        lost = sum(self._random.random() < self.loss for _ in range(segments))
        return lost * self.rto_s

    async def _send(self, queue: asyncio.Queue, writer: asyncio.StreamWriter) -> None:
        while True:
            due, data = await queue.get()
            if not data:
                return
            wait = due - self._loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(data)
            await writer.drain()


@pytest.fixture
def link_proxy() -> Iterator:
    """Makes proxies (``make(target, delay_s=..., loss=...)``), all stopped afterwards."""
    proxies: list[LinkProxy] = []

    def make(target: tuple[str, int], **kwargs) -> LinkProxy:
        proxy = LinkProxy(target, **kwargs).start()
        proxies.append(proxy)
        return proxy

    try:
        yield make
    finally:
        for proxy in proxies:
            proxy.stop()

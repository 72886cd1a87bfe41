"""A loopback TCP proxy for fault tests: forwards bytes and can cut a connection on cue."""

from __future__ import annotations

import socket
import struct
import threading


class CuttingProxy:
    """Forwards 127.0.0.1:<port> to an upstream port.

    ``cut_upload_after(n)``: the next connection that sends more than ``n`` bytes upstream is
    reset in the middle of its request. ``cut_response()``: the next response is dropped after
    the whole request reached the server (the archive stored it, the client never hears);
    with ``then_dark`` every later connection is reset at once until :meth:`heal` (the link
    stays down, so the client cannot ask the archive what it got either).
    """

    def __init__(self, upstream_port: int) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.cuts = 0
        self._upload_limit: int | None = None
        self._drop_response = False
        self._dark_after_drop = False
        self.dark = False
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def cut_upload_after(self, n_bytes: int) -> None:
        with self._lock:
            self._upload_limit = n_bytes

    def cut_response(self, then_dark: bool = False) -> None:
        with self._lock:
            self._drop_response, self._dark_after_drop = True, then_dark

    def heal(self) -> None:
        with self._lock:
            self.dark = False

    def close(self) -> None:
        self._closed = True
        self.server.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            if self.dark:
                self._reset(client)
                continue
            upstream = socket.create_connection(self.upstream)
            state = {"posting": False, "posted": 0}  # shared by the two directions
            threading.Thread(target=self._pump_up, args=(client, upstream, state),
                             daemon=True).start()
            threading.Thread(target=self._pump_down, args=(upstream, client, state),
                             daemon=True).start()

    @staticmethod
    def _reset(*socks: socket.socket) -> None:
        for s in socks:
            try:  # SO_LINGER 0: close with RST, as a dropped VPN link looks to the peer
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                s.close()
            except OSError:
                pass

    def _pump_up(self, client: socket.socket, upstream: socket.socket, state: dict) -> None:
        while True:
            try:
                data = client.recv(65536)
            except OSError:
                data = b""
            if not data:
                self._reset(upstream)
                return
            with self._lock:
                if data.startswith((b"GET ", b"POST ")):
                    state["posting"], state["posted"] = data.startswith(b"POST "), 0
                if state["posting"]:
                    state["posted"] += len(data)
                limit = self._upload_limit
                cut = state["posting"] and limit is not None and state["posted"] > limit
                if cut:
                    self._upload_limit = None
                    self.cuts += 1
            if cut:  # part of the request went through, the rest never will
                self._reset(client, upstream)
                return
            try:
                upstream.sendall(data)
            except OSError:
                self._reset(client)
                return

    def _pump_down(self, upstream: socket.socket, client: socket.socket, state: dict) -> None:
        while True:
            try:
                data = upstream.recv(65536)
            except OSError:
                data = b""
            if not data:
                self._reset(client)
                return
            with self._lock:
                drop = self._drop_response and state["posting"]
                if drop:
                    self._drop_response = False
                    self.dark = self._dark_after_drop
                    self.cuts += 1
            if drop:  # the server has the whole request and answered; the client never hears
                self._reset(client, upstream)
                return
            try:
                client.sendall(data)
            except OSError:
                self._reset(upstream)
                return

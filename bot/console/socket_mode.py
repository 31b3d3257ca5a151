"""Slack's Socket Mode end on 127.0.0.1, for the stand-in: a minimal WebSocket server (RFC 6455).

`apps.connections.open` on the stand-in hands out this server's URL. It greets each connection
with Slack's `hello`, sends the envelopes a test gives it, answers pings, and records the acks
the app sends back. Text frames only, as Slack uses; enough for slack_sdk's own client.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from typing import Any

_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA


@dataclass
class SocketModeEnd:
    """The server side of Socket Mode; `url` is what apps.connections.open answers."""

    _listener: socket.socket | None = None
    _clients: list[socket.socket] = field(default_factory=list)
    _acks: list[dict[str, Any]] = field(default_factory=list)
    _lock: threading.Condition = field(default_factory=threading.Condition)
    _tickets: int = 0

    def start(self) -> SocketModeEnd:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        self._listener = listener
        threading.Thread(target=self._accept, name="slack-socket-mode", daemon=True).start()
        return self

    def stop(self) -> None:
        with self._lock:
            clients, self._clients = self._clients, []
        for client in clients:
            with contextlib.suppress(OSError):
                client.sendall(_frame(CLOSE, struct.pack("!H", 1001)))
            client.close()
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def url(self) -> str:
        if self._listener is None:
            self.start()
        assert self._listener is not None
        port = self._listener.getsockname()[1]
        with self._lock:
            self._tickets += 1
            ticket = self._tickets
        # Not port 443, so slack_sdk's client connects without TLS.
        return f"wss://127.0.0.1:{port}/link/?ticket=knalle-{ticket}&app_id=A0KNALLE"

    # -- what tests use ----------------------------------------------------------------------

    def wait_connected(self, timeout: float = 10.0) -> None:
        self._wait(lambda: bool(self._clients), timeout, "no Socket Mode connection")

    def send(self, envelope: dict[str, Any]) -> None:
        """An envelope to the newest connection, as Slack sends events and interactions."""
        with self._lock:
            client = self._clients[-1]
        client.sendall(_frame(TEXT, json.dumps(envelope).encode("utf-8")))

    def wait_ack(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        """The app's ack of `envelope_id` (with its payload, if it answered with one)."""
        found: list[dict[str, Any]] = []

        def acked() -> bool:
            found[:] = [a for a in self._acks if a.get("envelope_id") == envelope_id]
            return bool(found)

        self._wait(acked, timeout, f"no ack of {envelope_id}")
        return found[0]

    def acks(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._acks)

    def _wait(self, ready: Any, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        with self._lock:
            while not ready():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(what)
                self._lock.wait(left)

    # -- the server ----------------------------------------------------------------------------

    def _accept(self) -> None:
        while self._listener is not None:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        try:
            if not _handshake(client):
                client.close()
                return
            client.sendall(_frame(TEXT, json.dumps(_hello()).encode("utf-8")))
            with self._lock:
                self._clients.append(client)
                self._lock.notify_all()
            while True:
                opcode, payload = _read_frame(client)
                if opcode == TEXT:
                    message = json.loads(payload.decode("utf-8"))
                    with self._lock:
                        self._acks.append(message)
                        self._lock.notify_all()
                elif opcode == PING:
                    client.sendall(_frame(PONG, payload))
                elif opcode == CLOSE:
                    client.sendall(_frame(CLOSE, payload[:2]))
                    break
        except (OSError, ConnectionError, ValueError):
            pass
        finally:
            with self._lock:
                if client in self._clients:
                    self._clients.remove(client)
            client.close()


def _hello() -> dict[str, Any]:
    return {
        "type": "hello",
        "num_connections": 1,
        "debug_info": {"host": "knalle-standin", "approximate_connection_time": 3600},
        "connection_info": {"app_id": "A0KNALLE"},
    }


def _handshake(client: socket.socket) -> bool:
    request = b""
    while b"\r\n\r\n" not in request:
        chunk = client.recv(4096)
        if not chunk:
            return False
        request += chunk
    headers = {}
    for line in request.decode("latin-1").split("\r\n")[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    key = headers.get("sec-websocket-key")
    if not key or headers.get("upgrade", "").lower() != "websocket":
        client.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
        return False
    accept = base64.b64encode(hashlib.sha1((key + _GUID).encode()).digest()).decode()
    client.sendall(
        (
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Accept: {accept}\r\n\r\n"
        ).encode()
    )
    return True


def _frame(opcode: int, payload: bytes) -> bytes:
    """A server frame: final, unmasked."""
    head = bytes([0x80 | opcode])
    size = len(payload)
    if size < 126:
        head += bytes([size])
    elif size < 1 << 16:
        head += bytes([126]) + struct.pack("!H", size)
    else:
        head += bytes([127]) + struct.pack("!Q", size)
    return head + payload


def _read_exactly(client: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = client.recv(count - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def _read_frame(client: socket.socket) -> tuple[int, bytes]:
    """One whole message from the client (masked, possibly in continuation frames)."""
    message = b""
    first_opcode = 0
    while True:
        b1, b2 = _read_exactly(client, 2)
        final, opcode = b1 & 0x80, b1 & 0x0F
        size = b2 & 0x7F
        if size == 126:
            size = struct.unpack("!H", _read_exactly(client, 2))[0]
        elif size == 127:
            size = struct.unpack("!Q", _read_exactly(client, 8))[0]
        mask = _read_exactly(client, 4) if b2 & 0x80 else b"\0\0\0\0"
        data = bytes(b ^ mask[i % 4] for i, b in enumerate(_read_exactly(client, size)))
        if opcode in (PING, PONG, CLOSE):
            return opcode, data  # control frames come whole, even between fragments
        first_opcode = first_opcode or opcode
        message += data
        if final:
            return first_opcode, message

"""Shared fixtures of the Python SDK suite: the generated packages on
``sys.path`` (the working tree's code, not an installed copy), the fake
Interactor server as a process on loopback (``fake-interactor --port 0``,
built by ``cargo build -p interactor-tests --bin fake-interactor``) and a
client of its control API (scripted responses, request log, token count);
and ``loopback``, a plain HTTP server on loopback that records each GET's
target and answers what the test sets, for the edge-cases snapshot.
"""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Optional

import pytest

# Nothing may be written inside generated directories (the drift check
# would see it): no bytecode for the packages imported from there.
sys.dont_write_bytecode = True

ROOT = Path(__file__).resolve().parents[2]
for src in (
    ROOT / "generated/python/interactor/src",
    ROOT / "generated/python/epsimo/src",
    ROOT / "tests/snapshots-python/edge-cases/src",
    ROOT / "tests/snapshots-python/hostile-docs/src",
):
    sys.path.insert(0, str(src))

# The same vectors the Rust tests read (copied from shared/vectors once).
VECTORS = ROOT / "interactor/tests/data"

CLIENT_ID = "client_test"
CLIENT_SECRET = "secret_test"


def fake_binary() -> Path:
    env = os.environ.get("FAKE_INTERACTOR_BIN")
    if env:
        return Path(env)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return target / "debug" / "fake-interactor"


class Fake:
    """The running fake server: ``base_url`` (API, with ``/api/v1``) and
    its control API."""

    def __init__(self, base_url: str, control_url: str) -> None:
        self.base_url = base_url
        self.control_url = control_url

    def _call(self, method: str, path: str, body: Optional[dict[str, Any]] = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.control_url + path, data=data, method=method, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read() or b"null")

    def script(self, method: str, route: str, status: int, *, headers: Optional[list[tuple[str, str]]] = None, error: Optional[tuple[str, str]] = None, json_body: Any = None) -> None:
        """Queues a canned response for the next ``method`` ``route`` (route
        relative to ``/api/v1``, ``{param}`` matches one segment)."""
        cmd: dict[str, Any] = {"method": method, "route": route, "status": status, "headers": [list(h) for h in headers or []]}
        if error is not None:
            cmd["error"] = {"code": error[0], "message": error[1]}
        if json_body is not None:
            cmd["json"] = json_body
        self._call("POST", "/script", cmd)

    def requests(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "/requests"))

    def clear(self) -> None:
        self._call("POST", "/clear-requests", {})

    def token_requests(self) -> int:
        return int(self._call("GET", "/token-requests")["count"])

    def pending_scripts(self) -> int:
        return int(self._call("GET", "/pending-scripts")["count"])

    def expire_tokens(self) -> None:
        self._call("POST", "/expire-tokens", {})


def header(request: dict[str, Any], name: str) -> Optional[str]:
    for key, value in request["headers"]:
        if key.lower() == name.lower():
            return str(value)
    return None


@pytest.fixture(scope="session")
def fake() -> Iterator[Fake]:
    binary = fake_binary()
    if not binary.exists():
        pytest.fail(f"{binary} does not exist: run `cargo build -p interactor-tests --bin fake-interactor` (or set FAKE_INTERACTOR_BIN)")
    proc = subprocess.Popen([str(binary), "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        base = proc.stdout.readline().strip()
        control = proc.stdout.readline().strip()
        if not base.startswith("listening on ") or not control.startswith("control on "):
            pytest.fail(f"fake-interactor printed {base!r}, {control!r}: expected its two address lines")
        yield Fake(base.removeprefix("listening on ") + "/api/v1", control.removeprefix("control on "))
    finally:
        proc.kill()
        proc.wait()


@pytest.fixture
def namespace() -> str:
    """A namespace of its own for each test: the fake server keeps
    resources per namespace, so tests never see each other's."""
    return f"ns_{uuid.uuid4().hex[:12]}"


class Loopback(http.server.ThreadingHTTPServer):
    """Records each request's target in ``seen`` (and a POST's
    ``Content-Type`` and body in ``bodies``) and answers ``answer``: a
    status and a JSON body, or ``None`` for none."""

    seen: list[str]
    bodies: list[tuple[str, bytes]]
    answer: tuple[int, Optional[object]]

    @property
    def base(self) -> str:
        """The edge-cases snapshot's base URL on this server."""
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class _LoopbackHandler(http.server.BaseHTTPRequestHandler):
    server: Loopback

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        self.server.bodies.append((self.headers.get("content-type") or "", self.rfile.read(length)))
        self.do_GET()

    def do_GET(self) -> None:
        self.server.seen.append(self.path)
        status, body = self.server.answer
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if body is not None:
            self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    """A :class:`Loopback` answering ``200 []`` until told otherwise."""
    srv = Loopback(("127.0.0.1", 0), _LoopbackHandler)
    srv.seen = []
    srv.bodies = []
    srv.answer = (200, [])
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()

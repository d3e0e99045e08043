"""Responses without a body beside typed ones of the same group: the
edge-cases snapshot's ``get_thing`` (200 ``Thing`` or 202 without a body;
404 ``Problem`` or 409 without one), answered by a loopback server, sync
and async. The Rust SDK returns the same answers as ``Some``/``None``
(``tests/tests/e2e_empty_responses.rs``), the TypeScript one as a value or
``undefined`` (``tests/typescript/src/responses.test.ts``)."""

from __future__ import annotations

import asyncio
import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any, Optional

import pytest
import snapshot_edge_cases

THING = {"id": "t1", "kind": "thing", "shape": {"type": "circle", "radius": 1.0}}


class _Server(http.server.ThreadingHTTPServer):
    seen: list[str]
    answer: tuple[int, Optional[object]]


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

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
def server() -> Iterator[_Server]:
    srv = _Server(("127.0.0.1", 0), _Handler)
    srv.seen = []
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def _get_thing(srv: _Server, status: int, body: Optional[object]) -> Any:
    """``get_thing("t1")`` with the sync and the async client; both must agree."""
    srv.answer = (status, body)
    base = f"http://127.0.0.1:{srv.server_address[1]}/v1"

    def sync() -> Any:
        with snapshot_edge_cases.Client(base_url=base, token="t") as client:
            try:
                return client.default.get_thing("t1")
            except snapshot_edge_cases.APIStatusError as e:
                return e

    async def run() -> Any:
        async with snapshot_edge_cases.AsyncClient(base_url=base, token="t") as client:
            try:
                return await client.default.get_thing("t1")
            except snapshot_edge_cases.APIStatusError as e:
                return e

    got, got_async = sync(), asyncio.run(run())
    assert type(got) is type(got_async)
    assert srv.seen == ["/v1/things/t1", "/v1/things/t1"]
    return got


def test_a_typed_success_is_the_value(server: _Server) -> None:
    assert _get_thing(server, 200, THING) == THING


def test_a_success_without_a_body_is_none(server: _Server) -> None:
    assert _get_thing(server, 202, None) is None


def test_a_typed_error_carries_its_body(server: _Server) -> None:
    e = _get_thing(server, 404, {"code": "missing"})
    assert isinstance(e, snapshot_edge_cases.NotFoundError)
    assert e.body == {"code": "missing"}


def test_an_error_without_a_body_has_none(server: _Server) -> None:
    e = _get_thing(server, 409, None)
    assert isinstance(e, snapshot_edge_cases.ConflictError)
    assert e.status_code == 409
    assert e.body is None

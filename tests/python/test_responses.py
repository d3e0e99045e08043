"""Responses without a body beside typed ones of the same group: the
edge-cases snapshot's ``get_thing`` (200 ``Thing`` or 202 without a body;
404 ``Problem`` or 409 without one), answered by a loopback server, sync
and async. The Rust SDK returns the same answers as ``Some``/``None``
(``tests/tests/e2e_empty_responses.rs``), the TypeScript one as a value or
``undefined`` (``tests/typescript/src/responses.test.ts``)."""

from __future__ import annotations

import asyncio
from typing import Any, Optional

import snapshot_edge_cases

from conftest import Loopback

THING = {"id": "t1", "kind": "thing", "shape": {"type": "circle", "radius": 1.0}}


def _get_thing(srv: Loopback, status: int, body: Optional[object]) -> Any:
    """``get_thing("t1")`` with the sync and the async client; both must agree."""
    srv.answer = (status, body)
    base = srv.base

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


def test_a_typed_success_is_the_value(loopback: Loopback) -> None:
    assert _get_thing(loopback, 200, THING) == THING


def test_a_success_without_a_body_is_none(loopback: Loopback) -> None:
    assert _get_thing(loopback, 202, None) is None


def test_a_typed_error_carries_its_body(loopback: Loopback) -> None:
    e = _get_thing(loopback, 404, {"code": "missing"})
    assert isinstance(e, snapshot_edge_cases.NotFoundError)
    assert e.body == {"code": "missing"}


def test_an_error_without_a_body_has_none(loopback: Loopback) -> None:
    e = _get_thing(loopback, 409, None)
    assert isinstance(e, snapshot_edge_cases.ConflictError)
    assert e.status_code == 409
    assert e.body is None

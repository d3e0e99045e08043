"""Query parameter styles: every row of the table the TypeScript and Rust
encoders are tested with (``tests/data/query-styles.json``), then the
generated ``searchThings`` of the edge-cases snapshot, whose parameters use
every style, as httpx sends it."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
import snapshot_edge_cases

from conftest import ROOT
from interactor_sdk._query import encode_query_param, query_string

CASES: list[dict[str, Any]] = json.loads((ROOT / "tests/data/query-styles.json").read_text(encoding="utf-8"))["cases"]


def test_the_table_has_its_rows() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("row", CASES, ids=lambda r: str(r["case"]))
def test_shared_table(row: dict[str, Any]) -> None:
    assert "&".join(encode_query_param(row["name"], row["value"], row["style"], row["explode"])) == row["expect"]


def test_query_string_each_parameter_in_its_style() -> None:
    styles = (("expand", "deepObject", True), ("created", "deepObject", True), ("tags", "form", False))
    params = {"expand": ["a", "b"], "created": {"gt": 1}, "tags": ("x", "y"), "limit": 3, "skipped": None, "q": "a b"}
    assert query_string(params, styles) == "expand[0]=a&expand[1]=b&created[gt]=1&tags=x,y&limit=3&q=a%20b"
    assert query_string({}) == ""


WANT = "/v1/search/.s?expand[0]=data.customer&expand[1]=data.invoice&created[gt]=1&created[lte]=2&tags=a,b&ids=1|2&words=x%20y&limit=10&extra=1"


def test_generated_method_sends_every_style() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[])

    client = snapshot_edge_cases.Client(base_url="http://test/v1", token="t", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    got = client.default.search_things(
        "s", expand=["data.customer", "data.invoice"], created={"gt": 1, "lte": 2}, tags=["a", "b"], ids=[1, 2], words=["x", "y"], limit=10, extra_query={"extra": 1}
    )
    assert got == []
    assert seen[0].url.raw_path.decode() == WANT
    client.default.search_things("s", created=1692000000)
    assert seen[1].url.raw_path.decode() == "/v1/search/.s?created=1692000000", "the scalar branch of anyOf(object, integer)"


def test_async_generated_method_sends_every_style() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[])

    async def run() -> None:
        client = snapshot_edge_cases.AsyncClient(base_url="http://test/v1", token="t", http_client=httpx.AsyncClient(transport=httpx.MockTransport(handler)))
        await client.default.search_things(
            "s", expand=["data.customer", "data.invoice"], created={"gt": 1, "lte": 2}, tags=["a", "b"], ids=[1, 2], words=["x", "y"], limit=10, extra_query={"extra": 1}
        )

    asyncio.run(run())
    assert seen[0].url.raw_path.decode() == WANT

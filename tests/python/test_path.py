"""Path parameter styles: every row of the table the TypeScript and Rust
encoders are tested with (``tests/data/path-styles.json``), then the
edge-cases snapshot's ``get_cells`` and ``search_things`` (``simple``,
``label`` and ``matrix``; lists and a dict) sent to a loopback server, whose
request line is read back."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
import snapshot_edge_cases

from conftest import ROOT, Loopback
from interactor_sdk import InvalidRequestError
from interactor_sdk._base_client import encode_path_param

CASES: list[dict[str, Any]] = json.loads((ROOT / "tests/data/path-styles.json").read_text(encoding="utf-8"))["cases"]


def test_the_table_has_its_rows() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("row", CASES, ids=lambda r: str(r["case"]))
def test_shared_table(row: dict[str, Any]) -> None:
    if row.get("error"):
        with pytest.raises(InvalidRequestError, match=f"path parameter `{row['name']}`"):
            encode_path_param(row["value"], row["name"], row["style"], row["explode"])
    else:
        assert encode_path_param(row["value"], row["name"], row["style"], row["explode"]) == row["expect"]


WANT = ["/v1/cells/1,2/.x.y%20z/;at=col,3,row,1;flags=a;flags=b%3Bc", "/v1/search/.s"]


def test_generated_method_writes_each_path_parameter_in_its_style(loopback: Loopback) -> None:
    with snapshot_edge_cases.Client(base_url=loopback.base, token="t") as client:
        assert client.default.get_cells([1, 2], ["x", "y z"], {"col": 3, "row": 1}, ["a", "b;c"]) == []
        client.default.search_things("s")
    assert loopback.seen == WANT


def test_async_generated_method_writes_each_path_parameter_in_its_style(loopback: Loopback) -> None:
    async def run() -> None:
        async with snapshot_edge_cases.AsyncClient(base_url=loopback.base, token="t") as client:
            await client.default.get_cells([1, 2], ["x", "y z"], {"col": 3, "row": 1}, ["a", "b;c"])
            await client.default.search_things("s")

    asyncio.run(run())
    assert loopback.seen == WANT


def test_a_value_that_names_no_segment_is_refused_before_sending(loopback: Loopback) -> None:
    with snapshot_edge_cases.Client(base_url=loopback.base, token="t") as client:
        with pytest.raises(snapshot_edge_cases.InvalidRequestError, match="path parameter `ids`"):
            client.default.get_cells([], ["x"], {}, [])
    assert loopback.seen == []

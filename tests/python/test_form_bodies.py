"""Url-encoded bodies: every row of the table the TypeScript and Rust
encoders are tested with (``tests/data/form-bodies.json``)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import ROOT
from interactor_sdk._forms import url_encoded_fields

CASES: list[dict[str, Any]] = json.loads((ROOT / "tests/data/form-bodies.json").read_text(encoding="utf-8"))["cases"]


def test_the_table_has_its_rows() -> None:
    assert len(CASES) >= 16


@pytest.mark.parametrize("row", CASES, ids=lambda r: str(r["case"]))
def test_shared_table(row: dict[str, Any]) -> None:
    encoding = tuple((name, e["style"], e["explode"]) for name, e in row["encoding"].items())
    assert url_encoded_fields(row["value"], encoding) == [(k, v) for k, v in row["fields"]]

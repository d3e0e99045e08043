"""The runtime's sans-IO pieces, table-driven: retry classification,
Retry-After parsing, the retry budget and backoff, the token cache's
refresh schedule, path-segment encoding, JSON pointers and form bodies."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from typing import Optional

import httpx
import pytest

from interactor_sdk import InvalidRequestError
from interactor_sdk._base_client import (
    RetryBudget,
    RetryConfig,
    RetryStrategy,
    TokenState,
    classify,
    encode_path_segment,
    parse_retry_after,
    parse_retry_after_ms,
    retry_after,
)
from interactor_sdk._exceptions import APIError
from interactor_sdk._forms import multipart_parts, url_encoded_fields
from interactor_sdk._pagination import AsyncPager, Paging, SyncPager, json_pointer


@pytest.mark.parametrize(
    "status, connect, method, key, expect",
    [
        (200, False, "POST", False, False),
        (304, False, "GET", False, False),
        (400, False, "GET", False, False),
        (401, False, "GET", False, False),
        (404, False, "GET", False, False),
        (409, False, "PUT", True, False),
        (500, False, "GET", False, False),
        (501, False, "GET", False, False),
        (505, False, "GET", False, False),
        (429, False, "GET", False, True),
        (502, False, "HEAD", False, True),
        (503, False, "PUT", False, True),
        (504, False, "DELETE", False, True),
        (503, False, "OPTIONS", False, True),
        (429, False, "POST", False, False),
        (503, False, "PATCH", False, False),
        (429, False, "POST", True, True),
        (504, False, "PATCH", True, True),
        (None, True, "POST", False, True),
        (None, True, "GET", False, True),
        (None, False, "GET", False, True),
        (None, False, "POST", False, False),
        (None, False, "POST", True, True),
    ],
)
def test_classify(status: Optional[int], connect: bool, method: str, key: bool, expect: bool) -> None:
    assert classify(status, connect, method, key) is expect


NOW = 1_445_412_480.0  # Wed, 21 Oct 2015 07:28:00 GMT


@pytest.mark.parametrize(
    "value, expect",
    [
        ("0", 0.0),
        ("120", 120.0),
        (" 7 ", 7.0),
        ("", None),
        ("-1", None),
        ("1.5", None),
        ("soon", None),
        ("Wed, 21 Oct 2015 07:28:30 GMT", 30.0),
        ("Wed, 21 Oct 2015 07:00:00 GMT", 0.0),
        ("Wed, 21 Oct 2015 25:00:00 GMT", None),
    ],
)
def test_parse_retry_after(value: str, expect: Optional[float]) -> None:
    assert parse_retry_after(value, NOW) == expect


@pytest.mark.parametrize("value, expect", [("1500", 1.5), ("12.5", 0.0125), ("0", 0.0), ("-1", None), ("NaN", None), ("inf", None), ("", None), ("1e400", None)])
def test_parse_retry_after_ms(value: str, expect: Optional[float]) -> None:
    assert parse_retry_after_ms(value) == expect


def test_retry_after_prefers_ms_and_caps() -> None:
    assert retry_after({}, NOW, 60) is None
    assert retry_after({"Retry-After": "30"}, NOW, 60) == 30
    assert retry_after({"Retry-After": "30", "retry-after-ms": "250.5"}, NOW, 60) == 0.2505
    assert retry_after({"Retry-After": "30", "retry-after-ms": "garbage"}, NOW, 60) == 30
    assert retry_after({"Retry-After": "3600"}, NOW, 60) == 60
    assert retry_after({"retry-after-ms": "3600000"}, NOW, 60) == 60
    assert retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:10 GMT"}, NOW, 60) == 10


def test_budget_exhaustion_and_refill() -> None:
    budget = RetryBudget()
    assert sum(budget.try_acquire() for _ in range(1000)) == 100
    for _ in range(4):
        budget.on_success()
    assert not budget.try_acquire() and budget.available == 4
    budget.on_success()
    assert budget.try_acquire() and budget.available == 0
    capped = RetryBudget(10, 5, 3)
    capped.on_success()
    assert capped.available == 10


def test_strategy_attempts_budget_and_full_jitter() -> None:
    s = RetryStrategy(RetryConfig(max_attempts=3, initial_backoff=0.5, max_backoff=8.0, max_retry_after=60.0), rng=random.Random(7))
    assert s.next_wait(1, False, None) is None
    assert s.next_wait(3, True, None) is None
    assert s.next_wait(1, True, 120.0) == 60.0
    waits = [s.backoff(r) for r in range(10) for _ in range(50)]
    assert all(0.0 <= w <= 8.0 for w in waits)
    assert max(s.backoff(0) for _ in range(200)) <= 0.5
    assert len({round(w, 6) for w in waits}) > 100, "jittered, not fixed"
    empty = RetryStrategy(RetryConfig(), budget=RetryBudget(4, 5, 1))
    assert empty.next_wait(1, True, None) is None, "no budget, no retry"


def test_token_refresh_schedule() -> None:
    now = [1000.0]
    state = TokenState(clock=lambda: now[0])
    assert state.cached() is None
    token = state.store("tok", 3600)
    assert (token.expires_at, token.refresh_at) == (4600.0, 4540.0)
    assert "tok" not in repr(token)
    now[0] = 4539.9
    assert state.cached() is token
    now[0] = 4540.0
    assert state.cached() is None, "refreshed 60 s before expiry"
    short = state.store("short", 30)
    assert short.refresh_at == 4540.0 + 15, "lifetime under the buffer: half of it"
    default = state.store("d", None)
    assert default.expires_at == 4540.0 + 3600
    other = state.store("e", 10)
    assert not state.invalidate(default), "an already replaced token is not dropped"
    assert state.invalidate(other) and state.cached() is None


@pytest.mark.parametrize(
    "value, expect",
    [("asst_1", "asst_1"), ("../x", "..%2Fx"), ("a/b?c#d", "a%2Fb%3Fc%23d"), ("sp ace", "sp%20ace"), ("é", "%C3%A9"), ("%2F", "%252F"), (12, "12"), (True, "true"), ("...", "...")],
)
def test_encode_path_segment(value: object, expect: str) -> None:
    assert encode_path_segment(value, "id") == expect


@pytest.mark.parametrize("value", ["", ".", ".."])
def test_encode_path_segment_refuses(value: str) -> None:
    with pytest.raises(InvalidRequestError, match="`id`"):
        encode_path_segment(value, "id")


def test_json_pointer() -> None:
    doc = {"data": {"items": [1, 2], "a/b": {"~c": 3}}, "meta": {"has_more": False}}
    assert json_pointer(doc, "/data/items") == [1, 2]
    assert json_pointer(doc, "/data/a~1b/~0c") == 3
    assert json_pointer(doc, "/data/items/1") == 2
    assert json_pointer(doc, "/meta/has_more") is False
    assert json_pointer(doc, "/nope") is not None and json_pointer(doc, "/nope") is not False
    assert json_pointer(doc, "") is doc


def pages(bodies: dict[object, object]) -> tuple[list[dict[str, object]], Callable[[dict[str, object]], object]]:
    calls: list[dict[str, object]] = []

    def fetch(query: dict[str, object]) -> object:
        calls.append(query)
        key = next(iter(query.values()), None)
        return bodies[key]

    return calls, fetch


def test_cursor_pager() -> None:
    paging = Paging(style="cursor", items="/data/instances", cursor_param="cursor", next_cursor="/data/pagination/next_cursor")
    bodies: dict[object, object] = {
        None: {"data": {"instances": [1, 2], "pagination": {"next_cursor": "c2"}}},
        "c2": {"data": {"instances": [3], "pagination": {"next_cursor": "c3"}}},
        "c3": {"data": {"instances": [], "pagination": {"next_cursor": None}}},
    }
    calls, fetch = pages(bodies)
    assert list(SyncPager[int](fetch, paging)) == [1, 2, 3]
    assert calls == [{}, {"cursor": "c2"}, {"cursor": "c3"}]
    loop: dict[object, object] = {None: {"data": {"instances": [1], "pagination": {"next_cursor": "same"}}}, "same": {"data": {"instances": [2], "pagination": {"next_cursor": "same"}}}}
    with pytest.raises(APIError, match="same cursor twice"):
        list(SyncPager[int](pages(loop)[1], paging))


def test_page_pager_stops_on_has_more_or_empty_page() -> None:
    paging = Paging(style="page", items="/data", has_more="/meta/has_more")
    bodies: dict[object, object] = {1: {"data": ["a"], "meta": {"has_more": True}}, 2: {"data": [], "meta": {"has_more": True}}}
    calls, fetch = pages(bodies)
    assert list(SyncPager[str](fetch, paging)) == ["a"]
    assert calls == [{"page": 1}, {"page": 2}], "an empty page ends it even if has_more says otherwise"
    with pytest.raises(APIError, match="no array at /data"):
        list(SyncPager[str](lambda q: {"data": None}, paging))


def test_async_pager() -> None:
    paging = Paging(style="page", items="/data", has_more="/meta/has_more")

    async def fetch(query: dict[str, object]) -> object:
        n = int(str(query["page"]))
        return {"data": [n * 10, n * 10 + 1], "meta": {"has_more": n < 3}}

    async def main() -> list[int]:
        return [x async for x in AsyncPager[int](fetch, paging)]

    assert asyncio.run(main()) == [10, 11, 20, 21, 30, 31]


def test_url_encoded_fields() -> None:
    fields = url_encoded_fields(
        {
            "amount": 2000,
            "capture": False,
            "description": "a&b=c ü",
            "skipped": None,
            "expand": ["customer", "invoice"],
            "metadata": {"order": "6735", "a b": 1},
            "items": [{"price": "p1", "quantity": 2}, {"price": "p2"}],
        }
    )
    assert fields == [
        ("amount", "2000"),
        ("capture", "false"),
        ("description", "a&b=c ü"),
        ("expand", "customer"),
        ("expand", "invoice"),
        ("metadata[order]", "6735"),
        ("metadata[a b]", "1"),
        ("items[0][price]", "p1"),
        ("items[0][quantity]", "2"),
        ("items[1][price]", "p2"),
    ]
    # The same bytes as the TypeScript runtime's urlEncodedBody.
    assert str(httpx.QueryParams(tuple(fields))) == (
        "amount=2000&capture=false&description=a%26b%3Dc+%C3%BC&expand=customer&expand=invoice"
        "&metadata%5Border%5D=6735&metadata%5Ba+b%5D=1&items%5B0%5D%5Bprice%5D=p1&items%5B0%5D%5Bquantity%5D=2&items%5B1%5D%5Bprice%5D=p2"
    )
    with pytest.raises(InvalidRequestError, match="multipart"):
        url_encoded_fields({"file": b"%PDF"})


def test_multipart_parts() -> None:
    fields, files = multipart_parts(
        {"file": ("a.pdf", b"%PDF"), "more": [b"x", b"y"], "purpose": "assistants", "tags": ["a", "b"], "meta": {"k": 1}, "n": 3, "ok": True, "none": None}
    )
    assert fields == {"purpose": ["assistants"], "tags": ["a", "b"], "meta": ['{"k":1}'], "n": ["3"], "ok": ["true"]}
    assert files == [("file", ("a.pdf", b"%PDF")), ("more", b"x"), ("more", b"y")]
    body = httpx.Request("POST", "http://h/", data=fields, files=files).read()
    assert b'name="file"; filename="a.pdf"' in body and b"%PDF" in body
    assert body.count(b'name="tags"') == 2 and body.count(b'name="more"') == 2


def test_each_package_logs_under_its_own_name() -> None:
    """The runtime is one template; its logger is the package it was
    generated into, so configuring ``epsimo_sdk``'s logger catches Epsimo's
    retries and stream reconnects."""
    import epsimo_sdk._base_client
    import epsimo_sdk._streaming
    import interactor_sdk._base_client
    import interactor_sdk._streaming

    assert epsimo_sdk._base_client.log.name == "epsimo_sdk"
    assert epsimo_sdk._streaming.log.name == "epsimo_sdk"
    assert interactor_sdk._base_client.log.name == "interactor_sdk"
    assert interactor_sdk._streaming.log.name == "interactor_sdk"

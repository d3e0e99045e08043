"""The generated clients (sync and async) against the fake Interactor
server on loopback: CRUD round trips, OAuth single flight and 401 refresh,
scripted 429/503 with Retry-After, idempotency keys, typed errors, path
encoding, pagination, namespaces and SSE resume across random drops."""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from typing import Any

import pytest
from conftest import CLIENT_ID, CLIENT_SECRET, Fake, header

import interactor_sdk as sdk
from interactor_sdk import AsyncClient, Client, RetryConfig

FAST = RetryConfig(max_attempts=3, initial_backoff=0.01, max_backoff=0.05, max_retry_after=0.05)
BODY: Any = {"name": "Helper", "model": "gpt-4o", "system_prompt": "Be brief."}


def sync_client(fake: Fake, namespace: str, **kw: Any) -> Client:
    kw.setdefault("retry", FAST)
    return Client(base_url=fake.base_url, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, namespace=namespace, **kw)


def async_client(fake: Fake, namespace: str, **kw: Any) -> AsyncClient:
    kw.setdefault("retry", FAST)
    return AsyncClient(base_url=fake.base_url, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, namespace=namespace, **kw)


def routed(fake: Fake, method: str, suffix: str) -> list[dict[str, Any]]:
    return [r for r in fake.requests() if r["method"] == method and r["path"].endswith(suffix)]


def test_crud_round_trip_sync(fake: Fake, namespace: str) -> None:
    with sync_client(fake, namespace) as client:
        created = client.assistants.create(body=BODY)["data"]
        assert created["name"] == "Helper"
        got = client.assistants.get(created["id"])["data"]
        assert got["id"] == created["id"]
        updated = client.assistants.update(created["id"], body={"name": "Renamed"})["data"]
        assert updated["name"] == "Renamed"
        listed = client.assistants.list()
        assert [a["id"] for a in listed["data"]] == [created["id"]]
        client.assistants.delete(created["id"])
        with pytest.raises(sdk.NotFoundError) as err:
            client.assistants.get(created["id"])
    e = err.value
    assert e.status_code == 404 and e.code == "NOT_FOUND"
    assert e.request_id and e.request_id == e.headers.get("x-request-id")
    assert "NOT_FOUND" in str(e) and e.request_id in str(e)


def test_crud_round_trip_async(fake: Fake, namespace: str) -> None:
    async def main() -> None:
        async with async_client(fake, namespace) as client:
            created = (await client.assistants.create(body=BODY))["data"]
            got = (await client.assistants.get(created["id"]))["data"]
            assert got == created, "unknown keys and all: the JSON comes back as sent"
            await client.assistants.delete(created["id"])
            with pytest.raises(sdk.NotFoundError):
                await client.assistants.get(created["id"])

    asyncio.run(main())


def test_unknown_fields_and_enum_values_round_trip(fake: Fake, namespace: str) -> None:
    # A TypedDict is the JSON dict itself: keys and enum values the spec
    # does not know pass through untouched.
    fake.script("GET", "/assistants/{assistant_id}", 200, json_body={"data": {"id": "asst_x", "name": "n", "model": "m", "system_prompt": "s", "tools": [], "data_sources": [], "brand_new": {"k": [1, 2]}, "status": "from-the-future"}})
    with sync_client(fake, namespace) as client:
        got = client.assistants.get("asst_x")["data"]
    assert got["brand_new"] == {"k": [1, 2]}  # type: ignore[typeddict-item]
    assert got["status"] == "from-the-future"  # type: ignore[typeddict-item]


def test_token_single_flight_async(fake: Fake, namespace: str) -> None:
    async def main() -> int:
        before = fake.token_requests()
        async with async_client(fake, namespace) as client:
            results = await asyncio.gather(*(client.assistants.list() for _ in range(25)))
            assert len(results) == 25
            await client.assistants.list()
        return fake.token_requests() - before

    assert asyncio.run(main()) == 1


def test_token_single_flight_threads(fake: Fake, namespace: str) -> None:
    before = fake.token_requests()
    errors: list[BaseException] = []
    with sync_client(fake, namespace) as client:
        barrier = threading.Barrier(8)

        def work() -> None:
            try:
                barrier.wait()
                client.assistants.list()
            except BaseException as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=work) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert fake.token_requests() - before == 1


def test_bad_credentials_are_an_authentication_error(fake: Fake, namespace: str) -> None:
    with Client(base_url=fake.base_url, client_id=CLIENT_ID, client_secret="wrong", retry=FAST) as client:
        with pytest.raises(sdk.AuthenticationError) as err:
            client.assistants.list()
    assert err.value.status_code == 401 and "wrong" not in str(err.value)


def test_401_invalidates_and_retries_once(fake: Fake, namespace: str) -> None:
    with sync_client(fake, namespace) as client:
        client.assistants.list()
        before = fake.token_requests()
        fake.expire_tokens()
        assert client.assistants.list()["data"] == []
        assert fake.token_requests() - before == 1
        # A token that is refused again is not refreshed in a loop.
        fake.script("GET", "/assistants", 401, error=("UNAUTHORIZED", "no"))
        fake.script("GET", "/assistants", 401, error=("UNAUTHORIZED", "still no"))
        with pytest.raises(sdk.AuthenticationError) as err:
            client.assistants.list()
        assert err.value.error_message == "still no"
        assert fake.token_requests() - before == 2


def test_token_never_in_urls_or_repr(fake: Fake, namespace: str) -> None:
    fake.clear()
    with sync_client(fake, namespace) as client:
        client.assistants.list()
        text = repr(client)
        assert CLIENT_SECRET not in text and "***" in text
        token = client.bearer()[0].removeprefix("Bearer ")
        assert token not in repr(client.bearer()[1])
    for r in fake.requests():
        assert token not in r["path"] and token not in (r["query"] or "")
    static = Client(base_url=fake.base_url, token="tok_secret_value")
    assert "tok_secret_value" not in repr(static)


def test_429_retry_after_is_honoured_and_capped(fake: Fake, namespace: str, caplog: pytest.LogCaptureFixture) -> None:
    fake.clear()
    fake.script("GET", "/assistants", 429, headers=[("Retry-After", "1")], error=("RATE_LIMITED", "slow down"))
    fake.script("GET", "/assistants", 503, headers=[("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")], error=("API_ERROR", "unavailable"))
    caplog.set_level(logging.DEBUG, logger="interactor_sdk")
    with sync_client(fake, namespace) as client:
        assert client.assistants.list()["data"] == []
    assert len(routed(fake, "GET", "/assistants")) == 3
    waits = [r.getMessage() for r in caplog.records if r.getMessage().startswith("retrying listAssistants")]
    # 1 s capped at max_retry_after (0.05 s); a date in the past is 0.
    assert waits[0].startswith("retrying listAssistants in 0.050s (status 429")
    assert waits[1].startswith("retrying listAssistants in 0.000s (status 503")


def test_retries_give_up_with_typed_error(fake: Fake, namespace: str) -> None:
    for _ in range(3):
        fake.script("GET", "/assistants", 503, headers=[("Retry-After", "0")], error=("API_ERROR", "down"))
    with sync_client(fake, namespace) as client, pytest.raises(sdk.InternalServerError) as err:
        client.assistants.list()
    assert err.value.status_code == 503 and err.value.is_retryable


def test_post_with_idempotency_key_is_retried_with_the_same_key(fake: Fake, namespace: str) -> None:
    async def main() -> None:
        fake.clear()
        fake.script("POST", "/assistants", 503, headers=[("Retry-After", "0")], error=("API_ERROR", "down"))
        fake.script("POST", "/assistants", 429, headers=[("retry-after-ms", "5")], error=("RATE_LIMITED", "slow"))
        async with async_client(fake, namespace) as client:
            await client.assistants.create(body=BODY)
        posts = routed(fake, "POST", "/assistants")
        keys = [header(r, "idempotency-key") for r in posts]
        assert len(posts) == 3
        assert keys[0] and keys[0] == keys[1] == keys[2]
        uuid.UUID(keys[0])

    asyncio.run(main())


def test_caller_idempotency_key_is_kept(fake: Fake, namespace: str) -> None:
    fake.clear()
    with sync_client(fake, namespace) as client:
        client.assistants.create(body=BODY, idempotency_key="my-key-1")
    assert [header(r, "idempotency-key") for r in routed(fake, "POST", "/assistants")] == ["my-key-1"]


def test_post_without_idempotency_key_is_never_resent(fake: Fake, namespace: str) -> None:
    # revokeAccessToken has no Idempotency-Key parameter.
    fake.clear()
    fake.script("POST", "/oauth/revoke", 503, headers=[("Retry-After", "0")], error=("API_ERROR", "down"))
    with sync_client(fake, namespace) as client, pytest.raises(sdk.InternalServerError):
        client.authentication.revoke_access_token(body={"token": "t", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
    posts = routed(fake, "POST", "/oauth/revoke")
    assert len(posts) == 1
    assert header(posts[0], "idempotency-key") is None
    assert header(posts[0], "authorization") is None, "account-server operations carry no bearer token"
    assert header(posts[0], "x-namespace") is None


def test_typed_errors_per_status(fake: Fake, namespace: str) -> None:
    cases = [(400, sdk.BadRequestError), (403, sdk.PermissionDeniedError), (409, sdk.ConflictError), (422, sdk.UnprocessableEntityError), (429, sdk.RateLimitError), (500, sdk.InternalServerError)]
    with sync_client(fake, namespace, retry=RetryConfig(max_attempts=1)) as client:
        for status, cls in cases:
            fake.script("GET", "/assistants/{assistant_id}", status, error=("CODE_X", f"status {status}"))
            with pytest.raises(cls) as err:
                client.assistants.get("asst_1")
            assert err.value.status_code == status
            assert err.value.code == "CODE_X" and err.value.error_message == f"status {status}"
            assert isinstance(err.value, sdk.APIStatusError)
    assert fake.pending_scripts() == 0


def test_validation_error_from_the_server(fake: Fake, namespace: str) -> None:
    with sync_client(fake, namespace) as client, pytest.raises(sdk.UnprocessableEntityError) as err:
        client.assistants.create(body={"name": "only a name"})  # type: ignore[typeddict-item]
    assert err.value.details is not None or err.value.error_message


def test_path_traversal_stays_one_segment(fake: Fake, namespace: str) -> None:
    fake.clear()
    with sync_client(fake, namespace) as client:
        with pytest.raises(sdk.NotFoundError):
            client.assistants.get("../x")
        with pytest.raises(sdk.NotFoundError):
            client.assistants.get("a/b?c#d")
        for bad in ["", ".", ".."]:
            with pytest.raises(sdk.InvalidRequestError, match="assistant_id"):
                client.assistants.get(bad)
    paths = [r["path"] for r in fake.requests() if "/assistants/" in r["path"]]
    assert paths == ["/api/v1/assistants/..%2Fx", "/api/v1/assistants/a%2Fb%3Fc%23d"]


def test_connection_errors() -> None:
    client = Client(base_url="http://127.0.0.1:9/api/v1", token="t", retry=FAST)
    with pytest.raises(sdk.APIConnectionError) as err:
        client.assistants.list()
    assert "127.0.0.1" not in str(err.value)


def test_namespace_default_and_override(fake: Fake, namespace: str) -> None:
    fake.clear()
    with sync_client(fake, namespace) as client:
        client.assistants.create(body=BODY)
        other = client.assistants.list(x_namespace=namespace + "_other")
        assert other["data"] == []
        with pytest.raises(sdk.NotFoundError):
            client.assistants.get("asst_none", namespace=namespace + "_other")
    seen = [header(r, "x-namespace") for r in fake.requests() if "/assistants" in r["path"]]
    assert seen == [namespace, namespace + "_other", namespace + "_other"]


def test_pagination_sync_and_async(fake: Fake, namespace: str) -> None:
    with sync_client(fake, namespace) as client:
        ids = [client.assistants.create(body={"name": f"a{i}", "model": "gpt-4o", "system_prompt": "s"})["data"]["id"] for i in range(7)]
        fake.clear()
        got = [a["id"] for a in client.assistants.iter_list(per_page=2)]
    assert sorted(got) == sorted(ids) and len(got) == 7
    pages = [r["query"] for r in routed(fake, "GET", "/assistants")]
    assert pages == ["per_page=2&page=1", "per_page=2&page=2", "per_page=2&page=3", "per_page=2&page=4"]

    async def main() -> list[str]:
        async with async_client(fake, namespace) as client:
            return [a["id"] async for a in client.assistants.iter_list(per_page=3)]

    assert sorted(asyncio.run(main())) == sorted(ids)


def stream_contents(client: Client, room: str, n: int, seed: int) -> list[str]:
    out = []
    with client.rooms.stream_events(room, extra_query={"events": n, "drop_seed": seed, "ids": "true"}) as stream:
        for event in stream:
            assert event["event"] == "message.delta"
            data: Any = event["data"]
            out.append(data["content"])
            if len(out) == n:
                break
    return out


def test_sse_resumes_across_random_drops_sync(fake: Fake, namespace: str) -> None:
    n = 3000
    for seed in (1, 2):
        fake.clear()
        with sync_client(fake, namespace) as client:
            got = stream_contents(client, "room_1", n, seed)
        assert got == [str(i) for i in range(n)]
        streams = routed(fake, "GET", "/rooms/room_1/stream")
        assert len(streams) > 3, f"seed {seed}: only {len(streams)} connections"
        assert header(streams[0], "last-event-id") is None
        resumed = [header(r, "last-event-id") for r in streams[1:]]
        assert all(v is not None and v.isdigit() for v in resumed)
        for r in streams:
            assert (header(r, "authorization") or "").startswith("Bearer ")
            assert "token" not in (r["query"] or "")
            assert header(r, "x-namespace") == namespace
            assert header(r, "accept") == "text/event-stream"


def test_sse_resumes_across_random_drops_async(fake: Fake, namespace: str) -> None:
    n = 2000

    async def main() -> list[str]:
        out: list[str] = []
        async with async_client(fake, namespace) as client:
            stream = client.rooms.stream_events("room_2", extra_query={"events": n, "drop_seed": 7, "ids": "true"})
            async with stream:
                async for event in stream:
                    data: Any = event["data"]
                    out.append(data["content"])
                    if len(out) == n:
                        break
        return out

    fake.clear()
    assert asyncio.run(main()) == [str(i) for i in range(n)]
    assert len(routed(fake, "GET", "/rooms/room_2/stream")) > 3


def test_sse_connect_error_is_typed(fake: Fake, namespace: str) -> None:
    fake.script("GET", "/rooms/{room_id}/stream", 403, error=("FORBIDDEN", "nope"))
    with sync_client(fake, namespace) as client, pytest.raises(sdk.PermissionDeniedError):
        for _ in client.rooms.stream_events("room_3"):
            pass

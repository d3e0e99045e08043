"""A request body in a second media type with another schema is a method of
its own: the edge-cases snapshot's ``attach_image`` takes ``{image_url}``
as JSON, and ``attach_image_multipart`` uploads the image as multipart,
both to the same path on a loopback server, sync and async. The Rust SDK
has the same pair (``tests/tests/e2e_multipart.rs``), the TypeScript one
``attachImage`` and ``attachImageMultipart``
(``tests/typescript/src/siblings.test.ts``)."""

from __future__ import annotations

import asyncio
import json
from typing import Awaitable, Callable

from snapshot_edge_cases import AsyncClient, Client, models
from snapshot_edge_cases.resources import AsyncDefault, Default

from conftest import Loopback

PNG = b"\x89PNG\x00\x01\x02\xff"


def _both(srv: Loopback, sync: Callable[[Client], object], run: Callable[[AsyncClient], Awaitable[object]]) -> list[tuple[str, bytes]]:
    """Makes the call with the sync and the async client; returns what the server got."""
    srv.answer = (204, None)
    with Client(base_url=srv.base, token="t") as client:
        sync(client)

    async def go() -> None:
        async with AsyncClient(base_url=srv.base, token="t") as client:
            await run(client)

    asyncio.run(go())
    assert srv.seen == ["/v1/things/a%2Fb/images"] * 2
    return srv.bodies


def test_the_json_method_sends_the_json_schema(loopback: Loopback) -> None:
    body: models.AttachImageBody = {"image_url": "https://example.test/i.png"}
    got = _both(
        loopback,
        lambda c: c.default.attach_image("a/b", body=body),
        lambda c: c.default.attach_image("a/b", body=body),
    )
    for content_type, data in got:
        assert content_type == "application/json"
        assert json.loads(data) == {"image_url": "https://example.test/i.png"}


def test_the_multipart_method_uploads_the_file_to_the_same_path(loopback: Loopback) -> None:
    body: models.AttachImageMultipartBody = {"image": ("cat.png", PNG), "caption": "a cat"}
    got = _both(
        loopback,
        lambda c: c.default.attach_image_multipart("a/b", body=body),
        lambda c: c.default.attach_image_multipart("a/b", body=body),
    )
    for content_type, data in got:
        assert content_type.startswith("multipart/form-data; boundary=")
        boundary = content_type.split("boundary=", 1)[1].encode()
        assert b'Content-Disposition: form-data; name="image"; filename="cat.png"' in data
        assert PNG in data, "the file's bytes, unchanged"
        assert b'Content-Disposition: form-data; name="caption"\r\n\r\na cat\r\n' in data
        assert data.rstrip().endswith(b"--" + boundary + b"--")


def test_the_sibling_says_which_operation_it_is() -> None:
    for resource in (Default, AsyncDefault):
        assert "The `multipart/form-data` request body of operation `attachImage`" in (resource.attach_image_multipart.__doc__ or "")
        assert "request body of operation" not in (resource.attach_image.__doc__ or "")

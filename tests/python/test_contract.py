"""Contract test: every operation of the generated clients (sync and
async), called with arguments built from the spec's schemas, against Prism
(``@stoplight/prism-cli``, pinned in ``tests/prism``) mocking
``spec/openapi.yaml`` on loopback. Prism reports what it found wrong with a
request in its ``sl-violations`` response header; any request violation,
or a route Prism does not know, is a generator bug.

Prism is found through ``PRISM_BIN``, then ``tests/prism/node_modules/.bin/
prism`` (installed by the TypeScript step of ``cargo xtask ci``). Without
it the test fails: it is not optional.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml  # type: ignore[import-untyped]  # (no stubs; test-only)
from conftest import ROOT

import interactor_sdk
from interactor_sdk.resources import METHODS

SPEC = ROOT / "spec/openapi.yaml"


def prism_binary() -> Path:
    env = os.environ.get("PRISM_BIN")
    if env:
        return Path(env)
    return ROOT / "tests/prism/node_modules/.bin/prism"


@pytest.fixture(scope="module")
def prism() -> Iterator[str]:
    binary = prism_binary()
    if not binary.exists():
        pytest.fail(
            f"Prism not found at {binary}: set PRISM_BIN, or install tests/prism (`npm ci --prefix tests/prism`, done by the TypeScript step of `cargo xtask ci`)"
        )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([str(binary), "mock", str(SPEC), "-h", "127.0.0.1", "-p", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                out = proc.stdout.read() if proc.stdout else ""
                pytest.fail(f"Prism exited with {proc.returncode}:\n{out}")
            try:
                httpx.get(url + "/__health", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    pytest.fail("Prism did not start in 90 s")
                time.sleep(0.2)
        yield url
    finally:
        proc.kill()
        proc.wait()


SPEC_DOC: Any = yaml.safe_load(SPEC.read_text())


def deref(node: Any) -> Any:
    for _ in range(32):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            return node
        target: Any = SPEC_DOC
        for key in node["$ref"][2:].split("/"):
            target = target[key.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def sample(schema: Any, depth: int = 0) -> Any:
    """A small value the schema accepts: its example, default, first enum
    value or const when it has one, else built from its type (required
    properties only)."""
    s = deref(schema) or {}
    for key in ("const", "example", "default"):
        if key in s:
            return s[key]
    if s.get("examples"):
        ex = s["examples"]
        return ex[0] if isinstance(ex, list) else next(iter(ex.values()))
    if s.get("enum"):
        return next(v for v in s["enum"] if v is not None)
    if "allOf" in s:
        merged: dict[str, Any] = {}
        for part in s["allOf"]:
            value = sample(part, depth + 1)
            if isinstance(value, dict):
                merged.update(value)
            else:
                return value
        return merged
    for key in ("oneOf", "anyOf"):
        if key in s:
            return sample(next(v for v in s[key] if deref(v).get("type") != "null"), depth + 1)
    kind = s.get("type")
    if isinstance(kind, list):
        kind = next(k for k in kind if k != "null")
    if kind == "object" or "properties" in s:
        props = s.get("properties", {})
        out = {k: sample(props[k], depth + 1) for k in s.get("required", []) if k in props}
        for k in props:
            if len(out) >= int(s.get("minProperties", 0)):
                break
            out.setdefault(k, sample(props[k], depth + 1))
        extra = s.get("additionalProperties")
        while isinstance(extra, dict) and len(out) < int(s.get("minProperties", 0)):
            out[f"key{len(out) + 1}"] = sample(extra, depth + 1)
        return out
    if kind == "array":
        return [sample(s.get("items", {}), depth + 1)] * max(1, int(s.get("minItems", 1)))
    if kind == "integer":
        return int(s.get("minimum", 1))
    if kind == "number":
        return float(s.get("minimum", 1))
    if kind == "boolean":
        return True
    fmt = s.get("format", "")
    text = {"date-time": "2024-01-01T00:00:00Z", "date": "2024-01-01", "email": "dev@example.com", "uri": "https://example.com/x", "url": "https://example.com/x", "uuid": "123e4567-e89b-12d3-a456-426614174000"}.get(fmt, "x1")
    return text + "x" * max(0, int(s.get("minLength", 0)) - len(text))


def operations() -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    out = []
    for path, item in SPEC_DOC["paths"].items():
        for method, op in item.items():
            if method in ("get", "put", "post", "delete", "patch", "head", "options", "trace"):
                params = [deref(p) for p in item.get("parameters", [])] + [deref(p) for p in op.get("parameters", [])]
                out.append((op["operationId"], path, {"params": params, "body": op.get("requestBody")}, op))
    return out


OPS = operations()


def arguments(op_id: str, info: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    accessor, name, names = METHODS[op_id]
    positional: list[Any] = []
    keyword: dict[str, Any] = {}
    for p in info["params"]:
        if p["in"] == "path":
            positional.append(str(sample(p.get("schema", {}))))
        elif p.get("required") and p["in"] in ("query", "header") and p["name"].lower() != "idempotency-key":
            keyword[names[p["name"]]] = sample(p.get("schema", {}))
    body = deref(info["body"]) if info["body"] else None
    if body:
        content = body.get("content", {})
        media = next((m for m in content if "json" in m), next(iter(content), None))
        if media is not None:
            keyword["body"] = sample(content[media].get("schema", {}))
    return positional, keyword


def check(violations: list[tuple[str, httpx.Response]], op_id: str) -> list[str]:
    problems = []
    sent = [r for o, r in violations if o == op_id]
    if not sent:
        problems.append(f"{op_id}: no request sent")
    for r in sent:
        found = json.loads(r.headers.get("sl-violations", "[]"))
        errors = [v for v in found if v.get("location", [""])[0] == "request" and v.get("severity") == "Error"]
        if errors or r.status_code in (404, 405):
            problems.append(f"{op_id}: {r.request.method} {r.request.url} -> {r.status_code} {errors}")
    return problems


def test_operation_table_covers_the_spec() -> None:
    assert sorted(METHODS) == sorted(o[0] for o in OPS)
    assert len(OPS) >= 60


def test_every_operation_is_accepted_by_prism_sync(prism: str) -> None:
    seen: list[tuple[str, httpx.Response]] = []
    current = [""]

    def hook(response: httpx.Response) -> None:
        seen.append((current[0], response))

    http = httpx.Client(event_hooks={"response": [hook]})
    client = interactor_sdk.Client(base_url=prism, token="test-token", namespace="user_1", http_client=http, retry=interactor_sdk.RetryConfig(max_attempts=1))
    problems: list[str] = []
    for op_id, _path, info, _op in OPS:
        accessor, name, _ = METHODS[op_id]
        method = getattr(getattr(client, accessor), name)
        args, kwargs = arguments(op_id, info)
        current[0] = op_id
        try:
            result = method(*args, **kwargs)
            if isinstance(result, interactor_sdk.Stream):
                result.reconnect = False
                with result:
                    for _ in result:
                        break
        except interactor_sdk.APIError:
            pass  # mock answers need not decode: what matters is what Prism said about the request
        problems += check(seen, op_id)
    assert problems == [], "\n".join(problems)


def test_every_operation_is_accepted_by_prism_async(prism: str) -> None:
    seen: list[tuple[str, httpx.Response]] = []
    current = [""]

    async def hook(response: httpx.Response) -> None:
        seen.append((current[0], response))

    async def main() -> list[str]:
        http = httpx.AsyncClient(event_hooks={"response": [hook]})
        problems: list[str] = []
        async with interactor_sdk.AsyncClient(base_url=prism, token="test-token", http_client=http, retry=interactor_sdk.RetryConfig(max_attempts=1)) as client:
            for op_id, _path, info, _op in OPS:
                accessor, name, _ = METHODS[op_id]
                method = getattr(getattr(client, accessor), name)
                args, kwargs = arguments(op_id, info)
                current[0] = op_id
                try:
                    result = method(*args, **kwargs)
                    if isinstance(result, interactor_sdk.AsyncStream):
                        result.reconnect = False
                        async with result:
                            async for _ in result:
                                break
                    elif inspect.isawaitable(result):
                        await result
                except interactor_sdk.APIError:
                    pass
                problems += check(seen, op_id)
        return problems

    problems = asyncio.run(main())
    assert problems == [], "\n".join(problems)

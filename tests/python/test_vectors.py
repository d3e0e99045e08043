"""Every row of the shared SSE and webhook vectors (the copies the Rust
tests read, ``interactor/tests/data``), plus the Interactor webhook schemes,
whose vectors were computed with Python's ``hmac`` (same constants as
``interactor/tests/webhook_vectors.rs``)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any, Optional

import pytest
from conftest import VECTORS

from interactor_sdk import Verified, Verifier, WebhookVerificationError, decode_webhook_event
from interactor_sdk._streaming import SSEParser

SSE = json.loads((VECTORS / "sse.json").read_text())
HOOKS = json.loads((VECTORS / "webhooks.json").read_text())


def parse(chunks: list[bytes]) -> tuple[list[list[str]], str, Optional[int]]:
    parser = SSEParser()
    events: list[list[str]] = []
    for chunk in chunks:
        parser.feed(chunk)
        events.extend([e.event, e.data] for e in parser.events())
    return events, parser.last_event_id, parser.retry


@pytest.mark.parametrize("row", SSE, ids=[r["name"] for r in SSE])
def test_sse_vector(row: dict[str, Any]) -> None:
    data = base64.b64decode(row["input_b64"])
    expect = (row["events"], row["last_event_id"], row["retry"])
    assert parse([data]) == expect, "whole"
    # The result must not depend on where the chunks are cut.
    for size in (1, 2, 3, 5):
        chunks = [data[i : i + size] for i in range(0, len(data), size)]
        assert parse(chunks) == expect, f"chunks of {size}"
    for cut in range(len(data) + 1):
        assert parse([data[:cut], data[cut:]]) == expect, f"cut at {cut}"


def test_sse_vector_count() -> None:
    assert len(SSE) >= 10


def payload(v: dict[str, Any]) -> bytes:
    rep = v.get("payload_repeat")
    if rep:
        return str(rep["char"] * rep["count"]).encode()
    return str(v["payload"]).encode()


STANDARD = HOOKS["standard_webhooks"]


@pytest.mark.parametrize("v", STANDARD, ids=[v["name"] for v in STANDARD])
def test_standard_webhooks_vector(v: dict[str, Any]) -> None:
    ts = int(v["timestamp"])
    headers = {"webhook-id": v["id"], "webhook-timestamp": str(ts), "webhook-signature": v["signature_header"] if "signature_header" in v else v["expected_signature"]}
    verifier = Verifier("standard-webhooks", v["secret"], clock=lambda: float(ts))
    body = payload(v)
    if v["valid"]:
        got = verifier.verify(headers, body)
        assert got.id == v["id"] and got.timestamp == ts and got.secret_index == 0
        # svix-* spellings work too.
        svix = {k.replace("webhook-", "svix-"): val for k, val in headers.items()}
        assert verifier.verify(svix, body).id == v["id"]
    else:
        with pytest.raises(WebhookVerificationError) as err:
            verifier.verify(headers, body)
        assert err.value.reason == "no_matching_signature"


def header_line(v: dict[str, Any]) -> tuple[str, str]:
    name, _, value = str(v["header"]).partition(": ")
    return name, value


@pytest.mark.parametrize("v", HOOKS["github"], ids=[v.get("name", "github") for v in HOOKS["github"]])
def test_github_vector(v: dict[str, Any]) -> None:
    name, value = header_line(v)
    assert value.endswith(v["expected_signature_hex"])
    verifier = Verifier("github", v["secret_utf8"])
    assert verifier.verify({name: value}, payload(v)).scheme == "github"
    with pytest.raises(WebhookVerificationError, match="no signature"):
        verifier.verify({name: value}, b"Hello, World?")


@pytest.mark.parametrize("v", HOOKS["stripe"], ids=[v.get("name", "stripe") for v in HOOKS["stripe"]])
def test_stripe_vector(v: dict[str, Any]) -> None:
    name, value = header_line(v)
    ts = int(v["timestamp"])
    body = payload(v)
    assert f"{ts}.{body.decode()}" == v["signed_content"]
    secret = v["secret_utf8"]
    assert Verifier("stripe", secret, clock=lambda: float(ts)).verify({name: value}, body).timestamp == ts
    assert Verifier("stripe", secret, clock=lambda: float(ts + 300)).verify({name: value}, body)
    with pytest.raises(WebhookVerificationError) as err:
        Verifier("stripe", secret, clock=lambda: float(ts + 301)).verify({name: value}, body)
    assert err.value.reason == "timestamp_out_of_tolerance" and err.value.header == "stripe-signature"
    rotated = value.replace(",v1=", ",v1=00ff,v1=", 1)
    assert Verifier("stripe", secret, clock=lambda: float(ts)).verify({name: rotated}, body)


SECRET = "whsec_interactor_test_secret"
BODY = b'{"event":"workflow.instance.halted","delivery_id":"del_01F8B6XY"}'
V1_SIG = "sha256=15220b02e57c15b3028aeefbcfd896e1ca4a4e88c6baa55a873a01a8bb201ec4"
V2_TS = 1_705_752_000
V2_SIG = "sha256=a17057a86cf6cfb05a57b8942a472907894e0d724de14ad77b06980b5c042ac6"
V2_SIG_OLD_SECRET = "sha256=52a2bfd390d1b2114f866dcfd32e4a8c81659cfbdb7daf5e7b55d89fc4f7f758"


def reason(verifier: Verifier, headers: Any, body: bytes) -> str:
    try:
        verifier.verify(headers, body)
    except WebhookVerificationError as e:
        return f"{e.reason}:{e.header}"
    return "ok"


def test_interactor_v1() -> None:
    v = Verifier("interactor-v1", SECRET)
    assert reason(v, {"X-Interactor-Signature": V1_SIG}, BODY) == "ok"
    assert reason(v, [("x-interactor-signature", V1_SIG[7:])], BODY) == "ok", "bare hex"
    assert reason(v, {"X-INTERACTOR-SIGNATURE": "sha256=" + V1_SIG[7:].upper()}, BODY) == "ok"
    assert reason(v, {"X-Interactor-Signature": V1_SIG}, b"{}") == "no_matching_signature:x-interactor-signature"
    assert reason(v, {}, BODY) == "missing_header:x-interactor-signature"
    assert reason(v, {"X-Interactor-Signature": "sha1=abcd"}, BODY) == "malformed_header:x-interactor-signature"
    assert reason(v, {"X-Interactor-Signature": "sha256="}, BODY) == "malformed_header:x-interactor-signature"
    assert reason(v, {"X-Interactor-Signature": V1_SIG[:70]}, BODY) == "malformed_header:x-interactor-signature"
    assert reason(Verifier("interactor-v1", "another secret"), {"X-Interactor-Signature": V1_SIG}, BODY).startswith("no_matching")


def frozen(now: int) -> Callable[[], float]:
    return lambda: float(now)


def test_interactor_v2_tolerance_both_ways() -> None:
    headers = {"X-Interactor-Timestamp": str(V2_TS), "X-Interactor-Signature": V2_SIG, "X-Interactor-Delivery": "del_01F8B6XY", "X-Interactor-Event": "workflow.instance.halted"}
    for now, expect in [(V2_TS, "ok"), (V2_TS + 300, "ok"), (V2_TS - 300, "ok"), (V2_TS + 301, "timestamp_out_of_tolerance"), (V2_TS - 301, "timestamp_out_of_tolerance"), (0, "timestamp_out_of_tolerance")]:
        got = reason(Verifier("interactor-v2", SECRET, clock=frozen(now)), headers, BODY)
        assert got.split(":")[0] == expect, now
    v = Verifier("interactor-v2", SECRET, clock=lambda: float(V2_TS))
    verified = v.verify(headers, BODY)
    assert (verified.id, verified.event_type, verified.timestamp) == ("del_01F8B6XY", "workflow.instance.halted", V2_TS)
    assert verified.json() == {"event": "workflow.instance.halted", "delivery_id": "del_01F8B6XY"}
    # Typed: the body's `event` names the event; an unknown one is kept.
    event = decode_webhook_event(verified)
    assert event["type"] == "workflow.instance.halted" and event["payload"]["delivery_id"] == "del_01F8B6XY"
    unknown = decode_webhook_event(Verified(b'{"event": "brand.new", "x": 1}', "interactor-v2", None, None, None, 0))
    assert unknown == {"type": "$unknown", "event": "brand.new", "payload": {"event": "brand.new", "x": 1}}
    # No name in the body: the delivery header names it.
    by_header = decode_webhook_event(Verified(b'{"room_id": "r1"}', "interactor-v2", None, "room.message.created", None, 0))
    assert by_header["type"] == "room.message.created"
    assert dict(by_header["payload"]) == {"room_id": "r1"}
    assert reason(v, {"X-Interactor-Timestamp": str(V2_TS), "X-Interactor-Signature": V1_SIG}, BODY).startswith("no_matching"), "v1 is not v2"
    assert reason(v, {"X-Interactor-Timestamp": str(V2_TS + 1), "X-Interactor-Signature": V2_SIG}, BODY).startswith("no_matching")
    assert reason(v, {"X-Interactor-Signature": V2_SIG}, BODY) == "missing_header:x-interactor-timestamp"
    for bad in ["", "-1", "1705752000.5", "17057520OO", "0x10", "99999999999999999999999"]:
        got = reason(v, {"X-Interactor-Timestamp": bad, "X-Interactor-Signature": V2_SIG}, BODY)
        assert got.startswith(("malformed_header", "timestamp_out_of_tolerance")), bad


def test_rotation_and_redaction() -> None:
    v = Verifier("interactor-v2", ["old_secret", SECRET], clock=lambda: float(V2_TS))
    for sig, index in [(V2_SIG_OLD_SECRET, 0), (V2_SIG, 1)]:
        headers = {"X-Interactor-Timestamp": str(V2_TS), "X-Interactor-Signature": sig}
        assert v.verify(headers, BODY).secret_index == index
    new_only = Verifier("interactor-v2", SECRET, clock=lambda: float(V2_TS))
    old = {"X-Interactor-Timestamp": str(V2_TS), "X-Interactor-Signature": V2_SIG_OLD_SECRET}
    assert reason(new_only, old, BODY) == "no_matching_signature:x-interactor-signature"
    assert SECRET not in repr(v) and "2 redacted" in repr(v)
    with pytest.raises(WebhookVerificationError):
        Verifier("interactor-v1", [])
    with pytest.raises(WebhookVerificationError):
        Verifier("standard-webhooks", "whsec_not base64!")
    with pytest.raises(ValueError):
        Verifier("nope", SECRET)

"""Webhook signature verification for both Interactor schemes, Standard
Webhooks (Svix), GitHub and Stripe, with several secrets (rotation), a
5-minute timestamp tolerance both ways and constant-time comparison
(``hmac.compare_digest``). Mirrors the Rust overlay's ``webhook/``.

- ``interactor-v1``: ``X-Interactor-Signature: sha256=<hex>`` (or bare hex),
  HMAC-SHA256 of the raw body;
- ``interactor-v2``: the same header over ``"{timestamp}.{body}"`` with
  ``X-Interactor-Timestamp``;
- ``standard-webhooks``: ``webhook-id``/``-timestamp``/``-signature`` (or
  ``svix-*``), ``v1,<base64>`` over ``"{id}.{timestamp}.{body}"``, the key
  being the base64 after ``whsec_``;
- ``github``: ``X-Hub-Signature-256: sha256=<hex>`` over the body;
- ``stripe``: ``Stripe-Signature: t=<ts>,v1=<hex>`` over ``"{t}.{body}"``.

Verify the raw bytes you received, before any JSON parsing.

Hand-written runtime, copied verbatim into every generated package.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Optional, Union

from ._exceptions import WebhookVerificationError

__all__ = ["Verifier", "Verified", "SCHEMES", "DEFAULT_TOLERANCE"]

DEFAULT_TOLERANCE = 300
SCHEMES = ("interactor-v1", "interactor-v2", "standard-webhooks", "github", "stripe")

HeaderInput = Union[Mapping[str, str], Iterable[tuple[str, str]]]


@dataclass(frozen=True)
class Verified:
    """A delivery that passed: its body, id, event type and timestamp (when
    the scheme has them) and which secret matched (an index, for rotation)."""

    body: bytes
    scheme: str
    id: Optional[str]
    event_type: Optional[str]
    timestamp: Optional[int]
    secret_index: int

    def json(self) -> object:
        return json.loads(self.body)


def _fail(reason: str, message: str, header: Optional[str] = None) -> WebhookVerificationError:
    return WebhookVerificationError(reason, message, header)


class Verifier:
    """Verifies deliveries signed with any of ``secrets``."""

    def __init__(
        self,
        scheme: str,
        secrets: Union[str, bytes, Iterable[Union[str, bytes]]],
        *,
        tolerance: int = DEFAULT_TOLERANCE,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if scheme not in SCHEMES:
            raise ValueError(f"unknown webhook scheme {scheme!r}: expected one of {', '.join(SCHEMES)}")
        listed = [secrets] if isinstance(secrets, (str, bytes)) else list(secrets)
        if not listed:
            raise _fail("invalid_secret", "no secret: pass at least one")
        self._keys = [self._key(scheme, s) for s in listed]
        self.scheme = scheme
        self._tolerance = tolerance
        self._clock = clock

    def __repr__(self) -> str:
        return f"Verifier(scheme={self.scheme!r}, secrets=[{len(self._keys)} redacted], tolerance={self._tolerance})"

    @staticmethod
    def _key(scheme: str, secret: Union[str, bytes]) -> bytes:
        if isinstance(secret, bytes):
            key = secret
        elif scheme == "standard-webhooks":
            text = secret[len("whsec_") :] if secret.startswith("whsec_") else secret
            try:
                key = base64.b64decode(text, validate=True)
            except (binascii.Error, ValueError):
                raise _fail("invalid_secret", "a Standard Webhooks secret is `whsec_` followed by base64") from None
        else:
            key = secret.encode()
        if not key:
            raise _fail("invalid_secret", "the secret is empty")
        return key

    def verify(self, headers: HeaderInput, body: bytes) -> Verified:
        """The verified delivery, or ``WebhookVerificationError``."""
        lower: dict[str, str] = {}
        pairs = headers.items() if isinstance(headers, Mapping) else headers
        for name, value in pairs:
            lower.setdefault(name.lower(), value.strip(" \t"))
        scheme = self.scheme
        event_id: Optional[str] = None
        event_type: Optional[str] = None
        timestamp: Optional[int] = None
        if scheme in ("interactor-v1", "github"):
            header = "x-interactor-signature" if scheme == "interactor-v1" else "x-hub-signature-256"
            tags = [_sha256_hex(_required(lower, header), header)]
            parts = [body]
            ids = ("x-interactor-delivery", "x-interactor-event") if scheme == "interactor-v1" else ("x-github-delivery", "x-github-event")
            event_id, event_type = lower.get(ids[0]), lower.get(ids[1])
        elif scheme == "interactor-v2":
            raw_ts = _required(lower, "x-interactor-timestamp")
            timestamp = self._check_time(raw_ts, "x-interactor-timestamp")
            header = "x-interactor-signature"
            tags = [_sha256_hex(_required(lower, header), header)]
            parts = [raw_ts.encode(), b".", body]
            event_id, event_type = lower.get("x-interactor-delivery"), lower.get("x-interactor-event")
        elif scheme == "standard-webhooks":
            id_header = _first_of(lower, ("webhook-id", "svix-id"))
            ts_header = _first_of(lower, ("webhook-timestamp", "svix-timestamp"))
            header = _first_of(lower, ("webhook-signature", "svix-signature"))
            event_id = lower[id_header]
            raw_ts = lower[ts_header]
            timestamp = self._check_time(raw_ts, ts_header)
            tags = _standard_signatures(lower[header], header)
            parts = [event_id.encode(), b".", raw_ts.encode(), b".", body]
        else:
            header = "stripe-signature"
            raw_ts, tags = _stripe_signature(_required(lower, header), header)
            timestamp = self._check_time(raw_ts, header)
            parts = [raw_ts.encode(), b".", body]
        for index, key in enumerate(self._keys):
            mac = hmac.new(key, digestmod=hashlib.sha256)
            for part in parts:
                mac.update(part)
            digest = mac.digest()
            # Every tag is compared, in constant time, with every secret.
            if any(hmac.compare_digest(digest, tag) for tag in tags):
                return Verified(body, scheme, event_id, event_type, timestamp, index)
        raise _fail("no_matching_signature", f"no signature in {header} matches any secret", header)

    def _check_time(self, raw: str, header: str) -> int:
        if not raw or not (raw.isascii() and raw.isdigit()):
            raise _fail("malformed_header", f"{header}: expected a Unix timestamp in whole seconds", header)
        timestamp = int(raw)
        now = int(self._clock())
        if abs(now - timestamp) > self._tolerance:
            raise _fail(
                "timestamp_out_of_tolerance",
                f"{header}: timestamp {timestamp} is more than {self._tolerance} s from now ({now})",
                header,
            )
        return timestamp


def _required(headers: Mapping[str, str], name: str) -> str:
    value = headers.get(name)
    if value is None:
        raise _fail("missing_header", f"missing header {name}", name)
    return value


def _first_of(headers: Mapping[str, str], names: tuple[str, str]) -> str:
    for name in names:
        if name in headers:
            return name
    raise _fail("missing_header", f"missing header {names[0]}", names[0])


def _hex(text: str) -> Optional[bytes]:
    if len(text) % 2 or not all(c in "0123456789abcdefABCDEF" for c in text):
        return None
    return bytes.fromhex(text)


def _sha256_hex(value: str, header: str) -> bytes:
    if "=" in value:
        algorithm, _, hex_text = value.partition("=")
        if algorithm != "sha256":
            raise _fail("malformed_header", f"{header}: expected `sha256=<hex>`: unknown algorithm", header)
    else:
        hex_text = value
    tag = _hex(hex_text)
    if tag is None or len(tag) != 32:
        raise _fail("malformed_header", f"{header}: expected `sha256=` and 64 hex digits", header)
    return tag


def _standard_signatures(value: str, header: str) -> list[bytes]:
    any_v1 = False
    tags = []
    for entry in value.split():
        version, sep, b64 = entry.partition(",")
        if sep and version == "v1":
            any_v1 = True
            try:
                tags.append(base64.b64decode(b64, validate=True))
            except (binascii.Error, ValueError):
                continue
    if not any_v1:
        raise _fail("malformed_header", f"{header}: expected space-separated `v1,<base64>` signatures", header)
    return tags


def _stripe_signature(value: str, header: str) -> tuple[str, list[bytes]]:
    t: Optional[str] = None
    any_v1 = False
    tags = []
    for item in value.split(","):
        key, sep, val = item.strip().partition("=")
        if not sep:
            continue
        if key == "t" and t is None:
            t = val
        elif key == "v1":
            any_v1 = True
            tag = _hex(val)
            if tag is not None:
                tags.append(tag)
    if t is None:
        raise _fail("malformed_header", f"{header}: expected `t=<unix seconds>,v1=<hex>`: no `t=`", header)
    if not any_v1:
        raise _fail("malformed_header", f"{header}: expected `t=<unix seconds>,v1=<hex>`: no `v1=`", header)
    return t, tags

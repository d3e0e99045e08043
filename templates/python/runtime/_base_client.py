"""The HTTP core under the generated clients: OAuth2 client-credentials
tokens (cached, single-flight, refreshed 60 s before expiry, one retry after
a 401), retry with full-jitter exponential backoff, ``Retry-After`` and a
retry budget, idempotency keys, the default ``X-Namespace``, path-segment
encoding and the mapping of error statuses to exceptions.

Sans-IO pieces (``classify``, ``parse_retry_after``, ``RetryStrategy``,
``TokenState``) are shared; ``SyncAPIClient`` (``httpx.Client``, a
``threading.Lock``) and ``AsyncAPIClient`` (``httpx.AsyncClient``, an
``asyncio.Lock``) are the two drivers around them, written side by side so
they stay the same. Semantics mirror the Rust overlay crate ``interactor``
(``token.rs``, ``retry/``, ``transport.rs``).

**Invariant:** the access token travels only in the ``Authorization``
header: never in URLs, log records, ``repr`` or exception messages.

Hand-written runtime, copied verbatim into every generated package.
"""

from __future__ import annotations

import asyncio
import email.utils
import json as jsonlib
import logging
import math
import random
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Optional, Self
from urllib.parse import quote

import httpx

from ._exceptions import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    InvalidRequestError,
    make_status_error,
)
from ._forms import multipart_parts, url_encoded_fields
from ._query import QueryStyles, _quote, _text, query_string

__all__ = [
    "Operation",
    "RetryConfig",
    "RetryBudget",
    "RetryStrategy",
    "TokenState",
    "SyncAPIClient",
    "AsyncAPIClient",
    "encode_path_segment",
    "encode_path_param",
    "classify",
    "parse_retry_after",
    "parse_retry_after_ms",
    "retry_after",
]

# The package's logger (`interactor_sdk`, `epsimo_sdk`, ...), whichever package
# this runtime was generated into.
log = logging.getLogger(__package__ or __name__)

DEFAULT_TIMEOUT = 60.0
REFRESH_BUFFER = 60.0
DEFAULT_LIFETIME = 3600.0
MAX_LIFETIME = 10 * 365 * 24 * 3600.0
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})

Query = Mapping[str, Any]
Headers = Mapping[str, str]


@dataclass(frozen=True)
class Operation:
    """What the runtime needs to know about an operation (generated)."""

    id: str
    method: str
    path: str
    idempotency_key: bool = False
    auth_server: bool = False
    """The operation lives on the account server (its own ``servers``): it
    is sent to ``auth_url``, without a bearer token or ``X-Namespace``."""
    query_styles: QueryStyles = ()
    """The style of each query parameter not written as ``form``, exploded
    (``_query.py``)."""
    form_encoding: QueryStyles = ()
    """The style of each url-encoded body field the spec's ``encoding``
    gives one (``_forms.py``)."""


def encode_path_segment(value: object, name: str) -> str:
    """``value`` as one percent-encoded path segment. Empty, ``.`` and
    ``..`` are refused: they would change which resource the path names."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = str(value)
    if text in ("", ".", ".."):
        raise InvalidRequestError(
            f"path parameter `{name}` is {text!r}: a path segment cannot be empty, `.` or `..`; pass the resource's id"
        )
    return quote(text, safe="")


def encode_path_param(value: object, name: str, style: str, explode: bool) -> str:
    """``value`` in its OpenAPI path ``style`` (``simple``, ``label``,
    ``matrix``) and ``explode``: RFC 6570's ``{x}``, ``{.x}`` and ``{;x}``, as
    OpenAPI 3.1.1 states them, byte for byte like the TypeScript runtime
    (``encodePathParam``) and the Rust crates (``hooks::encode_path_param``);
    the shared table ``tests/data/path-styles.json`` holds all three to it.

    - Names, keys and values are percent-encoded except RFC 3986's
      unreserved characters; the separators (``,``, ``.``, ``;``, ``=``) are
      literal, and the same character inside a value is encoded, except ``.``.
    - simple: ``blue``; lists ``blue,black``; dicts ``R,100,G,200``,
      exploded ``R=100,G=200``.
    - label: a ``.`` first; lists ``.blue,black``, exploded ``.blue.black``;
      dicts ``.R,100,G,200``, exploded ``.R=100.G=200``.
    - matrix: ``;color=blue``; lists ``;color=blue,black``, exploded
      ``;color=blue;color=black``; dicts ``;color=R,100,G,200``, exploded
      ``;R=100;G=200``; ``None``, an empty string, list or dict ``;color``,
      and an empty item or property exploded ``;color`` or ``;R``.
    - ``None`` items and properties are left out; properties are sorted by
      key (what the Rust crates' maps give); scalars are their text, a dict
      or list where only a scalar fits is its JSON text.
    - A result that is empty, ``.`` or ``..`` is refused: URL normalization
      would drop or climb it."""
    text = _styled_path_param(name, value, style, explode)
    if text in ("", ".", ".."):
        raise InvalidRequestError(
            f"path parameter `{name}` cannot be {jsonlib.dumps(value, ensure_ascii=False, default=str)}: it would not name one path segment"
        )
    return text


def _styled_path_param(name: str, value: object, style: str, explode: bool) -> str:
    key = _quote(name)
    is_dict = isinstance(value, Mapping)
    items: list[str] = []
    pairs: list[tuple[str, str]] = []
    if isinstance(value, Mapping):
        pairs = [(_quote(str(k)), _quote(_text(v))) for k, v in sorted(value.items(), key=lambda kv: str(kv[0])) if v is not None]
    elif isinstance(value, (list, tuple)):
        items = [_quote(_text(v)) for v in value if v is not None]
    elif value is not None:
        items = [_quote(_text(value))]

    def obj(join: str) -> str:
        if explode:
            return join.join(f"{k}={v}" for k, v in pairs)
        return ",".join(x for pair in pairs for x in pair)

    if style == "simple":
        return obj(",") if is_dict else ",".join(items)
    if style == "label":
        return "." + (obj(".") if is_dict else ("." if explode else ",").join(items))
    # matrix
    if (not pairs) if is_dict else all(v == "" for v in items):
        return f";{key}"
    if is_dict and explode:
        return "".join(f";{k}" if v == "" else f";{k}={v}" for k, v in pairs)
    if is_dict:
        return f";{key}={obj(',')}"
    if explode:
        return "".join(f";{key}" if v == "" else f";{key}={v}" for v in items)
    return f";{key}={','.join(items)}"


# --- retry: classification apart from strategy -----------------------------


def classify(status: Optional[int], connect_error: bool, method: str, has_idempotency_key: bool) -> bool:
    """Whether a response (``status``) or a failure to get one (``None``) may
    be retried. A request that never reached the server (``connect_error``)
    always may; 429, 502, 503, 504 and broken connections only when the
    method is idempotent or the request carries an ``Idempotency-Key``."""
    if status is None:
        if connect_error:
            return True
    elif status < 400 or not (status == 429 or 502 <= status <= 504):
        return False
    return method.upper() in IDEMPOTENT_METHODS or has_idempotency_key


def parse_retry_after(value: str, now: float) -> Optional[float]:
    """``Retry-After`` in seconds from ``now`` (Unix time): delta-seconds or
    an HTTP date (a date in the past is 0). ``None`` when unreadable."""
    value = value.strip()
    if value and value.isascii() and value.isdigit():
        return float(value)
    try:
        date = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if date is None:
        return None
    return max(0.0, date.timestamp() - now)


def parse_retry_after_ms(value: str) -> Optional[float]:
    """``retry-after-ms`` (milliseconds, may be fractional) in seconds."""
    try:
        ms = float(value.strip())
    except ValueError:
        return None
    if not math.isfinite(ms) or ms < 0:
        return None
    return ms / 1000.0


def retry_after(headers: Headers, now: float, cap: float) -> Optional[float]:
    """The server's wait hint: ``retry-after-ms`` first, then
    ``Retry-After``, capped at ``cap`` seconds."""
    lower = {k.lower(): v for k, v in headers.items()}
    wait = None
    if "retry-after-ms" in lower:
        wait = parse_retry_after_ms(lower["retry-after-ms"])
    if wait is None and "retry-after" in lower:
        wait = parse_retry_after(lower["retry-after"], now)
    return None if wait is None else min(wait, cap)


@dataclass(frozen=True)
class RetryConfig:
    """How often and how long to retry. Times in seconds."""

    max_attempts: int = 3
    initial_backoff: float = 0.5
    max_backoff: float = 8.0
    max_retry_after: float = 60.0


class RetryBudget:
    """A token bucket shared by every request of a client: each retry costs
    ``retry_cost``, each success refunds ``success_refund``; when it is empty
    nothing is retried, so an outage is not multiplied by retries."""

    def __init__(self, capacity: int = 500, retry_cost: int = 5, success_refund: int = 1) -> None:
        self._tokens = capacity
        self._capacity = capacity
        self._cost = retry_cost
        self._refund = success_refund
        self._lock = threading.Lock()

    def try_acquire(self) -> bool:
        with self._lock:
            if self._tokens < self._cost:
                return False
            self._tokens -= self._cost
            return True

    def on_success(self) -> None:
        with self._lock:
            self._tokens = min(self._capacity, self._tokens + self._refund)

    @property
    def available(self) -> int:
        return self._tokens


class RetryStrategy:
    """When to retry and how long to wait: full-jitter exponential backoff
    (a uniform wait in ``[0, min(max_backoff, initial * 2**retry)]``), or the
    server's ``Retry-After`` capped at ``max_retry_after``."""

    def __init__(self, config: RetryConfig, budget: Optional[RetryBudget] = None, rng: Optional[random.Random] = None) -> None:
        self.config = config
        self.budget = budget or RetryBudget()
        self._rng = rng or random.Random()

    def next_wait(self, attempts: int, retryable: bool, hint: Optional[float]) -> Optional[float]:
        """Seconds to wait before the next attempt, or ``None`` to give up.
        ``attempts`` is how many were made so far."""
        if not retryable or attempts >= self.config.max_attempts or not self.budget.try_acquire():
            return None
        if hint is not None:
            return min(hint, self.config.max_retry_after)
        return self.backoff(attempts - 1)

    def backoff(self, retry: int) -> float:
        ceiling = min(self.config.max_backoff, self.config.initial_backoff * (2.0 ** min(retry, 62)))
        return self._rng.uniform(0.0, ceiling)

    def on_success(self) -> None:
        self.budget.on_success()


# --- tokens ----------------------------------------------------------------


class AccessToken:
    """A cached access token. Its value never appears in ``repr``."""

    __slots__ = ("value", "expires_at", "refresh_at")

    def __init__(self, value: str, expires_at: float, refresh_at: float) -> None:
        self.value = value
        self.expires_at = expires_at
        self.refresh_at = refresh_at

    def __repr__(self) -> str:
        return f"AccessToken(value='***', expires_at={self.expires_at:.0f}, refresh_at={self.refresh_at:.0f})"


class TokenState:
    """The token cache's state, without I/O or locks: the drivers hold the
    lock around ``cached``/``fetch``/``store`` so one fetch serves every
    concurrent caller (single flight)."""

    def __init__(self, refresh_buffer: float = REFRESH_BUFFER, clock: Callable[[], float] = time.monotonic) -> None:
        self._token: Optional[AccessToken] = None
        self._buffer = refresh_buffer
        self._clock = clock

    def cached(self) -> Optional[AccessToken]:
        token = self._token
        if token is not None and self._clock() < token.refresh_at:
            return token
        return None

    def store(self, value: str, expires_in: Optional[float]) -> AccessToken:
        now = self._clock()
        lifetime = min(expires_in if expires_in is not None and expires_in >= 0 else DEFAULT_LIFETIME, MAX_LIFETIME)
        fresh_for = lifetime - self._buffer
        if fresh_for <= 0:
            fresh_for = lifetime / 2
        token = AccessToken(value, now + lifetime, now + fresh_for)
        self._token = token
        return token

    def invalidate(self, rejected: AccessToken) -> bool:
        """Forgets ``rejected`` if it is still the cached token (a token
        refreshed meanwhile by another caller is kept)."""
        if self._token is rejected:
            self._token = None
            return True
        return False


class Credentials:
    """OAuth2 client credentials. The secret never appears in ``repr``."""

    __slots__ = ("client_id", "client_secret", "scopes")

    def __init__(self, client_id: str, client_secret: str, scopes: Optional[str] = None) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.scopes = scopes

    def __repr__(self) -> str:
        return f"Credentials(client_id={self.client_id!r}, client_secret='***', scopes={self.scopes!r})"

    def token_request(self) -> dict[str, str]:
        body = {"grant_type": "client_credentials", "client_id": self.client_id, "client_secret": self.client_secret}
        if self.scopes:
            body["scope"] = self.scopes
        return body


def read_grant(response: httpx.Response) -> tuple[str, Optional[float]]:
    """The access token and lifetime from a token response (``data``
    envelope or bare); a failure status raises its typed exception."""
    if response.status_code >= 400:
        raise make_status_error(response.status_code, dict(response.headers), response.content)
    try:
        value = jsonlib.loads(response.content)
    except ValueError:
        raise APIError("the token endpoint's response is not JSON") from None
    data = value.get("data", value) if isinstance(value, dict) else None
    token = data.get("access_token") if isinstance(data, dict) else None
    if not isinstance(token, str) or not token:
        raise APIError("the token endpoint's response has no data.access_token")
    expires = data.get("expires_in") if isinstance(data, dict) else None
    lifetime = float(expires) if isinstance(expires, (int, float)) and not isinstance(expires, bool) else None
    return token, lifetime


# --- shared request plumbing -----------------------------------------------


class _BaseClient:
    """Configuration and request building shared by both drivers."""

    def __init__(
        self,
        *,
        base_url: str,
        auth_url: Optional[str],
        token: Optional[str],
        client_id: Optional[str],
        client_secret: Optional[str],
        scopes: Optional[str],
        namespace: Optional[str],
        timeout: float,
        retry: Optional[RetryConfig],
        default_headers: Optional[Headers],
        user_agent: str,
    ) -> None:
        if token is None and (client_id is None or client_secret is None):
            raise InvalidRequestError("pass token=... or both client_id=... and client_secret=...")
        self.base_url = base_url.rstrip("/")
        self.auth_url = (auth_url or base_url).rstrip("/")
        self._static_token = token
        self._credentials = None if token is not None else Credentials(client_id or "", client_secret or "", scopes)
        self.namespace = namespace
        self.timeout = timeout
        self.retry = RetryStrategy(retry or RetryConfig())
        self._tokens = TokenState()
        self._default_headers = {"User-Agent": user_agent, "Accept": "application/json", **(default_headers or {})}

    def __repr__(self) -> str:
        auth = "token='***'" if self._static_token is not None else repr(self._credentials)
        return f"{type(self).__name__}(base_url={self.base_url!r}, namespace={self.namespace!r}, {auth})"

    def _url(self, op: Operation, path: str) -> str:
        return (self.auth_url if op.auth_server else self.base_url) + path

    def _headers(self, op: Operation, headers: Optional[Mapping[str, Optional[str]]]) -> dict[str, str]:
        out = dict(self._default_headers)
        lower = set()
        for name, value in (headers or {}).items():
            if value is not None:
                out[name] = value
                lower.add(name.lower())
        if not op.auth_server and self.namespace is not None and "x-namespace" not in lower:
            out["X-Namespace"] = self.namespace
        if op.idempotency_key and "idempotency-key" not in lower:
            # One key per call, sent unchanged on every attempt.
            out["Idempotency-Key"] = str(uuid.uuid4())
        return out

    def _build(
        self,
        op: Operation,
        path: str,
        params: Optional[Query],
        json: object,
        headers: Optional[Mapping[str, Optional[str]]],
        content_type: Optional[str] = None,
    ) -> tuple[str, dict[str, str], Optional[bytes]]:
        url = self._url(op, path)
        final_headers = self._headers(op, headers)
        # Written here rather than by httpx (`params=`), which knows one
        # style; httpx keeps the encoded query as it is.
        query = query_string(params or {}, op.query_styles)
        if query:
            url += ("&" if "?" in url else "?") + query
        body: Optional[bytes] = None
        if json is not None:
            if content_type == "application/x-www-form-urlencoded" and isinstance(json, Mapping):
                body = str(httpx.QueryParams(tuple(url_encoded_fields(json, op.form_encoding)))).encode()
            elif content_type == "multipart/form-data" and isinstance(json, Mapping):
                # httpx writes the multipart body and its boundary.
                data, files = multipart_parts(json)
                encoded = httpx.Request("POST", url, data=data, files=files or None)
                body = encoded.read()
                content_type = encoded.headers["Content-Type"]
            else:
                content_type = "application/json"
                body = jsonlib.dumps(json, separators=(",", ":"), ensure_ascii=False).encode()
            final_headers["Content-Type"] = content_type
        return url, final_headers, body

    def _wants_auth(self, op: Operation, headers: Mapping[str, str]) -> bool:
        return not op.auth_server and not any(k.lower() == "authorization" for k in headers)

    def _retry_hint(self, response: Optional[httpx.Response]) -> Optional[float]:
        if response is None:
            return None
        return retry_after(response.headers, time.time(), self.retry.config.max_retry_after)


def _is_connect_error(exc: httpx.TransportError) -> bool:
    # The request never reached the server: safe to send again.
    return isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout))


def _connection_error(exc: httpx.TransportError) -> APIConnectionError:
    # httpx messages can hold the URL; ours never do (it may carry secrets).
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"request timed out ({type(exc).__name__})")
    return APIConnectionError(f"connection failed ({type(exc).__name__})")


def decode_body(response: httpx.Response) -> object:
    """A successful response's body: JSON when it is JSON, ``None`` when
    empty, text otherwise."""
    content = response.content
    if not content:
        return None
    kind = response.headers.get("content-type", "")
    if "json" in kind or not kind:
        try:
            return jsonlib.loads(content)
        except ValueError:
            if "json" in kind:
                raise APIError(f"the response says {kind} but is not JSON") from None
    return response.text


Bearer = tuple[str, Optional[AccessToken]]


# --- the synchronous driver --------------------------------------------------


class SyncAPIClient(_BaseClient):
    """Blocking driver on ``httpx.Client``; safe to share between threads."""

    def __init__(
        self,
        *,
        base_url: str,
        auth_url: Optional[str] = None,
        token: Optional[str] = None,
        client_id: Optional[str] = None,
        client_secret: Optional[str] = None,
        scopes: Optional[str] = None,
        namespace: Optional[str] = None,
        timeout: float = DEFAULT_TIMEOUT,
        retry: Optional[RetryConfig] = None,
        default_headers: Optional[Headers] = None,
        http_client: Optional[httpx.Client] = None,
        user_agent: str = "python-sdk",
    ) -> None:
        super().__init__(
            base_url=base_url,
            auth_url=auth_url,
            token=token,
            client_id=client_id,
            client_secret=client_secret,
            scopes=scopes,
            namespace=namespace,
            timeout=timeout,
            retry=retry,
            default_headers=default_headers,
            user_agent=user_agent,
        )
        self._http = http_client or httpx.Client(timeout=timeout, follow_redirects=False)
        self._token_lock = threading.Lock()

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def bearer(self) -> Bearer:
        """The ``Authorization`` value and the cached token behind it."""
        if self._static_token is not None:
            return f"Bearer {self._static_token}", None
        token = self._tokens.cached()
        if token is None:
            with self._token_lock:
                token = self._tokens.cached()
                if token is None:
                    token = self._fetch_token()
        return f"Bearer {token.value}", token

    def _fetch_token(self) -> AccessToken:
        assert self._credentials is not None
        try:
            response = self._http.post(f"{self.auth_url}/oauth/token", json=self._credentials.token_request(), timeout=self.timeout)
        except httpx.TransportError as exc:
            raise _connection_error(exc) from None
        value, lifetime = read_grant(response)
        return self._tokens.store(value, lifetime)

    def invalidate(self, token: Optional[AccessToken]) -> None:
        if token is not None:
            self._tokens.invalidate(token)

    def request(
        self,
        op: Operation,
        path: str,
        *,
        params: Optional[Query] = None,
        json: object = None,
        headers: Optional[Mapping[str, Optional[str]]] = None,
        content_type: Optional[str] = None,
        timeout: Optional[float] = None,
    ) -> object:
        """Sends one operation (with retries) and returns the decoded body;
        an error status raises its exception."""
        response = self.send(op, path, params=params, json=json, headers=headers, content_type=content_type, timeout=timeout)
        return decode_body(response)

    def send(
        self,
        op: Operation,
        path: str,
        *,
        params: Optional[Query] = None,
        json: object = None,
        headers: Optional[Mapping[str, Optional[str]]] = None,
        content_type: Optional[str] = None,
        timeout: Optional[float] = None,
        stream: bool = False,
    ) -> httpx.Response:
        """Sends with token, retries and 401 refresh; returns a successful
        response (open when ``stream``, else read) or raises."""
        url, final_headers, body = self._build(op, path, params, json, headers, content_type)
        has_key = any(k.lower() == "idempotency-key" for k in final_headers)
        wants_auth = self._wants_auth(op, final_headers)
        attempt = 0
        refreshed = False
        while True:
            attempt += 1
            token: Optional[AccessToken] = None
            sent_headers = dict(final_headers)
            if wants_auth:
                sent_headers["Authorization"], token = self.bearer()
            request = self._http.build_request(op.method, url, content=body, headers=sent_headers, timeout=timeout or self.timeout)
            response: Optional[httpx.Response] = None
            failure: Optional[httpx.TransportError] = None
            try:
                response = self._http.send(request, stream=stream)
            except httpx.TransportError as exc:
                failure = exc
            if response is not None and response.status_code == 401 and token is not None and not refreshed:
                refreshed = True
                self.invalidate(token)
                response.close()
                attempt -= 1
                log.debug("401 with a cached token; refreshing it once (%s)", op.id)
                continue
            if response is not None and response.status_code < 400:
                self.retry.on_success()
                return response
            status = None if response is None else response.status_code
            retryable = classify(status, failure is not None and _is_connect_error(failure), op.method, has_key)
            wait = self.retry.next_wait(attempt, retryable, self._retry_hint(response))
            if wait is None:
                if response is None:
                    assert failure is not None
                    raise _connection_error(failure) from None
                response.read()
                response.close()
                raise make_status_error(response.status_code, dict(response.headers), response.content)
            log.debug("retrying %s in %.3fs (status %s, attempt %d)", op.id, wait, status, attempt)
            if response is not None:
                response.close()
            time.sleep(wait)


# --- the asynchronous driver -------------------------------------------------


class AsyncAPIClient(_BaseClient):
    """Asyncio driver on ``httpx.AsyncClient``."""

    def __init__(
        self,
        *,
        base_url: str,
        auth_url: Optional[str] = None,
        token: Optional[str] = None,
        client_id: Optional[str] = None,
        client_secret: Optional[str] = None,
        scopes: Optional[str] = None,
        namespace: Optional[str] = None,
        timeout: float = DEFAULT_TIMEOUT,
        retry: Optional[RetryConfig] = None,
        default_headers: Optional[Headers] = None,
        http_client: Optional[httpx.AsyncClient] = None,
        user_agent: str = "python-sdk",
    ) -> None:
        super().__init__(
            base_url=base_url,
            auth_url=auth_url,
            token=token,
            client_id=client_id,
            client_secret=client_secret,
            scopes=scopes,
            namespace=namespace,
            timeout=timeout,
            retry=retry,
            default_headers=default_headers,
            user_agent=user_agent,
        )
        self._http = http_client or httpx.AsyncClient(timeout=timeout, follow_redirects=False)
        # Created on first use, inside the running event loop.
        self._token_lock: Optional[asyncio.Lock] = None

    async def close(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def bearer(self) -> Bearer:
        """The ``Authorization`` value and the cached token behind it."""
        if self._static_token is not None:
            return f"Bearer {self._static_token}", None
        token = self._tokens.cached()
        if token is None:
            if self._token_lock is None:
                self._token_lock = asyncio.Lock()
            async with self._token_lock:
                token = self._tokens.cached()
                if token is None:
                    token = await self._fetch_token()
        return f"Bearer {token.value}", token

    async def _fetch_token(self) -> AccessToken:
        assert self._credentials is not None
        try:
            response = await self._http.post(f"{self.auth_url}/oauth/token", json=self._credentials.token_request(), timeout=self.timeout)
        except httpx.TransportError as exc:
            raise _connection_error(exc) from None
        value, lifetime = read_grant(response)
        return self._tokens.store(value, lifetime)

    def invalidate(self, token: Optional[AccessToken]) -> None:
        if token is not None:
            self._tokens.invalidate(token)

    async def request(
        self,
        op: Operation,
        path: str,
        *,
        params: Optional[Query] = None,
        json: object = None,
        headers: Optional[Mapping[str, Optional[str]]] = None,
        content_type: Optional[str] = None,
        timeout: Optional[float] = None,
    ) -> object:
        """Sends one operation (with retries) and returns the decoded body;
        an error status raises its exception."""
        response = await self.send(op, path, params=params, json=json, headers=headers, content_type=content_type, timeout=timeout)
        return decode_body(response)

    async def send(
        self,
        op: Operation,
        path: str,
        *,
        params: Optional[Query] = None,
        json: object = None,
        headers: Optional[Mapping[str, Optional[str]]] = None,
        content_type: Optional[str] = None,
        timeout: Optional[float] = None,
        stream: bool = False,
    ) -> httpx.Response:
        """Sends with token, retries and 401 refresh; returns a successful
        response (open when ``stream``, else read) or raises."""
        url, final_headers, body = self._build(op, path, params, json, headers, content_type)
        has_key = any(k.lower() == "idempotency-key" for k in final_headers)
        wants_auth = self._wants_auth(op, final_headers)
        attempt = 0
        refreshed = False
        while True:
            attempt += 1
            token: Optional[AccessToken] = None
            sent_headers = dict(final_headers)
            if wants_auth:
                sent_headers["Authorization"], token = await self.bearer()
            request = self._http.build_request(op.method, url, content=body, headers=sent_headers, timeout=timeout or self.timeout)
            response: Optional[httpx.Response] = None
            failure: Optional[httpx.TransportError] = None
            try:
                response = await self._http.send(request, stream=stream)
            except httpx.TransportError as exc:
                failure = exc
            if response is not None and response.status_code == 401 and token is not None and not refreshed:
                refreshed = True
                self.invalidate(token)
                await response.aclose()
                attempt -= 1
                log.debug("401 with a cached token; refreshing it once (%s)", op.id)
                continue
            if response is not None and response.status_code < 400:
                self.retry.on_success()
                return response
            status = None if response is None else response.status_code
            retryable = classify(status, failure is not None and _is_connect_error(failure), op.method, has_key)
            wait = self.retry.next_wait(attempt, retryable, self._retry_hint(response))
            if wait is None:
                if response is None:
                    assert failure is not None
                    raise _connection_error(failure) from None
                await response.aread()
                await response.aclose()
                raise make_status_error(response.status_code, dict(response.headers), response.content)
            log.debug("retrying %s in %.3fs (status %s, attempt %d)", op.id, wait, status, attempt)
            if response is not None:
                await response.aclose()
            await asyncio.sleep(wait)


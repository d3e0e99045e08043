"""Exceptions raised by the SDK: one class per HTTP status family, each with
the status, the API's error envelope (``error.code/message/details/
request_id``), the request id and the response headers.

Hand-written runtime, copied verbatim into every generated package.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Optional

__all__ = [
    "APIError",
    "InvalidRequestError",
    "APIConnectionError",
    "APITimeoutError",
    "APIStatusError",
    "BadRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "UnprocessableEntityError",
    "RateLimitError",
    "InternalServerError",
    "WebhookVerificationError",
    "make_status_error",
]


class APIError(Exception):
    """Base class of every error this SDK raises."""

    message: str

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidRequestError(APIError, ValueError):
    """The call was rejected before anything was sent (for example a path
    parameter that is empty, ``.`` or ``..``)."""


class APIConnectionError(APIError):
    """The request never got an HTTP response (connection refused, reset,
    DNS failure, ...). Retried automatically when it is safe to."""

    def __init__(self, message: str = "Connection error") -> None:
        super().__init__(message)


class APITimeoutError(APIConnectionError):
    """The request timed out."""

    def __init__(self, message: str = "Request timed out") -> None:
        super().__init__(message)


class APIStatusError(APIError):
    """The API answered with a 4xx or 5xx status.

    ``code``, ``error_message``, ``details`` and ``request_id`` come from the
    API's error envelope ``{"error": {...}}`` when the body has one;
    ``request_id`` falls back to the ``X-Request-Id`` header.
    """

    status_code: int
    headers: Mapping[str, str]
    body: object
    code: Optional[str]
    error_message: Optional[str]
    details: object
    request_id: Optional[str]

    def __init__(self, status_code: int, headers: Mapping[str, str], body: object) -> None:
        envelope = _envelope(body)
        self.status_code = status_code
        self.headers = headers
        self.body = body
        self.code = _text(envelope.get("code"))
        self.error_message = _text(envelope.get("message"))
        self.details = envelope.get("details")
        self.request_id = _text(envelope.get("request_id")) or _header(headers, "x-request-id")
        text = f"HTTP {status_code}"
        if self.code:
            text += f" {self.code}"
        if self.error_message:
            text += f": {self.error_message}"
        if self.request_id:
            text += f" (request id {self.request_id})"
        super().__init__(text)

    @property
    def is_retryable(self) -> bool:
        """Whether the same request may succeed later (429, 502, 503, 504)."""
        return self.status_code in (429, 502, 503, 504)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code}, code={self.code!r}, request_id={self.request_id!r})"


class BadRequestError(APIStatusError):
    """400."""


class AuthenticationError(APIStatusError):
    """401: the token is missing, unknown, revoked or expired."""


class PermissionDeniedError(APIStatusError):
    """403: the token lacks a scope."""


class NotFoundError(APIStatusError):
    """404."""


class ConflictError(APIStatusError):
    """409."""


class UnprocessableEntityError(APIStatusError):
    """422: the request is well-formed but invalid."""


class RateLimitError(APIStatusError):
    """429: retried automatically (honouring ``Retry-After``) until the
    attempts or the retry budget run out."""


class InternalServerError(APIStatusError):
    """5xx."""


class WebhookVerificationError(APIError):
    """A webhook delivery failed verification. ``reason`` is one of
    ``missing_header``, ``malformed_header``, ``timestamp_out_of_tolerance``,
    ``no_matching_signature``, ``invalid_secret``; ``header`` names the
    header at fault (lower case), when there is one."""

    reason: str
    header: Optional[str]

    def __init__(self, reason: str, message: str, header: Optional[str] = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.header = header


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def make_status_error(status_code: int, headers: Mapping[str, str], content: bytes) -> APIStatusError:
    """The exception for a response with a 4xx or 5xx ``status_code``; the
    body is kept as JSON when it parses, as text otherwise."""
    body: object
    try:
        body = json.loads(content) if content else None
    except ValueError:
        body = content.decode("utf-8", errors="replace")
    cls = _BY_STATUS.get(status_code)
    if cls is None:
        cls = InternalServerError if status_code >= 500 else APIStatusError
    return cls(status_code, headers, body)


def _envelope(body: object) -> Mapping[str, Any]:
    if isinstance(body, Mapping):
        inner = body.get("error")
        if isinstance(inner, Mapping):
            return inner
    return {}


def _text(value: object) -> Optional[str]:
    return value if isinstance(value, str) and value else None


def _header(headers: Mapping[str, str], name: str) -> Optional[str]:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None

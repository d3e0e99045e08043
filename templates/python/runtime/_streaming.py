"""Server-Sent Events: a WHATWG event-stream parser (sans-IO, bytes in,
events out) and iterators over typed events that reconnect after a drop
with ``Last-Event-ID``, waiting the server's ``retry:`` time (or a backoff).

The parser follows the HTML standard's "event stream interpretation": one
leading UTF-8 BOM is dropped, lines end with CRLF, LF or CR (a CR at the end
of one chunk and an LF at the start of the next are one line ending), ``id``
values holding NUL are ignored, ``retry`` must be all ASCII digits, the
event type resets after each dispatch, the last event id does not. It is a
port of the Rust overlay's ``sse.rs`` and passes the same vectors.

The access token goes only in the ``Authorization`` header, never in the
URL (seed SDKs put it in the query string).

Hand-written runtime, copied verbatim into every generated package.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Optional, TypeVar

import httpx


if TYPE_CHECKING:
    from ._base_client import AsyncAPIClient, Operation, SyncAPIClient

__all__ = ["ServerSentEvent", "SSEParser", "Stream", "AsyncStream", "json_event", "raw_event"]

# The package's logger (`interactor_sdk`, `epsimo_sdk`, ...), whichever package
# this runtime was generated into.
log = logging.getLogger(__package__ or __name__)

T = TypeVar("T")

_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class ServerSentEvent:
    """One dispatched event: ``event`` (``message`` when unnamed), ``data``,
    the last event id at dispatch (``None`` when empty), and a ``retry``
    time in milliseconds set since the previous event."""

    event: str
    data: str
    id: Optional[str] = None
    retry: Optional[int] = None


class SSEParser:
    """Feed bytes with ``feed``; take events with ``events``."""

    def __init__(self, last_event_id: str = "") -> None:
        self._line = bytearray()
        self._bom_checked = False
        self._skip_lf = False
        self._data = bytearray()
        self._event_type = bytearray()
        self._id_buffer = last_event_id
        self.last_event_id = last_event_id
        """The id of the last dispatched event (what ``Last-Event-ID`` sends)."""
        self.retry: Optional[int] = None
        """The latest reconnection time in milliseconds from a ``retry`` field."""
        self._pending_retry: Optional[int] = None
        self._queue: deque[ServerSentEvent] = deque()

    def feed(self, chunk: bytes) -> None:
        if not self._bom_checked:
            take = min(len(_BOM) - len(self._line), len(chunk))
            self._line += chunk[:take]
            chunk = chunk[take:]
            if not _BOM.startswith(bytes(self._line)):
                self._bom_checked = True
                held = bytes(self._line)
                self._line.clear()
                self._feed_lines(held)
            elif len(self._line) == len(_BOM):
                self._bom_checked = True
                self._line.clear()
            else:
                return
        self._feed_lines(chunk)

    def events(self) -> list[ServerSentEvent]:
        """The events dispatched so far and not yet taken."""
        out = list(self._queue)
        self._queue.clear()
        return out

    def next_event(self) -> Optional[ServerSentEvent]:
        return self._queue.popleft() if self._queue else None

    def reconnect(self) -> None:
        """The connection ended: an incomplete event is discarded, the next
        connection's bytes start a new stream (BOM check included), and the
        last event id is kept for ``Last-Event-ID``."""
        self._line.clear()
        self._bom_checked = False
        self._skip_lf = False
        self._data.clear()
        self._event_type.clear()
        self._id_buffer = self.last_event_id

    def _feed_lines(self, chunk: bytes) -> None:
        start = 0
        if self._skip_lf:
            if not chunk:
                return
            if chunk[0:1] == b"\n":
                start = 1
            self._skip_lf = False
        n = len(chunk)
        while start < n:
            lf = chunk.find(b"\n", start)
            cr = chunk.find(b"\r", start)
            ends = [i for i in (lf, cr) if i >= 0]
            if not ends:
                break
            i = min(ends)
            if self._line:
                self._line += chunk[start:i]
                line = bytes(self._line)
                self._line.clear()
            else:
                line = chunk[start:i]
            self._process_line(line)
            start = i + 1
            if chunk[i] == 0x0D:
                if start < n:
                    if chunk[start] == 0x0A:
                        start += 1
                else:
                    self._skip_lf = True
        self._line += chunk[start:]

    def _process_line(self, line: bytes) -> None:
        if not line:
            self._dispatch()
            return
        colon = line.find(b":")
        if colon == 0:
            return  # a comment
        if colon > 0:
            field, value = line[:colon], line[colon + 1 :]
            if value.startswith(b" "):
                value = value[1:]
        else:
            field, value = line, b""
        if field == b"data":
            self._data += value
            self._data += b"\n"
        elif field == b"event":
            self._event_type = bytearray(value)
        elif field == b"id":
            if b"\x00" not in value:
                self._id_buffer = value.decode("utf-8", errors="replace")
        elif field == b"retry":
            if value and value.isdigit():
                self.retry = int(value)
                self._pending_retry = self.retry

    def _dispatch(self) -> None:
        self.last_event_id = self._id_buffer
        if not self._data:
            self._event_type.clear()
            return
        data = bytes(self._data[:-1]).decode("utf-8", errors="replace")
        self._data.clear()
        event = self._event_type.decode("utf-8", errors="replace") if self._event_type else "message"
        self._event_type.clear()
        retry, self._pending_retry = self._pending_retry, None
        self._queue.append(ServerSentEvent(event, data, self.last_event_id or None, retry))


def json_event(event: ServerSentEvent) -> dict[str, object]:
    """An event as the spec's event schemas describe it: ``event``,
    ``data`` (parsed when it is JSON, the text otherwise) and ``id``. An
    event the spec does not list comes through the same way."""
    data: object
    try:
        data = json.loads(event.data)
    except ValueError:
        data = event.data
    out: dict[str, object] = {"event": event.event, "data": data}
    if event.id is not None:
        out["id"] = event.id
    return out


def raw_event(event: ServerSentEvent) -> ServerSentEvent:
    """The event as parsed (streams without an event schema)."""
    return event


def _connect_headers(parser: SSEParser, extra: Optional[Mapping[str, Optional[str]]]) -> dict[str, Optional[str]]:
    headers: dict[str, Optional[str]] = {"Accept": "text/event-stream", "Cache-Control": "no-cache", **(extra or {})}
    if parser.last_event_id:
        headers["Last-Event-ID"] = parser.last_event_id
    return headers


class Stream(Generic[T]):
    """A blocking iterator of typed events. After a dropped connection it
    reconnects with ``Last-Event-ID`` and carries on (``resumable`` says
    whether the server promises to resume from it);
    an error status when (re)connecting raises the usual exception after
    the client's retries. ``close()`` (or ``with``) ends it early."""

    def __init__(
        self,
        client: "SyncAPIClient",
        op: "Operation",
        path: str,
        decode: Callable[[ServerSentEvent], T],
        *,
        params: Optional[Mapping[str, object]] = None,
        headers: Optional[Mapping[str, Optional[str]]] = None,
        resumable: bool = True,
        timeout: Optional[float] = None,
    ) -> None:
        self._client = client
        self._op = op
        self._path = path
        self._decode = decode
        self._params = params
        self._headers = headers
        self._timeout = timeout
        self.resumable = resumable
        """Whether the server resumes from ``Last-Event-ID`` (spec ``x-sse``)."""
        self.reconnect = True
        """Set to ``False`` to end the iteration when the first connection ends."""
        self._parser = SSEParser()
        self._response: Optional[httpx.Response] = None
        self._closed = False

    @property
    def last_event_id(self) -> str:
        return self._parser.last_event_id

    def __iter__(self) -> Iterator[T]:
        return self._events()

    def __enter__(self) -> "Stream[T]":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._closed = True
        if self._response is not None:
            self._response.close()
            self._response = None

    def _events(self) -> Iterator[T]:
        delay: Optional[float] = None
        while not self._closed:
            if delay is not None:
                time.sleep(delay)
            response = self._client.send(
                self._op,
                self._path,
                params=self._params,
                headers=_connect_headers(self._parser, self._headers),
                timeout=self._timeout,
                stream=True,
            )
            self._response = response
            try:
                for chunk in response.iter_raw():
                    self._parser.feed(chunk)
                    for event in self._parser.events():
                        yield self._decode(event)
                ended_cleanly = True
            except (httpx.TransportError, httpx.StreamError):
                ended_cleanly = False
            finally:
                response.close()
                self._response = None
            if self._closed or not self.reconnect:
                return
            # Like EventSource (and the Rust overlay), reconnect after any
            # end; `Last-Event-ID` goes along whenever an id was seen. A
            # stream the spec marks non-resumable may then repeat or skip
            # events: `resumable` tells the caller.
            log.debug("event stream ended (%s)", "cleanly" if ended_cleanly else "dropped")
            log.debug("event stream dropped; resuming after %r", self._parser.last_event_id)
            self._parser.reconnect()
            retry = self._parser.retry
            delay = retry / 1000.0 if retry is not None else self._client.retry.backoff(0)


class AsyncStream(Generic[T]):
    """An async iterator of typed events; see ``Stream``."""

    def __init__(
        self,
        client: "AsyncAPIClient",
        op: "Operation",
        path: str,
        decode: Callable[[ServerSentEvent], T],
        *,
        params: Optional[Mapping[str, object]] = None,
        headers: Optional[Mapping[str, Optional[str]]] = None,
        resumable: bool = True,
        timeout: Optional[float] = None,
    ) -> None:
        self._client = client
        self._op = op
        self._path = path
        self._decode = decode
        self._params = params
        self._headers = headers
        self._timeout = timeout
        self.resumable = resumable
        """Whether the server resumes from ``Last-Event-ID`` (spec ``x-sse``)."""
        self.reconnect = True
        """Set to ``False`` to end the iteration when the first connection ends."""
        self._parser = SSEParser()
        self._response: Optional[httpx.Response] = None
        self._closed = False

    @property
    def last_event_id(self) -> str:
        return self._parser.last_event_id

    def __aiter__(self) -> AsyncIterator[T]:
        return self._events()

    async def __aenter__(self) -> "AsyncStream[T]":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        self._closed = True
        if self._response is not None:
            await self._response.aclose()
            self._response = None

    async def _events(self) -> AsyncIterator[T]:
        delay: Optional[float] = None
        while not self._closed:
            if delay is not None:
                await asyncio.sleep(delay)
            response = await self._client.send(
                self._op,
                self._path,
                params=self._params,
                headers=_connect_headers(self._parser, self._headers),
                timeout=self._timeout,
                stream=True,
            )
            self._response = response
            try:
                async for chunk in response.aiter_raw():
                    self._parser.feed(chunk)
                    for event in self._parser.events():
                        yield self._decode(event)
                ended_cleanly = True
            except (httpx.TransportError, httpx.StreamError):
                ended_cleanly = False
            finally:
                await response.aclose()
                self._response = None
            if self._closed or not self.reconnect:
                return
            # Like EventSource (and the Rust overlay), reconnect after any
            # end; `Last-Event-ID` goes along whenever an id was seen. A
            # stream the spec marks non-resumable may then repeat or skip
            # events: `resumable` tells the caller.
            log.debug("event stream ended (%s)", "cleanly" if ended_cleanly else "dropped")
            log.debug("event stream dropped; resuming after %r", self._parser.last_event_id)
            self._parser.reconnect()
            retry = self._parser.retry
            delay = retry / 1000.0 if retry is not None else self._client.retry.backoff(0)

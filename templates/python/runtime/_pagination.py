"""Pagination: iterators over every item of a list operation, page after
page, for the two conventions of ``x-pagination``: ``page`` (page/per_page
with a has-more flag) and ``cursor`` (an opaque next cursor). Items and flags
are found by the JSON pointers the spec gives.

Hand-written runtime, copied verbatim into every generated package.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Generic, Optional, TypeVar, cast

from ._exceptions import APIError

__all__ = ["Paging", "SyncPager", "AsyncPager", "json_pointer"]

T = TypeVar("T")

_MISSING = object()


def json_pointer(document: object, pointer: str) -> object:
    """The value at an RFC 6901 ``pointer`` in ``document``, or a sentinel
    (never equal to any JSON value) when there is none."""
    if pointer == "":
        return document
    node = document
    for raw in pointer.lstrip("/").split("/"):
        key = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return _MISSING
    return node


@dataclass(frozen=True)
class Paging:
    """An operation's ``x-pagination`` (generated)."""

    style: str
    items: str
    has_more: str = ""
    page_param: str = "page"
    cursor_param: str = ""
    next_cursor: str = ""


def _items(body: object, paging: Paging) -> list[object]:
    items = json_pointer(body, paging.items)
    if not isinstance(items, list):
        raise APIError(f"the list response has no array at {paging.items}")
    return items


def _next(body: object, items: list[object], paging: Paging, current: object) -> Optional[object]:
    """The next page number or cursor, or ``None`` at the end."""
    if paging.style == "cursor":
        cursor = json_pointer(body, paging.next_cursor)
        if not isinstance(cursor, str) or not cursor:
            return None
        if cursor == current:
            raise APIError(f"the server returned the same cursor twice ({paging.next_cursor}); stopping")
        return cursor
    more = json_pointer(body, paging.has_more) is True
    if not more or not items:
        return None
    return int(cast(int, current)) + 1


class SyncPager(Generic[T]):
    """Iterates over every item of every page; ``fetch`` gets the page's
    query (``{page_param: n}`` or ``{cursor_param: c}``) and returns the
    decoded body."""

    def __init__(self, fetch: Callable[[dict[str, object]], object], paging: Paging, first: Optional[object] = None) -> None:
        self._fetch = fetch
        self._paging = paging
        self._first = first

    def __iter__(self) -> Iterator[T]:
        paging = self._paging
        current: Optional[object] = self._first if self._first is not None else (1 if paging.style == "page" else None)
        while True:
            key = paging.page_param if paging.style == "page" else paging.cursor_param
            body = self._fetch({} if current is None else {key: current})
            items = _items(body, paging)
            for item in items:
                yield cast(T, item)
            current = _next(body, items, paging, current)
            if current is None:
                return


class AsyncPager(Generic[T]):
    """``SyncPager`` for async clients: ``async for item in pager``."""

    def __init__(self, fetch: Callable[[dict[str, object]], Awaitable[object]], paging: Paging, first: Optional[object] = None) -> None:
        self._fetch = fetch
        self._paging = paging
        self._first = first

    def __aiter__(self) -> AsyncIterator[T]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[T]:
        paging = self._paging
        current: Optional[object] = self._first if self._first is not None else (1 if paging.style == "page" else None)
        while True:
            key = paging.page_param if paging.style == "page" else paging.cursor_param
            body = await self._fetch({} if current is None else {key: current})
            items = _items(body, paging)
            for item in items:
                yield cast(T, item)
            current = _next(body, items, paging, current)
            if current is None:
                return

"""Form bodies from plain values, for operations whose request is
``application/x-www-form-urlencoded`` or ``multipart/form-data``: the method
takes the spec's ``TypedDict`` and these encode it, with the same rules as
the TypeScript runtime (``runtime/form.ts``):

- ``None`` fields are left out;
- booleans are ``true`` / ``false``, numbers and strings their text;
- a list repeats its key (``tag=a&tag=b``, OpenAPI's ``form`` style);
- url-encoded: a nested dict is deepObject style (``card[number]=4242``),
  a list holding dicts is indexed (``items[0][price]=p1``);
- multipart: ``bytes`` or a ``(filename, bytes)`` pair is a file part, a
  nested dict or list of dicts one part of JSON text (OpenAPI's default
  for object fields);
- url-encoded: a field with a style in the spec's ``encoding`` follows it
  (deepObject: ``expand[0]=a``, nested ``a[b][0]=c``).

Hand-written runtime, copied verbatim into every generated package.
"""

from __future__ import annotations

import json as jsonlib
from collections.abc import Mapping

from ._exceptions import InvalidRequestError
from ._query import QueryStyles, styled_pairs

__all__ = ["url_encoded_fields", "multipart_parts"]

FilePart = tuple[str, bytes] | bytes


def url_encoded_fields(value: Mapping[str, object], encoding: QueryStyles = ()) -> list[tuple[str, str]]:
    """The ``(key, text)`` pairs of a url-encoded body, in order. A field
    the spec's ``encoding`` gives a style (Stripe's ``expand: {style:
    deepObject}`` → ``expand[0]=a``) is written in it, as a query parameter
    would be (``styled_pairs``)."""
    styles = {name: (style, explode) for name, style, explode in encoding}
    out: list[tuple[str, str]] = []
    for key, field in value.items():
        if key in styles:
            out.extend(styled_pairs(key, field, *styles[key]))
        else:
            _add_url_encoded(out, key, field)
    return out


def _add_url_encoded(out: list[tuple[str, str]], key: str, value: object) -> None:
    if value is None:
        return
    if isinstance(value, (bytes, bytearray, tuple)):
        raise InvalidRequestError(f"form field `{key}` is a file: files need a multipart/form-data body")
    if isinstance(value, Mapping):
        for k, v in value.items():
            _add_url_encoded(out, f"{key}[{k}]", v)
    elif isinstance(value, list):
        indexed = any(isinstance(v, Mapping) for v in value)
        for i, v in enumerate(value):
            _add_url_encoded(out, f"{key}[{i}]" if indexed else key, v)
    else:
        out.append((key, _text(value)))


def multipart_parts(value: Mapping[str, object]) -> tuple[dict[str, list[str]], list[tuple[str, FilePart]]]:
    """The text fields (repeated keys as lists, as httpx takes them) and the
    file parts of a multipart body."""
    fields: dict[str, list[str]] = {}
    files: list[tuple[str, FilePart]] = []
    for key, field in value.items():
        for item in field if isinstance(field, list) else [field]:
            if item is None:
                continue
            if isinstance(item, (bytes, bytearray)):
                files.append((key, bytes(item)))
            elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str) and isinstance(item[1], (bytes, bytearray)):
                files.append((key, (item[0], bytes(item[1]))))
            elif isinstance(item, (Mapping, list, tuple)):
                fields.setdefault(key, []).append(jsonlib.dumps(item, separators=(",", ":"), ensure_ascii=False))
            else:
                fields.setdefault(key, []).append(_text(item))
    return fields, files


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

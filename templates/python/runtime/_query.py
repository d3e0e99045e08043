"""Query strings: each parameter written in its OpenAPI ``style`` and
``explode`` (default ``form``, exploded), byte for byte like the TypeScript
runtime (``runtime/query.ts``) and the Rust crates (``hooks::append_query``);
the shared table ``tests/data/query-styles.json`` holds all three to it.

- Names, keys and values are percent-encoded except RFC 3986's unreserved
  characters (``A-Z a-z 0-9 - . _ ~``); a space is ``%20``.
- Separators are literal: ``&``, ``=``, ``,`` (form), ``|`` (pipeDelimited),
  the brackets of deepObject keys; spaceDelimited's is ``%20``. The same
  character inside a value is encoded (``a%2Cb``).
- ``None`` (a parameter, a list item, a property) sends nothing; empty
  lists and dicts send nothing.
- form, explode: lists repeat the name, dicts spread ``prop=value``; form:
  ``name=a,b`` and ``name=k1,v1,k2,v2``; spaceDelimited and pipeDelimited
  the same with their separator (exploded, they are form).
- deepObject: ``name[prop]=v``, nested ``name[a][b]=v``, lists indexed
  ``name[0]=v`` (what Stripe's own SDKs send: ``expand[0]=…``), a scalar
  (an ``anyOf`` of integer and object) ``name=v``.
- Scalars: booleans ``true``/``false``, numbers and strings their text; a
  dict or list where only a scalar fits is its JSON text.

Hand-written runtime, copied verbatim into every generated package.
"""

from __future__ import annotations

import json as jsonlib
from collections.abc import Callable, Mapping
from urllib.parse import quote

__all__ = ["QueryStyles", "encode_query_param", "query_string", "styled_pairs"]

QueryStyles = tuple[tuple[str, str, bool], ...]
"""``(wire name, style, explode)`` of each query parameter not written as
``form``, exploded (OpenAPI's default)."""

def query_string(params: Mapping[str, object], styles: QueryStyles = ()) -> str:
    """A query string (without ``?``) from the non-``None`` values of
    ``params``, each in its style."""
    by_name = {name: (style, explode) for name, style, explode in styles}
    parts: list[str] = []
    for name, value in params.items():
        style, explode = by_name.get(name, ("form", True))
        parts.extend(encode_query_param(name, value, style, explode))
    return "&".join(parts)


def encode_query_param(name: str, value: object, style: str, explode: bool) -> list[str]:
    """The ``name=value`` pairs (already encoded) of one parameter."""
    return [f"{k}={v}" for k, v in _pairs(name, value, style, explode, _quote, "%20")]


def styled_pairs(name: str, value: object, style: str, explode: bool) -> list[tuple[str, str]]:
    """The ``(name, value)`` pairs of one field in its style, not yet
    encoded: a url-encoded body's field with an ``encoding`` (``_forms.py``).
    Delimited styles join with a plain ``,``, space or ``|``; deepObject keys
    are ``name[prop]``, lists indexed."""
    return _pairs(name, value, style, explode, str, " ")


def _pairs(
    name: str, value: object, style: str, explode: bool, enc: Callable[[str], str], space: str
) -> list[tuple[str, str]]:
    """The pairs of one value in its style, names, keys and values passed
    through ``enc`` and joined by literal separators (``space`` is
    spaceDelimited's): the query encodes each part and keeps the separators
    and brackets as they are, a form body encodes the whole pair later."""
    out: list[tuple[str, str]] = []
    if value is None:
        return out
    key = enc(name)
    if style == "deepObject":
        _deep(out, key, value, enc)
        return out
    separator = {"form": ",", "spaceDelimited": space, "pipeDelimited": "|"}[style]
    if isinstance(value, (list, tuple)):
        items = [enc(_text(v)) for v in value if v is not None]
        if explode:
            out.extend((key, v) for v in items)
        elif items:
            out.append((key, separator.join(items)))
    elif isinstance(value, Mapping):
        pairs = [(enc(str(k)), enc(_text(v))) for k, v in value.items() if v is not None]
        if explode:
            out.extend(pairs)
        elif pairs:
            out.append((key, separator.join(x for pair in pairs for x in pair)))
    else:
        out.append((key, enc(_text(value))))
    return out


def _deep(out: list[tuple[str, str]], key: str, value: object, enc: Callable[[str], str]) -> None:
    """deepObject: ``key[prop]``, nested ``key[a][b]``, lists indexed."""
    if value is None:
        return
    if isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _deep(out, f"{key}[{i}]", v, enc)
    elif isinstance(value, Mapping):
        for k, v in value.items():
            _deep(out, f"{key}[{enc(str(k))}]", v, enc)
    else:
        out.append((key, enc(_text(value))))


def _quote(text: str) -> str:
    return quote(text, safe="")


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (Mapping, list, tuple)):
        return jsonlib.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)

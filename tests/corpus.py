"""Hostile corpora shared by the standing suites: template-injection payloads and a sample's text fields.

``SUITE_FULL=1`` (set by ``scripts/suite``) runs each suite's full version; the CI run takes a bounded slice.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from typing import Any

FULL = os.environ.get("SUITE_FULL") == "1"

# Typed into a field, each must print exactly as typed: nothing evaluates, nothing breaks out of its place.
INJECTION = [
    "{{7*7}}",
    "{{ config }}",
    "{{ config.SECRET_KEY }}",
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{% for x in range(3) %}L{% endfor %}",
    "{{ lipsum }}",
    "{{ lipsum.__globals__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ joiner }}",
    "{{ namespace }}",
    "{{ request }}",
    "{{ self }}",
    "{% raw %}R{% endraw %}",
    "{# comment #}",
    "{%- if true -%}T{%- endif -%}",
    "%s%s%n %x {0} {0.__class__} ${7*7} #{7*7}",
    "</w:t></w:r><w:r><w:t>broke",
    "]]><![CDATA[x]]>",
    '"/><w:p><w:r><w:t>p',
    "<script>alert(1)</script>",
    "<img src=file:///etc/passwd>",
    "&amp; &lt; &#60; < > & \" '",
    "\\u0000 \\x00 \\n",
]


def text_leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every string in a sample (only the first item of each list: the others are alike)."""
    if isinstance(value, str):
        yield path
    elif isinstance(value, list) and value:
        yield from text_leaves(value[0], (*path, 0))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from text_leaves(item, (*path, key))


def get(data: Any, path: tuple[Any, ...]) -> Any:
    """The value at a path."""
    for part in path:
        data = data[part]
    return data


def replaced(data: dict[str, Any], values: dict[tuple[Any, ...], str]) -> dict[str, Any]:
    """A deep copy of ``data`` with the string at each path replaced."""
    out = copy.deepcopy(data)
    for path, value in values.items():
        parent = get(out, path[:-1])
        parent[path[-1]] = value
    return out


def pointer(path: tuple[Any, ...]) -> str:
    """A JSON pointer for a path."""
    return "".join(f"/{p}" for p in path)

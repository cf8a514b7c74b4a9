"""Writes the part of Opal's published spec that Tessera implements, for the
contract test's Opal conformance run.

    python opal_subset.py OPAL_SPEC BASE_URL OUTPUT.json

Keeps only Opal's own definitions of the Opal-compatible operations
(GET /tokens, DELETE /tokens/{token_id}, GET /users, GET /user, GET /events,
GET /events/{event_id}) and every component they reference, transitively;
sets `servers` to Tessera's base URL (`.../v1`). Nothing else is changed,
with one exception, `nullable`:

Opal's spec says `openapi: 3.1.0` but marks nullable fields the 3.0 way,
`nullable: true` beside `type: string` (Token.last_used_at, Token.expires_at,
the `next`/`previous` cursors). In 3.1 `nullable` is no keyword, so a strict
3.1 validator would reject the `null` that Opal's own API sends for a token
that was never used. The copy therefore rewrites `type: X, nullable: true`
to `type: [X, "null"]` (and drops `nullable: false`), the faithful reading of
what Opal's authors wrote; no other keyword is touched. (The pinned
Schemathesis reads `nullable` in 3.1 documents too, so today this changes no
verdict; it keeps the copy a plain 3.1 document that says what Opal means.)

The YAML is read with YAML 1.2 core-schema scalars (only true/false are
booleans; dates and `on`/`yes` stay strings), as the OpenAPI spec requires.
"""

from __future__ import annotations

import json
import re
import sys

import yaml

OPERATIONS = [
    ("/tokens", "get"),
    ("/tokens/{token_id}", "delete"),
    ("/users", "get"),
    ("/user", "get"),
    ("/events", "get"),
    ("/events/{event_id}", "get"),
]


class CoreSchemaLoader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2 core-schema implicit scalars."""


CoreSchemaLoader.yaml_implicit_resolvers = {}
for tag, pattern, first in [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     "-+0123456789."),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
]:
    CoreSchemaLoader.add_implicit_resolver(tag, re.compile(pattern), list(first))


def _construct_int(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


CoreSchemaLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def referenced(node, found: set[str]) -> None:
    """Every `#/components/...` reference under `node`."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/"):
            found.add(ref)
        for value in node.values():
            referenced(value, found)
    elif isinstance(node, list):
        for value in node:
            referenced(value, found)


def resolve(document, pointer: str):
    node = document
    for part in pointer.lstrip("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def nullable_to_type_list(node) -> None:
    if isinstance(node, dict):
        if "nullable" in node:
            nullable = node.pop("nullable")
            kind = node.get("type")
            if nullable is True and isinstance(kind, str):
                node["type"] = [kind, "null"]
            elif nullable is True and isinstance(kind, list) and "null" not in kind:
                node["type"] = [*kind, "null"]
            elif nullable is True:
                # No type to widen (a $ref or a composition): the value or null.
                inner = dict(node)
                node.clear()
                node["anyOf"] = [inner, {"type": "null"}]
        for value in node.values():
            nullable_to_type_list(value)
    elif isinstance(node, list):
        for value in node:
            nullable_to_type_list(value)


def main(source: str, base_url: str, output: str) -> None:
    with open(source, encoding="utf-8") as handle:
        opal = yaml.load(handle, Loader=CoreSchemaLoader)

    paths: dict = {}
    for path, method in OPERATIONS:
        item = opal["paths"][path]
        kept = {key: value for key, value in item.items() if key in ("parameters", "summary", "description")}
        kept[method] = item[method]
        paths.setdefault(path, {}).update(kept)

    subset = {
        "openapi": opal["openapi"],
        "info": {**opal["info"], "title": f"{opal['info']['title']} (the operations Tessera implements)"},
        "servers": [{"url": base_url, "description": "Tessera under test"}],
        "paths": paths,
        "components": {},
    }
    if "security" in opal:
        subset["security"] = opal["security"]

    # Components referenced from the kept operations, transitively.
    pending: set[str] = set()
    referenced(paths, pending)
    seen: set[str] = set()
    while pending:
        ref = pending.pop()
        if ref in seen:
            continue
        seen.add(ref)
        _, _, section, name = ref.split("/", 3)
        value = resolve(opal, ref)
        subset["components"].setdefault(section, {})[name] = value
        referenced(value, pending)
    # The security schemes the kept operations name.
    schemes = opal["components"].get("securitySchemes", {})
    for operation in (item[m] for item in paths.values() for m in item if m in ("get", "delete")):
        for requirement in operation.get("security", subset.get("security", [])):
            for scheme in requirement:
                subset["components"].setdefault("securitySchemes", {})[scheme] = schemes[scheme]

    nullable_to_type_list(subset)

    with open(output, "w", encoding="utf-8") as handle:
        json.dump(subset, handle, indent=1, sort_keys=False)
        handle.write("\n")
    count = sum(1 for item in paths.values() for m in item if m in ("get", "delete"))
    print(f"opal subset: {count} operations, {sum(len(v) for v in subset['components'].values())} components -> {output}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: opal_subset.py OPAL_SPEC BASE_URL OUTPUT.json")
    main(*sys.argv[1:])

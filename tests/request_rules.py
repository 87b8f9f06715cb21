"""A request checked against the operation of an OpenAPI document it was sent for: the spec's own rules.

``check(spec, method, template, sent)`` lists each rule ``sent`` breaks (empty: none) and notes what it could not
check: the method; the URL path matching the path template with every ``{param}`` filled and none left in braces;
every required path, query, header and cookie parameter present (``filled``: the credential parameters the server
fills count as present); a JSON body valid per the operation's JSON request body schema (``jsonschema``, local
``$ref``s resolved against the document, OpenAPI 3.0's ``nullable`` and request-side ``readOnly`` honoured); a form
or multipart body's required fields present.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4, DRAFT202012

IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})  # OpenAPI: described elsewhere, ignored
SPEC_URI = "urn:mcpgen:spec"
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


@dataclass(frozen=True)
class Sent:
    """One request as it went out: method, full URL, headers (any case) and body bytes."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes = b""


@dataclass(frozen=True)
class Found:
    """An operation of the document: the object, the JSON pointer to it, its parameters."""

    op: dict[str, Any]
    at: str
    params: list[dict[str, Any]]


@dataclass
class Verdict:
    """What ``check`` found: the rules broken, and what it could not check (and why)."""

    breaches: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class Spec:
    """One OpenAPI document, with its schemas made checkable by ``jsonschema`` once."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.v30 = str(document.get("openapi", "")).startswith("3.0")
        self.checkable = _checkable(document, v30=self.v30, root=document)
        resource = Resource.from_contents(self.checkable, default_specification=DRAFT4 if self.v30 else DRAFT202012)
        self.registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)

    def resolve(self, node: Any) -> Any:
        """``node`` with its local ``$ref`` chain followed (in the original document)."""
        return _pointer(self.document, self.where(node)) if isinstance(node, dict) and "$ref" in node else node

    def where(self, node: Any, here: str = "") -> str:
        """The JSON pointer ``node`` ends at: its ``$ref`` chain followed, else ``here`` (where it was found)."""
        for _ in range(20):
            ref = node.get("$ref") if isinstance(node, dict) else None
            if not (isinstance(ref, str) and ref.startswith("#/")):
                break
            here, node = ref.removeprefix("#"), _pointer(self.document, ref)
        return here

    def operation(self, method: str, template: str) -> Found | None:
        """The operation at ``method template``: where it is, and its parameters (path item's and its own)."""
        at = self.where((self.document.get("paths") or {}).get(template), "/paths/" + _escape(template))
        item = _pointer(self.document, at) if template in (self.document.get("paths") or {}) else None
        op = item.get(method.lower()) if isinstance(item, dict) else None
        if not isinstance(op, dict):
            return None
        params: dict[tuple[str, str], dict[str, Any]] = {}
        for raw in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
            param = self.resolve(raw)
            if isinstance(param, dict) and isinstance(param.get("name"), str):
                params[(param["name"], str(param.get("in")))] = param
        return Found(op, f"{at}/{method.lower()}", list(params.values()))

    def templates(self) -> list[tuple[str, str]]:
        """Every ``(METHOD, template)`` of the document."""
        found = []
        for template, item in (self.document.get("paths") or {}).items():
            resolved = self.resolve(item)
            if isinstance(resolved, dict):
                found += [
                    (m.upper(), template) for m, op in resolved.items() if isinstance(op, dict) and m != "parameters"
                ]
        return found


def _pointer(document: Any, ref: str) -> Any:
    node = document
    for part in ref.removeprefix("#").removeprefix("/").split("/") if ref.strip("#/") else ():
        key = unquote(part).replace("~1", "/").replace("~0", "~")
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node


def _checkable(node: Any, *, v30: bool, root: dict[str, Any]) -> Any:
    """The document's schemas as JSON Schema: 3.0's ``nullable`` as a ``null`` type, ``readOnly`` not required (also
    through a ``$ref``: apideck's ``id`` is ``{"$ref": ".../Id"}``, read-only there), and
    no ``additionalProperties: false`` beside ``allOf`` (as written, it refuses the properties of the branches)."""
    if isinstance(node, list):
        return [_checkable(item, v30=v30, root=root) for item in node]
    if not isinstance(node, dict):
        return node
    node = {
        k: _checkable(v, v30=v30, root=root) if k not in ("enum", "const", "default", "example") else v
        for k, v in node.items()
    }
    if v30 and node.get("nullable") is True:
        if isinstance(node.get("type"), str):
            node["type"] = [node["type"], "null"]
        if isinstance(node.get("enum"), list) and None not in node["enum"]:
            node["enum"] = [*node["enum"], None]
    if node.get("additionalProperties") is False and any(k in node for k in ("allOf", "anyOf", "oneOf")):
        del node[
            "additionalProperties"
        ]  # meant as "none beyond the branches' properties", which JSON Schema cannot say
    properties, required = node.get("properties"), node.get("required")
    if isinstance(properties, dict) and isinstance(required, list):
        node["required"] = [n for n in required if not _read_only(properties.get(n), root)]
    return node


def _read_only(schema: Any, root: dict[str, Any]) -> bool:
    for _ in range(20):  # a ``$ref`` chain, followed in the document
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        if not (isinstance(ref, str) and ref.startswith("#/")) or schema.get("readOnly"):
            break
        schema = _pointer(root, ref[1:])
    return isinstance(schema, dict) and schema.get("readOnly") is True


def split_template(template: str) -> tuple[str, list[tuple[str, str]]]:
    """A path key's path and the query pairs it pins: AWS's ``/?Action=X`` or ``/#X-Amz-Target=Y`` (a fragment:
    never sent; its header is a parameter of its own)."""
    path, _, query = template.split("#", 1)[0].partition("?")
    return path or "/", parse_qsl(query, keep_blank_values=True)


def path_pattern(template: str) -> re.Pattern[str]:
    """``/a/{id}/b`` → a pattern whose groups are each parameter's (non-empty, slash-free) value, raw as sent."""
    parts = re.split(r"(\{[^}/]+\})", split_template(template)[0])
    return re.compile("".join("([^/]+)" if p.startswith("{") else re.escape(p) for p in parts if p))


def matches(template: str, path: str, base_path: str) -> bool:
    """Whether the URL ``path`` is ``template`` below ``base_path`` (or, for an operation's own server, below any)."""
    pattern = path_pattern(template)
    below = path.removeprefix(base_path.rstrip("/")) if path.startswith(base_path.rstrip("/")) else None
    if below is not None and pattern.fullmatch(below):
        return True
    return re.search(pattern.pattern + "$", path) is not None


def check(
    spec: Spec, method: str, template: str, sent: Sent, base_path: str, filled: frozenset[str] = frozenset()
) -> Verdict:
    """The rules of ``method template`` that ``sent`` breaks; ``filled``: ``in:name`` the server fills."""
    verdict = Verdict()
    found = spec.operation(method, template)
    if found is None:
        verdict.notes.append(f"{method} {template}: not an operation of the document")
        return verdict
    if sent.method.upper() != method.upper():
        verdict.breaches.append(f"method {sent.method.upper()} where the spec says {method.upper()}")
    _check_path(template, sent, base_path, verdict)
    _check_params(found.params, sent, filled, verdict)
    _check_body(spec, found, sent, verdict)
    return verdict


def _check_path(template: str, sent: Sent, base_path: str, verdict: Verdict) -> None:
    path = urlsplit(sent.url).path
    for name in re.findall(r"\{([^}/]+)\}", template):
        if "{" + name + "}" in unquote(path):
            verdict.breaches.append(f"path parameter {{{name}}} left unfilled")
    if not matches(template, path, base_path):
        verdict.breaches.append(f"path {path} does not match the template {template}")
    query = parse_qsl(urlsplit(sent.url).query, keep_blank_values=True)
    for key, value in split_template(template)[1]:
        if not any(k == key and (v == value or not value) for k, v in query):
            verdict.breaches.append(f"query {key}={value} of the path key missing")


def _check_params(params: list[dict[str, Any]], sent: Sent, filled: frozenset[str], verdict: Verdict) -> None:
    query = [key for key, _ in parse_qsl(urlsplit(sent.url).query, keep_blank_values=True)]
    headers = {k.lower() for k in sent.headers}
    cookie = _header(sent, "cookie")
    cookies = {part.split("=", 1)[0].strip() for part in cookie.split(";") if "=" in part}
    for param in params:
        name, where = param["name"], str(param.get("in"))
        if not param.get("required") or f"{where}:{name}" in filled or where == "path":
            continue  # path parameters: the template's match
        if where == "header" and name.lower() not in IGNORED_HEADERS and name.lower() not in headers:
            verdict.breaches.append(f"required header {name} missing")
        elif where == "cookie" and name not in cookies:
            verdict.breaches.append(f"required cookie {name} missing")
        elif where == "query" and not _in_query(param, name, query):
            verdict.breaches.append(f"required query parameter {name} missing")


def _in_query(param: dict[str, Any], name: str, keys: list[str]) -> bool:
    """Present as ``name``, ``name[...]`` / ``name.x`` (deepObject), or, an exploded form object, as any key."""
    if any(k == name or k.startswith((f"{name}[", f"{name}.")) for k in keys):
        return True
    exploded = param.get("style", "form") == "form" and param.get("explode", True)
    schema = param.get("schema") or {}
    return bool(exploded and keys and (schema.get("type") == "object" or "$ref" in schema or "properties" in schema))


def _check_body(spec: Spec, found: Found, sent: Sent, verdict: Verdict) -> None:
    at = spec.where(found.op.get("requestBody"), f"{found.at}/requestBody")
    body = _pointer(spec.document, at) if "requestBody" in found.op else None
    content = body.get("content") if isinstance(body, dict) else None
    if not isinstance(content, dict) or not sent.body:
        if isinstance(body, dict) and body.get("required") and not sent.body:
            _check_empty(spec, content or {}, verdict)
        return
    media = _header(sent, "content-type").split(";")[0].strip().lower()
    key = next((k for k in content if k.split(";")[0].strip().lower() == media), None)
    key = key or next((k for k in content if _wild(k, media)), None)
    if key is None:
        verdict.breaches.append(f"body sent as {media or 'no content type'}; the spec takes {', '.join(content)}")
        return
    schema = content[key].get("schema") if isinstance(content[key], dict) else None
    if schema is None:
        return
    if media == "application/json" or media.endswith("+json"):
        _check_json(spec, f"{at}/content/{_escape(key)}/schema", sent.body, verdict)
    elif media in FORMS:
        _check_form(spec, schema, media, sent.body, verdict)


def _check_empty(spec: Spec, content: dict[str, Any], verdict: Verdict) -> None:
    """A required body sent empty: a form with no fields is an empty body, so only its required fields count."""
    forms = [k for k in content if k.split(";")[0].strip().lower() in FORMS]
    if not forms:
        verdict.breaches.append("required request body missing")
    elif isinstance(content[forms[0]], dict):
        _check_form(spec, content[forms[0]].get("schema") or {}, forms[0], b"", verdict)


def _header(sent: Sent, name: str) -> str:
    return next((v for k, v in sent.headers.items() if k.lower() == name), "")


def _wild(declared: str, media: str) -> bool:
    head = declared.split(";", maxsplit=1)[0].strip().lower()
    return head in ("*/*", f"{media.split('/', maxsplit=1)[0]}/*")


def _check_json(spec: Spec, pointer: str, body: bytes, verdict: Verdict) -> None:
    try:
        value = json.loads(body)
    except ValueError:
        verdict.breaches.append("JSON body that is not JSON")
        return
    schema = {"$ref": f"{SPEC_URI}#{pointer}"}
    cls = jsonschema.Draft4Validator if spec.v30 else jsonschema.Draft202012Validator
    try:
        errors = sorted(cls(schema, registry=spec.registry).iter_errors(value), key=lambda e: list(e.absolute_path))
    except Exception as exc:  # a schema the validator cannot take (unresolvable refs, bad patterns): say so, go on
        verdict.notes.append(f"JSON body schema not checkable: {type(exc).__name__}: {str(exc)[:120]}")
        return
    for error in errors[:3]:
        where = "/".join(map(str, error.absolute_path)) or "(body)"
        verdict.breaches.append(f"JSON body at {where}: {error.message[:160]}")


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _check_form(spec: Spec, schema: Any, media: str, body: bytes, verdict: Verdict) -> None:
    resolved = spec.resolve(schema)
    required = list(resolved.get("required") or []) if isinstance(resolved, dict) else []
    for part in resolved.get("allOf", []) if isinstance(resolved, dict) else []:
        required += list((spec.resolve(part) or {}).get("required") or [])
    text = body.decode("latin-1")
    if media == "multipart/form-data":
        names = set(re.findall(r'name="([^"]*)"', text))
    else:
        names = {key for key, _ in parse_qsl(text, keep_blank_values=True)}
    for name in required:
        if not any(n == name or n.startswith((f"{name}[", f"{name}.")) for n in names):
            verdict.breaches.append(f"required form field {name} missing")

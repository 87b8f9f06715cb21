"""What an operation does, in its own words: the verb of an RPC-style path, its operationId, its summary.

The HTTP method is only a default. Slack sends ``GET /auth.revoke``; Stripe updates a customer with ``POST
/v1/customers/{customer}`` and voids an invoice with ``POST /v1/invoices/{invoice}/void``. Names and hints read
the act found here; nothing vendor-specific is named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from generator.model.naming import is_plural, snake
from generator.model.prose import plain

# Verbs by the act they name; the first word of an operation's own words is looked up here.
FAMILIES: dict[str, frozenset[str]] = {
    "read": frozenset(
        {"list", "get", "search", "find", "query", "fetch", "retrieve", "read", "describe", "lookup", "info", "show",
         "view", "count", "check", "history", "return"}
    ),
    "create": frozenset({"create", "add", "insert", "post", "upload", "register", "import", "open", "schedule"}),
    "update": frozenset(
        {"update", "modify", "edit", "set", "change", "rename", "replace", "patch", "move", "mark", "put"}
    ),
    "delete": frozenset(
        {"delete", "remove", "erase", "purge", "destroy", "wipe", "revoke", "uninstall", "void", "unassign", "detach",
         "kill"}
    ),
    "act": frozenset(
        {"send", "cancel", "archive", "unarchive", "invite", "kick", "leave", "join", "close", "reopen", "finalize",
         "pay", "capture", "refund", "confirm", "approve", "reject", "publish", "unpublish", "verify", "pause",
         "resume", "disable", "enable", "exchange", "end", "reset", "restore", "rotate", "attach", "reverse",
         "rerequest", "rerun", "retry", "trigger"}
    ),
}  # fmt: skip
FAMILY_OF = {verb: family for family, verbs in FAMILIES.items() for verb in verbs}
WRITES = frozenset({"create", "update", "delete", "act"})
HTTP_WORDS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "query"})
METHOD_NAMES = frozenset({"post", "put", "patch"})  # in an identifier, the method (``PostCustomers``), or a noun
FILE_SUFFIXES = frozenset({"json", "xml", "csv", "txt", "html", "yaml", "yml", "pdf", "png", "jpg", "zip", "rss"})
_RPC = re.compile(r"^([A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)*)\.([A-Za-z]\w*)$")
# A path key's fragment that selects the call (AWS: ``#X-Amz-Target=DynamoDB_20120810.CreateTable``,
# ``#Action=DescribeInstances``): the call is the value's last dotted part.
_SELECTOR = re.compile(r"#[A-Za-z][\w-]*=(?:[\w-]+\.)*([A-Za-z]\w*)$")
_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class Act:
    """The verb an operation's own words lead with, where it was found, and the act it names."""

    verb: str
    family: str  # read, create, update, delete or act (another write)
    source: str  # "path", "operationId", "summary" or "description"

    @property
    def writes(self) -> bool:
        """Whether the verb names a write."""
        return self.family in WRITES


@dataclass(frozen=True)
class Rpc:
    """An RPC-style path ``/admin.apps.approve``: its resource segments and the words of its method."""

    resource: tuple[str, ...]  # ("admin", "apps")
    words: tuple[str, ...]  # ("approve",); ``postMessage`` → ("post", "message")


def lemma(word: str, inflected: bool = True) -> str | None:
    """A known verb from one word as written (``Updates`` → ``update``, ``Retrieves`` → ``retrieve``), or None.

    Without ``inflected`` only the bare verb counts: in an identifier, ``posts`` is a noun.
    """
    word = word.lower()
    if not inflected:
        return word if word in FAMILY_OF else None
    stems = (word, f"{word[:-3]}y" if word.endswith("ies") else "", word[:-2] if word.endswith("es") else "")
    found = (*stems, word[:-1] if word.endswith("s") else "")
    return next((stem for stem in found if stem in FAMILY_OF), None)


def rpc(path: str) -> Rpc | None:
    """The path as an RPC call (``/chat.postMessage``), or None: a file suffix (``/report.json``) is no method."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    match = _RPC.match(last)
    if not match or match.group(2).lower() in FILE_SUFFIXES:
        return None
    before = [p for p in path.rstrip("/").split("/")[:-1] if p and not p.startswith("{")]
    resource = (*before, *match.group(1).split("."))
    return Rpc(tuple(resource), tuple(snake(match.group(2)).split("_")))


def act_of(path: str, operation: dict[str, Any]) -> Act | None:
    """The first verb the operation's own words lead with: RPC method, operationId, summary, then description."""
    call = rpc(path)
    if call and (verb := lemma(call.words[0], inflected=False)):
        return Act(verb, FAMILY_OF[verb], "path")
    words = snake(str(operation.get("operationId") or "")).split("_")
    if words[0] in HTTP_WORDS:  # ``PostInvoicesInvoiceVoid``: the method, the path's words, then an act segment
        last = path.rstrip("/").rsplit("/", 1)[-1]
        ends = "" if last.startswith("{") else snake(last)
        words = [words[-1] if len(words) > 1 and words[-1] == ends else ""]
    for source, first in (
        ("operationId", words[0]),
        ("summary", _first_word(operation.get("summary"))),
        ("description", _first_word(operation.get("description"))),
    ):
        if first and (verb := lemma(first, inflected=source != "operationId")):
            return Act(verb, FAMILY_OF[verb], source)
    return None


def identifier_write(operation_id: str) -> str | None:
    """The first word of an operationId that creates or changes (``checks/create`` → ``create``), or None.

    Any such word, not only the first: ``checks`` there is the resource, not the read verb ``check``. A method's
    name (``post``, ``put``, ``patch``) in an identifier is the method or a noun, not the act.
    """
    for word in snake(operation_id).split("_"):
        verb = lemma(word, inflected=False)
        if verb is not None and word not in METHOD_NAMES and FAMILY_OF[verb] in WRITES:
            return verb
    return None


def _first_word(text: Any) -> str:
    match = _WORD.search(plain(text if isinstance(text, str) else "")[:60])
    return match.group(0) if match else ""


def path_acts(path: str) -> bool:
    """Whether a literal segment of the path already names a write (``/erase-data-for-phone-number``)."""
    literal = [snake(p) for p in path.split("/") if p and not p.startswith("{")]
    return any(FAMILY_OF.get(word) in WRITES for part in literal for word in part.split("_"))


TRUTO = {"create": "create_a", "add": "create_a", "post": "create_a", "insert": "create_a", "update": "update_a",
         "modify": "update_a", "edit": "update_a", "patch": "update_a", "delete": "delete_a", "remove": "delete_a",
         "list": "list_all", "get": "get_single", "info": "get_single", "retrieve": "get_single", "read": "get_single",
         "fetch": "get_single", "lookup": "get_single", "show": "get_single", "view": "get_single"}  # fmt: skip


def named_by_act(method: str, path: str, operation: dict[str, Any]) -> tuple[str, str] | None:
    """``(verb, path to name from)`` when the operation's own verb decides its name; None: the method's stands.

    A call selected by the path key's fragment names its act whatever the method (``#Action=CreateVpc`` →
    ``create_a`` ``vpc``). An RPC-style path names its act (``POST /chat.delete`` → ``delete_a``, from
    ``/chat``). A POST on an item whose
    last segment is a write (``/invoices/{invoice}/void``) is that write on the item. A POST whose own words name
    an update or a delete (``Updates a customer``) is one, unless a literal segment of its path already names a
    write (``/erase-data-for-phone-number``): the method's name then holds the act. A POST to an item path
    (``/v1/invoices/{invoice}``) whose words name no act updates the item. A read sent by POST keeps the method's
    name; its hints say that it reads.
    """
    selected = selector_words(path)
    if selected:
        return _selected(selected)
    call = rpc(path)
    if call is not None:
        verb = lemma(call.words[0], inflected=False)
        if verb is None or (verb not in TRUTO and FAMILY_OF[verb] not in WRITES):
            return None  # ``/conversations.history``: the method's verb, every word of the path
        return TRUTO.get(verb, f"{verb}_a"), "/" + "/".join((*call.resource, *call.words[1:]))
    if method != "POST":
        return None
    segments = path.rstrip("/").split("/")
    last = lemma(snake(segments[-1]), inflected=False) if len(segments) > 2 and segments[-2].startswith("{") else None
    if last and FAMILY_OF[last] in WRITES and FAMILY_OF[last] != "create":
        return TRUTO.get(last, f"{last}_a"), "/".join(segments[:-1])
    act = act_of(path, operation)
    if act and act.family in ("update", "delete") and not path_acts(path):
        return ("update_a" if act.family == "update" else "delete_a"), path
    if act is None and segments[-1].startswith("{") and not path_acts(path):
        return "update_a", path  # a POST to an item that names no act of its own changes it (Stripe's updates)
    return None


def selector_words(path: str) -> tuple[str, ...]:
    """The words of the call a path key's fragment selects (``#Action=CreateVpc`` → ("create", "vpc")); none: ()."""
    words = tuple(snake(match.group(1)).split("_")) if (match := _SELECTOR.search(path)) else ()
    return words if len(words) > 1 else ()  # a verb and a noun; ``#export=true`` selects no call


def _selected(words: tuple[str, ...]) -> tuple[str, str]:
    """``(verb, path to name from)`` of a selected call: its first known verb (the second when the first is no verb:
    ``BatchGetItem``); a read other than list and get says its verb, of all or of one by its noun's number
    (``describe_all`` instances); an unknown verb is said as it is."""
    at = next((n for n, word in enumerate(words[:2]) if lemma(word, inflected=False)), 0)
    verb, rest = words[at], "_".join(words[:at] + words[at + 1 :]) or words[at]
    family = FAMILY_OF.get(verb)
    if family == "read" and verb not in ("list", "get"):  # ``DescribeStacks`` beside ``ListStacks``: its own verb
        return (f"{verb}_all" if is_plural(rest.rsplit("_", 1)[-1]) else f"{verb}_a"), f"/{rest}"
    return TRUTO.get(verb, f"{verb}_a"), f"/{rest}"

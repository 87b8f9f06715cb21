"""Every tool call goes through ``Dispatcher.call``: policy first, then a flow or one upstream call, then shaping.

The call travels as one value, a ``ToolCall`` (its record, answer limits, account and progress); its module draws
the whole path of a call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx2
from mcp.types import CallToolResult

from ..contract import MAX_PAGES, SELECT, Operation, Vendor, servers_own
from ..failures import MissingCredentials, NotSaved, RuntimeFailure
from ..flows import multistep, pagination
from ..flows.callables import Page, PageCall, Room
from ..flows.flow_inputs import InputsCache
from ..settings import Settings
from ..shaping import answer, faults, results
from ..shaping.faults import rate_meta
from ..shaping.pages import page_of
from ..upstream.client import Upstream
from ..upstream.exchange import Exchange
from ..upstream.limits import RateLimits, Taken
from ..upstream.receive import Keeping, save_body
from ..upstream.retry import may_retry
from ..wire import credentials
from ..wire.request import build
from ..wire.uploads import Folder
from .log_scrubber import scrub_logs
from .policy import CreditBudget, scope_refusal
from .tool_call import ToolCall


class Dispatcher:
    """Holds one server's upstream and policy state; ``call`` runs a tool's operation and never raises."""

    def __init__(
        self,
        vendor: Vendor,
        settings: Settings,
        transport: httpx2.AsyncBaseTransport | None = None,
        operations: Mapping[str, Operation] | None = None,
    ) -> None:
        self.vendor, self.settings = vendor, settings
        self.operations = operations or {}  # every operation, served or not: workflows call status tools
        self.upstream = Upstream(settings, RateLimits(settings, vendor), transport)
        self.credits = CreditBudget(settings.credit_budget, vendor, self.upstream.limits)
        self.inputs = InputsCache(settings.inputs_ttl)
        keeping = Keeping.of(settings)

        def save(body: bytes, suffix: str, folder: Path) -> Path:
            return save_body(body, suffix, folder, keeping)

        self.limits = answer.AnswerLimits(settings.max_response_bytes, settings.output_dir, save)
        self.uploads = Folder.of(settings, vendor.env_prefix)
        # The process's credentials per security requirement, with every form of them to withhold: the
        # environment is fixed once the server starts, so they are worked out once, not on every call.
        self.own: dict[tuple[tuple[str, ...], ...], tuple[credentials.Credentials, tuple[str, ...]]] = {}
        scrub_logs(tuple(settings.env.get(var, "") for scheme in vendor.auth for var in scheme.env))

    def missing_credentials(self) -> str | None:
        """Why the process has no usable vendor credential of its own (one line naming the variables), or None."""
        try:
            credentials.resolve(self.vendor.auth, self.settings.env)
        except MissingCredentials as exc:
            return str(exc)
        return None

    def local(self, op: Operation) -> ToolCall:
        """A call of ``op`` by the process itself: its own credential, the server's answer limits."""
        return ToolCall.of(op, self.limits)

    async def call(self, op: Operation, args: dict[str, Any], call: ToolCall | None = None) -> CallToolResult:
        """Check, build, send, retry and shape one call of ``op`` (or several pages, or a workflow), made as
        ``call`` says (None: by the process itself, ``local``)."""
        call = call or self.local(op)
        if multistep.involved(op):
            return await multistep.run(self._steps(call), op, args)
        try:
            creds, hidden = await self._credentials(op, call)
        except MissingCredentials as exc:
            return results.error(str(exc), hint=exc.hint, details=exc.details)
        # The one place every result of a call, success or failure, loses the vendor credential.
        try:
            result = await self._run(op, dict(args), creds, call)
        except NotSaved as exc:  # a result too large to give whole, and the output folder could not take it
            result = faults.failed(self.vendor, op, exc)
        return results.withheld(result, hidden)

    async def _run(
        self,
        op: Operation,
        args: dict[str, Any],
        creds: credentials.Credentials,
        call: ToolCall,
    ) -> CallToolResult:
        spec_args = [p.arg for p in op.params]  # a spec argument named like one of the server's is the vendor's
        max_pages = args.pop(MAX_PAGES, None) if servers_own(MAX_PAGES, spec_args) else None
        expression = args.pop(SELECT, None) if servers_own(SELECT, spec_args) else None  # checked before sending
        chosen = None
        if expression is not None:
            from ..shaping import narrow  # jmespath loads with the first select, never at start-up

            chosen = narrow.compiled(expression)
        if isinstance(chosen, str):
            return results.error(
                chosen, hint=f"fix the expression, or leave {SELECT} out", details={"argument": SELECT}
            )
        refusal = scope_refusal(op, self.settings.scopes, self.vendor)
        credit = refusal or await self.credits.reserve(op)
        if isinstance(credit, CallToolResult):
            return credit
        limits = call.answer if chosen is None else replace(call.answer, select=chosen)
        if max_pages and op.cursor_arg:
            pages = self._pages(op, creds, call)

            def sized(data: Any, meta: dict[str, Any], note: str) -> CallToolResult:
                return answer.sized(data, meta, limits, note)

            room = Room(limits.room, limits.measure)
            return await pagination.collect(pages, sized, room, op, args, int(max_pages), call.progress)
        outcome = await self._exchange(op, args, creds, call, credit)
        if isinstance(outcome, CallToolResult):
            return outcome
        return answer.shape(self.vendor, op, outcome, limits)

    async def _credentials(self, op: Operation, call: ToolCall) -> tuple[credentials.Credentials, tuple[str, ...]]:
        """The call's account credential when it has one, else the process's, each with every form of it to
        withhold; ``MissingCredentials`` otherwise."""
        bound = await call.account(op) if call.account is not None else None
        if bound is not None:
            creds = credentials.account_credentials(self.vendor.auth, self.settings.env, bound, op.security)
            found = (creds, answer.secrets(creds))
        else:
            found = self.own.get(op.security) or self._own(op.security)
        credentials.carried(op, found[0], self.vendor.auth)
        return found

    def _own(self, security: tuple[tuple[str, ...], ...]) -> tuple[credentials.Credentials, tuple[str, ...]]:
        """The process's credentials for one security requirement, worked out once (``self.own``)."""
        creds = credentials.resolve(self.vendor.auth, self.settings.env, security)
        found = self.own[security] = (creds, answer.secrets(creds))
        return found

    async def _exchange(
        self,
        op: Operation,
        args: dict[str, Any],
        creds: credentials.Credentials,
        call: ToolCall,
        credit: Taken | None = None,
    ) -> Exchange | CallToolResult:
        """Build and send one request (with retries); a tool error if it cannot be built or sent (then the
        ``credit`` reserved for it is given back, unless a request of the call reached the vendor)."""
        try:
            base = creds.base_url if creds.base_url and not op.server_url else self.settings.url_for(op.server_url)
            env = dict(creds.env) if creds.env is not None else self.settings.env
            request = build(op, base, args, env, self.uploads, creds.token)
            credentials.attach(request, creds)
            try:
                return await self.upstream.send(request, may_retry(op), call.record.heard)
            finally:
                request.close()
        except (RuntimeFailure, OSError) as exc:
            if isinstance(exc, RuntimeFailure) and not exc.reached_vendor():
                await self.credits.release(credit)
            return faults.failed(self.vendor, op, exc)

    def _pages(self, op: Operation, creds: credentials.Credentials, call: ToolCall) -> PageCall:
        """The page reader pagination is given: one exchange, as a page or as the call's final result."""

        async def read(args: dict[str, Any]) -> Page | CallToolResult:
            outcome = await self._exchange(op, args, creds, call)
            if isinstance(outcome, CallToolResult):
                return outcome
            data = page_of(outcome)
            if data is None:
                return answer.shape(self.vendor, op, outcome, call.answer)
            return data, rate_meta(outcome.response.headers)

        return read

    def _steps(self, call: ToolCall) -> multistep.Steps:
        """What a workflow may use: its steps are calls made as ``call`` is (the same caller, record, limits)."""

        async def step(op: Operation, args: dict[str, Any]) -> CallToolResult:
            return await self.call(op, args, call)

        fetch = self.upstream.download
        return multistep.Steps(step, fetch, self.operations, self.inputs, self.settings, self.vendor, call.progress)

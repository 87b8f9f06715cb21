"""Every tool call goes through ``Dispatcher.call``: policy first, then a flow or one upstream call, then shaping."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx2
from mcp.types import CallToolResult

from ..contract import MAX_PAGES, Operation, Vendor
from ..flows import pagination, workflows
from ..flows.calls import Page, PageCall
from ..flows.flow_inputs import InputsCache
from ..flows.progress import Progress
from ..settings import Settings
from ..shaping import answer, faults, results
from ..shaping.faults import rate_meta
from ..shaping.pages import page_of
from ..upstream.client import Upstream
from ..upstream.exchange import Exchange, GaveUp, TooLarge
from ..upstream.limits import Limits, Refused, Taken
from ..upstream.retry import may_retry
from ..wire import auth
from ..wire.request import BadArgument, build
from ..wire.uploads import UploadError
from .policy import CreditBudget, scope_refusal
from .trace import TRACE


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
        self.upstream = Upstream(settings, Limits(settings, vendor), transport)
        self.credits = CreditBudget(settings.credit_budget, vendor, self.upstream.limits)
        self.inputs = InputsCache(settings.inputs_ttl)
        self.limits = answer.Limits(settings.max_response_bytes, settings.output_dir)
        self.accounts: auth.AccountSource | None = None  # set when accounts are served: each caller's credential
        results.scrub_logs(tuple(settings.env.get(var, "") for scheme in vendor.auth for var in scheme.env))

    async def call(self, op: Operation, args: dict[str, Any], progress: Progress | None = None) -> CallToolResult:
        """Check, build, send, retry and shape one call (or several pages, or a workflow).

        ``progress`` hears how a followed job or a run of pages goes (the tool call's progress token).
        """
        if workflows.involved(op):
            return await workflows.run(self._steps(progress), op, args)
        args = dict(args)
        max_pages = args.pop(MAX_PAGES, None)
        try:
            creds = await self._credentials(op)
        except auth.MissingCredentials as exc:
            return results.error(str(exc), hint=exc.hint, details=exc.details)
        refusal = scope_refusal(op, self.settings.scopes, self.vendor)
        credit = refusal or await self.credits.reserve(op)
        if isinstance(credit, CallToolResult):
            return credit
        if max_pages and op.cursor_arg:
            return await pagination.collect(self._pages(op, creds), self._sized, op, args, int(max_pages), progress)
        outcome = await self._exchange(op, args, creds, credit)
        if isinstance(outcome, CallToolResult):
            return outcome
        return answer.shape(self.vendor, op, outcome, answer.secrets(creds), self.limits)

    async def _credentials(self, op: Operation) -> auth.Credentials:
        """The caller's account credential when it has one, else the process's; ``MissingCredentials`` otherwise."""
        bound = await self.accounts(op) if self.accounts is not None else None
        if bound is None:
            return auth.resolve(self.vendor.auth, self.settings.env)
        return auth.account_credentials(self.vendor.auth, self.settings.env, bound)

    async def _exchange(
        self, op: Operation, args: dict[str, Any], creds: auth.Credentials, credit: Taken | None = None
    ) -> Exchange | CallToolResult:
        """Build and send one request (with retries); a tool error if it cannot be built or sent (then the
        ``credit`` reserved for it is given back)."""
        try:
            base = creds.base_url if creds.base_url and not op.server_url else self.settings.url_for(op.server_url)
            env = dict(creds.env) if creds.env is not None else self.settings.env
            request = build(op, base, args, env, self.settings.upload_root)
        except (BadArgument, UploadError) as exc:
            await self.credits.release(credit)
            return results.error(str(exc), hint="fix that argument and call again")
        request.headers.update(creds.headers)
        request.params.extend(creds.params.items())
        try:
            exchange = await self.upstream.send(request, may_retry(op))
        except Refused as exc:
            if not exc.tries:  # nothing left: the credit call was not spent
                await self.credits.release(credit)
            earlier = (
                f"; {exc.tries} earlier request(s) of this call were answered 429/503 or lost" if exc.tries else ""
            )
            return results.error(f"{exc}{earlier}", hint=exc.hint)
        except GaveUp as exc:
            return faults.unreachable(self.vendor, op, request.url, exc.cause, answer.secrets(creds), exc.retries)
        except TooLarge:
            return faults.too_large(self.vendor, op, self.settings.max_download_bytes)
        except OSError as exc:
            return results.error(f"cannot send {op.method} {op.path}: {exc}", hint="check the file arguments")
        finally:
            request.close()
        trace = TRACE.get()
        if trace is not None:
            trace.saw(exchange.response)
        return exchange

    def _pages(self, op: Operation, creds: auth.Credentials) -> PageCall:
        """The page reader pagination is given: one exchange, as a page or as the call's final result."""

        async def read(args: dict[str, Any]) -> Page | CallToolResult:
            outcome = await self._exchange(op, args, creds)
            if isinstance(outcome, CallToolResult):
                return outcome
            data = page_of(outcome)
            if data is None:
                return answer.shape(self.vendor, op, outcome, answer.secrets(creds), self.limits)
            return data, rate_meta(outcome.response.headers)

        return read

    def _sized(self, data: Any, meta: dict[str, Any], note: str) -> CallToolResult:
        return answer.sized(data, meta, self.limits, note)

    def _steps(self, progress: Progress | None) -> workflows.Steps:
        fetch = self.upstream.download
        return workflows.Steps(self.call, fetch, self.operations, self.inputs, self.settings, self.vendor, progress)

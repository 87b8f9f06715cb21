"""Every failure the runtime raises, in one tree: each says what failed, where, and what to do next.

A failure's ``str`` is its message, one line and safe to show; ``where`` says where it happened (``METHOD /path``,
a URL, an argument, a setting, a folder), ``hint`` what to do about it, ``details`` any facts a tool error adds as
structured fields. A tool call's failure becomes its tool error in one place (``shaping.faults.failed``); the
command line and the HTTP stack print or answer the message. Standard library only: every layer may import it.

    RuntimeFailure
    ├── ArgumentFailure ········· an argument that cannot be sent as given (fix it and call again)
    │   ├── BadArgument           wire.request: a value the parameter's style cannot carry
    │   ├── UploadError           wire.uploads: a file argument (also a ValueError)
    │   └── SkillError            wire.skills: a skill folder or archive (also a ValueError)
    ├── SettingError ············ settings: a setting's text that does not parse (also a ValueError)
    ├── MissingCredentials ······ wire.credentials: no usable credential (which variables, or how to connect)
    ├── UpstreamFailure ········· upstream: a request that gave no answer to shape
    │   ├── Refused               no request was sent: quota spent, no send slot, counters unreachable
    │   ├── LimitsDown            the shared counters cannot be reached (``RateLimits`` turns it into ``Refused``)
    │   ├── GaveUp                no answer came (timeouts, refused or reset connections), after retries
    │   ├── ResponseTooLarge      an answer over the download limit (or the output folder's cap); nothing kept
    │   ├── TooCompressed         a compressed answer that unpacks past the ratio of a bomb; nothing kept
    │   ├── TooSlow               an answer not whole within the answer deadline; nothing kept
    │   ├── NotSaved              an answer too large for memory that could not be written to disk
    │   └── LinkFailed            a download link answered an HTTP error status
    ├── TeamFailure ············· team: the store, its key, management, vendor and issuer OAuth
    │   ├── StoreDown             the store cannot be reached or refused a query
    │   ├── StoreKeyError         no store key, a malformed one, or a value no key held opens
    │   ├── ManagementError       a connections/accounts request that cannot be done
    │   │   ├── AccountError      an account request (unknown name, duplicate, bad credential)
    │   │   └── BadInput          a request naming nothing known, or that does not parse (exit 2, HTTP 400)
    │   ├── OAuthRefused          the vendor refused a token call (``final``: reconnect; else try again)
    │   └── IssuerDown            the OAuth issuer's metadata or keys could not be fetched in time
    └── ServeFailure ············ serve: starting and answering over HTTP
        ├── StartError            a reason not to start serving
        └── BodyTooLarge          a request body past the limit
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar


class RuntimeFailure(Exception):
    """What failed (the message: ``str(failure)``), where, what to do next (``hint``), and optional details."""

    default_hint: ClassVar[str] = ""

    def __init__(
        self, message: str, *, where: str = "", hint: str = "", details: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.message, self.where = message, where
        self.hint = hint or self.default_hint
        self.details: dict[str, Any] = dict(details or {})

    def reached_vendor(self) -> bool:
        """Whether a request of the failed call reached the vendor (a credit reserved for the call is then spent)."""
        return False


class ArgumentFailure(RuntimeFailure):
    """An argument that cannot be sent as given; the message names it and says why."""

    default_hint = "fix that argument and call again"


class BadArgument(ArgumentFailure):
    """An argument that cannot be sent as given; the message names it."""


class UploadError(ArgumentFailure, ValueError):
    """A file argument that cannot be sent as given; the message names it and says why."""


class SkillError(ArgumentFailure, ValueError):
    """What is wrong with a skill, and what to add."""


class SettingError(RuntimeFailure, ValueError):
    """A setting's text that does not parse; the message says what was expected (the caller names the variable)."""


class MissingCredentials(RuntimeFailure):
    """No scheme can be used; the message names the variables to set (or, for accounts, how to connect one)."""

    default_hint = "set the variable(s) in the server's environment and restart it"


class UpstreamFailure(RuntimeFailure):
    """A request to the vendor that gave no answer to shape: refused before sending, lost, too large, too slow."""

    def reached_vendor(self) -> bool:
        """Upstream failures but ``Refused`` happen once a request was sent."""
        return True


class Refused(UpstreamFailure):
    """No request was sent: the day's quota is spent, no send slot came in time, or the counters are unreachable."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message, hint=hint)
        self.tries = 0  # requests of the same call sent before this refusal (answered 429/503, or lost)

    def reached_vendor(self) -> bool:
        """Only when earlier requests of the same call were sent before the refusal."""
        return self.tries > 0


class LimitsDown(UpstreamFailure):
    """The shared counters cannot be reached; the message is one line, safe to show."""

    def reached_vendor(self) -> bool:
        """Nothing was sent: the counters are asked first."""
        return False


class GaveUp(UpstreamFailure):
    """No answer came: the last transport error, and how many retries were made before it."""

    def __init__(self, cause: Exception, retries: int, url: str = "") -> None:
        super().__init__(str(cause), where=url.split("?", maxsplit=1)[0])
        self.cause, self.retries = cause, retries


class ResponseTooLarge(UpstreamFailure):
    """An answer went over the limit of ``limit`` bytes (the setting ``variable``, after the vendor's prefix); its
    partial file is already deleted."""

    def __init__(self, limit: int, variable: str = "MAX_DOWNLOAD_BYTES") -> None:
        super().__init__(f"the answer is over {limit:,} bytes, the download limit")
        self.limit, self.variable = limit, variable


class TooCompressed(UpstreamFailure):
    """A compressed answer unpacked to more than ``ratio`` times the bytes received (a compression bomb); its
    partial file is already deleted."""

    def __init__(self, received: int, unpacked: int, ratio: int) -> None:
        super().__init__(
            f"the answer unpacked to over {unpacked:,} bytes from {received:,} received, more than {ratio} times "
            "its compressed size (a compression bomb)"
        )


class TooSlow(UpstreamFailure):
    """An answer did not arrive whole within the answer deadline (an endless or trickling body); nothing kept."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the answer took longer than {seconds:g} s")
        self.seconds = seconds


class NotSaved(UpstreamFailure):
    """An answer too large to hold in memory could not be written under the output folder (``where``)."""

    def __init__(self, cause: OSError, folder: str = "") -> None:
        super().__init__(cause.strerror or str(cause), where=folder)
        self.cause = cause


class LinkFailed(UpstreamFailure):
    """A download link answered with an HTTP error status."""

    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status


class TeamFailure(RuntimeFailure):
    """A failure of a served team's parts: the store, its key, management requests, OAuth with vendor or issuer."""


class StoreDown(TeamFailure):
    """The store cannot be reached or refused a query; the message is one line, safe to show."""


class StoreKeyError(TeamFailure):
    """No store key, a malformed one, or a value no key we hold opens; the message is one line."""


class ManagementError(TeamFailure):
    """A management request that cannot be done (unknown name, duplicate, bad value); the message says why."""


class AccountError(ManagementError):
    """An account request that cannot be done (unknown name, duplicate, bad credential); the message says why."""


class BadInput(ManagementError):
    """A request that names nothing known or does not parse: exit 2 (400 from the admin API), the message says
    which."""


class OAuthRefused(TeamFailure):
    """The vendor refused a token call, or answered something that is not a token; one line, no secrets."""

    def __init__(self, reason: str, final: bool = True) -> None:
        super().__init__(reason)
        self.final = final  # the grant is dead (reconnect); False: the vendor could not be reached, try again


class IssuerDown(TeamFailure):
    """The issuer's metadata or keys could not be fetched in time; the message says which."""


class ServeFailure(RuntimeFailure):
    """A failure of serving itself: a reason not to start, or a request the HTTP stack will not read."""


class StartError(ServeFailure):
    """A reason not to start serving; the message says how to fix it."""


class BodyTooLarge(ServeFailure):
    """A request body past the limit."""

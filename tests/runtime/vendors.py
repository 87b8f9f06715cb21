"""Vendors for the accounts tests, as their configs describe them: Gong's two credentials and OAuth (token
parameters in the query, a per-customer API host in the answer), Gumloop's key with the user id beside it."""

from __future__ import annotations

from generator.runtime.contract import AuthSpec, Operation, ParamSpec, Vendor, VendorOAuth

GONG = Vendor(
    "gong", "Gong", "GONG", "https://api.gong.io",
    (AuthSpec("basic", ("GONG_ACCESS_KEY", "GONG_ACCESS_KEY_SECRET")), AuthSpec("bearer", ("GONG_ACCESS_TOKEN",))),
    "1", "0" * 64,
    oauth=VendorOAuth(
        authorize_url="https://app.gong.io/oauth2/authorize",
        token_url="https://app.gong.io/oauth2/generate-customer-token",
        token_params="query", base_url_field="api_base_url_for_customer",
        identity_field="api_base_url_for_customer",
    ),
)  # fmt: skip
USERS = Operation("list_users", "GET", "/v2/users", tag="Users", scopes=("api:users:read",), read_only=True)
TRANSCRIPT = Operation(
    "get_transcripts", "POST", "/v2/calls/transcript", params=(ParamSpec("filter", "filter", "body"),), body="json",
    tag="Calls", scopes=("api:calls:read:transcript",), read_only=True,
)  # fmt: skip

GUMLOOP = Vendor(
    "gumloop", "Gumloop", "GUMLOOP", "https://api.gumloop.com/api/v1",
    (AuthSpec("bearer", ("GUMLOOP_API_KEY",)), AuthSpec("header", ("GUMLOOP_USER_ID",), "x-auth-key", optional=True)),
    "1", "0" * 64, oauth=VendorOAuth(scopes=("gumloop", "userinfo")),
)  # fmt: skip
SAVED_ITEMS = Operation(
    "list_saved_items", "GET", "/list_saved_items",
    params=(
        ParamSpec("user_id", "user_id", "query", default_env="GUMLOOP_USER_ID"),
        ParamSpec("team_id", "team_id", "query", default_env="GUMLOOP_TEAM_ID"),
    ),
    read_only=True,
)  # fmt: skip

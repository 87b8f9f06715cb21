"""Facts about the Gong API that the runtime needs, from the spec and the vendor config."""

from ..runtime.contract import AuthSpec, Vendor, VendorOAuth

SPEC_FILE = "gong.json"
SPEC_SHA256 = "bdc807819596349e3ec79e2f590f8c49325a0c29556fcfbdb7d473852abd5382"
SPEC_URL = "https://gong.app.gong.io/ajax/settings/api/documentation/specs?version="
MCPGEN_VERSION = "0.1.0"  # the mcpgen that wrote this package

VENDOR = Vendor(
    name="gong",
    title="Gong",
    env_prefix="GONG",
    base_url="https://api.gong.io",
    auth=(
        AuthSpec(
            "basic",
            (
                "GONG_ACCESS_KEY",
                "GONG_ACCESS_KEY_SECRET",
            ),
            header=None,
            optional=False,
        ),
        AuthSpec("bearer", ("GONG_ACCESS_TOKEN",), header=None, optional=False),
    ),
    version="V2",
    spec_sha256=SPEC_SHA256,
    max_rps=3.0,
    daily_quota=10000,
    toolset="full",
    oauth=VendorOAuth(
        authorize_url="https://app.gong.io/oauth2/authorize",
        token_url="https://app.gong.io/oauth2/generate-customer-token",
        revoke_url="",
        scopes=(),
        client_id="",
        pkce=True,
        token_params="query",
        base_url_field="api_base_url_for_customer",
        identity_field="api_base_url_for_customer",
    ),
    mcpgen=MCPGEN_VERSION,
)

"""Facts about the Gumloop API that the runtime needs, from the spec and the vendor config."""

from ..runtime.contract import AuthSpec, Vendor, VendorOAuth

SPEC_FILE = "gumloop.yaml"
SPEC_SHA256 = "ba8576c7ef2c9d14666ef320ca057f717467a5a76dd29502ed9f53877bd17880"
SPEC_URL = "https://raw.githubusercontent.com/api-evangelist/gumloop/172e5f6b44d8bf3625829645ca6b80ba4c6b9db8/openapi/_original/gumloop-openapi-original.yml"
MCPGEN_VERSION = "0.1.0"  # the mcpgen that wrote this package

VENDOR = Vendor(
    name="gumloop",
    title="Gumloop",
    env_prefix="GUMLOOP",
    base_url="https://api.gumloop.com/api/v1",
    auth=(
        AuthSpec("bearer", ("GUMLOOP_API_KEY",), header=None, optional=False),
        AuthSpec("header", ("GUMLOOP_USER_ID",), header="x-auth-key", optional=True),
    ),
    version="1.0.0",
    spec_sha256=SPEC_SHA256,
    max_rps=0.0,
    daily_quota=0,
    toolset="full",
    oauth=VendorOAuth(
        authorize_url="",
        token_url="",
        revoke_url="",
        scopes=(
            "gumloop",
            "userinfo",
        ),
        client_id="",
        pkce=True,
        token_params="form",
        base_url_field="",
        identity_field="",
    ),
    mcpgen=MCPGEN_VERSION,
)

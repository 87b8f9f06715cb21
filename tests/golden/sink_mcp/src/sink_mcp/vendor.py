"""Facts about the Kitchen Sink API that the runtime needs, from the spec and the vendor config."""

from .runtime.contract import AuthSpec, Vendor

SPEC_FILE = "kitchen_sink.json"
SPEC_SHA256 = "a60d4cd524d965cf990f7b13e2a890c97bd749bf3445c3377e7ad20ac4a3e049"
SPEC_URL = None
MCPGEN_VERSION = "0.1.0"  # the mcpgen that wrote this package

VENDOR = Vendor(
    name="sink",
    title="Kitchen Sink",
    env_prefix="SINK",
    base_url="https://sink.example.com",
    auth=(AuthSpec("bearer", ("SINK_API_KEY",), header=None, optional=True),),
    version="0.1",
    spec_sha256=SPEC_SHA256,
    max_rps=0.0,
    daily_quota=0,
    toolset="full",
    mcpgen=MCPGEN_VERSION,
)

"""Layer 5, dispatch: policy (credentials, scopes, credit budget), then a flow or one upstream call, then shaping."""

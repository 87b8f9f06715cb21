"""Runtime shared by every server mcpgen generates, copied verbatim into each package; no vendor knowledge.

Layers, each importing only those before it (``lint-imports`` checks this):
``contract`` (data, names, the settings table) → ``settings`` → ``wire`` (auth, request building, uploads)
→ ``upstream`` (pace, send, retry, receive) → ``shaping`` (results, faults, events) → ``flows`` (pagination,
jobs, flow inputs, downloads) → ``dispatch`` (credentials, scopes, credit budget) → ``serve`` (the MCP server).
"""

"""Runtime shared by every server mcpgen generates: settings, upstream calls, results, the MCP server.

This folder is copied verbatim into each generated package; it holds no vendor knowledge.
"""

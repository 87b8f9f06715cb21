"""Layer 6, serve: the MCP server, its tools and toolsets, the HTTP transport and the command line."""

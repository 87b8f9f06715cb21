"""mcpgen: turn a vendor's OpenAPI spec into a standalone, typed MCP server package.

The pipeline is visible in the module names: ``load`` → ``normalize`` → ``parse`` (with ``refs`` and
``schemas``) → ``ir`` → ``render`` → ``write``; ``pipeline`` runs the stages and ``cli`` decides exit codes.
"""

__version__ = "0.1.0"

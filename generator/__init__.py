"""mcpgen: turn a vendor's OpenAPI spec into a standalone, typed MCP server package.

The stages are packages, each importing only the ones before it: ``spec`` (bytes → a checked document) →
``model`` (the IR: facts) → ``emit`` (files) → ``pipeline`` (runs the three) → ``surface`` (locks, diffs,
drift) → ``cli``. ``errors`` is shared by all of them; ``runtime`` is the code every generated package ships,
and its ``contract`` module is the one definition both sides import.
"""

# The one place the version is written: the wheel (setuptools reads it), `mcpgen --version` and `mcpgen init`.
__version__ = "0.1.0"

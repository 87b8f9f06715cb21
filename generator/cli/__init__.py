"""The ``mcpgen`` command: ``main`` (generate, exit codes) and ``surface`` (check, lock, diff, pull)."""

"""The surface stage: what a tool list promises, kept over time.

Locks (``lock``), breaking-change diffs (``diff`` and ``diff_render``), staleness of locks and generated
packages (``drift``), and fetching upstream specs (``pull``).
"""

"""Jinja templates shipped inside the mcpgen wheel (package data, not code)."""

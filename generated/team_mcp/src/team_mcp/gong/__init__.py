"""The Gong API's tools, operations and models."""

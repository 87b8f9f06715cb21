"""The Gumloop API's tools, operations and models."""

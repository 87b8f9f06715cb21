"""The one HTTP stack of a generated server: ASGI primitives, one verifier per way in, one assembly."""

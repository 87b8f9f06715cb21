"""Layer 3, shaping: pure functions from an upstream exchange to the tool result an agent reads."""

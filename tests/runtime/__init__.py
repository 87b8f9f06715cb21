"""Unit tests of the runtime, one module per layer: fast, in-process, no generated package needed."""

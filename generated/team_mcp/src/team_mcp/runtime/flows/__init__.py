"""Layer 4, flows: calls of more than one request (pages, jobs, flow inputs, linked files), given a call function."""

"""Layer 2, upstream: pace, send, retry (429/503, lost answers) and receive one request; files stream to disk."""

"""Layer 1, the wire: credentials, tool arguments → one HTTP request, file uploads and skill packages."""

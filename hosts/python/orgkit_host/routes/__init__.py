"""The HTTP routes, one module per area; each exposes ``routes(host)``."""

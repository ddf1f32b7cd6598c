"""The ASGI composition root: the one place that imports upward to mount the GraphQL schema."""

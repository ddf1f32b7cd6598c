"""The GraphQL API: a strawberry schema split by domain, with permissions and security limits."""

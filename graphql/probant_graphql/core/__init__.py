"""Fields that belong to no domain: the API's version and the Relay node entry point."""

"""Models of services.uploads."""

"""Models of services.catalog."""

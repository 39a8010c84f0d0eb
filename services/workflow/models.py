"""Models of services.workflow."""

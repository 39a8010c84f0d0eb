"""Models of services.activity."""

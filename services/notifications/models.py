"""Models of services.notifications."""

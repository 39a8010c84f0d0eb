"""Models of services.receipts."""

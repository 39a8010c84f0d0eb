"""Portal pages of services.receipts."""

urlpatterns: list = []

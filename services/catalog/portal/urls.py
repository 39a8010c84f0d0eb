"""Portal pages of services.catalog."""

urlpatterns: list = []

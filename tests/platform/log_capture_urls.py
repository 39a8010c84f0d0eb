"""The project's URLs plus one view that fails, for the log-capture test's 500 path."""

from django.urls import path

from balikpapan_untuk_warga.urls import handler404, handler500  # noqa: F401
from balikpapan_untuk_warga.urls import urlpatterns as project


def boom(request):
    """A careless bug: the exception quotes the person's data."""
    raise ValueError(
        "could not process NIK 6471051508900001 for budi.santoso@example.test, "
        "phone 0812-9876-5432 (session token abcSESSIONtoken1234567890)"
    )


urlpatterns = [path("test-log-capture/boom/", boom), *project]

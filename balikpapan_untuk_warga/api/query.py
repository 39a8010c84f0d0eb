"""Query parameters validated by a serializer, the same way in every module."""

from __future__ import annotations


def query_validated(request, serializer_class, **kwargs) -> dict:
    """``request``'s query parameters validated by ``serializer_class`` (a 400 in the shared error
    shape when invalid). Read from a plain dict, not the QueryDict: DRF takes an empty form value
    of an optional field as absent, so ``?state=`` would silently mean "no filter" and answer
    everything; a parameter that is present must be valid."""
    serializer = serializer_class(data=request.query_params.dict(), **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data

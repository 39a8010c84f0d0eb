"""What the platform's conformance kit needs: one request created through our own services."""


def conformance_object(*, owner) -> str:
    from civil_registry.services import request_create

    request = request_create(actor=owner, request_type="akta_kelahiran", subject_data={})
    return f"/api/v1/pencatatan-sipil/requests/{request.uuid}/"

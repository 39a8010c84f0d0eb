"""Error codes raised by the catalog services (rendered in the shared error shape).

==========================  ====  ==================================================================
code                        HTTP  meaning
==========================  ====  ==================================================================
``catalog_not_allowed``     403   the actor may not maintain this agency's services (only its
                                  agency admins and superusers may), or move a service to such an
                                  agency
``service_invalid``         400   the service breaks a rule of the model (unknown online module,
                                  no channel, malformed code, …); ``detail`` lists the fields
==========================  ====  ==================================================================

The public API only reads; these come from the admin and from code that maintains the catalog.
"""

from balikpapan_untuk_warga.api.errors import ApplicationError


class CatalogNotAllowed(ApplicationError):
    status_code = 403
    default_code = "catalog_not_allowed"


class ServiceInvalid(ApplicationError):
    default_code = "service_invalid"

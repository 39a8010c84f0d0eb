"""Error codes of services.notifications (the ``code`` of the shared error shape).

* ``in_app_required`` (400) — the preferences tried to turn the in-app inbox off;
* ``digest_email_only`` (400) — only email can be gathered in a daily digest;
* ``delivery_not_failed`` (409) — only a failed delivery can be sent again.
"""

from django.utils.translation import gettext_lazy as _

from balikpapan_untuk_warga.api.errors import ConflictError


class DeliveryNotFailed(ConflictError):
    default_detail = _("Only a failed delivery can be sent again.")
    default_code = "delivery_not_failed"

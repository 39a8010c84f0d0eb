"""Receivers: complaints filed without an account reach the citizen who verifies their phone.

Accounts marks a phone verified by saving the user with ``phone_verified`` among the saved fields
(``accounts.adapter.AccountAdapter.set_phone``/``set_phone_verified``, called by allauth's
verification flows), or by creating a user whose phone is already verified. Django's ``post_save``
carries ``update_fields``, so this listens to that signal; accounts knows nothing of complaints.
"""

from __future__ import annotations

from django.db import transaction


def user_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    if not (instance.phone and instance.phone_verified and instance.is_active):
        return
    if not created and (update_fields is None or "phone_verified" not in update_fields):
        return
    from complaints.services import complaints_link_phone

    user_id = instance.pk
    transaction.on_commit(lambda: complaints_link_phone(user_id=user_id), robust=True)


# The reporter's consent to public photos, changed through accounts' consent endpoints
# (registered in ComplaintsConfig.ready; accounts knows nothing of complaints).


def consent_photo_resolve(user, tracking_number: str):
    from accounts.consent import ConsentObjectNotFound
    from complaints.models import Complaint

    complaint = Complaint.objects.filter(reporter=user, tracking_number=tracking_number).first()
    if complaint is None:
        raise ConsentObjectNotFound()
    return complaint


def consent_photo_apply(user, granted: bool, complaint) -> None:
    from complaints.services import complaint_public_photos_set

    complaint_public_photos_set(actor=user, complaint=complaint, allowed=granted)

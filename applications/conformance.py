"""What the platform's conformance kit needs: one application created through our own services
(with a published form of the demo data, or a throw-away one inside the kit's transaction)."""


def conformance_object(*, owner) -> str:
    from applications import selectors, services
    from applications.models import MODULE_SLUG

    form = selectors.form_list_published().first()
    if form is None:
        form = _throwaway_form()
    application = services.application_create(actor=owner, form=form, answers={})
    return f"/api/v1/{MODULE_SLUG}/applications/{application.uuid}/"


def _throwaway_form():
    from applications import services
    from services.catalog.models import Category, Service
    from services.models import Agency

    agency, _ = Agency.objects.get_or_create(
        code="conformance-opd",
        defaults={"name": "Conformance", "short_name": "Conformance", "kind": "dinas"},
    )
    category, _ = Category.objects.get_or_create(
        slug="conformance", defaults={"name_id": "Uji", "name_en": "Test"}
    )
    service = Service.objects.create(
        code="conformance_application",
        slug="conformance-application",
        agency=agency,
        category=category,
        name_id="Permohonan uji",
        name_en="Test application",
        description_id="-",
        description_en="-",
        module_slug="permohonan",
    )
    form = services.form_create(actor=None, service=service)
    services.form_set_definition(
        actor=None,
        form=form,
        requirements=[],
        fields=[{"key": "note", "field_type": "text", "label_id": "Catatan", "label_en": "Note"}],
    )
    services.form_publish(actor=None, form=form)
    form.refresh_from_db()
    return form

"""The demo forms are data: five MPP services offered online after ``seed_demo``, idempotently."""

import io

import jsonschema
import pytest
from django.core.management import call_command

from applications import definition
from applications.models import FormVersion
from applications.seeding import load_data, seed_demo_forms
from applications.selectors import form_list_published

pytestmark = pytest.mark.django_db

EXPECTED = {
    "surat_keterangan_usaha": ("kec-balikpapan-selatan", "decision_letter"),
    "izin_reklame": ("dpmptsp", "officer_document"),
    "izin_penelitian": ("dpmptsp", "decision_letter"),
    "sertifikat_laik_higiene": ("dkk", "officer_document"),
    "keterangan_rencana_kota": ("dpu", "decision_letter"),
}


def test_seed_demo_offers_five_mpp_services_online_from_the_data_file():
    call_command("seed_demo", stdout=io.StringIO())
    forms = {f.service.code: f for f in form_list_published()}
    assert set(forms) >= set(EXPECTED)
    for code, (agency, output) in EXPECTED.items():
        form = forms[code]
        assert (form.agency.code, form.service.module_slug) == (agency, "permohonan")
        spec = form.current_version.spec
        assert spec["output"]["kind"] == output
        assert definition.spec_problems(spec) == []
        jsonschema.Draft202012Validator.check_schema(definition.json_schema(spec))
    types = {f["type"] for row in forms.values() for f in row.current_version.spec["fields"]}
    assert types == {t for t in definition.WIDGETS}  # every field type is used by some form
    versions = FormVersion.objects.count()
    assert seed_demo_forms() == list(EXPECTED)  # again: nothing changed, nothing re-published
    assert FormVersion.objects.count() == versions
    assert [row["service"] for row in load_data()["forms"]] == list(EXPECTED)

"""Each request type's subject data: a good example, and each kind of bad input (400, nothing
written), through the API's create (shape) and submit (completeness)."""

import pytest

from civil_registry.models import CivilRequest
from civil_registry.types import REQUEST_TYPES
from tests.civil_registry.conftest import BASE, BIRTH, KK, NIK_OTHER, api

pytestmark = pytest.mark.django_db

GOOD = {
    "kk": {"change_kind": "add_member", "kk_number": KK, "member_name": "Aisyah"},
    "akta_kelahiran": BIRTH,
    "akta_kematian": {
        "deceased_nik": NIK_OTHER,
        "deceased_name": "Suparman",
        "date_of_death": "2026-11-01",
        "place_of_death": "RSUD Beriman",
        "cause_category": "illness",
    },
    "kia": {
        "child_nik": "6471055501150003",
        "child_name": "Rani",
        "child_birth_date": "2015-01-15",
    },
    "pindah_keluar": {
        "destination_region": "Kabupaten Penajam Paser Utara",
        "destination_address": "Jl. Sepaku No. 1, IKN",
        "reason": "Pekerjaan",
        "members": [{"full_name": "Siti Rahmawati", "relationship": "kepala_keluarga"}],
    },
    "pindah_datang": {
        "origin_region": "Kota Surabaya",
        "skpwni_number": "SKPWNI/3578/2026/0001",
        "destination_address": "Jl. MT Haryono No. 5, Damai",
        "is_ikn_newcomer": True,
        "members": [{"full_name": "Siti Rahmawati", "relationship": "kepala_keluarga"}],
    },
    "ktp_el_cetak_ulang": {"reason": "damaged", "description": "Chip rusak"},
}

# (type, field, bad value, expected error code)
BAD = [
    ("kk", "change_kind", "merge", "invalid_choice"),
    ("kk", "kk_number", "6471053002150004", "kk_date"),  # 30 Feb does not exist
    ("kk", "kk_number", "6471054003150004", "kk_date"),  # no +40 rule in a KK
    ("kk", "kk_number", "6471052003150000", "kk_serial"),
    ("kk", "kk_number", "647105200315000", "min_length"),
    ("akta_kelahiran", "child_sex", "X", "invalid_choice"),
    ("akta_kelahiran", "birth_date", "2999-01-01", "future"),
    ("akta_kelahiran", "birth_date", "02-10-2026", "invalid"),
    ("akta_kelahiran", "birth_attendant", "dukun", "invalid_choice"),
    ("akta_kelahiran", "child_name", "x" * 151, "max_length"),
    ("akta_kematian", "deceased_nik", "6471053208900001", "nik_birth_date"),  # day 32
    ("akta_kematian", "deceased_nik", "6471051513900001", "nik_birth_date"),  # month 13
    ("akta_kematian", "deceased_nik", "6471051508900000", "nik_serial"),
    ("akta_kematian", "deceased_nik", "6471A51508900001", "nik_format"),
    ("akta_kematian", "deceased_nik", "0071051508900001", "nik_province"),
    ("akta_kematian", "cause_category", "unknown", "invalid_choice"),
    ("kia", "child_birth_date", "2000-01-01", "too_old_for_kia"),
    ("pindah_keluar", "members", [], "min_length"),
    ("pindah_datang", "is_ikn_newcomer", "maybe", "invalid"),
    ("ktp_el_cetak_ulang", "reason", "stolen", "invalid_choice"),
]


@pytest.mark.parametrize("code", sorted(GOOD))
def test_good_subject_data_makes_a_draft(citizen, code):
    response = api(citizen).post(
        BASE, {"request_type": code, "subject_data": GOOD[code]}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "draft"
    assert body["request_type"] == code
    assert body["tracking_number"].startswith("DUK-")
    spec = REQUEST_TYPES[code]
    if spec.nik_field:
        nik = GOOD[code][spec.nik_field]
        assert body["subject_nik"] == nik[:4] + "********" + nik[-4:]
        assert spec.nik_field not in body["subject_data"]  # kept sealed, not in the JSON
        stored = CivilRequest.objects.get(uuid=body["uuid"])
        assert nik not in str(stored.subject_data) and nik not in stored.subject_nik_sealed


@pytest.mark.parametrize(("code", "field", "value", "error"), BAD)
def test_each_kind_of_bad_input_is_a_400_and_writes_nothing(citizen, code, field, value, error):
    data = {**GOOD[code], field: value}
    response = api(citizen).post(BASE, {"request_type": code, "subject_data": data}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert response.json()["type"] == "validation_error"
    assert any(
        e["attr"].startswith(f"subject_data.{field}") and e["code"] == error for e in errors
    ), errors
    assert CivilRequest.objects.count() == 0


def test_an_unknown_type_and_junk_subject_data_are_400(citizen):
    client = api(citizen)
    assert (
        client.post(BASE, {"request_type": "paspor"}, format="json").json()["errors"][0]["code"]
        == "invalid_choice"
    )
    response = client.post(
        BASE, {"request_type": "kk", "subject_data": "not an object"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "subject_data"
    assert CivilRequest.objects.count() == 0


def test_cross_field_rules_apply_on_submission(citizen):
    """A KK change without the KK number is a valid draft but cannot be submitted."""
    client = api(citizen)
    uuid = client.post(
        BASE, {"request_type": "kk", "subject_data": {"change_kind": "change_data"}}, format="json"
    ).json()["uuid"]
    response = client.post(f"{BASE}{uuid}/submit/")
    assert response.status_code == 400
    attrs = {(e["attr"], e["code"]) for e in response.json()["errors"]}
    assert attrs == {
        ("subject_data.kk_number", "required"),
        ("documents.kk", "missing_document"),
        ("documents.ktp", "missing_document"),
    }
    assert CivilRequest.objects.get(uuid=uuid).state == "draft"


def test_conditional_documents():
    spec = REQUEST_TYPES["ktp_el_cetak_ulang"]
    assert [r.code for r in spec.missing_documents(data={"reason": "lost"}, present={"kk"})] == [
        "police_report"
    ]
    assert (
        spec.missing_documents(data={"reason": "changed_data"}, present={"kk", "change_document"})
        == []
    )
    birth = REQUEST_TYPES["akta_kelahiran"]
    # the statement of responsibility stands in for the marriage certificate
    assert (
        birth.missing_documents(
            data={}, present={"birth_letter", "parents_kk", "statement_of_responsibility"}
        )
        == []
    )
    kia = REQUEST_TYPES["kia"]
    assert [
        r.code
        for r in kia.missing_documents(
            data={"child_birth_date": "2015-01-15"}, present={"kk", "birth_certificate"}
        )
    ] == ["child_photo"]
    assert (
        kia.missing_documents(
            data={"child_birth_date": "2024-01-15"}, present={"kk", "birth_certificate"}
        )
        == []
    )

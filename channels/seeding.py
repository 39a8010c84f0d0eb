"""Demo data for the channels: an Open311 partner application with a published demo key, and the
attributes of the flooding service. Idempotent; used by ``seed_demo`` only (never in production,
where partners get a random key from the admin)."""

from channels.models import Partner, ServiceAttribute, hash_api_key
from complaints.models import Category

DEMO_PARTNER_NAME = "Aplikasi Mitra (demo)"
DEMO_API_KEY = "demo-open311-balikpapan"  # printed by seed_demo; a demo database only

FLOOD_ATTRIBUTES = [
    {
        "code": "KEDALAMAN",
        "datatype": ServiceAttribute.Datatype.SINGLE,
        "required": True,
        "description": "Perkiraan kedalaman air",
        "order": 1,
        "values": [
            {"key": "SEMATA-KAKI", "name": "Semata kaki (< 10 cm)"},
            {"key": "SELUTUT", "name": "Selutut (10–50 cm)"},
            {"key": "SEPINGGANG", "name": "Sepinggang atau lebih (> 50 cm)"},
        ],
    },
    {
        "code": "INFO",
        "variable": False,
        "datatype": ServiceAttribute.Datatype.TEXT,
        "description": "Laporan darurat banjir yang mengancam jiwa: hubungi 112.",
        "order": 2,
    },
]


def seed_demo_channels(*, stdout=None) -> None:
    Partner.objects.update_or_create(
        name=DEMO_PARTNER_NAME,
        defaults={
            "contact_email": "mitra@demo.balikpapan.test",
            "key_hash": hash_api_key(DEMO_API_KEY),
            "key_prefix": DEMO_API_KEY[:8],
            "is_active": True,
        },
    )
    flooding = Category.objects.filter(code="banjir").first()
    if flooding is not None:
        for attribute in FLOOD_ATTRIBUTES:
            fields = dict(attribute)
            ServiceAttribute.objects.update_or_create(
                category=flooding, code=fields.pop("code"), defaults=fields
            )
    if stdout is not None:
        stdout.write(f"Open311: partner api_key {DEMO_API_KEY} (demo only), /open311/v2/")

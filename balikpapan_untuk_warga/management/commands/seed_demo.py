"""Load Balikpapan's demo data: regions, agencies, a demo citizen and demo staff. Idempotent."""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import AgencyMembership, User
from accounts.oidc_demo import seed_demo_oidc_client
from accounts.services import membership_grant
from services.catalog.seeding import seed_catalog
from services.data.agencies import AGENCIES
from services.data.regions import ALIASES, KECAMATAN
from services.models import Agency, Kecamatan, Kelurahan

DEMO_PASSWORD = "WargaBalikpapan#2026"
# Staff must sign in with two-factor authentication (accounts.mfa): every demo staff account has
# an authenticator app with this secret (base32; add it to any TOTP app, or `oathtool --totp -b`).
DEMO_TOTP_SECRET = "BALIKPAPANWARGADEMOTOTPSECRETXYZ"

DEMO_ACCOUNTS = [
    # (role label, email, phone, full name, NIK (synthetic), is_superuser, memberships)
    (
        "citizen",
        "warga@demo.balikpapan.test",
        "+6281100000001",
        "Siti Rahmawati",
        "6471054107990042",
        False,
        [],
    ),
    (
        "counter officer",
        "petugas@demo.balikpapan.test",
        "+6281100000002",
        "Budi Santoso",
        "",
        False,
        [("disdukcapil", AgencyMembership.Role.COUNTER_OFFICER)],
    ),
    ("administrator", "admin@demo.balikpapan.test", "", "Admin Kota", "", True, []),
]


class Command(BaseCommand):
    help = "Load Balikpapan's regions, agencies and demo accounts (safe to run again)."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        regions = self._regions()
        agencies = self._agencies()
        self.stdout.write(
            f"Regions: {regions[0]} kecamatan, {regions[1]} kelurahan. Agencies: {agencies}."
        )
        seed_catalog(stdout=self.stdout)
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for label, email, phone, name, nik, is_superuser, memberships in DEMO_ACCOUNTS:
            user = self._account(email, phone, name, nik, is_superuser)
            for agency_code, role in memberships:
                membership_grant(
                    actor=None, user=user, agency=Agency.objects.get(code=agency_code), role=role
                )
            contact = email + (f" or {phone}" if phone else "")
            self.stdout.write(f"  {label:16} {contact}")
        seed_demo_oidc_client(self.stdout)
        call_command("seed_holidays", stdout=self.stdout)
        from health.demo import seed_health_demo

        seed_health_demo(self.stdout)
        from complaints.seeding import seed_demo_complaints

        seed_demo_complaints(stdout=self.stdout, password=DEMO_PASSWORD)
        from payments.demo import seed_demo_payments

        seed_demo_payments(self.stdout)
        from civil_registry.demo import seed_civil_registry_demo

        seed_civil_registry_demo(stdout=self.stdout)
        from applications.seeding import seed_demo_forms

        seed_demo_forms(stdout=self.stdout)
        from channels.seeding import seed_demo_channels

        seed_demo_channels(stdout=self.stdout)
        staff = self._staff_totp()
        self.stdout.write(
            f"Two-factor authentication: the {staff} demo staff accounts use the authenticator "
            f"app secret {DEMO_TOTP_SECRET} (add it to any TOTP app)."
        )

    def _staff_totp(self) -> int:
        """Every demo staff account gets the demo authenticator app, which staff must use."""
        from allauth.mfa.models import Authenticator
        from allauth.mfa.utils import encrypt
        from django.db.models import Q

        staff = User.objects.filter(email__endswith="@demo.balikpapan.test").filter(
            Q(is_staff=True) | Q(is_superuser=True)
        )
        for user in staff:
            Authenticator.objects.get_or_create(
                user=user,
                type=Authenticator.Type.TOTP,
                defaults={"data": {"secret": encrypt(DEMO_TOTP_SECRET)}},
            )
        return staff.count()

    def _regions(self) -> tuple[int, int]:
        kelurahan_count = 0
        for code, name, villages in KECAMATAN:
            kecamatan, _ = Kecamatan.objects.update_or_create(code=code, defaults={"name": name})
            for suffix, village, postal in villages:
                full_code = f"{code}.{suffix}"
                Kelurahan.objects.update_or_create(
                    code=full_code,
                    defaults={
                        "kecamatan": kecamatan,
                        "name": village,
                        "postal_code": postal,
                        "aliases": ALIASES.get(full_code, []),
                    },
                )
                kelurahan_count += 1
        return len(KECAMATAN), kelurahan_count

    def _agencies(self) -> int:
        for code, name, short_name, kind, _confirmed in AGENCIES:
            Agency.objects.update_or_create(
                code=code, defaults={"name": name, "short_name": short_name, "kind": kind}
            )
        return len(AGENCIES)

    def _account(self, email: str, phone: str, name: str, nik: str, is_superuser: bool) -> User:
        from allauth.account.models import EmailAddress

        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(
                email=email,
                phone=phone or None,
                full_name=name,
                phone_verified=bool(phone),
                is_superuser=is_superuser,
                is_staff=is_superuser,
            )
            user.set_password(DEMO_PASSWORD)
            if nik:
                user.set_nik(nik)
            user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

"""Indonesian personal identifiers: NIK, KK numbers and phone numbers.

Rules follow ``shared/domain-facts.md`` §2: a NIK is 16 digits — province, kabupaten/kota and
kecamatan of *first registration* (never required to be Balikpapan's ``6471``), the birth date as
DDMMYY with 40 added to the day for women, and a serial from 0001. Kecamatan codes are not checked
against a list (they get split and renamed). A KK number is an area code, the DDMMYY date the family
was recorded (no +40) and a family serial.

Both are personal data: they are stored sealed (Fernet ciphertext) with a keyed HMAC digest for
uniqueness and look-up, and shown masked to everyone but their owner and authorised staff.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Kemendagri province codes (Permendagri on wilayah codes; the 2022 Papua split adds 93–96).
PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "16",
        "17",
        "18",
        "19",
        "21",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "51",
        "52",
        "53",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "72",
        "73",
        "74",
        "75",
        "76",
        "81",
        "82",
        "91",
        "92",
        "93",
        "94",
        "95",
        "96",
    ]
)
BALIKPAPAN_REGION = "6471"


@dataclass(frozen=True)
class ParsedNIK:
    value: str
    region: str  # 6 digits: province, kabupaten/kota, kecamatan
    is_female: bool
    birth_day: int
    birth_month: int
    birth_year_2: int  # the last two digits: the century is not encoded
    serial: str

    def birth_date(self, *, today: dt.date | None = None) -> dt.date:
        """The most plausible birth date: the latest century that is not in the future."""
        today = today or dt.date.today()
        for century in (2000, 1900):
            try:
                candidate = dt.date(century + self.birth_year_2, self.birth_month, self.birth_day)
            except ValueError:
                continue
            if candidate <= today:
                return candidate
        return dt.date(1900 + self.birth_year_2, self.birth_month, self.birth_day)


def _only_digits(value: str, length: int, code: str, label: str) -> str:
    value = (value or "").strip()
    if len(value) != length or not value.isascii() or not value.isdigit():
        raise ValidationError(
            _("%(label)s must be exactly %(length)d digits.") % {"label": label, "length": length},
            code=code,
        )
    return value


def _check_region(region: str, code_prefix: str, label: str) -> None:
    if region[:2] not in PROVINCE_CODES:
        raise ValidationError(
            _("%(label)s starts with an unknown province code.") % {"label": label},
            code=f"{code_prefix}_province",
        )
    if region[2:4] == "00" or region[4:6] == "00":
        raise ValidationError(
            _("%(label)s has an invalid region code.") % {"label": label},
            code=f"{code_prefix}_region",
        )


def _date_exists(day: int, month: int, years: tuple[int, ...]) -> bool:
    for year in years:
        try:
            dt.date(year, month, day)
        except ValueError:
            continue
        return True
    return False


def parse_nik(value: str) -> ParsedNIK:
    """Validate a NIK and return its parts; raise ``ValidationError`` with a precise code."""
    label = "NIK"
    nik = _only_digits(value, 16, "nik_format", label)
    _check_region(nik[:6], "nik", label)
    day, month, year_2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    is_female = day > 40
    if is_female:
        day -= 40
    if (
        not (1 <= day <= 31)
        or not (1 <= month <= 12)
        or not _date_exists(day, month, (1900 + year_2, 2000 + year_2))
    ):
        raise ValidationError(
            _("The birth date inside the NIK is not a real date (women add 40 to the day)."),
            code="nik_birth_date",
        )
    if nik[12:] == "0000":
        raise ValidationError(_("The NIK serial number cannot be 0000."), code="nik_serial")
    return ParsedNIK(
        value=nik,
        region=nik[:6],
        is_female=is_female,
        birth_day=day,
        birth_month=month,
        birth_year_2=year_2,
        serial=nik[12:],
    )


def validate_nik(value: str) -> None:
    parse_nik(value)


def validate_kk_number(value: str) -> None:
    """Validate a Kartu Keluarga number (area code, recording date DDMMYY as 20YY, serial)."""
    label = _("The KK number")
    kk = _only_digits(value, 16, "kk_format", str(label))
    _check_region(kk[:6], "kk", str(label))
    day, month, year_2 = int(kk[6:8]), int(kk[8:10]), int(kk[10:12])
    if not (1 <= month <= 12) or not _date_exists(day, month, (2000 + year_2,)):
        raise ValidationError(
            _("The recording date inside the KK number is not a real date."), code="kk_date"
        )
    if kk[12:] == "0000":
        raise ValidationError(_("The KK serial number cannot be 0000."), code="kk_serial")


def mask_identifier(value: str | None) -> str:
    """``6471051508900001`` → ``6471********0001``."""
    if not value:
        return ""
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


def normalize_phone(value: str) -> str:
    """Return an Indonesian mobile or fixed number in E.164 (``0812…`` → ``+62812…``).

    Numbers of other countries are accepted when written with their ``+`` country code.
    """
    raw = (value or "").strip()
    try:
        number = phonenumbers.parse(raw, "ID")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("Enter a valid phone number."), code="phone_invalid") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Enter a valid phone number."), code="phone_invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# --- Sealing: encryption at rest plus a keyed digest --------------------------------------------


def _derived_key(purpose: str) -> bytes:
    return hashlib.sha256(f"{purpose}:{settings.SECRET_KEY}".encode()).digest()


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if not keys:
        keys = (base64.urlsafe_b64encode(_derived_key("identifier-encryption")).decode(),)
    return MultiFernet([Fernet(k) for k in keys])


def _hash_key() -> bytes:
    configured = settings.NIK_HASH_KEY
    return configured.encode() if configured else _derived_key("identifier-digest")


def seal(value: str) -> str:
    """Encrypt an identifier for storage."""
    fernet = _fernet(tuple(settings.NIK_ENCRYPTION_KEYS), settings.SECRET_KEY)
    return fernet.encrypt(value.encode()).decode()


def unseal(token: str) -> str:
    if not token:
        return ""
    fernet = _fernet(tuple(settings.NIK_ENCRYPTION_KEYS), settings.SECRET_KEY)
    try:
        return fernet.decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a wrong key must be loud, but never show the value
        raise RuntimeError(
            "A sealed identifier could not be decrypted: check NIK_ENCRYPTION_KEYS."
        ) from exc


def digest(value: str) -> str:
    """Keyed HMAC-SHA256 of an identifier: equal values give equal digests, nothing else leaks."""
    return hmac.new(_hash_key(), value.encode(), hashlib.sha256).hexdigest()

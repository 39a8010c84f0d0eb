"""NOP (Nomor Objek Pajak) of PBB-P2: 18 digits printed ``AA.BB.CCC.DDD.EEE-XXXX.Y``.

``64.71`` is Kota Balikpapan. The kecamatan/kelurahan codes are SISMIOP codes (not Kemendagri
codes): they are imported with the bills, never derived. Special code ``Y`` is 0 (one taxpayer),
7 (SISTEP) or 9 (used jointly); any other code is accepted for storage but flagged for a manual
check (test-vectors §7).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CITY_PREFIX = "6471"
DOCUMENTED_SPECIAL_CODES = frozenset("079")
_DIGITS = re.compile(r"^[0-9]{18}$")


class NopError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Nop:
    digits: str

    @property
    def formatted(self) -> str:
        d = self.digits
        return f"{d[0:2]}.{d[2:4]}.{d[4:7]}.{d[7:10]}.{d[10:13]}-{d[13:17]}.{d[17]}"

    @property
    def kecamatan_code(self) -> str:
        return self.digits[4:7]

    @property
    def kelurahan_code(self) -> str:
        return self.digits[7:10]

    @property
    def special_code(self) -> str:
        return self.digits[17]

    @property
    def needs_review(self) -> bool:
        return self.special_code not in DOCUMENTED_SPECIAL_CODES

    def __str__(self) -> str:
        return self.formatted


def format_nop(digits: str) -> str:
    return Nop(digits).formatted


def nop_parse(raw: str, *, allow_undocumented_special_code: bool = False) -> Nop:
    """Normalise ``raw`` (with or without ``.``/``-``) to a Balikpapan NOP or raise NopError."""
    digits = (raw or "").strip().replace(".", "").replace("-", "")
    if not _DIGITS.match(digits):
        raise NopError("nop_invalid", "A NOP has exactly 18 digits (dots and dashes are optional).")
    if not digits.startswith(CITY_PREFIX):
        raise NopError("nop_not_balikpapan", "Not a Kota Balikpapan NOP (it must start 64.71).")
    nop = Nop(digits)
    if nop.needs_review and not allow_undocumented_special_code:
        raise NopError(
            "nop_special_code",
            f"Special code {nop.special_code} is not one of the documented codes 0, 7 or 9.",
        )
    return nop
